//! The 12-month report of one account (issue 14: "an account filter on every
//! report"): ours through `Finance::report` with the account, beside raw SQL on
//! the store's file doing the same parts over the account's rows (its index
//! `tx_account_date`, as the store does: the per-day report sums are not per
//! account). MongoDB: ours only.
//!
//! Invariants: the account is the measured user's second of ten (a tenth of
//! its rows); the range is the report's year ([`data::year_range`]); the raw
//! side reads the same rows and returns the same parts (no latest spelling of
//! the frequent descriptions, plain integer sums).

use std::path::Path;
use std::time::Instant;

use finance_core::domain::report::trend_range;
use rusqlite::{Connection, params};

use crate::Res;
use crate::data::{Seeded, year_range};
use crate::stats::{Timings, timed};

/// The row of the table (a key of [`Timings`]).
pub const OPERATION: &str = "12-month report, one account";

/// Ours: the whole report of one account.
pub async fn measure_ours(s: &Seeded, iterations: usize) -> Res<Timings> {
    let (f, me, account) = (&s.finance, &s.me, s.accounts[1]);
    let year = year_range()?;
    let mut st = Timings::new();
    for _ in 0..iterations {
        timed(st.entry(OPERATION).or_default(), || async {
            Ok(f.report(me, year, Some(account)).await?)
        })
        .await?;
    }
    eprintln!("  report of one account: done");
    Ok(st)
}

/// The raw SQLite baseline on the store's file at `path`.
pub async fn measure_sqlite(path: &Path, s: &Seeded, iterations: usize) -> Res<Timings> {
    let (path, me, account) = (
        path.to_path_buf(),
        s.me.id().to_hex(),
        s.accounts[1].to_hex(),
    );
    tokio::task::spawn_blocking(move || sqlite_blocking(&path, &me, &account, iterations)).await?
}

fn sqlite_blocking(path: &Path, me: &str, account: &str, iterations: usize) -> Res<Timings> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    let y = year_range()?;
    let (rf, rt) = (y.from().to_string(), y.to().to_string());
    let trend = trend_range(y.to());
    let (tf, tt) = (trend.from().to_string(), trend.to().to_string());
    // The account's rows in a range, by its index (the store's reading too).
    let rows = "transactions INDEXED BY tx_account_date
                WHERE account_id = ?2 AND user_id = ?1 AND date BETWEEN ?3 AND ?4
                  AND kind IN ('income', 'expense')";
    let mut st = Timings::new();
    for _ in 0..iterations {
        let t = Instant::now();
        let totals: Vec<(String, i64, i64)> = conn
            .prepare_cached(&format!(
                "SELECT kind, SUM(amount), COUNT(*) FROM {rows} GROUP BY kind"
            ))?
            .query_map(params![me, account, rf, rt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let by_category: Vec<(String, String, i64, i64)> = conn
            .prepare_cached(&format!(
                "SELECT c.id, c.name, SUM(t.amount), COUNT(*)
                 FROM (SELECT category_id, amount FROM {rows} AND kind = 'expense') t
                 JOIN categories c ON c.id = t.category_id GROUP BY t.category_id"
            ))?
            .query_map(params![me, account, rf, rt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        let by_month: Vec<(String, String, i64, i64)> = conn
            .prepare_cached(&format!(
                "SELECT substr(date, 1, 7), kind, SUM(amount), COUNT(*) FROM {rows}
                 GROUP BY 1, 2 ORDER BY 1"
            ))?
            .query_map(params![me, account, tf, tt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        let budgets: Vec<(String, i64)> = conn
            .prepare_cached(&format!(
                "SELECT category_id, SUM(amount) FROM {rows} AND kind = 'expense'
                 GROUP BY category_id"
            ))?
            .query_map(params![me, account, rf, rt], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let largest: Vec<(String, i64)> = conn
            .prepare_cached(&format!(
                "SELECT id, amount FROM {rows} AND kind = 'expense' AND amount > 0
                 ORDER BY amount DESC, id DESC LIMIT 10"
            ))?
            .query_map(params![me, account, rf, rt], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let frequent: Vec<(String, i64, i64)> = conn
            .prepare_cached(&format!(
                "SELECT lower(description) AS k, COUNT(*) AS n, SUM(amount) AS total FROM {rows}
                 GROUP BY k ORDER BY n DESC, total DESC, k LIMIT 10"
            ))?
            .query_map(params![me, account, rf, rt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        std::hint::black_box((totals, by_category, by_month, budgets, largest, frequent));
        st.entry(OPERATION).or_default().push(t.elapsed());
    }
    Ok(st)
}
