//! Household commands: the bodies are [`finance_api::ops::members`]; leaving
//! the ledger one works in switches back to one's own first.

use finance_api::ops::members;
use finance_api::types::{
    HouseholdView, InviteMemberInput, LedgerIdInput, MemberIdInput, SetMemberRoleInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn household(state: State<'_, AppState>) -> ApiResult<HouseholdView> {
    members::household(&state.cx().await?, ()).await
}

#[tauri::command]
pub async fn invite_member(
    state: State<'_, AppState>,
    input: InviteMemberInput,
) -> ApiResult<HouseholdView> {
    members::invite_member(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn set_member_role(
    state: State<'_, AppState>,
    input: SetMemberRoleInput,
) -> ApiResult<HouseholdView> {
    members::set_member_role(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn remove_member(
    state: State<'_, AppState>,
    input: MemberIdInput,
) -> ApiResult<HouseholdView> {
    members::remove_member(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn accept_invitation(
    state: State<'_, AppState>,
    input: LedgerIdInput,
) -> ApiResult<HouseholdView> {
    members::accept_invitation(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn decline_invitation(
    state: State<'_, AppState>,
    input: LedgerIdInput,
) -> ApiResult<HouseholdView> {
    members::decline_invitation(&state.cx().await?, input).await
}

/// Leave a ledger one is a member of; when it is the one in hand, this
/// computer works in one's own ledger again first.
#[tauri::command]
pub async fn leave_ledger(
    state: State<'_, AppState>,
    input: LedgerIdInput,
) -> ApiResult<HouseholdView> {
    if state.ledger().is_some() && state.ledger() == input.ledger()? {
        state.set_ledger(None);
        state.imports().clear();
        state.undos().clear();
    }
    members::leave_ledger(&state.cx().await?, input).await
}
