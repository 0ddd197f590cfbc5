//! Budgets: list, add, update, delete; each budget is returned with its
//! status in the current period (as of `cx.today`).
//!
//! Invariants: a single budget's view reads only its own category's name;
//! limits are validated in the caller's currency.

use chrono::NaiveDate;
use finance_core::{AuthUser, Finance, Id};

use super::Cx;
use super::categories::{category_name, category_names, name_in};
use crate::error::ApiResult;
use crate::types::{BudgetInput, BudgetListInput, BudgetView, IdInput, UpdateBudgetInput};

/// Every budget's status on `date`, with category names.
pub async fn budget_views(
    f: &Finance,
    user: &AuthUser,
    date: NaiveDate,
) -> ApiResult<Vec<BudgetView>> {
    let statuses = f.budget_statuses(user, date).await?;
    let names = category_names(f, user).await?;
    Ok(statuses
        .iter()
        .map(|s| {
            BudgetView::new(
                s,
                name_in(&names, Some(s.budget.category_id)),
                user.currency(),
            )
        })
        .collect())
}

/// One budget's status on `today`, with its category's name.
async fn budget_view(cx: &Cx, id: Id) -> ApiResult<BudgetView> {
    let s = cx.finance.budget_status(&cx.user, id, cx.today).await?;
    let name = category_name(&cx.finance, &cx.user, Some(s.budget.category_id)).await?;
    Ok(BudgetView::new(&s, &name, cx.user.currency()))
}

pub async fn list_budgets(cx: &Cx, input: BudgetListInput) -> ApiResult<Vec<BudgetView>> {
    let day = input.day(cx.today)?;
    budget_views(&cx.finance, &cx.user, day).await
}

pub async fn add_budget(cx: &Cx, input: BudgetInput) -> ApiResult<BudgetView> {
    let new = input.validate(cx.user.currency())?;
    let b = cx.finance.add_budget(&cx.user, new, cx.now).await?;
    budget_view(cx, b.id).await
}

pub async fn update_budget(cx: &Cx, input: UpdateBudgetInput) -> ApiResult<BudgetView> {
    let id = Id::parse("id", &input.id)?;
    let change = input.budget.validate(cx.user.currency())?;
    let b = cx.finance.update_budget(&cx.user, id, change).await?;
    budget_view(cx, b.id).await
}

pub async fn delete_budget(cx: &Cx, input: IdInput) -> ApiResult<()> {
    let id = Id::try_from(&input)?;
    Ok(cx.finance.delete_budget(&cx.user, id).await?)
}
