//! [`Users`] on MongoDB: the `users` collection.
//!
//! Invariants:
//! * a user, their starting categories and first account are inserted in one transaction;
//!   a taken username or email is `Conflict` (by the unique index's name);
//! * a password change and the revocation of the user's other sessions
//!   commit together;
//! * deleting a user deletes everything they own (transactions, budgets,
//!   categories, accounts, sessions, idempotency records) in the same transaction.

use futures::FutureExt;
use mongodb::bson::doc;

use super::docs::{CategoryDoc, account_to_doc, category_to_doc, oid, user_from_doc, user_to_doc};
use super::errors::NOT_FOUND_USER;
use crate::domain::{Account, Category, CurrencyUsage};
use crate::error::Result;
use crate::id::Id;
use crate::money::Currency;
use crate::rules;
use crate::store::{UserRecord, Users};

bounded_impl! {
    impl Users for MongoStore {
        async fn create_user(
            &self,
            user: &UserRecord,
            categories: &[Category],
            account: &Account,
        ) -> Result<()> {
            self.in_transaction(
                &(self, user, categories, account),
                |s, &(store, user, categories, account)| {
                    async move {
                        store
                            .users
                            .insert_one(user_to_doc(user))
                            .session(&mut *s)
                            .await?;
                        if !categories.is_empty() {
                            let docs: Vec<CategoryDoc> =
                                categories.iter().map(category_to_doc).collect();
                            store.categories.insert_many(docs).session(&mut *s).await?;
                        }
                        store
                            .accounts
                            .insert_one(account_to_doc(account))
                            .session(&mut *s)
                            .await?;
                        Ok(())
                    }
                    .boxed()
                },
            )
            .await
        }

        async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
            let found = self.users.find_one(doc! { "username": username }).await?;
            Ok(found.map(user_from_doc).transpose()?)
        }

        async fn user_by_id(&self, id: Id) -> Result<Option<UserRecord>> {
            let found = self.users.find_one(doc! { "_id": oid(id) }).await?;
            Ok(found.map(user_from_doc).transpose()?)
        }

        async fn set_password_hash(
            &self,
            user: Id,
            hash: &str,
            keep_jti: Option<&str>,
        ) -> Result<()> {
            self.in_transaction(
                &(self, user, hash, keep_jti),
                |s, &(store, user, hash, keep)| {
                    async move {
                        let updated = store
                            .users
                            .update_one(
                                doc! { "_id": oid(user) },
                                doc! { "$set": { "passwordHash": hash } },
                            )
                            .session(&mut *s)
                            .await?;
                        if updated.matched_count == 0 {
                            return Err(NOT_FOUND_USER.into());
                        }
                        let mut revoke = doc! { "userId": oid(user) };
                        if let Some(jti) = keep {
                            revoke.insert("_id", doc! { "$ne": jti });
                        }
                        store.sessions.delete_many(revoke).session(&mut *s).await?;
                        Ok(())
                    }
                    .boxed()
                },
            )
            .await
        }

        async fn delete_user(&self, user: Id) -> Result<()> {
            self.in_transaction(&(self, user), |s, &(store, user)| {
                async move {
                    let Some(removed) = store
                        .users
                        .find_one_and_delete(doc! { "_id": oid(user) })
                        .session(&mut *s)
                        .await?
                    else {
                        return Err(NOT_FOUND_USER.into());
                    };
                    // The log-in throttle is keyed by the (normalised) username.
                    store
                        .throttle
                        .delete_one(doc! { "_id": &removed.username })
                        .session(&mut *s)
                        .await?;
                    let mine = doc! { "userId": oid(user) };
                    store
                        .transactions
                        .delete_many(mine.clone())
                        .session(&mut *s)
                        .await?;
                    store
                        .budgets
                        .delete_many(mine.clone())
                        .session(&mut *s)
                        .await?;
                    store
                        .schedules
                        .delete_many(mine.clone())
                        .session(&mut *s)
                        .await?;
                    store
                        .rules
                        .delete_many(mine.clone())
                        .session(&mut *s)
                        .await?;
                    store
                        .categories
                        .delete_many(mine.clone())
                        .session(&mut *s)
                        .await?;
                    store
                        .accounts
                        .delete_many(mine.clone())
                        .session(&mut *s)
                        .await?;
                    store
                        .sessions
                        .delete_many(mine.clone())
                        .session(&mut *s)
                        .await?;
                    store.idempotency.delete_many(mine).session(&mut *s).await?;
                    // Their memberships both ways: in their ledger, and theirs in others'.
                    store
                        .memberships
                        .delete_many(doc! { "$or": [
                            { "ledgerId": oid(user) },
                            { "memberId": oid(user) },
                        ] })
                        .session(&mut *s)
                        .await?;
                    Ok(())
                }
                .boxed()
            })
            .await
        }

        async fn currency_usage(&self, user: Id) -> Result<CurrencyUsage> {
            let [tx, budgets, balances, schedules, rules] = usage_filters(user);
            Ok(CurrencyUsage {
                transactions: self.transactions.count_documents(tx).await?,
                budgets: self.budgets.count_documents(budgets).await?,
                balances: self.accounts.count_documents(balances).await?,
                schedules: self.schedules.count_documents(schedules).await?,
                rules: self.rules.count_documents(rules).await?,
            })
        }

        async fn set_currency(&self, user: Id, currency: Currency) -> Result<()> {
            self.in_transaction(&(self, user, currency), |s, &(store, user, currency)| {
                async move {
                    // Every account and category document is written too, so a
                    // concurrent add (which writes the account or category it
                    // references, invariant 12) conflicts with this change and
                    // one of the two is retried: never an amount in the old
                    // currency beside the new one.
                    let mine = doc! { "userId": oid(user) };
                    let code = currency.code();
                    store
                        .accounts
                        .update_many(
                            mine.clone(),
                            doc! { "$set": { "currency": code }, "$inc": { "rev": 1 } },
                        )
                        .session(&mut *s)
                        .await?;
                    store
                        .categories
                        .update_many(mine, doc! { "$inc": { "rev": 1 } })
                        .session(&mut *s)
                        .await?;
                    let [tx, budgets, balances, schedules, rules] = usage_filters(user);
                    let usage = CurrencyUsage {
                        transactions: store
                            .transactions
                            .count_documents(tx)
                            .session(&mut *s)
                            .await?,
                        budgets: store.budgets.count_documents(budgets).session(&mut *s).await?,
                        balances: store
                            .accounts
                            .count_documents(balances)
                            .session(&mut *s)
                            .await?,
                        schedules: store
                            .schedules
                            .count_documents(schedules)
                            .session(&mut *s)
                            .await?,
                        rules: store.rules.count_documents(rules).session(&mut *s).await?,
                    };
                    if let Some(refused) = rules::currency_in_use(usage) {
                        return Err(refused.into());
                    }
                    let updated = store
                        .users
                        .update_one(
                            doc! { "_id": oid(user) },
                            doc! { "$set": { "currency": code } },
                        )
                        .session(&mut *s)
                        .await?;
                    if updated.matched_count == 0 {
                        return Err(NOT_FOUND_USER.into());
                    }
                    Ok(())
                }
                .boxed()
            })
            .await
        }

        async fn count_users(&self, limit: u64) -> Result<u64> {
            Ok(self.users.count_documents(doc! {}).limit(limit).await?)
        }
    }
}

/// The filters of what holds amounts in `user`'s currency: their
/// transactions, their budgets, their accounts with an opening balance or a
/// reconciled statement, their schedules, their rules with an amount.
fn usage_filters(user: Id) -> [mongodb::bson::Document; 5] {
    [
        doc! { "userId": oid(user) },
        doc! { "userId": oid(user) },
        doc! {
            "userId": oid(user),
            "$or": [
                { "openingBalance": { "$ne": 0_i64 } },
                { "reconciled": { "$ne": null } },
            ],
        },
        doc! { "userId": oid(user) },
        doc! {
            "userId": oid(user),
            "$or": [
                { "amountMin": { "$ne": null } },
                { "amountMax": { "$ne": null } },
            ],
        },
    ]
}
