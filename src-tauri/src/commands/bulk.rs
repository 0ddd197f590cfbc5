//! Bulk edit commands (re-categorise, move to an account, mark cleared,
//! delete and its undo) and the totals of the list's filter.
//!
//! Invariants: each action is one core call (one store transaction); a
//! selection is explicit ids or the list's own filter input; reconciled rows
//! change only with `confirmReconciled`; a delete's rows stay on this side
//! under an undo token ([`crate::undo`]), and the undo writes them back at
//! most once per idempotency key.

use chrono::Utc;
use finance_core::Id;
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::types::{
    BulkAccountInput, BulkCategoryInput, BulkDeleteInput, BulkDeleted, BulkOutcome,
    BulkSelectionInput, TransactionListInput, TransactionTotalsView, UndoBulkDeleteInput, count32,
    idempotency_key,
};

fn outcome(changed: u64) -> BulkOutcome {
    BulkOutcome {
        changed: count32(changed),
    }
}

#[tauri::command]
pub async fn transaction_totals(
    state: State<'_, AppState>,
    input: TransactionListInput,
) -> ApiResult<TransactionTotalsView> {
    let (f, user) = state.session(Utc::now()).await?;
    let filter = input.filter(user.currency())?;
    let totals = f.transaction_totals(&user, &filter).await?;
    Ok(TransactionTotalsView::new(&totals, user.currency()))
}

#[tauri::command]
pub async fn bulk_set_category(
    state: State<'_, AppState>,
    input: BulkCategoryInput,
) -> ApiResult<BulkOutcome> {
    let category = Id::parse("categoryId", &input.category_id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let selection = input.selection.selection(user.currency())?;
    let confirmed = input.confirm_reconciled == Some(true);
    let n = f
        .bulk_set_category(&user, &selection, category, confirmed, Utc::now())
        .await?;
    Ok(outcome(n))
}

#[tauri::command]
pub async fn bulk_move_to_account(
    state: State<'_, AppState>,
    input: BulkAccountInput,
) -> ApiResult<BulkOutcome> {
    let account = Id::parse("accountId", &input.account_id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let selection = input.selection.selection(user.currency())?;
    let confirmed = input.confirm_reconciled == Some(true);
    let n = f
        .bulk_move_to_account(&user, &selection, account, confirmed, Utc::now())
        .await?;
    Ok(outcome(n))
}

#[tauri::command]
pub async fn bulk_mark_cleared(
    state: State<'_, AppState>,
    input: BulkSelectionInput,
) -> ApiResult<BulkOutcome> {
    let (f, user) = state.session(Utc::now()).await?;
    let selection = input.selection.selection(user.currency())?;
    let n = f.bulk_mark_cleared(&user, &selection, Utc::now()).await?;
    Ok(outcome(n))
}

/// Delete the selection (both legs of each transfer); the answer's token undoes it.
#[tauri::command]
pub async fn bulk_delete(
    state: State<'_, AppState>,
    input: BulkDeleteInput,
) -> ApiResult<BulkDeleted> {
    let (f, user) = state.session(Utc::now()).await?;
    let selection = input.selection.selection(user.currency())?;
    let rows = f
        .bulk_delete(&user, &selection, input.confirm_reconciled == Some(true))
        .await?;
    let deleted = count32(rows.len());
    let undo_token = (!rows.is_empty()).then(|| state.undos().insert(user.id(), rows));
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
    let (f, user) = state.session(Utc::now()).await?;
    let key = idempotency_key(Some(input.idempotency_key.as_str()))?.ok_or_else(|| {
        finance_core::Error::validation(
            finance_core::domain::IDEMPOTENCY_FIELD,
            "an undo needs its key",
        )
    })?;
    let rows = state.undos().get(user.id(), &input.undo_token)?;
    let n = f.restore_deleted(&user, &rows, &key, Utc::now()).await?;
    state.undos().remove(user.id(), &input.undo_token);
    Ok(outcome(n))
}
