//! The two-store harness: one fresh store per test and the service over it.
//!
//! A [`Harness`] owns a new SQLite file in a temp dir, or a new database on
//! the MongoDB server at `FINANCE_TEST_MONGODB_URI` (named after the test,
//! the process and a sequence number, so parallel tests and parallel test
//! processes never share one). [`Harness::finish`] drops that database; the
//! temp dir goes with the harness.
//!
//! Invariants: a harness is the only user of its store (except the second
//! service [`Harness::restarted`] opens over the same data); every user is
//! created through the service's own `register`/`login`/`authenticate`, never
//! written into a store directly; the store's clock (read by the log-in
//! throttle only) moves only by [`Harness::advance_store_clock`]; the free functions here work on any
//! [`Finance`], for tests that build their own store (fault tests).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use finance_core::auth::SigningKey;
use finance_core::domain::user::Password;
use finance_core::domain::{
    Account, AccountDraft, Budget, Category, NewBudget, Period, Transaction, Transfer, TxStatus,
    User,
};
use finance_core::store::ClockShift;
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Amount, AuthUser, Currency, Finance, Id};

use crate::fixtures::{PASSWORD, auth_settings, new_transfer, new_tx, now, registration};

/// The store behind a harness, kept to reopen or drop it (and for the
/// stores' test hooks).
enum Backend {
    Sqlite {
        dir: tempfile::TempDir,
        store: SqliteStore,
    },
    Mongo {
        uri: String,
        db: String,
        store: MongoStore,
        /// This test's turn on the shared test server (see [`mongo_turn`]).
        _turn: tokio::sync::OwnedMutexGuard<()>,
    },
}

/// The bound of one MongoDB store call in tests (the product's is 30 s).
/// The test server was seen stalling every call for 30–60 s at times on a
/// loaded 2-core machine: one insert of a 2,000-row import sleeping in
/// WiredTiger's page-in retry loop (`__wt_page_in_func` → `__wt_sleep`,
/// seen with gdb) while no other client was active, usually a minute or so
/// into the server's life. The cause is the server's, not the calls'; a
/// scenario waits it out instead of failing as `Unavailable`.
const TEST_SERVER_CALL_BOUND: std::time::Duration = std::time::Duration::from_secs(180);

/// How long a MongoDB call retries lost write conflicts in tests (the
/// product's is 5 s): eight writers adding to one category conflict on its
/// document by design, and a stall of the test server in the middle of that
/// spent the 5 s of one writer (seen in CI).
const TEST_SERVER_CONFLICT_WINDOW: std::time::Duration = std::time::Duration::from_secs(120);

/// One MongoDB test at a time per test process. The test server is one
/// Python process (one interpreter lock) on a 2-core machine, so two
/// scenarios at once only share it; and when two heavy ones overlap (a
/// 2,000-row import beside the category-delete races) on a loaded CI
/// machine, single calls were seen waiting past the store's 30 s bound and
/// failing as `Unavailable`. SQLite scenarios still run beside it.
fn mongo_turn() -> Arc<tokio::sync::Mutex<()>> {
    static TURN: std::sync::OnceLock<Arc<tokio::sync::Mutex<()>>> = std::sync::OnceLock::new();
    TURN.get_or_init(|| Arc::new(tokio::sync::Mutex::new(())))
        .clone()
}

/// A fresh store and the operations over it.
pub struct Harness {
    /// The service under test.
    pub finance: Finance,
    /// The same store the service uses, for checks below the service.
    pub store: Arc<dyn Store>,
    key: SigningKey,
    backend: Backend,
    /// The shift of the store's clock, shared by every store the harness opens.
    clock: ClockShift,
}

impl Harness {
    /// A new SQLite file in a temp dir.
    pub async fn sqlite() -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = ClockShift::default();
        let sqlite = SqliteStore::open(&dir.path().join("finance.sqlite3"))
            .await
            .expect("open sqlite store")
            .with_clock_shift_for_tests(clock.clone());
        let store: Arc<dyn Store> = Arc::new(sqlite.clone());
        Harness::over(store, Backend::Sqlite { dir, store: sqlite }, clock)
    }

    /// A new database on the MongoDB server at `FINANCE_TEST_MONGODB_URI`,
    /// named after `test` (truncated to MongoDB's limit). Panics, saying how to
    /// get a server, when the variable is not set.
    pub async fn mongo(test: &str) -> Harness {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let uri = std::env::var("FINANCE_TEST_MONGODB_URI").unwrap_or_else(|_| {
            panic!(
                "FINANCE_TEST_MONGODB_URI is not set. The mongo:: tests need a real \
                 MongoDB-wire server; run them through `./dev test`, which starts one."
            )
        });
        let turn = mongo_turn().lock_owned().await;
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let mut db = format!("t{}_{seq}_{test}", std::process::id());
        db.truncate(60);
        let clock = ClockShift::default();
        let mongo = MongoStore::connect(&uri, &db)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the test MongoDB server: {e}"))
            .with_clock_shift_for_tests(clock.clone())
            .with_bounds_for_tests(TEST_SERVER_CALL_BOUND, TEST_SERVER_CONFLICT_WINDOW);
        let store: Arc<dyn Store> = Arc::new(mongo.clone());
        Harness::over(
            store,
            Backend::Mongo {
                uri,
                db,
                store: mongo,
                _turn: turn,
            },
            clock,
        )
    }

    fn over(store: Arc<dyn Store>, backend: Backend, clock: ClockShift) -> Harness {
        let key = SigningKey::generate();
        Harness {
            finance: Finance::new(Arc::clone(&store), &key, auth_settings()),
            store,
            key,
            backend,
            clock,
        }
    }

    /// The same data reopened by a new store and service with the same
    /// signing key, as after an app restart.
    pub async fn restarted(&self) -> Finance {
        let store: Arc<dyn Store> = match &self.backend {
            Backend::Sqlite { dir, .. } => Arc::new(
                SqliteStore::open(&dir.path().join("finance.sqlite3"))
                    .await
                    .expect("reopen sqlite")
                    .with_clock_shift_for_tests(self.clock.clone()),
            ),
            Backend::Mongo { uri, db, .. } => Arc::new(
                MongoStore::connect(uri, db)
                    .await
                    .expect("reconnect")
                    .with_clock_shift_for_tests(self.clock.clone())
                    .with_bounds_for_tests(TEST_SERVER_CALL_BOUND, TEST_SERVER_CONFLICT_WINDOW),
            ),
        };
        Finance::new(store, &self.key, auth_settings())
    }

    /// The MongoDB test database itself, through a separate client (None on SQLite):
    /// for tests that must shape stored documents the store would never write.
    pub async fn raw_mongo(&self) -> Option<mongodb::Database> {
        match &self.backend {
            Backend::Sqlite { .. } => None,
            Backend::Mongo { uri, db, .. } => Some(
                mongodb::Client::with_uri_str(uri)
                    .await
                    .expect("client")
                    .database(db),
            ),
        }
    }

    /// The SQLite file (None on MongoDB): for tests that must read or shape
    /// rows the store would never write, through their own connection.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match &self.backend {
            Backend::Sqlite { dir, .. } => Some(dir.path().join("finance.sqlite3")),
            Backend::Mongo { .. } => None,
        }
    }

    /// Move the store's clock (the one the log-in throttle reads, the
    /// machine's or the server's) forward by `by`, for this store and the
    /// ones [`Harness::restarted`] opens.
    pub fn advance_store_clock(&self, by: TimeDelta) {
        self.clock.advance(by);
    }

    /// The store's clock now: the machine's (also the local test server's)
    /// plus the advances.
    pub fn store_now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock.offset()
    }

    /// Drop the test database (MongoDB); the temp dir goes with the harness (SQLite).
    pub async fn finish(self) {
        if let Backend::Mongo { uri, db, .. } = &self.backend {
            let client = mongodb::Client::with_uri_str(uri).await.expect("client");
            client
                .database(db)
                .drop()
                .await
                .expect("drop test database");
        }
    }

    /// Register `username` (see [`registration`]) and return their signed-in user.
    pub async fn user(&self, username: &str) -> AuthUser {
        sign_in(&self.finance, username).await
    }

    /// Register `username` (see [`registration`]).
    pub async fn register(&self, username: &str) -> User {
        register(&self.finance, username).await
    }

    /// Log in with the test password; returns the token text and the authenticated user.
    pub async fn login(&self, username: &str) -> (String, AuthUser) {
        login(&self.finance, username).await
    }

    /// The user's category called `name` (panics, naming it, if there is none).
    pub async fn category(&self, user: &AuthUser, name: &str) -> Category {
        category_named(&self.finance, user, name).await
    }

    /// The user's account called `name` (panics, naming it, if there is none).
    pub async fn account_named(&self, user: &AuthUser, name: &str) -> Account {
        self.finance
            .accounts(user)
            .await
            .expect("list accounts")
            .into_iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("the user has no account named {name:?}"))
    }

    /// The "Main account" registration gave the user.
    pub async fn main_account(&self, user: &AuthUser) -> Account {
        self.account_named(user, finance_core::domain::MAIN_ACCOUNT_NAME)
            .await
    }

    /// Add a `kind` account (`"checking"`, `"credit_card"`, …) called `name`
    /// opening with `opening` (signed decimal string) on 2024-01-01.
    pub async fn add_account(
        &self,
        user: &AuthUser,
        name: &str,
        kind: &str,
        opening: &str,
    ) -> Account {
        let new = AccountDraft {
            name: name.into(),
            kind: kind.into(),
            opening_balance: opening.into(),
            opening_date: "2024-01-01".into(),
            note: None,
        }
        .validate(user.currency())
        .expect("valid account");
        self.finance
            .add_account(user, new, now())
            .await
            .expect("add account")
    }

    /// Add a transaction of `amount` (decimal string) in category `cat` on `date`.
    pub async fn tx(
        &self,
        user: &AuthUser,
        cat: Id,
        amount: &str,
        date: &str,
        desc: &str,
    ) -> Transaction {
        self.finance
            .add_transaction(user, new_tx(cat, amount, date, desc), now())
            .await
            .expect("add transaction")
    }

    /// Move `amount` (decimal string) from account `from` to `to` on `date`.
    pub async fn transfer(
        &self,
        user: &AuthUser,
        from: Id,
        to: Id,
        amount: &str,
        date: &str,
        desc: &str,
    ) -> Transfer {
        self.finance
            .add_transfer(user, new_transfer(from, to, amount, date, desc), now())
            .await
            .expect("add transfer")
    }

    /// Store a transaction of `amount_minor` minor units in `category` on
    /// `date` *below the service*, through the store's test hook: the amount
    /// may be beyond [`MAX_AMOUNT_MINOR`](finance_core::money::MAX_AMOUNT_MINOR),
    /// so a test reaches with a few rows the totals that millions of maximal
    /// rows would (a row no store would write; lists and the largest expenses
    /// refuse to read it back).
    pub async fn oversized_tx(
        &self,
        user: &AuthUser,
        category: &Category,
        amount_minor: i64,
        date: &str,
        desc: &str,
    ) {
        let account = self.main_account(user).await;
        let tx = Transaction {
            id: Id::generate(),
            user_id: user.id(),
            account_id: account.id,
            category_id: Some(category.id),
            kind: category.kind.into(),
            amount: Amount::from_minor("amount", 1)
                .expect("one minor unit")
                .into(),
            date: crate::fixtures::d(date),
            description: desc.into(),
            note: None,
            status: TxStatus::Uncleared,
            transfer_id: None,
            bank_id: None,
            created_at: now(),
            updated_at: now(),
        };
        match &self.backend {
            Backend::Sqlite { store, .. } => {
                store.insert_with_amount_for_tests(&tx, amount_minor).await
            }
            Backend::Mongo { store, .. } => {
                store.insert_with_amount_for_tests(&tx, amount_minor).await
            }
        }
        .expect("store an oversized transaction");
    }

    /// Add a budget of `limit` (decimal string, EUR) on category `cat`.
    pub async fn budget(&self, user: &AuthUser, cat: Id, limit: &str, period: Period) -> Budget {
        self.finance
            .add_budget(
                user,
                NewBudget {
                    category_id: cat,
                    limit: Amount::parse("limit", limit, Currency::EUR).expect("limit"),
                    period,
                },
                now(),
            )
            .await
            .expect("add budget")
    }
}

/// Register `username` through `finance` (see [`registration`]).
pub async fn register(finance: &Finance, username: &str) -> User {
    let reg = registration(username)
        .validate()
        .expect("valid registration");
    finance.register(reg, now()).await.expect("register")
}

/// Log `username` in through `finance` with the test password; returns the
/// token text and the user it authenticates.
pub async fn login(finance: &Finance, username: &str) -> (String, AuthUser) {
    let out = finance
        .login(username, &Password::for_login(PASSWORD), now())
        .await
        .expect("login");
    let token = out.token.expose().to_string();
    let user = finance
        .authenticate(&token, now())
        .await
        .expect("authenticate");
    (token, user)
}

/// Register `username` through `finance` and return the signed-in user.
pub async fn sign_in(finance: &Finance, username: &str) -> AuthUser {
    register(finance, username).await;
    login(finance, username).await.1
}

/// `user`'s category called `name` (panics, naming it, if there is none).
pub async fn category_named(finance: &Finance, user: &AuthUser, name: &str) -> Category {
    finance
        .categories(user)
        .await
        .expect("categories")
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no category {name}"))
}
