//! Categories: `GET/POST /categories`, `PATCH/DELETE /categories/{id}`
//! (`?moveTo=` moves the category's transactions first), and
//! `GET /categories/{id}/usage`.

use axum::Json;
use axum::http::StatusCode;
use finance_api::ops::categories;
use finance_api::types::{
    CategoryInput, CategoryUsageView, CategoryView, DeleteCategoryInput, IdInput,
    RenameCategoryInput,
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
        .routes(routes!(list_categories, add_category))
        .routes(routes!(rename_category, delete_category))
        .routes(routes!(category_usage))
}

/// A category's new name.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RenameCategoryBody {
    pub name: String,
}

/// Where a deleted category's transactions go.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DeleteCategoryQuery {
    /// Another category of the same kind to move its transactions and budgets to.
    pub move_to: Option<String>,
}

/// The user's categories.
#[utoipa::path(get, path = "/categories", tag = "categories", security(("bearer" = [])),
    responses((status = 200, description = "Every category", body = Vec<CategoryView>)))]
pub async fn list_categories(c: Caller) -> HttpResult<Json<Vec<CategoryView>>> {
    Ok(Json(categories::list_categories(&c.cx, ()).await?))
}

/// Add a category.
#[utoipa::path(post, path = "/categories", tag = "categories", security(("bearer" = [])),
    request_body = CategoryInput,
    responses((status = 201, description = "The new category", body = CategoryView)))]
pub async fn add_category(
    c: Caller,
    Body(input): Body<CategoryInput>,
) -> HttpResult<(StatusCode, Json<CategoryView>)> {
    let view = categories::add_category(&c.cx, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Rename a category.
#[utoipa::path(patch, path = "/categories/{id}", tag = "categories", security(("bearer" = [])),
    params(("id" = String, Path, description = "The category's id")),
    request_body = RenameCategoryBody,
    responses((status = 200, description = "The renamed category", body = CategoryView)))]
pub async fn rename_category(
    c: Caller,
    PathId(id): PathId<String>,
    Body(body): Body<RenameCategoryBody>,
) -> HttpResult<Json<CategoryView>> {
    let input = RenameCategoryInput {
        id,
        name: body.name,
    };
    Ok(Json(categories::rename_category(&c.cx, input).await?))
}

/// Delete a category (with `moveTo`, its transactions and budgets move there first).
#[utoipa::path(delete, path = "/categories/{id}", tag = "categories", security(("bearer" = [])),
    params(("id" = String, Path, description = "The category's id"), DeleteCategoryQuery),
    responses((status = 204, description = "Deleted")))]
pub async fn delete_category(
    c: Caller,
    PathId(id): PathId<String>,
    Params(q): Params<DeleteCategoryQuery>,
) -> HttpResult<StatusCode> {
    let input = DeleteCategoryInput {
        id,
        move_to: q.move_to,
    };
    categories::delete_category(&c.cx, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many transactions and budgets use a category.
#[utoipa::path(get, path = "/categories/{id}/usage", tag = "categories", security(("bearer" = [])),
    params(("id" = String, Path, description = "The category's id")),
    responses((status = 200, description = "The category's usage", body = CategoryUsageView)))]
pub async fn category_usage(
    c: Caller,
    PathId(id): PathId<String>,
) -> HttpResult<Json<CategoryUsageView>> {
    Ok(Json(
        categories::category_usage(&c.cx, IdInput { id }).await?,
    ))
}
