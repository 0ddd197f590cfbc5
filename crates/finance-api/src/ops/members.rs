//! Households: the ledger in hand with its members, the ledgers one can
//! switch to, invitations; inviting, re-roling and removing members,
//! answering an invitation, leaving. Every write answers [`household`].
//!
//! Switching the ledger in hand is the edge's business (the desktop keeps it
//! for the app session; a server client names it per request): the bodies
//! act on `cx.user`, which the edge authenticated on that ledger.

use finance_core::Id;

use super::Cx;
use crate::error::ApiResult;
use crate::types::{
    HouseholdView, InvitationView, InviteMemberInput, LedgerIdInput, LedgerView, MemberIdInput,
    MemberRowView, SetMemberRoleInput,
};

/// The ledger in hand, the ledgers I can act on, the members of the one in
/// hand (any member may see who else sees the data) and my invitations.
pub async fn household(cx: &Cx, _: ()) -> ApiResult<HouseholdView> {
    let (f, user) = (&cx.finance, &cx.user);
    let me = user.id();
    let ledgers: Vec<LedgerView> = f
        .ledgers(user)
        .await?
        .iter()
        .map(|a| LedgerView::new(a, me))
        .collect();
    let active = ledgers
        .iter()
        .find(|l| l.id == user.ledger().to_hex())
        .cloned()
        .ok_or(finance_core::Error::NotFound { what: "ledger" })?;
    let members = f
        .members(user)
        .await?
        .iter()
        .map(MemberRowView::from)
        .collect();
    let invitations = f
        .invitations(user)
        .await?
        .iter()
        .map(InvitationView::from)
        .collect();
    Ok(HouseholdView {
        active,
        ledgers,
        members,
        invitations,
    })
}

pub async fn invite_member(cx: &Cx, input: InviteMemberInput) -> ApiResult<HouseholdView> {
    cx.finance
        .invite_member(&cx.user, &input.username, input.role.into(), cx.now)
        .await?;
    household(cx, ()).await
}

pub async fn set_member_role(cx: &Cx, input: SetMemberRoleInput) -> ApiResult<HouseholdView> {
    let member = Id::parse("memberId", &input.member_id)?;
    cx.finance
        .set_member_role(&cx.user, member, input.role.into())
        .await?;
    household(cx, ()).await
}

pub async fn remove_member(cx: &Cx, input: MemberIdInput) -> ApiResult<HouseholdView> {
    let member = Id::parse("memberId", &input.member_id)?;
    cx.finance.remove_member(&cx.user, member).await?;
    household(cx, ()).await
}

pub async fn accept_invitation(cx: &Cx, input: LedgerIdInput) -> ApiResult<HouseholdView> {
    cx.finance
        .accept_invitation(&cx.user, input.required()?)
        .await?;
    household(cx, ()).await
}

pub async fn decline_invitation(cx: &Cx, input: LedgerIdInput) -> ApiResult<HouseholdView> {
    cx.finance
        .decline_invitation(&cx.user, input.required()?)
        .await?;
    household(cx, ()).await
}

/// Leave a ledger I am a member of. The caller must not be acting on it
/// (the edge switches to my own ledger first): the answer is read on the
/// ledger in hand.
pub async fn leave_ledger(cx: &Cx, input: LedgerIdInput) -> ApiResult<HouseholdView> {
    cx.finance.leave_ledger(&cx.user, input.required()?).await?;
    household(cx, ()).await
}
