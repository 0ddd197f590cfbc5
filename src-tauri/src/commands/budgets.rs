//! Budget commands: list, add, update, delete; each budget is returned with its
//! status in the current period (as of [`today`](super::today)).
//!
//! Invariants: a single budget's view reads only its own category's name;
//! limits are validated in the signed-in user's currency.

use chrono::{NaiveDate, Utc};
use finance_core::{AuthUser, Finance, Id};
use tauri::State;

use super::today;
use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::ops::categories::{category_name, category_names, name_in};
use finance_api::types::{BudgetInput, BudgetListInput, BudgetView, IdInput, UpdateBudgetInput};

/// Every budget's status on `date`, with category names.
pub(super) async fn budget_views(
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

/// One budget's status today, with its category's name.
async fn budget_view(f: &Finance, user: &AuthUser, id: Id) -> ApiResult<BudgetView> {
    let s = f.budget_status(user, id, today()).await?;
    let name = category_name(f, user, Some(s.budget.category_id)).await?;
    Ok(BudgetView::new(&s, &name, user.currency()))
}

#[tauri::command]
pub async fn list_budgets(
    state: State<'_, AppState>,
    input: BudgetListInput,
) -> ApiResult<Vec<BudgetView>> {
    let day = input.day(today())?;
    let (f, user) = state.session(Utc::now()).await?;
    budget_views(&f, &user, day).await
}

#[tauri::command]
pub async fn add_budget(state: State<'_, AppState>, input: BudgetInput) -> ApiResult<BudgetView> {
    let (f, user) = state.session(Utc::now()).await?;
    let new = input.validate(user.currency())?;
    let b = f.add_budget(&user, new, Utc::now()).await?;
    budget_view(&f, &user, b.id).await
}

#[tauri::command]
pub async fn update_budget(
    state: State<'_, AppState>,
    input: UpdateBudgetInput,
) -> ApiResult<BudgetView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let change = input.budget.validate(user.currency())?;
    let b = f.update_budget(&user, id, change).await?;
    budget_view(&f, &user, b.id).await
}

#[tauri::command]
pub async fn delete_budget(state: State<'_, AppState>, input: IdInput) -> ApiResult<()> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    Ok(f.delete_budget(&user, id).await?)
}
