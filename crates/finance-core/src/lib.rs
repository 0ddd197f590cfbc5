//! # finance-core
//!
//! The Tauri-free heart of the personal finance manager: domain types and
//! their validation, accounts and sessions, and storage on MongoDB or an
//! embedded SQLite file behind one contract.
//!
//! * [`domain`] — validated newtypes and records (`Amount`, `Email`,
//!   `CategoryName`, `Transaction`, `BudgetStatus`, …). No wire formats.
//! * [`money`] — currencies and exact decimal parsing/formatting of minor units.
//! * [`auth`] — password hashing, session tokens, signing keys, throttling policy.
//! * [`store`] — the [`Store`](store::Store) contract and its two implementations.
//! * [`ops`] — [`Finance`], the operations the app exposes, one file per area;
//!   everything after log-in takes an [`AuthUser`] (a person acting on a
//!   ledger with a role), which only authentication can create, and first
//!   requires the permission it needs.
//! * [`rules`] — the business rules, each written once and applied by `ops`
//!   before a store is called (stores only store).
//! * [`csv_io`] — CSV export, sniffing and two-step (plan, commit) import.
//! * [`config`] — environment/.env configuration with redacted `Debug`.
//! * [`error`] — the one [`Error`] type with stable codes.
//!
//! Money is `i64` minor units everywhere; there is no floating point on any money path.

pub mod auth;
pub mod backup;
pub mod bank;
pub mod config;
pub mod csv_io;
pub mod domain;
pub mod error;
pub mod id;
pub mod money;
pub mod ops;
pub mod rules;
pub mod store;

use std::path::Path;
use std::sync::Arc;

pub use config::Config;
pub use error::{Error, ErrorCode, Result};
pub use id::Id;
pub use money::{Amount, Currency, SignedAmount};
pub use ops::{
    AuthSettings, AuthUser, Finance, LoginOutcome, ReconciliationPreview, ReconciliationRows,
};

/// Open the store the configuration asks for: MongoDB when `MONGODB_URI` is
/// set, otherwise the embedded SQLite file `finance.sqlite3` in the data
/// directory (`FINANCE_DATA_DIR`, else `default_data_dir`).
pub async fn open_store(config: &Config, default_data_dir: &Path) -> Result<Arc<dyn store::Store>> {
    match &config.mongodb_uri {
        Some(uri) => Ok(Arc::new(
            store::mongo::MongoStore::connect(uri.expose(), &config.mongodb_db).await?,
        )),
        None => {
            let dir = config.data_dir.as_deref().unwrap_or(default_data_dir);
            let path = dir.join("finance.sqlite3");
            Ok(Arc::new(store::sqlite::SqliteStore::open(&path).await?))
        }
    }
}
