//! Accounts: `GET/POST /accounts`, `PUT/DELETE /accounts/{id}`,
//! `PUT /accounts/{id}/archived`, `GET /accounts/{id}/usage`. Every write
//! answers the whole list with balances and totals (net worth depends on
//! every account), as the desktop's does.

use axum::Json;
use axum::http::StatusCode;
use finance_api::ops::accounts;
use finance_api::types::{
    AccountInput, AccountUsageView, AccountsView, ArchiveAccountInput, IdInput, RemoveAccountInput,
    UpdateAccountInput,
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
        .routes(routes!(list_accounts, add_account))
        .routes(routes!(update_account, remove_account))
        .routes(routes!(set_account_archived))
        .routes(routes!(account_usage))
}

/// Archived or not.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ArchivedBody {
    pub archived: bool,
}

/// What happens to a deleted account's transactions.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RemoveAccountQuery {
    /// Another account to move the transactions to first.
    pub move_to: Option<String>,
    /// Delete the transactions (and both legs of its transfers) instead; not with `moveTo`.
    pub delete_transactions: Option<bool>,
}

/// Every account (archived ones too) with its balance, and the totals.
#[utoipa::path(get, path = "/accounts", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, description = "The accounts and totals", body = AccountsView)))]
pub async fn list_accounts(c: Caller) -> HttpResult<Json<AccountsView>> {
    Ok(Json(accounts::list_accounts(&c.cx, ()).await?))
}

/// Add an account; answers the list after the write.
#[utoipa::path(post, path = "/accounts", tag = "accounts", security(("bearer" = [])),
    request_body = AccountInput,
    responses((status = 201, description = "The accounts after the write", body = AccountsView)))]
pub async fn add_account(
    c: Caller,
    Body(input): Body<AccountInput>,
) -> HttpResult<(StatusCode, Json<AccountsView>)> {
    let view = accounts::add_account(&c.cx, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replace an account's fields; answers the list after the write.
#[utoipa::path(put, path = "/accounts/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    request_body = AccountInput,
    responses((status = 200, description = "The accounts after the write", body = AccountsView)))]
pub async fn update_account(
    c: Caller,
    PathId(id): PathId<String>,
    Body(fields): Body<AccountInput>,
) -> HttpResult<Json<AccountsView>> {
    let input = UpdateAccountInput { id, fields };
    Ok(Json(accounts::update_account(&c.cx, input).await?))
}

/// Archive or restore an account; answers the list after the write.
#[utoipa::path(put, path = "/accounts/{id}/archived", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    request_body = ArchivedBody,
    responses((status = 200, description = "The accounts after the write", body = AccountsView)))]
pub async fn set_account_archived(
    c: Caller,
    PathId(id): PathId<String>,
    Body(body): Body<ArchivedBody>,
) -> HttpResult<Json<AccountsView>> {
    let input = ArchiveAccountInput {
        id,
        archived: body.archived,
    };
    Ok(Json(accounts::set_account_archived(&c.cx, input).await?))
}

/// What uses an account (before a delete).
#[utoipa::path(get, path = "/accounts/{id}/usage", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id")),
    responses((status = 200, description = "The account's usage", body = AccountUsageView)))]
pub async fn account_usage(
    c: Caller,
    PathId(id): PathId<String>,
) -> HttpResult<Json<AccountUsageView>> {
    Ok(Json(accounts::account_usage(&c.cx, IdInput { id }).await?))
}

/// Delete an account (`moveTo` moves its transactions first; `deleteTransactions` deletes them).
#[utoipa::path(delete, path = "/accounts/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), RemoveAccountQuery),
    responses((status = 200, description = "The accounts after the write", body = AccountsView)))]
pub async fn remove_account(
    c: Caller,
    PathId(id): PathId<String>,
    Params(q): Params<RemoveAccountQuery>,
) -> HttpResult<Json<AccountsView>> {
    let input = RemoveAccountInput {
        id,
        move_to: q.move_to,
        delete_transactions: q.delete_transactions,
    };
    Ok(Json(accounts::remove_account(&c.cx, input).await?))
}
