//! Cleared status and reconciliation of an account against a bank
//! statement: tick rows as cleared, see the difference to the statement's
//! ending balance live ([`Finance::reconciliation_preview`]), and finish when
//! it is zero (the cleared rows through the statement date become
//! reconciled and the account remembers the statement, in one write).

use super::{AuthUser, Finance};
use crate::domain::Permission;
use chrono::NaiveDate;

use crate::domain::{Account, Reconciliation, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;

/// Where a reconciliation in progress stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReconciliationPreview {
    /// The account's cleared balance through the statement date, before the ticked rows.
    pub cleared_balance: i64,
    /// What the ticked (not yet cleared) rows add to it.
    pub ticked: i64,
    /// `cleared_balance + ticked`: what the account's cleared balance will be.
    pub cleared_with_ticked: i64,
    /// Statement balance − (cleared balance + ticked): 0 means it can be finished.
    pub difference: i128,
}

/// At most this many rows are ticked in one call.
pub const MAX_TICKED: usize = 10_000;

/// The rows a reconciliation can tick: the account's rows not reconciled
/// yet, through the statement date, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconciliationRows {
    /// At most [`MAX_TICKED`] rows, the oldest.
    pub rows: Vec<Transaction>,
    /// Whether there are more than [`MAX_TICKED`] (reconcile an earlier
    /// statement first).
    pub more: bool,
}

fn check_ids(ids: &[Id]) -> Result<()> {
    if ids.len() > MAX_TICKED {
        return Err(Error::validation(
            "ids",
            format!("at most {MAX_TICKED} transactions at once"),
        ));
    }
    Ok(())
}

impl Finance {
    /// Mark the user's rows `ids` in `account` cleared (or back to uncleared).
    pub async fn set_cleared(
        &self,
        user: &AuthUser,
        account: Id,
        ids: &[Id],
        cleared: bool,
    ) -> Result<u64> {
        user.require(Permission::Write)?;
        check_ids(ids)?;
        self.store
            .set_cleared(user.ledger(), account, ids, cleared)
            .await
    }

    /// The rows of the user's `account` a reconciliation through `through`
    /// can tick (another user's account is `NotFound`).
    pub async fn reconciliation_rows(
        &self,
        user: &AuthUser,
        account: Id,
        through: NaiveDate,
    ) -> Result<ReconciliationRows> {
        user.require(Permission::Write)?;
        self.store.account(user.ledger(), account).await?;
        let limit = MAX_TICKED as u32 + 1;
        let mut rows = self
            .store
            .unreconciled(user.ledger(), account, through, limit)
            .await?;
        let more = rows.len() > MAX_TICKED;
        rows.truncate(MAX_TICKED);
        Ok(ReconciliationRows { rows, more })
    }

    /// The cleared balance and the difference to `statement` with `ticked`
    /// rows counted (ticked rows already cleared count once).
    pub async fn reconciliation_preview(
        &self,
        user: &AuthUser,
        account: Id,
        statement: Reconciliation,
        ticked: &[Id],
    ) -> Result<ReconciliationPreview> {
        user.require(Permission::Write)?;
        check_ids(ticked)?;
        let cleared_balance = self
            .store
            .cleared_balance(user.ledger(), account, Some(statement.date))
            .await?;
        let mut sum: i128 = 0;
        let mut seen = std::collections::HashSet::new();
        for id in ticked {
            if !seen.insert(*id) {
                continue;
            }
            let t = self.store.transaction(user.ledger(), *id).await?;
            if t.account_id != account {
                return Err(Error::validation(
                    "ids",
                    "a transaction is in another account",
                ));
            }
            if t.status == crate::domain::TxStatus::Uncleared && t.date <= statement.date {
                sum += i128::from(rules::balance_effect(t.kind, t.amount.minor()));
            }
        }
        let ticked_sum = crate::money::signed_total("balance", sum)?;
        let with_ticked = crate::money::signed_total(
            "balance",
            i128::from(cleared_balance) + i128::from(ticked_sum),
        )?;
        Ok(ReconciliationPreview {
            cleared_balance,
            ticked: ticked_sum,
            cleared_with_ticked: with_ticked,
            difference: rules::reconciliation_difference(statement.balance, with_ticked),
        })
    }

    /// Finish reconciling `account` to `statement` with `ticked` rows
    /// cleared: refused with `Conflict { field: "statementBalance" }` (and
    /// nothing written) unless the difference is zero.
    pub async fn finish_reconciliation(
        &self,
        user: &AuthUser,
        account: Id,
        statement: Reconciliation,
        ticked: &[Id],
    ) -> Result<Account> {
        user.require(Permission::Write)?;
        check_ids(ticked)?;
        self.store
            .finish_reconciliation(user.ledger(), account, statement, ticked)
            .await
    }
}
