//! Peak memory of hostile CSV imports (a measurement, not a test).
//!
//! ```sh
//! cargo run --release -p finance-core --example import_memory -- gen KIND FILE
//! /usr/bin/time -v target/release/examples/import_memory run KIND FILE STAGE
//! ```
//!
//! `gen` writes the worst file of a kind that fits the app's 100 MiB import cap
//! (`MAX_IMPORT_BYTES` in `src-tauri/src/imports.rs`):
//!
//! * `errors` — a 3-column header, then one-character lines: ~52M rows, each a
//!   "has 1 fields" error;
//! * `rows` — the shortest valid rows (`1.1.2024,7,ab\n`-like, no header): ~6M
//!   accepted, distinct rows (more than an import may hold);
//! * `rows-max` — the most rows an import may hold (`MAX_IMPORT_ROWS`), shortest;
//! * `long-max` — as many rows, with the longest texts that fit 100 MiB (a
//!   200-character description and a note);
//! * `categories` — short valid rows, each naming a different unknown category;
//! * `fields` — a header, then one record of ~100M empty fields;
//! * `bigfield` — a header, then one quoted field of ~100 MiB;
//! * `text` — rows with a 200-character description and a 1000-character note
//!   (the longest valid), about 85,000 rows;
//! * `multiline` — quoted descriptions of 60 short lines each (each line break
//!   becomes one space).
//!
//! `run` registers a user on a fresh SQLite store in a temporary directory
//! (bcrypt cost 4) and notes the RSS ("idle"), reads the file (the app holds an
//! opened file in memory until the import ends), resets the process's peak RSS
//! (`/proc/self/clear_refs`), runs STAGE (`sniff`, `plan` = `Finance::import_plan`,
//! `commit` = `Finance::import_commit`) and prints, in MiB, the RSS when idle and
//! with the file, the peak during the stage, and the peak above idle. Linux only.

use std::sync::Arc;

use chrono::{TimeDelta, Utc};
use finance_core::auth::SigningKey;
use finance_core::csv_io::{
    AmountColumns, DateFormat, DecimalSeparator, ImportSettings, MAX_IMPORT_ROWS, sniff_csv,
};
use finance_core::domain::RegistrationDraft;
use finance_core::domain::user::Password;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{AuthSettings, Finance};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The app's import cap (`src-tauri/src/imports.rs`).
const CAP: usize = 100 * 1024 * 1024;

fn settings(kind: &str) -> ImportSettings {
    let base = ImportSettings {
        delimiter: b',',
        has_header: false,
        date: 0,
        amount: AmountColumns::Single(1),
        description: 2,
        category: None,
        note: None,
        kind: None,
        date_format: DateFormat::DayMonthYearDot,
        decimal: DecimalSeparator::Dot,
        account: None,
        transfer: None,
    };
    match kind {
        "errors" | "fields" | "bigfield" => ImportSettings {
            has_header: true,
            ..base
        },
        "categories" => ImportSettings {
            category: Some(3),
            ..base
        },
        "text" | "long-max" => ImportSettings {
            note: Some(3),
            ..base
        },
        _ => base,
    }
}

/// A short base-36 number (distinct per `n`).
fn b36(mut n: u64, out: &mut Vec<u8>) {
    let start = out.len();
    loop {
        out.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out[start..].reverse();
}

fn generate(kind: &str) -> Res<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(CAP);
    let mut n = 0u64;
    let mut row = Vec::new();
    if matches!(kind, "errors" | "fields" | "bigfield") {
        out.extend_from_slice(b"date,amount,description\n");
    }
    if kind == "fields" {
        out.resize(CAP - 1, b',');
        out.push(b'\n');
        return Ok(out);
    }
    if kind == "bigfield" {
        out.extend_from_slice(b"1.1.2024,1,\"");
        out.resize(CAP - 2, b'x');
        out.extend_from_slice(b"\"\n");
        return Ok(out);
    }
    let max = matches!(kind, "rows-max" | "long-max").then_some(MAX_IMPORT_ROWS);
    // The longest text (description, then note) that lets MAX_IMPORT_ROWS rows fit the cap.
    let long = (CAP / MAX_IMPORT_ROWS as usize)
        .saturating_sub(16)
        .min(1200);
    loop {
        if max == Some(n) {
            return Ok(out);
        }
        row.clear();
        match kind {
            "errors" => row.extend_from_slice(b"x\n"),
            "long-max" => {
                row.extend_from_slice(b"1.1.2024,");
                row.extend_from_slice((n % 9 + 1).to_string().as_bytes());
                row.push(b',');
                let at = row.len();
                b36(n, &mut row);
                row.resize(at + 200, b'd');
                row.push(b',');
                let at = row.len();
                row.resize(at + long.saturating_sub(200), b'n');
                row.push(b'\n');
            }
            "rows" | "rows-max" | "categories" => {
                row.extend_from_slice(b"1.1.2024,");
                row.extend_from_slice((n % 9 + 1).to_string().as_bytes());
                row.push(b',');
                b36(n, &mut row);
                if kind == "categories" {
                    row.extend_from_slice(b",c");
                    b36(n, &mut row);
                }
                row.push(b'\n');
            }
            "text" => {
                row.extend_from_slice(b"1.1.2024,12.34,");
                let mut d = Vec::new();
                b36(n, &mut d);
                d.resize(200, b'd');
                row.extend_from_slice(&d);
                row.push(b',');
                d.resize(1000, b'n');
                row.extend_from_slice(&d);
                row.push(b'\n');
            }
            "multiline" => {
                row.extend_from_slice(b"1.1.2024,1,\"");
                b36(n, &mut row);
                for _ in 0..60 {
                    row.extend_from_slice(b"\r\na");
                }
                row.extend_from_slice(b"\"\n");
            }
            other => return Err(format!("unknown kind {other}").into()),
        }
        if out.len() + row.len() > CAP {
            return Ok(out);
        }
        out.extend_from_slice(&row);
        n += 1;
    }
}

fn status_kib(field: &str) -> Res<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .ok_or("no such field in /proc/self/status")?;
    let kib = line
        .split_whitespace()
        .nth(1)
        .ok_or("malformed /proc/self/status")?;
    Ok(kib.parse()?)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["gen", kind, file] => {
            let bytes = generate(kind)?;
            std::fs::write(file, &bytes)?;
            println!("{kind}: wrote {} bytes to {file}", bytes.len());
            Ok(())
        }
        ["run", kind, file, stage] => run(kind, file, stage).await,
        _ => Err("usage: import_memory gen KIND FILE | run KIND FILE sniff|plan|commit".into()),
    }
}

async fn run(kind: &str, file: &str, stage: &str) -> Res<()> {
    let dir = tempfile_dir()?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.join("finance.sqlite3")).await?);
    let auth = AuthSettings {
        bcrypt_cost: 4,
        session_ttl: TimeDelta::days(1),
    };
    let finance = Finance::new(store, &SigningKey::generate(), auth);
    let now = Utc::now();
    let reg = RegistrationDraft {
        username: "memory".into(),
        password: "tulip-river-93".into(),
        first_name: "Memory".into(),
        last_name: "Probe".into(),
        email: "memory@example.com".into(),
        currency: "EUR".into(),
    }
    .validate()?;
    finance.register(reg, now).await?;
    let out = finance
        .login("memory", &Password::for_login("tulip-river-93"), now)
        .await?;
    let user = finance.authenticate(out.token.expose(), now).await?;
    let settings = settings(kind);
    let idle = status_kib("VmRSS:")?;
    let bytes = std::fs::read(file)?;

    let before = status_kib("VmRSS:")?;
    std::fs::write("/proc/self/clear_refs", "5")?;
    let outcome = match stage {
        "sniff" => sniff_csv(&bytes).map(|p| format!("{} preview rows", p.rows.len())),
        "plan" => finance
            .import_plan(&user, None, &bytes, &settings, &[])
            .await
            .map(|p| {
                format!(
                    "total {}, ready {}, errors {}, unknown categories {}",
                    p.total, p.ready, p.error_count, p.unknown_category_count
                )
            }),
        "commit" => finance
            .import_commit(&user, None, &bytes, &settings, &[], false, now, &|_, _| {})
            .await
            .map(|s| format!("imported {}", s.imported)),
        other => return Err(format!("unknown stage {other}").into()),
    };
    let peak = status_kib("VmHWM:")?;
    let outcome = outcome.unwrap_or_else(|e| format!("refused: {e}"));
    println!(
        "{kind} {stage} ({} bytes): {outcome}\n  RSS idle {:.1} MiB, with the file {:.1} MiB, peak {:.1} MiB: peak above idle {:.1} MiB",
        bytes.len(),
        mib(idle),
        mib(before),
        mib(peak),
        mib(peak.saturating_sub(idle))
    );
    drop(finance);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> Res<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("import-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
