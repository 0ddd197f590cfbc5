//! Transfers between two of the user's accounts: `POST /transfers`,
//! `GET/PUT/DELETE /transfers/{id}` (`confirmReconciled` to change a
//! reconciled leg).

use axum::Json;
use axum::http::StatusCode;
use finance_api::ops::transfers;
use finance_api::types::{
    DeleteTransferInput, IdInput, TransferFields, TransferInput, TransferView, UpdateTransferInput,
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
        .routes(routes!(add_transfer))
        .routes(routes!(get_transfer, update_transfer, delete_transfer))
}

/// A transfer's new fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTransferBody {
    #[serde(flatten)]
    pub fields: TransferFields,
    /// The user confirmed changing a reconciled leg (else `conflict` on `status`).
    #[serde(default)]
    pub confirm_reconciled: bool,
}

/// Confirmation to delete a reconciled leg.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DeleteTransferQuery {
    /// The user confirmed deleting a reconciled leg (else `conflict` on `status`).
    pub confirm_reconciled: Option<bool>,
}

/// Move money between two of the user's accounts (never income or expense).
#[utoipa::path(post, path = "/transfers", tag = "transfers", security(("bearer" = [])),
    request_body = TransferInput,
    responses((status = 201, description = "The new transfer", body = TransferView)))]
pub async fn add_transfer(
    c: Caller,
    Body(input): Body<TransferInput>,
) -> HttpResult<(StatusCode, Json<TransferView>)> {
    let view = transfers::add_transfer(&c.cx, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// One transfer (both legs).
#[utoipa::path(get, path = "/transfers/{id}", tag = "transfers", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transfer's id")),
    responses((status = 200, description = "The transfer", body = TransferView)))]
pub async fn get_transfer(c: Caller, PathId(id): PathId<String>) -> HttpResult<Json<TransferView>> {
    Ok(Json(transfers::get_transfer(&c.cx, IdInput { id }).await?))
}

/// Replace a transfer's fields.
#[utoipa::path(put, path = "/transfers/{id}", tag = "transfers", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transfer's id")),
    request_body = UpdateTransferBody,
    responses((status = 200, description = "The transfer", body = TransferView)))]
pub async fn update_transfer(
    c: Caller,
    PathId(id): PathId<String>,
    Body(body): Body<UpdateTransferBody>,
) -> HttpResult<Json<TransferView>> {
    let input = UpdateTransferInput {
        id,
        fields: body.fields,
        confirm_reconciled: body.confirm_reconciled,
    };
    Ok(Json(transfers::update_transfer(&c.cx, input).await?))
}

/// Delete both legs; answers the transfer as it was.
#[utoipa::path(delete, path = "/transfers/{id}", tag = "transfers", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transfer's id"), DeleteTransferQuery),
    responses((status = 200, description = "The deleted transfer", body = TransferView)))]
pub async fn delete_transfer(
    c: Caller,
    PathId(id): PathId<String>,
    Params(q): Params<DeleteTransferQuery>,
) -> HttpResult<Json<TransferView>> {
    let input = DeleteTransferInput {
        id,
        confirm_reconciled: q.confirm_reconciled.unwrap_or(false),
    };
    Ok(Json(transfers::delete_transfer(&c.cx, input).await?))
}
