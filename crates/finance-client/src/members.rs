//! Households (`/household`, `/invitations`, `/ledgers`): the ledger in hand
//! and its members; one's invitations and memberships (on one's own ledger).

use finance_api::ApiResult;
use finance_api::types::{
    HouseholdView, InviteMemberInput, LedgerIdInput, MemberIdInput, SetMemberRoleInput,
};
use finance_api::{ApiError, ErrorCode};
use reqwest::Method;
use serde_json::json;

use crate::Session;

pub async fn household(s: &Session, _: ()) -> ApiResult<HouseholdView> {
    s.call(s.request(Method::GET, &["household"])).await
}

pub async fn invite_member(s: &Session, input: InviteMemberInput) -> ApiResult<HouseholdView> {
    s.call(
        s.request(Method::POST, &["household", "members"])
            .json(&input),
    )
    .await
}

pub async fn set_member_role(s: &Session, input: SetMemberRoleInput) -> ApiResult<HouseholdView> {
    let req = s
        .request(
            Method::PUT,
            &["household", "members", &input.member_id, "role"],
        )
        .json(&json!({ "role": input.role }));
    s.call(req).await
}

pub async fn remove_member(s: &Session, input: MemberIdInput) -> ApiResult<HouseholdView> {
    let req = s.request(Method::DELETE, &["household", "members", &input.member_id]);
    s.call(req).await
}

fn ledger_id(input: &LedgerIdInput) -> ApiResult<&str> {
    input.ledger_id.as_deref().ok_or_else(|| {
        let mut e = ApiError::new(ErrorCode::Validation, "is required");
        e.field = Some("ledgerId".into());
        e
    })
}

pub async fn accept_invitation(s: &Session, input: LedgerIdInput) -> ApiResult<HouseholdView> {
    let req = s.request(Method::POST, &["invitations", ledger_id(&input)?, "accept"]);
    s.call(req).await
}

pub async fn decline_invitation(s: &Session, input: LedgerIdInput) -> ApiResult<HouseholdView> {
    let req = s.request(
        Method::POST,
        &["invitations", ledger_id(&input)?, "decline"],
    );
    s.call(req).await
}

pub async fn leave_ledger(s: &Session, input: LedgerIdInput) -> ApiResult<HouseholdView> {
    let req = s.request(
        Method::DELETE,
        &["ledgers", ledger_id(&input)?, "membership"],
    );
    s.call(req).await
}
