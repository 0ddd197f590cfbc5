//! Budgets (`/budgets`).

use finance_api::ApiResult;
use finance_api::types::{BudgetInput, BudgetListInput, BudgetView, IdInput, UpdateBudgetInput};
use reqwest::Method;

use crate::Session;

pub async fn list_budgets(s: &Session, input: BudgetListInput) -> ApiResult<Vec<BudgetView>> {
    s.call(s.request(Method::GET, &["budgets"]).query(&input))
        .await
}

pub async fn add_budget(s: &Session, input: BudgetInput) -> ApiResult<BudgetView> {
    s.call(s.request(Method::POST, &["budgets"]).json(&input))
        .await
}

pub async fn update_budget(s: &Session, input: UpdateBudgetInput) -> ApiResult<BudgetView> {
    let req = s
        .request(Method::PUT, &["budgets", &input.id])
        .json(&input.budget);
    s.call(req).await
}

pub async fn delete_budget(s: &Session, input: IdInput) -> ApiResult<()> {
    s.call_empty(s.request(Method::DELETE, &["budgets", &input.id]))
        .await
}
