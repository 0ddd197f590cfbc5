//! IPC types of accounts: the type, an account with its balance, the list with
//! the totals (assets, liabilities, net worth), and the account forms.
//!
//! Invariants: types convert to and from the core's `AccountType` directly;
//! whether a type is a liability is the core's rule, sent as `liability` (the
//! UI never keeps its own list); balances and totals are exact signed decimal
//! strings in the user's currency, summed by the core
//! ([`finance_core::rules::net_worth`]); ids are parsed, with the form's field
//! name, before any store call.

use finance_core::domain::{
    AccountBalance, AccountDraft, AccountType, AccountUsage, NetWorth, NewAccount,
};
use finance_core::money::format_minor;
use finance_core::{Currency, Id};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::count32;

/// `"checking"`, `"savings"`, `"cash"`, `"credit_card"`, `"loan"`, `"asset"` or `"liability"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(rename = "AccountType")]
pub enum AccountTypeView {
    Checking,
    Savings,
    Cash,
    CreditCard,
    Loan,
    Asset,
    Liability,
}

impl From<AccountType> for AccountTypeView {
    fn from(t: AccountType) -> Self {
        match t {
            AccountType::Checking => AccountTypeView::Checking,
            AccountType::Savings => AccountTypeView::Savings,
            AccountType::Cash => AccountTypeView::Cash,
            AccountType::CreditCard => AccountTypeView::CreditCard,
            AccountType::Loan => AccountTypeView::Loan,
            AccountType::Asset => AccountTypeView::Asset,
            AccountType::Liability => AccountTypeView::Liability,
        }
    }
}

impl From<AccountTypeView> for AccountType {
    fn from(t: AccountTypeView) -> Self {
        match t {
            AccountTypeView::Checking => AccountType::Checking,
            AccountTypeView::Savings => AccountType::Savings,
            AccountTypeView::Cash => AccountType::Cash,
            AccountTypeView::CreditCard => AccountType::CreditCard,
            AccountTypeView::Loan => AccountType::Loan,
            AccountTypeView::Asset => AccountType::Asset,
            AccountTypeView::Liability => AccountType::Liability,
        }
    }
}

/// An account as shown, with its balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: AccountTypeView,
    /// Whether the type is a liability (credit card, loan, other liability).
    pub liability: bool,
    /// Signed, e.g. `"-250.00"`.
    pub opening_balance: String,
    pub opening_date: String,
    pub note: Option<String>,
    /// Hidden from pickers; still counted in the totals.
    pub archived: bool,
    /// Opening balance plus the signed sum of its transactions.
    pub balance: String,
    /// Opening balance plus its cleared and reconciled transactions (what
    /// the bank has seen).
    pub cleared_balance: String,
    /// How many transactions it holds.
    pub transactions: u32,
    /// The last statement it was reconciled to, if any.
    pub last_reconciled: Option<crate::types::ReconciledView>,
}

impl AccountView {
    pub fn new(b: &AccountBalance, currency: Currency) -> AccountView {
        let a = &b.account;
        AccountView {
            id: a.id.to_hex(),
            name: a.name.clone(),
            kind: a.kind.into(),
            liability: a.kind.is_liability(),
            opening_balance: format_minor(a.opening_balance, currency),
            opening_date: a.opening_date.to_string(),
            note: a.note.clone(),
            archived: a.archived,
            balance: format_minor(b.balance, currency),
            cleared_balance: format_minor(b.cleared_balance, currency),
            transactions: count32(b.transactions),
            last_reconciled: a
                .last_reconciled
                .map(|r| crate::types::ReconciledView::new(a.id, &r, currency)),
        }
    }
}

/// Every account of the user (archived ones too), in display order, with the
/// totals over all of them. Account writes answer it too: net worth depends on
/// every account, and a user has a handful.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountsView {
    pub accounts: Vec<AccountView>,
    /// The sum of the asset accounts' balances.
    pub assets: String,
    /// The sum of the liability accounts' balances (normally negative).
    pub liabilities: String,
    /// `assets + liabilities`.
    pub net_worth: String,
}

impl AccountsView {
    pub fn new(balances: &[AccountBalance], totals: NetWorth, currency: Currency) -> AccountsView {
        AccountsView {
            accounts: balances
                .iter()
                .map(|b| AccountView::new(b, currency))
                .collect(),
            assets: format_minor(totals.assets, currency),
            liabilities: format_minor(totals.liabilities, currency),
            net_worth: format_minor(totals.net, currency),
        }
    }
}

/// The account form's fields, as typed (an add; an edit adds the id).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountInput {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: AccountTypeView,
    /// Signed decimal in the user's currency (`"-250.00"`); blank is zero.
    pub opening_balance: String,
    pub opening_date: String,
    pub note: Option<String>,
}

impl AccountInput {
    /// Validate in the user's currency (the core's draft names the failing field).
    pub fn validate(self, currency: Currency) -> Result<NewAccount, finance_core::Error> {
        // The draft holds form strings; the type is already one of ours, so
        // its stored form always parses back to it.
        AccountDraft {
            name: self.name,
            kind: AccountType::from(self.kind).as_str().to_string(),
            opening_balance: self.opening_balance,
            opening_date: self.opening_date,
            note: self.note,
        }
        .validate(currency)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateAccountInput {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: AccountInput,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ArchiveAccountInput {
    pub id: String,
    pub archived: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RemoveAccountInput {
    pub id: String,
    /// Another account to move the transactions to; blank or null: none.
    pub move_to: Option<String>,
    /// Delete the transactions with the account (and both legs of its
    /// transfers) instead of moving them; not with `moveTo`.
    #[serde(default)]
    #[ts(optional)]
    pub delete_transactions: Option<bool>,
}

/// A deletion, validated: the account and what happens to its transactions.
pub struct AccountRemoval {
    pub id: Id,
    pub rows: RemovedRows,
}

/// What a deleted account's transactions become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovedRows {
    /// None may be left (an account holding any is refused).
    Refuse,
    MoveTo(Id),
    Delete,
}

impl TryFrom<RemoveAccountInput> for AccountRemoval {
    type Error = finance_core::Error;
    fn try_from(i: RemoveAccountInput) -> Result<AccountRemoval, Self::Error> {
        let id = Id::parse("id", &i.id)?;
        let move_to = match i.move_to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(m) => Some(Id::parse("moveTo", m)?),
        };
        let rows = match (move_to, i.delete_transactions.unwrap_or(false)) {
            (Some(_), true) => {
                return Err(finance_core::Error::validation(
                    "moveTo",
                    "choose either an account to move them to or deleting them",
                ));
            }
            (Some(target), false) => RemovedRows::MoveTo(target),
            (None, true) => RemovedRows::Delete,
            (None, false) => RemovedRows::Refuse,
        };
        Ok(AccountRemoval { id, rows })
    }
}

/// What deleting an account touches (asked before the delete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountUsageView {
    pub transactions: u32,
    /// Per other account, the transfers between the two: a delete that
    /// moves the transactions there removes them (both legs).
    pub transfers: Vec<AccountTransfersView>,
}

/// The transfers between the account asked about and `accountId`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountTransfersView {
    pub account_id: String,
    pub transfers: u32,
}

impl From<AccountUsage> for AccountUsageView {
    fn from(u: AccountUsage) -> Self {
        AccountUsageView {
            transactions: count32(u.transactions),
            transfers: u
                .transfers
                .into_iter()
                .map(|(id, n)| AccountTransfersView {
                    account_id: id.to_hex(),
                    transfers: count32(n),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod removal_tests {
    use super::*;

    fn input(move_to: Option<&str>, delete: Option<bool>) -> RemoveAccountInput {
        RemoveAccountInput {
            id: "0123456789abcdef01234567".into(),
            move_to: move_to.map(str::to_string),
            delete_transactions: delete,
        }
    }

    #[test]
    fn a_removal_moves_deletes_or_refuses_but_never_both() {
        let target = "76543210fedcba9876543210";
        let rows = |i| AccountRemoval::try_from(i).map(|r| r.rows);
        assert_eq!(rows(input(None, None)).unwrap(), RemovedRows::Refuse);
        assert_eq!(
            rows(input(Some(" "), Some(false))).unwrap(),
            RemovedRows::Refuse
        );
        assert_eq!(
            rows(input(Some(target), None)).unwrap(),
            RemovedRows::MoveTo(Id::parse("moveTo", target).unwrap())
        );
        assert_eq!(rows(input(None, Some(true))).unwrap(), RemovedRows::Delete);
        let both = rows(input(Some(target), Some(true))).unwrap_err();
        assert!(
            matches!(&both, finance_core::Error::Validation { field, .. } if field == "moveTo"),
            "moving and deleting at once is refused, naming the field: {both:?}"
        );
    }
}
