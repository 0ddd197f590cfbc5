//! The embedded store: one SQLite file (rusqlite, bundled SQLite).
//!
//! # Where things live
//! * `mod.rs` — [`SqliteStore`], [`SqliteStore::open`], and the four ways a
//!   method reaches a connection: `call` (the blocking pool, the writing
//!   connection), `read` (a read-only connection of `readers.rs`, one
//!   snapshot per read), `lookup` (a `read` by key, on the calling thread
//!   when a reader is free) and `write` (built on `call`).
//! * `readers.rs` — the read-only connections beside the writer (WAL lets
//!   them read while it writes).
//! * `conn.rs` — opening the connection and its pragmas; `immediate`, the one
//!   write-transaction shape.
//! * `files.rs` — the files' permissions (private to their owner) and the
//!   backups taken before a migration.
//! * `schema.rs` — `MIGRATIONS`, `migrate`, [`SqliteStore::schema_version`]
//!   (migration 5, accounts, is a Rust step in `accounts_schema.rs`);
//!   the tests of the migrations and of the daily-sum triggers.
//! * `errors.rs` — `From<rusqlite::Error>` for the contract's `Error` (so `?`
//!   converts), and `sql_error` for a unique constraint that names a field.
//! * `sums.rs` — exact (128-bit) totals over the per-day sums, and the check
//!   that a write leaves those sums integers.
//! * `rows.rs` — column helpers, the `*_COLS` lists, row → domain conversions,
//!   `get_category` / `get_budget` / `get_transaction`.
//! * One file per aggregate of the contract: `users.rs`, `sessions.rs`
//!   (sessions and log-in throttling), `accounts.rs`, `balances.rs` (balances
//!   on a date, register bases, month series), `categories.rs`, `budgets.rs`,
//!   `transactions.rs` (including the keyset list query), `reports.rs`,
//!   `imports.rs` (the bulk insert, candidate duplicates, idempotency keys),
//!   `schedules.rs` (schedules and the posting of their occurrences),
//!   `memberships.rs` (who may act on whose ledger).
//!
//! # Invariants
//! * WAL journal, foreign keys on, `synchronous = FULL` (a confirmed write
//!   survives a power loss), the WAL capped after checkpoints, a busy timeout.
//! * On Unix the data folder is `0700` and the database, `-wal`, `-shm` and
//!   backups `0600`, tightened at every open.
//! * Versioned migrations in `MIGRATIONS`, tracked by `PRAGMA user_version`;
//!   each runs in its own transaction. `MIGRATIONS` is persisted history —
//!   every existing file was built by running its entries and its version says
//!   which already ran — so released entries never change; a schema change is
//!   a new entry at the end. A file of a newer schema is refused. The version
//!   is read again inside each migration's write transaction, so app
//!   instances opening one file at once run each migration once; a file
//!   with user data is backed up (online backup API) before it is migrated,
//!   keeping the last three.
//! * Per-user daily sums (`tx_daily` by kind and category, `tx_desc_daily` by
//!   lower-cased description; migration 2) are kept by triggers in the same
//!   transaction as every write to `transactions`; a bulk import pauses the
//!   insert trigger through `tx_agg_paused` and adds its sums once per day.
//!   Summaries, budget statuses and reports read these sums, and a unit test
//!   checks they always equal a plain `GROUP BY` over `transactions`. The
//!   per-account signed sums (`tx_account_daily`, migration 5) follow the same
//!   rules and give account balances.
//! * Ids are the same 24-hex-digit strings as MongoDB's ObjectIds; dates are
//!   `YYYY-MM-DD` text (which sorts correctly); instants are Unix milliseconds.
//! * rusqlite is synchronous: every call runs on the blocking pool, so the
//!   async executor never waits on a lock or a long read. The one exception
//!   is a `lookup` (an index lookup such as a request's session, or a list
//!   page an index bounds, `transactions::reads_about_a_page`): it runs on
//!   the calling thread when a read-only connection is free at once (it takes
//!   less time than the two thread switches of the pool), else on the pool.
//! * Every write runs in one `IMMEDIATE` transaction (`write`): all or
//!   nothing. Reads (`read`) run on the connection as it is.
//! * Every statement on user data is scoped by the user id.

mod accounts;
mod accounts_schema;
mod balances;
mod budgets;
mod bulk;
mod categories;
mod conn;
mod errors;
mod files;
mod imports;
mod memberships;
mod readers;
mod reconcile;
mod reports;
mod restore;
mod rows;
mod rules;
mod schedules;
mod schema;
mod scope;
mod sessions;
mod sums;
mod transactions;
mod transfers;
mod users;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::{ClockShift, Store};
use crate::error::{Error, Result};

/// The embedded SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    /// Read-only connections for reads ([`readers`]).
    readers: Arc<readers::Readers>,

    path: PathBuf,
    /// The log-in throttle's clock: the machine's, shifted only by tests.
    clock: ClockShift,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    /// Open (creating if needed) the database file at `path` and bring its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        let path = path.to_path_buf();
        let for_open = path.clone();
        let (conn, readers) = tokio::task::spawn_blocking(move || {
            let conn = conn::open_connection(&for_open)?;
            Ok::<_, Error>((conn, readers::Readers::open(&for_open)))
        })
        .await
        .map_err(|e| Error::internal("sqlite open", e))??;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            readers: Arc::new(readers),

            path,
            clock: ClockShift::default(),
        })
    }

    /// Test hook (cargo feature `testing` only): read the log-in throttle's
    /// clock (the machine's) shifted by `shift`, which the test moves.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn with_clock_shift_for_tests(mut self, shift: ClockShift) -> SqliteStore {
        self.clock = shift;
        self
    }

    /// Test hook (cargo feature `testing` only): cap the file at `pages` pages
    /// (`PRAGMA max_page_count`) on this connection, so writes past it fail as
    /// on a full disk. Returns the cap SQLite applied (never below the current size).
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn set_max_page_count_for_tests(&self, pages: u64) -> Result<u64> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| Error::internal("sqlite lock", "poisoned"))?;
        let n = conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(n as u64)
    }

    /// Test hook (cargo feature `testing` only): set the pragma `name` to
    /// `value` on this store's connection when given, then read it back (for
    /// `synchronous`, 1 is NORMAL and 2 FULL). The benchmark uses it to
    /// measure NORMAL beside FULL.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn pragma_for_tests(&self, name: &str, value: Option<&str>) -> Result<i64> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| Error::internal("sqlite lock", "poisoned"))?;
        if let Some(value) = value {
            conn.pragma_update(None, name, value)?;
        }
        Ok(conn.pragma_query_value(None, name, |r| r.get::<_, i64>(0))?)
    }

    /// Test hook (cargo feature `testing` only): store `tx` with the amount
    /// `amount_minor`, which may be beyond what an [`Amount`](crate::Amount)
    /// allows (the triggers keep the daily sums as for any write). Lets a
    /// test reach totals that millions of maximal rows would.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub async fn insert_with_amount_for_tests(
        &self,
        tx: &crate::domain::Transaction,
        amount_minor: i64,
    ) -> Result<()> {
        use crate::store::Transactions;
        self.insert_transaction(tx, None).await?;
        let id = tx.id.to_hex();
        self.write(move |t| {
            t.execute(
                "UPDATE transactions SET amount = ?1 WHERE id = ?2",
                rusqlite::params![amount_minor, id],
            )?;
            Ok(())
        })
        .await
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` on the blocking pool, holding the one connection.
    async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| Error::internal("sqlite", "connection lock poisoned"))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| Error::internal("sqlite task", e))?
    }

    /// A read: `f` runs in one snapshot (a deferred transaction: all its
    /// statements see the same data) on a read-only connection ([`readers`]),
    /// or on the writing connection when there are none. `f` opens no
    /// transaction of its own.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        if self.readers.is_empty() {
            return self
                .call(move |conn| {
                    let snapshot = conn.transaction()?;
                    let out = f(&snapshot)?;
                    snapshot.commit()?;
                    Ok(out)
                })
                .await;
        }
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || readers.with(f))
            .await
            .map_err(|e| Error::internal("sqlite task", e))?
    }

    /// A lookup by key (a session by its id, say): `f` does microseconds of
    /// work, less than handing it to a blocking thread and back costs (two
    /// thread switches, which a server pays on every request). So it runs
    /// right here, as [`Self::read`] would run it, when a read-only
    /// connection is free at once, and goes to [`Self::read`] otherwise: it
    /// never waits for a connection on the async executor's thread. Only for
    /// reads bounded by an index (a key, or a page of at most 100 rows in an
    /// index's order), never for scans.
    async fn lookup<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        match self.readers.try_with(f) {
            Ok(done) => done,
            Err(f) => self.read(f).await,
        }
    }

    /// A write: `f` runs inside one `IMMEDIATE` transaction, committed when it
    /// returns `Ok` and rolled back when it returns an error.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T> + Send + 'static,
    {
        self.call(move |conn| conn::immediate(conn, f)).await
    }
}

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}
