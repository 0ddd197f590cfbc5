//! [`Imports`] on MongoDB: duplicate candidates by `dupKey`, and the bulk
//! write of an import in one transaction.
//!
//! Invariants:
//! * bank ids are looked up through the `bank_id_unique` index only;
//! * duplicate candidates are read through the `dupkey_user` index only
//!   (`dupKey $in` the rows' keys, with `userId`), never by scanning the
//!   user's history; equal keys are candidates, the caller compares fields;
//! * an import writes its idempotency record, its new categories and its
//!   transactions (read from its [`ImportRows`] [`IMPORT_CHUNK_ROWS`] at a
//!   time, sent in `insert_many` batches of [`PROGRESS_EVERY`]) in one
//!   transaction: all or nothing; a retried transaction reads the rows again;
//! * every row belongs to the user, and each distinct existing category is
//!   checked once and written (its `rev` bumped, one update per chunk for the
//!   categories it is the first to use), so a concurrent delete of one of
//!   them conflicts with the import instead of leaving rows that reference a
//!   deleted category (see `categories`); each distinct account likewise
//!   (see `accounts`);
//! * an import is bounded by `OPERATION_TIMEOUT` plus 2 s per 1000 rows.

use std::collections::HashSet;
use std::time::Duration;

use futures::{FutureExt, TryStreamExt};
use mongodb::bson::{Document, doc};

use super::docs::{
    CategoryDoc, TransactionDoc, category_to_doc, key_from_doc, key_projection, oid,
    transaction_to_doc,
};
use crate::domain::Category;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{
    IMPORT_CHUNK_ROWS, IdempotencyRecord, ImportRows, Imports, PROGRESS_EVERY, Progress,
    TransactionKey,
};

/// The time bound of an import of `rows` transactions: a large import may
/// take longer than one ordinary call, so 2 s per 1000 rows on top of
/// `base`, the store's bound of one call ([`OPERATION_TIMEOUT`](super::OPERATION_TIMEOUT)).
fn import_limit(base: Duration, rows: u64) -> Duration {
    base + Duration::from_secs(2 * (rows / PROGRESS_EVERY as u64))
}

/// Keys per duplicate look-up query (a few hundred KiB of command).
const KEYS_PER_QUERY: usize = 10_000;

bounded_impl! {
    impl Imports for MongoStore {
        async fn existing_transaction_keys(
            &self,
            user: Id,
            rows: Vec<TransactionKey>,
        ) -> Result<Vec<TransactionKey>> {
            let mut keys: Vec<i64> = rows.iter().map(TransactionKey::lookup_key).collect();
            keys.sort_unstable();
            keys.dedup();
            let mut out = Vec::new();
            for chunk in keys.chunks(KEYS_PER_QUERY) {
                let mut cursor = self
                    .transactions
                    .clone_with_type::<Document>()
                    .find(doc! { "dupKey": { "$in": chunk }, "userId": oid(user) })
                    .projection(key_projection(false))
                    .await?;
                while let Some(d) = cursor.try_next().await? {
                    out.push(key_from_doc(&d)?);
                }
            }
            Ok(out)
        }

        async fn existing_bank_ids(
            &self,
            user: Id,
            account: Id,
            ids: Vec<String>,
        ) -> Result<Vec<String>> {
            let mut out = Vec::new();
            for chunk in ids.chunks(KEYS_PER_QUERY) {
                // `$exists` as in the partial index's filter, so the index serves it.
                let filter = doc! {
                    "userId": oid(user),
                    "accountId": oid(account),
                    "bankId": { "$exists": true, "$in": chunk },
                };
                let mut cursor = self
                    .transactions
                    .clone_with_type::<Document>()
                    .find(filter)
                    .projection(doc! { "_id": 0, "bankId": 1 })
                    .await?;
                while let Some(d) = cursor.try_next().await? {
                    out.push(
                        d.get_str("bankId")
                            .map_err(|_| super::errors::corrupt("bankId"))?
                            .to_string(),
                    );
                }
            }
            Ok(out)
        }

        #[within(import_limit(self.operation_timeout, rows.total()))]
        async fn insert_transactions(
            &self,
            user: Id,
            categories: &[Category],
            rows: &dyn ImportRows,
            progress: Progress<'_>,
            key: Option<&IdempotencyRecord>,
        ) -> Result<u64> {
            let ctx = (self, user, categories, rows, progress, key);
            self.in_transaction(
                &ctx,
                |s, &(store, user, categories, rows, progress, key)| {
                    async move {
                        if categories.iter().any(|c| c.user_id != user) {
                            return Err(
                                Error::validation("user", "rows must belong to the user").into()
                            );
                        }
                        if let Some(key) = key {
                            store.insert_idempotency_record(s, user, key).await?;
                        }
                        if !categories.is_empty() {
                            let docs: Vec<CategoryDoc> =
                                categories.iter().map(category_to_doc).collect();
                            store.categories.insert_many(docs).session(&mut *s).await?;
                        }
                        // The new categories, then each existing one once checked and locked.
                        let mut checked: HashSet<Id> = categories.iter().map(|c| c.id).collect();
                        // Each distinct account likewise, checked and locked once.
                        let mut checked_accounts: HashSet<Id> = HashSet::new();
                        let total = rows.total();
                        let mut done = 0;
                        for chunk in rows.row_chunks(IMPORT_CHUNK_ROWS) {
                            let chunk = chunk?;
                            if chunk.iter().any(|t| t.user_id != user) {
                                return Err(
                                    Error::validation("user", "rows must belong to the user")
                                        .into(),
                                );
                            }
                            // Each distinct existing category is checked and locked once (one
                            // update for those a chunk is the first to use), so a concurrent
                            // delete of one conflicts.
                            // A transfer's leg has no category.
                            let mut first: Vec<Id> = chunk
                                .iter()
                                .filter_map(|t| t.category_id)
                                .filter(|c| !checked.contains(c))
                                .collect();
                            first.sort_unstable();
                            first.dedup();
                            if !first.is_empty() {
                                store.lock_categories(s, user, &first).await?;
                                checked.extend(first);
                            }
                            let mut first: Vec<Id> = chunk
                                .iter()
                                .map(|t| t.account_id)
                                .filter(|a| !checked_accounts.contains(a))
                                .collect();
                            first.sort_unstable();
                            first.dedup();
                            if !first.is_empty() {
                                store.lock_accounts(s, user, &first).await?;
                                checked_accounts.extend(first);
                            }
                            for batch in chunk.chunks(PROGRESS_EVERY) {
                                let docs: Vec<TransactionDoc> =
                                    batch.iter().map(transaction_to_doc).collect();
                                store
                                    .transactions
                                    .insert_many(docs)
                                    .session(&mut *s)
                                    .await?;
                                done += batch.len() as u64;
                                progress(done, total);
                            }
                        }
                        if done == 0 {
                            progress(0, 0);
                        }
                        Ok(done)
                    }
                    .boxed()
                },
            )
            .await
        }
    }
}
