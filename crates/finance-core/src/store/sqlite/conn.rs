//! Opening the one connection, its pragmas, and the write transaction.
//!
//! * The data folder is created if missing (`0700`), the database file too
//!   (`0600`), and existing ones are made private ([`super::files`]); a
//!   folder that cannot be created is `Unavailable` with its path.
//! * Every connection runs in WAL mode with `synchronous = FULL` (a commit
//!   that returned survives a power loss: the WAL is synced at every commit,
//!   not only at checkpoints), the WAL truncated to [`JOURNAL_SIZE_LIMIT`]
//!   after a checkpoint (a large import no longer leaves a WAL of its size
//!   behind), foreign keys on, a 5 s busy timeout, statement journals in
//!   memory and a page cache of up to 64 MiB; then the schema is brought up
//!   to date ([`super::schema::migrate`], which backs up a database with user
//!   data first) before the connection is used.
//! * [`immediate`] is the one shape of a write: an `IMMEDIATE` transaction
//!   (the write lock is taken up front), committed only when the body
//!   succeeds and rolled back otherwise — all or nothing.

use std::path::Path;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::files::{private_database, private_folder};
use super::schema::migrate;
use crate::error::Result;

/// The size the WAL is truncated to after a checkpoint (`journal_size_limit`):
/// 16 MiB, four times what the automatic checkpoint (1000 pages) lets it
/// reach between checkpoints, so ordinary use never truncates it.
pub(super) const JOURNAL_SIZE_LIMIT: i64 = 16 << 20;

/// How long a connection waits for another one's lock before `Unavailable`.
pub(super) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Switch to WAL, waiting for other connections as [`BUSY_TIMEOUT`] does.
/// The switch of a new file needs an exclusive lock, and SQLite answers
/// `SQLITE_BUSY` at once (without calling the busy handler) while another
/// connection is opening or migrating the same file, as a second app instance
/// starting at the same moment does; so it is retried here.
fn enter_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
}

/// Plans that never depend on the values bound to a statement (SQLite's
/// query planner stability guarantee). Without it SQLite marks a statement
/// whose plan *could* depend on a parameter (a keyset list's `ORDER BY`, the
/// session lookup's join) to be prepared again whenever that parameter is
/// re-bound, and rusqlite's statement cache clears the bindings of every
/// statement it takes back: the cache kept the text but every list and
/// every authenticated call parsed and planned its SQL again (a fifth of a
/// server's time under load). Our plans use no parameter's value (there are
/// no `sqlite_stat4` samples, the searches use `instr`, not `LIKE`), so
/// nothing is lost; `tests::cached_statements_are_not_prepared_again` holds it.
pub(super) fn stable_plans(conn: &Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Open (creating the folder and file if needed) the database at `path`, set
/// its pragmas and migrate it.
pub(super) fn open_connection(path: &Path) -> Result<Connection> {
    let on_disk = path != Path::new(":memory:");
    if on_disk {
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            private_folder(dir)?;
        }
        private_database(path)?;
    }
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    enter_wal(&conn)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Statement journals (a write that fires the report triggers needs one) in
    // memory rather than a temporary file per statement.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Page cache up to 64 MiB (SQLite's default is 2 MiB). An import inserts into
    // several indexes at random positions (date, amount, category); with the
    // default cache a large history turns most of those into page misses. The
    // cache only grows with the pages actually read, so small stores stay small.
    conn.pragma_update(None, "cache_size", -65_536)?;
    stable_plans(&conn)?;
    migrate(&mut conn, on_disk.then_some(path))?;
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

#[cfg(test)]
mod tests {
    use rusqlite::StatementStatus;

    use super::*;

    /// The statements every request runs (a keyset page, the session lookup)
    /// stay prepared across uses through rusqlite's cache: none is parsed and
    /// planned again after its bindings were cleared (see [`stable_plans`];
    /// read-only connections are set up by the same function).
    #[test]
    fn cached_statements_are_not_prepared_again() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let statements = [
            "SELECT id FROM transactions WHERE user_id = ?1 ORDER BY date DESC, id DESC LIMIT ?2",
            "SELECT id FROM users WHERE id = ?2 AND EXISTS (
               SELECT 1 FROM sessions WHERE jti = ?1 AND user_id = ?2 AND expires_at > ?3)",
        ];
        for sql in statements {
            for round in 0..3_i64 {
                let mut stmt = conn.prepare_cached(sql).unwrap();
                let n = stmt.parameter_count();
                let values: Vec<rusqlite::types::Value> = (0..n)
                    .map(|i| rusqlite::types::Value::Integer(round + i as i64))
                    .collect();
                let mut rows = stmt.query(rusqlite::params_from_iter(values)).unwrap();
                while rows.next().unwrap().is_some() {}
            }
            let stmt = conn.prepare_cached(sql).unwrap();
            assert_eq!(
                stmt.get_status(StatementStatus::RePrepare),
                0,
                "a cached statement run three times with new values is never prepared again: {sql}"
            );
        }
    }
}
