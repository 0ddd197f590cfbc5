//! Transactions (`/transactions`): the list's search (filters and keyset
//! cursor in the body), one row, writes.

use finance_api::ApiResult;
use finance_api::types::{
    DeleteTransactionInput, IdInput, TransactionInput, TransactionListInput, TransactionPage,
    TransactionView, UpdateTransactionInput,
};
use reqwest::Method;

use crate::Session;

pub async fn list_transactions(
    s: &Session,
    input: TransactionListInput,
) -> ApiResult<TransactionPage> {
    s.call(
        s.request(Method::POST, &["transactions", "search"])
            .json(&input),
    )
    .await
}

pub async fn get_transaction(s: &Session, input: IdInput) -> ApiResult<TransactionView> {
    s.call(s.request(Method::GET, &["transactions", &input.id]))
        .await
}

pub async fn add_transaction(s: &Session, input: TransactionInput) -> ApiResult<TransactionView> {
    s.call(s.request(Method::POST, &["transactions"]).json(&input))
        .await
}

/// The body is the input itself: its `id` travels in the path (the server
/// reads the fields and `confirmReconciled`).
pub async fn update_transaction(
    s: &Session,
    input: UpdateTransactionInput,
) -> ApiResult<TransactionView> {
    let req = s
        .request(Method::PUT, &["transactions", &input.id])
        .json(&input);
    s.call(req).await
}

pub async fn delete_transaction(
    s: &Session,
    input: DeleteTransactionInput,
) -> ApiResult<TransactionView> {
    let mut req = s.request(Method::DELETE, &["transactions", &input.id]);
    if let Some(confirm) = input.confirm_reconciled {
        req = req.query(&[("confirmReconciled", confirm)]);
    }
    s.call(req).await
}
