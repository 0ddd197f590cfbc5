//! [`BulkEdits`] on SQLite: a filter's totals in one aggregate query, and
//! bulk actions each in one `IMMEDIATE` write transaction.
//!
//! * A selection is an SQL condition ([`selection_sql`]): explicit ids as
//!   one JSON array parameter (`json_each`, primary-key look-ups), or the
//!   list's filter condition (`transactions::filter_sql`). Every statement
//!   applies it inside the write; rows are never read into Rust, except
//!   those a delete returns for its undo (`RETURNING`, bounded by the rules).
//! * Each action first counts the selection ([`census`]), lets the
//!   operation's check judge it, then runs ONE `UPDATE` or `DELETE`; the
//!   triggers of migrations 2 and 5 keep `tx_daily`, `tx_desc_daily`,
//!   `tx_account_daily` and `tx_account_totals` equal to the rows (they
//!   fire on `UPDATE OF category_id`, `account_id` and `status`, and on
//!   `DELETE`), and the sums a move adds to are checked to stay integers (`sums`).
//! * A restore inserts the rows exactly as they were through the one row
//!   insert (`transactions::insert_row`), with the idempotency record.

use std::collections::HashSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::SqliteStore;
use super::imports::insert_key;
use super::rows::{TX_COLS, get_account, get_category, millis, tx_row};
use super::sums::{check_account, check_category, joined, split_sum};
use super::transactions::{filter_sql, insert_row};
use crate::domain::{
    BulkChange, FilterTotals, Selection, SelectionCensus, Transaction, TransactionFilter,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{BulkEdits, CensusCheck, IdempotencyRecord};

/// `ids` as a JSON array of hex strings (one parameter for `json_each`).
fn id_array(ids: impl Iterator<Item = Id>) -> String {
    let quoted: Vec<String> = ids.map(|id| format!("\"{id}\"")).collect();
    format!("[{}]", quoted.join(","))
}

/// The condition of the user's selected rows (anonymous `?` parameters,
/// with their values) and how many ids were asked for (0 for a filter).
pub(super) fn selection_sql(user: Id, selection: &Selection) -> (String, Vec<Value>, u64) {
    match selection {
        Selection::Ids(ids) => (
            // `+user_id`: the user is checked on each looked-up row, never
            // walked (an index on it would read every row of the user).
            "+user_id = ? AND id IN (SELECT value FROM json_each(?))".to_string(),
            vec![
                Value::Text(user.to_hex()),
                Value::Text(id_array(ids.iter().copied())),
            ],
            ids.len() as u64,
        ),
        Selection::Filter(f) => {
            let (sql, params) = filter_sql(user, f);
            (sql, params, 0)
        }
    }
}

/// Count the rows `clause` selects, by kind and status.
fn census(conn: &Connection, clause: &str, params: &[Value]) -> Result<SelectionCensus> {
    let sql = format!(
        "SELECT COUNT(*), COALESCE(SUM(kind = 'income'), 0), COALESCE(SUM(kind = 'expense'), 0),
                COALESCE(SUM(transfer_id IS NOT NULL), 0), COALESCE(SUM(status = 'reconciled'), 0)
         FROM transactions WHERE {clause}"
    );
    let census = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v as u64);
            Ok(SelectionCensus {
                asked: 0,
                selected: n(0)?,
                rows: n(0)?,
                income: n(1)?,
                expense: n(2)?,
                transfer_legs: n(3)?,
                reconciled: n(4)?,
            })
        })?;
    Ok(census)
}

#[async_trait]
impl BulkEdits for SqliteStore {
    async fn filter_totals(&self, user: Id, filter: &TransactionFilter) -> Result<FilterTotals> {
        let (clause, params) = filter_sql(user, filter);
        self.read(move |conn| {
            let sql = format!(
                "SELECT {}, {}, COUNT(*) FROM transactions WHERE {clause}",
                split_sum("CASE WHEN kind = 'income' THEN amount ELSE 0 END"),
                split_sum("CASE WHEN kind = 'expense' THEN amount ELSE 0 END"),
            );
            let (income, expense, count) = conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(params.iter()), |r| {
                    Ok((joined(r, 0)?, joined(r, 2)?, r.get::<_, i64>(4)? as u64))
                })?;
            FilterTotals::from_sums(income, expense, count)
        })
        .await
    }

    async fn bulk_update(
        &self,
        user: Id,
        selection: &Selection,
        change: BulkChange,
        check: CensusCheck,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let (clause, params, asked) = selection_sql(user, selection);
        self.write(move |tx| {
            match change {
                BulkChange::Category(c) => {
                    get_category(tx, user, c)?;
                }
                BulkChange::Account(a) => {
                    get_account(tx, user, a)?;
                }
                BulkChange::Cleared => {}
            }
            let counted = census(tx, &clause, &params)?;
            check(&SelectionCensus { asked, ..counted })?;
            let (set, mut values, only) = match change {
                BulkChange::Category(c) => (
                    "category_id = ?, updated_at = ?",
                    vec![Value::Text(c.to_hex()), Value::Integer(millis(now))],
                    "",
                ),
                BulkChange::Account(a) => (
                    "account_id = ?, updated_at = ?",
                    vec![Value::Text(a.to_hex()), Value::Integer(millis(now))],
                    "",
                ),
                BulkChange::Cleared => ("status = 'cleared'", vec![], " AND status = 'uncleared'"),
            };
            values.extend(params);
            let changed = tx
                .prepare_cached(&format!(
                    "UPDATE transactions SET {set} WHERE ({clause}){only}"
                ))?
                .execute(params_from_iter(values.iter()))? as u64;
            // The sums the rows moved into may not pass i64 (see `sums`).
            match change {
                BulkChange::Category(c) => check_category(tx, user, c, "categoryId")?,
                BulkChange::Account(a) => check_account(tx, user, a, "accountId")?,
                BulkChange::Cleared => {}
            }
            Ok(changed)
        })
        .await
    }

    async fn bulk_delete(
        &self,
        user: Id,
        selection: &Selection,
        check: CensusCheck,
    ) -> Result<Vec<Transaction>> {
        let (selected, params, asked) = selection_sql(user, selection);
        // The selection, and both legs of every transfer it has a leg of.
        let taken = format!(
            "({selected}) OR (user_id = ? AND transfer_id IN
                 (SELECT transfer_id FROM transactions WHERE ({selected}) AND transfer_id IS NOT NULL))"
        );
        let mut taken_params = params.clone();
        taken_params.push(Value::Text(user.to_hex()));
        taken_params.extend(params.iter().cloned());
        self.write(move |tx| {
            let found = census(tx, &selected, &params)?.rows;
            let counted = census(tx, &taken, &taken_params)?;
            check(&SelectionCensus {
                asked,
                selected: found,
                ..counted
            })?;
            let rows = tx
                .prepare(&format!(
                    "DELETE FROM transactions WHERE {taken} RETURNING {TX_COLS}"
                ))?
                .query_map(params_from_iter(taken_params.iter()), tx_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn restore_transactions(
        &self,
        user: Id,
        rows: &[Transaction],
        key: Option<&IdempotencyRecord>,
    ) -> Result<u64> {
        if rows.iter().any(|t| t.user_id != user) {
            return Err(Error::NotFound {
                what: "transaction",
            });
        }
        let rows = rows.to_vec();
        let key = key.cloned();
        self.write(move |tx| {
            if let Some(key) = &key {
                insert_key(tx, user, key)?;
            }
            let categories: HashSet<Id> = rows.iter().filter_map(|t| t.category_id).collect();
            for c in categories {
                get_category(tx, user, c)?;
            }
            let accounts: HashSet<Id> = rows.iter().map(|t| t.account_id).collect();
            for a in accounts {
                get_account(tx, user, a)?;
            }
            let present: i64 = tx.query_row(
                "SELECT COUNT(*) FROM transactions WHERE id IN (SELECT value FROM json_each(?1))",
                [id_array(rows.iter().map(|t| t.id))],
                |r| r.get(0),
            )?;
            if present > 0 {
                return Err(Error::conflict(
                    "ids",
                    "these transactions are back already (the undo was done)",
                ));
            }
            for t in &rows {
                insert_row(tx, t)?;
            }
            Ok(rows.len() as u64)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::conn::open_connection;
    use super::*;

    fn plan(conn: &Connection, sql: &str, params: &[Value]) -> String {
        conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map(params_from_iter(params.iter()), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap()
            .join("\n")
    }

    /// Explicit ids are primary-key look-ups, never a walk of the user's rows.
    #[test]
    fn explicit_selections_look_rows_up_by_id() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let selection = Selection::Ids(vec![Id::generate(), Id::generate()]);
        let (clause, params, asked) = selection_sql(Id::generate(), &selection);
        assert_eq!(asked, 2);
        let p = plan(
            &conn,
            &format!("UPDATE transactions SET status = 'cleared' WHERE {clause}"),
            &params,
        );
        assert!(p.contains("(id=?)"), "a look-up per id: {p}");
        assert!(
            !p.contains("SCAN transactions") && !p.contains("(user_id=?)"),
            "never a walk of the table or of the user's rows: {p}"
        );
    }
}
