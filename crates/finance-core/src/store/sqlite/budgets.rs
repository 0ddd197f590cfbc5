//! [`Budgets`] on SQLite: spending limits per expense category and period.
//!
//! * One budget per (user, category, period): a duplicate is
//!   `Conflict { field: "period" }`.
//! * A budget's category must be the user's expense category, checked in the
//!   same transaction as the insert or update.
//! * Spending per category is read from the daily sums (`tx_daily`, see
//!   `schema.rs`), one grouped pass over the range.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::{params, params_from_iter};

use super::SqliteStore;
use super::errors::sql_error;
use super::rows::{BUDGET_COLS, budget_row, get_budget, get_category, id_col, millis};
use super::scope::{daily_sums, range_params};
use super::sums::{joined, split_sum};
use crate::domain::{Budget, NewBudget};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;
use crate::store::prelude::*;

#[async_trait]
impl Budgets for SqliteStore {
    async fn insert_budget(&self, b: &Budget) -> Result<()> {
        let b = b.clone();
        self.write(move |tx| {
            get_category(tx, b.user_id, b.category_id)?;
            tx.execute(
                &format!("INSERT INTO budgets ({BUDGET_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                params![
                    b.id.to_hex(),
                    b.user_id.to_hex(),
                    b.category_id.to_hex(),
                    b.limit.minor(),
                    b.period.as_str(),
                    millis(b.created_at)
                ],
            )
            .map_err(|e| sql_error(e, "period"))?;
            Ok(())
        })
        .await
    }

    async fn budgets(&self, user: Id) -> Result<Vec<Budget>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {BUDGET_COLS} FROM budgets WHERE user_id = ?1 ORDER BY created_at, id"
            ))?;
            let rows = stmt
                .query_map([user.to_hex()], budget_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn budget(&self, user: Id, id: Id) -> Result<Budget> {
        self.read(move |conn| get_budget(conn, user, id)).await
    }

    async fn update_budget(&self, user: Id, id: Id, change: &NewBudget) -> Result<Budget> {
        let change = change.clone();
        self.write(move |tx| {
            get_budget(tx, user, id)?;
            get_category(tx, user, change.category_id)?;
            tx.execute(
                "UPDATE budgets SET category_id = ?1, limit_minor = ?2, period = ?3
                 WHERE id = ?4 AND user_id = ?5",
                params![
                    change.category_id.to_hex(),
                    change.limit.minor(),
                    change.period.as_str(),
                    id.to_hex(),
                    user.to_hex()
                ],
            )
            .map_err(|e| sql_error(e, "period"))?;
            get_budget(tx, user, id)
        })
        .await
    }

    async fn delete_budget(&self, user: Id, id: Id) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute(
                "DELETE FROM budgets WHERE id = ?1 AND user_id = ?2",
                params![id.to_hex(), user.to_hex()],
            )?;
            if n == 0 {
                return Err(Error::NotFound { what: "budget" });
            }
            Ok(())
        })
        .await
    }

    async fn expense_by_category(
        &self,
        user: Id,
        account: Option<Id>,
        categories: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<Id, i64>> {
        let categories = categories.to_vec();
        self.read(move |conn| {
            // One pass over the range's daily sums (or the account's rows,
            // `scope.rs`), grouped; categories without expense in the range get 0.
            let mut out: HashMap<Id, i64> = categories.iter().map(|c| (*c, 0)).collect();
            if out.is_empty() {
                return Ok(out);
            }
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT category_id, {} FROM {}
                     WHERE user_id = ?1 AND date >= ?2 AND date <= ?3 AND kind = 'expense'
                     GROUP BY category_id",
                split_sum("total"),
                daily_sums(account, "?4"),
            ))?;
            let rows = stmt.query_map(
                params_from_iter(range_params(user, account, from, to, &[])),
                |r| Ok((id_col(r, 0)?, joined(r, 1)?)),
            )?;
            for row in rows {
                let (c, spent) = row?;
                if let Some(slot) = out.get_mut(&c) {
                    *slot = money::total(spent)?;
                }
            }
            Ok(out)
        })
        .await
    }
}
