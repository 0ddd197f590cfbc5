//! Categories: list, add, rename, usage, delete; and the category-name lookups
//! the other areas' views need.
//!
//! Invariants: a view of one record reads only that record's category
//! ([`category_name`]); only list views read all of the user's categories
//! ([`category_names`]).

use std::collections::HashMap;

use finance_core::{AuthUser, Finance, Id};

use super::Cx;
use crate::error::ApiResult;
use crate::types::{
    CategoryDeletion, CategoryInput, CategoryRename, CategoryUsageView, CategoryView,
    DeleteCategoryInput, IdInput, NewCategory, RenameCategoryInput,
};

/// The name of one of the user's categories ("" if it no longer exists).
pub async fn category_name(f: &Finance, user: &AuthUser, id: Option<Id>) -> ApiResult<String> {
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
pub async fn category_names(f: &Finance, user: &AuthUser) -> ApiResult<HashMap<Id, String>> {
    Ok(f.categories(user)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// A name from [`category_names`] ("" if unknown).
pub fn name_in(names: &HashMap<Id, String>, id: Option<Id>) -> &str {
    id.and_then(|id| names.get(&id)).map_or("", String::as_str)
}

pub async fn list_categories(cx: &Cx, _: ()) -> ApiResult<Vec<CategoryView>> {
    let list = cx.finance.categories(&cx.user).await?;
    Ok(list.iter().map(CategoryView::from).collect())
}

pub async fn add_category(cx: &Cx, input: CategoryInput) -> ApiResult<CategoryView> {
    let new = NewCategory::try_from(input)?;
    let c = cx
        .finance
        .add_category(&cx.user, new.name, new.kind, cx.now)
        .await?;
    Ok(CategoryView::from(&c))
}

pub async fn rename_category(cx: &Cx, input: RenameCategoryInput) -> ApiResult<CategoryView> {
    let rename = CategoryRename::try_from(input)?;
    let c = cx
        .finance
        .rename_category(&cx.user, rename.id, rename.name)
        .await?;
    Ok(CategoryView::from(&c))
}

pub async fn category_usage(cx: &Cx, input: IdInput) -> ApiResult<CategoryUsageView> {
    let id = Id::try_from(&input)?;
    Ok(cx.finance.category_usage(&cx.user, id).await?.into())
}

pub async fn delete_category(cx: &Cx, input: DeleteCategoryInput) -> ApiResult<()> {
    let deletion = CategoryDeletion::try_from(input)?;
    Ok(cx
        .finance
        .delete_category(&cx.user, deletion.id, deletion.move_to)
        .await?)
}
