//! The raw SQLite baseline: the same operations as hand-written SQL on a plain
//! `rusqlite` connection to the store's own file, after our side has run.
//!
//! Add, edit and delete are single statements; list pages and text search select the
//! same columns with the same order and limit as the store; the month summary, budget
//! statuses and the 12-month report's parts are minimal aggregations (the report's
//! parts timed one by one, as ours are); the import is a prepared INSERT loop over
//! pre-generated rows in one transaction, keeping the schema's report sums as a bulk
//! import does.
//!
//! Invariants: every statement is scoped by the user id; the connection uses the
//! store's pragmas (WAL, synchronous FULL, 64 MiB page cache), so a difference is
//! the store's work, not configuration — the fair baseline gives the same durability
//! guarantee as ours (a confirmed write survives a power loss), and what FULL itself
//! costs over NORMAL is measured apart (`--durability`); rows written here are removed again (the raw
//! import's rows belong to a user of their own); the random stream is
//! `Stream::SqliteRaw`.

use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use finance_core::Id;
use finance_core::domain::report::trend_range;
use finance_core::domain::{Category, CategoryKind, Cursor};
use rand::rngs::StdRng;
use rusqlite::{Connection, params};

use crate::Res;
use crate::data::{
    self, Seeded, Stream, amount, description, month_range, now, random_date, today, user,
    year_range,
};
use crate::options::Plan;
use crate::stats::{Laps, Timings};

/// The transaction columns every selecting statement reads (as the store does).
const COLS: &str =
    "id, user_id, category_id, kind, amount, date, description, note, created_at, updated_at";

/// One transaction as read, unconverted.
type RawRow = (
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    i64,
    i64,
);

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
    ))
}

/// The baseline on the SQLite file at `path`, seeded as `s`; `deep` is the cursor of
/// our deep page (the same page is fetched here).
pub async fn measure(path: &Path, s: &Seeded, deep: Option<Cursor>, plan: Plan) -> Res<Timings> {
    let deep = deep.as_ref().and_then(cursor_parts);
    // The raw import writes into an account of its own.
    let raw_user = user(&s.finance, "bench_rawimport").await?;
    let raw_cat = s
        .finance
        .categories(&raw_user)
        .await?
        .into_iter()
        .find(|c| c.kind == CategoryKind::Expense)
        .ok_or("no expense category")?
        .id;
    let import_user = (raw_user.id(), raw_cat);
    let (me, cats, path) = (s.me.id(), s.cats.clone(), path.to_path_buf());
    tokio::task::spawn_blocking(move || measure_blocking(&path, me, &cats, deep, import_user, plan))
        .await?
}

/// The (date, id) of a date-ordered cursor.
fn cursor_parts(c: &Cursor) -> Option<(NaiveDate, Id)> {
    match c {
        Cursor::Date { date, id } => Some((*date, *id)),
        _ => None,
    }
}

fn measure_blocking(
    path: &Path,
    me: Id,
    cats: &[Category],
    deep: Option<(NaiveDate, Id)>,
    import_user: (Id, Id),
    plan: Plan,
) -> Res<Timings> {
    let iterations = plan.iterations;
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // The store's durability (store/sqlite/conn.rs): a fair baseline syncs as often.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The same page cache as the store's connection (store/sqlite/conn.rs).
    conn.pragma_update(None, "cache_size", -65_536)?;
    let mut st = Timings::new();
    let uid = me.to_hex();
    let mut rng = data::rng(Stream::SqliteRaw);
    let expense_cat = cats
        .iter()
        .find(|c| c.kind == CategoryKind::Expense)
        .ok_or("no expense category")?
        .id
        .to_hex();
    let stamp = now().timestamp_millis();
    let account = default_account(&conn, &uid)?;

    let mut ids = Vec::new();
    for _ in 0..iterations {
        let id = Id::generate().to_hex();
        let d = random_date(&mut rng).format("%Y-%m-%d").to_string();
        let t = Instant::now();
        conn.execute(
            &format!("INSERT INTO transactions ({COLS}, search_text, account_id) VALUES (?1,?2,?3,'expense',?4,?5,'Bakery',NULL,?6,?6,'bakery',?7)"),
            params![id, uid, expense_cat, 1234, d, stamp, account],
        )?;
        st.entry("add").or_default().push(t.elapsed());
        ids.push(id);
    }
    for id in &ids {
        let t = Instant::now();
        conn.execute(
            "UPDATE transactions SET amount = ?1, description = 'Pharmacy', search_text = 'pharmacy', updated_at = ?2 WHERE id = ?3 AND user_id = ?4",
            params![999, stamp, id, uid],
        )?;
        st.entry("edit").or_default().push(t.elapsed());
    }
    for id in &ids {
        let t = Instant::now();
        conn.execute(
            "DELETE FROM transactions WHERE id = ?1 AND user_id = ?2",
            params![id, uid],
        )?;
        st.entry("delete").or_default().push(t.elapsed());
    }

    let page_sql = format!(
        "SELECT {COLS} FROM transactions WHERE user_id = ?1 ORDER BY date DESC, id DESC LIMIT 51"
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let mut stmt = conn.prepare_cached(&page_sql)?;
        let v: Vec<RawRow> = stmt
            .query_map(params![uid], read)?
            .collect::<Result<_, _>>()?;
        st.entry("list: first page").or_default().push(t.elapsed());
        std::hint::black_box(v);
    }
    if let Some((d, id)) = deep {
        let sql = format!(
            "SELECT {COLS} FROM transactions WHERE user_id = ?1 AND (date, id) < (?2, ?3) ORDER BY date DESC, id DESC LIMIT 51"
        );
        let (d, id) = (d.format("%Y-%m-%d").to_string(), id.to_hex());
        for _ in 0..iterations {
            let t = Instant::now();
            let mut stmt = conn.prepare_cached(&sql)?;
            let v: Vec<RawRow> = stmt
                .query_map(params![uid, d, id], read)?
                .collect::<Result<_, _>>()?;
            st.entry("list: deep page").or_default().push(t.elapsed());
            std::hint::black_box(v);
        }
    }
    let search_sql = format!(
        "SELECT {COLS} FROM transactions WHERE user_id = ?1 AND instr(search_text, ?2) > 0 ORDER BY date DESC, id DESC LIMIT 51"
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let mut stmt = conn.prepare_cached(&search_sql)?;
        let v: Vec<RawRow> = stmt
            .query_map(params![uid, "bookshop"], read)?
            .collect::<Result<_, _>>()?;
        st.entry("text search (first page)")
            .or_default()
            .push(t.elapsed());
        std::hint::black_box(v);
    }

    let summary_sql = "SELECT kind, SUM(amount), COUNT(*) FROM transactions WHERE user_id = ?1 AND date BETWEEN ?2 AND ?3 GROUP BY kind";
    let summary = |from: &str, to: &str| -> Res<Vec<(String, i64, i64)>> {
        let mut stmt = conn.prepare_cached(summary_sql)?;
        let v = stmt
            .query_map(params![uid, from, to], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(v)
    };
    let m = month_range()?;
    let (mf, mt) = (m.from().to_string(), m.to().to_string());
    for _ in 0..iterations {
        let t = Instant::now();
        std::hint::black_box(summary(&mf, &mt)?);
        st.entry("month summary").or_default().push(t.elapsed());
    }
    // Budget statuses: the budgets, then spending per category over each period.
    let (yf, yt) = (
        NaiveDate::from_ymd_opt(today().year(), 1, 1)
            .ok_or("date")?
            .to_string(),
        NaiveDate::from_ymd_opt(today().year(), 12, 31)
            .ok_or("date")?
            .to_string(),
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let mut b = conn.prepare_cached(
            "SELECT id, category_id, limit_minor, period FROM budgets WHERE user_id = ?1",
        )?;
        let n = b.query_map(params![uid], |_| Ok(()))?.count();
        std::hint::black_box(n);
        let mut stmt = conn.prepare_cached(
            "SELECT category_id, SUM(amount) FROM transactions WHERE user_id = ?1 AND kind = 'expense' AND date BETWEEN ?2 AND ?3 GROUP BY category_id",
        )?;
        for (from, to) in [(&mf, &mt), (&yf, &yt)] {
            let v: Vec<(String, i64)> = stmt
                .query_map(params![uid, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            std::hint::black_box(v);
        }
        st.entry("budget statuses").or_default().push(t.elapsed());
    }
    // The report's parts, hand-written.
    let y = year_range()?;
    let (rf, rt) = (y.from().to_string(), y.to().to_string());
    let trend = trend_range(y.to());
    let (tf, tt) = (trend.from().to_string(), trend.to().to_string());
    for _ in 0..iterations {
        let mut laps = Laps::start();
        std::hint::black_box(summary(&rf, &rt)?);
        laps.lap(&mut st, "report: totals");
        let mut s1 = conn.prepare_cached(
            "SELECT c.id, c.name, SUM(t.amount), COUNT(*) FROM transactions t JOIN categories c ON c.id = t.category_id
             WHERE t.user_id = ?1 AND t.kind = 'expense' AND t.date BETWEEN ?2 AND ?3 GROUP BY t.category_id",
        )?;
        let v: Vec<(String, String, i64, i64)> = s1
            .query_map(params![uid, rf, rt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        laps.lap(&mut st, "report: by category");
        let mut s2 = conn.prepare_cached(
            "SELECT substr(date, 1, 7), kind, SUM(amount), COUNT(*) FROM transactions
             WHERE user_id = ?1 AND date BETWEEN ?2 AND ?3 GROUP BY 1, 2 ORDER BY 1",
        )?;
        let v: Vec<(String, String, i64, i64)> = s2
            .query_map(params![uid, tf, tt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        laps.lap(&mut st, "report: by month");
        let mut s3 = conn.prepare_cached(&format!(
            "SELECT {COLS} FROM transactions INDEXED BY tx_user_expense_amount
             WHERE user_id = ?1 AND kind = 'expense' AND date BETWEEN ?2 AND ?3
             ORDER BY amount DESC, id DESC LIMIT 10"
        ))?;
        let v: Vec<RawRow> = s3
            .query_map(params![uid, rf, rt], read)?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        laps.lap(&mut st, "report: largest 10");
        let mut s4 = conn.prepare_cached(
            "SELECT lower(description) AS k, COUNT(*) AS n, SUM(amount) AS total, MAX(date) FROM transactions
             WHERE user_id = ?1 AND date BETWEEN ?2 AND ?3 GROUP BY k ORDER BY n DESC, total DESC, k LIMIT 10",
        )?;
        let v: Vec<(String, i64, i64)> = s4
            .query_map(params![uid, rf, rt], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        std::hint::black_box(v);
        laps.lap(&mut st, "report: frequent 10");
        laps.total(&mut st, "12-month report");
    }

    import(&conn, &mut rng, import_user, plan, stamp, &mut st)?;
    Ok(st)
}

/// The user's default account (the first by position), as the store picks it.
fn default_account(conn: &Connection, user: &str) -> Res<String> {
    Ok(conn.query_row(
        "SELECT id FROM accounts WHERE user_id = ?1 AND archived = 0 ORDER BY position, created_at LIMIT 1",
        params![user],
        |r| r.get(0),
    )?)
}

/// Import baseline: a prepared INSERT loop in one transaction (rows pre-generated),
/// into the import user's account, removed again after each iteration.
fn import(
    conn: &Connection,
    rng: &mut StdRng,
    import_user: (Id, Id),
    plan: Plan,
    stamp: i64,
    st: &mut Timings,
) -> Res<()> {
    for _ in 0..plan.import_iterations {
        let (who, who_cat) = (import_user.0.to_hex(), import_user.1.to_hex());
        let who_account = default_account(conn, &who)?;
        let rows: Vec<(String, String, i64, String, String)> = (0..plan.import_rows)
            .map(|_| {
                let d = description(rng, CategoryKind::Expense);
                (
                    Id::generate().to_hex(),
                    random_date(rng).format("%Y-%m-%d").to_string(),
                    amount(rng, CategoryKind::Expense),
                    d.to_lowercase(),
                    d,
                )
            })
            .collect();
        let t = Instant::now();
        let tx = conn.unchecked_transaction()?;
        {
            // The schema's report sums (migration 2): as a bulk import does, pause
            // the per-row trigger and add the new rows' sums in one statement each.
            tx.execute("INSERT INTO tx_agg_paused (one) VALUES (1)", [])?;
            let mut stmt = tx.prepare(&format!(
                "INSERT INTO transactions ({COLS}, search_text, account_id) VALUES (?1,?2,?3,'expense',?4,?5,?6,NULL,?7,?7,?8,?9)"
            ))?;
            for (id, d, a, s, desc) in &rows {
                stmt.execute(params![id, who, who_cat, a, d, desc, stamp, s, who_account])?;
            }
            tx.execute(
                "INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
                 SELECT user_id, date, kind, category_id, SUM(amount), COUNT(*) FROM transactions
                 WHERE user_id = ?1 GROUP BY date, kind, category_id
                 ON CONFLICT (user_id, date, kind, category_id)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n",
                params![who],
            )?;
            tx.execute(
                "INSERT INTO tx_desc_daily (user_id, date, k, total, n)
                 SELECT user_id, date, search_text, SUM(amount), COUNT(*) FROM transactions
                 WHERE user_id = ?1 GROUP BY date, search_text
                 ON CONFLICT (user_id, date, k)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n",
                params![who],
            )?;
            tx.execute(
                "INSERT INTO tx_account_daily (user_id, account_id, date, effect_sum, n)
                 SELECT user_id, account_id, date, SUM(CASE kind WHEN 'income' THEN amount ELSE -amount END), COUNT(*)
                 FROM transactions WHERE user_id = ?1 GROUP BY account_id, date
                 ON CONFLICT (user_id, account_id, date)
                 DO UPDATE SET effect_sum = effect_sum + excluded.effect_sum, n = n + excluded.n",
                params![who],
            )?;
            tx.execute(
                "INSERT INTO tx_account_totals (user_id, account_id, high, low, n, cleared_high, cleared_low)
                 SELECT user_id, account_id, SUM(e >> 32), SUM(e & 4294967295), COUNT(*), 0, 0
                 FROM (SELECT user_id, account_id, CASE kind WHEN 'income' THEN amount ELSE -amount END AS e
                       FROM transactions WHERE user_id = ?1)
                 WHERE true GROUP BY account_id
                 ON CONFLICT (user_id, account_id)
                 DO UPDATE SET high = high + excluded.high, low = low + excluded.low, n = n + excluded.n",
                params![who],
            )?;
            tx.execute("DELETE FROM tx_agg_paused", [])?;
        }
        tx.commit()?;
        st.entry("import CSV").or_default().push(t.elapsed());
        conn.execute("DELETE FROM transactions WHERE user_id = ?1", params![who])?;
    }
    Ok(())
}
