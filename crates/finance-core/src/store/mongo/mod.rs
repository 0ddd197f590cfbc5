//! The MongoDB store, through the official `mongodb` driver (bson 2).
//!
//! The stored documents (collections, field names, BSON types) are described
//! in `docs.rs`; they are persistent, as are the index names and keys in
//! `indexes.rs`.
//!
//! # Layout
//!
//! * this module: [`MongoStore`], connecting, and `bounded`, the one time
//!   bound of a store call, applied to every trait method by `bounded_impl!`;
//! * `conn`: client options, timeouts, transactions with their retries;
//! * `indexes`: index names and definitions, created at connect, and the
//!   `dupKey` backfill;
//! * `docs`: the `*Doc` structs and their conversions; `filter`: query
//!   filters; `errors`: driver errors → [`Error`];
//! * one module per aggregate of the contract: `users`, `sessions`,
//!   `accounts` (and the migration to accounts, run on open), `balances`
//!   (register bases and month series),
//!   `categories`, `budgets`, `transactions`, `reports`, `imports`,
//!   `idempotency`, `schedules` (schedules and the posting of their occurrences),
//!   `memberships` (who may act on whose ledger).
//!
//! # Behaviour
//!
//! * Every filter on user data includes `userId`, so another user's id is
//!   simply not found.
//! * Multi-document writes (`create_user`, `set_password_hash`, `delete_user`,
//!   `delete_category`, `delete_account`, bulk imports) and every write that
//!   references a category or an account (adds, edits, budgets; they also
//!   write that document, so a concurrent delete of it conflicts: see
//!   `categories`, `accounts`) run
//!   in one transaction, retried on `TransientTransactionError` /
//!   `UnknownTransactionCommitResult` only within `RETRY_WINDOW` of the call's
//!   start (`CONFLICT_WINDOW` after a write conflict), so a server that goes
//!   away yields `Unavailable` within one server selection (`CONNECT_TIMEOUT`,
//!   3 s) of the failure, well under 5 s (see `conn`).
//! * Uniqueness is enforced by explicitly named unique indexes; a duplicate
//!   key (code 11000) is mapped to `Conflict` by the index name.
//! * Driver errors never reach the caller verbatim: unreachable-server errors
//!   become `Unavailable`, the rest `Internal` with only the error kind and
//!   code logged (never a URI or credentials).
//! * Transaction lists are paged in the database with a keyset cursor
//!   (`$or` on the sort key and `_id`); sums are `$group` aggregations.
//! * Opening runs the data migrations (accounts, `dupKey` backfill) within
//!   [`MIGRATION_TIMEOUT`], in batches that each commit, so a large database
//!   migrates across opens if it must.
//! * Each call is bounded by [`OPERATION_TIMEOUT`] (the store's
//!   `operation_timeout`; only the test harness lengthens it, see
//!   `with_operation_timeout_for_tests`); the driver has no socket timeout.
//! * Reports are aggregations that `$match` on `userId` and the date range
//!   first, then `$group` (months by `$dateToString` `%Y-%m`, in UTC like the
//!   stored dates; descriptions by `searchText`'s first line, the lower-cased
//!   description, so both stores group alike). A bulk import writes its
//!   categories and `insert_many` batches of 1000 in one transaction, bounded
//!   by `OPERATION_TIMEOUT` plus 2 s per 1000 rows.

use std::future::Future;
use std::time::Duration;

use mongodb::bson::doc;
use mongodb::{Client, Collection, Database};

use super::{ClockShift, Store};
use crate::error::{Error, Result};
use docs::{
    AccountDoc, BudgetDoc, CategoryDoc, IdempotencyDoc, SessionDoc, ThrottleDoc, TransactionDoc,
    UserDoc,
};
use errors::{Fail, unavailable};

/// Upper bound on one store call (including transaction retries).
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// The bound of the data migrations run on open (see `MongoStore::prepare`).
pub const MIGRATION_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Run one store call within `limit` and turn its failure into an [`Error`]
/// (a call that runs out of time is `Unavailable`). The only place a call is
/// bounded: the trait methods get it from `bounded_impl!`.
async fn bounded<T>(limit: Duration, op: impl Future<Output = Result<T, Fail>>) -> Result<T> {
    match tokio::time::timeout(limit, op).await {
        Ok(result) => result.map_err(Error::from),
        Err(_) => {
            tracing::warn!(timeout_secs = limit.as_secs(), "MongoDB call timed out");
            Err(unavailable())
        }
    }
}

/// Writes `#[async_trait] impl $Trait for MongoStore { … }` from methods
/// whose bodies evaluate to `Result<T, Fail>`: each method returns
/// `Result<T>`, its body run through [`bounded`] within the store's
/// `operation_timeout` ([`OPERATION_TIMEOUT`]),
/// or within the limit of a `#[within(limit)]` written before it (evaluated
/// before the body runs; it may read the arguments). `#[within]` is the only
/// attribute a method takes (notes go in `//` comments), and rustfmt leaves
/// macro bodies alone: format them as if the `impl` stood outside.
macro_rules! bounded_impl {
    (impl $trait:ident for MongoStore {
        $(
            $(#[within($limit:expr)])?
            async fn $name:ident(&$self:ident $(, $arg:ident: $arg_ty:ty)* $(,)?) -> $ret:ty
            $body:block
        )*
    }) => {
        #[::async_trait::async_trait]
        impl $trait for $crate::store::mongo::MongoStore {
            $(
                async fn $name(&$self $(, $arg: $arg_ty)*) -> $ret {
                    let limit = bounded_impl!(@limit $self $($limit)?);
                    $crate::store::mongo::bounded(limit, async move $body).await
                }
            )*
        }
    };
    (@limit $self:ident) => {
        $self.operation_timeout
    };
    (@limit $self:ident $limit:expr) => {
        $limit
    };
}

mod accounts;
mod balances;
mod budgets;
mod bulk;
mod categories;
mod conn;
mod docs;
mod errors;
mod filter;
mod idempotency;
mod imports;
mod indexes;
mod memberships;
mod reconcile;
mod reports;
mod restore;
mod rules;
mod schedules;
mod sessions;
mod transactions;
mod transfers;
mod users;

/// The MongoDB implementation of [`Store`].
#[derive(Clone)]
pub struct MongoStore {
    client: Client,
    db: Database,
    location: String,
    users: Collection<UserDoc>,
    accounts: Collection<AccountDoc>,
    categories: Collection<CategoryDoc>,
    budgets: Collection<BudgetDoc>,
    transactions: Collection<TransactionDoc>,
    sessions: Collection<SessionDoc>,
    throttle: Collection<ThrottleDoc>,
    idempotency: Collection<IdempotencyDoc>,
    schedules: Collection<schedules::ScheduleDoc>,
    rules: Collection<rules::RuleDoc>,
    memberships: Collection<memberships::MembershipDoc>,
    /// The log-in throttle's clock: the server's, shifted only by tests.
    clock: ClockShift,
    /// The bound of one call ([`OPERATION_TIMEOUT`]; longer only in tests).
    operation_timeout: Duration,
    /// How long a call retries a transaction that lost a write conflict
    /// (`conn::CONFLICT_WINDOW`; longer only in tests).
    conflict_window: Duration,
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
        let options = conn::client_options(uri).await?;
        let client = Client::with_options(options).map_err(|e| Error::from(Fail::Db(e)))?;
        let mut store = MongoStore::new(client.database(db));
        store.location = format!("{}/{db}", conn::uri_hosts(uri));
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

    /// Test hook (cargo feature `testing` only): store `tx` with the amount
    /// `amount_minor`, which may be beyond what an [`Amount`](crate::Amount)
    /// allows. Lets a test reach totals that millions of maximal rows would.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub async fn insert_with_amount_for_tests(
        &self,
        tx: &crate::domain::Transaction,
        amount_minor: i64,
    ) -> Result<()> {
        let mut stored = docs::transaction_to_doc(tx);
        stored.amount = amount_minor;
        self.transactions
            .insert_one(stored)
            .await
            .map_err(|e| Error::from(Fail::Db(e)))?;
        Ok(())
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
            accounts: db.collection("accounts"),
            categories: db.collection("categories"),
            budgets: db.collection("budgets"),
            transactions: db.collection("transactions"),
            sessions: db.collection("sessions"),
            throttle: db.collection("loginThrottle"),
            idempotency: db.collection("idempotencyKeys"),
            schedules: db.collection("schedules"),
            rules: db.collection("rules"),
            memberships: db.collection("memberships"),
            clock: ClockShift::default(),
            operation_timeout: OPERATION_TIMEOUT,
            conflict_window: conn::CONFLICT_WINDOW,
            db,
        }
    }

    /// Test hook (cargo feature `testing` only): read the log-in throttle's
    /// clock (the server's) shifted by `shift`, which the test moves.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn with_clock_shift_for_tests(mut self, shift: ClockShift) -> MongoStore {
        self.clock = shift;
        self
    }

    /// Test hook (cargo feature `testing` only): bound each call by `call`
    /// instead of [`OPERATION_TIMEOUT`], and retry write conflicts for up to
    /// `conflicts` instead of 5 s. The test server (SecantusDB, one Python
    /// process) was seen stalling every call for 30–250 s at times on a
    /// loaded 2-core machine; the harness waits that out rather than failing
    /// a scenario as `Unavailable`. The fault tests, which check how soon a
    /// call gives up on a server that is gone, depend on server selection
    /// (`conn::CONNECT_TIMEOUT`) and `RETRY_WINDOW`, not on these bounds.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn with_bounds_for_tests(mut self, call: Duration, conflicts: Duration) -> MongoStore {
        self.operation_timeout = call;
        self.conflict_window = conflicts;
        self
    }

    /// Ping, then create the indexes (idempotent: same names, same options),
    /// then the data migrations. Those get [`MIGRATION_TIMEOUT`] rather than
    /// one call's bound: moving 100,000 documents to accounts can take minutes
    /// (a server that is gone still fails each step within one server
    /// selection), and they write in batches, so a cut-off migration resumes
    /// where it stopped on the next open.
    async fn prepare(&self) -> Result<()> {
        bounded(self.operation_timeout, async {
            self.db.run_command(doc! { "ping": 1 }).await?;
            self.create_indexes().await?;
            self.forget_legacy_throttle().await
        })
        .await?;
        bounded(MIGRATION_TIMEOUT.max(self.operation_timeout), async {
            self.migrate_accounts().await?;
            self.backfill_duplicate_keys().await
        })
        .await
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
