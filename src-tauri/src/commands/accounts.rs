//! Account commands: the bodies are [`finance_api::ops::accounts`].

use finance_api::types::{
    AccountInput, AccountUsageView, AccountsView, ArchiveAccountInput, IdInput, RemoveAccountInput,
    UpdateAccountInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> ApiResult<AccountsView> {
    crate::forward!(state, accounts::list_accounts(()))
}

#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    input: AccountInput,
) -> ApiResult<AccountsView> {
    crate::forward!(state, accounts::add_account(input))
}

#[tauri::command]
pub async fn update_account(
    state: State<'_, AppState>,
    input: UpdateAccountInput,
) -> ApiResult<AccountsView> {
    crate::forward!(state, accounts::update_account(input))
}

#[tauri::command]
pub async fn set_account_archived(
    state: State<'_, AppState>,
    input: ArchiveAccountInput,
) -> ApiResult<AccountsView> {
    crate::forward!(state, accounts::set_account_archived(input))
}

#[tauri::command]
pub async fn account_usage(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<AccountUsageView> {
    crate::forward!(state, accounts::account_usage(input))
}

#[tauri::command]
pub async fn remove_account(
    state: State<'_, AppState>,
    input: RemoveAccountInput,
) -> ApiResult<AccountsView> {
    crate::forward!(state, accounts::remove_account(input))
}
