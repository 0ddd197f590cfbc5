//! Households: `GET /household` (the ledger in hand — `Finance-Ledger`, else
//! one's own — its members, the ledgers one can act on, one's invitations);
//! `POST /household/members` (invite by username), `PUT
//! /household/members/{memberId}/role`, `DELETE /household/members/{memberId}`
//! (owner only); `POST /invitations/{ledgerId}/accept` and `/decline`;
//! `DELETE /ledgers/{ledgerId}/membership` (leave). Every write answers the
//! whole household, as on the desktop. Switching ledgers is per request here:
//! the `Finance-Ledger` header.

use axum::Json;
use finance_api::ops::members;
use finance_api::types::{
    HouseholdView, InviteMemberInput, LedgerIdInput, MemberIdInput, RoleView, SetMemberRoleInput,
};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller, PathId, Person};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(household))
        .routes(routes!(invite_member))
        .routes(routes!(set_member_role))
        .routes(routes!(remove_member))
        .routes(routes!(accept_invitation))
        .routes(routes!(decline_invitation))
        .routes(routes!(leave_ledger))
}

/// A member's new role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberRoleBody {
    /// `editor` or `viewer`.
    pub role: RoleView,
}

/// The household of the ledger in hand.
#[utoipa::path(get, path = "/household", tag = "household", security(("bearer" = [])),
    responses((status = 200, description = "The household", body = HouseholdView)))]
pub async fn household(c: Caller) -> HttpResult<Json<HouseholdView>> {
    Ok(Json(members::household(&c.cx, ()).await?))
}

/// Invite someone by username to the ledger in hand (owner only).
#[utoipa::path(post, path = "/household/members", tag = "household", security(("bearer" = [])),
    request_body = InviteMemberInput,
    responses((status = 200, description = "The household after the invitation", body = HouseholdView)))]
pub async fn invite_member(
    c: Caller,
    Body(input): Body<InviteMemberInput>,
) -> HttpResult<Json<HouseholdView>> {
    Ok(Json(members::invite_member(&c.cx, input).await?))
}

/// Change a member's role (owner only).
#[utoipa::path(put, path = "/household/members/{memberId}/role", tag = "household", security(("bearer" = [])),
    params(("memberId" = String, Path, description = "The member's user id")),
    request_body = MemberRoleBody,
    responses((status = 200, description = "The household after the change", body = HouseholdView)))]
pub async fn set_member_role(
    c: Caller,
    PathId(member_id): PathId<String>,
    Body(body): Body<MemberRoleBody>,
) -> HttpResult<Json<HouseholdView>> {
    let input = SetMemberRoleInput {
        member_id,
        role: body.role,
    };
    Ok(Json(members::set_member_role(&c.cx, input).await?))
}

/// Remove a member or an invitation (owner only): their next call on this ledger is refused.
#[utoipa::path(delete, path = "/household/members/{memberId}", tag = "household", security(("bearer" = [])),
    params(("memberId" = String, Path, description = "The member's user id")),
    responses((status = 200, description = "The household after the removal", body = HouseholdView)))]
pub async fn remove_member(
    c: Caller,
    PathId(member_id): PathId<String>,
) -> HttpResult<Json<HouseholdView>> {
    Ok(Json(
        members::remove_member(&c.cx, MemberIdInput { member_id }).await?,
    ))
}

/// Accept an invitation to a ledger.
#[utoipa::path(post, path = "/invitations/{ledgerId}/accept", tag = "household", security(("bearer" = [])),
    params(("ledgerId" = String, Path, description = "The inviting ledger's id")),
    responses((status = 200, description = "One's household after accepting", body = HouseholdView)))]
pub async fn accept_invitation(
    Person(c): Person,
    PathId(ledger_id): PathId<String>,
) -> HttpResult<Json<HouseholdView>> {
    let input = LedgerIdInput {
        ledger_id: Some(ledger_id),
    };
    Ok(Json(members::accept_invitation(&c.cx, input).await?))
}

/// Decline an invitation to a ledger.
#[utoipa::path(post, path = "/invitations/{ledgerId}/decline", tag = "household", security(("bearer" = [])),
    params(("ledgerId" = String, Path, description = "The inviting ledger's id")),
    responses((status = 200, description = "One's household after declining", body = HouseholdView)))]
pub async fn decline_invitation(
    Person(c): Person,
    PathId(ledger_id): PathId<String>,
) -> HttpResult<Json<HouseholdView>> {
    let input = LedgerIdInput {
        ledger_id: Some(ledger_id),
    };
    Ok(Json(members::decline_invitation(&c.cx, input).await?))
}

/// Leave a ledger one is a member of.
#[utoipa::path(delete, path = "/ledgers/{ledgerId}/membership", tag = "household", security(("bearer" = [])),
    params(("ledgerId" = String, Path, description = "The ledger to leave")),
    responses((status = 200, description = "One's household after leaving", body = HouseholdView)))]
pub async fn leave_ledger(
    Person(c): Person,
    PathId(ledger_id): PathId<String>,
) -> HttpResult<Json<HouseholdView>> {
    let input = LedgerIdInput {
        ledger_id: Some(ledger_id),
    };
    Ok(Json(members::leave_ledger(&c.cx, input).await?))
}
