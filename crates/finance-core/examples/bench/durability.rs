//! `--durability`: what `synchronous = FULL` (the store's setting since issue 13)
//! costs beside `NORMAL` (its setting before), in one run on the same machine and
//! disk: single adds through `Finance`, and a CSV import of `--import-rows` rows into
//! a fresh account (`import_commit`, one transaction). Prints a markdown table.
//!
//! Invariants: each level runs on a fresh store in its own temporary folder (on the
//! temporary directory's file system, which the output names), the level set through
//! the store's `testing` hook right after opening; the levels alternate over three
//! rounds (NORMAL, FULL, NORMAL, …) so a drift of the machine weighs on both; set-up
//! (registering, CSV bytes) is outside the timings.

use std::sync::Arc;

use finance_core::auth::SigningKey;
use finance_core::store::Store;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Finance, Id};

use crate::Res;
use crate::data::{self, Stream, csv_bytes, import_settings, new_tx, now, settings, user};
use crate::stats::{Stat, ms, timed};

/// The levels compared, as `PRAGMA synchronous` takes them.
const LEVELS: [&str; 2] = ["NORMAL", "FULL"];
/// Rounds of both levels (alternating).
const ROUNDS: usize = 3;

/// Timings of one level.
#[derive(Default)]
struct Level {
    add: Stat,
    import: Stat,
}

/// Run `adds` single adds and one import of `import_rows` rows per level and
/// round; return the markdown section body.
pub async fn measure(adds: usize, import_rows: usize) -> Res<String> {
    let mut levels: Vec<Level> = LEVELS.iter().map(|_| Level::default()).collect();
    let mut rng = data::rng(Stream::Ours);
    for round in 0..ROUNDS {
        for (i, level) in LEVELS.iter().enumerate() {
            let dir = tempfile::tempdir()?;
            let sqlite = SqliteStore::open(&dir.path().join("durability.sqlite3")).await?;
            let set = sqlite.pragma_for_tests("synchronous", Some(level))?;
            if set != i as i64 + 1 {
                return Err(format!("synchronous = {level} read back as {set}").into());
            }
            let store: Arc<dyn Store> = Arc::new(sqlite);
            let f = Finance::new(store, &SigningKey::generate(), settings(4));
            let me = user(&f, "durable").await?;
            let cats = f.categories(&me).await?;
            let mut ids: Vec<Id> = Vec::new();
            for _ in 0..adds {
                let new = new_tx(&mut rng, &cats)?;
                let t = timed(&mut levels[i].add, || async {
                    Ok(f.add_transaction(&me, new, now()).await?)
                })
                .await?;
                ids.push(t.id);
            }
            let who = user(&f, "durable_import").await?;
            let who_cats = f.categories(&who).await?;
            let bytes = csv_bytes(&mut rng, &who_cats, import_rows);
            let settings = import_settings();
            timed(&mut levels[i].import, || async {
                Ok(
                    f.import_commit(&who, None, &bytes, &settings, &[], false, now(), &|_, _| {})
                        .await?,
                )
            })
            .await?;
            eprintln!(
                "durability: round {round} {level} done ({} adds)",
                ids.len()
            );
        }
    }
    let tmp = std::env::temp_dir();
    let mut out = format!(
        "_`synchronous` NORMAL vs FULL: {adds} single adds (`add_transaction`) and one \
         {import_rows}-row CSV import (`import_commit`) per level and round, {ROUNDS} \
         rounds alternating the levels, each on a fresh file in {} ({})._\n\n",
        tmp.display(),
        file_system(&tmp)
    );
    out.push_str("| operation | NORMAL median | NORMAL p95 | FULL median | FULL p95 | FULL ÷ NORMAL (median) |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|\n");
    let rows = [
        ("add one transaction", &levels[0].add, &levels[1].add),
        ("import CSV", &levels[0].import, &levels[1].import),
    ];
    for (name, normal, full) in rows {
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {:.2}× |\n",
            ms(normal.median()),
            ms(normal.p95()),
            ms(full.median()),
            ms(full.p95()),
            full.median() / normal.median()
        ));
    }
    Ok(out)
}

/// The file system type of `path` as `df -T` reports it ("unknown" without `df`).
fn file_system(path: &std::path::Path) -> String {
    std::process::Command::new("df")
        .arg("-T")
        .arg(path)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| {
            s.lines()
                .nth(1)
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        })
        .unwrap_or_else(|| "unknown".into())
}
