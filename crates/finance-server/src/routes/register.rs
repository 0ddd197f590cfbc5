//! An account's register and its reconciliation:
//! `GET /accounts/{id}/register` (the page inputs in the query; keyset cursor
//! as in the transaction list), `PUT /accounts/{id}/cleared` (rows of the
//! account cleared or back to uncleared), `GET /accounts/{id}/reconciliation/rows`,
//! `POST /accounts/{id}/reconciliation/preview` and `POST /accounts/{id}/reconciliation`
//! (finish), and `POST /transactions/{id}/convert-to-transfer`.

use axum::Json;
use finance_api::ops::{register, transfers};
use finance_api::types::{
    AccountRegisterInput, AccountRegisterPage, ConvertToTransferInput, ReconcileInput,
    ReconciledView, ReconciliationPreviewView, ReconciliationRowsInput, ReconciliationRowsView,
    RegisterSortView, SetClearedInput, TransferView,
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
        .routes(routes!(account_register))
        .routes(routes!(set_cleared))
        .routes(routes!(reconciliation_rows))
        .routes(routes!(reconciliation_preview))
        .routes(routes!(finish_reconciliation))
        .routes(routes!(convert_to_transfer))
}

/// A register page: dates, order, size and cursor.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// First date (`YYYY-MM-DD`), inclusive.
    pub from: Option<String>,
    /// Last date (`YYYY-MM-DD`), inclusive.
    pub to: Option<String>,
    /// `date_desc` (default) or `date_asc`.
    pub sort: Option<RegisterSortView>,
    /// Rows per page (at most the core's page cap).
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// Rows to mark cleared (or back to uncleared).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClearedBody {
    /// Rows of this account.
    pub ids: Vec<String>,
    pub cleared: bool,
}

/// The statement date the reconcile dialog lists rows through.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ReconciliationRowsQuery {
    /// The statement date (`YYYY-MM-DD`).
    pub through: String,
}

/// The statement and the ticked rows.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReconcileBody {
    /// `YYYY-MM-DD`.
    pub statement_date: String,
    /// The statement's ending balance (signed decimal).
    pub statement_balance: String,
    /// The rows ticked in the dialog.
    pub ticked: Vec<String>,
}

impl ReconcileBody {
    fn input(self, account_id: String) -> ReconcileInput {
        ReconcileInput {
            account_id,
            statement_date: self.statement_date,
            statement_balance: self.statement_balance,
            ticked: self.ticked,
        }
    }
}

/// The other account of the transfer an income or expense row becomes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConvertBody {
    pub other_account_id: String,
    /// The user confirmed changing a reconciled row (else `conflict` on `status`).
    #[serde(default)]
    pub confirm_reconciled: bool,
}

/// A page of one account's rows in date order, each with the balance just after it.
#[utoipa::path(get, path = "/accounts/{id}/register", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), RegisterQuery),
    responses((status = 200, description = "A page of the register", body = AccountRegisterPage)))]
pub async fn account_register(
    c: Caller,
    PathId(account_id): PathId<String>,
    Params(q): Params<RegisterQuery>,
) -> HttpResult<Json<AccountRegisterPage>> {
    let input = AccountRegisterInput {
        account_id,
        from: q.from,
        to: q.to,
        sort: q.sort,
        limit: q.limit,
        cursor: q.cursor,
    };
    Ok(Json(register::account_register(&c.cx, input).await?))
}

/// Mark rows of the account cleared (or back to uncleared); answers how many changed.
#[utoipa::path(put, path = "/accounts/{id}/cleared", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    request_body = ClearedBody,
    responses((status = 200, description = "How many rows changed", body = u32, content_type = "application/json")))]
pub async fn set_cleared(
    c: Caller,
    PathId(account_id): PathId<String>,
    Body(body): Body<ClearedBody>,
) -> HttpResult<Json<u32>> {
    let input = SetClearedInput {
        account_id,
        ids: body.ids,
        cleared: body.cleared,
    };
    Ok(Json(transfers::set_cleared(&c.cx, input).await?))
}

/// The account's rows not reconciled yet through the statement date, oldest first.
#[utoipa::path(get, path = "/accounts/{id}/reconciliation/rows", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), ReconciliationRowsQuery),
    responses((status = 200, description = "The rows to reconcile", body = ReconciliationRowsView)))]
pub async fn reconciliation_rows(
    c: Caller,
    PathId(account_id): PathId<String>,
    Params(q): Params<ReconciliationRowsQuery>,
) -> HttpResult<Json<ReconciliationRowsView>> {
    let input = ReconciliationRowsInput {
        account_id,
        through: q.through,
    };
    Ok(Json(transfers::reconciliation_rows(&c.cx, input).await?))
}

/// Where a reconciliation stands with these ticks (writes nothing).
#[utoipa::path(post, path = "/accounts/{id}/reconciliation/preview", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    request_body = ReconcileBody,
    responses((status = 200, description = "The dialog's figures", body = ReconciliationPreviewView)))]
pub async fn reconciliation_preview(
    c: Caller,
    PathId(account_id): PathId<String>,
    Body(body): Body<ReconcileBody>,
) -> HttpResult<Json<ReconciliationPreviewView>> {
    Ok(Json(
        transfers::reconciliation_preview(&c.cx, body.input(account_id)).await?,
    ))
}

/// Finish a balanced reconciliation: the ticked rows become reconciled.
#[utoipa::path(post, path = "/accounts/{id}/reconciliation", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    request_body = ReconcileBody,
    responses((status = 200, description = "The account's last reconciliation", body = ReconciledView)))]
pub async fn finish_reconciliation(
    c: Caller,
    PathId(account_id): PathId<String>,
    Body(body): Body<ReconcileBody>,
) -> HttpResult<Json<ReconciledView>> {
    Ok(Json(
        transfers::finish_reconciliation(&c.cx, body.input(account_id)).await?,
    ))
}

/// Turn an income or expense row into a transfer with another of the user's accounts.
#[utoipa::path(post, path = "/transactions/{id}/convert-to-transfer", tag = "transfers", security(("bearer" = [])),
    params(("id" = String, Path, description = "The income or expense row's id")),
    request_body = ConvertBody,
    responses((status = 200, description = "The transfer it became", body = TransferView)))]
pub async fn convert_to_transfer(
    c: Caller,
    PathId(id): PathId<String>,
    Body(body): Body<ConvertBody>,
) -> HttpResult<Json<TransferView>> {
    let input = ConvertToTransferInput {
        id,
        other_account_id: body.other_account_id,
        confirm_reconciled: body.confirm_reconciled,
    };
    Ok(Json(transfers::convert_to_transfer(&c.cx, input).await?))
}
