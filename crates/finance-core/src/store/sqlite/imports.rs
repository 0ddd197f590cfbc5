//! [`Imports`] and [`Idempotency`] on SQLite: the one-transaction bulk
//! insert, the duplicate candidates of an import, and idempotency keys.
//!
//! * [`Imports::insert_transactions`] writes an import's new categories and
//!   transactions inside one `IMMEDIATE` transaction (all or nothing). The
//!   rows come chunk by chunk ([`IMPORT_CHUNK_ROWS`]) from the async side over
//!   a channel of one chunk, so the writer holds about two chunks, never the
//!   whole import; the feed ends with an explicit [`Feed::End`], and a feed
//!   that stops without it (a failed chunk, the caller gone) rolls back.
//! * [`Bulk`] pauses the daily-sum insert trigger (a row in `tx_agg_paused`,
//!   removed before the commit, so the pause never outlives the transaction)
//!   and adds each chunk's sums once per day and key (and per account and
//!   day, `tx_account_daily`, and per account, `tx_account_totals`) with upserts; the schema
//!   tests check the sums still equal a `GROUP BY` afterwards. An import that
//!   would push a day's sum past `i64` is refused (`Validation { field:
//!   "file" }`, see `sums`).
//! * Every row must belong to the user; each distinct category and account
//!   is checked once, not per row; the stored kind is the category's.
//! * [`candidate_duplicates`] reads through the covering index `tx_user_date`
//!   over the file's date span (no table rows, no extra index to keep up on
//!   every insert) and reads whole rows only for candidates; a test below
//!   checks the plan.
//! * An idempotency key is stored by [`insert_key`] in the same transaction
//!   as the write it belongs to, unique per (user, key): a reused key is
//!   `Conflict { field: "idempotencyKey" }` and the whole write rolls back.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::SqliteStore;
use super::errors::sql_error;
use super::rows::{
    date_col, date_text, entry_kind_col, from_millis, get_account, get_category, insert_category,
    millis,
};
use super::sums::split;
use crate::domain::{Category, CategoryKind, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;
use crate::rules;
use crate::store::prelude::*;
use crate::store::{
    IMPORT_CHUNK_ROWS, IdempotencyRecord, ImportRows, PROGRESS_EVERY, Progress, TransactionKey,
};

#[async_trait]
impl Imports for SqliteStore {
    async fn existing_transaction_keys(
        &self,
        user: Id,
        rows: Vec<TransactionKey>,
    ) -> Result<Vec<TransactionKey>> {
        self.read(move |conn| candidate_duplicates(conn, user, &rows))
            .await
    }

    async fn existing_bank_ids(
        &self,
        user: Id,
        account: Id,
        ids: Vec<String>,
    ) -> Result<Vec<String>> {
        self.read(move |conn| stored_bank_ids(conn, user, account, &ids))
            .await
    }

    async fn insert_transactions(
        &self,
        user: Id,
        categories: &[Category],
        rows: &dyn ImportRows,
        progress: Progress<'_>,
        key: Option<&IdempotencyRecord>,
    ) -> Result<u64> {
        let categories = categories.to_vec();
        let key = key.cloned();
        let total = rows.total();
        // The work runs on the blocking pool; progress travels back over a channel
        // and is reported from this task (the callback is only borrowed).
        let (sender, mut updates) = tokio::sync::mpsc::unbounded_channel::<u64>();
        // The rows travel the other way, one chunk at a time.
        let (feed, mut chunks) = tokio::sync::mpsc::channel::<Feed>(1);
        let work = self.write(move |tx| {
            let report = move |done: u64| {
                sender.send(done).ok();
            };
            let mut bulk = Bulk::start(tx, user, &categories, key.as_ref())?;
            loop {
                match chunks.blocking_recv() {
                    Some(Feed::Rows(rows)) => bulk.add(&rows, &report)?,
                    Some(Feed::Failed(e)) => return Err(e),
                    Some(Feed::End) => return bulk.finish(),
                    None => {
                        return Err(Error::internal(
                            "import",
                            "the rows stopped before their end",
                        ));
                    }
                }
            }
        });
        let produce = async move {
            for chunk in rows.row_chunks(IMPORT_CHUNK_ROWS) {
                let (message, last) = match chunk {
                    Ok(rows) => (Feed::Rows(rows), false),
                    Err(e) => (Feed::Failed(e), true),
                };
                // A send fails only when the writer has stopped: its result says why.
                if feed.send(message).await.is_err() || last {
                    return;
                }
            }
            feed.send(Feed::End).await.ok();
        };
        tokio::pin!(work);
        tokio::pin!(produce);
        let mut produced = false;
        loop {
            tokio::select! {
                result = &mut work => {
                    while let Ok(done) = updates.try_recv() {
                        progress(done, total);
                    }
                    // The last report, once the rows are committed.
                    if let Ok(done) = &result {
                        progress(*done, total);
                    }
                    return result;
                }
                () = &mut produce, if !produced => produced = true,
                Some(done) = updates.recv() => progress(done, total),
            }
        }
    }
}

/// What the async side hands the bulk writer.
enum Feed {
    Rows(Vec<Transaction>),
    /// Reading the rows failed: roll back with this error.
    Failed(Error),
    /// Every row has been sent: commit.
    End,
}

#[async_trait]
impl Idempotency for SqliteStore {
    async fn idempotency_record(&self, user: Id, key: &str) -> Result<Option<IdempotencyRecord>> {
        let key = key.to_string();
        self.read(move |conn| {
            let record = conn
                .query_row(
                    "SELECT key, fingerprint, result, created_at FROM idempotency_keys
                 WHERE user_id = ?1 AND key = ?2",
                    params![user.to_hex(), key],
                    |r| {
                        Ok(IdempotencyRecord {
                            key: r.get(0)?,
                            fingerprint: r.get(1)?,
                            result: r.get(2)?,
                            created_at: from_millis(r.get(3)?),
                        })
                    },
                )
                .optional()?;
            Ok(record)
        })
        .await
    }
}

/// The body of [`Imports::existing_transaction_keys`]. Date, kind and amount are
/// in the `tx_user_date` index, so the file's date span is walked in the index
/// alone (no table reads, no extra index to keep up on every insert); only the
/// rows equal to a file row on those three fields are read for their
/// description, by rowid. Both passes run in one read transaction.
fn candidate_duplicates(
    conn: &Connection,
    user: Id,
    rows: &[TransactionKey],
) -> Result<Vec<TransactionKey>> {
    let (Some(from), Some(to)) = (
        rows.iter().map(|r| r.date).min(),
        rows.iter().map(|r| r.date).max(),
    ) else {
        return Ok(Vec::new());
    };
    let wanted: std::collections::HashSet<(u32, i64, bool)> = rows
        .iter()
        .map(|r| {
            (
                day_number(&date_text(r.date)),
                r.amount,
                r.kind == CategoryKind::Expense,
            )
        })
        .collect();
    // Both statements see one snapshot: every read runs in its own
    // transaction (see `readers`).
    let tx = conn;
    let mut matches = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT date, amount, kind, rowid FROM transactions INDEXED BY tx_user_date
                 WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
        )?;
        let mut found = stmt.query(params![user.to_hex(), date_text(from), date_text(to)])?;
        while let Some(r) = found.next()? {
            let date = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            // Which way the money went (a transfer's leg as the bank line it may have been).
            let kind = r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?;
            let expense = matches!(kind, "expense" | "transfer_out");
            if wanted.contains(&(day_number(date), r.get(1)?, expense)) {
                matches.push(r.get::<_, i64>(3)?);
            }
        }
    }
    let mut stmt = tx.prepare_cached(
        "SELECT date, amount, kind, description, bank_id IS NOT NULL FROM transactions
         WHERE rowid = ?1",
    )?;
    matches
        .into_iter()
        .map(|rowid| {
            let key = stmt.query_row([rowid], |r| {
                Ok(TransactionKey {
                    date: date_col(r, 0)?,
                    amount: r.get(1)?,
                    kind: entry_kind_col(r, 2)?.direction(),
                    description: r.get(3)?,
                    banked: r.get(4)?,
                })
            })?;
            Ok(key)
        })
        .collect()
}

/// Bank ids per look-up statement (well under SQLite's 32,766 variables).
const BANK_IDS_PER_QUERY: usize = 500;

/// The body of [`Imports::existing_bank_ids`]: point look-ups in the unique
/// index `tx_account_bank_id`, a few hundred ids per statement.
fn stored_bank_ids(
    conn: &Connection,
    user: Id,
    account: Id,
    ids: &[String],
) -> Result<Vec<String>> {
    let (uid, aid) = (user.to_hex(), account.to_hex());
    let mut found = Vec::new();
    for chunk in ids.chunks(BANK_IDS_PER_QUERY) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut stmt = conn.prepare(&format!(
            "SELECT bank_id FROM transactions INDEXED BY tx_account_bank_id
             WHERE user_id = ? AND account_id = ? AND bank_id IN ({marks})"
        ))?;
        let params = [&uid, &aid].into_iter().chain(chunk.iter());
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| r.get(0))?;
        for id in rows {
            found.push(id?);
        }
    }
    Ok(found)
}

/// `YYYY-MM-DD` as the number `YYYYMMDD` (no allocation; 0 for other text).
fn day_number(date: &str) -> u32 {
    date.bytes().filter(u8::is_ascii_digit).fold(0u32, |n, b| {
        n.wrapping_mul(10).wrapping_add(u32::from(b - b'0'))
    })
}

/// Record an idempotency key inside the caller's transaction.
pub(super) fn insert_key(conn: &Connection, user: Id, key: &IdempotencyRecord) -> Result<()> {
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, result, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            user.to_hex(),
            key.key,
            key.fingerprint,
            key.result,
            millis(key.created_at)
        ],
    )
    .map_err(|e| sql_error(e, crate::domain::IDEMPOTENCY_FIELD))?;
    Ok(())
}

/// `YYYY-MM-DD` without chrono's format parser (the bulk insert's hot loop).
fn fast_date_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

const INSERT_TX: &str = "INSERT INTO transactions
    (id, user_id, category_id, kind, amount, date, description, note, created_at, updated_at,
     search_text, account_id, transfer_id, bank_id)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// An import being written inside the caller's IMMEDIATE transaction
/// (`SqliteStore::write`), chunk by chunk: [`Bulk::start`], [`Bulk::add`]
/// per chunk, [`Bulk::finish`]. What it keeps between chunks is the category
/// ids it has checked and a count.
struct Bulk<'t, 'c> {
    tx: &'t rusqlite::Transaction<'c>,
    user: Id,
    uid: String,
    /// Category id -> hex: the new ones, then each distinct existing one, checked once.
    cats: HashMap<Id, String>,
    /// Account id -> hex: each distinct account, checked once.
    accounts: HashMap<Id, String>,
    done: u64,
}

impl<'t, 'c> Bulk<'t, 'c> {
    /// Record the key, insert the new categories and pause the daily-sum trigger.
    fn start(
        tx: &'t rusqlite::Transaction<'c>,
        user: Id,
        categories: &[Category],
        key: Option<&IdempotencyRecord>,
    ) -> Result<Self> {
        if let Some(key) = key {
            insert_key(tx, user, key)?;
        }
        let mut cats = HashMap::new();
        for c in categories {
            if c.user_id != user {
                return Err(Error::validation("user", "rows must belong to the user"));
            }
            insert_category(tx, c)?;
            cats.insert(c.id, c.id.to_hex());
        }
        // The report aggregates (migration 2): the insert trigger is paused for this
        // transaction and each chunk's sums are added once per day and key.
        tx.execute("INSERT INTO tx_agg_paused (one) VALUES (1)", [])?;
        Ok(Bulk {
            tx,
            user,
            uid: user.to_hex(),
            cats,
            accounts: HashMap::new(),
            done: 0,
        })
    }

    /// Insert one chunk of rows and add its sums; calls `report(done)` every
    /// [`PROGRESS_EVERY`] rows (the final report is the caller's, after the commit).
    fn add(&mut self, transactions: &[Transaction], report: &dyn Fn(u64)) -> Result<()> {
        let tx = self.tx;
        for t in transactions {
            if t.user_id != self.user {
                return Err(Error::validation("user", "rows must belong to the user"));
            }
            // A transfer's leg has no category (the table's CHECK ties the kinds to it).
            if let Some(category) = t.category_id
                && !self.cats.contains_key(&category)
            {
                let c = get_category(tx, self.user, category)?;
                self.cats.insert(c.id, c.id.to_hex());
            }
            if !self.accounts.contains_key(&t.account_id) {
                let a = get_account(tx, self.user, t.account_id)?;
                self.accounts.insert(a.id, a.id.to_hex());
            }
        }
        // Ordered maps: the upserts then walk the aggregate tables' keys in order.
        let mut daily: BTreeMap<(String, &'static str, &str), (i64, i64)> = BTreeMap::new();
        let mut by_desc: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        let mut by_account: BTreeMap<(&str, String), (i64, i64)> = BTreeMap::new();
        // Each account's totals (`tx_account_totals`): split halves and a count;
        // imported rows are uncleared.
        let mut totals: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
        let add = |slot: &mut (i64, i64), amount: i64| -> Result<()> {
            slot.0 = slot
                .0
                .checked_add(amount)
                .ok_or_else(|| money::day_total_too_large("file"))?;
            slot.1 += 1;
            Ok(())
        };
        let mut stmt = tx.prepare_cached(INSERT_TX)?;
        for t in transactions {
            let (cat, kind) = (t.category_id.map(|c| self.cats[&c].as_str()), t.kind);
            let account = &self.accounts[&t.account_id];
            let date = fast_date_text(t.date);
            let search_text = Transaction::search_text(&t.description, t.note.as_deref());
            // The report aggregates hold income and expense only, never a transfer's leg.
            if let Some(cat) = cat {
                let key = search_text
                    .split('\n')
                    .next()
                    .unwrap_or_default()
                    .to_string();
                add(
                    daily.entry((date.clone(), kind.as_str(), cat)).or_default(),
                    t.amount.minor(),
                )?;
                add(
                    by_desc.entry((date.clone(), key)).or_default(),
                    t.amount.minor(),
                )?;
            }
            let effect = rules::balance_effect(kind, t.amount.minor());
            add(
                by_account
                    .entry((account.as_str(), date.clone()))
                    .or_default(),
                effect,
            )?;
            let (high, low) = split(effect);
            let total = totals.entry(account.as_str()).or_default();
            // At most one chunk of rows: far inside i64 (see `sums::split`).
            *total = (total.0 + high, total.1 + low, total.2 + 1);
            stmt.execute(params![
                t.id.to_hex(),
                self.uid,
                cat,
                kind.as_str(),
                t.amount.minor(),
                date,
                t.description,
                t.note,
                millis(t.created_at),
                millis(t.updated_at),
                search_text,
                account,
                t.transfer_id.map(|id| id.to_hex()),
                t.bank_id,
            ])?;
            self.done += 1;
            if self.done.is_multiple_of(PROGRESS_EVERY as u64) {
                report(self.done);
            }
        }
        // Each upsert says whether the sum is still an integer: SQLite's `+`
        // turns into a floating-point number past i64 (see `sums`).
        let integer = |r: &rusqlite::Row<'_>| Ok(r.get::<_, String>(0)? == "integer");
        let mut stmt = tx.prepare_cached(
            "INSERT INTO tx_daily (user_id, date, kind, category_id, total, n)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (user_id, date, kind, category_id)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n
                 RETURNING typeof(total)",
        )?;
        for ((date, kind, cat), (sum, n)) in &daily {
            if !stmt.query_row(params![self.uid, date, kind, cat, sum, n], integer)? {
                return Err(money::day_total_too_large("file"));
            }
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO tx_desc_daily (user_id, date, k, total, n)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user_id, date, k)
                 DO UPDATE SET total = total + excluded.total, n = n + excluded.n
                 RETURNING typeof(total)",
        )?;
        for ((date, key), (sum, n)) in &by_desc {
            if !stmt.query_row(params![self.uid, date, key, sum, n], integer)? {
                return Err(money::day_total_too_large("file"));
            }
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO tx_account_daily (user_id, account_id, date, effect_sum, n)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user_id, account_id, date)
                 DO UPDATE SET effect_sum = effect_sum + excluded.effect_sum, n = n + excluded.n
                 RETURNING typeof(effect_sum)",
        )?;
        for ((account, date), (sum, n)) in &by_account {
            if !stmt.query_row(params![self.uid, account, date, sum, n], integer)? {
                return Err(money::day_total_too_large("file"));
            }
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO tx_account_totals (user_id, account_id, high, low, n, cleared_high, cleared_low)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, 0)
                 ON CONFLICT (user_id, account_id)
                 DO UPDATE SET high = high + excluded.high, low = low + excluded.low,
                               n = n + excluded.n",
        )?;
        for (account, (high, low, n)) in &totals {
            stmt.execute(params![self.uid, account, high, low, n])?;
        }
        Ok(())
    }

    /// Resume the trigger; the number of rows written.
    fn finish(self) -> Result<u64> {
        self.tx.execute("DELETE FROM tx_agg_paused", [])?;
        Ok(self.done)
    }
}

/// The bulk write of `transactions`, `chunk` rows at a time, inside `tx`
/// (what [`Imports::insert_transactions`] does with its feed; for the schema tests).
#[cfg(test)]
pub(super) fn insert_bulk(
    tx: &rusqlite::Transaction<'_>,
    user: Id,
    categories: &[Category],
    transactions: &[Transaction],
    chunk: usize,
) -> Result<u64> {
    let mut bulk = Bulk::start(tx, user, categories, None)?;
    for rows in transactions.chunks(chunk) {
        bulk.add(rows, &|_| {})?;
    }
    bulk.finish()
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::super::schema::migrate;
    use super::*;

    #[test]
    fn duplicate_candidates_walk_the_date_index_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, None).unwrap();
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT date, amount, kind, rowid FROM transactions
                 INDEXED BY tx_user_date WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
            )
            .unwrap()
            .query_map(params!["u", "2024-01-01", "2024-12-31"], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("COVERING INDEX tx_user_date")),
            "the candidate scan must not read table rows: {plan:?}"
        );
        assert_eq!(day_number("2024-03-09"), 20_240_309);
        assert!(day_number("2024-03-09") < day_number("2024-03-10"));
    }
}
