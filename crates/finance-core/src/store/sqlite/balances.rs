//! [`Balances`] on SQLite: balances over time from the per-account daily
//! sums `tx_account_daily` (migration 5, kept by triggers and the bulk
//! import), which already carry the sign of [`crate::rules::balance_effect`].
//!
//! * A register's base reads the account's days before the row's day (the
//!   primary key `(user_id, account_id, date)`: at most one row per day with
//!   transactions) and the rows of that day before it (`tx_account_date
//!   (account_id, date, id)`), in one read transaction, so both see the same
//!   data.
//! * A month series reads the user's daily sums up to its last day once,
//!   grouped by account and month (everything before the first month in one
//!   group per account): at most accounts × (months + 1) result rows.
//! * Sums are exact ([`split_sum`] / [`joined`], 128 bits).

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::params;

use super::SqliteStore;
use super::rows::{TX_COLS, date_text, id_col, tx_row};
use super::sums::{joined, split_sum};
use crate::domain::report::month_from_key;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::prelude::*;
use crate::store::{MonthEffect, RegisterBase};

#[async_trait]
impl Balances for SqliteStore {
    async fn register_base(
        &self,
        user: Id,
        account: Id,
        date: NaiveDate,
        below: Option<Id>,
    ) -> Result<RegisterBase> {
        self.read(move |conn| {
            // One snapshot: every read runs in its own (see `readers`).
            let snapshot = conn;
            let (uid, aid, day) = (user.to_hex(), account.to_hex(), date_text(date));
            let effect_before = snapshot
                .prepare_cached(&format!(
                    "SELECT {} FROM tx_account_daily
                     WHERE user_id = ?1 AND account_id = ?2 AND date < ?3",
                    split_sum("effect_sum")
                ))?
                .query_row(params![uid, aid, day], |r| joined(r, 0))?;
            let earlier_same_day = match below {
                None => Vec::new(),
                Some(below) => snapshot
                    .prepare_cached(&format!(
                        "SELECT {TX_COLS} FROM transactions
                         WHERE account_id = ?2 AND date = ?3 AND id < ?4 AND user_id = ?1
                         ORDER BY id"
                    ))?
                    .query_map(params![uid, aid, day, below.to_hex()], tx_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?,
            };
            Ok(RegisterBase {
                effect_before,
                earlier_same_day,
            })
        })
        .await
    }

    async fn month_effects(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthEffect>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT account_id, CASE WHEN date < ?2 THEN '' ELSE substr(date, 1, 7) END AS m,
                        {}
                 FROM tx_account_daily
                 WHERE user_id = ?1 AND date <= ?3
                 GROUP BY account_id, m",
                split_sum("effect_sum")
            ))?;
            let rows = stmt
                .query_map(
                    params![user.to_hex(), date_text(from), date_text(to)],
                    |r| Ok((id_col(r, 0)?, r.get::<_, String>(1)?, joined(r, 2)?)),
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(account, key, effect)| {
                    let month = if key.is_empty() {
                        None
                    } else {
                        Some(month_from_key(&key).ok_or_else(|| {
                            Error::internal("sqlite", "a stored date is not YYYY-MM-DD")
                        })?)
                    };
                    Ok(MonthEffect {
                        account,
                        month,
                        effect,
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

    /// The plans of the two reads: index look-ups, never a scan of `transactions`.
    #[test]
    fn register_reads_use_the_account_indexes() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let plan = |sql: &str| -> String {
            conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(["u", "a", "2024-01-01", "b"], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("\n")
        };
        let days = plan(
            "SELECT SUM(effect_sum) FROM tx_account_daily
             WHERE user_id = ?1 AND account_id = ?2 AND date < ?3 AND ?4 = ?4",
        );
        assert!(days.contains("PRIMARY KEY"), "{days}");
        let rows = plan(
            "SELECT id FROM transactions
             WHERE account_id = ?2 AND date = ?3 AND id < ?4 AND user_id = ?1 ORDER BY id",
        );
        assert!(rows.contains("tx_account_date"), "{rows}");
        assert!(!rows.contains("TEMP B-TREE"), "{rows}");
    }
}
