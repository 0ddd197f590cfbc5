//! Budget commands: the bodies are [`finance_api::ops::budgets`].

use finance_api::types::{BudgetInput, BudgetListInput, BudgetView, IdInput, UpdateBudgetInput};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_budgets(
    state: State<'_, AppState>,
    input: BudgetListInput,
) -> ApiResult<Vec<BudgetView>> {
    crate::forward!(state, budgets::list_budgets(input))
}

#[tauri::command]
pub async fn add_budget(state: State<'_, AppState>, input: BudgetInput) -> ApiResult<BudgetView> {
    crate::forward!(state, budgets::add_budget(input))
}

#[tauri::command]
pub async fn update_budget(
    state: State<'_, AppState>,
    input: UpdateBudgetInput,
) -> ApiResult<BudgetView> {
    crate::forward!(state, budgets::update_budget(input))
}

#[tauri::command]
pub async fn delete_budget(state: State<'_, AppState>, input: IdInput) -> ApiResult<()> {
    crate::forward!(state, budgets::delete_budget(input))
}
