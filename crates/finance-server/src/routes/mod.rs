//! The REST routes under `/api/v1`, one module per area. Each handler takes a
//! [`Caller`](crate::extract::Caller) (except health and the sign-up/sign-in
//! pair), turns the path, query and body into the finance-api input, calls
//! the finance-api body and answers its view.
//!
//! Invariants: a handler's name is the desktop command it serves (it becomes
//! the OpenAPI `operationId`, which the contract scan checks); a handler holds
//! no logic beyond shaping the input (rules live in the core, bodies in
//! finance-api); collections answer `GET`/`POST` (201 with the created item),
//! items `GET`/`PATCH`/`DELETE` under `/{id}`.

pub mod accounts;
pub mod auth;
pub mod backup;
pub mod budgets;
pub mod bulk;
pub mod categories;
pub mod exports;
pub mod imports;
pub mod members;
pub mod register;
pub mod reports;
pub mod rules;
pub mod schedules;
pub mod transactions;
pub mod transfers;

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Every route of the API (paths relative to `/api/v1`).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .merge(auth::router())
        .merge(accounts::router())
        .merge(categories::router())
        .merge(budgets::router())
        .merge(transactions::router())
        .merge(transfers::router())
        .merge(reports::router())
        .merge(members::router())
        .merge(imports::router())
        .merge(exports::router())
        .merge(backup::router())
        .merge(register::router())
        .merge(schedules::router())
        .merge(rules::router())
        .merge(bulk::router())
}

/// The server is up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthView {
    /// Always `ok`.
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// Whether the server answers (no store call, no authentication).
#[utoipa::path(get, path = "/health", tag = "server",
    responses((status = 200, description = "The server is up", body = HealthView)))]
pub async fn health() -> Json<HealthView> {
    Json(HealthView {
        status: "ok".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}
