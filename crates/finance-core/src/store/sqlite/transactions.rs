//! [`Transactions`] on SQLite: single writes, reads, keyset pages and range sums.
//!
//! * A transaction's stored kind is its category's kind, looked up in the
//!   same write transaction (the category must be the user's, else `NotFound`);
//!   its account must be the user's too, checked in the same transaction.
//! * An add or edit that would push one of its day's sums past `i64` is
//!   refused (`Validation { field: "amount" }`, see `sums`); totals are exact
//!   128-bit sums made totals by [`money::total`].
//! * An add with an idempotency key records the key in the same transaction
//!   as the row (`imports::insert_key`): both are written or neither.
//! * Lists are keyset pages ordered by `(date|amount, id)`, always scoped by
//!   the user, served by `tx_user_date` / `tx_user_amount` without a sort
//!   (one account's rows by date: `tx_account_date`; tests below check the
//!   plans); sums read the daily sums in `tx_daily`.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

use super::SqliteStore;
use super::imports::insert_key;
use super::rows::{
    TX_COLS, date_text, from_millis, get_account, get_category, get_transaction, millis, tx_row,
};
use super::scope::{daily_sums, range_params};
use super::sums::{check_day_of, joined, split_sum};
use crate::domain::{
    Cursor, EntryKind, NewTransaction, Summary, Transaction, TransactionFilter, TransactionQuery,
    TransactionSort,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;
use crate::store::IdempotencyRecord;
use crate::store::prelude::*;

#[async_trait]
impl Transactions for SqliteStore {
    async fn insert_transaction(
        &self,
        t: &Transaction,
        key: Option<&IdempotencyRecord>,
    ) -> Result<Transaction> {
        let t = t.clone();
        let key = key.cloned();
        self.write(move |tx| {
            let Some(category) = t.category_id else {
                return Err(Error::internal(
                    "insert_transaction",
                    "a row without a category",
                ));
            };
            get_category(tx, t.user_id, category)?;
            get_account(tx, t.user_id, t.account_id)?;
            if let Some(key) = &key {
                insert_key(tx, t.user_id, key)?;
            }
            insert_row(tx, &t)
        })
        .await
    }

    async fn transaction(&self, user: Id, id: Id) -> Result<Transaction> {
        self.read(move |conn| get_transaction(conn, user, id)).await
    }

    async fn update_transaction(
        &self,
        user: Id,
        id: Id,
        change: &NewTransaction,
        account: Id,
        kind: EntryKind,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        let change = change.clone();
        self.write(move |tx| {
            if get_transaction(tx, user, id)?.kind.is_transfer() {
                return Err(crate::rules::edit_transfer_as_transfer());
            }
            get_category(tx, user, change.category_id)?;
            get_account(tx, user, account)?;
            let note = change.note.as_ref().map(|n| n.as_str().to_string());
            tx.execute(
                "UPDATE transactions SET category_id = ?1, kind = ?2, amount = ?3, date = ?4,
                   description = ?5, note = ?6, search_text = ?7, updated_at = ?8,
                   account_id = ?11
                 WHERE id = ?9 AND user_id = ?10",
                params![
                    change.category_id.to_hex(),
                    kind.as_str(),
                    change.amount.minor(),
                    date_text(change.date),
                    change.description.as_str(),
                    note,
                    Transaction::search_text(change.description.as_str(), note.as_deref()),
                    millis(now),
                    id.to_hex(),
                    user.to_hex(),
                    account.to_hex()
                ],
            )?;
            let updated = get_transaction(tx, user, id)?;
            check_day_of(tx, &updated, "amount")?;
            Ok(updated)
        })
        .await
    }

    async fn delete_transaction(&self, user: Id, id: Id) -> Result<()> {
        self.write(move |tx| {
            // A transfer's leg takes the other leg with it.
            let n = tx.execute(
                "DELETE FROM transactions WHERE user_id = ?2 AND (id = ?1 OR transfer_id =
                     (SELECT transfer_id FROM transactions WHERE id = ?1 AND user_id = ?2))",
                params![id.to_hex(), user.to_hex()],
            )?;
            if n == 0 {
                return Err(Error::NotFound {
                    what: "transaction",
                });
            }
            Ok(())
        })
        .await
    }

    async fn list_transactions(
        &self,
        user: Id,
        query: &TransactionQuery,
    ) -> Result<Vec<Transaction>> {
        let (text, params) = list_sql(user, query);
        self.read(move |conn| list_rows(conn, &text, params)).await
    }

    async fn list_transactions_named(
        &self,
        user: Id,
        query: &TransactionQuery,
    ) -> Result<(Vec<Transaction>, HashMap<Id, String>)> {
        let (text, params) = list_sql(user, query);
        let read = move |conn: &Connection| {
            let rows = list_rows(conn, &text, params)?;
            let mut names = HashMap::new();
            let mut stmt =
                conn.prepare_cached("SELECT name FROM categories WHERE user_id = ?1 AND id = ?2")?;
            let owner = user.to_hex();
            for id in rows.iter().filter_map(|t| t.category_id) {
                if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id)
                    && let Some(name) = stmt
                        .query_row(params![owner, id.to_hex()], |r| r.get::<_, String>(0))
                        .optional()?
                {
                    slot.insert(name);
                }
            }
            Ok((rows, names))
        };
        if reads_about_a_page(query) {
            self.lookup(read).await
        } else {
            self.read(read).await
        }
    }

    async fn summary(
        &self,
        user: Id,
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Summary> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {}, {}, COALESCE(SUM(n), 0)
                     FROM {} WHERE user_id = ?1 AND date >= ?2 AND date <= ?3",
                split_sum("CASE WHEN kind = 'income' THEN total ELSE 0 END"),
                split_sum("CASE WHEN kind = 'expense' THEN total ELSE 0 END"),
                daily_sums(account, "?4"),
            ))?;
            let (income, expense, count) = stmt.query_row(
                rusqlite::params_from_iter(range_params(user, account, from, to, &[])),
                |r| Ok((joined(r, 0)?, joined(r, 2)?, r.get::<_, i64>(4)? as u64)),
            )?;
            Ok(Summary {
                income: money::total(income)?,
                expense: money::total(expense)?,
                count,
            })
        })
        .await
    }
}

/// Insert one row as given (the caller checked its category and account
/// inside the same write) and check its day's sums; returns what a read
/// would return (millisecond instants).
pub(super) fn insert_row(tx: &rusqlite::Transaction<'_>, t: &Transaction) -> Result<Transaction> {
    tx.prepare_cached(&format!(
        "INSERT INTO transactions ({TX_COLS}, search_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))?
    .execute(params![
        t.id.to_hex(),
        t.user_id.to_hex(),
        t.category_id.map(|c| c.to_hex()),
        t.kind.as_str(),
        t.amount.minor(),
        date_text(t.date),
        t.description,
        t.note,
        millis(t.created_at),
        millis(t.updated_at),
        t.account_id.to_hex(),
        t.status.as_str(),
        t.transfer_id.map(|c| c.to_hex()),
        t.bank_id,
        Transaction::search_text(&t.description, t.note.as_deref()),
    ])?;
    check_day_of(tx, t, "amount")?;
    let mut t = t.clone();
    t.created_at = from_millis(millis(t.created_at));
    t.updated_at = from_millis(millis(t.updated_at));
    Ok(t)
}

/// The rows of a list query from [`list_sql`].
fn list_rows(conn: &Connection, text: &str, params: Vec<Value>) -> Result<Vec<Transaction>> {
    let mut stmt = conn.prepare_cached(text)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), tx_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The largest page [`reads_about_a_page`] lets run as a `lookup`.
const LOOKUP_PAGE_ROWS: u32 = 100;

/// Whether a page's read is bounded by its size, like a lookup by key: an
/// index (`tx_user_date`, `tx_user_amount`, `tx_account_date`) gives the rows
/// in the page's order from where it starts, so SQLite reads `limit + 1`
/// entries and stops, however many rows the user has. A filter on category,
/// kind, text or amount is checked row by row and may walk the whole
/// history before it finds a page (a rare category over 1M rows), so such a
/// page stays on the blocking pool; so do a date range or an account with
/// the amount order, and pages past [`LOOKUP_PAGE_ROWS`].
fn reads_about_a_page(q: &TransactionQuery) -> bool {
    let f = &q.filter;
    let row_checks = !f.categories.is_empty()
        || f.kind.is_some()
        || f.text.is_some()
        || f.min_amount.is_some()
        || f.max_amount.is_some();
    let in_index_order =
        q.sort.by_date() || (f.from.is_none() && f.to.is_none() && f.account.is_none());
    !row_checks && in_index_order && q.limit <= LOOKUP_PAGE_ROWS
}

/// Build the WHERE clause and parameters of a list query (always scoped by user).
fn list_sql(user: Id, q: &TransactionQuery) -> (String, Vec<Value>) {
    let (clause, mut params) = filter_sql(user, &q.filter);
    let mut sql = format!("SELECT {TX_COLS} FROM transactions WHERE {clause}");
    let (col, dir, cmp) = match q.sort {
        TransactionSort::DateDesc => ("date", "DESC", "<"),
        TransactionSort::DateAsc => ("date", "ASC", ">"),
        TransactionSort::AmountDesc => ("amount", "DESC", "<"),
        TransactionSort::AmountAsc => ("amount", "ASC", ">"),
    };
    match q.after {
        Some(Cursor::Date { date, id }) => {
            sql.push_str(&format!(" AND (date, id) {cmp} (?, ?)"));
            params.push(Value::Text(date_text(date)));
            params.push(Value::Text(id.to_hex()));
        }
        Some(Cursor::Amount { amount, id }) => {
            sql.push_str(&format!(" AND (amount, id) {cmp} (?, ?)"));
            params.push(Value::Integer(amount));
            params.push(Value::Text(id.to_hex()));
        }
        None => {}
    }
    sql.push_str(&format!(" ORDER BY {col} {dir}, id {dir} LIMIT ?"));
    params.push(Value::Integer(i64::from(q.limit) + 1));
    (sql, params)
}

/// The condition (anonymous `?` parameters, with their values) of the
/// user's rows that `f` lets through: a list page's, a bulk action's and
/// the filter totals' (always scoped by user).
pub(super) fn filter_sql(user: Id, f: &TransactionFilter) -> (String, Vec<Value>) {
    let mut sql = String::from("user_id = ?");
    let mut params: Vec<Value> = vec![Value::Text(user.to_hex())];
    if let Some(account) = f.account {
        sql.push_str(" AND account_id = ?");
        params.push(Value::Text(account.to_hex()));
    }
    if let Some(from) = f.from {
        sql.push_str(" AND date >= ?");
        params.push(Value::Text(date_text(from)));
    }
    if let Some(to) = f.to {
        sql.push_str(" AND date <= ?");
        params.push(Value::Text(date_text(to)));
    }
    if !f.categories.is_empty() {
        sql.push_str(" AND category_id IN (");
        for (i, c) in f.categories.iter().enumerate() {
            sql.push_str(if i == 0 { "?" } else { ", ?" });
            params.push(Value::Text(c.to_hex()));
        }
        sql.push(')');
    }
    if let Some(kind) = f.kind {
        sql.push_str(" AND kind = ?");
        params.push(Value::Text(kind.as_str().into()));
    }
    if let Some(text) = &f.text {
        sql.push_str(" AND instr(search_text, ?) > 0");
        params.push(Value::Text(text.clone()));
    }
    if let Some(min) = f.min_amount {
        sql.push_str(" AND amount >= ?");
        params.push(Value::Integer(min.minor()));
    }
    if let Some(max) = f.max_amount {
        sql.push_str(" AND amount <= ?");
        params.push(Value::Integer(max.minor()));
    }
    (sql, params)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::conn::open_connection;
    use super::*;

    /// The lines of `EXPLAIN QUERY PLAN` for a list query.
    fn query_plan(conn: &Connection, text: &str, params: Vec<Value>) -> Vec<String> {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {text}"))
            .unwrap()
            .query_map(rusqlite::params_from_iter(params), |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn list_queries_use_the_indexes() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let user = Id::generate();
        let q = TransactionQuery::first_page(Default::default());
        let (text, params) = list_sql(user, &q);
        let plan = query_plan(&conn, &text, params).join("\n");
        assert!(plan.contains("tx_user_date"), "{plan}");
        assert!(
            !plan.contains("TEMP B-TREE"),
            "the index must give the order: {plan}"
        );
    }

    /// A register (one account, by date, either direction, from a cursor)
    /// walks `tx_account_date` in order: only the account's rows are read.
    #[test]
    fn register_pages_walk_the_account_index() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let filter = crate::domain::TransactionFilter::default().with_account(Some(Id::generate()));
        for sort in [TransactionSort::DateAsc, TransactionSort::DateDesc] {
            let q = TransactionQuery {
                filter: filter.clone(),
                sort,
                limit: 50,
                after: Some(Cursor::Date {
                    date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                    id: Id::generate(),
                }),
            };
            let (text, params) = list_sql(Id::generate(), &q);
            let plan = query_plan(&conn, &text, params).join("\n");
            assert!(plan.contains("tx_account_date"), "{sort:?}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{sort:?}: {plan}");
        }
    }

    /// Every page `reads_about_a_page` lets run as a lookup walks one index
    /// in the page's order (no sort step, no scan), so SQLite stops after
    /// `limit + 1` rows: checked over every shape of filter, order and
    /// cursor, with a guard that both answers occur.
    #[test]
    fn pages_read_as_lookups_walk_an_index_in_order() {
        use crate::domain::{CategoryKind, TransactionFilter};
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let amount = crate::money::Amount::from_minor("amount", 100).unwrap();
        let filters = [
            TransactionFilter::default(),
            TransactionFilter::default().with_account(Some(Id::generate())),
            TransactionFilter {
                from: Some(day),
                to: Some(day),
                ..Default::default()
            },
            TransactionFilter {
                from: Some(day),
                ..Default::default()
            }
            .with_account(Some(Id::generate())),
            TransactionFilter {
                categories: vec![Id::generate()],
                ..Default::default()
            },
            TransactionFilter {
                kind: Some(CategoryKind::Income),
                ..Default::default()
            },
            TransactionFilter {
                text: Some("rent".into()),
                ..Default::default()
            },
            TransactionFilter {
                min_amount: Some(amount),
                ..Default::default()
            },
        ];
        let (mut lookups, mut reads) = (0, 0);
        for filter in &filters {
            for sort in [
                TransactionSort::DateDesc,
                TransactionSort::DateAsc,
                TransactionSort::AmountDesc,
                TransactionSort::AmountAsc,
            ] {
                let id = Id::generate();
                let cursors = [
                    None,
                    Some(if sort.by_date() {
                        Cursor::Date { date: day, id }
                    } else {
                        Cursor::Amount { amount: 100, id }
                    }),
                ];
                for after in cursors {
                    for limit in [1, 50, LOOKUP_PAGE_ROWS, LOOKUP_PAGE_ROWS + 1] {
                        let q = TransactionQuery {
                            filter: filter.clone(),
                            sort,
                            limit,
                            after,
                        };
                        if !reads_about_a_page(&q) {
                            reads += 1;
                            continue;
                        }
                        lookups += 1;
                        let (text, params) = list_sql(Id::generate(), &q);
                        let plan = query_plan(&conn, &text, params);
                        assert!(
                            plan.len() == 1
                                && plan[0].starts_with("SEARCH transactions USING INDEX"),
                            "{q:?} is read as a lookup, so it must be one index search: {plan:?}"
                        );
                    }
                }
            }
        }
        assert!(
            lookups >= 20 && reads >= 20,
            "both kinds of page must be checked ({lookups} lookups, {reads} reads)"
        );
    }
}
