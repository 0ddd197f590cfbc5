//! Categories: list, add, rename, usage, and delete (optionally moving what
//! uses the category to another one; the move rules are in [`crate::rules`]).

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::{Category, CategoryKind, CategoryName};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;

impl Finance {
    /// The user's categories, by kind then name.
    pub async fn categories(&self, user: &AuthUser) -> Result<Vec<Category>> {
        self.store.categories(user.user_id).await
    }

    /// One of the user's categories, or `NotFound`.
    pub async fn category(&self, user: &AuthUser, id: Id) -> Result<Category> {
        self.store.category(user.user_id, id).await
    }

    /// Add a category. `Conflict { field: "name" }` if one of that kind has the same name (ignoring case).
    pub async fn add_category(
        &self,
        user: &AuthUser,
        name: CategoryName,
        kind: CategoryKind,
        now: DateTime<Utc>,
    ) -> Result<Category> {
        let now = millis(now);
        let category = Category {
            id: Id::generate(),
            user_id: user.user_id,
            name: name.as_str().to_string(),
            kind,
            created_at: now,
        };
        self.store.insert_category(&category).await?;
        Ok(category)
    }

    /// Rename a category.
    pub async fn rename_category(
        &self,
        user: &AuthUser,
        id: Id,
        name: CategoryName,
    ) -> Result<Category> {
        self.store
            .rename_category(user.user_id, id, name.as_str())
            .await
    }

    /// How much uses a category (to ask before deleting).
    pub async fn category_usage(
        &self,
        user: &AuthUser,
        id: Id,
    ) -> Result<crate::domain::CategoryUsage> {
        self.store.category_usage(user.user_id, id).await
    }

    /// Delete a category. With `move_to`, its transactions and budgets move
    /// there ([`rules::check_move_target`]); without, a used category is
    /// refused ([`rules::category_in_use`]).
    pub async fn delete_category(
        &self,
        user: &AuthUser,
        id: Id,
        move_to: Option<Id>,
    ) -> Result<()> {
        if let Some(target) = move_to {
            let source = self.store.category(user.user_id, id).await?;
            let target = match self.store.category(user.user_id, target).await {
                Ok(found) => Some(found),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            rules::check_move_target(&source, target.as_ref())?;
        }
        self.store.delete_category(user.user_id, id, move_to).await
    }
}
