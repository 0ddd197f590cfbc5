//! Balances (issue 14): the account list with balances, a register's first page and
//! its deep page with running balances, a balance on a date and a 60-month
//! net-worth series — ours through `Finance`, beside hand-written baselines: raw SQL
//! on the store's file (the same per-account totals `tx_account_totals`, daily sums
//! `tx_account_daily` and index `tx_account_date`) and raw driver calls on MongoDB.
//!
//! Invariants: every call is scoped by the measured user; the register is one of
//! its ten accounts, newest first, 50 rows a page, and the deep page is reached
//! untimed (the raw side fetches the same page from the same cursor); the dates of
//! "balance on a date" come from the stream `Stream::Balances`, the same dates and
//! accounts on both sides; each baseline does what the operation needs and no more
//! (the page, the sum before it, that day's earlier rows, the walk), with plain
//! integer sums where ours sums exactly in 128 bits.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use chrono::{Months, NaiveDate, TimeDelta};
use finance_core::Id;
use finance_core::domain::{Cursor, TransactionFilter, TransactionQuery, TransactionSort};
use futures::TryStreamExt;
use mongodb::bson::{self, Document, doc, oid::ObjectId};
use rand::Rng;
use rusqlite::{Connection, params};

use crate::Res;
use crate::data::{self, Seeded, Stream, today};
use crate::stats::{Timings, timed};

/// The rows of the table, in order (keys of [`Timings`]).
pub const OPERATIONS: [&str; 5] = [
    "accounts with balances",
    "register: first page",
    "register: deep page",
    "balance on a date",
    "net worth: 60 months",
];

/// Rows per register page (the list's default page size).
const PAGE: u32 = 50;

/// What both sides ask for: the register's account, the deep page's cursor, the
/// (account, date) pairs of "balance on a date", and the series' months.
pub struct Asks {
    account: Id,
    deep: Option<Cursor>,
    on: Vec<(Id, NaiveDate)>,
    from: NaiveDate,
    to: NaiveDate,
}

fn register_query(account: Id, after: Option<Cursor>) -> TransactionQuery {
    TransactionQuery {
        filter: TransactionFilter::default().with_account(Some(account)),
        sort: TransactionSort::DateDesc,
        limit: PAGE,
        after,
    }
}

/// Our side; also what the baselines ask for.
pub async fn measure_ours(s: &Seeded, iterations: usize, deep_page: usize) -> Res<(Timings, Asks)> {
    let (f, me) = (&s.finance, &s.me);
    let mut rng = data::rng(Stream::Balances);
    let account = s.accounts[1];
    let on = (0..iterations)
        .map(|_| {
            (
                s.accounts[rng.random_range(0..s.accounts.len())],
                today() - TimeDelta::days(rng.random_range(0..5 * 365)),
            )
        })
        .collect::<Vec<_>>();
    let to = today();
    let from = to - Months::new(59);
    let mut st = Timings::new();
    for _ in 0..iterations {
        timed(st.entry(OPERATIONS[0]).or_default(), || async {
            Ok(f.account_balances(me).await?)
        })
        .await?;
    }
    let first = register_query(account, None);
    for _ in 0..iterations {
        timed(st.entry(OPERATIONS[1]).or_default(), || async {
            Ok(f.account_register(me, &first).await?)
        })
        .await?;
    }
    let mut q = first.clone();
    for _ in 1..deep_page {
        match f.transactions(me, &q).await?.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    for _ in 0..iterations {
        timed(st.entry(OPERATIONS[2]).or_default(), || async {
            Ok(f.account_register(me, &q).await?)
        })
        .await?;
    }
    for &(account, date) in &on {
        timed(st.entry(OPERATIONS[3]).or_default(), || async {
            Ok(f.account_balance_on(me, account, date).await?)
        })
        .await?;
    }
    for _ in 0..iterations {
        timed(st.entry(OPERATIONS[4]).or_default(), || async {
            Ok(f.net_worth_series(me, from, to).await?)
        })
        .await?;
    }
    eprintln!("  balances: done");
    let asks = Asks {
        account,
        deep: q.after,
        on,
        from,
        to,
    };
    Ok((st, asks))
}

/// The raw SQLite baseline on the store's file at `path`.
pub async fn measure_sqlite(
    path: &Path,
    s: &Seeded,
    asks: Asks,
    iterations: usize,
) -> Res<Timings> {
    let (path, me) = (path.to_path_buf(), s.me.id().to_hex());
    tokio::task::spawn_blocking(move || sqlite_blocking(&path, &me, &asks, iterations)).await?
}

fn sqlite_blocking(path: &Path, me: &str, asks: &Asks, iterations: usize) -> Res<Timings> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    let mut st = Timings::new();
    let time = |st: &mut Timings, key: &'static str, f: &mut dyn FnMut() -> Res<()>| -> Res<()> {
        let t = Instant::now();
        f()?;
        st.entry(key).or_default().push(t.elapsed());
        Ok(())
    };
    for _ in 0..iterations {
        time(&mut st, OPERATIONS[0], &mut || {
            let mut stmt = conn.prepare_cached(
                "SELECT a.id, a.user_id, a.name, a.kind, a.currency, a.opening_balance,
                        a.opening_date, a.note, a.archived, a.position, a.reconciled_date,
                        a.reconciled_balance, a.created_at,
                        a.opening_balance + COALESCE((t.high << 32) + t.low, 0),
                        a.opening_balance + COALESCE((t.cleared_high << 32) + t.cleared_low, 0),
                        COALESCE(t.n, 0)
                 FROM accounts a
                 LEFT JOIN tx_account_totals t ON t.user_id = a.user_id AND t.account_id = a.id
                 WHERE a.user_id = ?1 ORDER BY a.position, a.created_at, a.id",
            )?;
            let rows: Vec<(String, i64)> = stmt
                .query_map([me], |r| Ok((r.get(0)?, r.get(13)?)))?
                .collect::<rusqlite::Result<_>>()?;
            std::hint::black_box(rows);
            Ok(())
        })?;
    }
    let account = asks.account.to_hex();
    let deep = match asks.deep {
        Some(Cursor::Date { date, id }) => Some((date.to_string(), id.to_hex())),
        _ => None,
    };
    for (key, after) in [(OPERATIONS[1], None), (OPERATIONS[2], deep.clone())] {
        for _ in 0..iterations {
            time(&mut st, key, &mut || {
                let b = sqlite_register(&conn, me, &account, after.as_ref())?;
                std::hint::black_box(b);
                Ok(())
            })?;
        }
    }
    for (account, date) in &asks.on {
        time(&mut st, OPERATIONS[3], &mut || {
            let (opening, opened): (i64, String) = conn.query_row(
                "SELECT opening_balance, opening_date FROM accounts WHERE id = ?1 AND user_id = ?2",
                params![account.to_hex(), me],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let sum: i64 = conn.query_row(
                "SELECT COALESCE(SUM(effect_sum), 0) FROM tx_account_daily
                 WHERE user_id = ?1 AND account_id = ?2 AND date <= ?3",
                params![me, account.to_hex(), date.to_string()],
                |r| r.get(0),
            )?;
            let opening = if date.to_string() >= opened {
                opening
            } else {
                0
            };
            std::hint::black_box(opening + sum);
            Ok(())
        })?;
    }
    for _ in 0..iterations {
        time(&mut st, OPERATIONS[4], &mut || {
            let mut accounts = conn.prepare_cached(
                "SELECT id, kind, opening_balance, opening_date FROM accounts WHERE user_id = ?1",
            )?;
            let accounts: Vec<(String, String, i64, String)> = accounts
                .query_map([me], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut stmt = conn.prepare_cached(
                "SELECT account_id, CASE WHEN date < ?2 THEN '' ELSE substr(date, 1, 7) END AS m,
                        SUM(effect_sum)
                 FROM tx_account_daily WHERE user_id = ?1 AND date <= ?3 GROUP BY 1, 2",
            )?;
            let sums: HashMap<(String, String), i64> = stmt
                .query_map(
                    params![me, asks.from.to_string(), asks.to.to_string()],
                    |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)),
                )?
                .collect::<rusqlite::Result<_>>()?;
            let series = series(&accounts, &sums, asks.from);
            std::hint::black_box(series);
            Ok(())
        })?;
    }
    Ok(st)
}

/// A register page with running balances in plain SQL: the page, the account's
/// opening, the daily sums before the first row's day and that day's earlier rows.
fn sqlite_register(
    conn: &Connection,
    me: &str,
    account: &str,
    after: Option<&(String, String)>,
) -> Res<Vec<i64>> {
    let cols = "id, user_id, category_id, kind, amount, date, description, note, created_at, \
                updated_at, account_id";
    type Row = (String, String, i64, String);
    let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Row> {
        let _: (String, String, Option<String>, i64, i64) =
            (r.get(1)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?);
        Ok((r.get(0)?, r.get(3)?, r.get(4)?, r.get(5)?))
    };
    let rows: Vec<Row> = match after {
        None => conn
            .prepare_cached(&format!(
                "SELECT {cols} FROM transactions WHERE user_id = ?1 AND account_id = ?2
                 ORDER BY date DESC, id DESC LIMIT ?3"
            ))?
            .query_map(params![me, account, PAGE + 1], read)?
            .collect::<rusqlite::Result<_>>()?,
        Some((date, id)) => conn
            .prepare_cached(&format!(
                "SELECT {cols} FROM transactions WHERE user_id = ?1 AND account_id = ?2
                   AND (date, id) < (?4, ?5)
                 ORDER BY date DESC, id DESC LIMIT ?3"
            ))?
            .query_map(params![me, account, PAGE + 1, date, id], read)?
            .collect::<rusqlite::Result<_>>()?,
    };
    let Some(first) = rows.first() else {
        return Ok(Vec::new());
    };
    let (opening, opened): (i64, String) = conn.query_row(
        "SELECT opening_balance, opening_date FROM accounts WHERE id = ?1 AND user_id = ?2",
        params![account, me],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let before: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(effect_sum), 0) FROM tx_account_daily
             WHERE user_id = ?1 AND account_id = ?2 AND date < ?3",
        )?
        .query_row(params![me, account, first.3], |r| r.get(0))?;
    let same_day: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(CASE kind WHEN 'income' THEN amount ELSE -amount END), 0)
             FROM transactions WHERE account_id = ?1 AND date = ?2 AND id <= ?3 AND user_id = ?4",
        )?
        .query_row(params![account, first.3, first.0, me], |r| r.get(0))?;
    let effect = |r: &Row| if r.1 == "income" { r.2 } else { -r.2 };
    let mut sum = before + same_day;
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().take(PAGE as usize).enumerate() {
        if i > 0 {
            sum -= effect(&rows[i - 1]);
        }
        out.push(sum + if r.3 >= opened { opening } else { 0 });
    }
    Ok(out)
}

/// End-of-month net worth from per-account sums keyed (account, `YYYY-MM` or "" for
/// before the span): (month, assets, liabilities).
fn series(
    accounts: &[(String, String, i64, String)],
    sums: &HashMap<(String, String), i64>,
    from: NaiveDate,
) -> Vec<(NaiveDate, i64, i64)> {
    let mut running: Vec<i64> = accounts
        .iter()
        .map(|a| {
            sums.get(&(a.0.clone(), String::new()))
                .copied()
                .unwrap_or(0)
        })
        .collect();
    (0..60)
        .filter_map(|i| from.checked_add_months(Months::new(i)))
        .map(|month| {
            let key = month.format("%Y-%m").to_string();
            let end = (month + Months::new(1) - TimeDelta::days(1)).to_string();
            let (mut assets, mut liabilities) = (0, 0);
            for (a, sum) in accounts.iter().zip(running.iter_mut()) {
                *sum += sums.get(&(a.0.clone(), key.clone())).copied().unwrap_or(0);
                let balance = *sum + if end >= a.3 { a.2 } else { 0 };
                if matches!(a.1.as_str(), "credit_card" | "loan" | "liability") {
                    liabilities += balance;
                } else {
                    assets += balance;
                }
            }
            (month, assets, liabilities)
        })
        .collect()
}

/// The raw MongoDB baseline on database `db` at `uri`.
pub async fn measure_mongo(
    uri: &str,
    db: &str,
    s: &Seeded,
    asks: Asks,
    iterations: usize,
) -> Res<Timings> {
    let client = mongodb::Client::with_uri_str(uri).await?;
    let db = client.database(db);
    let txs = db.collection::<Document>("transactions");
    let accounts = db.collection::<Document>("accounts");
    let oid = |id: Id| ObjectId::from_bytes(id.bytes());
    let date = |d: NaiveDate| {
        bson::DateTime::from_millis(
            d.and_hms_opt(0, 0, 0)
                .map_or(0, |x| x.and_utc().timestamp_millis()),
        )
    };
    let uid = oid(s.me.id());
    let effect = doc! { "$cond": [
        { "$eq": ["$type", "income"] }, "$amount", { "$subtract": [0_i64, "$amount"] }
    ] };
    let mut st = Timings::new();
    for _ in 0..iterations {
        let t = Instant::now();
        let list: Vec<Document> = accounts
            .find(doc! { "userId": uid })
            .sort(doc! { "position": 1, "createdAt": 1, "_id": 1 })
            .await?
            .try_collect()
            .await?;
        let sums: Vec<Document> = txs
            .aggregate([
                doc! { "$match": { "userId": uid } },
                doc! { "$group": { "_id": "$accountId", "s": { "$sum": effect.clone() }, "n": { "$sum": 1 } } },
            ])
            .await?
            .try_collect()
            .await?;
        std::hint::black_box((list, sums));
        st.entry(OPERATIONS[0]).or_default().push(t.elapsed());
    }
    let account = oid(asks.account);
    for (key, after) in [(OPERATIONS[1], None), (OPERATIONS[2], asks.deep)] {
        for _ in 0..iterations {
            let t = Instant::now();
            let mut filter = doc! { "userId": uid, "accountId": account };
            if let Some(Cursor::Date { date: d, id }) = after {
                filter.insert(
                    "$or",
                    vec![
                        doc! { "date": { "$lt": date(d) } },
                        doc! { "date": date(d), "_id": { "$lt": oid(id) } },
                    ],
                );
            }
            let rows: Vec<Document> = txs
                .find(filter)
                .sort(doc! { "date": -1, "_id": -1 })
                .limit(i64::from(PAGE) + 1)
                .await?
                .try_collect()
                .await?;
            if let Some(first) = rows.first() {
                let day = first.get_datetime("date")?;
                let acc = accounts
                    .find_one(doc! { "_id": account, "userId": uid })
                    .await?;
                let before: Vec<Document> = txs
                    .aggregate([
                        doc! { "$match": { "userId": uid, "accountId": account, "date": { "$lt": day } } },
                        doc! { "$group": { "_id": null, "s": { "$sum": effect.clone() } } },
                    ])
                    .await?
                    .try_collect()
                    .await?;
                let same_day: Vec<Document> = txs
                    .find(doc! {
                        "userId": uid, "accountId": account, "date": day,
                        "_id": { "$lte": first.get_object_id("_id")? },
                    })
                    .projection(doc! { "type": 1, "amount": 1 })
                    .await?
                    .try_collect()
                    .await?;
                std::hint::black_box((acc, before, same_day));
            }
            st.entry(key).or_default().push(t.elapsed());
        }
    }
    for &(acc, d) in &asks.on {
        let t = Instant::now();
        let a = accounts
            .find_one(doc! { "_id": oid(acc), "userId": uid })
            .await?;
        let sum: Vec<Document> = txs
            .aggregate([
                doc! { "$match": { "userId": uid, "accountId": oid(acc), "date": { "$lte": date(d) } } },
                doc! { "$group": { "_id": null, "s": { "$sum": effect.clone() } } },
            ])
            .await?
            .try_collect()
            .await?;
        std::hint::black_box((a, sum));
        st.entry(OPERATIONS[3]).or_default().push(t.elapsed());
    }
    let end = asks.to;
    for _ in 0..iterations {
        let t = Instant::now();
        let list: Vec<Document> = accounts
            .find(doc! { "userId": uid })
            .await?
            .try_collect()
            .await?;
        let groups: Vec<Document> = txs
            .aggregate([
                doc! { "$match": { "userId": uid, "date": { "$lte": date(end) } } },
                doc! { "$group": {
                    "_id": {
                        "a": "$accountId",
                        "m": { "$cond": [
                            { "$lt": ["$date", date(asks.from)] },
                            "",
                            { "$dateToString": { "format": "%Y-%m", "date": "$date" } },
                        ] },
                    },
                    "s": { "$sum": effect.clone() },
                } },
            ])
            .await?
            .try_collect()
            .await?;
        std::hint::black_box((list, groups));
        st.entry(OPERATIONS[4]).or_default().push(t.elapsed());
    }
    Ok(st)
}
