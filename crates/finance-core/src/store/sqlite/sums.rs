//! Exact totals over the per-day sums, and the guard that keeps those sums
//! integers (see "Totals" in [`crate::money`]).
//!
//! * SQLite's `SUM` of integers fails past `i64` ("integer overflow") and its
//!   `+` silently turns into a floating-point number. So a total is read as
//!   two sums, of the high and of the low 32 bits of each stored per-day sum
//!   ([`split_sum`]); each fits in `i64` for up to 2³¹ summed rows, and
//!   [`joined`] adds them in 128 bits. [`money::total`] then makes the
//!   result a total or a `Validation` error.
//! * The per-day sums themselves (`tx_daily.total`, `tx_desc_daily.total`)
//!   are `i64`. The triggers that keep them would store a floating-point
//!   number when a write pushes one past `i64`, so every write that adds to
//!   them checks afterwards, inside its transaction, that the sums it
//!   touched are still integers, and fails (rolled back: nothing changes)
//!   with [`money::day_total_too_large`] otherwise.

use chrono::NaiveDate;
use rusqlite::{Connection, Row, params};

use super::rows::date_text;
use crate::domain::{CategoryKind, Transaction};
use crate::error::Result;
use crate::id::Id;
use crate::money;

/// SQL for a row's effect on its account's balance, the sign of
/// [`crate::rules::balance_effect`] (migration 5's triggers spell the same).
pub(super) const EFFECT: &str =
    "CASE WHEN kind IN ('income', 'transfer_in') THEN amount ELSE -amount END";

/// SQL for the exact sum of the integer expression `x` (negative values too:
/// SQLite's `>>` keeps the sign): two result columns, the sums of its high and of its low 32 bits (0 over no
/// rows); read them with [`joined`].
pub(super) fn split_sum(x: &str) -> String {
    format!("COALESCE(SUM(({x}) >> 32), 0), COALESCE(SUM(({x}) & 4294967295), 0)")
}

/// `x` as the two halves [`split_sum`] sums and `tx_account_totals` keeps:
/// the high 32 bits (signed, `|h| ≤ 2³¹`) and the low 32 bits (`0 ≤ l < 2³²`),
/// so `x = h·2³² + l`. Sums of fewer than 2³¹ halves cannot overflow `i64`.
pub(super) fn split(x: i64) -> (i64, i64) {
    (x >> 32, x & 0xFFFF_FFFF)
}

/// The exact sum in the two columns from `idx` written by [`split_sum`].
pub(super) fn joined(row: &Row<'_>, idx: usize) -> rusqlite::Result<i128> {
    let high: i64 = row.get(idx)?;
    let low: i64 = row.get(idx + 1)?;
    Ok((i128::from(high) << 32) + i128::from(low))
}

/// Fail with [`money::day_total_too_large`] on `field` when a per-day sum of
/// `t`'s day that `t` adds to (its kind and category; its description key;
/// its account) is no longer an integer. Call after the write, inside its transaction.
pub(super) fn check_day_of(conn: &Connection, t: &Transaction, field: &str) -> Result<()> {
    let search_text = Transaction::search_text(&t.description, t.note.as_deref());
    let overflowed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tx_account_daily
                          WHERE user_id = ?1 AND account_id = ?2 AND date = ?3
                            AND typeof(effect_sum) <> 'integer')",
        params![t.user_id.to_hex(), t.account_id.to_hex(), date_text(t.date)],
        |r| r.get(0),
    )?;
    if overflowed {
        return Err(money::day_total_too_large(field));
    }
    // A transfer leg is in the account sums only.
    let (Some(kind), Some(category)) = (t.kind.category_kind(), t.category_id) else {
        return Ok(());
    };
    check_day(
        conn,
        t.user_id,
        t.date,
        kind,
        category,
        search_text.split('\n').next().unwrap_or_default(),
        field,
    )
}

/// [`check_day_of`] for the sums of (`user`, `date`): by `kind` and
/// `category`, and by the description key `key`.
pub(super) fn check_day(
    conn: &Connection,
    user: Id,
    date: NaiveDate,
    kind: CategoryKind,
    category: Id,
    key: &str,
    field: &str,
) -> Result<()> {
    let overflowed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tx_daily
                          WHERE user_id = ?1 AND date = ?2 AND kind = ?3 AND category_id = ?4
                            AND typeof(total) <> 'integer')
             OR EXISTS (SELECT 1 FROM tx_desc_daily
                          WHERE user_id = ?1 AND date = ?2 AND k = ?5
                            AND typeof(total) <> 'integer')",
        params![
            user.to_hex(),
            date_text(date),
            kind.as_str(),
            category.to_hex(),
            key
        ],
        |r| r.get(0),
    )?;
    if overflowed {
        return Err(money::day_total_too_large(field));
    }
    Ok(())
}

/// Fail with [`money::day_total_too_large`] on `field` when any per-day sum
/// of `user` in `category` is no longer an integer (after a category move).
pub(super) fn check_category(conn: &Connection, user: Id, category: Id, field: &str) -> Result<()> {
    let overflowed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tx_daily
                          WHERE user_id = ?1 AND category_id = ?2
                            AND typeof(total) <> 'integer')",
        params![user.to_hex(), category.to_hex()],
        |r| r.get(0),
    )?;
    if overflowed {
        return Err(money::day_total_too_large(field));
    }
    Ok(())
}

/// Fail with [`money::day_total_too_large`] on `field` when any per-day sum
/// of `user`'s `account` is no longer an integer (after an account move).
pub(super) fn check_account(conn: &Connection, user: Id, account: Id, field: &str) -> Result<()> {
    let overflowed: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tx_account_daily
                          WHERE user_id = ?1 AND account_id = ?2
                            AND typeof(effect_sum) <> 'integer')",
        params![user.to_hex(), account.to_hex()],
        |r| r.get(0),
    )?;
    if overflowed {
        return Err(money::day_total_too_large(field));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_sums_are_exact_past_i64() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        for x in [i64::MAX, i64::MAX, 1, (1 << 32) - 1, 1 << 32] {
            conn.execute("INSERT INTO t VALUES (?1)", [x]).unwrap();
        }
        let sum = conn
            .query_row(&format!("SELECT {} FROM t", split_sum("x")), [], |r| {
                joined(r, 0)
            })
            .unwrap();
        let expected = 2 * i128::from(i64::MAX) + 1 + ((1 << 32) - 1) + (1 << 32);
        assert_eq!(sum, expected, "the 128-bit sum of the two halves");
        let none = conn
            .query_row(
                &format!("SELECT {} FROM t WHERE x < 0", split_sum("x")),
                [],
                |r| joined(r, 0),
            )
            .unwrap();
        assert_eq!(none, 0, "no rows sum to 0");
        assert!(
            conn.query_row("SELECT SUM(x) FROM t", [], |r| r.get::<_, i64>(0))
                .is_err(),
            "a plain SUM overflows (why the halves)"
        );
        // Signed values (account balances): `>>` is arithmetic, so the halves still add up.
        conn.execute_batch("DELETE FROM t").unwrap();
        for x in [i64::MIN, -1, -(1 << 32) - 5, 7] {
            conn.execute("INSERT INTO t VALUES (?1)", [x]).unwrap();
        }
        let sum = conn
            .query_row(&format!("SELECT {} FROM t", split_sum("x")), [], |r| {
                joined(r, 0)
            })
            .unwrap();
        assert_eq!(sum, i128::from(i64::MIN) - 1 - (1 << 32) - 5 + 7);
        // The Rust halves are SQL's (the bulk import adds them to the totals).
        for x in [i64::MIN, -1, -(1 << 32) - 5, 0, 7, i64::MAX] {
            let (h, l) = split(x);
            let sql: (i64, i64) = conn
                .query_row("SELECT ?1 >> 32, ?1 & 4294967295", [x], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap();
            assert_eq!((h, l), sql, "{x}");
            assert_eq!((i128::from(h) << 32) + i128::from(l), i128::from(x));
        }
    }
}
