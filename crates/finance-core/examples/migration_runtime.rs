//! Runtime of the migration to accounts on a large history (a measurement,
//! not a test): SQLite migration 5 on a schema-4 file whose user has 1,000,000
//! transactions, and MongoDB's `migrate_accounts` (run on open) on a dump
//! whose user has 100,000 documents.
//!
//! ```sh
//! cargo run --release -p finance-core --example migration_runtime -- sqlite [--rows 1000000] [--runs 2]
//! ./dev mongo &   # prints FINANCE_TEST_MONGODB_URI=…
//! FINANCE_TEST_MONGODB_URI=… cargo run --release -p finance-core --example migration_runtime -- mongo [--docs 100000] [--runs 2] [--unbounded]
//! ```
//!
//! Both start from the previous release's fixtures
//! (`tests/fixtures/release-2026-11/`, see `examples/release_fixtures.rs`) and
//! add rows in that release's shape to its user `ann` until she has the
//! requested count: dates over ten years (2016–2025), her 13 categories
//! (about 10 % income), descriptions from a pool (30 % with a `#n` suffix,
//! some non-ASCII), 5 % with a note. Fixed RNG seed.
//!
//! * `sqlite`: raw rusqlite inserts into the schema-4 `transactions` table of
//!   a copy of the fixture file (WAL, as that release ran it), with migration
//!   2's insert trigger paused (`tx_agg_paused`) as that release's bulk import
//!   did, then `tx_daily` / `tx_desc_daily` recomputed with migration 2's
//!   backfill and checked equal to a `GROUP BY` over `transactions` both ways
//!   (so the file holds what that release would). That file is the template;
//!   each run copies it to a fresh folder and times `SqliteStore::open`, which
//!   backs the file up and migrates it. Printed: wall time (and when the
//!   backup was complete, polled every 20 ms), the file size before and after
//!   (database and its free pages, `-wal`, backups), the peak disk use during
//!   the open (polled), and the process's peak RSS during the open (`VmHWM`
//!   after resetting it through `/proc/self/clear_refs`; Linux only). Then
//!   it checks: every row kept (the count and the sum and count of each
//!   (user, category, month) equal the template's), every row in its user's
//!   "Main account" (whose id is the user's) and `uncleared`, the report and
//!   account sums equal to a `GROUP BY`, and the store's balance of the
//!   account equal to the signed sum of its rows.
//! * `mongo`: each run loads the dump into a fresh database on the server at
//!   `FINANCE_TEST_MONGODB_URI`, adds documents without `accountId`/`status`
//!   (`insert_many`, 1000 a batch), and times `MongoStore::connect`, which
//!   creates the new indexes and runs the migration. The open is bounded by
//!   the store's `OPERATION_TIMEOUT` (30 s): when it runs out the open fails
//!   (`Unavailable`) and is tried again, up to 10 times, as a person would;
//!   the attempts are printed. `--unbounded` first does the migration's
//!   writes (the `account_user` index, the `update_many` per user) through
//!   the driver without that bound and prints their time, then opens the
//!   store, which finds them done. Checks as on SQLite, through
//!   aggregations. The test server (SecantusDB) is a Python process, far
//!   slower than mongod: its figures bound ours from above only.
//!
//! The SQLite figures are with the file in the page cache (it was just
//! written); a cold start after an update reads it from disk first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeDelta};
use finance_core::Id;
use finance_core::domain::{CategoryKind, MAIN_ACCOUNT_NAME, Transaction};
use finance_core::store::duplicate_key;
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use futures::TryStreamExt;
use mongodb::bson::{self, Bson, Document, doc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The fixed seed of the generated rows.
const SEED: u64 = 0x5eed_0014;
/// Rows per SQLite write transaction while building the template.
const SQLITE_CHUNK: u64 = 100_000;
/// Documents per `insert_many`.
const MONGO_BATCH: u64 = 1000;
/// How many times the MongoDB store is opened before giving up.
const MAX_OPENS: usize = 10;
/// The user whose history grows (the fixtures' main user).
const USER: &str = "ann";

/// The sum and the count of one (user, category, month).
type Sums = BTreeMap<(String, String, String), (i64, i64)>;

#[tokio::main]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: u64| -> Res<u64> {
        match args.iter().position(|a| a == name) {
            Some(i) => Ok(args
                .get(i + 1)
                .ok_or(format!("{name} needs a value"))?
                .parse()?),
            None => Ok(default),
        }
    };
    let runs = flag("--runs", 2)?;
    match args.first().map(String::as_str) {
        Some("sqlite") => sqlite(flag("--rows", 1_000_000)?, runs).await,
        Some("mongo") => {
            let unbounded = args.iter().any(|a| a == "--unbounded");
            mongo(flag("--docs", 100_000)?, runs, unbounded).await
        }
        _ => Err(
            "usage: migration_runtime sqlite [--rows N] [--runs R] | mongo [--docs N] [--runs R] [--unbounded]"
                .into(),
        ),
    }
}

/// The fixtures' folder.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-2026-11")
}

/// One generated transaction, in the previous release's fields.
struct Row {
    category: usize,
    income: bool,
    amount: i64,
    date: NaiveDate,
    description: String,
    note: Option<&'static str>,
    /// Creation time, milliseconds since the epoch (on the row's day).
    created_at: i64,
}

const EXPENSE_WORDS: &[&str] = &[
    "Supermarché Müller",
    "Bakery",
    "Coffee",
    "Fuel station",
    "Train ticket",
    "Pharmacy",
    "Electricity",
    "Internet",
    "Restaurant Zur Post",
    "Cinema",
    "Bookshop",
    "Hardware store",
    "Café Élise",
    "Taxi",
    "Gym",
    "Insurance",
];
const INCOME_WORDS: &[&str] = &[
    "Salary ACME",
    "Freelance invoice",
    "Interest",
    "Tax refund",
    "Gift",
];
const NOTES: &[&str] = &[
    "paid by card",
    "shared with Bob",
    "receipt kept",
    "reimbursable",
];

/// A random row of one of `kinds` (true = income), ten years up to 2025.
fn random_row(rng: &mut StdRng, kinds: &[bool]) -> Row {
    let income = rng.random_bool(0.1);
    let of_kind: Vec<usize> = (0..kinds.len()).filter(|&i| kinds[i] == income).collect();
    let category = of_kind[rng.random_range(0..of_kind.len())];
    let words = if income { INCOME_WORDS } else { EXPENSE_WORDS };
    let word = words[rng.random_range(0..words.len())];
    let description = if rng.random_bool(0.3) {
        format!("{word} #{}", rng.random_range(1..500))
    } else {
        word.to_string()
    };
    let first = NaiveDate::from_ymd_opt(2016, 1, 1).expect("a date");
    let date = first + TimeDelta::days(rng.random_range(0..3653));
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    Row {
        category,
        income,
        amount: if income {
            rng.random_range(50_000..400_000)
        } else {
            rng.random_range(150..25_000)
        },
        date,
        description,
        note: rng
            .random_bool(0.05)
            .then(|| NOTES[rng.random_range(0..NOTES.len())]),
        created_at: midnight.timestamp_millis() + rng.random_range(0..86_400_000),
    }
}

fn kind_str(income: bool) -> &'static str {
    if income { "income" } else { "expense" }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The size of `path`, 0 when missing; a folder's files summed.
fn size(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| size(&e.path()))
                    .sum()
            })
            .unwrap_or(0),
        Ok(m) => m.len(),
        Err(_) => 0,
    }
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A line of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`); 0 elsewhere.
fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(':').map(str::to_string))
        })
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

// ---------------------------------------------------------------- SQLite ---

/// Migration 2's backfill of the report sums (`store/sqlite/schema.rs`).
const REBUILD_SUMS: &str = r#"
DELETE FROM tx_daily;
DELETE FROM tx_desc_daily;
INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
    SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*)
    FROM transactions GROUP BY user_id, date, kind, category_id;
INSERT INTO tx_desc_daily (user_id, date, k, total, n)
    SELECT user_id, date, substr(search_text, 1, instr(search_text || char(10), char(10)) - 1),
           SUM(amount), COUNT(*)
    FROM transactions GROUP BY 1, 2, 3;
"#;

/// Rows where a kept sum differs from a `GROUP BY` over `transactions`, both
/// ways: the report sums, and from schema 5 the per-account sums (the
/// schema tests' check, `store/sqlite/schema.rs`).
fn aggregate_drift(conn: &Connection, accounts: bool) -> Res<i64> {
    const KEY: &str = "substr(search_text, 1, instr(search_text || char(10), char(10)) - 1)";
    let categorised = if accounts {
        "WHERE category_id IS NOT NULL"
    } else {
        ""
    };
    let daily = format!(
        "SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*)
         FROM transactions {categorised} GROUP BY 1, 2, 3, 4"
    );
    let desc = format!(
        "SELECT user_id, date, {KEY}, SUM(amount), COUNT(*) FROM transactions
         {categorised} GROUP BY 1, 2, 3"
    );
    let mut q = format!(
        "SELECT (SELECT COUNT(*) FROM ({daily} EXCEPT SELECT * FROM tx_daily))
              + (SELECT COUNT(*) FROM (SELECT * FROM tx_daily EXCEPT {daily}))
              + (SELECT COUNT(*) FROM ({desc} EXCEPT SELECT * FROM tx_desc_daily))
              + (SELECT COUNT(*) FROM (SELECT * FROM tx_desc_daily EXCEPT {desc}))"
    );
    if accounts {
        let account = "SELECT user_id, account_id, date,
                              SUM(CASE WHEN kind IN ('income', 'transfer_in') THEN amount
                                       ELSE -amount END), COUNT(*)
                       FROM transactions GROUP BY 1, 2, 3";
        q.push_str(&format!(
            " + (SELECT COUNT(*) FROM ({account} EXCEPT SELECT * FROM tx_account_daily))
              + (SELECT COUNT(*) FROM (SELECT * FROM tx_account_daily EXCEPT {account}))"
        ));
    }
    Ok(conn.query_row(&q, [], |r| r.get(0))?)
}

/// The sum and count of each (user, category, month).
fn sqlite_sums(conn: &Connection) -> Res<Sums> {
    let mut stmt = conn.prepare(
        "SELECT user_id, category_id, substr(date, 1, 7), SUM(amount), COUNT(*)
         FROM transactions GROUP BY 1, 2, 3",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(((r.get(0)?, r.get(1)?, r.get(2)?), (r.get(3)?, r.get(4)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Copy the schema-4 fixture to `path` and grow `ann`'s history to `rows`
/// transactions as the previous release would hold them. Returns her id.
fn build_template(path: &Path, rows: u64) -> Res<String> {
    std::fs::copy(fixtures().join("finance.sqlite3"), path)?;
    let mut conn = Connection::open(path)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version != 4 {
        return Err(format!("the fixture is at schema {version}, not 4").into());
    }
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    let user: String = conn.query_row("SELECT id FROM users WHERE username = ?1", [USER], |r| {
        r.get(0)
    })?;
    let categories: Vec<(String, String)> = conn
        .prepare("SELECT id, kind FROM categories WHERE user_id = ?1 ORDER BY id")?
        .query_map([&user], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let kinds: Vec<bool> = categories.iter().map(|(_, k)| k == "income").collect();
    let have: i64 = conn.query_row(
        "SELECT COUNT(*) FROM transactions WHERE user_id = ?1",
        [&user],
        |r| r.get(0),
    )?;
    let have = u64::try_from(have)?;
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut left = rows.saturating_sub(have);
    let started = Instant::now();
    while left > 0 {
        let n = left.min(SQLITE_CHUNK);
        let tx = conn.transaction()?;
        // As the previous release's bulk import: the insert trigger paused,
        // the sums added afterwards (below, for all rows at once).
        tx.execute("INSERT INTO tx_agg_paused (one) VALUES (1)", [])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO transactions (id, user_id, category_id, kind, amount, date,
                   description, note, search_text, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            )?;
            for _ in 0..n {
                let row = random_row(&mut rng, &kinds);
                insert.execute(params![
                    Id::generate().to_hex(),
                    user,
                    categories[row.category].0,
                    kind_str(row.income),
                    row.amount,
                    row.date.to_string(),
                    row.description,
                    row.note,
                    Transaction::search_text(&row.description, row.note),
                    row.created_at,
                ])?;
            }
        }
        tx.execute("DELETE FROM tx_agg_paused", [])?;
        tx.commit()?;
        left -= n;
    }
    let tx = conn.transaction()?;
    tx.execute_batch(REBUILD_SUMS)?;
    tx.commit()?;
    let drift = aggregate_drift(&conn, false)?;
    if drift != 0 {
        return Err(format!("the template's report sums differ from its rows ({drift})").into());
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    println!(
        "template: {} rows of {USER} added in {:.1} s; report sums equal a GROUP BY",
        rows.saturating_sub(have),
        started.elapsed().as_secs_f64()
    );
    Ok(user)
}

/// What a poller saw of the files during the open.
#[derive(Default)]
struct DiskPeak {
    /// Database + `-wal` + `-shm` + backups, bytes.
    total: u64,
    wal: u64,
    /// When the backup file was complete (renamed from `.part`).
    backup_done: Option<Duration>,
}

/// Poll the files of the database `db` every 20 ms until `stop`.
fn watch_disk(db: PathBuf, started: Instant, stop: Arc<AtomicBool>) -> DiskPeak {
    let backups = db.parent().unwrap_or(Path::new(".")).join("backups");
    let mut peak = DiskPeak::default();
    while !stop.load(Ordering::Relaxed) {
        let wal = size(&with_suffix(&db, "-wal"));
        let total = size(&db) + wal + size(&with_suffix(&db, "-shm")) + size(&backups);
        peak.total = peak.total.max(total);
        peak.wal = peak.wal.max(wal);
        if peak.backup_done.is_none()
            && std::fs::read_dir(&backups).is_ok_and(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .any(|e| e.file_name().to_string_lossy().ends_with(".sqlite3"))
            })
        {
            peak.backup_done = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    peak
}

async fn sqlite(rows: u64, runs: u64) -> Res<()> {
    let work = tempfile::tempdir()?;
    let template = work.path().join("template.sqlite3");
    let user = build_template(&template, rows)?;
    let before = {
        let conn = Connection::open(&template)?;
        sqlite_sums(&conn)?
    };
    let user_rows: i64 = before
        .iter()
        .filter(|((u, _, _), _)| *u == user)
        .map(|(_, (_, n))| n)
        .sum();
    let all_rows: i64 = before.values().map(|(_, n)| n).sum();
    println!("{USER} has {user_rows} transactions ({all_rows} in the file)");

    for run in 1..=runs {
        let dir = work.path().join(format!("run{run}"));
        std::fs::create_dir(&dir)?;
        let db = dir.join("finance.sqlite3");
        std::fs::copy(&template, &db)?;
        let size_before = size(&db);

        std::fs::write("/proc/self/clear_refs", "5").ok();
        let idle_kib = status_kib("VmRSS");
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let watcher = {
            let (db, stop) = (db.clone(), Arc::clone(&stop));
            std::thread::spawn(move || watch_disk(db, started, stop))
        };
        let store = SqliteStore::open(&db).await?;
        let wall = started.elapsed();
        let peak_kib = status_kib("VmHWM");
        stop.store(true, Ordering::Relaxed);
        let disk = watcher.join().map_err(|_| "the disk poller panicked")?;
        let (wal_open, shm_open) = (
            size(&with_suffix(&db, "-wal")),
            size(&with_suffix(&db, "-shm")),
        );

        // The store's own view: one account, the signed sum of every row.
        let uid = Id::from_hex(&user).ok_or("the user's id")?;
        let balances = store.account_balances(uid).await?;
        drop(store);
        let (size_after, backups) = (size(&db), size(&dir.join("backups")));

        let conn = Connection::open(&db)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let free_pages: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        let free = u64::try_from(free_pages * page_size)?;
        let after = sqlite_sums(&conn)?;
        let misplaced: i64 = conn.query_row(
            "SELECT COUNT(*) FROM transactions
             WHERE account_id <> user_id OR status <> 'uncleared' OR transfer_id IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let (accounts, mains): (i64, i64) = conn.query_row(
            "SELECT COUNT(*), SUM(id = user_id AND name = ?1) FROM accounts",
            [MAIN_ACCOUNT_NAME],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let users: i64 = conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?;
        let drift = aggregate_drift(&conn, true)?;
        let signed: i64 = conn.query_row(
            "SELECT SUM(CASE WHEN kind = 'income' THEN amount ELSE -amount END)
             FROM transactions WHERE user_id = ?1",
            [&user],
            |r| r.get(0),
        )?;
        drop(conn);

        let ok = [
            (
                version as usize == SqliteStore::schema_version(),
                "at the current schema",
            ),
            (
                after == before,
                "the count and sum of every (user, category, month) kept",
            ),
            (
                misplaced == 0,
                "every row in its user's Main account, uncleared",
            ),
            (
                accounts == users && mains == users,
                "one Main account per user, id = user id",
            ),
            (drift == 0, "report and account sums equal a GROUP BY"),
            (
                balances.len() == 1
                    && balances[0].balance == signed
                    && balances[0].transactions == user_rows as u64,
                "the store's balance is the signed sum of all the user's rows",
            ),
        ];
        println!(
            "sqlite run {run}: open (backup + migration 5) {:.1} s, backup complete at {}; \
             file {:.0} MiB before, {:.0} MiB after ({:.0} MiB of it free pages; + {:.0} MiB backup; -wal {:.1} MiB, -shm {:.1} MiB while open); \
             peak disk {:.0} MiB, peak -wal {:.0} MiB; RSS idle {:.0} MiB, peak during open {:.0} MiB",
            wall.as_secs_f64(),
            disk.backup_done
                .map_or("?".to_string(), |d| format!("{:.1} s", d.as_secs_f64())),
            mib(size_before),
            mib(size_after),
            mib(free),
            mib(backups),
            mib(wal_open),
            mib(shm_open),
            mib(disk.total),
            mib(disk.wal),
            idle_kib as f64 / 1024.0,
            peak_kib as f64 / 1024.0,
        );
        report(&ok)?;
        std::fs::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// Print the checks; an error when one failed.
fn report(checks: &[(bool, &str)]) -> Res<()> {
    let mut failed = 0;
    for (ok, what) in checks {
        println!("  [{}] {what}", if *ok { "ok" } else { "FAILED" });
        failed += usize::from(!ok);
    }
    if failed > 0 {
        return Err(format!("{failed} check(s) failed").into());
    }
    Ok(())
}

// --------------------------------------------------------------- MongoDB ---

/// Load the dump (documents and indexes as the previous release made them)
/// into `db` (the migration test's `load_dump`).
async fn load_dump(db: &mongodb::Database) -> Res<()> {
    let dir = fixtures().join("mongo");
    let mut names: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".jsonl").map(str::to_string))
        .collect();
    names.sort();
    for name in names {
        let coll = db.collection::<Document>(&name);
        let text = std::fs::read_to_string(dir.join(format!("{name}.jsonl")))?;
        let mut docs = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let value: serde_json::Value = serde_json::from_str(line)?;
            match Bson::try_from(value)? {
                Bson::Document(d) => docs.push(d),
                other => return Err(format!("{name}: not a document: {other:?}").into()),
            }
        }
        if !docs.is_empty() {
            coll.insert_many(docs).await?;
        }
        let text = std::fs::read_to_string(dir.join(format!("{name}.indexes.json")))?;
        let indexes: serde_json::Value = serde_json::from_str(&text)?;
        let mut specs = Vec::new();
        for spec in indexes.as_array().ok_or("an array of indexes")? {
            let Bson::Document(spec) = Bson::try_from(spec.clone())? else {
                return Err("an index spec".into());
            };
            if spec.get_str("name") != Ok("_id_") {
                specs.push(spec);
            }
        }
        if !specs.is_empty() {
            db.run_command(doc! { "createIndexes": &name, "indexes": specs })
                .await?;
        }
    }
    Ok(())
}

/// An integer of an aggregation result (`$sum` yields Int32 or Int64).
fn int(d: &Document, k: &str) -> Res<i64> {
    match d.get(k) {
        Some(Bson::Int32(v)) => Ok(i64::from(*v)),
        Some(Bson::Int64(v)) => Ok(*v),
        other => Err(format!("{k}: not an integer: {other:?}").into()),
    }
}

/// The sum and count of each (user, category, month), by aggregation.
async fn mongo_sums(db: &mongodb::Database) -> Res<Sums> {
    let pipeline = [doc! { "$group": {
        "_id": {
            "u": "$userId",
            "c": "$category",
            "m": { "$dateToString": { "format": "%Y-%m", "date": "$date" } },
        },
        "total": { "$sum": "$amount" },
        "n": { "$sum": 1 },
    } }];
    let groups: Vec<Document> = db
        .collection::<Document>("transactions")
        .aggregate(pipeline)
        .await?
        .try_collect()
        .await?;
    let mut sums = Sums::new();
    for g in groups {
        let key = g.get_document("_id")?;
        sums.insert(
            (
                key.get_object_id("u")?.to_hex(),
                key.get_object_id("c")?.to_hex(),
                key.get_str("m")?.to_string(),
            ),
            (int(&g, "total")?, int(&g, "n")?),
        );
    }
    Ok(sums)
}

/// Add documents in the previous release's shape (no `accountId`, no
/// `status`) until `user` has `docs` transactions.
async fn grow_mongo(db: &mongodb::Database, user: bson::oid::ObjectId, docs: u64) -> Res<()> {
    let categories: Vec<Document> = db
        .collection::<Document>("categories")
        .find(doc! { "userId": user })
        .sort(doc! { "_id": 1 })
        .await?
        .try_collect()
        .await?;
    let ids: Vec<bson::oid::ObjectId> = categories
        .iter()
        .map(|c| c.get_object_id("_id"))
        .collect::<Result<_, _>>()?;
    let kinds: Vec<bool> = categories
        .iter()
        .map(|c| c.get_str("type").map(|t| t == "income"))
        .collect::<Result<_, _>>()?;
    let txs = db.collection::<Document>("transactions");
    let have = txs.count_documents(doc! { "userId": user }).await?;
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut left = docs.saturating_sub(have);
    let started = Instant::now();
    while left > 0 {
        let n = left.min(MONGO_BATCH);
        let batch: Vec<Document> = (0..n)
            .map(|_| {
                let row = random_row(&mut rng, &kinds);
                let kind = if row.income {
                    CategoryKind::Income
                } else {
                    CategoryKind::Expense
                };
                let midnight = row.date.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
                let created = bson::DateTime::from_millis(row.created_at);
                doc! {
                    "_id": bson::oid::ObjectId::new(),
                    "userId": user,
                    "category": ids[row.category],
                    "type": kind_str(row.income),
                    "amount": row.amount,
                    "date": bson::DateTime::from_millis(midnight.timestamp_millis()),
                    "description": &row.description,
                    "note": row.note,
                    "searchText": Transaction::search_text(&row.description, row.note),
                    "dupKey": duplicate_key(row.date, row.amount, kind, &row.description),
                    "createdAt": created,
                    "updatedAt": created,
                }
            })
            .collect();
        txs.insert_many(batch).await?;
        left -= n;
    }
    println!(
        "{} documents of {USER} added in {:.1} s",
        docs.saturating_sub(have),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The migration's writes as `migrate_accounts` does them (the
/// `account_user` index the open creates, then one `update_many` per user
/// of the documents without `accountId`, into the Main account whose id is
/// the user's), through the driver without the store's call bound.
async fn migrate_unbounded(db: &mongodb::Database) -> Res<Duration> {
    let started = Instant::now();
    db.run_command(doc! { "createIndexes": "transactions", "indexes": [
        { "key": { "accountId": 1, "userId": 1 }, "name": "account_user" },
    ] })
    .await?;
    let txs = db.collection::<Document>("transactions");
    let users: Vec<Bson> = txs.distinct("userId", doc! { "accountId": null }).await?;
    for user in users {
        txs.update_many(
            doc! { "userId": &user, "accountId": null },
            doc! { "$set": { "accountId": &user, "status": "uncleared" } },
        )
        .await?;
    }
    Ok(started.elapsed())
}

async fn mongo(docs: u64, runs: u64, unbounded: bool) -> Res<()> {
    let uri = std::env::var("FINANCE_TEST_MONGODB_URI")
        .map_err(|_| "FINANCE_TEST_MONGODB_URI is not set (start ./dev mongo)")?;
    let client = mongodb::Client::with_uri_str(&uri).await?;
    for run in 1..=runs {
        let name = format!("migration_runtime_{}_{run}", std::process::id());
        let db = client.database(&name);
        db.drop().await?;
        load_dump(&db).await?;
        let user = db
            .collection::<Document>("users")
            .find_one(doc! { "username": USER })
            .await?
            .ok_or("the fixture's user")?
            .get_object_id("_id")?;
        grow_mongo(&db, user, docs).await?;
        let before = mongo_sums(&db).await?;
        let user_rows: i64 = before
            .iter()
            .filter(|((u, _, _), _)| *u == user.to_hex())
            .map(|(_, (_, n))| n)
            .sum();

        let raw = if unbounded {
            Some(migrate_unbounded(&db).await?)
        } else {
            None
        };
        // The open is bounded by the store's call bound (`OPERATION_TIMEOUT`):
        // on a slow server it fails as `Unavailable` while the server goes on
        // with the migration, and the app's next open resumes it. Opened again
        // as a person would, until it succeeds.
        let started = Instant::now();
        let mut attempts = Vec::new();
        let store = loop {
            let attempt = Instant::now();
            let opened = MongoStore::connect(&uri, &name).await;
            attempts.push(format!(
                "{:.1} s {}",
                attempt.elapsed().as_secs_f64(),
                if opened.is_ok() { "ok" } else { "Unavailable" }
            ));
            match opened {
                Ok(store) => break store,
                Err(e) if attempts.len() >= MAX_OPENS => {
                    db.drop().await?;
                    return Err(format!("no open succeeded ({}): {e}", attempts.join(", ")).into());
                }
                Err(_) => {}
            }
        };
        let wall = started.elapsed();
        let uid = Id::from_hex(&user.to_hex()).ok_or("the user's id")?;
        let balances = store.account_balances(uid).await?;
        drop(store);

        let after = mongo_sums(&db).await?;
        let placed: Vec<Document> = db
            .collection::<Document>("transactions")
            .aggregate([doc! { "$group": {
                "_id": { "u": "$userId", "a": "$accountId", "s": "$status" },
                "n": { "$sum": 1 },
            } }])
            .await?
            .try_collect()
            .await?;
        let misplaced = placed.iter().any(|g| {
            let key = g.get_document("_id").ok();
            let user_of = key.and_then(|k| k.get_object_id("u").ok());
            let account = key.and_then(|k| k.get_object_id("a").ok());
            let status = key.and_then(|k| k.get_str("s").ok());
            user_of.is_none() || account != user_of || status != Some("uncleared")
        });
        let accounts: Vec<Document> = db
            .collection::<Document>("accounts")
            .find(doc! {})
            .await?
            .try_collect()
            .await?;
        let users = db
            .collection::<Document>("users")
            .count_documents(doc! {})
            .await?;
        let mains = accounts
            .iter()
            .filter(|a| {
                a.get_object_id("_id").ok() == a.get_object_id("userId").ok()
                    && a.get_str("name") == Ok(MAIN_ACCOUNT_NAME)
            })
            .count() as u64;
        let signed: Vec<Document> = db
            .collection::<Document>("transactions")
            .aggregate([
                doc! { "$match": { "userId": user } },
                doc! { "$group": {
                    "_id": null,
                    "s": { "$sum": { "$cond": [
                        { "$eq": ["$type", "income"] },
                        "$amount",
                        { "$subtract": [0_i64, "$amount"] },
                    ] } },
                } },
            ])
            .await?
            .try_collect()
            .await?;
        let signed = int(signed.first().ok_or("the signed sum")?, "s")?;
        if let Some(raw) = raw {
            println!(
                "mongo run {run}: the migration's writes through the driver, unbounded: {:.1} s",
                raw.as_secs_f64()
            );
        }
        println!(
            "mongo run {run}: open (indexes + migrate_accounts) {:.1} s until one succeeded \
             (attempts: {}) on the SecantusDB test server",
            wall.as_secs_f64(),
            attempts.join(", ")
        );
        report(&[
            (
                after == before,
                "the count and sum of every (user, category, month) kept",
            ),
            (
                !misplaced,
                "every document in its user's Main account, uncleared",
            ),
            (
                accounts.len() as u64 == users && mains == users,
                "one Main account per user, _id = user id",
            ),
            (
                balances.len() == 1
                    && balances[0].balance == signed
                    && balances[0].transactions == user_rows as u64,
                "the store's balance is the signed sum of all the user's rows",
            ),
        ])?;
        db.drop().await?;
    }
    Ok(())
}
