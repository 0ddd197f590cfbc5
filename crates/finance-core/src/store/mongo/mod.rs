//! The MongoDB store, through the official `mongodb` driver (bson 2).
//!
//! # Stored shapes
//!
//! Field names are camelCase and fixed by the product. Ids are BSON
//! `ObjectId`s made from the same 12 bytes as [`Id`]; timestamps are BSON
//! `DateTime`s (milliseconds, so every timestamp is truncated to the
//! millisecond); calendar dates are BSON `DateTime`s at 00:00 UTC of the date;
//! money is `Int64` minor units.
//!
//! * `users`: `_id, username, passwordHash, firstName, lastName, email,
//!   currency` (ISO 4217 code)`, createdAt`.
//! * `categories`: `_id, userId, name, nameKey` (the lower-cased name, for the
//!   unique index)`, type` (`"income"`/`"expense"`)`, createdAt`.
//! * `budgets`: `_id, userId, category, limit, period`
//!   (`"weekly"`/`"monthly"`/`"yearly"`)`, createdAt`.
//! * `transactions`: `_id, userId, category, type, amount, date, description,
//!   note` (null or absent when none)`, searchText` (see
//!   [`Transaction::search_text`])`, createdAt, updatedAt`.
//! * `sessions`: `_id` (the JWT `jti`)`, userId, createdAt, expiresAt` (a TTL
//!   index removes expired ones; reads still compare `expiresAt`).
//! * `loginThrottle`: `_id` (the normalised username)`, failures, lockedUntil`
//!   (null or absent when not locked).
//! * `idempotencyKeys`: `_id, userId, key, fingerprint, result, createdAt`
//!   (unique on `userId, key`), written in the same transaction as the add or
//!   import it records.
//!
//! The `*Doc` structs below mirror these documents and are converted to and
//! from the domain types by explicit functions; the domain types know nothing
//! of BSON.
//!
//! # Behaviour
//!
//! * Every filter on user data includes `userId`, so another user's id is
//!   simply not found.
//! * Multi-document writes (`create_user`, `set_password_hash`, `delete_user`,
//!   `delete_category`, bulk imports, adds with an idempotency key) run in one
//!   transaction, retried on `TransientTransactionError` /
//!   `UnknownTransactionCommitResult` only within [`RETRY_WINDOW`] of the call's
//!   start, so a server that goes away yields `Unavailable` within one server
//!   selection ([`CONNECT_TIMEOUT`], 3 s) of the failure, well under 5 s.
//! * Uniqueness is enforced by explicitly named unique indexes; a duplicate
//!   key (code 11000) is mapped to `Conflict` by the index name.
//! * Driver errors never reach the caller verbatim: unreachable-server errors
//!   become `Unavailable`, the rest `Internal` with only the error kind and
//!   code logged (never a URI or credentials).
//! * Transaction lists are paged in the database with a keyset cursor
//!   (`$or` on the sort key and `_id`); sums are `$group` aggregations.
//! * Each call is bounded by [`OPERATION_TIMEOUT`]; the driver has no socket timeout.
//! * Reports are aggregations that `$match` on `userId` and the date range
//!   first, then `$group` (months by `$dateToString` `%Y-%m`, in UTC like the
//!   stored dates; descriptions by `searchText`'s first line, the lower-cased
//!   description, so both stores group alike). A bulk import writes its
//!   categories and `insert_many` batches of 1000 in one transaction, bounded
//!   by `OPERATION_TIMEOUT` plus 2 s per 1000 rows.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use futures::TryStreamExt;
use futures::future::BoxFuture;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime as BsonDateTime, Document, doc};
use mongodb::error::{
    ErrorKind, RETRYABLE_WRITE_ERROR, TRANSIENT_TRANSACTION_ERROR,
    UNKNOWN_TRANSACTION_COMMIT_RESULT, WriteFailure,
};
use mongodb::options::{ClientOptions, IndexOptions, ReturnDocument, WriteConcern};
use mongodb::{Client, ClientSession, Collection, Database, IndexModel};
use serde::{Deserialize, Serialize};

use super::prelude::*;
use super::{
    IdempotencyRecord, LoginThrottle, PROGRESS_EVERY, Progress, SessionRecord, TransactionKey,
    UserRecord, duplicate_key, kind_from_str,
};
use crate::domain::report::month_from_key;
use crate::domain::{
    Budget, Category, CategoryKind, CategorySpending, CategoryUsage, Cursor, DescriptionFrequency,
    MonthTotals, NewBudget, NewTransaction, Period, Summary, Transaction, TransactionFilter,
    TransactionQuery, TransactionSort, User,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};

/// Upper bound on one store call (including transaction retries).
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);
/// Server selection and TCP connect timeout. With the server gone, every wait
/// for it is one server selection, so a call answers `Unavailable` within about
/// this long; [`RETRY_WINDOW`] keeps our own retries from adding a second wait
/// past the 5 s the product promises (worst case ≈ `RETRY_WINDOW` + one selection).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// A transaction or a commit is only tried again while the call is younger
/// than this: a retry after it could wait for a whole server selection more.
const RETRY_WINDOW: Duration = Duration::from_secs(1);
/// How many times a transaction is run when the server says it may be retried.
const MAX_TRANSACTION_ATTEMPTS: u32 = 5;
/// How many times a commit with an unknown result is retried.
const MAX_COMMIT_ATTEMPTS: u32 = 3;

const UNREACHABLE: &str = "cannot reach MongoDB; check your connection and try again";

// Index names: the duplicate-key message names the index, which names the field.
const USERNAME_INDEX: &str = "username_unique";
const EMAIL_INDEX: &str = "email_unique";
const CATEGORY_NAME_INDEX: &str = "category_name_unique";
const BUDGET_PERIOD_INDEX: &str = "budget_period_unique";
const IDEMPOTENCY_INDEX: &str = "idempotency_key_unique";

// ------------------------------------------------------------------ store

/// The MongoDB implementation of [`Store`].
#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
    location: String,
    users: Collection<UserDoc>,
    categories: Collection<CategoryDoc>,
    budgets: Collection<BudgetDoc>,
    transactions: Collection<TransactionDoc>,
    sessions: Collection<SessionDoc>,
    throttle: Collection<ThrottleDoc>,
    idempotency: Collection<IdempotencyDoc>,
}

impl std::fmt::Debug for MongoStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MongoStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl MongoStore {
    /// Connect to `uri`, use database `db`, check the server answers and
    /// create the indexes. Failures are `Unavailable` and never show the URI.
    pub async fn connect(uri: &str, db: &str) -> Result<MongoStore> {
        let mut options = ClientOptions::parse(uri).await.map_err(parse_error)?;
        options.server_selection_timeout = Some(CONNECT_TIMEOUT);
        options.connect_timeout = Some(CONNECT_TIMEOUT);
        options.retry_writes = Some(true);
        options.write_concern = Some(WriteConcern::majority());
        options.app_name = Some("finance".to_string());
        let client = Client::with_options(options).map_err(|e| Error::from(Fail::Db(e)))?;
        let mut store = MongoStore::new(client.database(db));
        store.location = format!("{}/{db}", uri_hosts(uri));
        store.prepare().await?;
        tracing::info!(location = %store.location, "connected to MongoDB");
        Ok(store)
    }

    /// Use an existing database handle (its client's options apply): checks
    /// the server answers and creates the indexes.
    pub async fn from_database(db: Database) -> Result<MongoStore> {
        let store = MongoStore::new(db);
        store.prepare().await?;
        Ok(store)
    }

    /// The database in use (for tests and maintenance).
    pub fn database(&self) -> &Database {
        &self.db
    }

    fn new(db: Database) -> MongoStore {
        MongoStore {
            client: db.client().clone(),
            location: db.name().to_string(),
            users: db.collection("users"),
            categories: db.collection("categories"),
            budgets: db.collection("budgets"),
            transactions: db.collection("transactions"),
            sessions: db.collection("sessions"),
            throttle: db.collection("loginThrottle"),
            idempotency: db.collection("idempotencyKeys"),
            db,
        }
    }

    /// Ping, then create the indexes (idempotent: same names, same options).
    async fn prepare(&self) -> Result<()> {
        bounded(async {
            self.db.run_command(doc! { "ping": 1 }).await?;
            self.create_indexes().await?;
            self.backfill_duplicate_keys().await
        })
        .await
    }

    async fn create_indexes(&self) -> Result<(), Fail> {
        ensure_indexes(
            &self.users,
            vec![
                index(doc! { "username": 1 }, USERNAME_INDEX, true),
                index(doc! { "email": 1 }, EMAIL_INDEX, true),
            ],
        )
        .await?;
        ensure_indexes(
            &self.categories,
            vec![index(
                doc! { "userId": 1, "type": 1, "nameKey": 1 },
                CATEGORY_NAME_INDEX,
                true,
            )],
        )
        .await?;
        ensure_indexes(
            &self.budgets,
            vec![index(
                doc! { "userId": 1, "category": 1, "period": 1 },
                BUDGET_PERIOD_INDEX,
                true,
            )],
        )
        .await?;
        ensure_indexes(
            &self.transactions,
            vec![
                index(
                    doc! { "userId": 1, "date": -1, "_id": -1 },
                    "user_date",
                    false,
                ),
                index(
                    doc! { "userId": 1, "category": 1, "date": 1 },
                    "user_category_date",
                    false,
                ),
                index(
                    doc! { "userId": 1, "amount": 1, "_id": 1 },
                    "user_amount",
                    false,
                ),
                // The report's largest expenses: equality on userId and type, then
                // the sort order, so the server stops after `limit` matches.
                index(
                    doc! { "userId": 1, "type": 1, "amount": -1, "_id": -1 },
                    "user_type_amount",
                    false,
                ),
                // Import duplicate checks (`dupKey` $in, with userId), and the
                // start-up check for documents without a key (`dupKey: null`).
                index(doc! { "dupKey": 1, "userId": 1 }, "dupkey_user", false),
            ],
        )
        .await?;
        ensure_indexes(
            &self.idempotency,
            vec![index(
                doc! { "userId": 1, "key": 1 },
                IDEMPOTENCY_INDEX,
                true,
            )],
        )
        .await?;
        let ttl = IndexOptions::builder()
            .name("session_expiry_ttl".to_string())
            .expire_after(Duration::ZERO)
            .build();
        ensure_indexes(
            &self.sessions,
            vec![
                IndexModel::builder()
                    .keys(doc! { "expiresAt": 1 })
                    .options(ttl)
                    .build(),
                index(doc! { "userId": 1 }, "session_user", false),
            ],
        )
        .await
    }

    /// Run `body` in a transaction on a fresh session: commit when it
    /// succeeds, abort when it fails. The whole transaction is run again when
    /// the server labels the failure `TransientTransactionError`, and the
    /// commit alone when its result is unknown. `ctx` carries what the body
    /// borrows (the store, the arguments).
    async fn in_transaction<C, T, F>(&self, ctx: &C, mut body: F) -> Result<T, Fail>
    where
        C: Sync + ?Sized,
        T: Send,
        F: for<'s> FnMut(&'s mut ClientSession, &'s C) -> BoxFuture<'s, Result<T, Fail>> + Send,
    {
        let started = std::time::Instant::now();
        let mut attempt = 1;
        loop {
            // A fresh session per attempt: after a lost connection the old one
            // is dropped (the driver aborts its transaction in the background).
            let mut session = self.client.start_session().await?;
            session.start_transaction().await?;
            let outcome = match body(&mut session, ctx).await {
                Ok(value) => commit(&mut session, started).await.map(|()| value),
                // No server to tell, and an abort would wait for one: drop the session.
                Err(Fail::Db(e))
                    if matches!(e.kind.as_ref(), ErrorKind::ServerSelection { .. }) =>
                {
                    return Err(Fail::Db(e));
                }
                Err(Fail::Db(e)) if lost_connection(&e) => Err(Fail::Db(e)),
                Err(fail) => {
                    // Errors of abortTransaction are ignored by the driver itself.
                    session.abort_transaction().await.ok();
                    Err(fail)
                }
            };
            match outcome {
                Err(Fail::Db(e))
                    if attempt < MAX_TRANSACTION_ATTEMPTS
                        && started.elapsed() < RETRY_WINDOW
                        && retryable(&e, TRANSIENT_TRANSACTION_ERROR) =>
                {
                    tracing::debug!(attempt, "retrying a transient transaction failure");
                    tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    // ---------------------------------------------------------- lookups

    async fn find_category(&self, user: Id, id: Id) -> Result<Category, Fail> {
        let found = self.categories.find_one(owned(user, id)).await?;
        Ok(category_from_doc(found.ok_or(NOT_FOUND_CATEGORY)?)?)
    }

    /// The user's category, which must be an expense category (for budgets).
    async fn find_expense_category(&self, user: Id, id: Id) -> Result<Category, Fail> {
        let category = self.find_category(user, id).await?;
        if category.kind != CategoryKind::Expense {
            return Err(Error::validation(
                "categoryId",
                "budgets can only be set on expense categories",
            )
            .into());
        }
        Ok(category)
    }

    async fn find_budget(&self, user: Id, id: Id) -> Result<Budget, Fail> {
        let found = self.budgets.find_one(owned(user, id)).await?;
        Ok(budget_from_doc(found.ok_or(NOT_FOUND_BUDGET)?)?)
    }

    async fn find_transaction(&self, user: Id, id: Id) -> Result<Transaction, Fail> {
        let found = self.transactions.find_one(owned(user, id)).await?;
        Ok(transaction_from_doc(found.ok_or(NOT_FOUND_TRANSACTION)?)?)
    }

    async fn usage(&self, user: Id, id: Id) -> Result<CategoryUsage, Fail> {
        let used_by = doc! { "userId": oid(user), "category": oid(id) };
        Ok(CategoryUsage {
            transactions: self.transactions.count_documents(used_by.clone()).await?,
            budgets: self.budgets.count_documents(used_by).await?,
        })
    }

    // ---------------------------------------------------------- users

    async fn create_user_tx(
        &self,
        s: &mut ClientSession,
        user: &UserRecord,
        categories: &[Category],
    ) -> Result<(), Fail> {
        self.users
            .insert_one(user_to_doc(user))
            .session(&mut *s)
            .await?;
        if !categories.is_empty() {
            let docs: Vec<CategoryDoc> = categories.iter().map(category_to_doc).collect();
            self.categories.insert_many(docs).session(&mut *s).await?;
        }
        Ok(())
    }

    async fn set_password_hash_tx(
        &self,
        s: &mut ClientSession,
        user: Id,
        hash: &str,
        keep_jti: Option<&str>,
    ) -> Result<(), Fail> {
        let updated = self
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
        if let Some(jti) = keep_jti {
            revoke.insert("_id", doc! { "$ne": jti });
        }
        self.sessions.delete_many(revoke).session(&mut *s).await?;
        Ok(())
    }

    async fn delete_user_tx(&self, s: &mut ClientSession, user: Id) -> Result<(), Fail> {
        let removed = self
            .users
            .delete_one(doc! { "_id": oid(user) })
            .session(&mut *s)
            .await?;
        if removed.deleted_count == 0 {
            return Err(NOT_FOUND_USER.into());
        }
        let mine = doc! { "userId": oid(user) };
        self.transactions
            .delete_many(mine.clone())
            .session(&mut *s)
            .await?;
        self.budgets
            .delete_many(mine.clone())
            .session(&mut *s)
            .await?;
        self.categories
            .delete_many(mine.clone())
            .session(&mut *s)
            .await?;
        self.sessions
            .delete_many(mine.clone())
            .session(&mut *s)
            .await?;
        self.idempotency.delete_many(mine).session(&mut *s).await?;
        Ok(())
    }

    /// Record an idempotency key inside the session's transaction.
    async fn insert_key_tx(
        &self,
        s: &mut ClientSession,
        user: Id,
        key: &IdempotencyRecord,
    ) -> Result<(), Fail> {
        self.idempotency
            .insert_one(IdempotencyDoc {
                id: ObjectId::new(),
                user_id: oid(user),
                key: key.key.clone(),
                fingerprint: key.fingerprint.clone(),
                result: key.result.clone(),
                created_at: time_to_bson(key.created_at),
            })
            .session(&mut *s)
            .await?;
        Ok(())
    }

    /// An add with an idempotency key: the key and the row in one transaction.
    async fn insert_transaction_tx(
        &self,
        s: &mut ClientSession,
        tx: &Transaction,
        key: &IdempotencyRecord,
    ) -> Result<Transaction, Fail> {
        let found = self
            .categories
            .find_one(owned(tx.user_id, tx.category_id))
            .session(&mut *s)
            .await?;
        let category = category_from_doc(found.ok_or(NOT_FOUND_CATEGORY)?)?;
        self.insert_key_tx(s, tx.user_id, key).await?;
        let stored = transaction_to_doc(tx, category.kind);
        self.transactions
            .insert_one(&stored)
            .session(&mut *s)
            .await?;
        Ok(transaction_from_doc(stored)?)
    }

    /// `$inc` the existing document, else insert one with a count of 1; an
    /// insert that loses a race (duplicate `_id`) goes back to the `$inc`.
    ///
    /// (One `findAndModify` upsert would do on MongoDB, but SecantusDB, the
    /// test server, returns no document for some of several racing upserts.)
    async fn add_login_failure_inner(&self, username: &str) -> Result<u32, Fail> {
        for _ in 0..3 {
            let updated = self
                .throttle
                .find_one_and_update(
                    doc! { "_id": username },
                    doc! { "$inc": { "failures": 1_i64 } },
                )
                .return_document(ReturnDocument::After)
                .await?;
            if let Some(doc) = updated {
                return Ok(throttle_from_doc(doc)?.failures);
            }
            let first = ThrottleDoc {
                username: username.to_string(),
                failures: 1,
                locked_until: None,
            };
            match self.throttle.insert_one(first).await {
                Ok(_) => return Ok(1),
                Err(e) if duplicate_key_message(&e).is_some() => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::internal("mongo", "login throttle kept changing during an update").into())
    }

    // ---------------------------------------------------------- categories

    async fn delete_category_tx(
        &self,
        s: &mut ClientSession,
        user: Id,
        id: Id,
        move_to: Option<Id>,
    ) -> Result<(), Fail> {
        let found = self
            .categories
            .find_one(owned(user, id))
            .session(&mut *s)
            .await?;
        let category = category_from_doc(found.ok_or(NOT_FOUND_CATEGORY)?)?;
        match move_to {
            None => {
                let used_by = doc! { "userId": oid(user), "category": oid(id) };
                let transactions = self
                    .transactions
                    .count_documents(used_by.clone())
                    .session(&mut *s)
                    .await?;
                let budgets = self
                    .budgets
                    .count_documents(used_by)
                    .session(&mut *s)
                    .await?;
                if transactions > 0 || budgets > 0 {
                    return Err(in_use(transactions, budgets).into());
                }
            }
            Some(target) => {
                self.check_move_target(s, &category, target).await?;
                self.move_category_rows(s, user, id, target).await?;
            }
        }
        self.categories
            .delete_one(owned(user, id))
            .session(&mut *s)
            .await?;
        Ok(())
    }

    /// `target` must be another of the user's categories, of the same kind.
    async fn check_move_target(
        &self,
        s: &mut ClientSession,
        from: &Category,
        target: Id,
    ) -> Result<(), Fail> {
        if target == from.id {
            return Err(Error::validation("moveTo", "must be a different category").into());
        }
        let found = self
            .categories
            .find_one(owned(from.user_id, target))
            .session(&mut *s)
            .await?;
        let Some(target) = found else {
            return Err(Error::validation("moveTo", "is not one of your categories").into());
        };
        if kind_from_str(&target.kind)? != from.kind {
            return Err(Error::validation(
                "moveTo",
                format!("must be another {} category", from.kind),
            )
            .into());
        }
        Ok(())
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

    // ---------------------------------------------------------- transactions

    async fn update_transaction_inner(
        &self,
        user: Id,
        id: Id,
        change: &NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction, Fail> {
        self.find_transaction(user, id).await?;
        let category = self.find_category(user, change.category_id).await?;
        let note = change.note.as_ref().map(|n| n.as_str());
        let set = doc! {
            "category": oid(category.id),
            "type": category.kind.as_str(),
            "amount": change.amount.minor(),
            "date": date_to_bson(change.date),
            "description": change.description.as_str(),
            "note": note,
            "searchText": Transaction::search_text(change.description.as_str(), note),
            "dupKey": duplicate_key(
                change.date,
                change.amount.minor(),
                category.kind,
                change.description.as_str(),
            ),
            "updatedAt": time_to_bson(now),
        };
        let updated = self
            .transactions
            .find_one_and_update(owned(user, id), doc! { "$set": set })
            .return_document(ReturnDocument::After)
            .await?;
        Ok(transaction_from_doc(updated.ok_or(NOT_FOUND_TRANSACTION)?)?)
    }

    async fn list_transactions_inner(
        &self,
        user: Id,
        query: &TransactionQuery,
    ) -> Result<Vec<Transaction>, Fail> {
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

    async fn summary_inner(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Summary, Fail> {
        let pipeline = [
            doc! { "$match": { "userId": oid(user), "$and": date_range(from, to) } },
            doc! { "$group": { "_id": "$type", "total": { "$sum": "$amount" }, "count": { "$sum": 1 } } },
        ];
        let groups: Vec<Document> = self
            .transactions
            .aggregate(pipeline)
            .await?
            .try_collect()
            .await?;
        let mut summary = Summary::default();
        for group in groups {
            let total = int_field(&group, "total")?;
            let count =
                u64::try_from(int_field(&group, "count")?).map_err(|_| corrupt("summary count"))?;
            summary.count += count;
            match kind_from_str(group.get_str("_id").map_err(|_| corrupt("summary group"))?)? {
                CategoryKind::Income => summary.income += total,
                CategoryKind::Expense => summary.expense += total,
            }
        }
        Ok(summary)
    }

    async fn expense_by_category_inner(
        &self,
        user: Id,
        categories: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<Id, i64>, Fail> {
        let mut spent: HashMap<Id, i64> = categories.iter().map(|c| (*c, 0)).collect();
        if categories.is_empty() {
            return Ok(spent);
        }
        let ids: Vec<ObjectId> = categories.iter().map(|c| oid(*c)).collect();
        let pipeline = [
            doc! { "$match": {
                "userId": oid(user),
                "type": CategoryKind::Expense.as_str(),
                "category": { "$in": ids },
                "$and": date_range(from, to),
            } },
            doc! { "$group": { "_id": "$category", "total": { "$sum": "$amount" } } },
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
            spent.insert(id_of(&category), int_field(&group, "total")?);
        }
        Ok(spent)
    }

    // ---------------------------------------------------------- reports

    async fn aggregate_docs(&self, pipeline: Vec<Document>) -> Result<Vec<Document>, Fail> {
        Ok(self
            .transactions
            .aggregate(pipeline)
            .await?
            .try_collect()
            .await?)
    }

    async fn spending_by_category_inner(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategorySpending>, Fail> {
        let groups = self
            .aggregate_docs(vec![
                doc! { "$match": {
                    "userId": oid(user),
                    "$and": date_range(from, to),
                    "type": CategoryKind::Expense.as_str(),
                } },
                doc! { "$group": {
                    "_id": "$category",
                    "total": { "$sum": "$amount" },
                    "count": { "$sum": 1 },
                } },
            ])
            .await?;
        if groups.is_empty() {
            return Ok(Vec::new());
        }
        // Current names: one look-up of the (few) categories that occur.
        let ids: Vec<ObjectId> = groups
            .iter()
            .map(|g| {
                g.get_object_id("_id")
                    .map_err(|_| corrupt("category group"))
            })
            .collect::<Result<_>>()?;
        let docs: Vec<CategoryDoc> = self
            .categories
            .find(doc! { "userId": oid(user), "_id": { "$in": ids } })
            .await?
            .try_collect()
            .await?;
        let names: HashMap<ObjectId, String> = docs.into_iter().map(|c| (c.id, c.name)).collect();
        groups
            .into_iter()
            .map(|g| {
                let id = g
                    .get_object_id("_id")
                    .map_err(|_| corrupt("category group"))?;
                Ok(CategorySpending {
                    category_id: id_of(&id),
                    name: names
                        .get(&id)
                        .cloned()
                        .ok_or_else(|| corrupt("category of a transaction"))?,
                    amount: int_field(&g, "total")?,
                    count: count_field(&g, "count")?,
                })
            })
            .collect::<Result<_>>()
            .map_err(Fail::App)
    }

    async fn monthly_totals_inner(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthTotals>, Fail> {
        let amount_if = |kind: CategoryKind| {
            doc! { "$sum": { "$cond": [ { "$eq": ["$type", kind.as_str()] }, "$amount", 0_i64 ] } }
        };
        let groups = self
            .aggregate_docs(vec![
                doc! { "$match": { "userId": oid(user), "$and": date_range(from, to) } },
                doc! { "$group": {
                    "_id": { "$dateToString": { "format": "%Y-%m", "date": "$date" } },
                    "income": amount_if(CategoryKind::Income),
                    "expense": amount_if(CategoryKind::Expense),
                    "count": { "$sum": 1 },
                } },
                doc! { "$sort": { "_id": 1 } },
            ])
            .await?;
        groups
            .into_iter()
            .map(|g| {
                let key = g.get_str("_id").map_err(|_| corrupt("month group"))?;
                Ok(MonthTotals {
                    month: month_from_key(key).ok_or_else(|| corrupt("month group"))?,
                    income: int_field(&g, "income")?,
                    expense: int_field(&g, "expense")?,
                    count: count_field(&g, "count")?,
                })
            })
            .collect::<Result<_>>()
            .map_err(Fail::App)
    }

    async fn largest_expenses_inner(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>, Fail> {
        let docs: Vec<TransactionDoc> = self
            .transactions
            .find(doc! {
                "userId": oid(user),
                "$and": date_range(from, to),
                "type": CategoryKind::Expense.as_str(),
            })
            .sort(doc! { "amount": -1, "_id": -1 })
            .limit(i64::from(limit))
            .await?
            .try_collect()
            .await?;
        Ok(docs
            .into_iter()
            .map(transaction_from_doc)
            .collect::<Result<_>>()?)
    }

    async fn frequent_descriptions_inner(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<DescriptionFrequency>, Fail> {
        // The key is searchText's first line: the lower-cased description (as on SQLite).
        let key = doc! { "$arrayElemAt": [ { "$split": ["$searchText", "\n"] }, 0 ] };
        let groups = self
            .aggregate_docs(vec![
                doc! { "$match": { "userId": oid(user), "$and": date_range(from, to) } },
                // Latest first, so $first is the latest spelling (the user_date index gives this order).
                doc! { "$sort": { "date": -1, "_id": -1 } },
                doc! { "$group": {
                    "_id": key,
                    "description": { "$first": "$description" },
                    "count": { "$sum": 1 },
                    "total": { "$sum": "$amount" },
                } },
                doc! { "$sort": { "count": -1, "total": -1, "_id": 1 } },
                doc! { "$limit": i64::from(limit) },
            ])
            .await?;
        groups
            .into_iter()
            .map(|g| {
                Ok(DescriptionFrequency {
                    description: g
                        .get_str("description")
                        .map_err(|_| corrupt("description group"))?
                        .to_string(),
                    count: count_field(&g, "count")?,
                    total: int_field(&g, "total")?,
                })
            })
            .collect::<Result<_>>()
            .map_err(Fail::App)
    }

    async fn existing_transaction_keys_inner(
        &self,
        user: Id,
        rows: Vec<TransactionKey>,
    ) -> Result<Vec<TransactionKey>, Fail> {
        /// Keys per query (a few hundred KiB of command).
        const CHUNK: usize = 10_000;
        let mut keys: Vec<i64> = rows.iter().map(TransactionKey::lookup_key).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut out = Vec::new();
        for chunk in keys.chunks(CHUNK) {
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

    /// Give transactions written without a `dupKey` (before it existed) theirs.
    /// Cheap when there are none: `{dupKey: null}` is answered by the
    /// `dupkey_user` index.
    async fn backfill_duplicate_keys(&self) -> Result<(), Fail> {
        let mut filled = 0u64;
        loop {
            let batch: Vec<Document> = self
                .transactions
                .clone_with_type::<Document>()
                .find(doc! { "dupKey": null })
                .projection(key_projection(true))
                .limit(1000)
                .await?
                .try_collect()
                .await?;
            if batch.is_empty() {
                break;
            }
            for d in &batch {
                let key = key_from_doc(d)?;
                let id = d.get_object_id("_id").map_err(|_| corrupt("_id"))?;
                self.transactions
                    .update_one(
                        doc! { "_id": id },
                        doc! { "$set": { "dupKey": key.lookup_key() } },
                    )
                    .await?;
                filled += 1;
            }
        }
        if filled > 0 {
            tracing::info!(transactions = filled, "duplicate keys backfilled");
        }
        Ok(())
    }

    // ---------------------------------------------------------- bulk import

    async fn insert_transactions_tx(
        &self,
        s: &mut ClientSession,
        user: Id,
        categories: &[Category],
        transactions: &[Transaction],
        progress: Progress<'_>,
        key: Option<&IdempotencyRecord>,
    ) -> Result<u64, Fail> {
        if categories.iter().any(|c| c.user_id != user)
            || transactions.iter().any(|t| t.user_id != user)
        {
            return Err(Error::validation("user", "rows must belong to the user").into());
        }
        if let Some(key) = key {
            self.insert_key_tx(s, user, key).await?;
        }
        let mut kinds: HashMap<Id, CategoryKind> =
            categories.iter().map(|c| (c.id, c.kind)).collect();
        // Each distinct existing category is checked once (one query for all).
        let mut missing: Vec<ObjectId> = transactions
            .iter()
            .filter(|t| !kinds.contains_key(&t.category_id))
            .map(|t| oid(t.category_id))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let wanted = missing.len();
            let found: Vec<CategoryDoc> = self
                .categories
                .find(doc! { "userId": oid(user), "_id": { "$in": missing } })
                .session(&mut *s)
                .await?
                .stream(&mut *s)
                .try_collect()
                .await?;
            if found.len() != wanted {
                return Err(NOT_FOUND_CATEGORY.into());
            }
            for c in found {
                kinds.insert(id_of(&c.id), kind_from_str(&c.kind)?);
            }
        }
        if !categories.is_empty() {
            let docs: Vec<CategoryDoc> = categories.iter().map(category_to_doc).collect();
            self.categories.insert_many(docs).session(&mut *s).await?;
        }
        let total = transactions.len() as u64;
        let mut done = 0;
        for batch in transactions.chunks(PROGRESS_EVERY) {
            let docs: Vec<TransactionDoc> = batch
                .iter()
                .map(|t| transaction_to_doc(t, kinds[&t.category_id]))
                .collect();
            self.transactions.insert_many(docs).session(&mut *s).await?;
            done += batch.len() as u64;
            progress(done, total);
        }
        if total == 0 {
            progress(0, 0);
        }
        Ok(total)
    }
}

impl Store for MongoStore {
    fn kind(&self) -> &'static str {
        "mongodb"
    }

    fn location(&self) -> String {
        self.location.clone()
    }
}

#[async_trait]
impl Users for MongoStore {
    async fn create_user(&self, user: &UserRecord, categories: &[Category]) -> Result<()> {
        bounded(self.in_transaction(
            &(self, user, categories),
            |s, &(store, user, categories)| Box::pin(store.create_user_tx(s, user, categories)),
        ))
        .await
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        bounded(async {
            let found = self.users.find_one(doc! { "username": username }).await?;
            Ok(found.map(user_from_doc).transpose()?)
        })
        .await
    }

    async fn user_by_id(&self, id: Id) -> Result<Option<UserRecord>> {
        bounded(async {
            let found = self.users.find_one(doc! { "_id": oid(id) }).await?;
            Ok(found.map(user_from_doc).transpose()?)
        })
        .await
    }

    async fn set_password_hash(&self, user: Id, hash: &str, keep_jti: Option<&str>) -> Result<()> {
        bounded(self.in_transaction(
            &(self, user, hash, keep_jti),
            |s, &(store, user, hash, keep)| {
                Box::pin(store.set_password_hash_tx(s, user, hash, keep))
            },
        ))
        .await
    }

    async fn delete_user(&self, user: Id) -> Result<()> {
        bounded(self.in_transaction(&(self, user), |s, &(store, user)| {
            Box::pin(store.delete_user_tx(s, user))
        }))
        .await
    }
}

#[async_trait]
impl Sessions for MongoStore {
    async fn insert_session(&self, session: &SessionRecord) -> Result<()> {
        bounded(async {
            self.sessions.insert_one(session_to_doc(session)).await?;
            Ok(())
        })
        .await
    }

    async fn session_is_live(&self, jti: &str, user: Id, now: DateTime<Utc>) -> Result<bool> {
        bounded(async {
            let live =
                doc! { "_id": jti, "userId": oid(user), "expiresAt": { "$gt": time_to_bson(now) } };
            Ok(self.sessions.count_documents(live).limit(1).await? > 0)
        })
        .await
    }

    async fn delete_session(&self, jti: &str) -> Result<bool> {
        bounded(async {
            Ok(self
                .sessions
                .delete_one(doc! { "_id": jti })
                .await?
                .deleted_count
                > 0)
        })
        .await
    }

    async fn login_throttle(&self, username: &str) -> Result<LoginThrottle> {
        bounded(async {
            let found = self.throttle.find_one(doc! { "_id": username }).await?;
            Ok(found
                .map(throttle_from_doc)
                .transpose()?
                .unwrap_or_default())
        })
        .await
    }

    async fn add_login_failure(&self, username: &str) -> Result<u32> {
        bounded(self.add_login_failure_inner(username)).await
    }

    async fn lock_login(&self, username: &str, until: DateTime<Utc>) -> Result<()> {
        bounded(async {
            self.throttle
                .update_one(
                    doc! { "_id": username },
                    doc! {
                        "$set": { "lockedUntil": time_to_bson(until) },
                        "$setOnInsert": { "failures": 0_i64 },
                    },
                )
                .upsert(true)
                .await?;
            Ok(())
        })
        .await
    }

    async fn clear_login_failures(&self, username: &str) -> Result<()> {
        bounded(async {
            self.throttle.delete_one(doc! { "_id": username }).await?;
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl Categories for MongoStore {
    async fn insert_category(&self, category: &Category) -> Result<()> {
        bounded(async {
            self.categories
                .insert_one(category_to_doc(category))
                .await?;
            Ok(())
        })
        .await
    }

    async fn categories(&self, user: Id) -> Result<Vec<Category>> {
        bounded(async {
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
        })
        .await
    }

    async fn category(&self, user: Id, id: Id) -> Result<Category> {
        bounded(self.find_category(user, id)).await
    }

    async fn rename_category(&self, user: Id, id: Id, name: &str) -> Result<Category> {
        bounded(async {
            let updated = self
                .categories
                .find_one_and_update(
                    owned(user, id),
                    doc! { "$set": { "name": name, "nameKey": name.to_lowercase() } },
                )
                .return_document(ReturnDocument::After)
                .await?;
            Ok(category_from_doc(updated.ok_or(NOT_FOUND_CATEGORY)?)?)
        })
        .await
    }

    async fn category_usage(&self, user: Id, id: Id) -> Result<CategoryUsage> {
        bounded(async {
            self.find_category(user, id).await?;
            self.usage(user, id).await
        })
        .await
    }

    async fn delete_category(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()> {
        bounded(self.in_transaction(
            &(self, user, id, move_to),
            |s, &(store, user, id, move_to)| {
                Box::pin(store.delete_category_tx(s, user, id, move_to))
            },
        ))
        .await
    }
}

#[async_trait]
impl Budgets for MongoStore {
    async fn insert_budget(&self, budget: &Budget) -> Result<()> {
        bounded(async {
            self.find_expense_category(budget.user_id, budget.category_id)
                .await?;
            self.budgets.insert_one(budget_to_doc(budget)).await?;
            Ok(())
        })
        .await
    }

    async fn budgets(&self, user: Id) -> Result<Vec<Budget>> {
        bounded(async {
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
        })
        .await
    }

    async fn budget(&self, user: Id, id: Id) -> Result<Budget> {
        bounded(self.find_budget(user, id)).await
    }

    async fn update_budget(&self, user: Id, id: Id, change: &NewBudget) -> Result<Budget> {
        bounded(async {
            self.find_budget(user, id).await?;
            self.find_expense_category(user, change.category_id).await?;
            let set = doc! {
                "category": oid(change.category_id),
                "limit": change.limit.minor(),
                "period": change.period.as_str(),
            };
            let updated = self
                .budgets
                .find_one_and_update(owned(user, id), doc! { "$set": set })
                .return_document(ReturnDocument::After)
                .await?;
            Ok(budget_from_doc(updated.ok_or(NOT_FOUND_BUDGET)?)?)
        })
        .await
    }

    async fn delete_budget(&self, user: Id, id: Id) -> Result<()> {
        bounded(async {
            let deleted = self.budgets.delete_one(owned(user, id)).await?;
            if deleted.deleted_count == 0 {
                return Err(NOT_FOUND_BUDGET.into());
            }
            Ok(())
        })
        .await
    }

    async fn expense_by_category(
        &self,
        user: Id,
        categories: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<Id, i64>> {
        bounded(self.expense_by_category_inner(user, categories, from, to)).await
    }
}

#[async_trait]
impl Transactions for MongoStore {
    async fn insert_transaction(
        &self,
        tx: &Transaction,
        key: Option<&IdempotencyRecord>,
    ) -> Result<Transaction> {
        if let Some(key) = key {
            return bounded(
                self.in_transaction(&(self, tx, key), |s, &(store, tx, key)| {
                    Box::pin(store.insert_transaction_tx(s, tx, key))
                }),
            )
            .await;
        }
        bounded(async {
            let category = self.find_category(tx.user_id, tx.category_id).await?;
            let stored = transaction_to_doc(tx, category.kind);
            self.transactions.insert_one(&stored).await?;
            Ok(transaction_from_doc(stored)?)
        })
        .await
    }

    async fn transaction(&self, user: Id, id: Id) -> Result<Transaction> {
        bounded(self.find_transaction(user, id)).await
    }

    async fn update_transaction(
        &self,
        user: Id,
        id: Id,
        change: &NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        bounded(self.update_transaction_inner(user, id, change, now)).await
    }

    async fn delete_transaction(&self, user: Id, id: Id) -> Result<()> {
        bounded(async {
            let deleted = self.transactions.delete_one(owned(user, id)).await?;
            if deleted.deleted_count == 0 {
                return Err(NOT_FOUND_TRANSACTION.into());
            }
            Ok(())
        })
        .await
    }

    async fn list_transactions(
        &self,
        user: Id,
        query: &TransactionQuery,
    ) -> Result<Vec<Transaction>> {
        bounded(self.list_transactions_inner(user, query)).await
    }

    async fn summary(&self, user: Id, from: NaiveDate, to: NaiveDate) -> Result<Summary> {
        bounded(self.summary_inner(user, from, to)).await
    }
}

#[async_trait]
impl Reports for MongoStore {
    async fn spending_by_category(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategorySpending>> {
        bounded(self.spending_by_category_inner(user, from, to)).await
    }

    async fn monthly_totals(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthTotals>> {
        bounded(self.monthly_totals_inner(user, from, to)).await
    }

    async fn largest_expenses(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>> {
        bounded(self.largest_expenses_inner(user, from, to, limit)).await
    }

    async fn frequent_descriptions(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<DescriptionFrequency>> {
        bounded(self.frequent_descriptions_inner(user, from, to, limit)).await
    }
}

#[async_trait]
impl Imports for MongoStore {
    async fn existing_transaction_keys(
        &self,
        user: Id,
        rows: Vec<TransactionKey>,
    ) -> Result<Vec<TransactionKey>> {
        bounded(self.existing_transaction_keys_inner(user, rows)).await
    }

    async fn insert_transactions(
        &self,
        user: Id,
        categories: &[Category],
        transactions: Vec<Transaction>,
        progress: Progress<'_>,
        key: Option<&IdempotencyRecord>,
    ) -> Result<u64> {
        // A large import may take longer than one ordinary call: allow 2 s per 1000 rows on top.
        let extra = Duration::from_secs(2 * (transactions.len() / PROGRESS_EVERY) as u64);
        bounded_within(
            OPERATION_TIMEOUT + extra,
            self.in_transaction(
                &(self, user, categories, &transactions[..], progress, key),
                |s, &(store, user, categories, transactions, progress, key)| {
                    Box::pin(store.insert_transactions_tx(
                        s,
                        user,
                        categories,
                        transactions,
                        progress,
                        key,
                    ))
                },
            ),
        )
        .await
    }
}

#[async_trait]
impl Idempotency for MongoStore {
    async fn idempotency_record(&self, user: Id, key: &str) -> Result<Option<IdempotencyRecord>> {
        bounded(async {
            let found = self
                .idempotency
                .find_one(doc! { "userId": oid(user), "key": key })
                .await?;
            let record = found
                .map(|d| -> Result<IdempotencyRecord> {
                    Ok(IdempotencyRecord {
                        key: d.key,
                        fingerprint: d.fingerprint,
                        result: d.result,
                        created_at: time_from_bson(d.created_at)?,
                    })
                })
                .transpose()?;
            Ok(record)
        })
        .await
    }
}

// ------------------------------------------------------------------ helpers

const NOT_FOUND_USER: Error = Error::NotFound { what: "user" };
const NOT_FOUND_BUDGET: Error = Error::NotFound { what: "budget" };
const NOT_FOUND_CATEGORY: Error = Error::NotFound { what: "category" };
const NOT_FOUND_TRANSACTION: Error = Error::NotFound {
    what: "transaction",
};

/// Commit, retrying while the server cannot say whether the commit happened
/// (within [`RETRY_WINDOW`] of `started`, when the call began).
async fn commit(session: &mut ClientSession, started: std::time::Instant) -> Result<(), Fail> {
    let mut attempt = 1;
    loop {
        match session.commit_transaction().await {
            Err(e)
                if attempt < MAX_COMMIT_ATTEMPTS
                    && started.elapsed() < RETRY_WINDOW
                    && retryable(&e, UNKNOWN_TRANSACTION_COMMIT_RESULT) =>
            {
                tracing::debug!(attempt, "retrying a commit with an unknown result");
                attempt += 1;
            }
            other => return other.map_err(Fail::Db),
        }
    }
}

/// Whether the connection to the server broke (the server went away mid-call).
fn lost_connection(e: &mongodb::error::Error) -> bool {
    matches!(
        e.kind.as_ref(),
        ErrorKind::Io(_) | ErrorKind::ConnectionPoolCleared { .. }
    )
}

/// Whether `e` carries `label` and is worth another try: not when no server
/// could be selected (the driver labels those too, but the time is already spent).
fn retryable(e: &mongodb::error::Error, label: &str) -> bool {
    e.contains_label(label) && !matches!(e.kind.as_ref(), ErrorKind::ServerSelection { .. })
}

/// Run one store call within [`OPERATION_TIMEOUT`] and turn its failure into an [`Error`].
async fn bounded<T>(op: impl Future<Output = Result<T, Fail>>) -> Result<T> {
    bounded_within(OPERATION_TIMEOUT, op).await
}

/// [`bounded`] with another limit (bulk writes).
async fn bounded_within<T>(
    limit: Duration,
    op: impl Future<Output = Result<T, Fail>>,
) -> Result<T> {
    match tokio::time::timeout(limit, op).await {
        Ok(result) => result.map_err(Error::from),
        Err(_) => {
            tracing::warn!(timeout_secs = limit.as_secs(), "MongoDB call timed out");
            Err(unavailable())
        }
    }
}

/// Create `models` on `coll`. An equivalent index that already exists under
/// another name or with other options (made by an older version or by hand)
/// is kept with a warning rather than failing start-up.
async fn ensure_indexes<T: Send + Sync>(
    coll: &Collection<T>,
    models: Vec<IndexModel>,
) -> Result<(), Fail> {
    match coll.create_indexes(models.clone()).await {
        Err(e) if is_index_conflict(&e) => {
            for model in models {
                match coll.create_index(model).await {
                    Err(e) if is_index_conflict(&e) => tracing::warn!(
                        collection = coll.name(),
                        "an index on the same keys exists under another name or with other options; keeping it"
                    ),
                    other => {
                        other?;
                    }
                }
            }
            Ok(())
        }
        other => other.map(drop).map_err(Fail::Db),
    }
}

/// IndexOptionsConflict (85) or IndexKeySpecsConflict (86).
fn is_index_conflict(e: &mongodb::error::Error) -> bool {
    matches!(error_code(e), Some(85 | 86))
}

fn index(keys: Document, name: &str, unique: bool) -> IndexModel {
    let options = IndexOptions::builder()
        .name(name.to_string())
        .unique(unique.then_some(true))
        .build();
    IndexModel::builder().keys(keys).options(options).build()
}

/// `{_id: id, userId: user}`: the filter of one of the user's documents.
fn owned(user: Id, id: Id) -> Document {
    doc! { "_id": oid(id), "userId": oid(user) }
}

/// `[from, to]` on `date`, as `$and` clauses (see [`range_clauses`]).
fn date_range(from: NaiveDate, to: NaiveDate) -> Vec<Document> {
    range_clauses(
        "date",
        Some(date_to_bson(from).into()),
        Some(date_to_bson(to).into()),
    )
}

/// An inclusive range on `field` as one clause per bound, for a top-level `$and`.
///
/// Equivalent to `{field: {$gte: lo, $lte: hi}}` (MongoDB plans both alike),
/// but SecantusDB, the MongoDB-wire server the tests run on, drops matches
/// of a two-sided inclusive range on an indexed field; separate clauses are
/// planned correctly there too.
fn range_clauses(field: &str, lo: Option<Bson>, hi: Option<Bson>) -> Vec<Document> {
    let lo = lo.map(|v| doc! { field: { "$gte": v } });
    let hi = hi.map(|v| doc! { field: { "$lte": v } });
    lo.into_iter().chain(hi).collect()
}

/// The find filter of a transaction list page, the cursor included.
fn transaction_filter(
    user: Id,
    f: &TransactionFilter,
    page: Option<(TransactionSort, Cursor)>,
) -> Result<Document> {
    let mut filter = doc! { "userId": oid(user) };
    if !f.categories.is_empty() {
        let ids: Vec<ObjectId> = f.categories.iter().map(|c| oid(*c)).collect();
        filter.insert("category", doc! { "$in": ids });
    }
    if let Some(kind) = f.kind {
        filter.insert("type", kind.as_str());
    }
    if let Some(text) = &f.text {
        filter.insert("searchText", doc! { "$regex": regex_escape(text) });
    }
    let mut all = range_clauses(
        "date",
        f.from.map(|d| date_to_bson(d).into()),
        f.to.map(|d| date_to_bson(d).into()),
    );
    all.extend(range_clauses(
        "amount",
        f.min_amount.map(|a| a.minor().into()),
        f.max_amount.map(|a| a.minor().into()),
    ));
    if let Some((sort, after)) = page {
        all.push(doc! { "$or": keyset_after(sort, after)? });
    }
    if !all.is_empty() {
        filter.insert("$and", all);
    }
    Ok(filter)
}

/// The `$or` clauses selecting the rows strictly after `cursor` in `sort` order.
fn keyset_after(sort: TransactionSort, cursor: Cursor) -> Result<Vec<Document>> {
    let op = if sort.descending() { "$lt" } else { "$gt" };
    let (field, key, id) = match (sort.by_date(), cursor) {
        (true, Cursor::Date { date, id }) => ("date", Bson::DateTime(date_to_bson(date)), id),
        (false, Cursor::Amount { amount, id }) => ("amount", Bson::Int64(amount), id),
        _ => {
            return Err(Error::validation(
                "cursor",
                "is not a valid page cursor; reload the list",
            ));
        }
    };
    Ok(vec![
        doc! { field: { op: key.clone() } },
        doc! { field: key, "_id": { op: oid(id) } },
    ])
}

fn sort_order(sort: TransactionSort) -> Document {
    let dir = if sort.descending() { -1 } else { 1 };
    let field = if sort.by_date() { "date" } else { "amount" };
    doc! { field: dir, "_id": dir }
}

/// Escape regular-expression metacharacters so `text` matches literally.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '^'
                | '$'
                | '.'
                | '|'
                | '?'
                | '*'
                | '+'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '-'
                | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An integer field of an aggregation result (`$sum` may yield Int32, Int64 or an integral Double).
/// The fields of a transaction document that [`key_from_doc`] reads (and `_id`
/// when `with_id`).
fn key_projection(with_id: bool) -> Document {
    doc! { "_id": i32::from(with_id), "date": 1, "amount": 1, "type": 1, "description": 1 }
}

/// The duplicate-detection fields of a (projected) transaction document.
fn key_from_doc(d: &Document) -> Result<TransactionKey> {
    Ok(TransactionKey {
        date: date_from_bson(*d.get_datetime("date").map_err(|_| corrupt("date"))?)?,
        amount: int_field(d, "amount")?,
        kind: kind_from_str(d.get_str("type").map_err(|_| corrupt("type"))?)?,
        description: d
            .get_str("description")
            .map_err(|_| corrupt("description"))?
            .to_string(),
    })
}

fn int_field(doc: &Document, key: &str) -> Result<i64> {
    match doc.get(key) {
        Some(Bson::Int32(v)) => Ok(i64::from(*v)),
        Some(Bson::Int64(v)) => Ok(*v),
        Some(Bson::Double(v)) if v.fract() == 0.0 && v.abs() < 9.0e15 => Ok(*v as i64),
        _ => Err(corrupt("aggregation result")),
    }
}

/// A `$sum: 1` count of an aggregation result.
fn count_field(doc: &Document, key: &str) -> Result<u64> {
    u64::try_from(int_field(doc, key)?).map_err(|_| corrupt("aggregation count"))
}

/// The host part of a MongoDB URI (no scheme, credentials, path or options).
fn uri_hosts(uri: &str) -> String {
    let rest = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, hosts)| hosts)
        .to_string()
}

// ------------------------------------------------------------------ errors

/// A failure inside the store: a driver error (kept whole so transaction
/// labels and duplicate keys can be inspected) or a finished domain error.
#[derive(Debug)]
enum Fail {
    Db(mongodb::error::Error),
    App(Error),
}

impl From<mongodb::error::Error> for Fail {
    fn from(e: mongodb::error::Error) -> Self {
        Fail::Db(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::App(e)
    }
}

impl From<Fail> for Error {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::App(e) => e,
            Fail::Db(e) => from_driver(&e),
        }
    }
}

fn unavailable() -> Error {
    Error::Unavailable {
        message: UNREACHABLE.to_string(),
    }
}

fn corrupt(what: &str) -> Error {
    Error::internal("mongo", format!("unexpected stored data: invalid {what}"))
}

/// Server error codes that mean the server is unreachable, stepping down or shutting down.
const UNREACHABLE_CODES: [i32; 14] = [
    6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 10058,
];

/// Map a driver error. The driver's own text is never passed on (it may quote data);
/// only the kind, code and labels are logged.
fn from_driver(e: &mongodb::error::Error) -> Error {
    if let Some(conflict) = duplicate_key_message(e).and_then(conflict_for) {
        return conflict;
    }
    match e.kind.as_ref() {
        ErrorKind::ServerSelection { .. }
        | ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. }
        | ErrorKind::DnsResolve { .. } => return unavailable(),
        ErrorKind::Authentication { .. } => {
            return Error::Unavailable {
                message: "MongoDB refused the credentials; check the user name and password in MONGODB_URI"
                    .to_string(),
            };
        }
        ErrorKind::SessionsNotSupported => return no_transactions(),
        ErrorKind::Transaction { message, .. } if message.contains("not supported") => {
            return no_transactions();
        }
        _ => {}
    }
    if error_code(e).is_some_and(|c| UNREACHABLE_CODES.contains(&c))
        || e.contains_label(RETRYABLE_WRITE_ERROR)
    {
        return unavailable();
    }
    Error::internal("mongo", describe(e))
}

/// Refusal to delete a used category without a target.
fn in_use(transactions: u64, budgets: u64) -> Error {
    let count = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    Error::conflict(
        "category",
        format!(
            "this category is used by {} and {}; choose a category to move them to",
            count(transactions, "transaction"),
            count(budgets, "budget")
        ),
    )
}

fn no_transactions() -> Error {
    Error::Unavailable {
        message: "this MongoDB deployment does not support transactions; use a replica set or MongoDB Atlas"
            .to_string(),
    }
}

/// The message of a duplicate-key (11000) error, wherever the driver put it.
fn duplicate_key_message(e: &mongodb::error::Error) -> Option<&str> {
    const DUPLICATE_KEY: i32 = 11000;
    let own = match e.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(w)) if w.code == DUPLICATE_KEY => {
            Some(w.message.as_str())
        }
        ErrorKind::Command(c) if c.code == DUPLICATE_KEY => Some(c.message.as_str()),
        ErrorKind::InsertMany(m) => m
            .write_errors
            .iter()
            .flatten()
            .find(|w| w.code == DUPLICATE_KEY)
            .map(|w| w.message.as_str()),
        ErrorKind::BulkWrite(b) => b
            .write_errors
            .values()
            .find(|w| w.code == DUPLICATE_KEY)
            .map(|w| w.message.as_str()),
        _ => None,
    };
    own.or_else(|| source_of(e).and_then(duplicate_key_message))
}

fn source_of(e: &mongodb::error::Error) -> Option<&mongodb::error::Error> {
    std::error::Error::source(e).and_then(|s| s.downcast_ref::<mongodb::error::Error>())
}

fn error_code(e: &mongodb::error::Error) -> Option<i32> {
    let own = match e.kind.as_ref() {
        ErrorKind::Command(c) => Some(c.code),
        ErrorKind::Write(WriteFailure::WriteConcernError(w)) => Some(w.code),
        ErrorKind::Write(WriteFailure::WriteError(w)) => Some(w.code),
        _ => None,
    };
    own.or_else(|| source_of(e).and_then(error_code))
}

/// The conflict a duplicate key on a named index means (`None` for an unexpected index such as `_id_`).
fn conflict_for(message: &str) -> Option<Error> {
    // "E11000 duplicate key error collection: db.users index: email_unique dup key: { … }"
    let named = message
        .split_once("index: ")
        .and_then(|(_, rest)| rest.split_whitespace().next());
    let index = match named {
        Some(name) => name,
        // No "index:" in the message: take the known index name mentioned first.
        None => [
            USERNAME_INDEX,
            EMAIL_INDEX,
            CATEGORY_NAME_INDEX,
            BUDGET_PERIOD_INDEX,
            IDEMPOTENCY_INDEX,
        ]
        .into_iter()
        .filter_map(|name| message.find(name).map(|at| (at, name)))
        .min()
        .map(|(_, name)| name)?,
    };
    // Known names first; then the default names of the same keys (`username_1`,
    // `userId_1_type_1_nameKey_1`, …) in case an older index is in use.
    let field = match index {
        USERNAME_INDEX => "username",
        EMAIL_INDEX => "email",
        CATEGORY_NAME_INDEX => "name",
        BUDGET_PERIOD_INDEX => "period",
        IDEMPOTENCY_INDEX => crate::domain::IDEMPOTENCY_FIELD,
        other if other.starts_with("username") => "username",
        other if other.starts_with("email") => "email",
        other if other.contains("nameKey") => "name",
        other if other.contains("period") => "period",
        _ => return None,
    };
    let text = match field {
        "username" => "that username is taken",
        "email" => "that email is already registered",
        "name" => "a category with that name already exists",
        crate::domain::IDEMPOTENCY_FIELD => "this request key was already used",
        _ => "this category already has a budget for that period",
    };
    Some(Error::conflict(field, text))
}

/// A loggable description of a driver error: kind, code, code name and labels, no messages.
fn describe(e: &mongodb::error::Error) -> String {
    let kind = match e.kind.as_ref() {
        ErrorKind::InvalidArgument { .. } => "InvalidArgument",
        ErrorKind::Authentication { .. } => "Authentication",
        ErrorKind::BsonDeserialization(_) => "BsonDeserialization",
        ErrorKind::BsonSerialization(_) => "BsonSerialization",
        ErrorKind::InsertMany(_) => "InsertMany",
        ErrorKind::BulkWrite(_) => "BulkWrite",
        ErrorKind::Command(_) => "Command",
        ErrorKind::DnsResolve { .. } => "DnsResolve",
        ErrorKind::Internal { .. } => "Internal",
        ErrorKind::Io(_) => "Io",
        ErrorKind::ConnectionPoolCleared { .. } => "ConnectionPoolCleared",
        ErrorKind::InvalidResponse { .. } => "InvalidResponse",
        ErrorKind::ServerSelection { .. } => "ServerSelection",
        ErrorKind::SessionsNotSupported => "SessionsNotSupported",
        ErrorKind::InvalidTlsConfig { .. } => "InvalidTlsConfig",
        ErrorKind::Write(WriteFailure::WriteError(_)) => "WriteError",
        ErrorKind::Write(WriteFailure::WriteConcernError(_)) => "WriteConcernError",
        ErrorKind::Transaction { .. } => "Transaction",
        ErrorKind::IncompatibleServer { .. } => "IncompatibleServer",
        ErrorKind::Shutdown => "Shutdown",
        _ => "Other",
    };
    let code_name = match e.kind.as_ref() {
        ErrorKind::Command(c) => c.code_name.as_str(),
        ErrorKind::Write(WriteFailure::WriteError(w)) => w.code_name.as_deref().unwrap_or(""),
        ErrorKind::Write(WriteFailure::WriteConcernError(w)) => w.code_name.as_str(),
        _ => "",
    };
    let mut labels: Vec<&String> = e.labels().iter().collect();
    labels.sort();
    format!(
        "driver error kind={kind} code={:?} codeName={code_name:?} labels={labels:?}",
        error_code(e)
    )
}

/// A connection-string failure, without repeating the string.
fn parse_error(e: mongodb::error::Error) -> Error {
    tracing::warn!(detail = %describe(&e), "cannot use MONGODB_URI");
    match e.kind.as_ref() {
        ErrorKind::InvalidArgument { .. } => Error::Unavailable {
            message: "MONGODB_URI is not a valid MongoDB connection string".to_string(),
        },
        ErrorKind::DnsResolve { .. } | ErrorKind::Io(_) => Error::Unavailable {
            message: "cannot look up the MongoDB host; check your connection and MONGODB_URI"
                .to_string(),
        },
        _ => from_driver(&e),
    }
}

// ------------------------------------------------------------------ documents

fn oid(id: Id) -> ObjectId {
    ObjectId::from_bytes(id.bytes())
}

fn id_of(oid: &ObjectId) -> Id {
    Id::from_bytes(oid.bytes())
}

/// A timestamp, to the millisecond.
fn time_to_bson(t: DateTime<Utc>) -> BsonDateTime {
    BsonDateTime::from_millis(t.timestamp_millis())
}

fn time_from_bson(t: BsonDateTime) -> Result<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(t.timestamp_millis()).ok_or_else(|| corrupt("timestamp"))
}

/// A calendar date as 00:00 UTC of that day.
fn date_to_bson(d: NaiveDate) -> BsonDateTime {
    BsonDateTime::from_millis(d.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
}

fn date_from_bson(t: BsonDateTime) -> Result<NaiveDate> {
    Ok(time_from_bson(t)?.date_naive())
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserDoc {
    #[serde(rename = "_id")]
    id: ObjectId,
    username: String,
    password_hash: String,
    first_name: String,
    last_name: String,
    email: String,
    currency: String,
    created_at: BsonDateTime,
}

fn user_to_doc(r: &UserRecord) -> UserDoc {
    let u = &r.user;
    UserDoc {
        id: oid(u.id),
        username: u.username.clone(),
        password_hash: r.password_hash.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        email: u.email.clone(),
        currency: u.currency.code().to_string(),
        created_at: time_to_bson(u.created_at),
    }
}

fn user_from_doc(d: UserDoc) -> Result<UserRecord> {
    Ok(UserRecord {
        user: User {
            id: id_of(&d.id),
            username: d.username,
            first_name: d.first_name,
            last_name: d.last_name,
            email: d.email,
            currency: Currency::parse("currency", &d.currency).map_err(|_| corrupt("currency"))?,
            created_at: time_from_bson(d.created_at)?,
        },
        password_hash: d.password_hash,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CategoryDoc {
    #[serde(rename = "_id")]
    id: ObjectId,
    user_id: ObjectId,
    name: String,
    name_key: String,
    #[serde(rename = "type")]
    kind: String,
    created_at: BsonDateTime,
}

fn category_to_doc(c: &Category) -> CategoryDoc {
    CategoryDoc {
        id: oid(c.id),
        user_id: oid(c.user_id),
        name: c.name.clone(),
        name_key: c.name.to_lowercase(),
        kind: c.kind.as_str().to_string(),
        created_at: time_to_bson(c.created_at),
    }
}

fn category_from_doc(d: CategoryDoc) -> Result<Category> {
    Ok(Category {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        name: d.name,
        kind: kind_from_str(&d.kind)?,
        created_at: time_from_bson(d.created_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct BudgetDoc {
    #[serde(rename = "_id")]
    id: ObjectId,
    user_id: ObjectId,
    category: ObjectId,
    limit: i64,
    period: String,
    created_at: BsonDateTime,
}

fn budget_to_doc(b: &Budget) -> BudgetDoc {
    BudgetDoc {
        id: oid(b.id),
        user_id: oid(b.user_id),
        category: oid(b.category_id),
        limit: b.limit.minor(),
        period: b.period.as_str().to_string(),
        created_at: time_to_bson(b.created_at),
    }
}

fn budget_from_doc(d: BudgetDoc) -> Result<Budget> {
    Ok(Budget {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        category_id: id_of(&d.category),
        limit: Amount::from_minor("limit", d.limit).map_err(|_| corrupt("budget limit"))?,
        period: Period::parse("period", &d.period).map_err(|_| corrupt("budget period"))?,
        created_at: time_from_bson(d.created_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransactionDoc {
    #[serde(rename = "_id")]
    id: ObjectId,
    user_id: ObjectId,
    category: ObjectId,
    #[serde(rename = "type")]
    kind: String,
    amount: i64,
    date: BsonDateTime,
    description: String,
    #[serde(default)]
    note: Option<String>,
    search_text: String,
    /// `store::duplicate_key`; absent only on documents written before it existed
    /// (given one when the store is opened).
    #[serde(default)]
    dup_key: Option<i64>,
    created_at: BsonDateTime,
    updated_at: BsonDateTime,
}

/// The stored document of `t`, whose kind is its category's `kind`.
fn transaction_to_doc(t: &Transaction, kind: CategoryKind) -> TransactionDoc {
    TransactionDoc {
        id: oid(t.id),
        user_id: oid(t.user_id),
        category: oid(t.category_id),
        kind: kind.as_str().to_string(),
        amount: t.amount.minor(),
        date: date_to_bson(t.date),
        description: t.description.clone(),
        note: t.note.clone(),
        search_text: Transaction::search_text(&t.description, t.note.as_deref()),
        dup_key: Some(duplicate_key(
            t.date,
            t.amount.minor(),
            kind,
            &t.description,
        )),
        created_at: time_to_bson(t.created_at),
        updated_at: time_to_bson(t.updated_at),
    }
}

fn transaction_from_doc(d: TransactionDoc) -> Result<Transaction> {
    Ok(Transaction {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        category_id: id_of(&d.category),
        kind: kind_from_str(&d.kind)?,
        amount: Amount::from_minor("amount", d.amount)
            .map_err(|_| corrupt("transaction amount"))?,
        date: date_from_bson(d.date)?,
        description: d.description,
        note: d.note,
        created_at: time_from_bson(d.created_at)?,
        updated_at: time_from_bson(d.updated_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdempotencyDoc {
    #[serde(rename = "_id")]
    id: ObjectId,
    user_id: ObjectId,
    key: String,
    fingerprint: String,
    result: String,
    created_at: BsonDateTime,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionDoc {
    #[serde(rename = "_id")]
    jti: String,
    user_id: ObjectId,
    created_at: BsonDateTime,
    expires_at: BsonDateTime,
}

fn session_to_doc(s: &SessionRecord) -> SessionDoc {
    SessionDoc {
        jti: s.jti.clone(),
        user_id: oid(s.user_id),
        created_at: time_to_bson(s.created_at),
        expires_at: time_to_bson(s.expires_at),
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ThrottleDoc {
    #[serde(rename = "_id")]
    username: String,
    #[serde(default)]
    failures: i64,
    #[serde(default)]
    locked_until: Option<BsonDateTime>,
}

fn throttle_from_doc(d: ThrottleDoc) -> Result<LoginThrottle> {
    Ok(LoginThrottle {
        failures: u32::try_from(d.failures.max(0)).unwrap_or(u32::MAX),
        locked_until: d.locked_until.map(time_from_bson).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_regex_metacharacters() {
        assert_eq!(regex_escape("a.b*(c)"), r"a\.b\*\(c\)");
        assert_eq!(regex_escape("café 50%"), "café 50%");
        assert_eq!(regex_escape(r"\d+$"), r"\\d\+\$");
    }

    #[test]
    fn ids_dates_and_times_round_trip() {
        let id = Id::generate();
        assert_eq!(id_of(&oid(id)), id);
        let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        assert_eq!(date_from_bson(date_to_bson(d)).unwrap(), d);
        assert_eq!(
            date_to_bson(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()).timestamp_millis(),
            86_400_000
        );
        let t = DateTime::<Utc>::from_timestamp_millis(1_700_000_000_123).unwrap();
        assert_eq!(time_from_bson(time_to_bson(t)).unwrap(), t);
    }

    #[test]
    fn duplicate_keys_map_to_fields_by_index_name() {
        let field = |m: &str| conflict_for(m).and_then(|e| e.field().map(str::to_string));
        let msg = |index: &str, value: &str| {
            format!(
                "E11000 duplicate key error collection: finance.users index: {index} dup key: {{ x: \"{value}\" }}"
            )
        };
        assert_eq!(
            field(&msg(EMAIL_INDEX, "username_unique@x.io")).as_deref(),
            Some("email")
        );
        assert_eq!(
            field(&msg(USERNAME_INDEX, "email_unique")).as_deref(),
            Some("username")
        );
        assert_eq!(
            field(&msg(CATEGORY_NAME_INDEX, "x")).as_deref(),
            Some("name")
        );
        assert_eq!(
            field(&msg(BUDGET_PERIOD_INDEX, "x")).as_deref(),
            Some("period")
        );
        assert_eq!(field(&msg("_id_", "x")), None);
        assert_eq!(
            field(&msg("userId_1_type_1_nameKey_1", "x")).as_deref(),
            Some("name")
        );
        assert_eq!(
            field(&msg("email_1", "username_1")).as_deref(),
            Some("email")
        );
        assert_eq!(
            field("duplicate key on email_unique").as_deref(),
            Some("email")
        );
    }

    #[test]
    fn hosts_never_include_credentials() {
        assert_eq!(
            uri_hosts("mongodb+srv://ann:s3cr%40t@cluster0.example.net/finance?x=1"),
            "cluster0.example.net"
        );
        assert_eq!(uri_hosts("mongodb://a:1,b:2/?replicaSet=rs"), "a:1,b:2");
        assert_eq!(uri_hosts("mongodb://u:p@[::1]:27017"), "[::1]:27017");
    }

    #[test]
    fn keyset_follows_the_sort_direction() {
        let id = Id::generate();
        let after =
            keyset_after(TransactionSort::AmountAsc, Cursor::Amount { amount: 5, id }).unwrap();
        assert_eq!(after[0], doc! { "amount": { "$gt": 5_i64 } });
        assert_eq!(
            after[1],
            doc! { "amount": 5_i64, "_id": { "$gt": oid(id) } }
        );
        let date = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let after = keyset_after(TransactionSort::DateDesc, Cursor::Date { date, id }).unwrap();
        assert_eq!(after[0], doc! { "date": { "$lt": date_to_bson(date) } });
        assert!(keyset_after(TransactionSort::DateDesc, Cursor::Amount { amount: 1, id }).is_err());
    }
}
