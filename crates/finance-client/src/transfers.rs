//! Transfers between the ledger's accounts (`/transfers`), converting a row
//! into one, cleared status and reconciling an account to a statement.

use finance_api::ApiResult;
use finance_api::types::{
    ConvertToTransferInput, DeleteTransferInput, IdInput, ReconcileInput, ReconciledView,
    ReconciliationPreviewView, ReconciliationRowsInput, ReconciliationRowsView, SetClearedInput,
    TransferInput, TransferView, UpdateTransferInput,
};
use reqwest::Method;

use crate::Session;

pub async fn get_transfer(s: &Session, input: IdInput) -> ApiResult<TransferView> {
    s.call(s.request(Method::GET, &["transfers", &input.id]))
        .await
}

pub async fn add_transfer(s: &Session, input: TransferInput) -> ApiResult<TransferView> {
    s.call(s.request(Method::POST, &["transfers"]).json(&input))
        .await
}

/// The body is the input itself: its `id` travels in the path.
pub async fn update_transfer(s: &Session, input: UpdateTransferInput) -> ApiResult<TransferView> {
    let req = s
        .request(Method::PUT, &["transfers", &input.id])
        .json(&input);
    s.call(req).await
}

pub async fn delete_transfer(s: &Session, input: DeleteTransferInput) -> ApiResult<TransferView> {
    let req = s
        .request(Method::DELETE, &["transfers", &input.id])
        .query(&[("confirmReconciled", input.confirm_reconciled)]);
    s.call(req).await
}

pub async fn convert_to_transfer(
    s: &Session,
    input: ConvertToTransferInput,
) -> ApiResult<TransferView> {
    let req = s
        .request(
            Method::POST,
            &["transactions", &input.id, "convert-to-transfer"],
        )
        .json(&input);
    s.call(req).await
}

/// Cleared or not, for rows of one account; answers how many changed.
pub async fn set_cleared(s: &Session, input: SetClearedInput) -> ApiResult<u32> {
    let req = s
        .request(Method::PUT, &["accounts", &input.account_id, "cleared"])
        .json(&input);
    s.call(req).await
}

pub async fn reconciliation_rows(
    s: &Session,
    input: ReconciliationRowsInput,
) -> ApiResult<ReconciliationRowsView> {
    let req = s
        .request(
            Method::GET,
            &["accounts", &input.account_id, "reconciliation", "rows"],
        )
        .query(&[("through", &input.through)]);
    s.call(req).await
}

pub async fn reconciliation_preview(
    s: &Session,
    input: ReconcileInput,
) -> ApiResult<ReconciliationPreviewView> {
    let req = s
        .request(
            Method::POST,
            &["accounts", &input.account_id, "reconciliation", "preview"],
        )
        .json(&input);
    s.call(req).await
}

pub async fn finish_reconciliation(
    s: &Session,
    input: ReconcileInput,
) -> ApiResult<ReconciledView> {
    let req = s
        .request(
            Method::POST,
            &["accounts", &input.account_id, "reconciliation"],
        )
        .json(&input);
    s.call(req).await
}
