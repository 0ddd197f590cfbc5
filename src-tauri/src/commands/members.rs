//! Household commands: the bodies are [`finance_api::ops::members`]; leaving
//! the ledger one works in switches back to one's own first.

use finance_api::types::{
    HouseholdView, InviteMemberInput, LedgerIdInput, MemberIdInput, SetMemberRoleInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn household(state: State<'_, AppState>) -> ApiResult<HouseholdView> {
    crate::forward!(state, members::household(()))
}

#[tauri::command]
pub async fn invite_member(
    state: State<'_, AppState>,
    input: InviteMemberInput,
) -> ApiResult<HouseholdView> {
    crate::forward!(state, members::invite_member(input))
}

#[tauri::command]
pub async fn set_member_role(
    state: State<'_, AppState>,
    input: SetMemberRoleInput,
) -> ApiResult<HouseholdView> {
    crate::forward!(state, members::set_member_role(input))
}

#[tauri::command]
pub async fn remove_member(
    state: State<'_, AppState>,
    input: MemberIdInput,
) -> ApiResult<HouseholdView> {
    crate::forward!(state, members::remove_member(input))
}

#[tauri::command]
pub async fn accept_invitation(
    state: State<'_, AppState>,
    input: LedgerIdInput,
) -> ApiResult<HouseholdView> {
    crate::forward!(state, members::accept_invitation(input))
}

#[tauri::command]
pub async fn decline_invitation(
    state: State<'_, AppState>,
    input: LedgerIdInput,
) -> ApiResult<HouseholdView> {
    crate::forward!(state, members::decline_invitation(input))
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
    crate::forward!(state, members::leave_ledger(input))
}
