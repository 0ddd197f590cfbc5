//! The embedded store: one SQLite file (rusqlite, bundled SQLite).
//!
//! * WAL journal, foreign keys on, `synchronous = NORMAL`, a busy timeout.
//! * Versioned migrations in `MIGRATIONS`, tracked by `PRAGMA user_version`;
//!   each runs in its own transaction.
//! * Ids are the same 24-hex-digit strings as MongoDB's ObjectIds; dates are
//!   `YYYY-MM-DD` text (which sorts correctly); instants are Unix milliseconds.
//! * rusqlite is synchronous: every call runs on the blocking pool holding the
//!   one connection, so the async executor never waits on disk.
//! * Multi-row writes run in `IMMEDIATE` transactions: all or nothing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{
    Connection, ErrorCode as SqliteCode, OptionalExtension, Row, TransactionBehavior, params,
};

use super::prelude::*;
use super::{
    IdempotencyRecord, LoginThrottle, PROGRESS_EVERY, Progress, SessionRecord, TransactionKey,
    UserRecord, kind_from_str,
};
use crate::domain::report::month_from_key;
use crate::domain::{
    Budget, Category, CategoryKind, CategorySpending, CategoryUsage, Cursor, DescriptionFrequency,
    MonthTotals, NewBudget, NewTransaction, Period, Summary, Transaction, TransactionQuery,
    TransactionSort, User,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};

/// Schema migrations, applied in order; the index + 1 is the schema version.
const MIGRATIONS: &[&str] = &[
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
    // 2: report aggregates. Sums per user and day, kept by triggers (by insert_bulk
    // for imports) in the same transaction as every write to `transactions` (so a
    // failed write changes neither), let summaries, budgets and reports read a few rows per day instead
    // of every transaction in the range. `tx_desc_daily.k` is the description's
    // grouping key: the first line of `search_text` (the lower-cased description).
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
];

/// The embedded SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
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
        let conn = tokio::task::spawn_blocking(move || open_connection(&for_open))
            .await
            .map_err(|e| Error::internal("sqlite open", e))??;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    /// Test hook: cap the file at `pages` pages (`PRAGMA max_page_count`) on
    /// this connection, so writes past it fail as on a full disk. Returns the
    /// cap SQLite applied (never below the current size).
    #[doc(hidden)]
    pub fn set_max_page_count_for_tests(&self, pages: u64) -> Result<u64> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| Error::internal("sqlite lock", "poisoned"))?;
        conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n as u64)
        .map_err(|e| map_err(e, ""))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version after migrations.
    pub fn schema_version() -> usize {
        MIGRATIONS.len()
    }

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
}

fn open_connection(path: &Path) -> Result<Connection> {
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
    let mut conn = Connection::open(path).map_err(|e| map_err(e, ""))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| map_err(e, ""))?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(|e| map_err(e, ""))?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| map_err(e, ""))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| map_err(e, ""))?;
    // Statement journals (a write that fires the report triggers needs one) in
    // memory rather than a temporary file per statement.
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(|e| map_err(e, ""))?;
    // Page cache up to 64 MiB (SQLite's default is 2 MiB). An import inserts into
    // several indexes at random positions (date, amount, category); with the
    // default cache a large history turns most of those into page misses. The
    // cache only grows with the pages actually read, so small stores stay small.
    conn.pragma_update(None, "cache_size", -65_536)
        .map_err(|e| map_err(e, ""))?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| map_err(e, ""))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATIONS.len() {
        return Err(Error::Unavailable {
            message: format!(
                "the data file was written by a newer version of the app (schema {version}); please update the app"
            ),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| map_err(e, ""))?;
        tx.execute_batch(sql).map_err(|e| map_err(e, ""))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(|e| map_err(e, ""))?;
        tx.commit().map_err(|e| map_err(e, ""))?;
        tracing::info!(version = i + 1, "sqlite schema migrated");
    }
    Ok(())
}

/// Map a SQLite failure to the contract's errors. `unique_field` names the field for uniqueness errors
/// when the statement has one obvious field; otherwise the constraint's columns decide.
fn map_err(e: rusqlite::Error, unique_field: &str) -> Error {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let msg = msg.as_deref().unwrap_or("");
        match f.code {
            SqliteCode::ConstraintViolation if msg.starts_with("UNIQUE") => {
                return unique_conflict(msg, unique_field);
            }
            SqliteCode::ReadOnly => {
                tracing::error!(error = %e, "sqlite read-only");
                return Error::Unavailable {
                    message: "the data file is read-only; check the permissions of the data folder"
                        .into(),
                };
            }
            SqliteCode::DiskFull => {
                tracing::error!(error = %e, "sqlite disk full");
                return Error::Unavailable {
                    message: "the disk is full; free some space and try again".into(),
                };
            }
            SqliteCode::CannotOpen | SqliteCode::PermissionDenied => {
                tracing::error!(error = %e, "sqlite cannot open");
                return Error::Unavailable {
                    message: "the data file cannot be opened; check the data folder".into(),
                };
            }
            SqliteCode::DatabaseBusy | SqliteCode::DatabaseLocked => {
                tracing::warn!(error = %e, "sqlite busy");
                return Error::Unavailable {
                    message: "the data file is busy; try again".into(),
                };
            }
            SqliteCode::NotADatabase | SqliteCode::DatabaseCorrupt => {
                tracing::error!(error = %e, "sqlite corrupt");
                return Error::Unavailable {
                    message: "the data file is damaged or not a database".into(),
                };
            }
            _ => {}
        }
    }
    Error::internal("sqlite", e)
}

fn unique_conflict(msg: &str, unique_field: &str) -> Error {
    if msg.contains("users.username") {
        Error::conflict("username", "that username is taken")
    } else if msg.contains("users.email") {
        Error::conflict("email", "that email is already registered")
    } else if msg.contains("categories.name_key") {
        Error::conflict("name", "a category with that name already exists")
    } else if msg.contains("idempotency_keys.") {
        Error::conflict(
            crate::domain::IDEMPOTENCY_FIELD,
            "this request key was already used",
        )
    } else if msg.contains("budgets.period") {
        Error::conflict(
            "period",
            "this category already has a budget for that period",
        )
    } else {
        Error::conflict(
            if unique_field.is_empty() {
                "id"
            } else {
                unique_field
            },
            "that already exists",
        )
    }
}

fn sql(e: rusqlite::Error) -> Error {
    map_err(e, "")
}

fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A conversion failure of stored data (a bug or a damaged file), surfaced through rusqlite.
fn bad_column(idx: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("bad stored {what}").into(),
    )
}

fn id_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Id> {
    let s: String = row.get(idx)?;
    Id::from_hex(&s).ok_or_else(|| bad_column(idx, "id"))
}

fn kind_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<CategoryKind> {
    let s: String = row.get(idx)?;
    kind_from_str(&s).map_err(|_| bad_column(idx, "kind"))
}

fn amount_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Amount> {
    Amount::from_minor("amount", row.get(idx)?).map_err(|_| bad_column(idx, "amount"))
}

fn date_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = row.get(idx)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| bad_column(idx, "date"))
}

const USER_COLS: &str =
    "id, username, email, password_hash, first_name, last_name, currency, created_at";

fn user_row(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    let currency: String = row.get(6)?;
    Ok(UserRecord {
        user: User {
            id: id_col(row, 0)?,
            username: row.get(1)?,
            email: row.get(2)?,
            first_name: row.get(4)?,
            last_name: row.get(5)?,
            currency: Currency::parse("currency", &currency)
                .map_err(|_| bad_column(6, "currency"))?,
            created_at: from_millis(row.get(7)?),
        },
        password_hash: row.get(3)?,
    })
}

const CATEGORY_COLS: &str = "id, user_id, name, kind, created_at";

fn category_row(row: &Row<'_>) -> rusqlite::Result<Category> {
    Ok(Category {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        name: row.get(2)?,
        kind: kind_col(row, 3)?,
        created_at: from_millis(row.get(4)?),
    })
}

const BUDGET_COLS: &str = "id, user_id, category_id, limit_minor, period, created_at";

fn budget_row(row: &Row<'_>) -> rusqlite::Result<Budget> {
    let period: String = row.get(4)?;
    Ok(Budget {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        category_id: id_col(row, 2)?,
        limit: Amount::from_minor("limit", row.get(3)?).map_err(|_| bad_column(3, "limit"))?,
        period: Period::parse("period", &period).map_err(|_| bad_column(4, "period"))?,
        created_at: from_millis(row.get(5)?),
    })
}

const TX_COLS: &str =
    "id, user_id, category_id, kind, amount, date, description, note, created_at, updated_at";

fn tx_row(row: &Row<'_>) -> rusqlite::Result<Transaction> {
    Ok(Transaction {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        category_id: id_col(row, 2)?,
        kind: kind_col(row, 3)?,
        amount: amount_col(row, 4)?,
        date: date_col(row, 5)?,
        description: row.get(6)?,
        note: row.get(7)?,
        created_at: from_millis(row.get(8)?),
        updated_at: from_millis(row.get(9)?),
    })
}

fn get_category(conn: &Connection, user: Id, id: Id) -> Result<Category> {
    conn.query_row(
        &format!("SELECT {CATEGORY_COLS} FROM categories WHERE id = ?1 AND user_id = ?2"),
        params![id.to_hex(), user.to_hex()],
        category_row,
    )
    .optional()
    .map_err(sql)?
    .ok_or(Error::NotFound { what: "category" })
}

fn get_budget(conn: &Connection, user: Id, id: Id) -> Result<Budget> {
    conn.query_row(
        &format!("SELECT {BUDGET_COLS} FROM budgets WHERE id = ?1 AND user_id = ?2"),
        params![id.to_hex(), user.to_hex()],
        budget_row,
    )
    .optional()
    .map_err(sql)?
    .ok_or(Error::NotFound { what: "budget" })
}

fn get_transaction(conn: &Connection, user: Id, id: Id) -> Result<Transaction> {
    conn.query_row(
        &format!("SELECT {TX_COLS} FROM transactions WHERE id = ?1 AND user_id = ?2"),
        params![id.to_hex(), user.to_hex()],
        tx_row,
    )
    .optional()
    .map_err(sql)?
    .ok_or(Error::NotFound {
        what: "transaction",
    })
}

/// The category must be the user's expense category.
fn check_budget_category(conn: &Connection, user: Id, category: Id) -> Result<()> {
    let c = get_category(conn, user, category)?;
    if c.kind != CategoryKind::Expense {
        return Err(Error::validation(
            "categoryId",
            "budgets can only be set on expense categories",
        ));
    }
    Ok(())
}

fn usage(conn: &Connection, user: Id, id: Id) -> Result<CategoryUsage> {
    let count = |table: &str| -> Result<u64> {
        conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE user_id = ?1 AND category_id = ?2"),
            params![user.to_hex(), id.to_hex()],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n as u64)
        .map_err(sql)
    };
    Ok(CategoryUsage {
        transactions: count("transactions")?,
        budgets: count("budgets")?,
    })
}

/// Build the WHERE clause and parameters of a list query (always scoped by user).
fn list_sql(user: Id, q: &TransactionQuery) -> (String, Vec<Value>) {
    let f = &q.filter;
    let mut sql = format!("SELECT {TX_COLS} FROM transactions WHERE user_id = ?");
    let mut params: Vec<Value> = vec![Value::Text(user.to_hex())];
    if let Some(from) = f.from {
        sql.push_str(" AND date >= ?");
        params.push(Value::Text(date_text(from)));
    }
    if let Some(to) = f.to {
        sql.push_str(" AND date <= ?");
        params.push(Value::Text(date_text(to)));
    }
    if !f.categories.is_empty() {
        sql.push_str(" AND category_id IN (");
        for (i, c) in f.categories.iter().enumerate() {
            sql.push_str(if i == 0 { "?" } else { ", ?" });
            params.push(Value::Text(c.to_hex()));
        }
        sql.push(')');
    }
    if let Some(kind) = f.kind {
        sql.push_str(" AND kind = ?");
        params.push(Value::Text(kind.as_str().into()));
    }
    if let Some(text) = &f.text {
        sql.push_str(" AND instr(search_text, ?) > 0");
        params.push(Value::Text(text.clone()));
    }
    if let Some(min) = f.min_amount {
        sql.push_str(" AND amount >= ?");
        params.push(Value::Integer(min.minor()));
    }
    if let Some(max) = f.max_amount {
        sql.push_str(" AND amount <= ?");
        params.push(Value::Integer(max.minor()));
    }
    let (col, dir, cmp) = match q.sort {
        TransactionSort::DateDesc => ("date", "DESC", "<"),
        TransactionSort::DateAsc => ("date", "ASC", ">"),
        TransactionSort::AmountDesc => ("amount", "DESC", "<"),
        TransactionSort::AmountAsc => ("amount", "ASC", ">"),
    };
    match q.after {
        Some(Cursor::Date { date, id }) => {
            sql.push_str(&format!(" AND (date, id) {cmp} (?, ?)"));
            params.push(Value::Text(date_text(date)));
            params.push(Value::Text(id.to_hex()));
        }
        Some(Cursor::Amount { amount, id }) => {
            sql.push_str(&format!(" AND (amount, id) {cmp} (?, ?)"));
            params.push(Value::Integer(amount));
            params.push(Value::Text(id.to_hex()));
        }
        None => {}
    }
    sql.push_str(&format!(" ORDER BY {col} {dir}, id {dir} LIMIT ?"));
    params.push(Value::Integer(i64::from(q.limit) + 1));
    (sql, params)
}

impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}

#[async_trait]
impl Users for SqliteStore {
    async fn create_user(&self, user: &UserRecord, categories: &[Category]) -> Result<()> {
        let user = user.clone();
        let categories = categories.to_vec();
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            let u = &user.user;
            tx.execute(
                &format!("INSERT INTO users ({USER_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
                params![
                    u.id.to_hex(),
                    u.username,
                    u.email,
                    user.password_hash,
                    u.first_name,
                    u.last_name,
                    u.currency.code(),
                    millis(u.created_at)
                ],
            )
            .map_err(sql)?;
            {
                let mut stmt = tx
                    .prepare(
                        "INSERT INTO categories (id, user_id, name, name_key, kind, created_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    )
                    .map_err(sql)?;
                for c in &categories {
                    stmt.execute(params![
                        c.id.to_hex(),
                        c.user_id.to_hex(),
                        c.name,
                        c.name.to_lowercase(),
                        c.kind.as_str(),
                        millis(c.created_at)
                    ])
                    .map_err(sql)?;
                }
            }
            tx.commit().map_err(sql)
        })
        .await
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        let username = username.to_string();
        self.call(move |conn| {
            conn.query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE username = ?1"),
                [username],
                user_row,
            )
            .optional()
            .map_err(sql)
        })
        .await
    }

    async fn user_by_id(&self, id: Id) -> Result<Option<UserRecord>> {
        self.call(move |conn| {
            conn.query_row(
                &format!("SELECT {USER_COLS} FROM users WHERE id = ?1"),
                [id.to_hex()],
                user_row,
            )
            .optional()
            .map_err(sql)
        })
        .await
    }

    async fn set_password_hash(&self, user: Id, hash: &str, keep_jti: Option<&str>) -> Result<()> {
        let hash = hash.to_string();
        let keep = keep_jti.unwrap_or("").to_string();
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            let n = tx
                .execute(
                    "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                    params![hash, user.to_hex()],
                )
                .map_err(sql)?;
            if n == 0 {
                return Err(Error::NotFound { what: "user" });
            }
            tx.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND jti <> ?2",
                params![user.to_hex(), keep],
            )
            .map_err(sql)?;
            tx.commit().map_err(sql)
        })
        .await
    }

    async fn delete_user(&self, user: Id) -> Result<()> {
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            let uid = user.to_hex();
            for table in [
                "transactions",
                "budgets",
                "categories",
                "sessions",
                "idempotency_keys",
            ] {
                tx.execute(&format!("DELETE FROM {table} WHERE user_id = ?1"), [&uid])
                    .map_err(sql)?;
            }
            let n = tx
                .execute("DELETE FROM users WHERE id = ?1", [&uid])
                .map_err(sql)?;
            if n == 0 {
                return Err(Error::NotFound { what: "user" });
            }
            tx.commit().map_err(sql)
        })
        .await
    }
}

#[async_trait]
impl Sessions for SqliteStore {
    async fn insert_session(&self, s: &SessionRecord) -> Result<()> {
        let s = s.clone();
        self.call(move |conn| {
            // Expired sessions are swept here (MongoDB's TTL index does the same there).
            conn.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2",
                params![s.user_id.to_hex(), millis(s.created_at)],
            )
            .map_err(sql)?;
            conn.execute(
                "INSERT INTO sessions (jti, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![s.jti, s.user_id.to_hex(), millis(s.created_at), millis(s.expires_at)],
            )
            .map(|_| ())
            .map_err(sql)
        })
        .await
    }

    async fn session_is_live(&self, jti: &str, user: Id, now: DateTime<Utc>) -> Result<bool> {
        let jti = jti.to_string();
        self.call(move |conn| {
            conn.query_row(
                "SELECT 1 FROM sessions WHERE jti = ?1 AND user_id = ?2 AND expires_at > ?3",
                params![jti, user.to_hex(), millis(now)],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(sql)
        })
        .await
    }

    async fn delete_session(&self, jti: &str) -> Result<bool> {
        let jti = jti.to_string();
        self.call(move |conn| {
            conn.execute("DELETE FROM sessions WHERE jti = ?1", [jti])
                .map(|n| n > 0)
                .map_err(sql)
        })
        .await
    }

    async fn login_throttle(&self, username: &str) -> Result<LoginThrottle> {
        let username = username.to_string();
        self.call(move |conn| {
            conn.query_row(
                "SELECT failures, locked_until FROM login_throttle WHERE username = ?1",
                [username],
                |r| {
                    Ok(LoginThrottle {
                        failures: r.get::<_, i64>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
                        locked_until: r.get::<_, Option<i64>>(1)?.map(from_millis),
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
            .map_err(sql)
        })
        .await
    }

    async fn add_login_failure(&self, username: &str) -> Result<u32> {
        let username = username.to_string();
        self.call(move |conn| {
            conn.query_row(
                "INSERT INTO login_throttle (username, failures) VALUES (?1, 1)
                 ON CONFLICT (username) DO UPDATE SET failures = failures + 1
                 RETURNING failures",
                [username],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n.clamp(0, i64::from(u32::MAX)) as u32)
            .map_err(sql)
        })
        .await
    }

    async fn lock_login(&self, username: &str, until: DateTime<Utc>) -> Result<()> {
        let username = username.to_string();
        self.call(move |conn| {
            conn.execute(
                "UPDATE login_throttle SET locked_until = ?2 WHERE username = ?1",
                params![username, millis(until)],
            )
            .map(|_| ())
            .map_err(sql)
        })
        .await
    }

    async fn clear_login_failures(&self, username: &str) -> Result<()> {
        let username = username.to_string();
        self.call(move |conn| {
            conn.execute("DELETE FROM login_throttle WHERE username = ?1", [username])
                .map(|_| ())
                .map_err(sql)
        })
        .await
    }
}

#[async_trait]
impl Categories for SqliteStore {
    async fn insert_category(&self, c: &Category) -> Result<()> {
        let c = c.clone();
        self.call(move |conn| {
            conn.execute(
                "INSERT INTO categories (id, user_id, name, name_key, kind, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    c.id.to_hex(),
                    c.user_id.to_hex(),
                    c.name,
                    c.name.to_lowercase(),
                    c.kind.as_str(),
                    millis(c.created_at)
                ],
            )
            .map(|_| ())
            .map_err(|e| map_err(e, "name"))
        })
        .await
    }

    async fn categories(&self, user: Id) -> Result<Vec<Category>> {
        self.call(move |conn| {
            // 'income' sorts after 'expense'; CASE puts income first like CategoryKind's order.
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {CATEGORY_COLS} FROM categories WHERE user_id = ?1
                     ORDER BY CASE kind WHEN 'income' THEN 0 ELSE 1 END, name_key, id"
                ))
                .map_err(sql)?;
            stmt.query_map([user.to_hex()], category_row)
                .map_err(sql)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql)
        })
        .await
    }

    async fn category(&self, user: Id, id: Id) -> Result<Category> {
        self.call(move |conn| get_category(conn, user, id)).await
    }

    async fn rename_category(&self, user: Id, id: Id, name: &str) -> Result<Category> {
        let name = name.to_string();
        self.call(move |conn| {
            let n = conn
                .execute(
                    "UPDATE categories SET name = ?1, name_key = ?2 WHERE id = ?3 AND user_id = ?4",
                    params![name, name.to_lowercase(), id.to_hex(), user.to_hex()],
                )
                .map_err(|e| map_err(e, "name"))?;
            if n == 0 {
                return Err(Error::NotFound { what: "category" });
            }
            get_category(conn, user, id)
        })
        .await
    }

    async fn category_usage(&self, user: Id, id: Id) -> Result<CategoryUsage> {
        self.call(move |conn| {
            get_category(conn, user, id)?;
            usage(conn, user, id)
        })
        .await
    }

    async fn delete_category(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()> {
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            let source = get_category(&tx, user, id)?;
            let used = usage(&tx, user, id)?;
            match move_to {
                None if used.is_used() => {
                    return Err(in_use(used));
                }
                None => {}
                Some(target_id) => {
                    let target = match get_category(&tx, user, target_id) {
                        Ok(t) => t,
                        Err(Error::NotFound { .. }) => {
                            return Err(Error::validation("moveTo", "is not one of your categories"));
                        }
                        Err(e) => return Err(e),
                    };
                    if target.id == source.id {
                        return Err(Error::validation("moveTo", "must be a different category"));
                    }
                    if target.kind != source.kind {
                        return Err(Error::validation(
                            "moveTo",
                            format!("must be another {} category", source.kind),
                        ));
                    }
                    let (uid, from, to) = (user.to_hex(), id.to_hex(), target_id.to_hex());
                    tx.execute(
                        "UPDATE transactions SET category_id = ?3 WHERE user_id = ?1 AND category_id = ?2",
                        params![uid, from, to],
                    )
                    .map_err(sql)?;
                    // Budgets whose period the target already covers are dropped; the rest move.
                    tx.execute(
                        "DELETE FROM budgets WHERE user_id = ?1 AND category_id = ?2 AND period IN
                           (SELECT period FROM budgets WHERE user_id = ?1 AND category_id = ?3)",
                        params![uid, from, to],
                    )
                    .map_err(sql)?;
                    tx.execute(
                        "UPDATE budgets SET category_id = ?3 WHERE user_id = ?1 AND category_id = ?2",
                        params![uid, from, to],
                    )
                    .map_err(sql)?;
                }
            }
            tx.execute(
                "DELETE FROM categories WHERE id = ?1 AND user_id = ?2",
                params![id.to_hex(), user.to_hex()],
            )
            .map_err(sql)?;
            tx.commit().map_err(sql)
        })
        .await
    }
}

#[async_trait]
impl Budgets for SqliteStore {
    async fn insert_budget(&self, b: &Budget) -> Result<()> {
        let b = b.clone();
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            check_budget_category(&tx, b.user_id, b.category_id)?;
            tx.execute(
                &format!("INSERT INTO budgets ({BUDGET_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                params![
                    b.id.to_hex(),
                    b.user_id.to_hex(),
                    b.category_id.to_hex(),
                    b.limit.minor(),
                    b.period.as_str(),
                    millis(b.created_at)
                ],
            )
            .map_err(|e| map_err(e, "period"))?;
            tx.commit().map_err(sql)
        })
        .await
    }

    async fn budgets(&self, user: Id) -> Result<Vec<Budget>> {
        self.call(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {BUDGET_COLS} FROM budgets WHERE user_id = ?1 ORDER BY created_at, id"
                ))
                .map_err(sql)?;
            stmt.query_map([user.to_hex()], budget_row)
                .map_err(sql)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql)
        })
        .await
    }

    async fn budget(&self, user: Id, id: Id) -> Result<Budget> {
        self.call(move |conn| get_budget(conn, user, id)).await
    }

    async fn update_budget(&self, user: Id, id: Id, change: &NewBudget) -> Result<Budget> {
        let change = change.clone();
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            get_budget(&tx, user, id)?;
            check_budget_category(&tx, user, change.category_id)?;
            tx.execute(
                "UPDATE budgets SET category_id = ?1, limit_minor = ?2, period = ?3
                 WHERE id = ?4 AND user_id = ?5",
                params![
                    change.category_id.to_hex(),
                    change.limit.minor(),
                    change.period.as_str(),
                    id.to_hex(),
                    user.to_hex()
                ],
            )
            .map_err(|e| map_err(e, "period"))?;
            let b = get_budget(&tx, user, id)?;
            tx.commit().map_err(sql)?;
            Ok(b)
        })
        .await
    }

    async fn delete_budget(&self, user: Id, id: Id) -> Result<()> {
        self.call(move |conn| {
            let n = conn
                .execute(
                    "DELETE FROM budgets WHERE id = ?1 AND user_id = ?2",
                    params![id.to_hex(), user.to_hex()],
                )
                .map_err(sql)?;
            if n == 0 {
                return Err(Error::NotFound { what: "budget" });
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
        let categories = categories.to_vec();
        self.call(move |conn| {
            // One pass over the range's daily sums, grouped; categories without
            // expense in the range get 0.
            let mut out: HashMap<Id, i64> = categories.iter().map(|c| (*c, 0)).collect();
            if out.is_empty() {
                return Ok(out);
            }
            let mut stmt = conn
                .prepare_cached(
                    "SELECT category_id, SUM(total) FROM tx_daily
                     WHERE user_id = ?1 AND date >= ?2 AND date <= ?3 AND kind = 'expense'
                     GROUP BY category_id",
                )
                .map_err(sql)?;
            let rows = stmt
                .query_map(
                    params![user.to_hex(), date_text(from), date_text(to)],
                    |r| Ok((id_col(r, 0)?, r.get::<_, i64>(1)?)),
                )
                .map_err(sql)?;
            for row in rows {
                let (c, spent) = row.map_err(sql)?;
                if let Some(slot) = out.get_mut(&c) {
                    *slot = spent;
                }
            }
            Ok(out)
        })
        .await
    }
}

#[async_trait]
impl Transactions for SqliteStore {
    async fn insert_transaction(
        &self,
        t: &Transaction,
        key: Option<&IdempotencyRecord>,
    ) -> Result<Transaction> {
        let mut t = t.clone();
        let key = key.cloned();
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            t.kind = get_category(&tx, t.user_id, t.category_id)?.kind;
            if let Some(key) = &key {
                insert_key(&tx, t.user_id, key)?;
            }
            tx.execute(
                &format!(
                    "INSERT INTO transactions ({TX_COLS}, search_text)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                ),
                params![
                    t.id.to_hex(),
                    t.user_id.to_hex(),
                    t.category_id.to_hex(),
                    t.kind.as_str(),
                    t.amount.minor(),
                    date_text(t.date),
                    t.description,
                    t.note,
                    millis(t.created_at),
                    millis(t.updated_at),
                    Transaction::search_text(&t.description, t.note.as_deref()),
                ],
            )
            .map_err(sql)?;
            tx.commit().map_err(sql)?;
            // Return what a read would return (millisecond instants).
            t.created_at = from_millis(millis(t.created_at));
            t.updated_at = from_millis(millis(t.updated_at));
            Ok(t)
        })
        .await
    }

    async fn transaction(&self, user: Id, id: Id) -> Result<Transaction> {
        self.call(move |conn| get_transaction(conn, user, id)).await
    }

    async fn update_transaction(
        &self,
        user: Id,
        id: Id,
        change: &NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        let change = change.clone();
        self.call(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            get_transaction(&tx, user, id)?;
            let kind = get_category(&tx, user, change.category_id)?.kind;
            let note = change.note.as_ref().map(|n| n.as_str().to_string());
            tx.execute(
                "UPDATE transactions SET category_id = ?1, kind = ?2, amount = ?3, date = ?4,
                   description = ?5, note = ?6, search_text = ?7, updated_at = ?8
                 WHERE id = ?9 AND user_id = ?10",
                params![
                    change.category_id.to_hex(),
                    kind.as_str(),
                    change.amount.minor(),
                    date_text(change.date),
                    change.description.as_str(),
                    note,
                    Transaction::search_text(change.description.as_str(), note.as_deref()),
                    millis(now),
                    id.to_hex(),
                    user.to_hex()
                ],
            )
            .map_err(sql)?;
            let t = get_transaction(&tx, user, id)?;
            tx.commit().map_err(sql)?;
            Ok(t)
        })
        .await
    }

    async fn delete_transaction(&self, user: Id, id: Id) -> Result<()> {
        self.call(move |conn| {
            let n = conn
                .execute(
                    "DELETE FROM transactions WHERE id = ?1 AND user_id = ?2",
                    params![id.to_hex(), user.to_hex()],
                )
                .map_err(sql)?;
            if n == 0 {
                return Err(Error::NotFound {
                    what: "transaction",
                });
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
        let (text, params) = list_sql(user, query);
        self.call(move |conn| {
            let mut stmt = conn.prepare_cached(&text).map_err(sql)?;
            stmt.query_map(rusqlite::params_from_iter(params), tx_row)
                .map_err(sql)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql)
        })
        .await
    }

    async fn summary(&self, user: Id, from: NaiveDate, to: NaiveDate) -> Result<Summary> {
        self.call(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT
                       COALESCE(SUM(CASE WHEN kind = 'income' THEN total END), 0),
                       COALESCE(SUM(CASE WHEN kind = 'expense' THEN total END), 0),
                       COALESCE(SUM(n), 0)
                     FROM tx_daily WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
                )
                .map_err(sql)?;
            stmt.query_row(
                params![user.to_hex(), date_text(from), date_text(to)],
                |r| {
                    Ok(Summary {
                        income: r.get(0)?,
                        expense: r.get(1)?,
                        count: r.get::<_, i64>(2)? as u64,
                    })
                },
            )
            .map_err(sql)
        })
        .await
    }
}

#[async_trait]
impl Reports for SqliteStore {
    async fn spending_by_category(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategorySpending>> {
        self.call(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT d.category_id, c.name, SUM(d.total), SUM(d.n)
                     FROM tx_daily d JOIN categories c ON c.id = d.category_id
                     WHERE d.user_id = ?1 AND d.date >= ?2 AND d.date <= ?3
                       AND d.kind = 'expense'
                     GROUP BY d.category_id",
                )
                .map_err(sql)?;
            stmt.query_map(
                params![user.to_hex(), date_text(from), date_text(to)],
                |r| {
                    Ok(CategorySpending {
                        category_id: id_col(r, 0)?,
                        name: r.get(1)?,
                        amount: r.get(2)?,
                        count: r.get::<_, i64>(3)? as u64,
                    })
                },
            )
            .map_err(sql)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql)
        })
        .await
    }

    async fn monthly_totals(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthTotals>> {
        self.call(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT substr(date, 1, 7) AS month,
                       COALESCE(SUM(CASE WHEN kind = 'income' THEN total END), 0),
                       COALESCE(SUM(CASE WHEN kind = 'expense' THEN total END), 0),
                       SUM(n)
                     FROM tx_daily WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
                     GROUP BY month ORDER BY month",
                )
                .map_err(sql)?;
            stmt.query_map(
                params![user.to_hex(), date_text(from), date_text(to)],
                |r| {
                    let key: String = r.get(0)?;
                    Ok(MonthTotals {
                        month: month_from_key(&key).ok_or_else(|| bad_column(0, "month"))?,
                        income: r.get(1)?,
                        expense: r.get(2)?,
                        count: r.get::<_, i64>(3)? as u64,
                    })
                },
            )
            .map_err(sql)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql)
        })
        .await
    }

    async fn largest_expenses(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>> {
        self.call(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    // Walk the expenses by amount (the order wanted) checking the date
                    // in the index, and stop after `limit`: the planner would rather read
                    // the whole range by date and sort it (a full read of every row in
                    // the range; ~1 s for 200k rows).
                    "SELECT {TX_COLS} FROM transactions INDEXED BY tx_user_expense_amount
                     WHERE user_id = ?1 AND date >= ?2 AND date <= ?3 AND kind = 'expense'
                     ORDER BY amount DESC, id DESC LIMIT ?4"
                ))
                .map_err(sql)?;
            stmt.query_map(
                params![
                    user.to_hex(),
                    date_text(from),
                    date_text(to),
                    i64::from(limit)
                ],
                tx_row,
            )
            .map_err(sql)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql)
        })
        .await
    }

    async fn frequent_descriptions(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<DescriptionFrequency>> {
        self.call(move |conn| {
            // Counts and totals per description key come from the daily sums
            // (`tx_desc_daily`; the key is search_text's first line, the
            // lower-cased description). The spelling shown is the group's latest
            // transaction (by date, then id): on the group's last date in the
            // range, the highest id with that key, read through `tx_user_date`.
            let (uid, from, to) = (user.to_hex(), date_text(from), date_text(to));
            let mut stmt = conn
                .prepare_cached(
                    "SELECT k, MAX(date), SUM(n) AS cnt, SUM(total) AS tot
                     FROM tx_desc_daily WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
                     GROUP BY k ORDER BY cnt DESC, tot DESC, k ASC LIMIT ?4",
                )
                .map_err(sql)?;
            let groups = stmt
                .query_map(params![uid, from, to, i64::from(limit)], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)? as u64,
                        r.get::<_, i64>(3)?,
                    ))
                })
                .map_err(sql)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql)?;
            let mut latest = conn
                .prepare_cached(
                    "SELECT description FROM transactions
                     WHERE user_id = ?1 AND date = ?2
                       AND substr(search_text, 1, instr(search_text || char(10), char(10)) - 1) = ?3
                     ORDER BY id DESC LIMIT 1",
                )
                .map_err(sql)?;
            groups
                .into_iter()
                .map(|(k, date, count, total)| {
                    let description: String = latest
                        .query_row(params![uid, date, k], |r| r.get(0))
                        .map_err(sql)?;
                    Ok(DescriptionFrequency {
                        description,
                        count,
                        total,
                    })
                })
                .collect()
        })
        .await
    }
}

#[async_trait]
impl Imports for SqliteStore {
    async fn existing_transaction_keys(
        &self,
        user: Id,
        rows: Vec<TransactionKey>,
    ) -> Result<Vec<TransactionKey>> {
        self.call(move |conn| candidate_duplicates(conn, user, &rows))
            .await
    }

    async fn insert_transactions(
        &self,
        user: Id,
        categories: &[Category],
        transactions: Vec<Transaction>,
        progress: Progress<'_>,
        key: Option<&IdempotencyRecord>,
    ) -> Result<u64> {
        let categories = categories.to_vec();
        let key = key.cloned();
        let total = transactions.len() as u64;
        // The work runs on the blocking pool; progress travels back over a channel
        // and is reported from this task (the callback is only borrowed).
        let (sender, mut updates) = tokio::sync::mpsc::unbounded_channel::<u64>();
        let work = self.call(move |conn| {
            let report = move |done: u64| {
                sender.send(done).ok();
            };
            insert_bulk(
                conn,
                user,
                &categories,
                &transactions,
                key.as_ref(),
                &report,
            )
        });
        tokio::pin!(work);
        loop {
            tokio::select! {
                result = &mut work => {
                    while let Ok(done) = updates.try_recv() {
                        progress(done, total);
                    }
                    return result;
                }
                Some(done) = updates.recv() => progress(done, total),
            }
        }
    }
}

#[async_trait]
impl Idempotency for SqliteStore {
    async fn idempotency_record(&self, user: Id, key: &str) -> Result<Option<IdempotencyRecord>> {
        let key = key.to_string();
        self.call(move |conn| {
            conn.query_row(
                "SELECT key, fingerprint, result, created_at FROM idempotency_keys
                 WHERE user_id = ?1 AND key = ?2",
                params![user.to_hex(), key],
                |r| {
                    Ok(IdempotencyRecord {
                        key: r.get(0)?,
                        fingerprint: r.get(1)?,
                        result: r.get(2)?,
                        created_at: from_millis(r.get(3)?),
                    })
                },
            )
            .optional()
            .map_err(sql)
        })
        .await
    }
}

/// The body of [`Store::existing_transaction_keys`]. Date, kind and amount are
/// in the `tx_user_date` index, so the file's date span is walked in the index
/// alone (no table reads, no extra index to keep up on every insert); only the
/// rows equal to a file row on those three fields are read for their
/// description, by rowid.
fn candidate_duplicates(
    conn: &mut Connection,
    user: Id,
    rows: &[TransactionKey],
) -> Result<Vec<TransactionKey>> {
    let (Some(from), Some(to)) = (
        rows.iter().map(|r| r.date).min(),
        rows.iter().map(|r| r.date).max(),
    ) else {
        return Ok(Vec::new());
    };
    let wanted: std::collections::HashSet<(u32, i64, bool)> = rows
        .iter()
        .map(|r| {
            (
                day_number(&date_text(r.date)),
                r.amount,
                r.kind == CategoryKind::Expense,
            )
        })
        .collect();
    let tx = conn.transaction().map_err(sql)?;
    let mut matches = Vec::new();
    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT date, amount, kind, rowid FROM transactions INDEXED BY tx_user_date
                 WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
            )
            .map_err(sql)?;
        let mut found = stmt
            .query(params![user.to_hex(), date_text(from), date_text(to)])
            .map_err(sql)?;
        while let Some(r) = found.next().map_err(sql)? {
            let date = r
                .get_ref(0)
                .map_err(sql)?
                .as_str()
                .map_err(|e| sql(e.into()))?;
            let expense = r
                .get_ref(2)
                .map_err(sql)?
                .as_str()
                .map_err(|e| sql(e.into()))?
                == "expense";
            if wanted.contains(&(day_number(date), r.get(1).map_err(sql)?, expense)) {
                matches.push(r.get::<_, i64>(3).map_err(sql)?);
            }
        }
    }
    let mut stmt = tx
        .prepare_cached("SELECT date, amount, kind, description FROM transactions WHERE rowid = ?1")
        .map_err(sql)?;
    matches
        .into_iter()
        .map(|rowid| {
            stmt.query_row([rowid], |r| {
                Ok(TransactionKey {
                    date: date_col(r, 0)?,
                    amount: r.get(1)?,
                    kind: kind_col(r, 2)?,
                    description: r.get(3)?,
                })
            })
            .map_err(sql)
        })
        .collect()
}

/// `YYYY-MM-DD` as the number `YYYYMMDD` (no allocation; 0 for other text).
fn day_number(date: &str) -> u32 {
    date.bytes().filter(u8::is_ascii_digit).fold(0u32, |n, b| {
        n.wrapping_mul(10).wrapping_add(u32::from(b - b'0'))
    })
}

/// Record an idempotency key inside the caller's transaction.
fn insert_key(conn: &Connection, user: Id, key: &IdempotencyRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, result, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            user.to_hex(),
            key.key,
            key.fingerprint,
            key.result,
            millis(key.created_at)
        ],
    )
    .map_err(|e| map_err(e, crate::domain::IDEMPOTENCY_FIELD))?;
    Ok(())
}

/// `YYYY-MM-DD` without chrono's format parser (the bulk insert's hot loop).
fn fast_date_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

const INSERT_TX: &str = "INSERT INTO transactions
    (id, user_id, category_id, kind, amount, date, description, note, created_at, updated_at, search_text)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// The body of [`Store::insert_transactions`], inside one IMMEDIATE transaction.
fn insert_bulk(
    conn: &mut Connection,
    user: Id,
    categories: &[Category],
    transactions: &[Transaction],
    key: Option<&IdempotencyRecord>,
    report: &dyn Fn(u64),
) -> Result<u64> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql)?;
    let uid = user.to_hex();
    if let Some(key) = key {
        insert_key(&tx, user, key)?;
    }
    // Category id -> (hex, kind): the new ones, then each distinct existing one, checked once.
    let mut cats: HashMap<Id, (String, CategoryKind)> = HashMap::new();
    {
        let mut stmt = tx
            .prepare(
                "INSERT INTO categories (id, user_id, name, name_key, kind, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(sql)?;
        for c in categories {
            if c.user_id != user {
                return Err(Error::validation("user", "rows must belong to the user"));
            }
            stmt.execute(params![
                c.id.to_hex(),
                uid,
                c.name,
                c.name.to_lowercase(),
                c.kind.as_str(),
                millis(c.created_at)
            ])
            .map_err(|e| map_err(e, "name"))?;
            cats.insert(c.id, (c.id.to_hex(), c.kind));
        }
    }
    for t in transactions {
        if t.user_id != user {
            return Err(Error::validation("user", "rows must belong to the user"));
        }
        if !cats.contains_key(&t.category_id) {
            let c = get_category(&tx, user, t.category_id)?;
            cats.insert(c.id, (c.id.to_hex(), c.kind));
        }
    }
    let total = transactions.len() as u64;
    // The report aggregates (migration 2): the insert trigger is paused for this
    // transaction and the batch's sums are added once per day and key below.
    tx.execute("INSERT INTO tx_agg_paused (one) VALUES (1)", [])
        .map_err(sql)?;
    // Ordered maps: the upserts then walk the aggregate tables' keys in order.
    let mut daily: BTreeMap<(String, &'static str, &str), (i64, i64)> = BTreeMap::new();
    let mut by_desc: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
    let add = |slot: &mut (i64, i64), amount: i64| -> Result<()> {
        slot.0 = slot
            .0
            .checked_add(amount)
            .ok_or_else(|| Error::internal("sqlite import", "daily total overflows"))?;
        slot.1 += 1;
        Ok(())
    };
    {
        let mut stmt = tx.prepare(INSERT_TX).map_err(sql)?;
        for (i, t) in transactions.iter().enumerate() {
            let (cat, kind) = &cats[&t.category_id];
            let date = fast_date_text(t.date);
            let search_text = Transaction::search_text(&t.description, t.note.as_deref());
            let key = search_text
                .split('\n')
                .next()
                .unwrap_or_default()
                .to_string();
            add(
                daily
                    .entry((date.clone(), kind.as_str(), cat.as_str()))
                    .or_default(),
                t.amount.minor(),
            )?;
            add(
                by_desc.entry((date.clone(), key)).or_default(),
                t.amount.minor(),
            )?;
            stmt.execute(params![
                t.id.to_hex(),
                uid,
                cat,
                kind.as_str(),
                t.amount.minor(),
                date,
                t.description,
                t.note,
                millis(t.created_at),
                millis(t.updated_at),
                search_text,
            ])
            .map_err(sql)?;
            if (i + 1) % PROGRESS_EVERY == 0 {
                report(i as u64 + 1);
            }
        }
    }
    {
        let mut stmt = tx
            .prepare(
                "INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (user_id, date, kind, category_id)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n",
            )
            .map_err(sql)?;
        for ((date, kind, cat), (sum, n)) in &daily {
            stmt.execute(params![uid, date, kind, cat, sum, n])
                .map_err(sql)?;
        }
        let mut stmt = tx
            .prepare(
                "INSERT INTO tx_desc_daily (user_id, date, k, total, n)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user_id, date, k)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n",
            )
            .map_err(sql)?;
        for ((date, key), (sum, n)) in &by_desc {
            stmt.execute(params![uid, date, key, sum, n]).map_err(sql)?;
        }
    }
    tx.execute("DELETE FROM tx_agg_paused", []).map_err(sql)?;
    tx.commit().map_err(sql)?;
    report(total);
    Ok(total)
}

fn in_use(used: CategoryUsage) -> Error {
    let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    Error::conflict(
        "category",
        format!(
            "this category is used by {} and {}; choose a category to move them to",
            plural(used.transactions, "transaction"),
            plural(used.budgets, "budget")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Rows where the daily sums differ from a GROUP BY over `transactions` (both ways).
    fn aggregate_drift(conn: &Connection) -> i64 {
        const KEY: &str = "substr(search_text, 1, instr(search_text || char(10), char(10)) - 1)";
        let daily = "SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*)
                     FROM transactions GROUP BY 1, 2, 3, 4";
        let desc = format!(
            "SELECT user_id, date, {KEY}, SUM(amount), COUNT(*) FROM transactions GROUP BY 1, 2, 3"
        );
        let q = format!(
            "SELECT (SELECT COUNT(*) FROM ({daily} EXCEPT SELECT * FROM tx_daily))
                  + (SELECT COUNT(*) FROM (SELECT * FROM tx_daily EXCEPT {daily}))
                  + (SELECT COUNT(*) FROM ({desc} EXCEPT SELECT * FROM tx_desc_daily))
                  + (SELECT COUNT(*) FROM (SELECT * FROM tx_desc_daily EXCEPT {desc}))"
        );
        conn.query_row(&q, [], |r| r.get(0)).unwrap()
    }

    fn seed_rows(conn: &Connection, user: &str, cats: &[&str], n: usize, salt: usize) {
        for i in 0..n {
            let j = i + salt;
            let desc = ["Coffee", "coffee ", "Rent", "Train #4"][j % 4];
            let note = j.is_multiple_of(3).then_some("Paid by card");
            conn.execute(
                "INSERT INTO transactions (id, user_id, category_id, kind, amount, date, description,
                   note, search_text, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, 0)",
                params![
                    Id::generate().to_hex(),
                    user,
                    cats[j % cats.len()],
                    if j.is_multiple_of(5) { "income" } else { "expense" },
                    100 + (j as i64 * 37) % 1000,
                    format!("2026-0{}-{:02}", 1 + j % 3, 1 + j % 7),
                    desc,
                    note,
                    Transaction::search_text(desc.trim(), note),
                ],
            )
            .unwrap();
        }
    }

    fn seed_user(conn: &Connection) -> (String, String, String) {
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
        (u, c1, c2)
    }

    #[test]
    fn duplicate_candidates_walk_the_date_index_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT date, amount, kind, rowid FROM transactions
                 INDEXED BY tx_user_date WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
            )
            .unwrap()
            .query_map(params!["u", "2024-01-01", "2024-12-31"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("COVERING INDEX tx_user_date")),
            "the candidate scan must not read table rows: {plan:?}"
        );
        assert_eq!(day_number("2024-03-09"), 20_240_309);
        assert!(day_number("2024-03-09") < day_number("2024-03-10"));
    }

    #[test]
    fn report_aggregates_follow_every_write_and_the_backfill() {
        // Backfill: rows written under schema 1, then migrated.
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let (u, c1, c2) = seed_user(&conn);
        seed_rows(&conn, &u, &[&c1, &c2], 60, 0);
        migrate(&mut conn).unwrap();
        assert_eq!(aggregate_drift(&conn), 0);
        let backfilled: i64 = conn
            .query_row("SELECT SUM(n) FROM tx_daily", [], |r| r.get(0))
            .unwrap();
        assert_eq!(backfilled, 60);

        // Triggers: inserts, edits of every aggregated column, deletes, category moves.
        let (v, d1, d2) = seed_user(&conn);
        seed_rows(&conn, &v, &[&d1, &d2], 80, 7);
        assert_eq!(aggregate_drift(&conn), 0);
        conn.execute_batch(&format!(
            "UPDATE transactions SET amount = amount + 3 WHERE rowid % 4 = 0;
             UPDATE transactions SET date = '2026-05-05' WHERE rowid % 5 = 0;
             UPDATE transactions SET kind = 'income' WHERE rowid % 6 = 0;
             UPDATE transactions SET description = 'Bakery', search_text = 'bakery' WHERE rowid % 7 = 0;
             UPDATE transactions SET note = 'x', updated_at = 1 WHERE rowid % 2 = 0;
             UPDATE transactions SET category_id = '{d2}' WHERE category_id = '{d1}';
             DELETE FROM transactions WHERE rowid % 3 = 0;"
        ))
        .unwrap();
        assert_eq!(aggregate_drift(&conn), 0);
        // A failed write (CHECK amount > 0) leaves the sums as they were.
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
        let bulk: Vec<Transaction> = (0..50)
            .map(|i| Transaction {
                id: Id::generate(),
                user_id: uid,
                category_id: Id::from_hex(if i % 2 == 0 { &d1 } else { &d2 }).unwrap(),
                kind: CategoryKind::Expense,
                amount: Amount::from_minor("amount", 10 + i).unwrap(),
                date: NaiveDate::from_ymd_opt(2026, 1 + (i as u32 % 3), 1 + (i as u32 % 5))
                    .unwrap(),
                description: ["Coffee", "Rent", "Train #4"][i as usize % 3].into(),
                note: (i % 4 == 0).then(|| "Card".into()),
                created_at: DateTime::from_timestamp_millis(0).unwrap(),
                updated_at: DateTime::from_timestamp_millis(0).unwrap(),
            })
            .collect();
        assert_eq!(
            insert_bulk(&mut conn, uid, &[], &bulk, None, &|_| {}).unwrap(),
            50
        );
        assert_eq!(aggregate_drift(&conn), 0);
        let paused: i64 = conn
            .query_row("SELECT COUNT(*) FROM tx_agg_paused", [], |r| r.get(0))
            .unwrap();
        assert_eq!(paused, 0);
        seed_rows(&conn, &v, &[&d1], 5, 3);
        assert_eq!(aggregate_drift(&conn), 0);
        // A failed import (a row of another user) leaves everything as it was.
        let mut bad = bulk.clone();
        bad[7].user_id = Id::generate();
        assert!(insert_bulk(&mut conn, uid, &[], &bad, None, &|_| {}).is_err());
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
    fn report_queries_use_the_aggregates_and_indexes() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let plan = |q: &str| -> String {
            conn.prepare(&format!("EXPLAIN QUERY PLAN {q}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("\n")
        };
        let largest = plan(&format!(
            "SELECT {TX_COLS} FROM transactions INDEXED BY tx_user_expense_amount
             WHERE user_id = 'u' AND date >= '2026-01-01' AND date <= '2026-12-31' AND kind = 'expense'
             ORDER BY amount DESC, id DESC LIMIT 10"
        ));
        assert!(largest.contains("tx_user_expense_amount"), "{largest}");
        assert!(!largest.contains("TEMP B-TREE"), "{largest}");
    }

    #[test]
    fn list_queries_use_the_indexes() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let user = Id::generate();
        let q = TransactionQuery::first_page(Default::default());
        let (text, params) = list_sql(user, &q);
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {text}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(params), |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let plan = plan.join("\n");
        assert!(plan.contains("tx_user_date"), "{plan}");
        assert!(
            !plan.contains("TEMP B-TREE"),
            "the index must give the order: {plan}"
        );
    }
}
