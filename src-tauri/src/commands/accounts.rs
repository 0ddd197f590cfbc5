//! Account commands: the bodies are [`finance_api::ops::accounts`].

use finance_api::ops::accounts;
use finance_api::types::{
    AccountInput, AccountUsageView, AccountsView, ArchiveAccountInput, IdInput, RemoveAccountInput,
    UpdateAccountInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> ApiResult<AccountsView> {
    accounts::list_accounts(&state.cx().await?, ()).await
}

#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    input: AccountInput,
) -> ApiResult<AccountsView> {
    accounts::add_account(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn update_account(
    state: State<'_, AppState>,
    input: UpdateAccountInput,
) -> ApiResult<AccountsView> {
    accounts::update_account(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn set_account_archived(
    state: State<'_, AppState>,
    input: ArchiveAccountInput,
) -> ApiResult<AccountsView> {
    accounts::set_account_archived(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn account_usage(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<AccountUsageView> {
    accounts::account_usage(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn remove_account(
    state: State<'_, AppState>,
    input: RemoveAccountInput,
) -> ApiResult<AccountsView> {
    accounts::remove_account(&state.cx().await?, input).await
}
