//! Test harness: one fresh store per test, and small builders.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use finance_core::auth::SigningKey;
use finance_core::domain::user::Password;
use finance_core::domain::{
    Category, CategoryKind, NewBudget, NewTransaction, Period, RegistrationDraft, Transaction,
    TransactionDraft,
};
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Amount, AuthSettings, AuthUser, Currency, Finance, Id};

/// The instant every scenario calls "now" (a Friday in a leap year).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-03-15T12:00:00Z")
        .expect("valid constant")
        .with_timezone(&Utc)
}

/// A date from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid test date")
}

/// A password that passes the rules.
pub const PASSWORD: &str = "tulip-river-93";

enum Backend {
    Sqlite { dir: tempfile::TempDir },
    Mongo { uri: String, db: String },
}

/// A fresh store and the operations over it.
pub struct Harness {
    pub finance: Finance,
    pub store: Arc<dyn Store>,
    key: SigningKey,
    backend: Backend,
}

fn settings() -> AuthSettings {
    AuthSettings {
        // The lowest bcrypt cost keeps the suite fast; release uses 12.
        bcrypt_cost: 4,
        session_ttl: TimeDelta::days(7),
    }
}

impl Harness {
    /// A new SQLite file in a temp dir.
    pub async fn sqlite() -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&dir.path().join("finance.sqlite3"))
                .await
                .expect("open sqlite store"),
        );
        Harness::over(store, Backend::Sqlite { dir })
    }

    /// A new database on the MongoDB server at `FINANCE_TEST_MONGODB_URI`.
    pub async fn mongo(test: &str) -> Harness {
        static SEQ: AtomicU32 = AtomicU32::new(0);
        let uri = std::env::var("FINANCE_TEST_MONGODB_URI").unwrap_or_else(|_| {
            panic!(
                "FINANCE_TEST_MONGODB_URI is not set. The mongo:: contract tests need a real \
                 MongoDB-wire server; run them through `./dev test`, which starts one."
            )
        });
        let seq = SEQ.fetch_add(1, Ordering::Relaxed);
        let mut db = format!("t{}_{seq}_{test}", std::process::id());
        db.truncate(60);
        let store: Arc<dyn Store> = Arc::new(
            MongoStore::connect(&uri, &db)
                .await
                .unwrap_or_else(|e| panic!("cannot connect to the test MongoDB server: {e}")),
        );
        Harness::over(store, Backend::Mongo { uri, db })
    }

    fn over(store: Arc<dyn Store>, backend: Backend) -> Harness {
        let key = SigningKey::generate();
        Harness {
            finance: Finance::new(Arc::clone(&store), &key, settings()),
            store,
            key,
            backend,
        }
    }

    /// The same data reopened by a new store and service, as after an app restart.
    pub async fn restarted(&self) -> Finance {
        let store: Arc<dyn Store> = match &self.backend {
            Backend::Sqlite { dir } => Arc::new(
                SqliteStore::open(&dir.path().join("finance.sqlite3"))
                    .await
                    .expect("reopen sqlite"),
            ),
            Backend::Mongo { uri, db } => {
                Arc::new(MongoStore::connect(uri, db).await.expect("reconnect"))
            }
        };
        Finance::new(store, &self.key, settings())
    }

    /// The MongoDB test database itself, through a separate client (None on SQLite):
    /// for tests that must shape stored documents the store would never write.
    pub async fn raw_mongo(&self) -> Option<mongodb::Database> {
        match &self.backend {
            Backend::Sqlite { .. } => None,
            Backend::Mongo { uri, db } => Some(
                mongodb::Client::with_uri_str(uri)
                    .await
                    .expect("client")
                    .database(db),
            ),
        }
    }

    /// Drop the test database (MongoDB); the temp dir goes with the harness (SQLite).
    pub async fn finish(self) {
        if let Backend::Mongo { uri, db } = &self.backend {
            let client = mongodb::Client::with_uri_str(uri).await.expect("client");
            client
                .database(db)
                .drop()
                .await
                .expect("drop test database");
        }
    }

    /// Register `username` (email `<username>@example.com`) and return their signed-in user.
    pub async fn user(&self, username: &str) -> AuthUser {
        self.register(username).await;
        self.login(username).await.1
    }

    /// Register `username` with the test password.
    pub async fn register(&self, username: &str) -> finance_core::domain::User {
        let reg = RegistrationDraft {
            username: username.into(),
            password: PASSWORD.into(),
            first_name: "Test".into(),
            last_name: username.into(),
            email: format!("{username}@example.com"),
            currency: "EUR".into(),
        }
        .validate()
        .expect("valid registration");
        self.finance.register(reg, now()).await.expect("register")
    }

    /// Log in with the test password; returns the token text and the authenticated user.
    pub async fn login(&self, username: &str) -> (String, AuthUser) {
        let out = self
            .finance
            .login(username, &Password::for_login(PASSWORD), now())
            .await
            .expect("login");
        let token = out.token.expose().to_string();
        let user = self
            .finance
            .authenticate(&token, now())
            .await
            .expect("authenticate");
        (token, user)
    }

    /// The user's category called `name`.
    pub async fn category(&self, user: &AuthUser, name: &str) -> Category {
        self.finance
            .categories(user)
            .await
            .expect("categories")
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no category {name}"))
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

    /// Add a budget.
    pub async fn budget(
        &self,
        user: &AuthUser,
        cat: Id,
        limit: &str,
        period: Period,
    ) -> finance_core::domain::Budget {
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

/// A validated transaction input.
pub fn new_tx(cat: Id, amount: &str, date: &str, desc: &str) -> NewTransaction {
    TransactionDraft {
        category_id: cat.to_hex(),
        amount: amount.into(),
        date: date.into(),
        description: desc.into(),
        note: None,
    }
    .validate(Currency::EUR)
    .expect("valid transaction")
}

/// Assert that `result` is `NotFound`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: finance_core::Result<T>) {
    match result {
        Err(finance_core::Error::NotFound { .. }) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Assert an error's code and field.
#[track_caller]
pub fn assert_err<T: std::fmt::Debug>(
    result: finance_core::Result<T>,
    code: &str,
    field: Option<&str>,
) {
    match result {
        Err(e) => {
            assert_eq!(e.code().as_str(), code, "unexpected error {e:?}");
            assert_eq!(e.field(), field, "unexpected field in {e:?}");
        }
        Ok(v) => panic!("expected a {code} error, got Ok({v:?})"),
    }
}

/// Expense kind shorthand.
pub const EXPENSE: CategoryKind = CategoryKind::Expense;
/// Income kind shorthand.
pub const INCOME: CategoryKind = CategoryKind::Income;
