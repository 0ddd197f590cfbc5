//! Category commands, and the category-name lookups the other areas' views need.
//!
//! Invariants: a view of one record reads only that record's category
//! ([`category_name`]); only list views read all of the user's categories
//! ([`category_names`]); every read is scoped by the signed-in user's id.

use std::collections::HashMap;

use chrono::Utc;
use finance_core::{AuthUser, Finance, Id};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::types::{
    CategoryDeletion, CategoryInput, CategoryRename, CategoryUsageView, CategoryView,
    DeleteCategoryInput, IdInput, NewCategory, RenameCategoryInput,
};

/// The name of one of the user's categories ("" if it no longer exists).
pub(super) async fn category_name(
    f: &Finance,
    user: &AuthUser,
    id: Option<Id>,
) -> ApiResult<String> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    match f.category(user, id).await {
        Ok(c) => Ok(c.name),
        Err(e) if e.code() == finance_core::ErrorCode::NotFound => Ok(String::new()),
        Err(e) => Err(e.into()),
    }
}

/// The names of all of the user's categories, by id (for list views).
pub(super) async fn category_names(f: &Finance, user: &AuthUser) -> ApiResult<HashMap<Id, String>> {
    Ok(f.categories(user)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// A name from [`category_names`] ("" if unknown).
pub(super) fn name_in(names: &HashMap<Id, String>, id: Option<Id>) -> &str {
    id.and_then(|id| names.get(&id)).map_or("", String::as_str)
}

#[tauri::command]
pub async fn list_categories(state: State<'_, AppState>) -> ApiResult<Vec<CategoryView>> {
    let (f, user) = state.session(Utc::now()).await?;
    let list = f.categories(&user).await?;
    Ok(list.iter().map(CategoryView::from).collect())
}

#[tauri::command]
pub async fn add_category(
    state: State<'_, AppState>,
    input: CategoryInput,
) -> ApiResult<CategoryView> {
    let new = NewCategory::try_from(input)?;
    let (f, user) = state.session(Utc::now()).await?;
    let c = f
        .add_category(&user, new.name, new.kind, Utc::now())
        .await?;
    Ok(CategoryView::from(&c))
}

#[tauri::command]
pub async fn rename_category(
    state: State<'_, AppState>,
    input: RenameCategoryInput,
) -> ApiResult<CategoryView> {
    let rename = CategoryRename::try_from(input)?;
    let (f, user) = state.session(Utc::now()).await?;
    let c = f.rename_category(&user, rename.id, rename.name).await?;
    Ok(CategoryView::from(&c))
}

#[tauri::command]
pub async fn category_usage(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<CategoryUsageView> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    Ok(f.category_usage(&user, id).await?.into())
}

#[tauri::command]
pub async fn delete_category(
    state: State<'_, AppState>,
    input: DeleteCategoryInput,
) -> ApiResult<()> {
    let deletion = CategoryDeletion::try_from(input)?;
    let (f, user) = state.session(Utc::now()).await?;
    Ok(f.delete_category(&user, deletion.id, deletion.move_to)
        .await?)
}
