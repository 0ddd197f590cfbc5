//! Budget commands: the bodies are [`finance_api::ops::budgets`].

use finance_api::ops::budgets;
use finance_api::types::{BudgetInput, BudgetListInput, BudgetView, IdInput, UpdateBudgetInput};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_budgets(
    state: State<'_, AppState>,
    input: BudgetListInput,
) -> ApiResult<Vec<BudgetView>> {
    budgets::list_budgets(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn add_budget(state: State<'_, AppState>, input: BudgetInput) -> ApiResult<BudgetView> {
    budgets::add_budget(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn update_budget(
    state: State<'_, AppState>,
    input: UpdateBudgetInput,
) -> ApiResult<BudgetView> {
    budgets::update_budget(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn delete_budget(state: State<'_, AppState>, input: IdInput) -> ApiResult<()> {
    budgets::delete_budget(&state.cx().await?, input).await
}
