//! Transfers, cleared status and reconciliation.

use chrono::Utc;
use finance_core::Id;
use finance_core::domain::TransferDraft;
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::types::{
    ConvertToTransferInput, DeleteTransferInput, IdInput, ReconcileInput, ReconciledView,
    ReconciliationPreviewView, ReconciliationRowsInput, ReconciliationRowsView, SetClearedInput,
    TransactionView, TransferInput, TransferView, UpdateTransferInput, idempotency_key, ids,
};

#[tauri::command]
pub async fn get_transfer(state: State<'_, AppState>, input: IdInput) -> ApiResult<TransferView> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    let t = f.transfer(&user, id).await?;
    Ok(TransferView::new(&t, user.currency()))
}

#[tauri::command]
pub async fn add_transfer(
    state: State<'_, AppState>,
    input: TransferInput,
) -> ApiResult<TransferView> {
    let (f, user) = state.session(Utc::now()).await?;
    let new = TransferDraft::from(input.fields).validate(user.currency())?;
    let t = match idempotency_key(input.idempotency_key.as_deref())? {
        Some(key) => {
            f.add_transfer_with_key(&user, new, &key, Utc::now())
                .await?
        }
        None => f.add_transfer(&user, new, Utc::now()).await?,
    };
    Ok(TransferView::new(&t, user.currency()))
}

#[tauri::command]
pub async fn update_transfer(
    state: State<'_, AppState>,
    input: UpdateTransferInput,
) -> ApiResult<TransferView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let change = TransferDraft::from(input.fields).validate(user.currency())?;
    let t = f
        .update_transfer(&user, id, change, input.confirm_reconciled, Utc::now())
        .await?;
    Ok(TransferView::new(&t, user.currency()))
}

/// Deletes both legs and returns the transfer as it was (for undo).
#[tauri::command]
pub async fn delete_transfer(
    state: State<'_, AppState>,
    input: DeleteTransferInput,
) -> ApiResult<TransferView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let t = f.transfer(&user, id).await?;
    f.delete_transfer(&user, id, input.confirm_reconciled)
        .await?;
    Ok(TransferView::new(&t, user.currency()))
}

#[tauri::command]
pub async fn convert_to_transfer(
    state: State<'_, AppState>,
    input: ConvertToTransferInput,
) -> ApiResult<TransferView> {
    let id = Id::parse("id", &input.id)?;
    let other = Id::parse("otherAccountId", &input.other_account_id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let t = f
        .convert_to_transfer(&user, id, other, input.confirm_reconciled, Utc::now())
        .await?;
    Ok(TransferView::new(&t, user.currency()))
}

/// How many rows changed.
#[tauri::command]
pub async fn set_cleared(state: State<'_, AppState>, input: SetClearedInput) -> ApiResult<u32> {
    let account = Id::parse("accountId", &input.account_id)?;
    let rows = ids("ids", &input.ids)?;
    let (f, user) = state.session(Utc::now()).await?;
    let changed = f.set_cleared(&user, account, &rows, input.cleared).await?;
    Ok(finance_api::types::count32(changed))
}

#[tauri::command]
pub async fn reconciliation_preview(
    state: State<'_, AppState>,
    input: ReconcileInput,
) -> ApiResult<ReconciliationPreviewView> {
    let (f, user) = state.session(Utc::now()).await?;
    let (account, statement, ticked) = input.parse(user.currency())?;
    let p = f
        .reconciliation_preview(&user, account, statement, &ticked)
        .await?;
    Ok(ReconciliationPreviewView::new(&p, user.currency()))
}

#[tauri::command]
pub async fn finish_reconciliation(
    state: State<'_, AppState>,
    input: ReconcileInput,
) -> ApiResult<ReconciledView> {
    let (f, user) = state.session(Utc::now()).await?;
    let (account, statement, ticked) = input.parse(user.currency())?;
    f.finish_reconciliation(&user, account, statement, &ticked)
        .await?;
    Ok(ReconciledView::new(account, &statement, user.currency()))
}

#[tauri::command]
pub async fn reconciliation_rows(
    state: State<'_, AppState>,
    input: ReconciliationRowsInput,
) -> ApiResult<ReconciliationRowsView> {
    let account = Id::parse("accountId", &input.account_id)?;
    let through = finance_core::domain::date::parse_date("through", &input.through)?;
    let (f, user) = state.session(Utc::now()).await?;
    let found = f.reconciliation_rows(&user, account, through).await?;
    let names = finance_api::ops::categories::category_names(&f, &user).await?;
    Ok(ReconciliationRowsView {
        rows: found
            .rows
            .iter()
            .map(|t| {
                TransactionView::new(
                    t,
                    finance_api::ops::categories::name_in(&names, t.category_id),
                    user.currency(),
                )
            })
            .collect(),
        more: found.more,
    })
}
