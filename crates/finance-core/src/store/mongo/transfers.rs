//! [`Transfers`] on MongoDB: a transfer's two legs in `transactions`, each
//! write in one transaction that also locks both accounts (`lock_accounts`),
//! so a concurrent account delete conflicts instead of leaving a leg in a
//! deleted account.
//!
//! Invariants:
//! * the legs share `transferId` and carry no `category` (so no budget,
//!   summary or report pipeline, which all match `type` income/expense,
//!   sees them);
//! * both legs are written, changed and deleted together or not at all;
//! * another user's transfer is `NotFound { what: "transfer" }`.

use chrono::{DateTime, Utc};
use futures::{FutureExt, TryStreamExt};
use mongodb::ClientSession;
use mongodb::bson::doc;

use super::MongoStore;
use super::docs::{
    TransactionDoc, date_to_bson, oid, time_to_bson, transaction_from_doc, transaction_to_doc,
};
use super::errors::{Fail, NOT_FOUND_TRANSACTION};
use super::filter::owned;
use crate::domain::{NewTransfer, Transaction, Transfer};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{IdempotencyRecord, Transfers, duplicate_key};

const NOT_FOUND_TRANSFER: Error = Error::NotFound { what: "transfer" };

impl MongoStore {
    /// Both legs of the user's transfer `id` (inside `s` when given).
    pub(super) async fn find_transfer(
        &self,
        s: Option<&mut ClientSession>,
        user: Id,
        id: Id,
    ) -> Result<Transfer, Fail> {
        let filter = doc! { "userId": oid(user), "transferId": oid(id) };
        let docs: Vec<TransactionDoc> = match s {
            Some(s) => {
                let mut cursor = self.transactions.find(filter).session(&mut *s).await?;
                cursor.stream(s).try_collect().await?
            }
            None => self.transactions.find(filter).await?.try_collect().await?,
        };
        if docs.is_empty() {
            return Err(NOT_FOUND_TRANSFER.into());
        }
        let legs = docs
            .into_iter()
            .map(transaction_from_doc)
            .collect::<Result<Vec<_>>>()?;
        Ok(Transfer::from_legs(legs)?)
    }

    /// Insert both legs inside `s`, locking (and so checking) both accounts.
    async fn insert_legs(
        &self,
        s: &mut ClientSession,
        legs: &[Transaction; 2],
    ) -> Result<Transfer, Fail> {
        let docs: Vec<TransactionDoc> = legs.iter().map(transaction_to_doc).collect();
        self.transactions
            .insert_many(&docs)
            .session(&mut *s)
            .await?;
        let user = legs[0].user_id;
        let mut accounts = vec![legs[0].account_id, legs[1].account_id];
        accounts.sort_unstable();
        accounts.dedup();
        self.lock_accounts(s, user, &accounts).await?;
        let legs = docs
            .into_iter()
            .map(transaction_from_doc)
            .collect::<Result<Vec<_>>>()?;
        Ok(Transfer::from_legs(legs)?)
    }
}

bounded_impl! {
    impl Transfers for MongoStore {
        async fn insert_transfer(
            &self,
            legs: &[Transaction; 2],
            key: Option<&IdempotencyRecord>,
        ) -> Result<Transfer> {
            self.in_transaction(&(self, legs, key), |s, &(store, legs, key)| {
                async move {
                    if let Some(key) = key {
                        store.insert_idempotency_record(s, legs[0].user_id, key).await?;
                    }
                    store.insert_legs(s, legs).await
                }
                .boxed()
            })
            .await
        }

        async fn transfer(&self, user: Id, id: Id) -> Result<Transfer> {
            self.find_transfer(None, user, id).await
        }

        async fn update_transfer(
            &self,
            user: Id,
            id: Id,
            change: &NewTransfer,
            now: DateTime<Utc>,
        ) -> Result<Transfer> {
            self.in_transaction(&(self, user, id, change, now), |s, &(store, user, id, change, now)| {
                async move {
                    let old = store.find_transfer(Some(&mut *s), user, id).await?;
                    let note = change.note.as_ref().map(|n| n.as_str());
                    for (leg, account) in [(&old.from, change.from_account), (&old.to, change.to_account)] {
                        store
                            .transactions
                            .update_one(
                                owned(user, leg.id),
                                doc! { "$set": {
                                    "accountId": oid(account),
                                    "amount": change.amount.minor(),
                                    "date": date_to_bson(change.date),
                                    "description": change.description.as_str(),
                                    "note": note,
                                    "searchText": Transaction::search_text(change.description.as_str(), note),
                                    "dupKey": duplicate_key(
                                        change.date,
                                        change.amount.minor(),
                                        leg.kind.direction(),
                                        change.description.as_str(),
                                    ),
                                    "updatedAt": time_to_bson(now),
                                } },
                            )
                            .session(&mut *s)
                            .await?;
                    }
                    let mut accounts = vec![change.from_account, change.to_account];
                    accounts.sort_unstable();
                    accounts.dedup();
                    store.lock_accounts(s, user, &accounts).await?;
                    store.find_transfer(Some(&mut *s), user, id).await
                }
                .boxed()
            })
            .await
        }

        async fn replace_with_transfer(
            &self,
            user: Id,
            row: Id,
            legs: &[Transaction; 2],
        ) -> Result<Transfer> {
            self.in_transaction(&(self, user, row, legs), |s, &(store, user, row, legs)| {
                async move {
                    let found = store
                        .transactions
                        .find_one(owned(user, row))
                        .session(&mut *s)
                        .await?
                        .ok_or(NOT_FOUND_TRANSACTION)?;
                    if found.category.is_none() {
                        return Err(crate::rules::edit_transfer_as_transfer().into());
                    }
                    store
                        .transactions
                        .delete_one(owned(user, row))
                        .session(&mut *s)
                        .await?;
                    store.insert_legs(s, legs).await
                }
                .boxed()
            })
            .await
        }
    }
}

impl MongoStore {
    /// Delete both legs of the user's transfer `id` in one transaction.
    pub(super) async fn delete_transfer_legs(&self, user: Id, id: Id) -> Result<(), Fail> {
        self.in_transaction(&(self, user, id), |s, &(store, user, id)| {
            async move {
                let deleted = store
                    .transactions
                    .delete_many(doc! { "userId": oid(user), "transferId": oid(id) })
                    .session(&mut *s)
                    .await?;
                if deleted.deleted_count == 0 {
                    return Err(NOT_FOUND_TRANSACTION.into());
                }
                Ok(())
            }
            .boxed()
        })
        .await
    }
}
