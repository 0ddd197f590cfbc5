//! What a report, summary or budget sum reads: every account's rows or one
//! account's ([`crate::store::Reports`]'s `account`).
//!
//! * Every account: the per-day aggregates `tx_daily` and `tx_desc_daily`
//!   (see `schema.rs`), a few rows per day whatever the number of
//!   transactions — the fast path, unchanged.
//! * One account: the aggregates are not per account, so the same columns
//!   are read from the account's income and expense rows in the range,
//!   walking `tx_account_date (account_id, date, id)` (each row its own
//!   "day sum", `n` = 1). Its cost grows with the account's rows in the
//!   range (measured by `examples/bench/report_account.rs`, the row
//!   "12-month report, one account").
//!
//! Invariants: a query using a source binds `?1` = the user, `?2`/`?3` = the
//! range's first and last day (`date_text`), and the account, when there is
//! one, *last* ([`range_params`]), named by the `param` given here. Both
//! sources hold income and expense rows only (transfer legs never reach
//! `tx_daily`/`tx_desc_daily`, and the account source filters them out), and
//! both are scoped by the user and the range.

use chrono::NaiveDate;
use rusqlite::types::Value;

use super::rows::date_text;
use crate::id::Id;

/// The description key of a row: `search_text`'s first line, the
/// lower-cased description (as `tx_desc_daily.k`).
pub(super) const DESCRIPTION_KEY: &str =
    "substr(search_text, 1, instr(search_text || char(10), char(10)) - 1)";

/// A source with `tx_daily`'s columns (`user_id, date, kind, category_id,
/// total, n`): `tx_daily` itself, or the account's rows (`param` binds its id).
pub(super) fn daily_sums(account: Option<Id>, param: &str) -> String {
    match account {
        None => "tx_daily".to_string(),
        Some(_) => format!(
            "(SELECT user_id, date, kind, category_id, amount AS total, 1 AS n
                  FROM transactions INDEXED BY tx_account_date
                  WHERE account_id = {param} AND user_id = ?1 AND date >= ?2 AND date <= ?3
                    AND kind IN ('income', 'expense'))"
        ),
    }
}

/// A source with `tx_desc_daily`'s columns (`user_id, date, k, total, n`):
/// `tx_desc_daily` itself, or the account's rows (`param` binds its id).
pub(super) fn description_sums(account: Option<Id>, param: &str) -> String {
    match account {
        None => "tx_desc_daily".to_string(),
        Some(_) => format!(
            "(SELECT user_id, date, {DESCRIPTION_KEY} AS k, amount AS total, 1 AS n
                  FROM transactions INDEXED BY tx_account_date
                  WHERE account_id = {param} AND user_id = ?1 AND date >= ?2 AND date <= ?3
                    AND kind IN ('income', 'expense'))"
        ),
    }
}

/// The parameters of a scoped query: the user, the range, `extra` (`?4`, …),
/// then the account when there is one (so its parameter is `?{4 + extra.len()}`).
pub(super) fn range_params(
    user: Id,
    account: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
    extra: &[Value],
) -> Vec<Value> {
    let mut params = vec![
        Value::Text(user.to_hex()),
        Value::Text(date_text(from)),
        Value::Text(date_text(to)),
    ];
    params.extend_from_slice(extra);
    params.extend(account.map(|a| Value::Text(a.to_hex())));
    params
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::conn::open_connection;
    use super::*;

    /// An account's sums walk `tx_account_date` over the range, never the
    /// user's rows or a whole table.
    #[test]
    fn an_accounts_sums_walk_its_index() {
        let conn = open_connection(Path::new(":memory:")).unwrap();
        let plan = |q: String| -> String {
            conn.prepare(&format!("EXPLAIN QUERY PLAN {q}"))
                .unwrap()
                .query_map(
                    rusqlite::params!["u", "2026-01-01", "2026-12-31", "a"],
                    |r| r.get::<_, String>(3),
                )
                .unwrap()
                .collect::<rusqlite::Result<Vec<_>>>()
                .unwrap()
                .join("\n")
        };
        let account = Some(Id::generate());
        for source in [daily_sums(account, "?4"), description_sums(account, "?4")] {
            let p = plan(format!(
                "SELECT SUM(n), SUM(total) FROM {source} d
                 WHERE d.user_id = ?1 AND d.date >= ?2 AND d.date <= ?3"
            ));
            assert!(
                p.contains("USING INDEX tx_account_date (account_id=? AND date>? AND date<?)"),
                "the account's rows in the range, by index: {p}"
            );
        }
    }
}
