//! Bulk edit commands and the totals of the list's filter: the bodies are
//! [`finance_api::ops::bulk`]. A delete and its undo stay here for their
//! desktop half: the deleted rows are kept on this side under an undo token
//! ([`crate::undo`]), never sent to the webview.
//!
//! Invariants: a delete's rows are kept only when it removed some; an undo's
//! entry goes only once the rows are back (a retry of that undo is answered
//! by its idempotency key in the store). With a Finance server, the server
//! seals the rows into the undo token itself, which is passed on as it came.

use finance_api::ops::bulk;
use finance_api::types::{
    BulkAccountInput, BulkCategoryInput, BulkDeleteInput, BulkDeleted, BulkOutcome,
    BulkSelectionInput, TransactionListInput, TransactionTotalsView, UndoBulkDeleteInput, count32,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::{AppState, Target};

#[tauri::command]
pub async fn transaction_totals(
    state: State<'_, AppState>,
    input: TransactionListInput,
) -> ApiResult<TransactionTotalsView> {
    crate::forward!(state, bulk::transaction_totals(input))
}

#[tauri::command]
pub async fn bulk_set_category(
    state: State<'_, AppState>,
    input: BulkCategoryInput,
) -> ApiResult<BulkOutcome> {
    crate::forward!(state, bulk::bulk_set_category(input))
}

#[tauri::command]
pub async fn bulk_move_to_account(
    state: State<'_, AppState>,
    input: BulkAccountInput,
) -> ApiResult<BulkOutcome> {
    crate::forward!(state, bulk::bulk_move_to_account(input))
}

#[tauri::command]
pub async fn bulk_mark_cleared(
    state: State<'_, AppState>,
    input: BulkSelectionInput,
) -> ApiResult<BulkOutcome> {
    crate::forward!(state, bulk::bulk_mark_cleared(input))
}

/// Delete the selection (both legs of each transfer); the answer's token undoes it.
#[tauri::command]
pub async fn bulk_delete(
    state: State<'_, AppState>,
    input: BulkDeleteInput,
) -> ApiResult<BulkDeleted> {
    let cx = match state.target().await? {
        Target::Local(cx) => cx,
        Target::Remote(s) => {
            let answer = finance_client::bulk::bulk_delete(&s, input).await;
            return state.remote_answered(&s, answer).await;
        }
    };
    let rows = bulk::delete_selection(&cx, &input).await?;
    let deleted = count32(rows.len());
    let undo_token = (!rows.is_empty()).then(|| state.undos().insert(cx.user.id(), rows));
    Ok(BulkDeleted {
        deleted,
        undo_token,
    })
}

/// Put back exactly what a bulk delete removed (same ids), once.
#[tauri::command]
pub async fn undo_bulk_delete(
    state: State<'_, AppState>,
    input: UndoBulkDeleteInput,
) -> ApiResult<BulkOutcome> {
    let cx = match state.target().await? {
        Target::Local(cx) => cx,
        Target::Remote(s) => {
            let answer = finance_client::bulk::undo_bulk_delete(&s, input).await;
            return state.remote_answered(&s, answer).await;
        }
    };
    let key = bulk::undo_key(&input.idempotency_key)?;
    let rows = state.undos().get(cx.user.id(), &input.undo_token)?;
    let outcome = bulk::restore_deleted(&cx, &rows, &key).await?;
    state.undos().remove(cx.user.id(), &input.undo_token);
    Ok(outcome)
}
