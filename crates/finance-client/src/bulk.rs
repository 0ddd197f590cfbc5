//! Bulk edits of a selection, the filter's totals, a bulk delete and its
//! undo (`/transactions/totals`, `/transactions/bulk/…`). A delete's undo
//! token is the server's sealed one (it holds the rows, bound to the person
//! and ledger): passed back as it came.

use finance_api::ApiResult;
use finance_api::types::{
    BulkAccountInput, BulkCategoryInput, BulkDeleteInput, BulkDeleted, BulkOutcome,
    BulkSelectionInput, TransactionListInput, TransactionTotalsView, UndoBulkDeleteInput,
};
use reqwest::Method;

use crate::Session;

pub async fn transaction_totals(
    s: &Session,
    input: TransactionListInput,
) -> ApiResult<TransactionTotalsView> {
    s.call(
        s.request(Method::POST, &["transactions", "totals"])
            .json(&input),
    )
    .await
}

pub async fn bulk_set_category(s: &Session, input: BulkCategoryInput) -> ApiResult<BulkOutcome> {
    let req = s
        .request(Method::POST, &["transactions", "bulk", "category"])
        .json(&input);
    s.call(req).await
}

pub async fn bulk_move_to_account(s: &Session, input: BulkAccountInput) -> ApiResult<BulkOutcome> {
    let req = s
        .request(Method::POST, &["transactions", "bulk", "account"])
        .json(&input);
    s.call(req).await
}

pub async fn bulk_mark_cleared(s: &Session, input: BulkSelectionInput) -> ApiResult<BulkOutcome> {
    let req = s
        .request(Method::POST, &["transactions", "bulk", "cleared"])
        .json(&input);
    s.call(req).await
}

pub async fn bulk_delete(s: &Session, input: BulkDeleteInput) -> ApiResult<BulkDeleted> {
    let req = s
        .request(Method::POST, &["transactions", "bulk", "delete"])
        .json(&input);
    s.call(req).await
}

pub async fn undo_bulk_delete(s: &Session, input: UndoBulkDeleteInput) -> ApiResult<BulkOutcome> {
    let req = s
        .request(Method::POST, &["transactions", "bulk", "undo-delete"])
        .json(&input);
    s.call(req).await
}
