//! The load benchmark's baseline (tools/server_load.py): a minimal axum +
//! rusqlite server answering the transaction list's first page, to set
//! finance-server's figures against in the same run.
//!
//! ```sh
//! baseline_list DATABASE USERNAME LISTEN_ADDR
//! ```
//!
//! `GET /transactions?limit=N` answers the user's newest `N` rows (date, then
//! id, descending: the store's own keyset order and index) as JSON, with the
//! amount as an exact decimal string; `GET /health` answers 200. What it leaves
//! out is what finance-server does on top: authenticating the bearer token
//! (a signature check and a session read), the category names and transfer
//! legs of the page, and the cursor. Invariants: one connection with the
//! store's pragmas (WAL, `synchronous = FULL`, 64 MiB page cache, stable
//! query plans) behind a
//! mutex, used from `spawn_blocking` — the store's own shape, so a difference
//! is the server's and the core's work, not the database's.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const COLS: &str = "id, category_id, kind, amount, date, description, note, account_id, status";

#[derive(Clone)]
struct Db {
    conn: Arc<Mutex<Connection>>,
    user: Arc<str>,
}

#[derive(Deserialize)]
struct Page {
    limit: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    id: String,
    category_id: Option<String>,
    kind: String,
    amount: String,
    date: String,
    description: String,
    note: Option<String>,
    account_id: String,
    status: String,
}

/// Minor units as an exact decimal string with two places (no float).
fn decimal(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

async fn transactions(
    State(db): State<Db>,
    Query(page): Query<Page>,
) -> Result<Json<Vec<Row>>, StatusCode> {
    let limit = page.limit.unwrap_or(50).clamp(1, 500);
    tokio::task::spawn_blocking(move || {
        let conn = db
            .conn
            .lock()
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {COLS} FROM transactions WHERE user_id = ? \
                 ORDER BY date DESC, id DESC LIMIT ?"
            ))
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        let rows = stmt
            .query_map(rusqlite::params![&*db.user, i64::from(limit) + 1], |r| {
                Ok(Row {
                    id: r.get(0)?,
                    category_id: r.get(1)?,
                    kind: r.get(2)?,
                    amount: decimal(r.get(3)?),
                    date: r.get(4)?,
                    description: r.get(5)?,
                    note: r.get(6)?,
                    account_id: r.get(7)?,
                    status: r.get(8)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        Ok(Json(rows.into_iter().take(limit as usize).collect()))
    })
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
}

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, username, listen] = args.as_slice() else {
        return Err("usage: baseline_list DATABASE USERNAME LISTEN_ADDR".into());
    };
    let conn = Connection::open(db)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    // As the store's connections: plans independent of bound values, so the
    // cached statement is not prepared again at every request.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    let user: String = conn.query_row(
        "SELECT id FROM users WHERE username = ?1",
        [username],
        |r| r.get(0),
    )?;
    let state = Db {
        conn: Arc::new(Mutex::new(conn)),
        user: user.into(),
    };
    let app = axum::Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/transactions", get(transactions))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(listen.as_str()).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
