//! Transfers between the ledger's accounts (`/transfers`).

use finance_api::ApiResult;
use finance_api::types::{
    DeleteTransferInput, IdInput, TransferInput, TransferView, UpdateTransferInput,
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
