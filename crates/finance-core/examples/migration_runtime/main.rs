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
//!   creates the new indexes and runs the migration. The migration is bounded
//!   by the store's `MIGRATION_TIMEOUT` (it was the 30 s `OPERATION_TIMEOUT`
//!   when the figures in BENCHMARKS.md were taken): when it runs out the open
//!   fails (`Unavailable`) and is tried again, up to 10 times, as a person
//!   would; the attempts are printed. `--unbounded` first does the migration's
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

mod mongo;
mod sqlite;

use mongo::mongo;
use sqlite::sqlite;

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
