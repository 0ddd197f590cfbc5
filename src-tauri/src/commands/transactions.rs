//! Transaction commands: the bodies are [`finance_api::ops::transactions`].

use finance_api::types::{
    DeleteTransactionInput, IdInput, TransactionInput, TransactionListInput, TransactionPage,
    TransactionView, UpdateTransactionInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_transactions(
    state: State<'_, AppState>,
    input: TransactionListInput,
) -> ApiResult<TransactionPage> {
    crate::forward!(state, transactions::list_transactions(input))
}

#[tauri::command]
pub async fn get_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<TransactionView> {
    crate::forward!(state, transactions::get_transaction(input))
}

#[tauri::command]
pub async fn add_transaction(
    state: State<'_, AppState>,
    input: TransactionInput,
) -> ApiResult<TransactionView> {
    crate::forward!(state, transactions::add_transaction(input))
}

#[tauri::command]
pub async fn update_transaction(
    state: State<'_, AppState>,
    input: UpdateTransactionInput,
) -> ApiResult<TransactionView> {
    crate::forward!(state, transactions::update_transaction(input))
}

/// Delete a transaction and return it as it was (the UI offers to undo).
#[tauri::command]
pub async fn delete_transaction(
    state: State<'_, AppState>,
    input: DeleteTransactionInput,
) -> ApiResult<TransactionView> {
    crate::forward!(state, transactions::delete_transaction(input))
}
