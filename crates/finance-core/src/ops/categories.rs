//! Categories: list, add, rename, usage, and delete (optionally moving what
//! uses the category to another one; the move rules are in [`crate::rules`]).

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::{Category, CategoryKind, CategoryName};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;

impl Finance {
    /// The user's categories, by kind then name.
    pub async fn categories(&self, user: &AuthUser) -> Result<Vec<Category>> {
        user.require(Permission::Read)?;
        self.store.categories(user.ledger()).await
    }

    /// One of the user's categories, or `NotFound`.
    pub async fn category(&self, user: &AuthUser, id: Id) -> Result<Category> {
        user.require(Permission::Read)?;
        self.store.category(user.ledger(), id).await
    }

    /// Add a category. `Conflict { field: "name" }` if one of that kind has the same name (ignoring case).
    pub async fn add_category(
        &self,
        user: &AuthUser,
        name: CategoryName,
        kind: CategoryKind,
        now: DateTime<Utc>,
    ) -> Result<Category> {
        user.require(Permission::Write)?;
        let now = millis(now);
        let category = Category {
            id: Id::generate(),
            user_id: user.ledger(),
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
        user.require(Permission::Write)?;
        self.store
            .rename_category(user.ledger(), id, name.as_str())
            .await
    }

    /// How much uses a category (to ask before deleting).
    pub async fn category_usage(
        &self,
        user: &AuthUser,
        id: Id,
    ) -> Result<crate::domain::CategoryUsage> {
        user.require(Permission::Read)?;
        self.store.category_usage(user.ledger(), id).await
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
        user.require(Permission::Write)?;
        if let Some(target) = move_to {
            let source = self.store.category(user.ledger(), id).await?;
            let target = match self.store.category(user.ledger(), target).await {
                Ok(found) => Some(found),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            rules::check_move_target(&source, target.as_ref())?;
        }
        self.store.delete_category(user.ledger(), id, move_to).await
    }
}
