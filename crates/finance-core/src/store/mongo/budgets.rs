//! [`Budgets`] on MongoDB: the `budgets` collection, and the expense sums
//! budgets are measured against.
//!
//! Invariants:
//! * a budget's category is one of the user's, checked on insert and update
//!   (`NotFound`; that it is an expense category is checked by the caller)
//!   inside the write's transaction, which also writes the category's
//!   document (`lock_category`), so a concurrent delete of the category
//!   conflicts with it (see `categories`);
//! * one budget per (user, category, period): the unique index
//!   `budget_period_unique` makes a second one `Conflict { field: "period" }`;
//! * budgets are listed oldest first (`createdAt`, then id);
//! * expense sums are a `$group` in the database, one per asked category
//!   (0 for a category without expenses in the range), exact (`Decimal128`;
//!   past `i64` a `Validation` error, see [`crate::money`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use futures::{FutureExt, TryStreamExt};
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Document, doc};

use super::MongoStore;
use super::docs::{BudgetDoc, budget_from_doc, budget_to_doc, exact_sum, id_of, oid, sum_field};
use super::errors::{Fail, NOT_FOUND_BUDGET, corrupt};
use super::filter::{delete_owned, expenses, owned, report_match, update_owned};
use crate::domain::{Budget, NewBudget};
use crate::error::Result;
use crate::id::Id;
use crate::store::Budgets;

bounded_impl! {
    impl Budgets for MongoStore {
        async fn insert_budget(&self, budget: &Budget) -> Result<()> {
            self.in_transaction(&(self, budget), |s, &(store, budget)| {
                async move {
                    store.lock_category(s, budget.user_id, budget.category_id).await?;
                    store
                        .budgets
                        .insert_one(budget_to_doc(budget))
                        .session(&mut *s)
                        .await?;
                    Ok(())
                }
                .boxed()
            })
            .await
        }

        async fn budgets(&self, user: Id) -> Result<Vec<Budget>> {
            let docs: Vec<BudgetDoc> = self
                .budgets
                .find(doc! { "userId": oid(user) })
                .sort(doc! { "createdAt": 1, "_id": 1 })
                .await?
                .try_collect()
                .await?;
            Ok(docs
                .into_iter()
                .map(budget_from_doc)
                .collect::<Result<_>>()?)
        }

        async fn budget(&self, user: Id, id: Id) -> Result<Budget> {
            self.find_budget(user, id).await
        }

        async fn update_budget(&self, user: Id, id: Id, change: &NewBudget) -> Result<Budget> {
            let set = doc! {
                "category": oid(change.category_id),
                "limit": change.limit.minor(),
                "period": change.period.as_str(),
            };
            let ctx = (self, user, id, change.category_id, set);
            self.in_transaction(&ctx, |s, (store, user, id, category, set)| {
                async move {
                    let updated =
                        update_owned(&store.budgets, s, *user, *id, set.clone(), NOT_FOUND_BUDGET)
                            .await?;
                    store.lock_category(s, *user, *category).await?;
                    Ok(budget_from_doc(updated)?)
                }
                .boxed()
            })
            .await
        }

        async fn delete_budget(&self, user: Id, id: Id) -> Result<()> {
            delete_owned(&self.budgets, user, id, NOT_FOUND_BUDGET).await
        }

        async fn expense_by_category(
            &self,
            user: Id,
            account: Option<Id>,
            categories: &[Id],
            from: NaiveDate,
            to: NaiveDate,
        ) -> Result<HashMap<Id, i64>> {
            let mut spent: HashMap<Id, i64> = categories.iter().map(|c| (*c, 0)).collect();
            if categories.is_empty() {
                return Ok(spent);
            }
            let ids: Vec<ObjectId> = categories.iter().map(|c| oid(*c)).collect();
            let mut in_categories = expenses(report_match(user, account, from, to));
            in_categories.insert("category", doc! { "$in": ids });
            let pipeline = [
                doc! { "$match": in_categories },
                doc! { "$group": { "_id": "$category", "total": exact_sum("$amount") } },
            ];
            let groups: Vec<Document> = self
                .transactions
                .aggregate(pipeline)
                .await?
                .try_collect()
                .await?;
            for group in groups {
                let category = group
                    .get_object_id("_id")
                    .map_err(|_| corrupt("expense group"))?;
                spent.insert(id_of(&category), sum_field(&group, "total")?);
            }
            Ok(spent)
        }
    }
}

impl MongoStore {
    /// The user's budget `id`, or `NotFound`.
    async fn find_budget(&self, user: Id, id: Id) -> Result<Budget, Fail> {
        let found = self.budgets.find_one(owned(user, id)).await?;
        Ok(budget_from_doc(found.ok_or(NOT_FOUND_BUDGET)?)?)
    }
}
