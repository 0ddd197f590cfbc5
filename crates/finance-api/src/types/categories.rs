//! IPC types of categories: the kind, a category as shown, and the category forms.
//!
//! Invariants: kinds convert to and from the core's `CategoryKind` directly
//! (never through a string); ids cross as 24-character hex strings and are
//! parsed, with the form's field name, before any store call.

use finance_core::Id;
use finance_core::domain::{Category, CategoryKind, CategoryName, CategoryUsage};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::count32;

/// `"income"` or `"expense"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(rename = "CategoryKind")]
pub enum CategoryKindView {
    Income,
    Expense,
}

impl From<CategoryKind> for CategoryKindView {
    fn from(k: CategoryKind) -> Self {
        match k {
            CategoryKind::Income => CategoryKindView::Income,
            CategoryKind::Expense => CategoryKindView::Expense,
        }
    }
}

impl From<CategoryKindView> for CategoryKind {
    fn from(k: CategoryKindView) -> Self {
        match k {
            CategoryKindView::Income => CategoryKind::Income,
            CategoryKindView::Expense => CategoryKind::Expense,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategoryView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
}

impl From<&Category> for CategoryView {
    fn from(c: &Category) -> Self {
        CategoryView {
            id: c.id.to_hex(),
            name: c.name.clone(),
            kind: c.kind.into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategoryInput {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
}

/// A new category's validated name and kind.
pub struct NewCategory {
    pub name: CategoryName,
    pub kind: CategoryKind,
}

impl TryFrom<CategoryInput> for NewCategory {
    type Error = finance_core::Error;
    fn try_from(i: CategoryInput) -> Result<NewCategory, Self::Error> {
        Ok(NewCategory {
            name: CategoryName::parse("name", &i.name)?,
            kind: i.kind.into(),
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RenameCategoryInput {
    pub id: String,
    pub name: String,
}

/// A rename, validated.
pub struct CategoryRename {
    pub id: Id,
    pub name: CategoryName,
}

impl TryFrom<RenameCategoryInput> for CategoryRename {
    type Error = finance_core::Error;
    fn try_from(i: RenameCategoryInput) -> Result<CategoryRename, Self::Error> {
        Ok(CategoryRename {
            id: Id::parse("id", &i.id)?,
            name: CategoryName::parse("name", &i.name)?,
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteCategoryInput {
    pub id: String,
    pub move_to: Option<String>,
}

/// A deletion, validated: the category and where its transactions move (if anywhere).
pub struct CategoryDeletion {
    pub id: Id,
    pub move_to: Option<Id>,
}

impl TryFrom<DeleteCategoryInput> for CategoryDeletion {
    type Error = finance_core::Error;
    fn try_from(i: DeleteCategoryInput) -> Result<CategoryDeletion, Self::Error> {
        let id = Id::parse("id", &i.id)?;
        let move_to = match i.move_to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(m) => Some(Id::parse("moveTo", m)?),
        };
        Ok(CategoryDeletion { id, move_to })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategoryUsageView {
    pub transactions: u32,
    pub budgets: u32,
}

impl From<CategoryUsage> for CategoryUsageView {
    fn from(u: CategoryUsage) -> Self {
        CategoryUsageView {
            transactions: count32(u.transactions),
            budgets: count32(u.budgets),
        }
    }
}
