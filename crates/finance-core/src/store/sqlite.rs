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

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{
    Connection, ErrorCode as SqliteCode, OptionalExtension, Row, TransactionBehavior, params,
};

use super::{
    IdempotencyRecord, LoginThrottle, PROGRESS_EVERY, Progress, SessionRecord, Store,
    TransactionKey, UserRecord, kind_from_str,
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
    r#"
-- 2: idempotency keys of adds and imports, one per (user, key).
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

#[async_trait]
impl Store for SqliteStore {
    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }

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
            let mut out = HashMap::new();
            let mut stmt = conn
                .prepare_cached(
                    "SELECT COALESCE(SUM(amount), 0) FROM transactions
                     WHERE user_id = ?1 AND category_id = ?2 AND date >= ?3 AND date <= ?4
                       AND kind = 'expense'",
                )
                .map_err(sql)?;
            for c in categories {
                let spent: i64 = stmt
                    .query_row(
                        params![user.to_hex(), c.to_hex(), date_text(from), date_text(to)],
                        |r| r.get(0),
                    )
                    .map_err(sql)?;
                out.insert(c, spent);
            }
            Ok(out)
        })
        .await
    }

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
                       COALESCE(SUM(CASE WHEN kind = 'income' THEN amount END), 0),
                       COALESCE(SUM(CASE WHEN kind = 'expense' THEN amount END), 0),
                       COUNT(*)
                     FROM transactions WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
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

    async fn spending_by_category(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategorySpending>> {
        self.call(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT t.category_id, c.name, SUM(t.amount), COUNT(*)
                     FROM transactions t JOIN categories c ON c.id = t.category_id
                     WHERE t.user_id = ?1 AND t.date >= ?2 AND t.date <= ?3
                       AND t.kind = 'expense'
                     GROUP BY t.category_id",
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
                       COALESCE(SUM(CASE WHEN kind = 'income' THEN amount END), 0),
                       COALESCE(SUM(CASE WHEN kind = 'expense' THEN amount END), 0),
                       COUNT(*)
                     FROM transactions WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
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
                    "SELECT {TX_COLS} FROM transactions
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
            // The key is search_text's first line: the lower-cased description.
            // With max(), SQLite takes the bare `description` from the row holding
            // the maximum (date, id): the group's latest transaction.
            let mut stmt = conn
                .prepare_cached(
                    "SELECT substr(search_text, 1, instr(search_text || char(10), char(10)) - 1) AS k,
                       description, MAX(date || id), COUNT(*) AS n, SUM(amount) AS total
                     FROM transactions WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
                     GROUP BY k ORDER BY n DESC, total DESC, k ASC LIMIT ?4",
                )
                .map_err(sql)?;
            stmt.query_map(
                params![
                    user.to_hex(),
                    date_text(from),
                    date_text(to),
                    i64::from(limit)
                ],
                |r| {
                    Ok(DescriptionFrequency {
                        description: r.get(1)?,
                        count: r.get::<_, i64>(3)? as u64,
                        total: r.get(4)?,
                    })
                },
            )
            .map_err(sql)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql)
        })
        .await
    }

    async fn existing_transaction_keys(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<TransactionKey>> {
        self.call(move |conn| {
            let mut stmt = conn
                .prepare_cached(
                    "SELECT date, amount, kind, description FROM transactions
                     WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
                )
                .map_err(sql)?;
            stmt.query_map(
                params![user.to_hex(), date_text(from), date_text(to)],
                |r| {
                    Ok(TransactionKey {
                        date: date_col(r, 0)?,
                        amount: r.get(1)?,
                        kind: kind_col(r, 2)?,
                        description: r.get(3)?,
                    })
                },
            )
            .map_err(sql)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql)
        })
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
    {
        let mut stmt = tx.prepare(INSERT_TX).map_err(sql)?;
        for (i, t) in transactions.iter().enumerate() {
            let (cat, kind) = &cats[&t.category_id];
            stmt.execute(params![
                t.id.to_hex(),
                uid,
                cat,
                kind.as_str(),
                t.amount.minor(),
                fast_date_text(t.date),
                t.description,
                t.note,
                millis(t.created_at),
                millis(t.updated_at),
                Transaction::search_text(&t.description, t.note.as_deref()),
            ])
            .map_err(sql)?;
            if (i + 1) % PROGRESS_EVERY == 0 {
                report(i as u64 + 1);
            }
        }
    }
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
