//! The CSV export over HTTP: `POST /transactions/export` takes the list's
//! search body (its filters; the page size and cursor are checked as the
//! list checks them, then ignored, as is the sort) and answers
//! the desktop's export file, `text/csv`, streamed as the core writes it.
//!
//! Invariants: the export never sits whole in memory (the core writes page
//! by page into [`crate::files::stream_writer`], which waits for the
//! client); a bad filter or another's account is an error answer before any
//! byte.

use axum::response::Response;
use finance_api::types::TransactionListInput;
use finance_core::Error;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller};
use crate::files::stream_writer;
use crate::routes::imports::csv_answer;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_transactions_csv))
}

/// The caller's transactions matching the filter as CSV (the desktop's export format), oldest first, streamed.
#[utoipa::path(post, path = "/transactions/export", tag = "transactions", security(("bearer" = [])),
    request_body = TransactionListInput,
    responses((status = 200, description = "The transactions as CSV", content_type = "text/csv", body = String)))]
pub async fn export_transactions_csv(
    c: Caller,
    Body(input): Body<TransactionListInput>,
) -> HttpResult<Response> {
    let filter = input.list_filter(c.cx.user.currency())?;
    let body = stream_writer(move |mut out| async move {
        c.cx.finance
            .export_csv(&c.cx.user, filter, &mut out)
            .await?;
        std::io::Write::flush(&mut out).map_err(|e| Error::internal("send the export", e))
    })
    .await?;
    Ok(csv_answer(body, "transactions.csv"))
}
