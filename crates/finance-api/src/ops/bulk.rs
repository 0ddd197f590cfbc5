//! Bulk edits (re-categorise, move to an account, mark cleared), the totals
//! of the list's filter, and the pure halves of a bulk delete and its undo
//! ([`delete_selection`], [`restore_deleted`]): where the deleted rows are
//! kept until their undo is the edge's business (the desktop keeps them in
//! memory under an opaque token).
//!
//! Invariants: each action is one core call (one store transaction); a
//! selection is explicit ids or the list's own filter input; reconciled rows
//! change only with `confirmReconciled`; an undo writes its rows back at most
//! once per idempotency key.

use finance_core::Id;
use finance_core::domain::{IDEMPOTENCY_FIELD, IdempotencyKey, Transaction};

use super::Cx;
use crate::error::ApiResult;
use crate::types::{
    BulkAccountInput, BulkCategoryInput, BulkDeleteInput, BulkOutcome, BulkSelectionInput,
    TransactionListInput, TransactionTotalsView, count32, idempotency_key,
};

/// The answer of a bulk action that changed `changed` rows.
pub fn outcome(changed: u64) -> BulkOutcome {
    BulkOutcome {
        changed: count32(changed),
    }
}

pub async fn transaction_totals(
    cx: &Cx,
    input: TransactionListInput,
) -> ApiResult<TransactionTotalsView> {
    let filter = input.list_filter(cx.user.currency())?;
    let totals = cx.finance.transaction_totals(&cx.user, &filter).await?;
    Ok(TransactionTotalsView::new(&totals, cx.user.currency()))
}

pub async fn bulk_set_category(cx: &Cx, input: BulkCategoryInput) -> ApiResult<BulkOutcome> {
    let category = Id::parse("categoryId", &input.category_id)?;
    let selection = input.selection.selection(cx.user.currency())?;
    let confirmed = input.confirm_reconciled == Some(true);
    let n = cx
        .finance
        .bulk_set_category(&cx.user, &selection, category, confirmed, cx.now)
        .await?;
    Ok(outcome(n))
}

pub async fn bulk_move_to_account(cx: &Cx, input: BulkAccountInput) -> ApiResult<BulkOutcome> {
    let account = Id::parse("accountId", &input.account_id)?;
    let selection = input.selection.selection(cx.user.currency())?;
    let confirmed = input.confirm_reconciled == Some(true);
    let n = cx
        .finance
        .bulk_move_to_account(&cx.user, &selection, account, confirmed, cx.now)
        .await?;
    Ok(outcome(n))
}

pub async fn bulk_mark_cleared(cx: &Cx, input: BulkSelectionInput) -> ApiResult<BulkOutcome> {
    let selection = input.selection.selection(cx.user.currency())?;
    let n = cx
        .finance
        .bulk_mark_cleared(&cx.user, &selection, cx.now)
        .await?;
    Ok(outcome(n))
}

/// Delete the selection (both legs of each transfer) and hand back the rows
/// as they were, for the edge to keep for their undo. Not an operation body:
/// the `bulk_delete` operation is this plus the keeping.
pub async fn delete_selection(cx: &Cx, input: &BulkDeleteInput) -> ApiResult<Vec<Transaction>> {
    let selection = input.selection.selection(cx.user.currency())?;
    Ok(cx
        .finance
        .bulk_delete(&cx.user, &selection, input.confirm_reconciled == Some(true))
        .await?)
}

/// An undo's idempotency key (required, unlike a write's).
pub fn undo_key(raw: &str) -> ApiResult<IdempotencyKey> {
    Ok(idempotency_key(Some(raw))?.ok_or_else(|| {
        finance_core::Error::validation(IDEMPOTENCY_FIELD, "an undo needs its key")
    })?)
}

/// Put back exactly `rows` (same ids), once per `key`: the undo of
/// [`delete_selection`], once the edge found the rows it kept. Not an
/// operation body (the edge supplies the rows).
pub async fn restore_deleted(
    cx: &Cx,
    rows: &[Transaction],
    key: &IdempotencyKey,
) -> ApiResult<BulkOutcome> {
    let n = cx
        .finance
        .restore_deleted(&cx.user, rows, key, cx.now)
        .await?;
    Ok(outcome(n))
}
