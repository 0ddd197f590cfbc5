//! Bulk edits and the list's totals: `POST /transactions/totals` (the search
//! body), `POST /transactions/bulk/category`, `/bulk/account`, `/bulk/cleared`,
//! `/bulk/delete` and `/bulk/undo-delete`. A selection is explicit ids or the
//! list's own filter.
//!
//! A bulk delete answers an undo token that holds the deleted rows, sealed
//! ([`crate::undo`]): the server keeps nothing between the delete and its
//! undo, so any server sharing the signing secret can undo it.

use axum::Json;
use axum::extract::State;
use finance_api::ops::bulk;
use finance_api::types::{
    BulkAccountInput, BulkCategoryInput, BulkDeleteInput, BulkDeleted, BulkOutcome,
    BulkSelectionInput, TransactionListInput, TransactionTotalsView, UndoBulkDeleteInput, count32,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller};
use crate::state::AppState;
use crate::undo::Owner;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(transaction_totals))
        .routes(routes!(bulk_set_category))
        .routes(routes!(bulk_move_to_account))
        .routes(routes!(bulk_mark_cleared))
        .routes(routes!(bulk_delete))
        .routes(routes!(undo_bulk_delete))
}

/// Income, expense, net and count of every row the filter shows (paging ignored).
#[utoipa::path(post, path = "/transactions/totals", tag = "bulk", security(("bearer" = [])),
    request_body = TransactionListInput,
    responses((status = 200, description = "The filter's totals", body = TransactionTotalsView)))]
pub async fn transaction_totals(
    c: Caller,
    Body(input): Body<TransactionListInput>,
) -> HttpResult<Json<TransactionTotalsView>> {
    Ok(Json(bulk::transaction_totals(&c.cx, input).await?))
}

/// Put the selection in one category (transfer legs are left alone).
#[utoipa::path(post, path = "/transactions/bulk/category", tag = "bulk", security(("bearer" = [])),
    request_body = BulkCategoryInput,
    responses((status = 200, description = "How many rows changed", body = BulkOutcome)))]
pub async fn bulk_set_category(
    c: Caller,
    Body(input): Body<BulkCategoryInput>,
) -> HttpResult<Json<BulkOutcome>> {
    Ok(Json(bulk::bulk_set_category(&c.cx, input).await?))
}

/// Move the selection to one account.
#[utoipa::path(post, path = "/transactions/bulk/account", tag = "bulk", security(("bearer" = [])),
    request_body = BulkAccountInput,
    responses((status = 200, description = "How many rows changed", body = BulkOutcome)))]
pub async fn bulk_move_to_account(
    c: Caller,
    Body(input): Body<BulkAccountInput>,
) -> HttpResult<Json<BulkOutcome>> {
    Ok(Json(bulk::bulk_move_to_account(&c.cx, input).await?))
}

/// Mark the selection cleared (reconciled rows stay reconciled).
#[utoipa::path(post, path = "/transactions/bulk/cleared", tag = "bulk", security(("bearer" = [])),
    request_body = BulkSelectionInput,
    responses((status = 200, description = "How many rows changed", body = BulkOutcome)))]
pub async fn bulk_mark_cleared(
    c: Caller,
    Body(input): Body<BulkSelectionInput>,
) -> HttpResult<Json<BulkOutcome>> {
    Ok(Json(bulk::bulk_mark_cleared(&c.cx, input).await?))
}

/// Delete the selection (both legs of each transfer). Answers the count and an
/// undo token holding the rows, sealed to this person and ledger for 15 minutes;
/// null when nothing was deleted or past 2,000 rows (no undo then).
#[utoipa::path(post, path = "/transactions/bulk/delete", tag = "bulk", security(("bearer" = [])),
    request_body = BulkDeleteInput,
    responses((status = 200, description = "How many rows were deleted, and the undo token", body = BulkDeleted)))]
pub async fn bulk_delete(
    State(state): State<AppState>,
    c: Caller,
    Body(input): Body<BulkDeleteInput>,
) -> HttpResult<Json<BulkDeleted>> {
    let rows = bulk::delete_selection(&c.cx, &input).await?;
    let undo_token = state.undo.seal(Owner::of(&c.cx.user), &rows, c.cx.now);
    Ok(Json(BulkDeleted {
        deleted: count32(rows.len()),
        undo_token,
    }))
}

/// Put back exactly the rows a bulk delete removed (once per idempotency key).
#[utoipa::path(post, path = "/transactions/bulk/undo-delete", tag = "bulk", security(("bearer" = [])),
    request_body = UndoBulkDeleteInput,
    responses((status = 200, description = "How many rows came back", body = BulkOutcome)))]
pub async fn undo_bulk_delete(
    State(state): State<AppState>,
    c: Caller,
    Body(input): Body<UndoBulkDeleteInput>,
) -> HttpResult<Json<BulkOutcome>> {
    let key = bulk::undo_key(&input.idempotency_key)?;
    let rows = state
        .undo
        .open(Owner::of(&c.cx.user), &input.undo_token, c.cx.now)?;
    Ok(Json(bulk::restore_deleted(&c.cx, &rows, &key).await?))
}
