//! A bulk re-categorise of 10,000 rows (issue 15: "10,000 rows re-categorised
//! ≤ 1.5× a raw UPDATE in the same run"): ours through
//! `Finance::bulk_set_category` with the ids, beside a raw
//! `UPDATE … SET category_id WHERE id IN (…)` in one `IMMEDIATE` transaction
//! on the store's file (SQLite, the store's `synchronous = FULL`; the same
//! triggers keep the per-day sums on both sides), or a raw `updateMany` with
//! `_id $in` on the same database (MongoDB).
//!
//! Invariants: the rows are the measured user's first [`ROWS`] expense rows
//! (newest first); every iteration moves them all into the other of two
//! expense categories, so each write really changes every row, ours and raw
//! alike; ours runs before raw, and raw leaves the rows in a category ours
//! would pick next (the sums stay right: raw's writes go through the triggers).

use std::path::Path;
use std::time::Instant;

use finance_core::domain::{
    CategoryKind, Selection, TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::{Id, domain::Category};
use rusqlite::{Connection, params_from_iter};

use crate::Res;
use crate::data::Seeded;
use crate::stats::{Timings, timed};

/// The row of the table (a key of [`Timings`]).
pub const OPERATION: &str = "re-categorise 10,000 rows";

/// How many rows one action re-categorises.
pub const ROWS: usize = 10_000;

/// The measured user's first [`ROWS`] expense rows and two expense categories.
async fn plan(s: &Seeded) -> Res<(Vec<Id>, [Category; 2])> {
    let filter = TransactionFilter::new(
        None,
        None,
        vec![],
        Some(CategoryKind::Expense),
        None,
        None,
        None,
    )?;
    let mut ids = Vec::with_capacity(ROWS);
    let mut after: Option<String> = None;
    while ids.len() < ROWS {
        let query = TransactionQuery::new(
            filter.clone(),
            TransactionSort::DateDesc,
            Some(500),
            after.as_deref(),
        )?;
        let page = s.finance.transactions(&s.me, &query).await?;
        ids.extend(page.items.iter().map(|t| t.id));
        match page.next {
            Some(next) => after = Some(next.encode()),
            None => break,
        }
    }
    ids.truncate(ROWS);
    let mut expense = s.cats.iter().filter(|c| c.kind == CategoryKind::Expense);
    let (Some(a), Some(b)) = (expense.next(), expense.next()) else {
        return Err("the seeded user needs two expense categories".into());
    };
    Ok((ids, [a.clone(), b.clone()]))
}

/// Ours: `bulk_set_category` of the ids, alternating the two categories.
pub async fn measure_ours(s: &Seeded, iterations: usize) -> Res<(Timings, Vec<Id>, [Id; 2])> {
    let (ids, cats) = plan(s).await?;
    let selection = Selection::ids(ids.clone())?;
    let mut st = Timings::new();
    for i in 0..iterations {
        let target = cats[i % 2].id;
        timed(st.entry(OPERATION).or_default(), || async {
            let n = s
                .finance
                .bulk_set_category(&s.me, &selection, target, true, chrono::Utc::now())
                .await?;
            assert_eq!(n as usize, ids.len(), "every row changes");
            Ok(())
        })
        .await?;
    }
    eprintln!("  re-categorise {} rows: done", ids.len());
    Ok((st, ids, [cats[0].id, cats[1].id]))
}

/// The raw SQLite baseline on the store's file at `path`.
pub async fn measure_sqlite(
    path: &Path,
    ids: Vec<Id>,
    cats: [Id; 2],
    iterations: usize,
) -> Res<Timings> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || sqlite_blocking(&path, &ids, cats, iterations)).await?
}

fn sqlite_blocking(path: &Path, ids: &[Id], cats: [Id; 2], iterations: usize) -> Res<Timings> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    let marks = vec!["?"; ids.len()].join(", ");
    let sql =
        format!("UPDATE transactions SET category_id = ?, updated_at = ? WHERE id IN ({marks})");
    let mut st = Timings::new();
    for i in 0..iterations {
        let mut values: Vec<rusqlite::types::Value> = vec![
            cats[i % 2].to_hex().into(),
            chrono::Utc::now().timestamp_millis().into(),
        ];
        values.extend(ids.iter().map(|id| id.to_hex().into()));
        let t = Instant::now();
        let tx =
            rusqlite::Transaction::new_unchecked(&conn, rusqlite::TransactionBehavior::Immediate)?;
        let n = tx.execute(&sql, params_from_iter(values))?;
        tx.commit()?;
        st.entry(OPERATION).or_default().push(t.elapsed());
        assert_eq!(n, ids.len(), "every row changes");
    }
    Ok(st)
}

/// The raw MongoDB baseline: `updateMany` of the ids on database `db`.
pub async fn measure_mongo(
    uri: &str,
    db: &str,
    ids: &[Id],
    cats: [Id; 2],
    iterations: usize,
) -> Res<Timings> {
    use mongodb::bson::{Document, doc, oid::ObjectId};
    let client = mongodb::Client::with_uri_str(uri).await?;
    let coll = client.database(db).collection::<Document>("transactions");
    let oids: Vec<ObjectId> = ids
        .iter()
        .map(|id| ObjectId::from_bytes(id.bytes()))
        .collect();
    let mut st = Timings::new();
    for i in 0..iterations {
        let target = ObjectId::from_bytes(cats[i % 2].bytes());
        let t = Instant::now();
        let r = coll
            .update_many(
                doc! { "_id": { "$in": oids.clone() } },
                doc! { "$set": {
                    "category": target,
                    "updatedAt": mongodb::bson::DateTime::now(),
                } },
            )
            .await?;
        st.entry(OPERATION).or_default().push(t.elapsed());
        assert_eq!(r.matched_count as usize, ids.len(), "every row changes");
    }
    Ok(st)
}
