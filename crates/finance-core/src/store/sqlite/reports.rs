//! [`Reports`] on SQLite: the report's groupings, computed by the database.
//!
//! * Spending by category, monthly totals and frequent descriptions read the
//!   per-day sums (`tx_daily`, `tx_desc_daily`; see `schema.rs`), a few rows per
//!   day instead of every transaction in the range; never rows into memory.
//!   Their totals are exact 128-bit sums (`sums`) made totals by
//!   [`money::total`] (a `Validation` error past `i64`).
//! * The largest expenses walk the partial index `tx_user_expense_amount` by
//!   amount and stop after `limit` (a test below checks the plan uses it
//!   without a sort).
//! * Every query is scoped by the user and the date range.

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::params;

use super::SqliteStore;
use super::rows::{TX_COLS, bad_column, date_text, id_col, tx_row};
use super::sums::{joined, split_sum};
use crate::domain::report::month_from_key;
use crate::domain::{CategorySpending, DescriptionFrequency, MonthTotals, Transaction};
use crate::error::Result;
use crate::id::Id;
use crate::money;
use crate::store::prelude::*;

#[async_trait]
impl Reports for SqliteStore {
    async fn spending_by_category(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategorySpending>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT d.category_id, c.name, SUM(d.n), {}
                     FROM tx_daily d JOIN categories c ON c.id = d.category_id
                     WHERE d.user_id = ?1 AND d.date >= ?2 AND d.date <= ?3
                       AND d.kind = 'expense'
                     GROUP BY d.category_id",
                split_sum("d.total")
            ))?;
            let rows = stmt
                .query_map(
                    params![user.to_hex(), date_text(from), date_text(to)],
                    |r| {
                        Ok((
                            id_col(r, 0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)? as u64,
                            joined(r, 3)?,
                        ))
                    },
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(category_id, name, count, amount)| {
                    Ok(CategorySpending {
                        category_id,
                        name,
                        amount: money::total(amount)?,
                        count,
                    })
                })
                .collect()
        })
        .await
    }

    async fn monthly_totals(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthTotals>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT substr(date, 1, 7) AS month, SUM(n), {}, {}
                     FROM tx_daily WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
                     GROUP BY month ORDER BY month",
                split_sum("CASE WHEN kind = 'income' THEN total ELSE 0 END"),
                split_sum("CASE WHEN kind = 'expense' THEN total ELSE 0 END"),
            ))?;
            let rows = stmt
                .query_map(
                    params![user.to_hex(), date_text(from), date_text(to)],
                    |r| {
                        let key: String = r.get(0)?;
                        Ok((
                            month_from_key(&key).ok_or_else(|| bad_column(0, "month"))?,
                            r.get::<_, i64>(1)? as u64,
                            joined(r, 2)?,
                            joined(r, 4)?,
                        ))
                    },
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(month, count, income, expense)| {
                    Ok(MonthTotals {
                        month,
                        income: money::total(income)?,
                        expense: money::total(expense)?,
                        count,
                    })
                })
                .collect()
        })
        .await
    }

    async fn largest_expenses(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                // Walk the expenses by amount (the order wanted) checking the date
                // in the index, and stop after `limit`: the planner would rather read
                // the whole range by date and sort it (a full read of every row in
                // the range; ~1 s for 200k rows).
                "SELECT {TX_COLS} FROM transactions INDEXED BY tx_user_expense_amount
                     WHERE user_id = ?1 AND date >= ?2 AND date <= ?3 AND kind = 'expense'
                       AND amount > 0
                     ORDER BY amount DESC, id DESC LIMIT ?4"
            ))?;
            let rows = stmt
                .query_map(
                    params![
                        user.to_hex(),
                        date_text(from),
                        date_text(to),
                        i64::from(limit)
                    ],
                    tx_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn frequent_descriptions(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<DescriptionFrequency>> {
        self.read(move |conn| {
            // Counts and totals per description key come from the daily sums
            // (`tx_desc_daily`; the key is search_text's first line, the
            // lower-cased description). The spelling shown is the group's latest
            // transaction (by date, then id): on the group's last date in the
            // range, the highest id with that key, read through `tx_user_date`.
            let (uid, from, to) = (user.to_hex(), date_text(from), date_text(to));
            // The totals are exact sums of two halves (`sums`); ordered by the
            // halves with the low one's carry moved into the high one, which
            // orders them as the whole sums.
            let mut stmt = conn.prepare_cached(
                "SELECT k, MAX(date), SUM(n) AS cnt,
                        SUM(total >> 32) AS hi, SUM(total & 4294967295) AS lo
                     FROM tx_desc_daily WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
                     GROUP BY k
                     ORDER BY cnt DESC, hi + (lo >> 32) DESC, lo & 4294967295 DESC, k ASC
                     LIMIT ?4",
            )?;
            let groups = stmt
                .query_map(params![uid, from, to, i64::from(limit)], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)? as u64,
                        joined(r, 3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut latest = conn.prepare_cached(
                "SELECT description FROM transactions
                     WHERE user_id = ?1 AND date = ?2
                       AND substr(search_text, 1, instr(search_text || char(10), char(10)) - 1) = ?3
                     ORDER BY id DESC LIMIT 1",
            )?;
            groups
                .into_iter()
                .map(|(k, date, count, total)| {
                    let description: String =
                        latest.query_row(params![uid, date, k], |r| r.get(0))?;
                    Ok(DescriptionFrequency {
                        description,
                        count,
                        total: money::total(total)?,
                    })
                })
                .collect()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::conn::open_connection;
    use super::*;

    #[test]
    fn report_queries_use_the_aggregates_and_indexes() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let plan = |q: &str| -> String {
            conn.prepare(&format!("EXPLAIN QUERY PLAN {q}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("\n")
        };
        let largest = plan(&format!(
            "SELECT {TX_COLS} FROM transactions INDEXED BY tx_user_expense_amount
             WHERE user_id = 'u' AND date >= '2026-01-01' AND date <= '2026-12-31' AND kind = 'expense'
             ORDER BY amount DESC, id DESC LIMIT 10"
        ));
        assert!(largest.contains("tx_user_expense_amount"), "{largest}");
        assert!(!largest.contains("TEMP B-TREE"), "{largest}");
    }
}
