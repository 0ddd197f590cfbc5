//! Transactions: add (optionally at most once per idempotency key), read,
//! edit, delete, keyset pages and range summaries.
//!
//! A transaction's kind is its category's ([`rules::new_transaction`]): the
//! category is read first, so the stored kind never comes from anywhere else.

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::idempotency::{Fingerprint, IDEMPOTENCY_FIELD, IdempotencyKey};
use crate::domain::{
    DateRange, NamedPage, NewTransaction, Page, Summary, Transaction, TransactionQuery,
};
use crate::error::Result;
use crate::id::Id;
use crate::rules;
use crate::store::IdempotencyRecord;

/// The fingerprint of an add request (every field the caller chose).
fn add_fingerprint(new: &NewTransaction) -> String {
    let mut f = Fingerprint::new("add-transaction");
    f.part(&new.category_id.bytes())
        .part(&new.amount.minor().to_le_bytes())
        .part(new.date.to_string().as_bytes())
        .part(new.description.as_str().as_bytes());
    match &new.note {
        Some(note) => f.part(b"1").part(note.as_str().as_bytes()),
        None => f.part(b"0"),
    };
    // Only a chosen account is a part: a request without one fingerprints as
    // before accounts existed, so keys recorded then still replay.
    if let Some(account) = new.account_id {
        f.part(b"account").part(&account.bytes());
    }
    f.finish()
}

impl Finance {
    /// Add a transaction; its kind is its category's.
    pub async fn add_transaction(
        &self,
        user: &AuthUser,
        new: NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        user.require(Permission::Write)?;
        let tx = self.new_row(user, new, now).await?;
        self.store.insert_transaction(&tx, None).await
    }

    /// Add a transaction at most once per `key`: a replay of the same request
    /// returns the transaction the first call created (as it is now) and writes
    /// nothing; the same key with a different request is
    /// `Conflict { field: "idempotencyKey" }`. Safe to retry after `Unavailable`.
    pub async fn add_transaction_with_key(
        &self,
        user: &AuthUser,
        new: NewTransaction,
        key: &IdempotencyKey,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        user.require(Permission::Write)?;
        let fingerprint = add_fingerprint(&new);
        if let Some(done) = self.replayed_add(user, key, &fingerprint).await? {
            return Ok(done);
        }
        let tx = self.new_row(user, new, now).await?;
        let record = IdempotencyRecord {
            key: key.as_str().to_string(),
            fingerprint: fingerprint.clone(),
            result: tx.id.to_hex(),
            created_at: tx.created_at,
        };
        match self.store.insert_transaction(&tx, Some(&record)).await {
            // A concurrent call with the same key won the race.
            Err(e) if e.field() == Some(IDEMPOTENCY_FIELD) => {
                self.replayed_add(user, key, &fingerprint).await?.ok_or(e)
            }
            other => other,
        }
    }

    /// The transaction an earlier add with `key` created, if there was one.
    async fn replayed_add(
        &self,
        user: &AuthUser,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> Result<Option<Transaction>> {
        let Some(id) = self.replayed_id(user, key, fingerprint).await? else {
            return Ok(None);
        };
        self.store.transaction(user.ledger(), id).await.map(Some)
    }

    /// The row for a new transaction: its category is read (`NotFound` when it
    /// is not the user's) because the row's kind is the category's; without an
    /// account it goes to the default one ([`rules::default_account`]). The
    /// store checks the account inside its write.
    async fn new_row(
        &self,
        user: &AuthUser,
        new: NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        let category = self.store.category(user.ledger(), new.category_id).await?;
        let account = match new.account_id {
            Some(id) => id,
            None => self.default_account(user).await?,
        };
        rules::new_transaction(user.ledger(), new, account, &category, millis(now))
    }

    /// One transaction.
    pub async fn transaction(&self, user: &AuthUser, id: Id) -> Result<Transaction> {
        user.require(Permission::Read)?;
        self.store.transaction(user.ledger(), id).await
    }

    /// Replace a transaction's fields. Without an account it stays in its
    /// own. A reconciled row is refused (`Conflict { field: "status" }`)
    /// until the user confirms ([`Finance::update_transaction_confirmed`]);
    /// a transfer's leg changes only as a transfer (`Conflict { field: "kind" }`).
    pub async fn update_transaction(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        user.require(Permission::Write)?;
        self.edit_row(user, id, change, now, false).await
    }

    /// [`Finance::update_transaction`] after the user confirmed changing a
    /// reconciled row (its status stays reconciled).
    pub async fn update_transaction_confirmed(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewTransaction,
        now: DateTime<Utc>,
    ) -> Result<Transaction> {
        user.require(Permission::Write)?;
        self.edit_row(user, id, change, now, true).await
    }

    async fn edit_row(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewTransaction,
        now: DateTime<Utc>,
        confirmed: bool,
    ) -> Result<Transaction> {
        let current = self.store.transaction(user.ledger(), id).await?;
        rules::check_reconciled_change(&current, confirmed)?;
        if current.kind.is_transfer() {
            return Err(rules::edit_transfer_as_transfer());
        }
        let category = self
            .store
            .category(user.ledger(), change.category_id)
            .await?;
        let kind = rules::edited_kind(&category, change.amount)?;
        let account = change.account_id.unwrap_or(current.account_id);
        self.store
            .update_transaction(user.ledger(), id, &change, account, kind, millis(now))
            .await
    }

    /// Delete a transaction (a transfer's leg deletes its transfer). A
    /// reconciled row is refused until the user confirms
    /// ([`Finance::delete_transaction_confirmed`]).
    pub async fn delete_transaction(&self, user: &AuthUser, id: Id) -> Result<()> {
        user.require(Permission::Write)?;
        let current = self.store.transaction(user.ledger(), id).await?;
        rules::check_reconciled_change(&current, false)?;
        self.store.delete_transaction(user.ledger(), id).await
    }

    /// [`Finance::delete_transaction`] after the user confirmed deleting a reconciled row.
    pub async fn delete_transaction_confirmed(&self, user: &AuthUser, id: Id) -> Result<()> {
        user.require(Permission::Write)?;
        self.store.delete_transaction(user.ledger(), id).await
    }

    /// One page of transactions. A filter on an account that is not the
    /// user's (another user's, or missing) is `NotFound { what: "account" }`.
    /// With the names of the categories its rows name, read with the rows.
    pub async fn transactions(
        &self,
        user: &AuthUser,
        query: &TransactionQuery,
    ) -> Result<NamedPage> {
        user.require(Permission::Read)?;
        if let Some(account) = query.filter.account {
            self.store.account(user.ledger(), account).await?;
        }
        let (rows, mut category_names) = self
            .store
            .list_transactions_named(user.ledger(), query)
            .await?;
        let Page { items, next } = page_of(rows, query);
        // The store's extra row (there is a next page) is not shown: nor its name.
        category_names.retain(|id, _| items.iter().any(|t| t.category_id == Some(*id)));
        Ok(NamedPage {
            items,
            next,
            category_names,
        })
    }

    /// One page, the filter's account already checked.
    pub(super) async fn page(
        &self,
        user: &AuthUser,
        query: &TransactionQuery,
    ) -> Result<Page<Transaction>> {
        let rows = self.store.list_transactions(user.ledger(), query).await?;
        Ok(page_of(rows, query))
    }

    /// Income, expense, net and count over a date range.
    pub async fn summary(&self, user: &AuthUser, range: DateRange) -> Result<Summary> {
        user.require(Permission::Read)?;
        self.store
            .summary(user.ledger(), None, range.from(), range.to())
            .await
    }
}

/// A page from the store's `limit + 1` rows: the extra row, if any, only says
/// that a next page exists (its cursor is the last kept row's).
fn page_of(mut items: Vec<Transaction>, query: &TransactionQuery) -> Page<Transaction> {
    let limit = query.limit as usize;
    let next = if items.len() > limit {
        items.truncate(limit);
        items
            .last()
            .map(|t| crate::domain::Cursor::after(t, query.sort))
    } else {
        None
    };
    Page { items, next }
}
