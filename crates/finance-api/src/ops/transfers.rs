//! Transfers (get, add under an optional idempotency key, update, delete,
//! convert a transaction into one), cleared status and reconciliation.
//!
//! Invariants: amounts and statement balances are validated in the caller's
//! currency; a reconciled row changes only with `confirmReconciled`; the
//! reconciliation's rows name their categories from one read of the list.

use finance_core::Id;
use finance_core::domain::TransferDraft;
use finance_core::domain::date::parse_date;

use super::Cx;
use super::categories::{category_names, name_in};
use crate::error::ApiResult;
use crate::types::{
    ConvertToTransferInput, DeleteTransferInput, IdInput, ReconcileInput, ReconciledView,
    ReconciliationPreviewView, ReconciliationRowsInput, ReconciliationRowsView, SetClearedInput,
    TransactionView, TransferInput, TransferView, UpdateTransferInput, count32, idempotency_key,
    ids,
};

pub async fn get_transfer(cx: &Cx, input: IdInput) -> ApiResult<TransferView> {
    let id = Id::try_from(&input)?;
    let t = cx.finance.transfer(&cx.user, id).await?;
    Ok(TransferView::new(&t, cx.user.currency()))
}

pub async fn add_transfer(cx: &Cx, input: TransferInput) -> ApiResult<TransferView> {
    let (f, user) = (&cx.finance, &cx.user);
    let new = TransferDraft::from(input.fields).validate(user.currency())?;
    let t = match idempotency_key(input.idempotency_key.as_deref())? {
        Some(key) => f.add_transfer_with_key(user, new, &key, cx.now).await?,
        None => f.add_transfer(user, new, cx.now).await?,
    };
    Ok(TransferView::new(&t, user.currency()))
}

pub async fn update_transfer(cx: &Cx, input: UpdateTransferInput) -> ApiResult<TransferView> {
    let id = Id::parse("id", &input.id)?;
    let change = TransferDraft::from(input.fields).validate(cx.user.currency())?;
    let t = cx
        .finance
        .update_transfer(&cx.user, id, change, input.confirm_reconciled, cx.now)
        .await?;
    Ok(TransferView::new(&t, cx.user.currency()))
}

/// Deletes both legs and returns the transfer as it was (for undo).
pub async fn delete_transfer(cx: &Cx, input: DeleteTransferInput) -> ApiResult<TransferView> {
    let id = Id::parse("id", &input.id)?;
    let t = cx.finance.transfer(&cx.user, id).await?;
    cx.finance
        .delete_transfer(&cx.user, id, input.confirm_reconciled)
        .await?;
    Ok(TransferView::new(&t, cx.user.currency()))
}

pub async fn convert_to_transfer(
    cx: &Cx,
    input: ConvertToTransferInput,
) -> ApiResult<TransferView> {
    let id = Id::parse("id", &input.id)?;
    let other = Id::parse("otherAccountId", &input.other_account_id)?;
    let t = cx
        .finance
        .convert_to_transfer(&cx.user, id, other, input.confirm_reconciled, cx.now)
        .await?;
    Ok(TransferView::new(&t, cx.user.currency()))
}

/// How many rows changed.
pub async fn set_cleared(cx: &Cx, input: SetClearedInput) -> ApiResult<u32> {
    let account = Id::parse("accountId", &input.account_id)?;
    let rows = ids("ids", &input.ids)?;
    let changed = cx
        .finance
        .set_cleared(&cx.user, account, &rows, input.cleared)
        .await?;
    Ok(count32(changed))
}

pub async fn reconciliation_preview(
    cx: &Cx,
    input: ReconcileInput,
) -> ApiResult<ReconciliationPreviewView> {
    let (account, statement, ticked) = input.parse(cx.user.currency())?;
    let p = cx
        .finance
        .reconciliation_preview(&cx.user, account, statement, &ticked)
        .await?;
    Ok(ReconciliationPreviewView::new(&p, cx.user.currency()))
}

pub async fn finish_reconciliation(cx: &Cx, input: ReconcileInput) -> ApiResult<ReconciledView> {
    let (account, statement, ticked) = input.parse(cx.user.currency())?;
    cx.finance
        .finish_reconciliation(&cx.user, account, statement, &ticked)
        .await?;
    Ok(ReconciledView::new(account, &statement, cx.user.currency()))
}

pub async fn reconciliation_rows(
    cx: &Cx,
    input: ReconciliationRowsInput,
) -> ApiResult<ReconciliationRowsView> {
    let (f, user) = (&cx.finance, &cx.user);
    let account = Id::parse("accountId", &input.account_id)?;
    let through = parse_date("through", &input.through)?;
    let found = f.reconciliation_rows(user, account, through).await?;
    let names = category_names(f, user).await?;
    Ok(ReconciliationRowsView {
        rows: found
            .rows
            .iter()
            .map(|t| TransactionView::new(t, name_in(&names, t.category_id), user.currency()))
            .collect(),
        more: found.more,
    })
}
