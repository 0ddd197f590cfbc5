//! [`Restores`] on SQLite: a backup written back in ONE `IMMEDIATE`
//! transaction, fed batch by batch over a channel (as the bulk import is),
//! so the writer holds one batch at a time. The transaction commits only
//! after the reader's [`RestoreFeed::End`], which it sends once every
//! member's checksum and count held: a refused file rolls everything back.
//!
//! Rows go through the same row inserts as single writes (their reference
//! checks, the daily-sum triggers and the day-sum guard), not a separate path.

use std::collections::HashSet;

use async_trait::async_trait;
use rusqlite::{Connection, params};

use super::SqliteStore;
use super::imports::insert_key;
use super::rows::{insert_account, insert_category};
use super::rules::insert_rule_row;
use super::schedules::insert_schedule_row;
use super::transactions::insert_row;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::store::{RestoreBatch, RestoreFeed, Restores, ids_taken, not_empty};

/// A uniqueness conflict while writing the file's records is the file's.
fn on_file(e: Error) -> Error {
    match e {
        Error::Conflict { .. } => ids_taken(),
        e => e,
    }
}

#[async_trait]
impl Restores for SqliteStore {
    async fn restore_user_data(
        &self,
        user: Id,
        currency: Currency,
        _records: u64,
        mut feed: tokio::sync::mpsc::Receiver<RestoreFeed>,
    ) -> Result<u64> {
        self.write(move |tx| {
            clear_empty_user(tx, user, currency)?;
            let mut written = 0u64;
            let mut checked = HashSet::new();
            loop {
                match feed.blocking_recv() {
                    Some(RestoreFeed::Batch(batch)) => {
                        written += write_batch(tx, user, &batch, &mut checked).map_err(on_file)?;
                    }
                    Some(RestoreFeed::Failed(e)) => return Err(e),
                    Some(RestoreFeed::End) => return Ok(written),
                    None => {
                        return Err(Error::internal(
                            "restore",
                            "the records stopped before their end",
                        ));
                    }
                }
            }
        })
        .await
    }
}

/// Check the user is empty (see [`Restores::restore_user_data`]), remove
/// what registration made and take the file's currency.
fn clear_empty_user(tx: &Connection, user: Id, currency: Currency) -> Result<()> {
    let uid = user.to_hex();
    let (held, accounts): (i64, i64) = tx.query_row(
        "SELECT (SELECT COUNT(*) FROM transactions WHERE user_id = ?1)
              + (SELECT COUNT(*) FROM budgets WHERE user_id = ?1)
              + (SELECT COUNT(*) FROM schedules WHERE user_id = ?1)
              + (SELECT COUNT(*) FROM rules WHERE user_id = ?1)
              + (SELECT COUNT(*) FROM idempotency_keys WHERE user_id = ?1),
                (SELECT COUNT(*) FROM accounts WHERE user_id = ?1)",
        [&uid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if held > 0 || accounts > 1 {
        return Err(not_empty());
    }
    tx.execute("DELETE FROM categories WHERE user_id = ?1", [&uid])?;
    tx.execute("DELETE FROM accounts WHERE user_id = ?1", [&uid])?;
    let n = tx.execute(
        "UPDATE users SET currency = ?2 WHERE id = ?1",
        params![uid, currency.code()],
    )?;
    if n == 0 {
        return Err(Error::NotFound { what: "user" });
    }
    Ok(())
}

/// Insert one batch (every record already the user's). `checked`: the
/// accounts and categories already found to be the user's.
fn write_batch(
    tx: &rusqlite::Transaction<'_>,
    user: Id,
    batch: &RestoreBatch,
    checked: &mut HashSet<Id>,
) -> Result<u64> {
    match batch {
        RestoreBatch::Accounts(v) => v.iter().try_for_each(|a| insert_account(tx, a)),
        RestoreBatch::Categories(v) => v.iter().try_for_each(|c| insert_category(tx, c)),
        RestoreBatch::Budgets(v) => v.iter().try_for_each(|b| {
            super::rows::get_category(tx, user, b.category_id)?;
            tx.prepare_cached(
                "INSERT INTO budgets (id, user_id, category_id, limit_minor, period, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                b.id.to_hex(),
                user.to_hex(),
                b.category_id.to_hex(),
                b.limit.minor(),
                b.period.as_str(),
                b.created_at.timestamp_millis()
            ])?;
            Ok(())
        }),
        RestoreBatch::Schedules(v) => v.iter().try_for_each(|s| insert_schedule_row(tx, s)),
        RestoreBatch::Rules(v) => v.iter().try_for_each(|r| insert_rule_row(tx, r)),
        RestoreBatch::Transactions(v) => v.iter().try_for_each(|t| {
            // The account and category checks of a single add (once per
            // distinct id), then the row.
            if checked.insert(t.account_id) {
                super::rows::get_account(tx, user, t.account_id)?;
            }
            if let Some(c) = t.category_id
                && checked.insert(c)
            {
                super::rows::get_category(tx, user, c)?;
            }
            insert_row(tx, t).map(|_| ())
        }),
        RestoreBatch::Idempotency(v) => v.iter().try_for_each(|k| insert_key(tx, user, k)),
    }?;
    Ok(batch.len() as u64)
}
