//! [`Transfers`] on SQLite: a transfer's two legs in `transactions`, written,
//! edited and deleted in one write transaction.
//!
//! * Both accounts are checked to be the user's inside the write
//!   (`NotFound { what: "account" }`), like a transaction's account.
//! * The legs are found by `transfer_id` (index `tx_transfer`), always with
//!   the user: another user's transfer is `NotFound { what: "transfer" }`.
//! * The legs carry no category, so migration 5's guards keep them out of the
//!   per-category and per-description sums; `tx_account_daily` counts them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::params;

use super::SqliteStore;
use super::imports::insert_key;
use super::rows::{TX_COLS, date_text, get_account, get_transaction, millis, tx_row};
use super::sums::check_day_of;
use super::transactions::insert_row;
use crate::domain::{NewTransfer, Transaction, Transfer};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::IdempotencyRecord;
use crate::store::prelude::*;

/// Both legs of the user's transfer `id`, or `NotFound { what: "transfer" }`.
pub(super) fn get_transfer(conn: &rusqlite::Connection, user: Id, id: Id) -> Result<Transfer> {
    let legs = conn
        .prepare_cached(&format!(
            "SELECT {TX_COLS} FROM transactions WHERE transfer_id = ?1 AND user_id = ?2"
        ))?
        .query_map(params![id.to_hex(), user.to_hex()], tx_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if legs.is_empty() {
        return Err(Error::NotFound { what: "transfer" });
    }
    Transfer::from_legs(legs)
}

/// Check the legs' accounts and insert both.
fn insert_legs(tx: &rusqlite::Transaction<'_>, legs: &[Transaction; 2]) -> Result<Transfer> {
    for leg in legs {
        get_account(tx, leg.user_id, leg.account_id)?;
    }
    let written = legs
        .iter()
        .map(|leg| insert_row(tx, leg))
        .collect::<Result<Vec<_>>>()?;
    Transfer::from_legs(written)
}

#[async_trait]
impl Transfers for SqliteStore {
    async fn insert_transfer(
        &self,
        legs: &[Transaction; 2],
        key: Option<&IdempotencyRecord>,
    ) -> Result<Transfer> {
        let legs = legs.clone();
        let key = key.cloned();
        self.write(move |tx| {
            if let Some(key) = &key {
                insert_key(tx, legs[0].user_id, key)?;
            }
            insert_legs(tx, &legs)
        })
        .await
    }

    async fn transfer(&self, user: Id, id: Id) -> Result<Transfer> {
        self.read(move |conn| get_transfer(conn, user, id)).await
    }

    async fn update_transfer(
        &self,
        user: Id,
        id: Id,
        change: &NewTransfer,
        now: DateTime<Utc>,
    ) -> Result<Transfer> {
        let change = change.clone();
        self.write(move |tx| {
            let old = get_transfer(tx, user, id)?;
            get_account(tx, user, change.from_account)?;
            get_account(tx, user, change.to_account)?;
            let note = change.note.as_ref().map(|n| n.as_str().to_string());
            let mut stmt = tx.prepare_cached(
                "UPDATE transactions SET account_id = ?1, amount = ?2, date = ?3,
                   description = ?4, note = ?5, search_text = ?6, updated_at = ?7
                 WHERE id = ?8 AND user_id = ?9",
            )?;
            for (leg, account) in [
                (&old.from, change.from_account),
                (&old.to, change.to_account),
            ] {
                stmt.execute(params![
                    account.to_hex(),
                    change.amount.minor(),
                    date_text(change.date),
                    change.description.as_str(),
                    note,
                    Transaction::search_text(change.description.as_str(), note.as_deref()),
                    millis(now),
                    leg.id.to_hex(),
                    user.to_hex(),
                ])?;
            }
            let updated = get_transfer(tx, user, id)?;
            check_day_of(tx, &updated.from, "amount")?;
            check_day_of(tx, &updated.to, "amount")?;
            Ok(updated)
        })
        .await
    }

    async fn replace_with_transfer(
        &self,
        user: Id,
        row: Id,
        legs: &[Transaction; 2],
    ) -> Result<Transfer> {
        let legs = legs.clone();
        self.write(move |tx| {
            let old = get_transaction(tx, user, row)?;
            if old.kind.is_transfer() {
                return Err(crate::rules::edit_transfer_as_transfer());
            }
            tx.execute(
                "DELETE FROM transactions WHERE id = ?1 AND user_id = ?2",
                params![row.to_hex(), user.to_hex()],
            )?;
            insert_legs(tx, &legs)
        })
        .await
    }
}
