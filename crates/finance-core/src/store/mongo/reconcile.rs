//! [`Reconciliations`] on MongoDB: cleared status and finishing a
//! reconciliation, each in one transaction that also locks the account
//! (`lock_accounts`), so two devices reconciling one account conflict and
//! one is retried.
//!
//! Invariants:
//! * only the user's rows of the given account change (another user's row
//!   is `NotFound`; a row in another account or already reconciled is
//!   `Validation { field: "ids" }`, and nothing changes);
//! * the cleared balance is `openingBalance` + the effects (`docs::balance_effect_expr`) of cleared and
//!   reconciled rows, summed exactly (`Decimal128`);
//! * finishing re-checks the cleared balance against the statement inside
//!   its transaction.

use chrono::NaiveDate;
use futures::{FutureExt, TryStreamExt};
use mongodb::ClientSession;
use mongodb::bson::{Document, doc};

use super::MongoStore;
use super::docs::{
    TransactionDoc, account_from_doc, balance_effect_expr, date_to_bson, exact_field, exact_sum,
    oid, transaction_from_doc,
};
use super::errors::{Fail, NOT_FOUND_ACCOUNT, NOT_FOUND_TRANSACTION};
use super::filter::owned;
use crate::domain::{Account, Reconciliation, Transaction, TxStatus};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;
use crate::store::Reconciliations;

impl MongoStore {
    /// Set `ids` (the user's rows in `account`, not reconciled, dated on or
    /// before `through` when given) to `status` inside `s`; how many changed.
    async fn mark_status(
        &self,
        s: &mut ClientSession,
        user: Id,
        account: Id,
        ids: &[Id],
        status: TxStatus,
        through: Option<NaiveDate>,
    ) -> Result<u64, Fail> {
        self.lock_accounts(s, user, &[account]).await?;
        let mut changed = 0;
        for id in ids {
            let found: TransactionDoc = self
                .transactions
                .find_one(owned(user, *id))
                .session(&mut *s)
                .await?
                .ok_or(NOT_FOUND_TRANSACTION)?;
            let t = transaction_from_doc(found)?;
            if t.account_id != account {
                return Err(Error::validation("ids", "a transaction is in another account").into());
            }
            if t.status == TxStatus::Reconciled {
                return Err(Error::validation("ids", "a transaction is already reconciled").into());
            }
            if through.is_some_and(|d| t.date > d) {
                return Err(Error::validation(
                    "ids",
                    "a ticked transaction is dated after the statement date",
                )
                .into());
            }
            if t.status != status {
                self.transactions
                    .update_one(
                        owned(user, *id),
                        doc! { "$set": { "status": status.as_str() } },
                    )
                    .session(&mut *s)
                    .await?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// The cleared balance of the user's `account` through `through` (inside `s` when given).
    async fn cleared_in(
        &self,
        mut s: Option<&mut ClientSession>,
        user: Id,
        account: Id,
        through: Option<NaiveDate>,
    ) -> Result<i64, Fail> {
        let found = match s.as_deref_mut() {
            Some(s) => {
                self.accounts
                    .find_one(owned(user, account))
                    .session(s)
                    .await?
            }
            None => self.accounts.find_one(owned(user, account)).await?,
        };
        let opening = account_from_doc(found.ok_or(NOT_FOUND_ACCOUNT)?)?.opening_balance;
        let mut filter = doc! {
            "userId": oid(user),
            "accountId": oid(account),
            "status": { "$in": ["cleared", "reconciled"] },
        };
        if let Some(d) = through {
            filter.insert("date", doc! { "$lte": date_to_bson(d) });
        }
        let pipeline = [
            doc! { "$match": filter },
            doc! { "$group": { "_id": null, "effect": exact_sum(balance_effect_expr()) } },
        ];
        let groups: Vec<Document> = match s {
            Some(s) => {
                let mut cursor = self
                    .transactions
                    .aggregate(pipeline)
                    .session(&mut *s)
                    .await?;
                cursor.stream(s).try_collect().await?
            }
            None => {
                self.transactions
                    .aggregate(pipeline)
                    .await?
                    .try_collect()
                    .await?
            }
        };
        let sum = match groups.first() {
            Some(g) => exact_field(g, "effect")?,
            None => 0,
        };
        Ok(money::signed_total("balance", i128::from(opening) + sum)?)
    }
}

bounded_impl! {
    impl Reconciliations for MongoStore {
        async fn set_cleared(&self, user: Id, account: Id, ids: &[Id], cleared: bool) -> Result<u64> {
            let status = if cleared { TxStatus::Cleared } else { TxStatus::Uncleared };
            self.in_transaction(&(self, user, account, ids, status), |s, &(store, user, account, ids, status)| {
                async move { store.mark_status(s, user, account, ids, status, None).await }.boxed()
            })
            .await
        }

        async fn unreconciled(
            &self,
            user: Id,
            account: Id,
            through: NaiveDate,
            limit: u32,
        ) -> Result<Vec<Transaction>> {
            let docs: Vec<TransactionDoc> = self
                .transactions
                .find(doc! {
                    "userId": oid(user),
                    "accountId": oid(account),
                    "status": { "$ne": TxStatus::Reconciled.as_str() },
                    "date": { "$lte": date_to_bson(through) },
                })
                .sort(doc! { "date": 1, "_id": 1 })
                .limit(i64::from(limit))
                .await?
                .try_collect()
                .await?;
            Ok(docs
                .into_iter()
                .map(transaction_from_doc)
                .collect::<Result<Vec<_>>>()?)
        }

        async fn cleared_balance(
            &self,
            user: Id,
            account: Id,
            through: Option<NaiveDate>,
        ) -> Result<i64> {
            self.cleared_in(None, user, account, through).await
        }

        async fn finish_reconciliation(
            &self,
            user: Id,
            account: Id,
            statement: Reconciliation,
            ticked: &[Id],
        ) -> Result<Account> {
            let ctx = (self, user, account, statement, ticked);
            self.in_transaction(&ctx, |s, &(store, user, account, statement, ticked)| {
                async move {
                    store
                        .mark_status(s, user, account, ticked, TxStatus::Cleared, Some(statement.date))
                        .await?;
                    let balance = store
                        .cleared_in(Some(&mut *s), user, account, Some(statement.date))
                        .await?;
                    if balance != statement.balance {
                        return Err(crate::rules::reconciliation_off(statement.balance, balance).into());
                    }
                    store
                        .transactions
                        .update_many(
                            doc! {
                                "userId": oid(user),
                                "accountId": oid(account),
                                "status": "cleared",
                                "date": { "$lte": date_to_bson(statement.date) },
                            },
                            doc! { "$set": { "status": "reconciled" } },
                        )
                        .session(&mut *s)
                        .await?;
                    let updated = store
                        .accounts
                        .find_one_and_update(
                            owned(user, account),
                            doc! { "$set": { "reconciled": {
                                "date": date_to_bson(statement.date),
                                "balance": statement.balance,
                            } } },
                        )
                        .return_document(mongodb::options::ReturnDocument::After)
                        .session(&mut *s)
                        .await?
                        .ok_or(NOT_FOUND_ACCOUNT)?;
                    Ok(account_from_doc(updated)?)
                }
                .boxed()
            })
            .await
        }
    }
}
