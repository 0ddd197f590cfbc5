//! Bulk edits of the transaction list (re-categorise, move to an account,
//! mark cleared, delete and its undo) and the totals of a filter.
//!
//! Each action is ONE store write that counts the selection inside the
//! write and lets [`rules::check_bulk`] judge it before changing anything
//! (a filter selection is never loaded here). A filter naming an account
//! that is not the user's is `NotFound { what: "account" }`, as in the list.
//! The undo of a delete restores exactly the rows the delete returned (same
//! ids) in one write, at most once per idempotency key (invariant 9).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::idempotency::{Fingerprint, IDEMPOTENCY_FIELD, IdempotencyKey};
use crate::domain::{BulkChange, FilterTotals, Selection, Transaction, TransactionFilter};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules::{self, BulkAction};
use crate::store::{CensusCheck, IdempotencyRecord};

/// The store-side check of `action` (see [`rules::check_bulk`]).
fn judge(action: BulkAction, confirmed: bool) -> CensusCheck {
    Arc::new(move |census| rules::check_bulk(census, action, confirmed))
}

/// The fingerprint of an undo: the rows it restores, by id.
fn restore_fingerprint(rows: &[Transaction]) -> String {
    let mut f = Fingerprint::new("restore-transactions");
    for t in rows {
        f.part(&t.id.bytes());
    }
    f.finish()
}

impl Finance {
    /// Income, expense (refunds lower it), net and count (transfer legs
    /// included, in neither income nor expense) of every row `filter` lets
    /// through, summed by the database.
    pub async fn transaction_totals(
        &self,
        user: &AuthUser,
        filter: &TransactionFilter,
    ) -> Result<FilterTotals> {
        user.require(Permission::Read)?;
        if let Some(account) = filter.account {
            self.store.account(user.ledger(), account).await?;
        }
        self.store.filter_totals(user.ledger(), filter).await
    }

    /// Put the selected rows in `category` (the user's; every row must be
    /// of its kind, none a transfer leg; reconciled rows only `confirmed`).
    /// Returns how many rows changed.
    pub async fn bulk_set_category(
        &self,
        user: &AuthUser,
        selection: &Selection,
        category: Id,
        confirmed: bool,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        user.require(Permission::Write)?;
        self.check_selection(user, selection).await?;
        let kind = self.store.category(user.ledger(), category).await?.kind;
        self.store
            .bulk_update(
                user.ledger(),
                selection,
                BulkChange::Category(category),
                judge(BulkAction::Recategorise(kind), confirmed),
                millis(now),
            )
            .await
    }

    /// Move the selected rows to `account` (the user's; no transfer leg;
    /// reconciled rows only `confirmed`). Returns how many rows changed.
    pub async fn bulk_move_to_account(
        &self,
        user: &AuthUser,
        selection: &Selection,
        account: Id,
        confirmed: bool,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        user.require(Permission::Write)?;
        self.check_selection(user, selection).await?;
        self.store
            .bulk_update(
                user.ledger(),
                selection,
                BulkChange::Account(account),
                judge(BulkAction::Move, confirmed),
                millis(now),
            )
            .await
    }

    /// Mark the selected uncleared rows cleared (reconciled rows stay
    /// reconciled). Returns how many rows changed.
    pub async fn bulk_mark_cleared(
        &self,
        user: &AuthUser,
        selection: &Selection,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        user.require(Permission::Write)?;
        self.check_selection(user, selection).await?;
        self.store
            .bulk_update(
                user.ledger(),
                selection,
                BulkChange::Cleared,
                judge(BulkAction::MarkCleared, false),
                millis(now),
            )
            .await
    }

    /// Delete the selected rows, with both legs of every transfer among them
    /// (reconciled rows only `confirmed`); returns the rows as they were,
    /// which [`Finance::restore_deleted`] puts back.
    pub async fn bulk_delete(
        &self,
        user: &AuthUser,
        selection: &Selection,
        confirmed: bool,
    ) -> Result<Vec<Transaction>> {
        user.require(Permission::Write)?;
        self.check_selection(user, selection).await?;
        self.store
            .bulk_delete(
                user.ledger(),
                selection,
                judge(BulkAction::Delete, confirmed),
            )
            .await
    }

    /// Undo a [`Finance::bulk_delete`]: insert `rows` (what it returned)
    /// again, same ids, in one write, at most once per `key` (a replay
    /// answers the first count and writes nothing). Their categories and
    /// accounts must still exist (`NotFound` otherwise, nothing written).
    pub async fn restore_deleted(
        &self,
        user: &AuthUser,
        rows: &[Transaction],
        key: &IdempotencyKey,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        user.require(Permission::Write)?;
        let fingerprint = restore_fingerprint(rows);
        let replay = |result: String| {
            result
                .parse::<u64>()
                .map_err(|_| Error::internal("idempotency", "stored result is not a count"))
        };
        if let Some(done) = self.replayed(user, key, &fingerprint).await? {
            return replay(done);
        }
        let record = IdempotencyRecord {
            key: key.as_str().to_string(),
            fingerprint: fingerprint.clone(),
            result: rows.len().to_string(),
            created_at: millis(now),
        };
        match self
            .store
            .restore_transactions(user.ledger(), rows, Some(&record))
            .await
        {
            // A concurrent undo with the same key won the race.
            Err(e) if e.field() == Some(IDEMPOTENCY_FIELD) => {
                match self.replayed(user, key, &fingerprint).await? {
                    Some(done) => replay(done),
                    None => Err(e),
                }
            }
            other => other,
        }
    }

    /// A filter selection's account must be the user's (as in the list).
    async fn check_selection(&self, user: &AuthUser, selection: &Selection) -> Result<()> {
        if let Some(account) = selection.filter_account() {
            self.store.account(user.ledger(), account).await?;
        }
        Ok(())
    }
}
