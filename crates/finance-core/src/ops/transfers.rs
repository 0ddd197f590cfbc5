//! Transfers between two of the user's accounts: add (optionally at most once
//! per idempotency key), read, edit, delete, and turning an income or
//! expense row (a bank line) into a transfer. The legs are made by
//! [`rules::new_transfer`]; the store writes both or neither.

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::idempotency::{Fingerprint, IDEMPOTENCY_FIELD, IdempotencyKey};
use crate::domain::{Description, EntryKind, NewTransfer, Note, Transfer, TxStatus};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Amount;
use crate::rules;
use crate::store::IdempotencyRecord;

/// The fingerprint of an add request (every field the caller chose).
fn add_fingerprint(new: &NewTransfer) -> String {
    let mut f = Fingerprint::new("add-transfer");
    f.part(&new.from_account.bytes())
        .part(&new.to_account.bytes())
        .part(&new.amount.minor().to_le_bytes())
        .part(new.date.to_string().as_bytes())
        .part(new.description.as_str().as_bytes());
    match &new.note {
        Some(note) => f.part(b"1").part(note.as_str().as_bytes()),
        None => f.part(b"0"),
    };
    f.finish()
}

impl Finance {
    /// Move money between two of the user's accounts (`NotFound { what:
    /// "account" }` when either is not theirs; `Validation { field:
    /// "toAccountId" }` when they are the same).
    pub async fn add_transfer(
        &self,
        user: &AuthUser,
        new: NewTransfer,
        now: DateTime<Utc>,
    ) -> Result<Transfer> {
        user.require(Permission::Write)?;
        let legs = rules::new_transfer(user.ledger(), &new, millis(now))?;
        self.store.insert_transfer(&legs, None).await
    }

    /// [`Finance::add_transfer`] at most once per `key` (as
    /// [`Finance::add_transaction_with_key`]: a replay returns the transfer
    /// the first call made; the key with another request is a `Conflict`).
    pub async fn add_transfer_with_key(
        &self,
        user: &AuthUser,
        new: NewTransfer,
        key: &IdempotencyKey,
        now: DateTime<Utc>,
    ) -> Result<Transfer> {
        user.require(Permission::Write)?;
        let fingerprint = add_fingerprint(&new);
        if let Some(done) = self.replayed_transfer(user, key, &fingerprint).await? {
            return Ok(done);
        }
        let legs = rules::new_transfer(user.ledger(), &new, millis(now))?;
        let record = IdempotencyRecord {
            key: key.as_str().to_string(),
            fingerprint: fingerprint.clone(),
            result: legs[0]
                .transfer_id
                .map(|id| id.to_hex())
                .unwrap_or_default(),
            created_at: legs[0].created_at,
        };
        match self.store.insert_transfer(&legs, Some(&record)).await {
            Err(e) if e.field() == Some(IDEMPOTENCY_FIELD) => self
                .replayed_transfer(user, key, &fingerprint)
                .await?
                .ok_or(e),
            other => other,
        }
    }

    async fn replayed_transfer(
        &self,
        user: &AuthUser,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> Result<Option<Transfer>> {
        let Some(id) = self.replayed_id(user, key, fingerprint).await? else {
            return Ok(None);
        };
        self.store.transfer(user.ledger(), id).await.map(Some)
    }

    /// The transfer `id` (the `transfer_id` of its legs), or `NotFound { what: "transfer" }`.
    pub async fn transfer(&self, user: &AuthUser, id: Id) -> Result<Transfer> {
        user.require(Permission::Read)?;
        self.store.transfer(user.ledger(), id).await
    }

    /// Replace a transfer's accounts, amount, date, description and note, on
    /// both legs at once. A reconciled leg needs `confirm_reconciled`
    /// ([`rules::check_reconciled_change`]).
    pub async fn update_transfer(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewTransfer,
        confirm_reconciled: bool,
        now: DateTime<Utc>,
    ) -> Result<Transfer> {
        user.require(Permission::Write)?;
        rules::check_transfer_accounts(change.from_account, change.to_account)?;
        let current = self.store.transfer(user.ledger(), id).await?;
        rules::check_reconciled_change(&current.from, confirm_reconciled)?;
        rules::check_reconciled_change(&current.to, confirm_reconciled)?;
        self.store
            .update_transfer(user.ledger(), id, &change, millis(now))
            .await
    }

    /// Delete a transfer (both legs). A reconciled leg needs `confirm_reconciled`.
    pub async fn delete_transfer(
        &self,
        user: &AuthUser,
        id: Id,
        confirm_reconciled: bool,
    ) -> Result<()> {
        user.require(Permission::Write)?;
        let current = self.store.transfer(user.ledger(), id).await?;
        rules::check_reconciled_change(&current.from, confirm_reconciled)?;
        rules::check_reconciled_change(&current.to, confirm_reconciled)?;
        self.store
            .delete_transaction(user.ledger(), current.from.id)
            .await
    }

    /// Turn the income or expense row `row` (say, an imported bank line
    /// "VISA payment") into a transfer with `other_account`, keeping its date,
    /// amount, description and note: an expense leaves the row's account for
    /// `other_account`, an income arrives from it. The leg in the row's
    /// account keeps the row's status. A refund (negative) cannot be turned
    /// into a transfer (`Validation { field: "amount" }`); a reconciled row
    /// needs `confirm_reconciled`.
    pub async fn convert_to_transfer(
        &self,
        user: &AuthUser,
        row: Id,
        other_account: Id,
        confirm_reconciled: bool,
        now: DateTime<Utc>,
    ) -> Result<Transfer> {
        user.require(Permission::Write)?;
        let t = self.store.transaction(user.ledger(), row).await?;
        rules::check_reconciled_change(&t, confirm_reconciled)?;
        if t.kind.is_transfer() {
            return Err(rules::edit_transfer_as_transfer());
        }
        let amount = Amount::from_minor("amount", t.amount.minor())
            .map_err(|_| Error::validation("amount", "a refund cannot become a transfer"))?;
        let (from_account, to_account) = match t.kind {
            EntryKind::Income => (other_account, t.account_id),
            _ => (t.account_id, other_account),
        };
        let new = NewTransfer {
            from_account,
            to_account,
            amount,
            date: t.date,
            description: Description::parse("description", &t.description)?,
            note: Note::parse_optional("note", t.note.as_deref())?,
        };
        let mut legs =
            rules::new_transfer(user.ledger(), &new, millis(now)).map_err(|e| match e.field() {
                Some("toAccountId") => Error::validation(
                    "toAccountId",
                    "must be another account than the transaction's",
                ),
                _ => e,
            })?;
        for leg in &mut legs {
            if leg.account_id == t.account_id && t.status != TxStatus::Uncleared {
                leg.status = t.status;
            }
        }
        self.store
            .replace_with_transfer(user.ledger(), row, &legs)
            .await
    }
}
