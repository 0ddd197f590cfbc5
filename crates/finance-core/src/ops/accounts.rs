//! Accounts: list (with balances), add, edit, archive, and delete
//! (optionally moving the account's transactions to another one, removing
//! the transfers between the two; the rules are in [`crate::rules`]), and
//! the default account of a transaction added without one.

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::{Account, AccountBalance, AccountUsage, NewAccount};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;

impl Finance {
    /// The user's accounts (archived ones too), by position.
    pub async fn accounts(&self, user: &AuthUser) -> Result<Vec<Account>> {
        user.require(Permission::Read)?;
        self.store.accounts(user.ledger()).await
    }

    /// The user's accounts with their balances, by position.
    pub async fn account_balances(&self, user: &AuthUser) -> Result<Vec<AccountBalance>> {
        user.require(Permission::Read)?;
        self.store.account_balances(user.ledger()).await
    }

    /// What deleting one of the user's accounts touches ([`AccountUsage`]:
    /// its transactions, and the transfers with each other account that a
    /// move there removes), or `NotFound`. The count comes from
    /// [`Finance::account_balances`]: a user has a handful of accounts.
    pub async fn account_usage(&self, user: &AuthUser, id: Id) -> Result<AccountUsage> {
        user.require(Permission::Read)?;
        let transactions = self
            .store
            .account_balances(user.ledger())
            .await?
            .into_iter()
            .find(|b| b.account.id == id)
            .map(|b| b.transactions)
            .ok_or(Error::NotFound { what: "account" })?;
        let transfers = if transactions == 0 {
            Vec::new()
        } else {
            self.store.account_transfers(user.ledger(), id).await?
        };
        Ok(AccountUsage {
            transactions,
            transfers,
        })
    }

    /// One of the user's accounts, or `NotFound`.
    pub async fn account(&self, user: &AuthUser, id: Id) -> Result<Account> {
        user.require(Permission::Read)?;
        self.store.account(user.ledger(), id).await
    }

    /// Add an account, after the existing ones, in the user's currency.
    /// `Conflict { field: "name" }` if one has the same name (ignoring case).
    pub async fn add_account(
        &self,
        user: &AuthUser,
        new: NewAccount,
        now: DateTime<Utc>,
    ) -> Result<Account> {
        user.require(Permission::Write)?;
        let existing = self.store.accounts(user.ledger()).await?;
        let position = existing
            .iter()
            .map(|a| a.position)
            .max()
            .map_or(0, |p| p.saturating_add(1));
        let account = Account {
            id: Id::generate(),
            user_id: user.ledger(),
            name: new.name.as_str().to_string(),
            kind: new.kind,
            currency: user.currency,
            opening_balance: new.opening_balance,
            opening_date: new.opening_date,
            note: new.note.map(|n| n.as_str().to_string()),
            archived: false,
            position,
            last_reconciled: None,
            created_at: millis(now),
        };
        self.store.insert_account(&account).await?;
        Ok(account)
    }

    /// Replace an account's name, type, opening balance and date, and note.
    pub async fn update_account(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewAccount,
    ) -> Result<Account> {
        user.require(Permission::Write)?;
        self.store.update_account(user.ledger(), id, &change).await
    }

    /// Archive (hide from pickers; still counted) or unarchive an account.
    pub async fn set_account_archived(
        &self,
        user: &AuthUser,
        id: Id,
        archived: bool,
    ) -> Result<Account> {
        user.require(Permission::Write)?;
        self.store
            .set_account_archived(user.ledger(), id, archived)
            .await
    }

    /// Delete one of the user's accounts (`remove_`: [`Finance::delete_account`]
    /// deletes the user). With `move_to`, its transactions move there
    /// ([`rules::check_account_move_target`]); without, an account holding
    /// transactions is refused ([`rules::account_in_use`]); the last account
    /// never goes ([`rules::last_account`]). The transfers between the account
    /// and `move_to` are deleted (both legs, in the same write): merged into
    /// one account they would move nothing, and their effects cancel, so
    /// the target's balance stays its opening plus the signed sum of its rows.
    /// Delete the user's account `id` with its transactions (and both legs
    /// of its transfers): the "delete them" answer to a used account's
    /// delete. The last account is refused. Returns how many rows went.
    pub async fn remove_account_and_transactions(&self, user: &AuthUser, id: Id) -> Result<u64> {
        user.require(Permission::Write)?;
        self.store
            .delete_account_with_transactions(user.ledger(), id)
            .await
    }

    pub async fn remove_account(&self, user: &AuthUser, id: Id, move_to: Option<Id>) -> Result<()> {
        user.require(Permission::Write)?;
        if let Some(target) = move_to {
            let source = self.store.account(user.ledger(), id).await?;
            let target = match self.store.account(user.ledger(), target).await {
                Ok(found) => Some(found),
                Err(Error::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
            rules::check_account_move_target(&source, target.as_ref())?;
        }
        self.store.delete_account(user.ledger(), id, move_to).await
    }

    /// The account a transaction added without one goes to ([`rules::default_account`]).
    pub(crate) async fn default_account(&self, user: &AuthUser) -> Result<Id> {
        let accounts = self.store.accounts(user.ledger()).await?;
        rules::default_account(&accounts)
            .map(|a| a.id)
            .ok_or_else(rules::no_default_account)
    }
}
