//! Accounts: where the money is (a bank account, cash, a credit card, a loan).
//!
//! Invariants:
//! * every transaction belongs to exactly one account of its user;
//! * an account's name is 1–60 characters, trimmed, inner whitespace
//!   collapsed, unique per user ignoring case ([`AccountName::key`]);
//! * the balance of an account is its opening balance plus the signed sum of
//!   its transactions ([`crate::rules::balance_effect`] gives the sign),
//!   computed by the store in the database;
//! * assets vs liabilities follow from the type ([`AccountType::is_liability`]);
//!   net worth adds both (a liability's balance is normally negative);
//! * a user always has at least one account (registration creates
//!   [`MAIN_ACCOUNT_NAME`], the last one cannot be deleted);
//! * no transfer has both legs in one account: deleting an account whose
//!   transactions move to another removes the transfers between the two
//!   (their net effect on the merged account is zero), see [`AccountUsage`].

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use super::date::parse_date;
use super::text::{Note, clean_text};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{self, Currency};

/// The name of the account registration (and the migration of data from
/// before accounts) creates.
pub const MAIN_ACCOUNT_NAME: &str = "Main account";

/// What kind of account it is. The stored strings ([`AccountType::as_str`]) are persistent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountType {
    Checking,
    Savings,
    Cash,
    CreditCard,
    Loan,
    /// An investment or other asset.
    Asset,
    /// Any other liability.
    Liability,
}

impl AccountType {
    /// Every type, in display order.
    pub const ALL: [AccountType; 7] = [
        AccountType::Checking,
        AccountType::Savings,
        AccountType::Cash,
        AccountType::CreditCard,
        AccountType::Loan,
        AccountType::Asset,
        AccountType::Liability,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::Checking => "checking",
            AccountType::Savings => "savings",
            AccountType::Cash => "cash",
            AccountType::CreditCard => "credit_card",
            AccountType::Loan => "loan",
            AccountType::Asset => "asset",
            AccountType::Liability => "liability",
        }
    }

    /// Parse the stored or typed form (`Validation { field }` otherwise).
    pub fn parse(field: &str, s: &str) -> Result<AccountType> {
        let s = s.trim().to_ascii_lowercase();
        AccountType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                Error::validation(
                    field,
                    "must be checking, savings, cash, credit_card, loan, asset or liability",
                )
            })
    }

    /// Whether the account holds what the user owes (credit card, loan, other
    /// liability); the rest are assets.
    pub fn is_liability(self) -> bool {
        matches!(
            self,
            AccountType::CreditCard | AccountType::Loan | AccountType::Liability
        )
    }
}

impl fmt::Display for AccountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An account name: 1–60 characters, trimmed, inner whitespace collapsed;
/// unique per user ignoring case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountName(String);

impl AccountName {
    /// Validate.
    pub fn parse(field: &str, raw: &str) -> Result<AccountName> {
        let s = clean_text(field, raw, 1, 60, false)?;
        Ok(AccountName(
            s.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    }
    /// The name as shown.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The uniqueness key: the name lower-cased (Unicode-aware).
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A bank statement to reconcile with (its date and ending balance), and an
/// account's last finished reconciliation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    pub date: NaiveDate,
    pub balance: i64,
}

impl Reconciliation {
    /// A statement as typed: `statementDate` and the signed
    /// `statementBalance` (a credit card's is usually negative), exactly.
    pub fn parse(date: &str, balance: &str, currency: Currency) -> Result<Reconciliation> {
        Ok(Reconciliation {
            date: parse_date("statementDate", date)?,
            balance: money::parse_balance("statementBalance", balance, currency)?,
        })
    }
}

/// A stored account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: Id,
    pub user_id: Id,
    pub name: String,
    pub kind: AccountType,
    pub currency: Currency,
    /// Signed minor units (a credit card or a loan usually opens negative).
    pub opening_balance: i64,
    pub opening_date: NaiveDate,
    pub note: Option<String>,
    /// Hidden from pickers; still counted in net worth.
    pub archived: bool,
    /// Display order (ascending), then `created_at`, then id.
    pub position: i32,
    pub last_reconciled: Option<Reconciliation>,
    pub created_at: DateTime<Utc>,
}

/// A validated account to add, or to replace an existing one's editable fields with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub name: AccountName,
    pub kind: AccountType,
    pub opening_balance: i64,
    pub opening_date: NaiveDate,
    pub note: Option<Note>,
}

/// An account as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct AccountDraft {
    pub name: String,
    pub kind: String,
    /// Signed decimal (`"-250.00"`); blank is zero.
    pub opening_balance: String,
    pub opening_date: String,
    pub note: Option<String>,
}

impl AccountDraft {
    /// Validate in the user's currency; the first failing field is reported, in form order.
    pub fn validate(&self, currency: Currency) -> Result<NewAccount> {
        let opening = self.opening_balance.trim();
        Ok(NewAccount {
            name: AccountName::parse("name", &self.name)?,
            kind: AccountType::parse("type", &self.kind)?,
            opening_balance: if opening.is_empty() {
                0
            } else {
                money::parse_balance("openingBalance", opening, currency)?
            },
            opening_date: parse_date("openingDate", &self.opening_date)?,
            note: Note::parse_optional("note", self.note.as_deref())?,
        })
    }
}

/// An account with its balance (opening balance + the signed sum of its
/// transactions) and how many transactions it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountBalance {
    pub account: Account,
    /// Opening balance + the effects of all its transactions.
    pub balance: i64,
    /// Opening balance + the effects of its cleared and reconciled ones.
    pub cleared_balance: i64,
    pub transactions: u64,
}

/// What deleting an account touches, asked before the delete: how many
/// transactions it holds and, for each other account it has transfers with,
/// how many — those transfers are removed (both legs) when its transactions
/// move to that account, since both legs would then be in one account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountUsage {
    pub transactions: u64,
    /// (the other account, the transfers between the two), by account id;
    /// accounts without transfers with this one are left out.
    pub transfers: Vec<(Id, u64)>,
}

impl AccountUsage {
    /// The transfers between this account and `other` (removed by a delete
    /// that moves the transactions to `other`).
    pub fn transfers_with(&self, other: Id) -> u64 {
        self.transfers
            .iter()
            .find(|(id, _)| *id == other)
            .map_or(0, |(_, n)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> AccountDraft {
        AccountDraft {
            name: "  Visa   card ".into(),
            kind: "credit_card".into(),
            opening_balance: "-250.50".into(),
            opening_date: "2024-01-01".into(),
            note: None,
        }
    }

    #[test]
    fn drafts_validate_into_domain_types() {
        let a = draft().validate(Currency::EUR).expect("a valid draft");
        assert_eq!(a.name.as_str(), "Visa card", "trimmed and collapsed");
        assert_eq!(a.name.key(), "visa card");
        assert_eq!(a.kind, AccountType::CreditCard);
        assert_eq!(a.opening_balance, -25_050, "signed minor units");
        let zero = AccountDraft {
            opening_balance: " ".into(),
            ..draft()
        };
        assert_eq!(zero.validate(Currency::EUR).unwrap().opening_balance, 0);
    }

    #[test]
    fn each_bad_field_is_named() {
        for (field, patch) in [
            (
                "name",
                AccountDraft {
                    name: " ".into(),
                    ..draft()
                },
            ),
            (
                "name",
                AccountDraft {
                    name: "n".repeat(61),
                    ..draft()
                },
            ),
            (
                "type",
                AccountDraft {
                    kind: "wallet".into(),
                    ..draft()
                },
            ),
            (
                "openingBalance",
                AccountDraft {
                    opening_balance: "12.345".into(),
                    ..draft()
                },
            ),
            (
                "openingBalance",
                AccountDraft {
                    opening_balance: "--5".into(),
                    ..draft()
                },
            ),
            (
                "openingDate",
                AccountDraft {
                    opening_date: "2023-02-29".into(),
                    ..draft()
                },
            ),
            (
                "note",
                AccountDraft {
                    note: Some("n".repeat(1001)),
                    ..draft()
                },
            ),
        ] {
            assert_eq!(
                patch.validate(Currency::EUR).unwrap_err().field(),
                Some(field),
                "{patch:?}"
            );
        }
    }

    #[test]
    fn types_round_trip_and_say_which_are_liabilities() {
        for t in AccountType::ALL {
            assert_eq!(AccountType::parse("type", t.as_str()).unwrap(), t);
        }
        let liabilities: Vec<_> = AccountType::ALL
            .into_iter()
            .filter(|t| t.is_liability())
            .collect();
        assert_eq!(
            liabilities,
            [
                AccountType::CreditCard,
                AccountType::Loan,
                AccountType::Liability
            ]
        );
    }
}
