//! Transfer, cleared-status and reconciliation commands: the bodies are
//! [`finance_api::ops::transfers`].

use finance_api::types::{
    ConvertToTransferInput, DeleteTransferInput, IdInput, ReconcileInput, ReconciledView,
    ReconciliationPreviewView, ReconciliationRowsInput, ReconciliationRowsView, SetClearedInput,
    TransferInput, TransferView, UpdateTransferInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn get_transfer(state: State<'_, AppState>, input: IdInput) -> ApiResult<TransferView> {
    crate::forward!(state, transfers::get_transfer(input))
}

#[tauri::command]
pub async fn add_transfer(
    state: State<'_, AppState>,
    input: TransferInput,
) -> ApiResult<TransferView> {
    crate::forward!(state, transfers::add_transfer(input))
}

#[tauri::command]
pub async fn update_transfer(
    state: State<'_, AppState>,
    input: UpdateTransferInput,
) -> ApiResult<TransferView> {
    crate::forward!(state, transfers::update_transfer(input))
}

/// Deletes both legs and returns the transfer as it was (for undo).
#[tauri::command]
pub async fn delete_transfer(
    state: State<'_, AppState>,
    input: DeleteTransferInput,
) -> ApiResult<TransferView> {
    crate::forward!(state, transfers::delete_transfer(input))
}

#[tauri::command]
pub async fn convert_to_transfer(
    state: State<'_, AppState>,
    input: ConvertToTransferInput,
) -> ApiResult<TransferView> {
    crate::forward!(state, transfers::convert_to_transfer(input))
}

/// How many rows changed.
#[tauri::command]
pub async fn set_cleared(state: State<'_, AppState>, input: SetClearedInput) -> ApiResult<u32> {
    crate::forward!(state, transfers::set_cleared(input))
}

#[tauri::command]
pub async fn reconciliation_preview(
    state: State<'_, AppState>,
    input: ReconcileInput,
) -> ApiResult<ReconciliationPreviewView> {
    crate::forward!(state, transfers::reconciliation_preview(input))
}

#[tauri::command]
pub async fn finish_reconciliation(
    state: State<'_, AppState>,
    input: ReconcileInput,
) -> ApiResult<ReconciledView> {
    crate::forward!(state, transfers::finish_reconciliation(input))
}

#[tauri::command]
pub async fn reconciliation_rows(
    state: State<'_, AppState>,
    input: ReconciliationRowsInput,
) -> ApiResult<ReconciliationRowsView> {
    crate::forward!(state, transfers::reconciliation_rows(input))
}
