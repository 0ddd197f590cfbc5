//! Budgets: `GET/POST /budgets` (`?date=` picks the period shown),
//! `PUT/DELETE /budgets/{id}`.

use axum::Json;
use axum::http::StatusCode;
use finance_api::ops::budgets;
use finance_api::types::{BudgetInput, BudgetListInput, BudgetView, IdInput, UpdateBudgetInput};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller, Params, PathId};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_budgets, add_budget))
        .routes(routes!(update_budget, delete_budget))
}

/// Which period the list shows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetListQuery {
    /// A day (YYYY-MM-DD): each budget's period containing it (default: the server's today).
    pub date: Option<String>,
}

/// Each budget's status in its period containing `date` (today when absent).
#[utoipa::path(get, path = "/budgets", tag = "budgets", security(("bearer" = [])),
    params(BudgetListQuery),
    responses((status = 200, description = "The budgets", body = Vec<BudgetView>)))]
pub async fn list_budgets(
    c: Caller,
    Params(q): Params<BudgetListQuery>,
) -> HttpResult<Json<Vec<BudgetView>>> {
    let input = BudgetListInput { date: q.date };
    Ok(Json(budgets::list_budgets(&c.cx, input).await?))
}

/// Add a budget.
#[utoipa::path(post, path = "/budgets", tag = "budgets", security(("bearer" = [])),
    request_body = BudgetInput,
    responses((status = 201, description = "The new budget", body = BudgetView)))]
pub async fn add_budget(
    c: Caller,
    Body(input): Body<BudgetInput>,
) -> HttpResult<(StatusCode, Json<BudgetView>)> {
    let view = budgets::add_budget(&c.cx, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replace a budget's fields.
#[utoipa::path(put, path = "/budgets/{id}", tag = "budgets", security(("bearer" = [])),
    params(("id" = String, Path, description = "The budget's id")),
    request_body = BudgetInput,
    responses((status = 200, description = "The budget", body = BudgetView)))]
pub async fn update_budget(
    c: Caller,
    PathId(id): PathId<String>,
    Body(budget): Body<BudgetInput>,
) -> HttpResult<Json<BudgetView>> {
    let input = UpdateBudgetInput { id, budget };
    Ok(Json(budgets::update_budget(&c.cx, input).await?))
}

/// Delete a budget.
#[utoipa::path(delete, path = "/budgets/{id}", tag = "budgets", security(("bearer" = [])),
    params(("id" = String, Path, description = "The budget's id")),
    responses((status = 204, description = "Deleted")))]
pub async fn delete_budget(c: Caller, PathId(id): PathId<String>) -> HttpResult<StatusCode> {
    budgets::delete_budget(&c.cx, IdInput { id }).await?;
    Ok(StatusCode::NO_CONTENT)
}
