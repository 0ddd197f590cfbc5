//! The schema: versioned migrations and the report aggregates they create.
//!
//! * [`MIGRATIONS`] is applied in order; the schema version is the number of
//!   migrations applied, kept in `PRAGMA user_version`. Each migration runs in
//!   its own `IMMEDIATE` transaction together with the version bump, so a file
//!   is always at exactly one version; the version is read inside that
//!   transaction, so app instances opening one new file at once each find
//!   what the others did and never run a migration twice. A file of a newer
//!   version than this build knows is refused (`Unavailable`), never
//!   downgraded.
//! * Before the first migration changes a file that holds user data, the
//!   file is backed up inside the same transaction (`files::backup`; the
//!   last three are kept). A new file, or one without users, is not. When a
//!   pending migration rebuilds tables (`Migration::Rebuild`), the free disk
//!   space is checked first (`files::check_room_for_rebuild`: about 2.5× the
//!   file besides it) and too little is refused (`Unavailable`, naming the
//!   bytes needed and available) before anything is written.
//! * `MIGRATIONS` is persisted history: every user's file was built by running
//!   its entries, and the version number says which of them already ran. An
//!   entry is therefore never edited, reordered or removed once released; a
//!   change to the schema is a new entry at the end.
//! * Migration 2 keeps per-user daily sums (`tx_daily` by kind and category,
//!   `tx_desc_daily` by lower-cased description) with triggers in the same
//!   transaction as every write to `transactions`, so a failed write changes
//!   neither. A bulk import pauses the insert trigger (a row in
//!   `tx_agg_paused`, inside its own transaction) and adds its sums once per
//!   day and key (see `imports.rs`). The tests below check the sums always
//!   equal a plain `GROUP BY` over `transactions`.
//! * Migration 3 keeps idempotency keys, one per (user, key).
//! * Migration 4 puts the log-in throttle on the store's clock: it adds
//!   `last_failure_at` (a count whose last failure is a day old starts over)
//!   and deletes the rows of usernames without an account, which earlier
//!   versions kept for every name typed at log-in.
//! * Migration 5 is accounts (see `docs/design-accounts.md`): the `accounts`
//!   table; each existing user gets "Main account" whose id is the user's id
//!   (deterministic: the same on a re-run and on MongoDB) holding all their
//!   rows; `transactions` rebuilt with `account_id NOT NULL`, `status` and
//!   `transfer_id` (SQLite cannot add a NOT NULL reference), every index and
//!   trigger of the earlier migrations recreated from their stored SQL (so
//!   identically, which a test checks); and the per-account daily sums
//!   `tx_account_daily` (signed: income adds, expense subtracts) and the
//!   per-account totals `tx_account_totals` (plain and cleared, as split
//!   halves that cannot overflow), kept by triggers like `tx_daily` and by
//!   the bulk import per chunk.
//! * Migration 6 is schedules (recurring transactions): the `schedules`
//!   table, and on `transactions` the nullable `schedule_id` and
//!   `occurrence` of a posted row (added columns: nothing is rebuilt, no
//!   aggregate trigger watches them) under the unique partial index
//!   `tx_schedule_occurrence`, so an occurrence is posted once.
//! * Migration 7 is rules and the description index learned categories read.
//! * Migration 8 is bank ids: the nullable `transactions.bank_id` (an added
//!   column: nothing rebuilt) under the unique partial index
//!   `tx_account_bank_id` on `(user_id, account_id, bank_id)`, so a bank's
//!   entry is stored once per account.
//! * Migration 9 is households: the `memberships` table (ledger, member,
//!   role, status, invited_at; primary key (ledger, member); both users'
//!   deletes cascade to it). Owners have no row, so existing files need none.

use std::path::Path;

use rusqlite::Connection;

use super::conn::immediate;
use super::{SqliteStore, accounts_schema, files};
use crate::error::{Error, Result};

/// One schema migration: SQL, or a Rust step for what SQL alone cannot say.
/// Either runs inside the migration's `IMMEDIATE` transaction.
#[derive(Clone, Copy)]
enum Migration {
    Sql(&'static str),
    /// A Rust step that rebuilds tables: the open first checks there is
    /// room for it on disk (`files::check_room_for_rebuild`).
    Rebuild(fn(&Connection) -> Result<()>),
}

impl Migration {
    fn apply(self, conn: &Connection) -> Result<()> {
        match self {
            Migration::Sql(sql) => Ok(conn.execute_batch(sql)?),
            Migration::Rebuild(step) => step(conn),
        }
    }

    fn rebuilds(self) -> bool {
        matches!(self, Migration::Rebuild(_))
    }
}

/// Schema migrations, applied in order; the index + 1 is the schema version.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(
        r#"
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    currency      TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE TABLE sessions (
    jti        TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_throttle (
    username     TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until INTEGER
);
CREATE TABLE categories (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('income', 'expense')),
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, kind, name_key)
);
CREATE TABLE budgets (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES categories(id),
    limit_minor INTEGER NOT NULL CHECK (limit_minor > 0),
    period      TEXT NOT NULL CHECK (period IN ('weekly', 'monthly', 'yearly')),
    created_at  INTEGER NOT NULL,
    UNIQUE (user_id, category_id, period)
);
CREATE TABLE transactions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES categories(id),
    kind        TEXT NOT NULL CHECK (kind IN ('income', 'expense')),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    date        TEXT NOT NULL,
    description TEXT NOT NULL,
    note        TEXT,
    search_text TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- Keyset pages by date and month summaries are served from this index alone.
CREATE INDEX tx_user_date ON transactions(user_id, date, id, kind, amount);
-- Budget spending and category moves.
CREATE INDEX tx_user_category_date ON transactions(user_id, category_id, date, amount);
-- Keyset pages by amount.
CREATE INDEX tx_user_amount ON transactions(user_id, amount, id);
-- Foreign-key checks when a category is deleted.
CREATE INDEX tx_category ON transactions(category_id);
CREATE INDEX budgets_category ON budgets(category_id);
"#,
    ),
    // 2: report aggregates. Sums per user and day, kept by triggers (by
    // `imports::Bulk` for imports) in the same transaction as every write to `transactions` (so a
    // failed write changes neither), let summaries, budgets and reports read a few rows per day instead
    // of every transaction in the range. `tx_desc_daily.k` is the description's
    // grouping key: the first line of `search_text` (the lower-cased description).
    Migration::Sql(
        r#"
CREATE TABLE tx_daily (
    user_id     TEXT NOT NULL,
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    category_id TEXT NOT NULL,
    total       INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (user_id, date, kind, category_id)
) WITHOUT ROWID;
CREATE TABLE tx_desc_daily (
    user_id TEXT NOT NULL,
    date    TEXT NOT NULL,
    k       TEXT NOT NULL,
    total   INTEGER NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (user_id, date, k)
) WITHOUT ROWID;
INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
    SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*)
    FROM transactions GROUP BY user_id, date, kind, category_id;
INSERT INTO tx_desc_daily (user_id, date, k, total, n)
    SELECT user_id, date, substr(search_text, 1, instr(search_text || char(10), char(10)) - 1),
           SUM(amount), COUNT(*)
    FROM transactions GROUP BY 1, 2, 3;
-- A bulk import pauses the insert trigger (a row here, inside its transaction)
-- and adds its rows' sums once per day and key instead; see insert_bulk.
CREATE TABLE tx_agg_paused (one INTEGER PRIMARY KEY CHECK (one = 1));
CREATE TRIGGER tx_agg_insert AFTER INSERT ON transactions
WHEN NOT EXISTS (SELECT 1 FROM tx_agg_paused) BEGIN
    INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
        VALUES (new.user_id, new.date, new.kind, new.category_id, new.amount, 1)
        ON CONFLICT (user_id, date, kind, category_id)
        DO UPDATE SET total = total + excluded.total, n = n + 1;
    INSERT INTO tx_desc_daily (user_id, date, k, total, n)
        VALUES (new.user_id, new.date,
                substr(new.search_text, 1, instr(new.search_text || char(10), char(10)) - 1),
                new.amount, 1)
        ON CONFLICT (user_id, date, k)
        DO UPDATE SET total = total + excluded.total, n = n + 1;
END;
CREATE TRIGGER tx_agg_delete AFTER DELETE ON transactions BEGIN
    UPDATE tx_daily SET total = total - old.amount, n = n - 1
        WHERE user_id = old.user_id AND date = old.date AND kind = old.kind
          AND category_id = old.category_id;
    DELETE FROM tx_daily
        WHERE user_id = old.user_id AND date = old.date AND kind = old.kind
          AND category_id = old.category_id AND n <= 0;
    UPDATE tx_desc_daily SET total = total - old.amount, n = n - 1
        WHERE user_id = old.user_id AND date = old.date
          AND k = substr(old.search_text, 1, instr(old.search_text || char(10), char(10)) - 1);
    DELETE FROM tx_desc_daily
        WHERE user_id = old.user_id AND date = old.date
          AND k = substr(old.search_text, 1, instr(old.search_text || char(10), char(10)) - 1)
          AND n <= 0;
END;
CREATE TRIGGER tx_agg_update
AFTER UPDATE OF user_id, category_id, kind, amount, date, search_text ON transactions BEGIN
    UPDATE tx_daily SET total = total - old.amount, n = n - 1
        WHERE user_id = old.user_id AND date = old.date AND kind = old.kind
          AND category_id = old.category_id;
    DELETE FROM tx_daily
        WHERE user_id = old.user_id AND date = old.date AND kind = old.kind
          AND category_id = old.category_id AND n <= 0;
    UPDATE tx_desc_daily SET total = total - old.amount, n = n - 1
        WHERE user_id = old.user_id AND date = old.date
          AND k = substr(old.search_text, 1, instr(old.search_text || char(10), char(10)) - 1);
    DELETE FROM tx_desc_daily
        WHERE user_id = old.user_id AND date = old.date
          AND k = substr(old.search_text, 1, instr(old.search_text || char(10), char(10)) - 1)
          AND n <= 0;
    INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
        VALUES (new.user_id, new.date, new.kind, new.category_id, new.amount, 1)
        ON CONFLICT (user_id, date, kind, category_id)
        DO UPDATE SET total = total + excluded.total, n = n + 1;
    INSERT INTO tx_desc_daily (user_id, date, k, total, n)
        VALUES (new.user_id, new.date,
                substr(new.search_text, 1, instr(new.search_text || char(10), char(10)) - 1),
                new.amount, 1)
        ON CONFLICT (user_id, date, k)
        DO UPDATE SET total = total + excluded.total, n = n + 1;
END;
-- The report's largest expenses: walked by amount, the date checked in the index.
CREATE INDEX tx_user_expense_amount ON transactions(user_id, amount, id, date)
    WHERE kind = 'expense';
"#,
    ),
    Migration::Sql(
        r#"
-- 3: idempotency keys of adds and imports, one per (user, key).
CREATE TABLE idempotency_keys (
    user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    result      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
"#,
    ),
    Migration::Sql(
        r#"
-- 4: the log-in throttle on the store's clock. Rows are kept only for existing
-- users; earlier versions kept one for every username typed at log-in.
ALTER TABLE login_throttle ADD COLUMN last_failure_at INTEGER;
DELETE FROM login_throttle WHERE username NOT IN (SELECT username FROM users);
"#,
    ),
    // 5: accounts (`accounts_schema::migrate_accounts`).
    Migration::Rebuild(accounts_schema::migrate_accounts),
    Migration::Sql(
        r#"
-- 6: schedules (recurring transactions), and the posting key stored with
-- the rows they post. Added columns only: no table is rebuilt.
CREATE TABLE schedules (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    account_id      TEXT NOT NULL REFERENCES accounts(id),
    category_id     TEXT REFERENCES categories(id),
    to_account_id   TEXT REFERENCES accounts(id),
    amount          INTEGER NOT NULL CHECK (amount <> 0),
    description     TEXT NOT NULL,
    note            TEXT,
    frequency       TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly', 'yearly')),
    every           INTEGER NOT NULL CHECK (every BETWEEN 1 AND 999),
    -- Weekly: Monday = 0 … Sunday = 6.
    weekday         INTEGER CHECK (weekday BETWEEN 0 AND 6),
    -- Monthly: the day, 1-31; 0 = the month's last day.
    month_day       INTEGER CHECK (month_day BETWEEN 0 AND 31),
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    end_count       INTEGER CHECK (end_count >= 1),
    mode            TEXT NOT NULL CHECK (mode IN ('post', 'remind')),
    paused          INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    -- The last occurrence posted or skipped.
    handled_through TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    -- An income or expense in a category, or a transfer to another account.
    CHECK ((category_id IS NULL) <> (to_account_id IS NULL)),
    CHECK (to_account_id IS NULL OR (to_account_id <> account_id AND amount > 0)),
    CHECK (end_date IS NULL OR end_count IS NULL)
);
CREATE INDEX schedules_user ON schedules(user_id, created_at, id);
CREATE INDEX schedules_account ON schedules(account_id, user_id);
CREATE INDEX schedules_to_account ON schedules(to_account_id, user_id)
    WHERE to_account_id IS NOT NULL;
CREATE INDEX schedules_category ON schedules(category_id, user_id)
    WHERE category_id IS NOT NULL;
-- A posted row's schedule and occurrence; once per (user, schedule,
-- occurrence, kind): a transfer's two legs share it, each leg once.
ALTER TABLE transactions ADD COLUMN schedule_id TEXT;
ALTER TABLE transactions ADD COLUMN occurrence TEXT;
CREATE UNIQUE INDEX tx_schedule_occurrence
    ON transactions(user_id, schedule_id, occurrence, kind)
    WHERE schedule_id IS NOT NULL;
"#,
    ),
    // 7: rules (auto-categorisation), and the index of each user's rows by
    // lower-cased description (`scope::DESCRIPTION_KEY`) and date that
    // suggestions and an import's learned categories read (transfer legs,
    // which have no category, are not in it). A rule's category and account
    // are foreign keys that delete the rule with them (a delete that moves
    // rows re-points the rules first, `categories.rs`/`accounts.rs`).
    Migration::Sql(
        r#"
CREATE TABLE rules (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    enabled      INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    desc_match   TEXT CHECK (desc_match IN ('contains', 'startsWith', 'equals')),
    desc_text    TEXT,
    amount_min   INTEGER,
    amount_max   INTEGER,
    account_id   TEXT REFERENCES accounts(id) ON DELETE CASCADE,
    kind         TEXT CHECK (kind IN ('income', 'expense')),
    category_id  TEXT REFERENCES categories(id) ON DELETE CASCADE,
    rename       TEXT,
    note         TEXT,
    created_at   INTEGER NOT NULL,
    CHECK ((desc_match IS NULL) = (desc_text IS NULL))
);
CREATE INDEX rules_user_position ON rules(user_id, position, id);
CREATE INDEX rules_category ON rules(category_id);
CREATE INDEX rules_account ON rules(account_id);
CREATE INDEX tx_user_description ON transactions(
    user_id, substr(search_text, 1, instr(search_text || char(10), char(10)) - 1), date, id
) WHERE category_id IS NOT NULL;
"#,
    ),
    // 8: bank ids (issue 16): the bank's own id of an imported statement
    // entry, unique per (user, account) among the rows that have one; an
    // import looks its file's ids up through this index.
    Migration::Sql(
        r#"
ALTER TABLE transactions ADD COLUMN bank_id TEXT;
CREATE UNIQUE INDEX tx_account_bank_id
    ON transactions(user_id, account_id, bank_id)
    WHERE bank_id IS NOT NULL;
"#,
    ),
    // 9: households (issue 17): a membership grants another user a role on
    // a ledger (the ledger is its owner's user id, `user_id` of every data
    // row, so no data row changes). The owner's own membership is implicit
    // and never stored; deleting either user deletes the row.
    Migration::Sql(
        r#"
CREATE TABLE memberships (
    ledger_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    member_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    status     TEXT NOT NULL CHECK (status IN ('invited', 'active')),
    invited_at INTEGER NOT NULL,
    PRIMARY KEY (ledger_id, member_id),
    CHECK (ledger_id <> member_id)
) WITHOUT ROWID;
CREATE INDEX memberships_member ON memberships(member_id, ledger_id);
"#,
    ),
];

impl SqliteStore {
    /// The schema version after migrations.
    pub fn schema_version() -> usize {
        MIGRATIONS.len()
    }

    /// Test hook (cargo feature `testing` only): create the file `path` as
    /// this build's first `version` migrations made it (a database of an
    /// earlier release), without opening a store on it.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn create_at_version_for_tests(path: &std::path::Path, version: usize) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        for (i, migration) in MIGRATIONS.iter().enumerate().take(version) {
            immediate(&mut conn, |tx| {
                migration.apply(tx)?;
                tx.pragma_update(None, "user_version", (i + 1) as i64)?;
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// Bring the schema up to [`SqliteStore::schema_version`], one migration
/// per `IMMEDIATE` transaction. The version is read again inside each
/// transaction (holding the write lock), so when several connections open a
/// file at once each migration runs once and the others find it done. When
/// `path` is given (a file, not memory) and the file holds user data, it is
/// backed up before the first migration changes it (see `files`).
pub(super) fn migrate(conn: &mut Connection, path: Option<&Path>) -> Result<()> {
    migrate_with(conn, path, files::available_space)
}

/// [`migrate`], reading the data folder's free space with `available`
/// (before a migration that rebuilds tables, a file with user data and too
/// little room is refused with nothing changed; tests inject the figure).
fn migrate_with(
    conn: &mut Connection,
    path: Option<&Path>,
    available: fn(&Path) -> Option<u64>,
) -> Result<()> {
    // Up to date (every open but the first after an update): no write lock.
    if schema_version(conn)? == MIGRATIONS.len() {
        return Ok(());
    }
    let mut backed_up = false;
    loop {
        let migrated = immediate(conn, |tx| {
            let version = schema_version(tx)?;
            let Some(migration) = MIGRATIONS.get(version) else {
                return Ok(None);
            };
            if !backed_up
                && let Some(path) = path
                && holds_user_data(tx, version)?
            {
                if MIGRATIONS[version..].iter().any(|m| m.rebuilds()) {
                    files::check_room_for_rebuild(tx, path, available)?;
                }
                files::backup(path, version)?;
            }
            migration.apply(tx)?;
            tx.pragma_update(None, "user_version", (version + 1) as i64)?;
            Ok(Some(version + 1))
        })?;
        let Some(version) = migrated else {
            return Ok(());
        };
        backed_up = true;
        tracing::info!(version, "sqlite schema migrated");
    }
}

/// The file's schema version; a version newer than this build knows is
/// refused (`Unavailable`), never downgraded.
fn schema_version(conn: &Connection) -> Result<usize> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATIONS.len() {
        return Err(Error::Unavailable {
            message: format!(
                "the data file was written by a newer version of the app (schema {version}); please update the app"
            ),
        });
    }
    Ok(version)
}

/// Whether a file at schema `version` has any user (a new file has no tables).
fn holds_user_data(conn: &Connection, version: usize) -> Result<bool> {
    if version == 0 {
        return Ok(false);
    }
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate};
    use rusqlite::{Connection, params};

    use super::super::imports::insert_bulk;
    use super::*;
    use crate::domain::{EntryKind, Transaction, TxStatus};
    use crate::id::Id;
    use crate::money::SignedAmount;

    #[tokio::test]
    async fn migrates_once_and_refuses_newer_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/finance.sqlite3");
        let store = SqliteStore::open(&path).await.unwrap();
        drop(store);
        // Re-opening is a no-op migration.
        SqliteStore::open(&path).await.unwrap();
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, SqliteStore::schema_version());
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = SqliteStore::open(&path).await.unwrap_err();
        assert!(err.to_string().contains("newer version"), "{err}");
    }

    #[tokio::test]
    async fn migration_4_keeps_known_users_throttle_rows_only() {
        // A file made by the previous version (schema 3), with throttle rows for
        // an existing user (locked) and for two typed names without an account.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.sqlite3");
        let conn = Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..3] {
            migration.apply(&conn).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute(
            "INSERT INTO users VALUES ('u1', 'ann', 'ann@example.com', 'h', 'f', 'l', 'EUR', 0)",
            [],
        )
        .unwrap();
        conn.execute_batch(
            "INSERT INTO login_throttle VALUES ('ann', 7, 4102444800000);
             INSERT INTO login_throttle VALUES ('ghost', 3, NULL);
             INSERT INTO login_throttle VALUES ('nobody', 12, 4102444800000);",
        )
        .unwrap();
        drop(conn);

        SqliteStore::open(&path).await.unwrap();
        let conn = Connection::open(&path).unwrap();
        let rows: Vec<(String, i64, Option<i64>, Option<i64>)> = conn
            .prepare("SELECT username, failures, locked_until, last_failure_at FROM login_throttle")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [("ann".to_string(), 7, Some(4_102_444_800_000), None)],
            "the existing user's row is kept as it was (its far-future lock is then \
             treated as expired); the rows of names without an account are gone"
        );
    }

    /// Rows where the daily sums differ from a GROUP BY over `transactions`
    /// (both ways), the per-account sums and totals (migration 5) included
    /// once they exist.
    fn aggregate_drift(conn: &Connection) -> i64 {
        const KEY: &str = "substr(search_text, 1, instr(search_text || char(10), char(10)) - 1)";
        let daily = "SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*)
                     FROM transactions WHERE category_id IS NOT NULL GROUP BY 1, 2, 3, 4";
        let desc = format!(
            "SELECT user_id, date, {KEY}, SUM(amount), COUNT(*) FROM transactions
             WHERE category_id IS NOT NULL GROUP BY 1, 2, 3"
        );
        let account = "SELECT user_id, account_id, date,
                              SUM(CASE WHEN kind IN ('income', 'transfer_in') THEN amount
                                       ELSE -amount END), COUNT(*)
                       FROM transactions GROUP BY 1, 2, 3";
        let mut q = format!(
            "SELECT (SELECT COUNT(*) FROM ({daily} EXCEPT SELECT * FROM tx_daily))
                  + (SELECT COUNT(*) FROM (SELECT * FROM tx_daily EXCEPT {daily}))
                  + (SELECT COUNT(*) FROM ({desc} EXCEPT SELECT * FROM tx_desc_daily))
                  + (SELECT COUNT(*) FROM (SELECT * FROM tx_desc_daily EXCEPT {desc}))"
        );
        // The per-account totals (split halves, plain and cleared), typed
        // columns compared too: a total turned floating point is drift.
        let totals = "SELECT user_id, account_id, SUM(e >> 32), SUM(e & 4294967295), COUNT(*),
                             SUM(CASE WHEN c THEN e >> 32 ELSE 0 END),
                             SUM(CASE WHEN c THEN e & 4294967295 ELSE 0 END)
                      FROM (SELECT user_id, account_id, status <> 'uncleared' AS c,
                                   CASE WHEN kind IN ('income', 'transfer_in') THEN amount
                                        ELSE -amount END AS e
                            FROM transactions)
                      GROUP BY 1, 2";
        let stored_totals = "SELECT user_id, account_id, high, low, n, cleared_high, cleared_low
                             FROM tx_account_totals";
        if has_accounts(conn) {
            q.push_str(&format!(
                " + (SELECT COUNT(*) FROM ({account} EXCEPT SELECT * FROM tx_account_daily))
                  + (SELECT COUNT(*) FROM (SELECT * FROM tx_account_daily EXCEPT {account}))
                  + (SELECT COUNT(*) FROM ({totals} EXCEPT {stored_totals}))
                  + (SELECT COUNT(*) FROM ({stored_totals} EXCEPT {totals}))
                  + (SELECT COUNT(*) FROM tx_account_totals
                     WHERE typeof(high) <> 'integer' OR typeof(low) <> 'integer'
                        OR typeof(cleared_high) <> 'integer' OR typeof(cleared_low) <> 'integer')"
            ));
        }
        conn.query_row(&q, [], |r| r.get(0)).unwrap()
    }

    /// Whether the file is at schema 5 or later (transactions have an account).
    fn has_accounts(conn: &Connection) -> bool {
        conn.query_row(
            "SELECT COUNT(*) FROM pragma_table_info('transactions') WHERE name = 'account_id'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            > 0
    }

    /// `n` rows of `user` across `cats` and, from schema 5, across `accounts`.
    fn seed_rows(
        conn: &Connection,
        user: &str,
        cats: &[&str],
        accounts: &[&str],
        n: usize,
        salt: usize,
    ) {
        let (account_col, account_value) = if accounts.is_empty() {
            ("", "")
        } else {
            (", account_id", ", ?10")
        };
        let sql = format!(
            "INSERT INTO transactions (id, user_id, category_id, kind, amount, date,
               description, note, search_text, created_at, updated_at{account_col})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0{account_value})"
        );
        for i in 0..n {
            let j = i + salt;
            let desc = ["Coffee", "coffee ", "Rent", "Train #4"][j % 4];
            let note = j.is_multiple_of(3).then_some("Paid by card");
            let mut values: Vec<rusqlite::types::Value> = vec![
                Id::generate().to_hex().into(),
                user.to_string().into(),
                cats[j % cats.len()].to_string().into(),
                if j.is_multiple_of(5) {
                    "income"
                } else {
                    "expense"
                }
                .to_string()
                .into(),
                (100 + (j as i64 * 37) % 1000).into(),
                format!("2026-0{}-{:02}", 1 + j % 3, 1 + j % 7).into(),
                desc.to_string().into(),
                note.map(str::to_string).into(),
                Transaction::search_text(desc.trim(), note).into(),
            ];
            if !accounts.is_empty() {
                values.push(accounts[j % accounts.len()].to_string().into());
            }
            conn.execute(&sql, rusqlite::params_from_iter(values))
                .unwrap();
        }
    }

    /// A user with two expense categories and, from schema 5, two accounts
    /// (the first with the user's id, as migration 5 makes them).
    fn seed_user(conn: &Connection) -> (String, String, String, Vec<String>) {
        let (u, c1, c2) = (
            Id::generate().to_hex(),
            Id::generate().to_hex(),
            Id::generate().to_hex(),
        );
        conn.execute(
            "INSERT INTO users VALUES (?1, ?1, ?1, 'h', 'f', 'l', 'EUR', 0)",
            [&u],
        )
        .unwrap();
        for (c, name) in [(&c1, "a"), (&c2, "b")] {
            conn.execute(
                "INSERT INTO categories VALUES (?1, ?2, ?3, ?3, 'expense', 0)",
                params![c, u, name],
            )
            .unwrap();
        }
        let mut accounts = Vec::new();
        if has_accounts(conn) {
            for (id, name) in [(u.clone(), "Main"), (Id::generate().to_hex(), "Card")] {
                conn.execute(
                    "INSERT INTO accounts (id, user_id, name, name_key, kind, currency,
                       opening_balance, opening_date, position, created_at)
                     VALUES (?1, ?2, ?3, lower(?3), 'checking', 'EUR', 0, '2026-01-01', 0, 0)",
                    params![id, u, name],
                )
                .unwrap();
                accounts.push(id);
            }
        }
        (u, c1, c2, accounts)
    }

    /// The SQL of `transactions`' indexes and triggers, by name.
    fn transaction_schema(conn: &Connection) -> Vec<(String, String)> {
        conn.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE tbl_name = 'transactions' AND type IN ('index', 'trigger') AND sql IS NOT NULL
             ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn migration_5_keeps_every_index_and_trigger_and_gives_each_user_a_main_account() {
        let mut conn = Connection::open_in_memory().unwrap();
        for migration in &MIGRATIONS[..4] {
            migration.apply(&conn).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        let before = transaction_schema(&conn);
        assert!(
            before.len() >= 8,
            "migrations 1-2 made indexes and triggers: {before:?}"
        );
        let (u, c1, c2, none) = seed_user(&conn);
        assert!(none.is_empty(), "no accounts before migration 5");
        seed_rows(&conn, &u, &[&c1, &c2], &[], 40, 0);
        let (v, d1, _, _) = seed_user(&conn);
        seed_rows(&conn, &v, &[&d1], &[], 9, 1);
        migrate(&mut conn, None).unwrap();

        let after = transaction_schema(&conn);
        for (name, sql) in &before {
            let guarded = accounts_schema::skip_transfer_legs(sql).unwrap();
            assert_eq!(
                guarded != *sql,
                name.starts_with("tx_agg_"),
                "exactly migration 2's three aggregate triggers get a guard against transfer legs: {name}"
            );
            assert!(
                after.contains(&(name.clone(), guarded)),
                "{name} is recreated exactly as the earlier migration made it (plus the guard)"
            );
        }
        assert_eq!(
            aggregate_drift(&conn),
            0,
            "the per-account sums are backfilled"
        );
        let accounts: Vec<(String, String, String, i64)> = conn
            .prepare("SELECT id, user_id, name, opening_balance FROM accounts ORDER BY name_key, user_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(accounts.len(), 2, "one account per user: {accounts:?}");
        for (id, user, name, opening) in &accounts {
            assert_eq!(
                id, user,
                "the migrated account's id is its user's (deterministic)"
            );
            assert_eq!((name.as_str(), *opening), ("Main account", 0));
        }
        let misplaced: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM transactions WHERE account_id <> user_id OR status <> 'uncleared'
                   OR transfer_id IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            misplaced, 0,
            "every row is in its user's Main account, uncleared"
        );
        let count: i64 = conn
            .query_row("SELECT COUNT(*) FROM transactions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(count, 49, "no row lost");
    }

    #[test]
    fn report_aggregates_follow_every_write_and_the_backfill() {
        // Backfill: rows written under schema 1, then migrated.
        let mut conn = Connection::open_in_memory().unwrap();
        MIGRATIONS[0].apply(&conn).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let (u, c1, c2, _) = seed_user(&conn);
        seed_rows(&conn, &u, &[&c1, &c2], &[], 60, 0);
        migrate(&mut conn, None).unwrap();
        assert_eq!(aggregate_drift(&conn), 0);
        let backfilled: i64 = conn
            .query_row("SELECT SUM(n) FROM tx_daily", [], |r| r.get(0))
            .unwrap();
        assert_eq!(backfilled, 60);

        // Triggers: inserts, edits of every aggregated column, deletes, category
        // and account moves.
        let (v, d1, d2, accounts) = seed_user(&conn);
        let (main, card) = (accounts[0].clone(), accounts[1].clone());
        seed_rows(&conn, &v, &[&d1, &d2], &[&main, &card], 80, 7);
        assert_eq!(aggregate_drift(&conn), 0);
        conn.execute_batch(&format!(
            "UPDATE transactions SET amount = amount + 3 WHERE rowid % 4 = 0;
             UPDATE transactions SET date = '2026-05-05' WHERE rowid % 5 = 0;
             UPDATE transactions SET kind = 'income' WHERE rowid % 6 = 0;
             UPDATE transactions SET description = 'Bakery', search_text = 'bakery' WHERE rowid % 7 = 0;
             UPDATE transactions SET note = 'x', updated_at = 1 WHERE rowid % 2 = 0;
             UPDATE transactions SET category_id = '{d2}' WHERE category_id = '{d1}';
             UPDATE transactions SET account_id = '{card}' WHERE rowid % 8 = 1 AND user_id = '{v}';
             UPDATE transactions SET account_id = '{main}', amount = amount + 1
                 WHERE rowid % 9 = 2 AND user_id = '{v}';
             UPDATE transactions SET status = 'cleared' WHERE rowid % 4 = 1;
             UPDATE transactions SET status = 'reconciled' WHERE rowid % 10 = 3;
             UPDATE transactions SET account_id = '{card}', amount = amount + 2
                 WHERE rowid % 11 = 4 AND user_id = '{v}' AND status <> 'uncleared';
             UPDATE transactions SET status = 'uncleared' WHERE rowid % 12 = 1;
             DELETE FROM transactions WHERE rowid % 3 = 0;"
        ))
        .unwrap();
        assert_eq!(aggregate_drift(&conn), 0);
        // Transfer legs count in the account sums only; a refund (a negative
        // expense) in all of them; editing and deleting either keeps them exact.
        conn.execute_batch(&format!(
            "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount, date,
                 description, search_text, created_at, updated_at, transfer_id) VALUES
               ('leg1', '{v}', '{main}', NULL, 'transfer_out', 700, '2026-01-02', 'Card bill',
                'card bill', 0, 0, 'tr1'),
               ('leg2', '{v}', '{card}', NULL, 'transfer_in', 700, '2026-01-02', 'Card bill',
                'card bill', 0, 0, 'tr1'),
               ('ref1', '{v}', '{card}', '{d1}', 'expense', -250, '2026-01-02', 'Refund',
                'refund', 0, 0, NULL);"
        ))
        .unwrap();
        assert_eq!(aggregate_drift(&conn), 0, "legs and a refund inserted");
        let legs_in_category_sums: i64 = conn
            .query_row(
                "SELECT (SELECT COUNT(*) FROM tx_daily WHERE kind LIKE 'transfer%')
                      + (SELECT COUNT(*) FROM tx_desc_daily WHERE k = 'card bill')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            legs_in_category_sums, 0,
            "a transfer is neither income nor expense: it is in no category or description sum"
        );
        conn.execute_batch(
            "UPDATE transactions SET amount = 900, date = '2026-01-09' WHERE transfer_id = 'tr1';
             UPDATE transactions SET amount = -300 WHERE id = 'ref1';",
        )
        .unwrap();
        assert_eq!(aggregate_drift(&conn), 0, "legs and a refund edited");
        for (bad, why) in [
            (
                format!(
                    "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount,
                         date, description, search_text, created_at, updated_at, transfer_id)
                     VALUES ('x', '{v}', '{main}', '{d1}', 'transfer_in', 5, '2026-01-01', 'x',
                             'x', 0, 0, 'tr9')"
                ),
                "a transfer leg has no category",
            ),
            (
                format!(
                    "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount,
                         date, description, search_text, created_at, updated_at)
                     VALUES ('x', '{v}', '{main}', '{d1}', 'income', -5, '2026-01-01', 'x',
                             'x', 0, 0)"
                ),
                "income is never negative",
            ),
            (
                "UPDATE transactions SET amount = -5 WHERE transfer_id = 'tr1'".to_string(),
                "a leg's amount is positive",
            ),
        ] {
            assert!(conn.execute_batch(&bad).is_err(), "{why}");
        }
        conn.execute_batch("DELETE FROM transactions WHERE transfer_id = 'tr1' OR id = 'ref1'")
            .unwrap();
        assert_eq!(aggregate_drift(&conn), 0, "legs and a refund deleted");
        // A failed write (CHECK amount <> 0) leaves the sums as they were.
        let before: i64 = conn
            .query_row("SELECT SUM(total) FROM tx_daily", [], |r| r.get(0))
            .unwrap();
        assert!(
            conn.execute("UPDATE transactions SET amount = 0", [])
                .is_err()
        );
        let after: i64 = conn
            .query_row("SELECT SUM(total) FROM tx_daily", [], |r| r.get(0))
            .unwrap();
        assert_eq!(before, after);
        // A bulk import adds its sums once per day and key (trigger paused), beside
        // rows already there; the pause ends with it.
        let uid = Id::from_hex(&v).unwrap();
        let acct2 = Id::from_hex(&card).unwrap();
        let bulk: Vec<Transaction> = (0..50)
            .map(|i| Transaction {
                id: Id::generate(),
                user_id: uid,
                account_id: if i % 3 == 0 { acct2 } else { uid },
                category_id: Some(Id::from_hex(if i % 2 == 0 { &d1 } else { &d2 }).unwrap()),
                kind: EntryKind::Expense,
                amount: SignedAmount::from_minor("amount", if i % 10 == 9 { -3 } else { 10 + i })
                    .unwrap(),
                date: NaiveDate::from_ymd_opt(2026, 1 + (i as u32 % 3), 1 + (i as u32 % 5))
                    .unwrap(),
                description: ["Coffee", "Rent", "Train #4"][i as usize % 3].into(),
                note: (i % 4 == 0).then(|| "Card".into()),
                status: TxStatus::Uncleared,
                transfer_id: None,
                bank_id: None,
                created_at: DateTime::from_timestamp_millis(0).unwrap(),
                updated_at: DateTime::from_timestamp_millis(0).unwrap(),
            })
            .collect();
        assert_eq!(
            immediate(&mut conn, |tx| insert_bulk(tx, uid, &[], &bulk, 7)).unwrap(),
            50
        );
        assert_eq!(aggregate_drift(&conn), 0);
        let paused: i64 = conn
            .query_row("SELECT COUNT(*) FROM tx_agg_paused", [], |r| r.get(0))
            .unwrap();
        assert_eq!(paused, 0);
        seed_rows(&conn, &v, &[&d1], &[&main], 5, 3);
        assert_eq!(aggregate_drift(&conn), 0);
        // A failed import (a row of another user) leaves everything as it was.
        let mut bad = bulk.clone();
        bad[7].user_id = Id::generate();
        assert!(immediate(&mut conn, |tx| insert_bulk(tx, uid, &[], &bad, 7)).is_err());
        assert_eq!(aggregate_drift(&conn), 0);
        conn.execute("DELETE FROM transactions WHERE user_id = ?1", [&u])
            .unwrap();
        assert_eq!(aggregate_drift(&conn), 0);
        let left: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM tx_daily WHERE user_id = ?1",
                [&u],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "emptied days are removed");
    }

    #[test]
    fn a_rebuild_without_room_on_disk_is_refused_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("finance.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        for migration in &MIGRATIONS[..4] {
            migration.apply(&conn).unwrap();
        }
        conn.pragma_update(None, "user_version", 4).unwrap();
        let (u, c1, _, _) = seed_user(&conn);
        seed_rows(&conn, &u, &[&c1], &[], 30, 0);
        assert!(
            MIGRATIONS[4].rebuilds(),
            "migration 5 rebuilds transactions"
        );

        let e = migrate_with(&mut conn, Some(&path), |_| Some(1)).unwrap_err();
        let Error::Unavailable { message } = &e else {
            panic!("too little room is Unavailable: {e:?}");
        };
        assert!(
            message.contains("1 bytes") && message.contains("free some space"),
            "names what is available and what to do: {message}"
        );
        assert_eq!(schema_version(&conn).unwrap(), 4, "nothing was migrated");
        assert!(!has_accounts(&conn), "transactions were not rebuilt");
        assert!(
            !dir.path().join("backups").exists(),
            "refused before the backup: nothing written"
        );

        migrate_with(&mut conn, Some(&path), |_| Some(u64::MAX)).unwrap();
        assert_eq!(
            schema_version(&conn).unwrap(),
            MIGRATIONS.len(),
            "with room it migrates"
        );
        migrate_with(&mut conn, Some(&path), |_| Some(0))
            .expect("an up-to-date file needs no room");
    }

    #[test]
    fn account_totals_stay_exact_integers_past_i64() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, None).unwrap();
        let (v, d1, _, accounts) = seed_user(&conn);
        let main = &accounts[0];
        // Four rows of i64::MAX / 2 on four days (each day's sum fits i64; the
        // account's total does not), half of them cleared.
        let big = i64::MAX / 2;
        for day in 1..=4 {
            conn.execute(
                "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount, date,
                     description, search_text, created_at, updated_at, status)
                 VALUES (?1, ?2, ?3, ?4, 'income', ?5, ?6, 'Big', 'big', 0, 0, ?7)",
                params![
                    format!("big{day}"),
                    v,
                    main,
                    d1,
                    big,
                    format!("2026-01-0{day}"),
                    if day % 2 == 0 { "cleared" } else { "uncleared" }
                ],
            )
            .unwrap();
        }
        assert_eq!(
            aggregate_drift(&conn),
            0,
            "the totals equal the GROUP BY and are still integers past i64"
        );
        let (total, cleared) = conn
            .query_row(
                "SELECT high, low, cleared_high, cleared_low FROM tx_account_totals
                 WHERE user_id = ?1 AND account_id = ?2",
                params![v, main],
                |r| {
                    Ok((
                        super::super::sums::joined(r, 0)?,
                        super::super::sums::joined(r, 2)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(
            total,
            4 * i128::from(big),
            "the split halves add up exactly"
        );
        assert_eq!(cleared, 2 * i128::from(big), "the cleared rows' total too");
    }
}
