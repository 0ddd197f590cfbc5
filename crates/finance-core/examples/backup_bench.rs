//! Backup, restore and moving between stores, measured (not a test).
//!
//! ```sh
//! cargo run --profile bench-release -p finance-core --example backup_bench -- [ROWS] [MOVE_ROWS]
//! ```
//!
//! * ROWS (default 1,000,000) transactions are seeded for one user of a
//!   fresh SQLite store (the bulk import), then: `backup_to` a file;
//!   `restore_from` that file into an empty user of a second SQLite store;
//!   and, on the same rows in the same run, a raw dump (one `SELECT` of the
//!   user's rows written as JSON lines to a plain file, no zip, no checksum,
//!   no domain types) as the floor to compare with.
//! * MOVE_ROWS (default 100,000; 0 skips it) transactions are moved from a
//!   SQLite store to the MongoDB test server at `FINANCE_TEST_MONGODB_URI`
//!   (skipped when unset) with `copy_user_to` (write, restore, verify).
//!
//! Each stage prints its wall time, rows per second and the process's peak
//! RSS during the stage above the RSS before it (`/proc/self/clear_refs` resets
//! the peak; Linux only).

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use chrono::{NaiveDate, TimeDelta, Utc};
use finance_core::auth::SigningKey;
use finance_core::domain::user::Password;
use finance_core::domain::{CategoryKind, EntryKind, RegistrationDraft, Transaction, TxStatus};
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{AuthSettings, AuthUser, Finance, Id, SignedAmount};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

const PASSWORD: &str = "tulip-river-93";

fn status_kib(field: &str) -> Res<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .ok_or("no such field in /proc/self/status")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .ok_or("malformed /proc/self/status")?)
}

/// A stage's figures: seconds, and the peak RSS above the RSS at its start (MiB).
struct Stage {
    started: Instant,
    rss: u64,
}

impl Stage {
    fn start() -> Res<Stage> {
        std::fs::write("/proc/self/clear_refs", "5")?;
        Ok(Stage {
            started: Instant::now(),
            rss: status_kib("VmRSS:")?,
        })
    }

    fn report(self, what: &str, rows: u64) -> Res<()> {
        let secs = self.started.elapsed().as_secs_f64();
        let peak = status_kib("VmHWM:")?;
        println!(
            "| {what} | {rows} | {secs:.1} s | {:.0} rows/s | {:.1} MiB |",
            rows as f64 / secs,
            peak.saturating_sub(self.rss) as f64 / 1024.0
        );
        Ok(())
    }
}

async fn user(finance: &Finance, name: &str) -> Res<AuthUser> {
    let reg = RegistrationDraft {
        username: name.into(),
        password: PASSWORD.into(),
        first_name: "Bench".into(),
        last_name: name.into(),
        email: format!("{name}@example.com"),
        currency: "EUR".into(),
    }
    .validate()?;
    finance.register(reg, Utc::now()).await?;
    let out = finance
        .login(name, &Password::for_login(PASSWORD), Utc::now())
        .await?;
    Ok(finance.authenticate(out.token.expose(), Utc::now()).await?)
}

fn finance(store: Arc<dyn Store>) -> Finance {
    let settings = AuthSettings {
        bcrypt_cost: 4,
        session_ttl: TimeDelta::days(7),
    };
    Finance::new(store, &SigningKey::generate(), settings)
}

/// Seed `rows` rows for `user` (the bulk import, in its chunks).
async fn seed(f: &Finance, user: &AuthUser, rows: u64) -> Res<()> {
    let cats = f.categories(user).await?;
    let account = f.accounts(user).await?[0].id;
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).ok_or("date")?;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let now = Utc::now();
    let mut done = 0;
    while done < rows {
        let n = (rows - done).min(50_000);
        let mut chunk = Vec::with_capacity(n as usize);
        for i in 0..n {
            let c = &cats[(next() % cats.len() as u64) as usize];
            let kind = match c.kind {
                CategoryKind::Income => EntryKind::Income,
                CategoryKind::Expense => EntryKind::Expense,
            };
            chunk.push(Transaction {
                id: Id::generate(),
                user_id: user.id(),
                account_id: account,
                category_id: Some(c.id),
                kind,
                amount: SignedAmount::from_minor("amount", (next() % 50_000 + 1) as i64)?,
                date: start + chrono::Days::new(next() % 3650),
                description: format!("Shop {} #{}", next() % 5000, done + i),
                note: (next() % 5 == 0).then(|| "a note".to_string()),
                status: TxStatus::Uncleared,
                transfer_id: None,
                // A third of the rows came from bank files, with the bank's id.
                bank_id: (i % 3 == 0).then(|| format!("FIT{:010}", done + i)),
                created_at: now,
                updated_at: now,
            });
        }
        f.store()
            .insert_transactions(user.id(), &[], &chunk, &|_, _| {}, None)
            .await?;
        done += n;
    }
    Ok(())
}

/// The floor: the user's rows straight out of SQLite as JSON lines.
fn raw_dump(db: &std::path::Path, user: Id, out: &std::path::Path) -> Res<u64> {
    let conn = rusqlite::Connection::open(db)?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    let mut stmt = conn.prepare(
        "SELECT id, account_id, category_id, kind, amount, date, description, note, status,
                transfer_id, created_at, updated_at
         FROM transactions WHERE user_id = ?1 ORDER BY date, id",
    )?;
    let mut rows = stmt.query([user.to_hex()])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let line = serde_json::json!({
            "id": r.get::<_, String>(0)?, "accountId": r.get::<_, String>(1)?,
            "categoryId": r.get::<_, Option<String>>(2)?, "kind": r.get::<_, String>(3)?,
            "amount": r.get::<_, i64>(4)?, "date": r.get::<_, String>(5)?,
            "description": r.get::<_, String>(6)?, "note": r.get::<_, Option<String>>(7)?,
            "status": r.get::<_, String>(8)?, "transferId": r.get::<_, Option<String>>(9)?,
            "createdAtMs": r.get::<_, i64>(10)?, "updatedAtMs": r.get::<_, i64>(11)?,
        });
        serde_json::to_writer(&mut file, &line)?;
        file.write_all(b"\n")?;
        n += 1;
    }
    file.flush()?;
    Ok(n)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().map_or(Ok(1_000_000), |a| a.parse())?;
    let move_rows: u64 = args.next().map_or(Ok(100_000), |a| a.parse())?;
    let dir = tempfile_dir()?;

    let db = dir.join("source.sqlite3");
    let source = finance(Arc::new(SqliteStore::open(&db).await?));
    let ann = user(&source, "ann").await?;
    let t = Instant::now();
    seed(&source, &ann, rows).await?;
    println!("seeded {rows} rows in {:.1} s\n", t.elapsed().as_secs_f64());
    println!("| stage | rows | time | throughput | peak RSS above start |");
    println!("| --- | ---: | ---: | ---: | ---: |");

    let raw = dir.join("raw.jsonl");
    let stage = Stage::start()?;
    let n = raw_dump(&db, ann.id(), &raw)?;
    stage.report("raw dump (SELECT → JSON lines, no zip)", n)?;

    let file = dir.join("ann.financebackup");
    let stage = Stage::start()?;
    let (_, summary) = source
        .backup_to(&ann, std::fs::File::create(&file)?, None, Utc::now())
        .await?;
    stage.report("backup_to (zip, deflate, SHA-256)", summary.transactions)?;

    let target = finance(Arc::new(
        SqliteStore::open(&dir.join("target.sqlite3")).await?,
    ));
    let bob = user(&target, "bob").await?;
    let stage = Stage::start()?;
    let restored = target
        .restore_from(&bob, std::fs::File::open(&file)?, None)
        .await?;
    stage.report(
        "restore_from (verify + one SQLite transaction)",
        restored.transactions,
    )?;
    println!(
        "\nfile: {:.1} MiB backup, {:.1} MiB raw dump",
        std::fs::metadata(&file)?.len() as f64 / 1048576.0,
        std::fs::metadata(&raw)?.len() as f64 / 1048576.0
    );

    match std::env::var("FINANCE_TEST_MONGODB_URI") {
        Ok(uri) if move_rows > 0 => {
            let from = finance(Arc::new(
                SqliteStore::open(&dir.join("move.sqlite3")).await?,
            ));
            let cat = user(&from, "cat").await?;
            seed(&from, &cat, move_rows).await?;
            let db_name = format!("backup_bench_{}", std::process::id());
            let mongo = MongoStore::connect(&uri, &db_name).await?;
            let to = finance(Arc::new(mongo.clone()));
            let stage = Stage::start()?;
            let (_, moved) = from.copy_user_to(&cat, &to, &dir, Utc::now()).await?;
            stage.report(
                "copy_user_to SQLite → MongoDB test server (write, restore, verify)",
                moved.transactions,
            )?;
            mongo.database().drop().await?;
        }
        _ => {
            println!("\n(moving to MongoDB skipped: FINANCE_TEST_MONGODB_URI unset or MOVE_ROWS 0)")
        }
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn tempfile_dir() -> Res<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("backup-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
