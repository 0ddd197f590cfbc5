//! [`Accounts`] on MongoDB: the `accounts` collection, balances, and the
//! migration that gives data from before accounts its "Main account".
//!
//! Invariants:
//! * names are unique per user, case-insensitively (`nameKey` under the
//!   unique index `account_name_unique`);
//! * accounts are listed by `position`, then `createdAt`, then id;
//! * a balance is `openingBalance` + the sum of the effects (`docs::balance_effect_expr`) of the
//!   account's rows (the sign of `rules::balance_effect`), summed exactly
//!   (`Decimal128`) by one `$group` per user, the cleared balance (cleared
//!   and reconciled rows) in the same `$group`; a row without `accountId`
//!   (written by a device from before accounts) counts in the Main account,
//!   whose id is the user's;
//! * **no reference to a deleted account**, as for categories (see
//!   `categories`): every write that makes a transaction reference an account
//!   (adds, edits, imports, the move of a delete) also writes that account's
//!   document ([`MongoStore::lock_accounts`], a `rev` bump) in its
//!   transaction, and the delete writes it too, so the two conflict and the
//!   loser is retried;
//! * deleting refuses the user's last account and, without a target, an
//!   account that holds transactions — counted inside the delete's transaction;
//!   with a target, the transfers between the two go first (both legs: they
//!   would sit in one account), in the same transaction;
//! * [`MongoStore::migrate_accounts`] (run on open) gives every user without
//!   an account "Main account" with `_id` = the user's id, and every
//!   transaction without `accountId` the user's default account. It is
//!   idempotent and resumable (each step finds only what is left to do) and
//!   safe with two devices opening at once (the same id: the second insert is
//!   a duplicate key, ignored; the updates set the same value).

use futures::{FutureExt, TryStreamExt};
use mongodb::ClientSession;
use mongodb::bson::{Bson, Document, doc};
use mongodb::options::ReturnDocument;

use super::MongoStore;
use super::docs::{
    AccountDoc, account_from_doc, account_to_doc, balance_effect_expr, date_to_bson, exact_field,
    exact_sum, id_of, int_field, oid, user_from_doc,
};
use super::errors::{Fail, NOT_FOUND_ACCOUNT, corrupt, error_code};
use super::filter::{lock_owned, owned};
use crate::domain::{Account, AccountBalance, AccountType, MAIN_ACCOUNT_NAME, NewAccount};
use crate::error::Result;
use crate::id::Id;
use crate::money;
use crate::rules;
use crate::store::Accounts;

/// Documents moved to their account per update of the migration.
const MIGRATION_BATCH: i64 = 5_000;

bounded_impl! {
    impl Accounts for MongoStore {
        async fn insert_account(&self, account: &Account) -> Result<()> {
            self.accounts.insert_one(account_to_doc(account)).await?;
            Ok(())
        }

        async fn accounts(&self, user: Id) -> Result<Vec<Account>> {
            self.list_accounts(user).await
        }

        async fn account_balances(&self, user: Id) -> Result<Vec<AccountBalance>> {
            let accounts = self.list_accounts(user).await?;
            let pipeline = [
                doc! { "$match": { "userId": oid(user) } },
                doc! { "$group": {
                    "_id": { "$ifNull": ["$accountId", "$userId"] },
                    "effect": exact_sum(balance_effect_expr()),
                    "cleared": exact_sum(doc! { "$cond": [
                        { "$in": ["$status", ["cleared", "reconciled"]] },
                        balance_effect_expr(),
                        0_i64,
                    ] }),
                    "count": { "$sum": 1 },
                } },
            ];
            let groups: Vec<Document> = self
                .transactions
                .aggregate(pipeline)
                .await?
                .try_collect()
                .await?;
            let mut sums = std::collections::HashMap::new();
            for g in groups {
                let id = g.get_object_id("_id").map_err(|_| corrupt("balance group"))?;
                let effect = exact_field(&g, "effect")?;
                let cleared = exact_field(&g, "cleared")?;
                let count = u64::try_from(int_field(&g, "count")?)
                    .map_err(|_| corrupt("balance count"))?;
                sums.insert(id_of(&id), (effect, cleared, count));
            }
            accounts
                .into_iter()
                .map(|account| {
                    let (effect, cleared, transactions) =
                        sums.get(&account.id).copied().unwrap_or((0, 0, 0));
                    let opening = i128::from(account.opening_balance);
                    let balance = money::signed_total("balance", opening + effect)?;
                    let cleared_balance = money::signed_total("balance", opening + cleared)?;
                    Ok(AccountBalance { account, balance, cleared_balance, transactions })
                })
                .collect::<Result<_>>()
                .map_err(Fail::from)
        }

        async fn account(&self, user: Id, id: Id) -> Result<Account> {
            self.find_account(user, id).await
        }

        async fn update_account(&self, user: Id, id: Id, change: &NewAccount) -> Result<Account> {
            let set = doc! {
                "name": change.name.as_str(),
                "nameKey": change.name.key(),
                "type": change.kind.as_str(),
                "openingBalance": change.opening_balance,
                "openingDate": date_to_bson(change.opening_date),
                "note": change.note.as_ref().map(|n| n.as_str()),
            };
            let updated = self
                .accounts
                .find_one_and_update(owned(user, id), doc! { "$set": set })
                .return_document(ReturnDocument::After)
                .await?;
            Ok(account_from_doc(updated.ok_or(NOT_FOUND_ACCOUNT)?)?)
        }

        async fn set_account_archived(&self, user: Id, id: Id, archived: bool) -> Result<Account> {
            let updated = self
                .accounts
                .find_one_and_update(owned(user, id), doc! { "$set": { "archived": archived } })
                .return_document(ReturnDocument::After)
                .await?;
            Ok(account_from_doc(updated.ok_or(NOT_FOUND_ACCOUNT)?)?)
        }

        async fn delete_account(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()> {
            self.in_transaction(
                &(self, user, id, move_to),
                |s, &(store, user, id, move_to)| {
                    async move {
                        // Written first, so a concurrent add into it conflicts.
                        store.lock_accounts(s, user, &[id]).await?;
                        let accounts = store
                            .accounts
                            .count_documents(doc! { "userId": oid(user) })
                            .session(&mut *s)
                            .await?;
                        if accounts <= 1 {
                            return Err(rules::last_account().into());
                        }
                        store.check_schedules_unused(s, user, "account", id).await?;
                        let held = doc! { "userId": oid(user), "accountId": oid(id) };
                        match move_to {
                            None => {
                                let used = store
                                    .transactions
                                    .count_documents(held)
                                    .session(&mut *s)
                                    .await?;
                                if used > 0 {
                                    return Err(rules::account_in_use(used).into());
                                }
                            }
                            Some(target) => {
                                store.lock_accounts(s, user, &[target]).await?;
                                // Transfers between the two would have both
                                // legs in the target: both legs go.
                                let between = store
                                    .transfers_between(Some(&mut *s), user, id, Some(target))
                                    .await?;
                                if !between.is_empty() {
                                    store
                                        .transactions
                                        .delete_many(doc! {
                                            "userId": oid(user),
                                            "transferId": { "$in": between },
                                        })
                                        .session(&mut *s)
                                        .await?;
                                }
                                store
                                    .transactions
                                    .update_many(held, doc! { "$set": { "accountId": oid(target) } })
                                    .session(&mut *s)
                                    .await?;
                            }
                        }
                        // Rules on the account follow its rows, or go with it.
                        store
                            .rules_follow(s, user, "accountId", id, move_to)
                            .await?;
                        store
                            .accounts
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

        async fn delete_account_with_transactions(&self, user: Id, id: Id) -> Result<u64> {
            self.in_transaction(&(self, user, id), |s, &(store, user, id)| {
                async move {
                    // Written first, so a concurrent add into it conflicts.
                    store.lock_accounts(s, user, &[id]).await?;
                    let accounts = store
                        .accounts
                        .count_documents(doc! { "userId": oid(user) })
                        .session(&mut *s)
                        .await?;
                    if accounts <= 1 {
                        return Err(rules::last_account().into());
                    }
                    store.check_schedules_unused(s, user, "account", id).await?;
                    // Both legs of its transfers, then its own rows.
                    let transfers = store.transfers_between(Some(&mut *s), user, id, None).await?;
                    let mut deleted = 0;
                    if !transfers.is_empty() {
                        deleted += store
                            .transactions
                            .delete_many(doc! {
                                "userId": oid(user),
                                "transferId": { "$in": transfers },
                            })
                            .session(&mut *s)
                            .await?
                            .deleted_count;
                    }
                    deleted += store
                        .transactions
                        .delete_many(doc! { "userId": oid(user), "accountId": oid(id) })
                        .session(&mut *s)
                        .await?
                        .deleted_count;
                    store.rules_follow(s, user, "accountId", id, None).await?;
                    store
                        .accounts
                        .delete_one(owned(user, id))
                        .session(&mut *s)
                        .await?;
                    Ok(deleted)
                }
                .boxed()
            })
            .await
        }

        async fn account_transfers(&self, user: Id, id: Id) -> Result<Vec<(Id, u64)>> {
            let ids = self.transfers_between(None, user, id, None).await?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let pipeline = [
                doc! { "$match": {
                    "userId": oid(user),
                    "transferId": { "$in": ids },
                    "accountId": { "$ne": oid(id) },
                } },
                doc! { "$group": { "_id": "$accountId", "count": { "$sum": 1 } } },
                doc! { "$sort": { "_id": 1 } },
            ];
            let groups: Vec<Document> = self
                .transactions
                .aggregate(pipeline)
                .await?
                .try_collect()
                .await?;
            groups
                .iter()
                .map(|g| {
                    let other = g.get_object_id("_id").map_err(|_| corrupt("transfer group"))?;
                    let n = u64::try_from(int_field(g, "count")?)
                        .map_err(|_| corrupt("transfer count"))?;
                    Ok((id_of(&other), n))
                })
                .collect::<Result<_>>()
                .map_err(Fail::from)
        }
    }
}

impl MongoStore {
    /// The ids of the transfers with a leg in the user's account `id` and,
    /// given `other`, the other leg in `other` (inside `s` when given).
    async fn transfers_between(
        &self,
        mut s: Option<&mut ClientSession>,
        user: Id,
        id: Id,
        other: Option<Id>,
    ) -> Result<Vec<Bson>, Fail> {
        let legs = doc! {
            "userId": oid(user),
            "accountId": oid(id),
            "transferId": { "$ne": null },
        };
        let ids = self.transfer_ids(s.as_deref_mut(), legs).await?;
        match other {
            Some(other) if !ids.is_empty() => {
                let across = doc! {
                    "userId": oid(user),
                    "accountId": oid(other),
                    "transferId": { "$in": ids },
                };
                self.transfer_ids(s, across).await
            }
            _ => Ok(ids),
        }
    }

    /// The distinct `transferId`s of the rows `filter` matches (inside `s` when given).
    async fn transfer_ids(
        &self,
        s: Option<&mut ClientSession>,
        filter: Document,
    ) -> Result<Vec<Bson>, Fail> {
        let distinct = self.transactions.distinct("transferId", filter);
        Ok(match s {
            Some(s) => distinct.session(s).await?,
            None => distinct.await?,
        })
    }

    /// The user's accounts in list order.
    async fn list_accounts(&self, user: Id) -> Result<Vec<Account>, Fail> {
        let docs: Vec<AccountDoc> = self
            .accounts
            .find(doc! { "userId": oid(user) })
            .await?
            .try_collect()
            .await?;
        let mut accounts = docs
            .into_iter()
            .map(account_from_doc)
            .collect::<Result<Vec<_>>>()?;
        accounts.sort_by_key(|a| (a.position, a.created_at, a.id));
        Ok(accounts)
    }

    /// The user's account `id`, or `NotFound`.
    pub(super) async fn find_account(&self, user: Id, id: Id) -> Result<Account, Fail> {
        let found = self.accounts.find_one(owned(user, id)).await?;
        Ok(account_from_doc(found.ok_or(NOT_FOUND_ACCOUNT)?)?)
    }

    /// Write each of the user's accounts `ids` (distinct) inside the
    /// session's transaction (`rev` + 1), or `NotFound` when any is not the
    /// user's. Every write that adds a reference to an account calls this
    /// (see the module docs).
    pub(super) async fn lock_accounts(
        &self,
        s: &mut ClientSession,
        user: Id,
        ids: &[Id],
    ) -> Result<(), Fail> {
        lock_owned(&self.accounts, s, user, ids, NOT_FOUND_ACCOUNT).await
    }

    /// The migration to accounts, run on every open (cheap when done: one
    /// `distinct` per collection and an indexed `accountId: null` look-up).
    /// See the module docs.
    pub(super) async fn migrate_accounts(&self) -> Result<(), Fail> {
        let with_account: std::collections::HashSet<_> = self
            .accounts
            .distinct("userId", doc! {})
            .await?
            .into_iter()
            .filter_map(|v| v.as_object_id())
            .collect();
        let mut created = 0u64;
        let mut users = self.users.find(doc! {}).await?;
        while let Some(user) = users.try_next().await? {
            if with_account.contains(&user.id) {
                continue;
            }
            let user = user_from_doc(user)?.user;
            let main = Account {
                id: user.id,
                user_id: user.id,
                name: MAIN_ACCOUNT_NAME.to_string(),
                kind: AccountType::Checking,
                currency: user.currency,
                opening_balance: 0,
                opening_date: user.created_at.date_naive(),
                note: None,
                archived: false,
                position: 0,
                last_reconciled: None,
                created_at: user.created_at,
            };
            match self.accounts.insert_one(account_to_doc(&main)).await {
                Ok(_) => created += 1,
                // Another device made it first (same id, or the same name).
                Err(e) if error_code(&e) == Some(11000) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let pending: Vec<_> = self
            .transactions
            .distinct("userId", doc! { "accountId": null })
            .await?
            .into_iter()
            .filter_map(|v| v.as_object_id())
            .collect();
        let mut moved = 0u64;
        for user in pending {
            let accounts = self.list_accounts(id_of(&user)).await?;
            let Some(account) = rules::default_account(&accounts).or(accounts.first()) else {
                // A user deleted meanwhile: nothing of theirs is read again.
                continue;
            };
            // In batches, each committed on its own: a migration cut off by
            // its bound keeps what it did and the next open goes on from there.
            // A batch is a range of `_id`s (the first MIGRATION_BATCH left, in
            // `_id` order): one comparison per document on any server, where an
            // `$in` of thousands of ids is a scan per id on some.
            loop {
                let last = self
                    .transactions
                    .clone_with_type::<Document>()
                    .find(doc! { "userId": user, "accountId": null })
                    .projection(doc! { "_id": 1 })
                    .sort(doc! { "_id": 1 })
                    .skip(u64::try_from(MIGRATION_BATCH - 1).unwrap_or(0))
                    .limit(1)
                    .await?
                    .try_next()
                    .await?
                    .and_then(|d| d.get("_id").cloned());
                let range = match last {
                    Some(last) => doc! { "$lte": last },
                    // Fewer than a batch left: all of them.
                    None => doc! { "$exists": true },
                };
                let set = self
                    .transactions
                    .update_many(
                        doc! { "userId": user, "accountId": null, "_id": range },
                        doc! { "$set": { "accountId": oid(account.id), "status": "uncleared" } },
                    )
                    .await?;
                moved += set.modified_count;
                if set.matched_count == 0 {
                    break;
                }
            }
        }
        if created > 0 || moved > 0 {
            tracing::info!(
                accounts = created,
                transactions = moved,
                "migrated to accounts"
            );
        }
        Ok(())
    }
}
