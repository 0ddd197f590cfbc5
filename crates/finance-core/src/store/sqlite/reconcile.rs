//! [`Reconciliations`] on SQLite: cleared status and finishing a
//! reconciliation against a bank statement, each in one write transaction.
//!
//! * Only the user's rows of the given account change; a row that is not
//!   the user's is `NotFound`, one in another account or already reconciled
//!   is `Validation { field: "ids" }` — nothing changes then.
//! * The cleared balance is the opening balance plus the effects
//!   ([`sums::EFFECT`]) of cleared and reconciled rows, summed exactly.
//! * Finishing re-checks, inside the write, that the cleared balance through
//!   the statement date equals the statement's balance, so a concurrent edit
//!   can never leave an account "reconciled" to a balance it does not have.

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::SqliteStore;
use super::rows::{TX_COLS, date_text, get_account, get_transaction, tx_row};
use super::sums::{EFFECT, joined, split_sum};
use crate::domain::{Account, Reconciliation, Transaction, TxStatus};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;
use crate::store::prelude::*;

/// Set `ids` (the user's rows in `account`, not reconciled, dated on or
/// before `through` when given) to `status`; how many changed.
fn mark(
    conn: &Connection,
    user: Id,
    account: Id,
    ids: &[Id],
    status: TxStatus,
    through: Option<NaiveDate>,
) -> Result<u64> {
    let mut changed = 0;
    for id in ids {
        let t = get_transaction(conn, user, *id)?;
        if t.account_id != account {
            return Err(Error::validation(
                "ids",
                "a transaction is in another account",
            ));
        }
        if t.status == TxStatus::Reconciled {
            return Err(Error::validation(
                "ids",
                "a transaction is already reconciled",
            ));
        }
        if through.is_some_and(|d| t.date > d) {
            return Err(Error::validation(
                "ids",
                "a ticked transaction is dated after the statement date",
            ));
        }
        changed += conn
            .prepare_cached(
                "UPDATE transactions SET status = ?1 WHERE id = ?2 AND user_id = ?3 AND status <> ?1",
            )?
            .execute(params![status.as_str(), id.to_hex(), user.to_hex()])? as u64;
    }
    Ok(changed)
}

/// The cleared balance of the user's `account` through `through`.
fn cleared(conn: &Connection, user: Id, account: Id, through: Option<NaiveDate>) -> Result<i64> {
    let opening = get_account(conn, user, account)?.opening_balance;
    let sum = conn
        .prepare_cached(&format!(
            "SELECT {} FROM transactions
             WHERE account_id = ?1 AND user_id = ?2 AND status IN ('cleared', 'reconciled')
               AND date <= ?3",
            split_sum(EFFECT)
        ))?
        .query_row(
            params![
                account.to_hex(),
                user.to_hex(),
                through.map_or_else(|| "9999-12-31".to_string(), date_text)
            ],
            |r| joined(r, 0),
        )?;
    money::signed_total("balance", i128::from(opening) + sum)
}

#[async_trait]
impl Reconciliations for SqliteStore {
    async fn set_cleared(&self, user: Id, account: Id, ids: &[Id], cleared: bool) -> Result<u64> {
        let ids = ids.to_vec();
        let status = if cleared {
            TxStatus::Cleared
        } else {
            TxStatus::Uncleared
        };
        self.write(move |tx| {
            get_account(tx, user, account)?;
            mark(tx, user, account, &ids, status, None)
        })
        .await
    }

    async fn unreconciled(
        &self,
        user: Id,
        account: Id,
        through: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>> {
        self.read(move |conn| {
            let rows = conn
                .prepare_cached(&format!(
                    "SELECT {TX_COLS} FROM transactions
                     WHERE user_id = ?1 AND account_id = ?2 AND status <> 'reconciled'
                       AND date <= ?3
                     ORDER BY date, id LIMIT ?4"
                ))?
                .query_map(
                    params![user.to_hex(), account.to_hex(), date_text(through), limit],
                    tx_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn cleared_balance(
        &self,
        user: Id,
        account: Id,
        through: Option<NaiveDate>,
    ) -> Result<i64> {
        self.read(move |conn| cleared(conn, user, account, through))
            .await
    }

    async fn finish_reconciliation(
        &self,
        user: Id,
        account: Id,
        statement: Reconciliation,
        ticked: &[Id],
    ) -> Result<Account> {
        let ticked = ticked.to_vec();
        self.write(move |tx| {
            get_account(tx, user, account)?;
            mark(
                tx,
                user,
                account,
                &ticked,
                TxStatus::Cleared,
                Some(statement.date),
            )?;
            let balance = cleared(tx, user, account, Some(statement.date))?;
            if balance != statement.balance {
                return Err(crate::rules::reconciliation_off(statement.balance, balance));
            }
            tx.execute(
                "UPDATE transactions SET status = 'reconciled'
                 WHERE account_id = ?1 AND user_id = ?2 AND status = 'cleared' AND date <= ?3",
                params![account.to_hex(), user.to_hex(), date_text(statement.date)],
            )?;
            tx.execute(
                "UPDATE accounts SET reconciled_date = ?1, reconciled_balance = ?2
                 WHERE id = ?3 AND user_id = ?4",
                params![
                    date_text(statement.date),
                    statement.balance,
                    account.to_hex(),
                    user.to_hex()
                ],
            )?;
            get_account(tx, user, account)
        })
        .await
    }
}
