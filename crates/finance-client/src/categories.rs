//! Categories (`/categories`).

use finance_api::ApiResult;
use finance_api::types::{
    CategoryInput, CategoryUsageView, CategoryView, DeleteCategoryInput, IdInput,
    RenameCategoryInput,
};
use reqwest::Method;
use serde_json::json;

use crate::Session;

pub async fn list_categories(s: &Session, _: ()) -> ApiResult<Vec<CategoryView>> {
    s.call(s.request(Method::GET, &["categories"])).await
}

pub async fn add_category(s: &Session, input: CategoryInput) -> ApiResult<CategoryView> {
    s.call(s.request(Method::POST, &["categories"]).json(&input))
        .await
}

pub async fn rename_category(s: &Session, input: RenameCategoryInput) -> ApiResult<CategoryView> {
    let req = s
        .request(Method::PATCH, &["categories", &input.id])
        .json(&json!({ "name": input.name }));
    s.call(req).await
}

pub async fn category_usage(s: &Session, input: IdInput) -> ApiResult<CategoryUsageView> {
    s.call(s.request(Method::GET, &["categories", &input.id, "usage"]))
        .await
}

pub async fn delete_category(s: &Session, input: DeleteCategoryInput) -> ApiResult<()> {
    let mut req = s.request(Method::DELETE, &["categories", &input.id]);
    if let Some(to) = &input.move_to {
        req = req.query(&[("moveTo", to)]);
    }
    s.call_empty(req).await
}
