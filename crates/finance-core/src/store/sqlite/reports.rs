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
//! * With an account (`scope.rs`) the same queries read that account's rows
//!   over `tx_account_date` instead of the per-day sums; the largest
//!   expenses sort the account's expenses in the range.
//! * Every query is scoped by the user and the date range.

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::SqliteStore;
use super::rows::{TX_COLS, bad_column, id_col, tx_row};
use super::scope::{DESCRIPTION_KEY, daily_sums, description_sums, range_params};
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
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategorySpending>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT d.category_id, c.name, SUM(d.n), {}
                     FROM {} d JOIN categories c ON c.id = d.category_id
                     WHERE d.user_id = ?1 AND d.date >= ?2 AND d.date <= ?3
                       AND d.kind = 'expense'
                     GROUP BY d.category_id",
                split_sum("d.total"),
                daily_sums(account, "?4"),
            ))?;
            let rows = stmt
                .query_map(
                    params_from_iter(range_params(user, account, from, to, &[])),
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
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthTotals>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT substr(date, 1, 7) AS month, SUM(n), {}, {}
                     FROM {} WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
                     GROUP BY month ORDER BY month",
                split_sum("CASE WHEN kind = 'income' THEN total ELSE 0 END"),
                split_sum("CASE WHEN kind = 'expense' THEN total ELSE 0 END"),
                daily_sums(account, "?4"),
            ))?;
            let rows = stmt
                .query_map(
                    params_from_iter(range_params(user, account, from, to, &[])),
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
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>> {
        self.read(move |conn| {
            let text = match account {
                // Walk the expenses by amount (the order wanted) checking the date
                // in the index, and stop after `limit`: the planner would rather read
                // the whole range by date and sort it (a full read of every row in
                // the range; ~1 s for 200k rows).
                None => format!(
                    "SELECT {TX_COLS} FROM transactions INDEXED BY tx_user_expense_amount
                         WHERE user_id = ?1 AND date >= ?2 AND date <= ?3 AND kind = 'expense'
                           AND amount > 0
                         ORDER BY amount DESC, id DESC LIMIT ?4"
                ),
                // One account: its rows in the range, sorted. Walking the user's
                // expenses by amount would read every other account's too before
                // `limit` of this one's (all of them, for an account with few).
                Some(_) => format!(
                    "SELECT {TX_COLS} FROM transactions INDEXED BY tx_account_date
                         WHERE account_id = ?5 AND user_id = ?1 AND date >= ?2 AND date <= ?3
                           AND kind = 'expense' AND amount > 0
                         ORDER BY amount DESC, id DESC LIMIT ?4"
                ),
            };
            let params = range_params(user, account, from, to, &[i64::from(limit).into()]);
            let mut stmt = conn.prepare_cached(&text)?;
            let rows = stmt
                .query_map(params_from_iter(params), tx_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn frequent_descriptions(
        &self,
        user: Id,
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<DescriptionFrequency>> {
        self.read(move |conn| {
            // Counts and totals per description key come from the daily sums
            // (`tx_desc_daily`, or the account's rows; the key is search_text's
            // first line, the lower-cased description). The spelling shown is
            // the group's latest income or expense row (by date, then id): on
            // the group's last date in the range, the highest id with that
            // key, read through `tx_user_date`.
            let uid = user.to_hex();
            // The totals are exact sums of two halves (`sums`); ordered by the
            // halves with the low one's carry moved into the high one, which
            // orders them as the whole sums.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT k, MAX(date), SUM(n) AS cnt,
                        SUM(total >> 32) AS hi, SUM(total & 4294967295) AS lo
                     FROM {} WHERE user_id = ?1 AND date >= ?2 AND date <= ?3
                     GROUP BY k
                     ORDER BY cnt DESC, hi + (lo >> 32) DESC, lo & 4294967295 DESC, k ASC
                     LIMIT ?4",
                description_sums(account, "?5"),
            ))?;
            let params = range_params(user, account, from, to, &[i64::from(limit).into()]);
            let groups = stmt
                .query_map(params_from_iter(params), |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)? as u64,
                        joined(r, 3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let in_account = if account.is_some() {
                "AND account_id = ?4"
            } else {
                ""
            };
            let mut latest = conn.prepare_cached(&format!(
                "SELECT description FROM transactions
                     WHERE user_id = ?1 AND date = ?2 AND {DESCRIPTION_KEY} = ?3
                       AND kind IN ('income', 'expense') {in_account}
                     ORDER BY id DESC LIMIT 1",
            ))?;
            groups
                .into_iter()
                .map(|(k, date, count, total)| {
                    let mut p: Vec<Value> = vec![uid.clone().into(), date.into(), k.into()];
                    p.extend(account.map(|a| Value::Text(a.to_hex())));
                    let description: String =
                        latest.query_row(params_from_iter(p), |r| r.get(0))?;
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
