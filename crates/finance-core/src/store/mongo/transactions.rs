//! [`Transactions`] on MongoDB: single writes and reads of the `transactions`
//! collection, keyset pages and range sums.
//!
//! Invariants:
//! * a transaction's category and account are the user's (`NotFound` otherwise); its
//!   stored `type` is the kind given (the category's, see [`crate::rules`]);
//! * an add or an edit is one transaction that also writes its category's
//!   and its account's documents (`lock_category`, `lock_accounts`), so it conflicts with a concurrent delete of
//!   the category instead of leaving a reference to a deleted one (see
//!   `categories`);
//! * every write stores `searchText` and `dupKey` computed from the fields it
//!   writes, so list search and import duplicate checks see the new values;
//! * an add with an idempotency key writes the record and the row in one
//!   transaction (a reused key writes neither);
//! * lists are paged in the database (at most `limit + 1` documents read),
//!   sums are a `$group` in the database, exact (`Decimal128`; past `i64` a
//!   `Validation` error, see [`crate::money`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use futures::{FutureExt, TryStreamExt};
use mongodb::bson::{Document, doc};

use super::MongoStore;
use super::docs::{
    CategoryDoc, TransactionDoc, date_to_bson, exact_sum, id_of, int_field, oid, sum_field,
    time_to_bson, transaction_from_doc, transaction_to_doc,
};
use super::errors::{Fail, NOT_FOUND_TRANSACTION, corrupt};
use super::filter::{
    delete_owned, income_and_expense, owned, report_match, sort_order, transaction_filter,
};
use crate::domain::{
    CategoryKind, EntryKind, NewTransaction, Summary, Transaction, TransactionQuery,
};
use crate::error::Result;
use crate::id::Id;
use crate::store::{IdempotencyRecord, Transactions, duplicate_key, kind_from_str};

bounded_impl! {
    impl Transactions for MongoStore {
        async fn insert_transaction(
            &self,
            tx: &Transaction,
            key: Option<&IdempotencyRecord>,
        ) -> Result<Transaction> {
            self.in_transaction(&(self, tx, key), |s, &(store, tx, key)| {
                async move {
                    if let Some(key) = key {
                        store.insert_idempotency_record(s, tx.user_id, key).await?;
                    }
                    let stored = transaction_to_doc(tx);
                    store
                        .transactions
                        .insert_one(&stored)
                        .session(&mut *s)
                        .await?;
                    // Last, so concurrent adds to one category hold it briefly.
                    let category = crate::store::category_of(tx)?;
                    store.lock_category(s, tx.user_id, category).await?;
                    store.lock_accounts(s, tx.user_id, &[tx.account_id]).await?;
                    Ok(transaction_from_doc(stored)?)
                }
                .boxed()
            })
            .await
        }

        async fn transaction(&self, user: Id, id: Id) -> Result<Transaction> {
            self.find_transaction(user, id).await
        }

        async fn update_transaction(
            &self,
            user: Id,
            id: Id,
            change: &NewTransaction,
            account: Id,
            kind: EntryKind,
            now: DateTime<Utc>,
        ) -> Result<Transaction> {
            let note = change.note.as_ref().map(|n| n.as_str());
            let set = doc! {
                "accountId": oid(account),
                "category": oid(change.category_id),
                "type": kind.as_str(),
                "amount": change.amount.minor(),
                "date": date_to_bson(change.date),
                "description": change.description.as_str(),
                "note": note,
                "searchText": Transaction::search_text(change.description.as_str(), note),
                "dupKey": duplicate_key(
                    change.date,
                    change.amount.minor(),
                    kind.direction(),
                    change.description.as_str(),
                ),
                "updatedAt": time_to_bson(now),
            };
            let ctx = (self, user, id, change.category_id, account, set);
            self.in_transaction(&ctx, |s, (store, user, id, category, account, set)| {
                async move {
                    // Never a transfer's leg: it changes only with its transfer.
                    let updated = store
                        .transactions
                        .find_one_and_update(
                            doc! { "_id": oid(*id), "userId": oid(*user), "category": { "$ne": null } },
                            doc! { "$set": set.clone() },
                        )
                        .return_document(mongodb::options::ReturnDocument::After)
                        .session(&mut *s)
                        .await?;
                    let Some(updated) = updated else {
                        store.find_transaction(*user, *id).await?;
                        return Err(crate::rules::edit_transfer_as_transfer().into());
                    };
                    store.lock_category(s, *user, *category).await?;
                    store.lock_accounts(s, *user, &[*account]).await?;
                    Ok(transaction_from_doc(updated)?)
                }
                .boxed()
            })
            .await
        }

        async fn delete_transaction(&self, user: Id, id: Id) -> Result<()> {
            let t = self.find_transaction(user, id).await?;
            match t.transfer_id {
                // Both legs, in one write.
                Some(transfer) => self.delete_transfer_legs(user, transfer).await,
                None => delete_owned(&self.transactions, user, id, NOT_FOUND_TRANSACTION).await,
            }
        }

        async fn list_transactions(
            &self,
            user: Id,
            query: &TransactionQuery,
        ) -> Result<Vec<Transaction>> {
            let page = query.after.map(|after| (query.sort, after));
            let filter = transaction_filter(user, &query.filter, page)?;
            let docs: Vec<TransactionDoc> = self
                .transactions
                .find(filter)
                .sort(sort_order(query.sort))
                .limit(i64::from(query.limit) + 1)
                .await?
                .try_collect()
                .await?;
            Ok(docs
                .into_iter()
                .map(transaction_from_doc)
                .collect::<Result<_>>()?)
        }

        async fn list_transactions_named(
            &self,
            user: Id,
            query: &TransactionQuery,
        ) -> Result<(Vec<Transaction>, HashMap<Id, String>)> {
            let rows = self.list_transactions(user, query).await?;
            let ids: HashSet<Id> = rows.iter().filter_map(|t| t.category_id).collect();
            if ids.is_empty() {
                return Ok((rows, HashMap::new()));
            }
            let wanted: Vec<_> = ids.into_iter().map(oid).collect();
            let docs: Vec<CategoryDoc> = self
                .categories
                .find(doc! { "userId": oid(user), "_id": { "$in": wanted } })
                .await?
                .try_collect()
                .await?;
            let names = docs.into_iter().map(|c| (id_of(&c.id), c.name)).collect();
            Ok((rows, names))
        }

        async fn summary(
            &self,
            user: Id,
            account: Option<Id>,
            from: NaiveDate,
            to: NaiveDate,
        ) -> Result<Summary> {
            let pipeline = [
                doc! { "$match": income_and_expense(report_match(user, account, from, to)) },
                doc! { "$group": {
                    "_id": "$type",
                    "total": exact_sum("$amount"),
                    "count": { "$sum": 1 },
                } },
            ];
            let groups: Vec<Document> = self
                .transactions
                .aggregate(pipeline)
                .await?
                .try_collect()
                .await?;
            let mut summary = Summary::default();
            for group in groups {
                let total = sum_field(&group, "total")?;
                let count = u64::try_from(int_field(&group, "count")?)
                    .map_err(|_| corrupt("summary count"))?;
                summary.count += count;
                match kind_from_str(group.get_str("_id").map_err(|_| corrupt("summary group"))?)? {
                    CategoryKind::Income => summary.income = total,
                    CategoryKind::Expense => summary.expense = total,
                }
            }
            Ok(summary)
        }
    }
}

impl MongoStore {
    /// The user's transaction `id`, or `NotFound`.
    async fn find_transaction(&self, user: Id, id: Id) -> Result<Transaction, Fail> {
        let found = self.transactions.find_one(owned(user, id)).await?;
        Ok(transaction_from_doc(found.ok_or(NOT_FOUND_TRANSACTION)?)?)
    }
}
