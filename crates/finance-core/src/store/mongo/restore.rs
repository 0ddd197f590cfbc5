//! [`Restores`] on MongoDB: a backup written back batch by batch, undone
//! on failure.
//!
//! One transaction cannot hold a large restore: Atlas ends a transaction
//! after 60 s (`transactionLifetimeLimitSeconds`) and 1M rows take longer
//! over a network. So:
//!
//! 1. the user must be empty (see [`Restores::restore_user_data`]) — or
//!    marked `restoring` by an earlier restore cut short, whose leftovers
//!    are then removed;
//! 2. what registration made (categories, the account) and the currency are
//!    kept aside in memory, and the user document is marked `restoring: true`;
//! 3. the user's data is cleared and each batch is written with one
//!    `insert_many` (ordered); references are checked against the accounts
//!    and categories written before them (all of the user's, since they
//!    were cleared first), so a file cannot point at another user's records;
//! 4. on [`RestoreFeed::End`] the mark is removed. On any failure everything
//!    of the user is deleted again, what registration made put back and
//!    the mark removed; when even that fails (the server went away) the mark
//!    stays and the next restore cleans up.
//!
//! The whole call is bounded by `OPERATION_TIMEOUT` plus 2 s per 1000 records.

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;
use futures::TryStreamExt;
use mongodb::bson::{Document, doc};

use super::docs::{
    account_to_doc, budget_to_doc, category_to_doc, idempotency_to_doc, oid, transaction_to_doc,
};
use super::errors::{Fail, NOT_FOUND_ACCOUNT, NOT_FOUND_CATEGORY, NOT_FOUND_USER};
use super::rules::rule_to_doc;
use super::schedules::schedule_to_doc;
use super::{MongoStore, bounded};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::store::{RestoreBatch, RestoreFeed, Restores, ids_taken, not_empty};

/// The user document's mark while a restore is under way.
const RESTORING: &str = "restoring";

/// A duplicate key while writing the file's records: its ids are taken.
fn on_insert(e: mongodb::error::Error) -> Fail {
    if super::errors::duplicate_key_message(&e).is_some() {
        Fail::App(ids_taken())
    } else {
        Fail::Db(e)
    }
}

/// What a failed restore puts back.
struct Before {
    categories: Vec<Document>,
    accounts: Vec<Document>,
    currency: String,
}

#[async_trait]
impl Restores for MongoStore {
    async fn restore_user_data(
        &self,
        user: Id,
        currency: Currency,
        records: u64,
        feed: tokio::sync::mpsc::Receiver<RestoreFeed>,
    ) -> Result<u64> {
        let limit = self.operation_timeout + Duration::from_secs(2 * (records / 1000));
        bounded(limit, self.restore(user, currency, feed)).await
    }
}

impl MongoStore {
    async fn restore(
        &self,
        user: Id,
        currency: Currency,
        mut feed: tokio::sync::mpsc::Receiver<RestoreFeed>,
    ) -> Result<u64, Fail> {
        let users = self.users.clone_with_type::<Document>();
        let me = users
            .find_one(doc! { "_id": oid(user) })
            .await?
            .ok_or(Fail::App(NOT_FOUND_USER))?;
        let before = if me.get_bool(RESTORING).unwrap_or(false) {
            // Leftovers of a restore cut short: nothing to put back.
            None
        } else {
            self.check_empty(user).await?;
            let mine = doc! { "userId": oid(user) };
            Some(Before {
                categories: self
                    .categories
                    .clone_with_type::<Document>()
                    .find(mine.clone())
                    .await?
                    .try_collect()
                    .await?,
                accounts: self
                    .accounts
                    .clone_with_type::<Document>()
                    .find(mine)
                    .await?
                    .try_collect()
                    .await?,
                currency: me.get_str("currency").unwrap_or_default().to_string(),
            })
        };
        users
            .update_one(
                doc! { "_id": oid(user) },
                doc! { "$set": { RESTORING: true, "currency": currency.code() } },
            )
            .await?;
        match self.write_feed(user, &mut feed).await {
            Ok(n) => {
                users
                    .update_one(
                        doc! { "_id": oid(user) },
                        doc! { "$unset": { RESTORING: "" } },
                    )
                    .await?;
                Ok(n)
            }
            Err(e) => {
                // Stop the reader, then undo.
                drop(feed);
                if let Err(undo) = self.undo_restore(user, before.as_ref()).await {
                    tracing::warn!(
                        error = %Error::from(undo),
                        "a failed restore could not be undone; the next restore cleans up"
                    );
                }
                Err(e)
            }
        }
    }

    /// `Conflict { field: "user" }` unless the user holds only what registration made.
    async fn check_empty(&self, user: Id) -> Result<(), Fail> {
        let mine = doc! { "userId": oid(user) };
        let held = [
            self.transactions
                .clone_with_type::<Document>()
                .count_documents(mine.clone())
                .limit(1)
                .await?,
            self.budgets
                .clone_with_type::<Document>()
                .count_documents(mine.clone())
                .limit(1)
                .await?,
            self.schedules
                .clone_with_type::<Document>()
                .count_documents(mine.clone())
                .limit(1)
                .await?,
            self.rules
                .clone_with_type::<Document>()
                .count_documents(mine.clone())
                .limit(1)
                .await?,
            self.idempotency
                .clone_with_type::<Document>()
                .count_documents(mine.clone())
                .limit(1)
                .await?,
        ];
        let accounts = self
            .accounts
            .clone_with_type::<Document>()
            .count_documents(mine)
            .limit(2)
            .await?;
        if held.iter().any(|n| *n > 0) || accounts > 1 {
            return Err(Fail::App(not_empty()));
        }
        Ok(())
    }

    /// Delete every record of the user (not the user).
    async fn clear_user_data(&self, user: Id) -> Result<(), Fail> {
        let mine = doc! { "userId": oid(user) };
        self.transactions.delete_many(mine.clone()).await?;
        self.budgets.delete_many(mine.clone()).await?;
        self.schedules.delete_many(mine.clone()).await?;
        self.rules.delete_many(mine.clone()).await?;
        self.idempotency.delete_many(mine.clone()).await?;
        self.categories.delete_many(mine.clone()).await?;
        self.accounts.delete_many(mine).await?;
        Ok(())
    }

    async fn undo_restore(&self, user: Id, before: Option<&Before>) -> Result<(), Fail> {
        self.clear_user_data(user).await?;
        let Some(before) = before else {
            return Ok(());
        };
        if !before.categories.is_empty() {
            self.categories
                .clone_with_type::<Document>()
                .insert_many(before.categories.clone())
                .await?;
        }
        if !before.accounts.is_empty() {
            self.accounts
                .clone_with_type::<Document>()
                .insert_many(before.accounts.clone())
                .await?;
        }
        self.users
            .clone_with_type::<Document>()
            .update_one(
                doc! { "_id": oid(user) },
                doc! { "$set": { "currency": &before.currency }, "$unset": { RESTORING: "" } },
            )
            .await?;
        Ok(())
    }

    /// Clear the user's data and write the feed's batches.
    async fn write_feed(
        &self,
        user: Id,
        feed: &mut tokio::sync::mpsc::Receiver<RestoreFeed>,
    ) -> Result<u64, Fail> {
        self.clear_user_data(user).await?;
        let mut accounts: HashSet<Id> = HashSet::new();
        let mut categories: HashSet<Id> = HashSet::new();
        let account = |set: &HashSet<Id>, id: Id| {
            if set.contains(&id) {
                Ok(())
            } else {
                Err(Fail::App(NOT_FOUND_ACCOUNT))
            }
        };
        let category = |set: &HashSet<Id>, id: Id| {
            if set.contains(&id) {
                Ok(())
            } else {
                Err(Fail::App(NOT_FOUND_CATEGORY))
            }
        };
        let mut written = 0u64;
        loop {
            let batch = match feed.recv().await {
                Some(RestoreFeed::Batch(batch)) => batch,
                Some(RestoreFeed::Failed(e)) => return Err(Fail::App(e)),
                Some(RestoreFeed::End) => return Ok(written),
                None => {
                    return Err(Fail::App(Error::internal(
                        "restore",
                        "the records stopped before their end",
                    )));
                }
            };
            written += batch.len() as u64;
            if batch.is_empty() {
                continue;
            }
            match batch {
                RestoreBatch::Accounts(v) => {
                    accounts.extend(v.iter().map(|a| a.id));
                    let docs: Vec<_> = v.iter().map(account_to_doc).collect();
                    self.accounts.insert_many(docs).await.map_err(on_insert)?;
                }
                RestoreBatch::Categories(v) => {
                    categories.extend(v.iter().map(|c| c.id));
                    let docs: Vec<_> = v.iter().map(category_to_doc).collect();
                    self.categories.insert_many(docs).await.map_err(on_insert)?;
                }
                RestoreBatch::Budgets(v) => {
                    for b in &v {
                        category(&categories, b.category_id)?;
                    }
                    let docs: Vec<_> = v.iter().map(budget_to_doc).collect();
                    self.budgets.insert_many(docs).await.map_err(on_insert)?;
                }
                RestoreBatch::Schedules(v) => {
                    let mut docs = Vec::with_capacity(v.len());
                    for s in &v {
                        for a in s.accounts() {
                            account(&accounts, a)?;
                        }
                        if let Some(c) = s.action.category() {
                            category(&categories, c)?;
                        }
                        docs.push(schedule_to_doc(s)?);
                    }
                    self.schedules
                        .clone_with_type::<Document>()
                        .insert_many(docs)
                        .await
                        .map_err(on_insert)?;
                }
                RestoreBatch::Rules(v) => {
                    for r in &v {
                        if let Some(a) = r.conditions.account {
                            account(&accounts, a)?;
                        }
                        if let Some(c) = r.actions.category {
                            category(&categories, c)?;
                        }
                    }
                    let docs: Vec<_> = v.iter().map(rule_to_doc).collect();
                    self.rules
                        .clone_with_type::<Document>()
                        .insert_many(docs)
                        .await
                        .map_err(on_insert)?;
                }
                RestoreBatch::Transactions(v) => {
                    for t in &v {
                        account(&accounts, t.account_id)?;
                        if let Some(c) = t.category_id {
                            category(&categories, c)?;
                        }
                    }
                    let docs: Vec<_> = v.iter().map(transaction_to_doc).collect();
                    self.transactions
                        .insert_many(docs)
                        .await
                        .map_err(on_insert)?;
                }
                RestoreBatch::Idempotency(v) => {
                    let docs: Vec<_> = v.iter().map(|k| idempotency_to_doc(user, k)).collect();
                    self.idempotency
                        .insert_many(docs)
                        .await
                        .map_err(on_insert)?;
                }
            }
        }
    }
}
