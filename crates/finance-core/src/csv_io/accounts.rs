//! Which account each imported row goes to: the account chosen for the file
//! (the import's target), or, when the settings map an `account` column, the
//! account of the user that the row's cell names (compared like account
//! names: inner blanks collapsed, ignoring case). A blank cell is the target.
//!
//! Invariants: an import never creates an account (an unknown name is a line
//! error naming it); the target is one of the user's accounts (checked once,
//! before any row: another user's or a missing one is `NotFound { what:
//! "account" }`, so nothing is read or written for it); archived accounts
//! are found by name too (an export of them re-imports). Memory: one entry
//! per account of the user.

use std::collections::HashMap;

use super::resolve::name_key;
use crate::domain::Account;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;

/// The user's accounts as an import resolves them.
#[derive(Clone, Debug)]
pub struct ImportAccounts {
    /// Name key -> account id.
    by_key: HashMap<String, Id>,
    /// Account id -> name, as shown in a plan.
    names: HashMap<Id, String>,
    /// Where rows without an account cell go.
    target: Id,
}

impl ImportAccounts {
    /// Over the user's `accounts`: `target` must be one of them (else
    /// `NotFound { what: "account" }`); `None` is the user's default account
    /// ([`rules::default_account`]; `Validation { field: "accountId" }` when
    /// every account is archived).
    pub fn new(accounts: &[Account], target: Option<Id>) -> Result<ImportAccounts> {
        let target = match target {
            Some(id) => accounts
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.id)
                .ok_or(Error::NotFound { what: "account" })?,
            None => rules::default_account(accounts)
                .map(|a| a.id)
                .ok_or_else(rules::no_default_account)?,
        };
        Ok(ImportAccounts {
            by_key: accounts.iter().map(|a| (name_key(&a.name), a.id)).collect(),
            names: accounts.iter().map(|a| (a.id, a.name.clone())).collect(),
            target,
        })
    }

    /// The account rows without an account cell go to.
    pub fn target(&self) -> Id {
        self.target
    }

    /// The account of a row whose account cell is `cell` (`None`: no account
    /// column): the named account, or the target for a blank cell; `Err` with
    /// the reason for a name that is none of the user's accounts.
    pub(crate) fn resolve(&self, cell: Option<&str>) -> std::result::Result<Id, String> {
        let Some(name) = cell.map(str::trim).filter(|c| !c.is_empty()) else {
            return Ok(self.target);
        };
        self.by_key.get(&name_key(name)).copied().ok_or_else(|| {
            let shown: String = name.chars().take(60).collect();
            format!("'{shown}' is not one of your accounts (an import does not create accounts)")
        })
    }

    /// The name of one of the accounts (empty for an id that is none of them).
    pub(crate) fn name(&self, id: Id) -> &str {
        self.names.get(&id).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::*;
    use crate::domain::AccountType;
    use crate::money::Currency;

    pub(crate) fn account(name: &str, position: i32, archived: bool) -> Account {
        Account {
            id: Id::generate(),
            user_id: Id::from_bytes([1; 12]),
            name: name.into(),
            kind: AccountType::Checking,
            currency: Currency::EUR,
            opening_balance: 0,
            opening_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            note: None,
            archived,
            position,
            last_reconciled: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn cells_name_accounts_ignoring_case_and_blanks_and_blank_is_the_target() {
        let old = account("Old  Savings", 0, true);
        let main = account("Main account", 1, false);
        let card = account("Visa card", 2, false);
        let all = [old.clone(), main.clone(), card.clone()];
        let a = ImportAccounts::new(&all, None).unwrap();
        assert_eq!(
            a.target(),
            main.id,
            "no choice: the default account (the first one not archived)"
        );
        assert_eq!(a.resolve(None), Ok(main.id));
        assert_eq!(
            a.resolve(Some("  ")),
            Ok(main.id),
            "a blank cell is the target"
        );
        assert_eq!(a.resolve(Some(" VISA   card ")), Ok(card.id));
        assert_eq!(
            a.resolve(Some("old savings")),
            Ok(old.id),
            "an archived account is found by name"
        );
        let e = a.resolve(Some("Brokerage")).unwrap_err();
        assert!(e.contains("'Brokerage' is not one of your accounts"), "{e}");
        assert_eq!(a.name(card.id), "Visa card");

        let chosen = ImportAccounts::new(&all, Some(card.id)).unwrap();
        assert_eq!(chosen.resolve(Some("")), Ok(card.id));
        assert_eq!(
            ImportAccounts::new(&all, Some(Id::generate())).unwrap_err(),
            Error::NotFound { what: "account" },
            "a target that is not one of the accounts is not found"
        );
        assert_eq!(
            ImportAccounts::new(&[old], None).unwrap_err().field(),
            Some("accountId"),
            "every account archived and none chosen: the user must choose"
        );
    }
}
