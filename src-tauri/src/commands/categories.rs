//! Category commands: the bodies are [`finance_api::ops::categories`].

use finance_api::types::{
    CategoryInput, CategoryUsageView, CategoryView, DeleteCategoryInput, IdInput,
    RenameCategoryInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_categories(state: State<'_, AppState>) -> ApiResult<Vec<CategoryView>> {
    crate::forward!(state, categories::list_categories(()))
}

#[tauri::command]
pub async fn add_category(
    state: State<'_, AppState>,
    input: CategoryInput,
) -> ApiResult<CategoryView> {
    crate::forward!(state, categories::add_category(input))
}

#[tauri::command]
pub async fn rename_category(
    state: State<'_, AppState>,
    input: RenameCategoryInput,
) -> ApiResult<CategoryView> {
    crate::forward!(state, categories::rename_category(input))
}

#[tauri::command]
pub async fn category_usage(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<CategoryUsageView> {
    crate::forward!(state, categories::category_usage(input))
}

#[tauri::command]
pub async fn delete_category(
    state: State<'_, AppState>,
    input: DeleteCategoryInput,
) -> ApiResult<()> {
    crate::forward!(state, categories::delete_category(input))
}
