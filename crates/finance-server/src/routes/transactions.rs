//! Transactions: `POST /transactions/search` (the list's filters, sort and
//! keyset cursor in the body, as the desktop sends them; `limit` at most the
//! core's page cap), `POST /transactions`, `GET/PUT/DELETE /transactions/{id}`
//! (`confirmReconciled` to change a reconciled row).

use axum::Json;
use axum::http::StatusCode;
use finance_api::ops::transactions;
use finance_api::types::{
    DeleteTransactionInput, IdInput, TransactionFields, TransactionInput, TransactionListInput,
    TransactionPage, TransactionView, UpdateTransactionInput,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller, Params, PathId};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_transactions))
        .routes(routes!(add_transaction))
        .routes(routes!(
            get_transaction,
            update_transaction,
            delete_transaction
        ))
}

/// A transaction's new fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTransactionBody {
    #[serde(flatten)]
    pub fields: TransactionFields,
    /// The user confirmed changing a reconciled row (else `conflict` on `status`).
    #[serde(default)]
    pub confirm_reconciled: Option<bool>,
}

/// Confirmation to delete a reconciled row.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DeleteTransactionQuery {
    /// The user confirmed deleting a reconciled row (else `conflict` on `status`).
    pub confirm_reconciled: Option<bool>,
}

/// One page of the user's transactions matching the filter (keyset cursor: `cursor` from the previous page's `nextCursor`).
#[utoipa::path(post, path = "/transactions/search", tag = "transactions", security(("bearer" = [])),
    request_body = TransactionListInput,
    responses((status = 200, description = "A page of transactions", body = TransactionPage)))]
pub async fn list_transactions(
    c: Caller,
    Body(input): Body<TransactionListInput>,
) -> HttpResult<Json<TransactionPage>> {
    Ok(Json(transactions::list_transactions(&c.cx, input).await?))
}

/// Add a transaction (`idempotencyKey`: a retry adds it at most once).
#[utoipa::path(post, path = "/transactions", tag = "transactions", security(("bearer" = [])),
    request_body = TransactionInput,
    responses((status = 201, description = "The new transaction", body = TransactionView)))]
pub async fn add_transaction(
    c: Caller,
    Body(input): Body<TransactionInput>,
) -> HttpResult<(StatusCode, Json<TransactionView>)> {
    let view = transactions::add_transaction(&c.cx, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One transaction.
#[utoipa::path(get, path = "/transactions/{id}", tag = "transactions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transaction's id")),
    responses((status = 200, description = "The transaction", body = TransactionView)))]
pub async fn get_transaction(
    c: Caller,
    PathId(id): PathId<String>,
) -> HttpResult<Json<TransactionView>> {
    Ok(Json(
        transactions::get_transaction(&c.cx, IdInput { id }).await?,
    ))
}

/// Replace a transaction's fields.
#[utoipa::path(put, path = "/transactions/{id}", tag = "transactions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transaction's id")),
    request_body = UpdateTransactionBody,
    responses((status = 200, description = "The transaction", body = TransactionView)))]
pub async fn update_transaction(
    c: Caller,
    PathId(id): PathId<String>,
    Body(body): Body<UpdateTransactionBody>,
) -> HttpResult<Json<TransactionView>> {
    let input = UpdateTransactionInput {
        id,
        fields: body.fields,
        confirm_reconciled: body.confirm_reconciled,
    };
    Ok(Json(transactions::update_transaction(&c.cx, input).await?))
}

/// Delete a transaction (a transfer's leg deletes the transfer); answers it as it was.
#[utoipa::path(delete, path = "/transactions/{id}", tag = "transactions", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transaction's id"), DeleteTransactionQuery),
    responses((status = 200, description = "The deleted transaction", body = TransactionView)))]
pub async fn delete_transaction(
    c: Caller,
    PathId(id): PathId<String>,
    Params(q): Params<DeleteTransactionQuery>,
) -> HttpResult<Json<TransactionView>> {
    let input = DeleteTransactionInput {
        id,
        confirm_reconciled: q.confirm_reconciled,
    };
    Ok(Json(transactions::delete_transaction(&c.cx, input).await?))
}
