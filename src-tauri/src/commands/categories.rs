//! Category commands: the bodies are [`finance_api::ops::categories`].

use finance_api::ops::categories;
use finance_api::types::{
    CategoryInput, CategoryUsageView, CategoryView, DeleteCategoryInput, IdInput,
    RenameCategoryInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_categories(state: State<'_, AppState>) -> ApiResult<Vec<CategoryView>> {
    categories::list_categories(&state.cx().await?, ()).await
}

#[tauri::command]
pub async fn add_category(
    state: State<'_, AppState>,
    input: CategoryInput,
) -> ApiResult<CategoryView> {
    categories::add_category(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn rename_category(
    state: State<'_, AppState>,
    input: RenameCategoryInput,
) -> ApiResult<CategoryView> {
    categories::rename_category(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn category_usage(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<CategoryUsageView> {
    categories::category_usage(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn delete_category(
    state: State<'_, AppState>,
    input: DeleteCategoryInput,
) -> ApiResult<()> {
    categories::delete_category(&state.cx().await?, input).await
}
