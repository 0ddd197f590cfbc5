//! [`BulkEdits`] on MongoDB: a filter's totals in one `$group`, and bulk
//! actions each in one transaction.
//!
//! Invariants:
//! * a selection is a filter document ([`selection_filter`]): explicit ids
//!   (`_id $in`) or the list's filter (`filter::transaction_filter`),
//!   always with `userId`; every statement applies it inside the
//!   transaction — rows are never read into Rust, except those a delete
//!   returns for its undo (bounded by the rules);
//! * each action counts the selection first (one `$group`, [`census`]),
//!   lets the operation's check judge it, then runs one `updateMany` or
//!   `deleteMany`; a failure aborts the transaction (nothing changes);
//! * a write that makes rows reference a category or an account writes
//!   that document in the same transaction (`lock_category`,
//!   `lock_accounts`, invariant 12); a restore locks every category and
//!   account its rows name;
//! * sums are exact (`exact_sum`, `Decimal128`), as everywhere on this store.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use futures::{FutureExt, TryStreamExt};
use mongodb::ClientSession;
use mongodb::bson::{Document, doc};

use super::MongoStore;
use super::docs::{
    TransactionDoc, count_field, exact_field, exact_sum, oid, time_to_bson, transaction_from_doc,
    transaction_to_doc,
};
use super::errors::Fail;
use super::filter::transaction_filter;
use crate::domain::{
    BulkChange, EntryKind, FilterTotals, Selection, SelectionCensus, Transaction,
    TransactionFilter, TxStatus,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{BulkEdits, CensusCheck, IdempotencyRecord};

/// The filter of the user's selected rows and how many ids were asked for (0 for a filter).
fn selection_filter(user: Id, selection: &Selection) -> Result<(Document, u64)> {
    Ok(match selection {
        Selection::Ids(ids) => {
            let ids: Vec<_> = ids.iter().map(|id| oid(*id)).collect();
            let asked = ids.len() as u64;
            (doc! { "userId": oid(user), "_id": { "$in": ids } }, asked)
        }
        Selection::Filter(f) => (transaction_filter(user, f, None)?, 0),
    })
}

/// `{$sum: {$cond: [cond, 1, 0]}}`.
fn count_if(cond: Document) -> Document {
    doc! { "$sum": { "$cond": [cond, 1, 0] } }
}

/// Run `pipeline` inside the session and collect its documents.
async fn aggregate_in(
    store: &MongoStore,
    s: &mut ClientSession,
    pipeline: Vec<Document>,
) -> Result<Vec<Document>, Fail> {
    let mut cursor = store
        .transactions
        .aggregate(pipeline)
        .session(&mut *s)
        .await?;
    Ok(cursor.stream(s).try_collect().await?)
}

/// Count the rows `filter` matches, by kind and status, inside the session.
async fn census(
    store: &MongoStore,
    s: &mut ClientSession,
    filter: Document,
) -> Result<SelectionCensus, Fail> {
    let legs = [
        EntryKind::TransferOut.as_str(),
        EntryKind::TransferIn.as_str(),
    ];
    let pipeline = vec![
        doc! { "$match": filter },
        doc! { "$group": {
            "_id": null,
            "rows": { "$sum": 1 },
            "income": count_if(doc! { "$eq": ["$type", EntryKind::Income.as_str()] }),
            "expense": count_if(doc! { "$eq": ["$type", EntryKind::Expense.as_str()] }),
            "legs": count_if(doc! { "$in": ["$type", legs.to_vec()] }),
            "reconciled": count_if(doc! { "$eq": ["$status", TxStatus::Reconciled.as_str()] }),
        } },
    ];
    let groups = aggregate_in(store, s, pipeline).await?;
    let Some(g) = groups.first() else {
        return Ok(SelectionCensus::default());
    };
    let rows = count_field(g, "rows")?;
    Ok(SelectionCensus {
        asked: 0,
        selected: rows,
        rows,
        income: count_field(g, "income")?,
        expense: count_field(g, "expense")?,
        transfer_legs: count_field(g, "legs")?,
        reconciled: count_field(g, "reconciled")?,
    })
}

bounded_impl! {
    impl BulkEdits for MongoStore {
        async fn filter_totals(&self, user: Id, filter: &TransactionFilter) -> Result<FilterTotals> {
            let amount_if = |kind: EntryKind| {
                doc! { "$cond": [{ "$eq": ["$type", kind.as_str()] }, "$amount", 0_i64] }
            };
            let pipeline = [
                doc! { "$match": transaction_filter(user, filter, None)? },
                doc! { "$group": {
                    "_id": null,
                    "income": exact_sum(amount_if(EntryKind::Income)),
                    "expense": exact_sum(amount_if(EntryKind::Expense)),
                    "count": { "$sum": 1 },
                } },
            ];
            let groups: Vec<Document> = self
                .transactions
                .aggregate(pipeline)
                .await?
                .try_collect()
                .await?;
            Ok(match groups.first() {
                None => FilterTotals::default(),
                Some(g) => FilterTotals::from_sums(
                    exact_field(g, "income")?,
                    exact_field(g, "expense")?,
                    count_field(g, "count")?,
                )?,
            })
        }

        #[within(self.operation_timeout * 4)]
        async fn bulk_update(
            &self,
            user: Id,
            selection: &Selection,
            change: BulkChange,
            check: CensusCheck,
            now: DateTime<Utc>,
        ) -> Result<u64> {
            let (selected, asked) = selection_filter(user, selection)?;
            let (set, filter) = match change {
                BulkChange::Category(c) => (
                    doc! { "category": oid(c), "updatedAt": time_to_bson(now) },
                    selected.clone(),
                ),
                BulkChange::Account(a) => (
                    doc! { "accountId": oid(a), "updatedAt": time_to_bson(now) },
                    selected.clone(),
                ),
                BulkChange::Cleared => (
                    doc! { "status": TxStatus::Cleared.as_str() },
                    doc! { "$and": [selected.clone(), { "status": TxStatus::Uncleared.as_str() }] },
                ),
            };
            let ctx = (self, user, change, selected, filter, set, check);
            self.in_transaction(&ctx, |s, (store, user, change, selected, filter, set, check)| {
                async move {
                    // The target first: checked (NotFound) and written, so a
                    // concurrent delete of it conflicts (invariant 12).
                    match *change {
                        BulkChange::Category(c) => store.lock_category(s, *user, c).await?,
                        BulkChange::Account(a) => store.lock_accounts(s, *user, &[a]).await?,
                        BulkChange::Cleared => {}
                    }
                    let counted = census(store, s, selected.clone()).await?;
                    check(&SelectionCensus { asked, ..counted })?;
                    let changed = store
                        .transactions
                        .update_many(filter.clone(), doc! { "$set": set.clone() })
                        .session(&mut *s)
                        .await?;
                    Ok(changed.matched_count)
                }
                .boxed()
            })
            .await
        }

        #[within(self.operation_timeout * 4)]
        async fn bulk_delete(
            &self,
            user: Id,
            selection: &Selection,
            check: CensusCheck,
        ) -> Result<Vec<Transaction>> {
            let (selected, asked) = selection_filter(user, selection)?;
            let ctx = (self, user, selected, check);
            self.in_transaction(&ctx, |s, (store, user, selected, check)| {
                async move {
                    let found = census(store, s, selected.clone()).await?.rows;
                    // Both legs of every transfer the selection has a leg of.
                    let legs = doc! { "$and": [selected.clone(), { "transferId": { "$ne": null } }] };
                    let transfers = store
                        .transactions
                        .distinct("transferId", legs)
                        .session(&mut *s)
                        .await?;
                    let taken = doc! { "$or": [
                        selected.clone(),
                        { "userId": oid(*user), "transferId": { "$in": transfers } },
                    ] };
                    let counted = census(store, s, taken.clone()).await?;
                    check(&SelectionCensus {
                        asked,
                        selected: found,
                        ..counted
                    })?;
                    let docs: Vec<TransactionDoc> = {
                        let mut cursor = store.transactions.find(taken.clone()).session(&mut *s).await?;
                        cursor.stream(&mut *s).try_collect().await?
                    };
                    let rows = docs
                        .into_iter()
                        .map(transaction_from_doc)
                        .collect::<Result<Vec<_>>>()?;
                    let ids: Vec<_> = rows.iter().map(|t| oid(t.id)).collect();
                    store
                        .transactions
                        .delete_many(doc! { "userId": oid(*user), "_id": { "$in": ids } })
                        .session(&mut *s)
                        .await?;
                    Ok(rows)
                }
                .boxed()
            })
            .await
        }

        #[within(self.operation_timeout * 4)]
        async fn restore_transactions(
            &self,
            user: Id,
            rows: &[Transaction],
            key: Option<&IdempotencyRecord>,
        ) -> Result<u64> {
            if rows.iter().any(|t| t.user_id != user) {
                return Err(Error::NotFound {
                what: "transaction",
            }.into());
            }
            let categories: Vec<Id> = rows
                .iter()
                .filter_map(|t| t.category_id)
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            let accounts: Vec<Id> = rows
                .iter()
                .map(|t| t.account_id)
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            let ctx = (self, user, rows, key, categories, accounts);
            self.in_transaction(&ctx, |s, (store, user, rows, key, categories, accounts)| {
                async move {
                    if let Some(key) = key {
                        store.insert_idempotency_record(s, *user, key).await?;
                    }
                    store.lock_categories(s, *user, categories).await?;
                    store.lock_accounts(s, *user, accounts).await?;
                    let ids: Vec<_> = rows.iter().map(|t| oid(t.id)).collect();
                    let present = store
                        .transactions
                        .count_documents(doc! { "_id": { "$in": ids } })
                        .session(&mut *s)
                        .await?;
                    if present > 0 {
                        return Err(Error::conflict(
                            "ids",
                            "these transactions are back already (the undo was done)",
                        )
                        .into());
                    }
                    if !rows.is_empty() {
                        let docs: Vec<TransactionDoc> = rows.iter().map(transaction_to_doc).collect();
                        store.transactions.insert_many(docs).session(&mut *s).await?;
                    }
                    Ok(rows.len() as u64)
                }
                .boxed()
            })
            .await
        }
    }
}
