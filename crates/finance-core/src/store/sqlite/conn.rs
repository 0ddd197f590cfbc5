//! Opening the one connection, its pragmas, and the write transaction.
//!
//! * The data folder is created if missing; a folder that cannot be created is
//!   `Unavailable` with its path.
//! * Every connection runs in WAL mode with `synchronous = NORMAL`, foreign
//!   keys on, a 5 s busy timeout, statement journals in memory and a page
//!   cache of up to 64 MiB; then the schema is brought up to date
//!   ([`super::schema::migrate`]) before the connection is used.
//! * [`immediate`] is the one shape of a write: an `IMMEDIATE` transaction
//!   (the write lock is taken up front), committed only when the body
//!   succeeds and rolled back otherwise — all or nothing.

use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::schema::migrate;
use crate::error::{Error, Result};

/// Open (creating the folder and file if needed) the database at `path`, set
/// its pragmas and migrate it.
pub(super) fn open_connection(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            tracing::error!(dir = %dir.display(), error = %e, "cannot create data directory");
            Error::Unavailable {
                message: format!("cannot create the data folder {}: {e}", dir.display()),
            }
        })?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Statement journals (a write that fires the report triggers needs one) in
    // memory rather than a temporary file per statement.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Page cache up to 64 MiB (SQLite's default is 2 MiB). An import inserts into
    // several indexes at random positions (date, amount, category); with the
    // default cache a large history turns most of those into page misses. The
    // cache only grows with the pages actually read, so small stores stay small.
    conn.pragma_update(None, "cache_size", -65_536)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Run `f` inside one `IMMEDIATE` transaction and commit it when `f`
/// succeeds; on an error the transaction is rolled back (dropped) and nothing
/// `f` wrote remains.
pub(super) fn immediate<T>(
    conn: &mut Connection,
    f: impl FnOnce(&Transaction<'_>) -> Result<T>,
) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}
