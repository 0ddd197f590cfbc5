//! [`Categories`] on MongoDB: the `categories` collection (and, when one is
//! deleted, the transactions and budgets that use it).
//!
//! Invariants:
//! * names are unique per user and kind, case-insensitively (`nameKey`, the
//!   lower-cased name, under the unique index `category_name_unique`);
//!   renaming updates `nameKey` with the name;
//! * a category is listed by kind, then `nameKey`, then id;
//! * deleting a category is one transaction: a used category without a
//!   target is refused ([`rules::category_in_use`]); with a target (checked
//!   by the caller with [`rules::check_move_target`], and here only for
//!   still existing) its transactions and budgets move there, and a budget
//!   whose period the target already has is dropped;
//! * **no reference to a deleted category.** MongoDB has no foreign keys,
//!   and its transactions are snapshot-isolated: a delete that counted no
//!   transactions and an add that found the category would both commit (a
//!   write skew), leaving a transaction whose category is gone. So every
//!   write that makes a document reference a category (adds, edits, budgets,
//!   imports, the move of a delete) runs in a transaction that also *writes*
//!   that category's document ([`MongoStore::lock_category`], which bumps
//!   its `rev`), and the delete writes it too. Two transactions writing one
//!   document conflict (`WriteConflict`, labelled
//!   `TransientTransactionError`; mongod and SecantusDB alike): the loser is
//!   retried from the start (see `conn`) and then sees the winner's result —
//!   the category gone (`NotFound`) or in use (`Conflict`). The price: two
//!   concurrent writes into the *same* category conflict too and one is
//!   retried.

use futures::{FutureExt, TryStreamExt};
use mongodb::ClientSession;
use mongodb::bson::doc;
use mongodb::options::ReturnDocument;

use super::MongoStore;
use super::docs::{BudgetDoc, CategoryDoc, category_from_doc, category_to_doc, oid};
use super::errors::{Fail, NOT_FOUND_CATEGORY};
use super::filter::{lock_owned, owned};
use crate::domain::{Category, CategoryUsage};
use crate::error::Result;
use crate::id::Id;
use crate::rules;
use crate::store::Categories;

bounded_impl! {
    impl Categories for MongoStore {
        async fn insert_category(&self, category: &Category) -> Result<()> {
            self.categories
                .insert_one(category_to_doc(category))
                .await?;
            Ok(())
        }

        async fn categories(&self, user: Id) -> Result<Vec<Category>> {
            let docs: Vec<CategoryDoc> = self
                .categories
                .find(doc! { "userId": oid(user) })
                .await?
                .try_collect()
                .await?;
            let mut keyed = docs
                .into_iter()
                .map(|d| Ok((d.name_key.clone(), category_from_doc(d)?)))
                .collect::<Result<Vec<(String, Category)>>>()?;
            keyed.sort_by(|(ka, a), (kb, b)| (a.kind, ka, a.id).cmp(&(b.kind, kb, b.id)));
            Ok(keyed.into_iter().map(|(_, c)| c).collect())
        }

        async fn category(&self, user: Id, id: Id) -> Result<Category> {
            self.find_category(user, id).await
        }

        async fn rename_category(&self, user: Id, id: Id, name: &str) -> Result<Category> {
            let updated = self
                .categories
                .find_one_and_update(
                    owned(user, id),
                    doc! { "$set": { "name": name, "nameKey": name.to_lowercase() } },
                )
                .return_document(ReturnDocument::After)
                .await?;
            Ok(category_from_doc(updated.ok_or(NOT_FOUND_CATEGORY)?)?)
        }

        async fn category_usage(&self, user: Id, id: Id) -> Result<CategoryUsage> {
            self.find_category(user, id).await?;
            let used_by = doc! { "userId": oid(user), "category": oid(id) };
            Ok(CategoryUsage {
                transactions: self.transactions.count_documents(used_by.clone()).await?,
                budgets: self.budgets.count_documents(used_by).await?,
            })
        }

        async fn delete_category(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()> {
            self.in_transaction(
                &(self, user, id, move_to),
                |s, &(store, user, id, move_to)| {
                    async move {
                        let found = store
                            .categories
                            .find_one(owned(user, id))
                            .session(&mut *s)
                            .await?;
                        found.ok_or(NOT_FOUND_CATEGORY)?;
                        store.check_schedules_unused(s, user, "category", id).await?;
                        match move_to {
                            None => {
                                let used_by = doc! { "userId": oid(user), "category": oid(id) };
                                let transactions = store
                                    .transactions
                                    .count_documents(used_by.clone())
                                    .session(&mut *s)
                                    .await?;
                                let budgets = store
                                    .budgets
                                    .count_documents(used_by)
                                    .session(&mut *s)
                                    .await?;
                                let usage = CategoryUsage {
                                    transactions,
                                    budgets,
                                };
                                if usage.is_used() {
                                    return Err(rules::category_in_use(usage).into());
                                }
                            }
                            Some(target) => {
                                // The target now gains references: lock it like any write.
                                store.lock_category(s, user, target).await?;
                                store.move_category_rows(s, user, id, target).await?;
                            }
                        }
                        // Rules setting it follow its rows, or go with it.
                        store
                            .rules_follow(s, user, "category", id, move_to)
                            .await?;
                        store
                            .categories
                            .delete_one(owned(user, id))
                            .session(&mut *s)
                            .await?;
                        Ok(())
                    }
                    .boxed()
                },
            )
            .await
        }
    }
}

impl MongoStore {
    /// The user's category `id`, or `NotFound`.
    pub(super) async fn find_category(&self, user: Id, id: Id) -> Result<Category, Fail> {
        let found = self.categories.find_one(owned(user, id)).await?;
        Ok(category_from_doc(found.ok_or(NOT_FOUND_CATEGORY)?)?)
    }

    /// Write the user's category `id` inside the session's transaction (its
    /// `rev` goes up by one), or `NotFound`. Any transaction that adds a
    /// reference to the category calls this, so it conflicts with a
    /// concurrent delete of the category (see the module docs); the update
    /// must change the document, since an unchanged one is not a write.
    pub(super) async fn lock_category(
        &self,
        s: &mut ClientSession,
        user: Id,
        id: Id,
    ) -> Result<(), Fail> {
        self.lock_categories(s, user, &[id]).await
    }

    /// [`MongoStore::lock_category`] for each of `ids` (distinct), in one
    /// update; `NotFound` when any is not the user's.
    pub(super) async fn lock_categories(
        &self,
        s: &mut ClientSession,
        user: Id,
        ids: &[Id],
    ) -> Result<(), Fail> {
        lock_owned(&self.categories, s, user, ids, NOT_FOUND_CATEGORY).await
    }

    /// Move transactions and budgets from `id` to `target`; a budget whose
    /// period `target` already has is dropped instead.
    async fn move_category_rows(
        &self,
        s: &mut ClientSession,
        user: Id,
        id: Id,
        target: Id,
    ) -> Result<(), Fail> {
        let from = doc! { "userId": oid(user), "category": oid(id) };
        let to = doc! { "userId": oid(user), "category": oid(target) };
        let taken: Vec<BudgetDoc> = self
            .budgets
            .find(to)
            .session(&mut *s)
            .await?
            .stream(&mut *s)
            .try_collect()
            .await?;
        let taken: Vec<String> = taken.into_iter().map(|b| b.period).collect();
        let mut clashing = from.clone();
        clashing.insert("period", doc! { "$in": taken });
        self.budgets.delete_many(clashing).session(&mut *s).await?;
        let retarget = doc! { "$set": { "category": oid(target) } };
        self.budgets
            .update_many(from.clone(), retarget.clone())
            .session(&mut *s)
            .await?;
        self.transactions
            .update_many(from, retarget)
            .session(&mut *s)
            .await?;
        Ok(())
    }
}
