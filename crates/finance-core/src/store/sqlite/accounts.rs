//! [`Accounts`] on SQLite: a user's accounts and their balances.
//!
//! * Names are unique per (user, lower-cased name) — the `name_key` column
//!   and its unique constraint; a clash is `Conflict { field: "name" }`.
//! * A balance is the opening balance plus the account's total
//!   (`tx_account_totals`, kept by triggers; migration 5: split halves read
//!   as an exact 128-bit sum), the cleared balance the same over cleared and
//!   reconciled rows: one row per account, never its days or transactions.
//! * Deleting an account checks, inside its transaction, that it is not the
//!   user's last one and that it holds no transactions unless they move to
//!   `move_to` (which must still be the user's), deleting first the
//!   transfers between the two (both legs: they would sit in one account); a
//!   move that would push a per-day sum of the target past `i64` is refused
//!   (`Validation { field: "moveTo" }`).

use async_trait::async_trait;
use rusqlite::{Connection, params};

use super::SqliteStore;
use super::errors::sql_error;
use super::rows::{ACCOUNT_COLS, account_row, date_text, get_account, id_col, insert_account};
use super::sums::{check_account, joined};
use crate::domain::{Account, AccountBalance, NewAccount};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;
use crate::rules;
use crate::store::prelude::*;

#[async_trait]
impl Accounts for SqliteStore {
    async fn insert_account(&self, a: &Account) -> Result<()> {
        let a = a.clone();
        self.write(move |tx| insert_account(tx, &a)).await
    }

    async fn accounts(&self, user: Id) -> Result<Vec<Account>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {ACCOUNT_COLS} FROM accounts WHERE user_id = ?1
                     ORDER BY position, created_at, id"
            ))?;
            let rows = stmt
                .query_map([user.to_hex()], account_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn account_balances(&self, user: Id) -> Result<Vec<AccountBalance>> {
        self.read(move |conn| {
            let cols = ACCOUNT_COLS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            // One row of totals per account (`tx_account_totals`).
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {cols}, COALESCE(t.high, 0), COALESCE(t.low, 0),
                        COALESCE(t.cleared_high, 0), COALESCE(t.cleared_low, 0), COALESCE(t.n, 0)
                     FROM accounts a
                     LEFT JOIN tx_account_totals t ON t.user_id = a.user_id AND t.account_id = a.id
                     WHERE a.user_id = ?1
                     ORDER BY a.position, a.created_at, a.id"
            ))?;
            let rows = stmt
                .query_map([user.to_hex()], |r| {
                    Ok((
                        account_row(r)?,
                        joined(r, 13)?,
                        joined(r, 15)?,
                        r.get::<_, i64>(17)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(account, sum, cleared, n)| {
                    let opening = i128::from(account.opening_balance);
                    Ok(AccountBalance {
                        balance: money::signed_total("balance", opening + sum)?,
                        cleared_balance: money::signed_total("balance", opening + cleared)?,
                        account,
                        transactions: u64::try_from(n).unwrap_or(0),
                    })
                })
                .collect()
        })
        .await
    }

    async fn account(&self, user: Id, id: Id) -> Result<Account> {
        self.read(move |conn| get_account(conn, user, id)).await
    }

    async fn update_account(&self, user: Id, id: Id, change: &NewAccount) -> Result<Account> {
        let change = change.clone();
        self.write(move |tx| {
            let n = tx
                .execute(
                    "UPDATE accounts SET name = ?1, name_key = ?2, kind = ?3, opening_balance = ?4,
                       opening_date = ?5, note = ?6
                     WHERE id = ?7 AND user_id = ?8",
                    params![
                        change.name.as_str(),
                        change.name.key(),
                        change.kind.as_str(),
                        change.opening_balance,
                        date_text(change.opening_date),
                        change.note.as_ref().map(|n| n.as_str()),
                        id.to_hex(),
                        user.to_hex()
                    ],
                )
                .map_err(|e| sql_error(e, "name"))?;
            if n == 0 {
                return Err(Error::NotFound { what: "account" });
            }
            get_account(tx, user, id)
        })
        .await
    }

    async fn set_account_archived(&self, user: Id, id: Id, archived: bool) -> Result<Account> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE accounts SET archived = ?1 WHERE id = ?2 AND user_id = ?3",
                params![archived, id.to_hex(), user.to_hex()],
            )?;
            if n == 0 {
                return Err(Error::NotFound { what: "account" });
            }
            get_account(tx, user, id)
        })
        .await
    }

    async fn delete_account(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()> {
        self.write(move |tx| {
            get_account(tx, user, id)?;
            let (uid, from) = (user.to_hex(), id.to_hex());
            let accounts: i64 = tx.query_row(
                "SELECT COUNT(*) FROM accounts WHERE user_id = ?1",
                [&uid],
                |r| r.get(0),
            )?;
            if accounts <= 1 {
                return Err(rules::last_account());
            }
            super::schedules::check_account_unused(tx, user, id)?;
            match move_to {
                None => {
                    let used = usage(tx, user, id)?;
                    if used > 0 {
                        return Err(rules::account_in_use(used));
                    }
                }
                Some(target) => {
                    // Checked by the caller (rules::check_account_move_target);
                    // here it must still be the user's, in this transaction.
                    get_account(tx, user, target)?;
                    // Transfers between the two would have both legs in the
                    // target: both legs go (their effects cancel there).
                    tx.execute(
                        "DELETE FROM transactions
                         WHERE user_id = ?1 AND transfer_id IS NOT NULL AND transfer_id IN (
                             SELECT t.transfer_id FROM transactions t
                             JOIN transactions o ON o.transfer_id = t.transfer_id
                             WHERE t.user_id = ?1 AND t.account_id = ?2
                               AND t.transfer_id IS NOT NULL
                               AND o.user_id = ?1 AND o.account_id = ?3)",
                        params![uid, from, target.to_hex()],
                    )?;
                    tx.execute(
                        "UPDATE transactions SET account_id = ?3
                         WHERE user_id = ?1 AND account_id = ?2",
                        params![uid, from, target.to_hex()],
                    )?;
                    // Rules on the account follow its rows (the rest go with
                    // it: the foreign key deletes them).
                    tx.execute(
                        "UPDATE rules SET account_id = ?3 WHERE user_id = ?1 AND account_id = ?2",
                        params![uid, from, target.to_hex()],
                    )?;
                    check_account(tx, user, target, "moveTo")?;
                }
            }
            tx.execute(
                "DELETE FROM accounts WHERE id = ?1 AND user_id = ?2",
                params![from, uid],
            )?;
            Ok(())
        })
        .await
    }

    async fn delete_account_with_transactions(&self, user: Id, id: Id) -> Result<u64> {
        self.write(move |tx| {
            get_account(tx, user, id)?;
            let (uid, from) = (user.to_hex(), id.to_hex());
            let accounts: i64 = tx.query_row(
                "SELECT COUNT(*) FROM accounts WHERE user_id = ?1",
                [&uid],
                |r| r.get(0),
            )?;
            if accounts <= 1 {
                return Err(rules::last_account());
            }
            super::schedules::check_account_unused(tx, user, id)?;
            // The other legs of its transfers first, then its own rows (the
            // aggregates follow through the delete triggers).
            let legs = tx.execute(
                "DELETE FROM transactions
                 WHERE user_id = ?1 AND account_id <> ?2 AND transfer_id IS NOT NULL
                   AND transfer_id IN (
                     SELECT transfer_id FROM transactions
                     WHERE user_id = ?1 AND account_id = ?2 AND transfer_id IS NOT NULL)",
                params![uid, from],
            )?;
            let own = tx.execute(
                "DELETE FROM transactions WHERE user_id = ?1 AND account_id = ?2",
                params![uid, from],
            )?;
            tx.execute(
                "DELETE FROM accounts WHERE id = ?1 AND user_id = ?2",
                params![from, uid],
            )?;
            Ok((legs + own) as u64)
        })
        .await
    }

    async fn account_transfers(&self, user: Id, id: Id) -> Result<Vec<(Id, u64)>> {
        self.read(move |conn| transfers_by_account(conn, user, id))
            .await
    }
}

/// How many transfers the user's account `id` has with each other account.
fn transfers_by_account(conn: &Connection, user: Id, id: Id) -> Result<Vec<(Id, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.account_id, COUNT(*) FROM transactions t
         JOIN transactions o ON o.transfer_id = t.transfer_id AND o.id <> t.id
         WHERE t.user_id = ?1 AND t.account_id = ?2 AND t.transfer_id IS NOT NULL
           AND o.user_id = ?1
         GROUP BY o.account_id ORDER BY o.account_id",
    )?;
    let rows = stmt
        .query_map(params![user.to_hex(), id.to_hex()], |r| {
            Ok((
                id_col(r, 0)?,
                u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many of the user's transactions the account holds.
fn usage(conn: &Connection, user: Id, id: Id) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM transactions WHERE account_id = ?1 AND user_id = ?2",
        params![id.to_hex(), user.to_hex()],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}
