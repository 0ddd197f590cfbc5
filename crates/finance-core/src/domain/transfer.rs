//! Transfers: money moved between two accounts of the same user.
//!
//! A transfer is stored as two rows of `transactions` written in one database
//! transaction (a `transfer_out` leg in the source account and a
//! `transfer_in` leg in the target, sharing `transfer_id`, with no category),
//! so a register, a balance and a reconciliation read it like any other row.
//!
//! Invariants:
//! * both legs exist or neither: they are added, edited and deleted together;
//! * the accounts differ and both are the user's;
//! * a transfer is never income or expense: it has no category, so it is in
//!   no budget, summary, category report or category usage (every such sum
//!   filters on `kind = 'income' | 'expense'`) — it only moves balances.

use chrono::NaiveDate;

use super::date::parse_date;
use super::text::{Description, Note};
use super::transaction::{EntryKind, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};

/// A validated transfer to add, or to replace an existing one's fields with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTransfer {
    pub from_account: Id,
    pub to_account: Id,
    pub amount: Amount,
    pub date: NaiveDate,
    pub description: Description,
    pub note: Option<Note>,
}

/// A transfer as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct TransferDraft {
    pub from_account_id: String,
    pub to_account_id: String,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
}

impl TransferDraft {
    /// Validate in the user's currency; the first failing field is reported, in form order.
    pub fn validate(&self, currency: Currency) -> Result<NewTransfer> {
        let from_account = Id::parse("fromAccountId", &self.from_account_id)?;
        let to_account = Id::parse("toAccountId", &self.to_account_id)?;
        crate::rules::check_transfer_accounts(from_account, to_account)?;
        Ok(NewTransfer {
            from_account,
            to_account,
            amount: Amount::parse("amount", &self.amount, currency)?,
            date: parse_date("date", &self.date)?,
            description: Description::parse("description", &self.description)?,
            note: Note::parse_optional("note", self.note.as_deref())?,
        })
    }
}

/// Both legs of a stored transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    /// The `transfer_id` both legs carry.
    pub id: Id,
    /// The `transfer_out` leg (in the account the money left).
    pub from: Transaction,
    /// The `transfer_in` leg.
    pub to: Transaction,
}

impl Transfer {
    /// Pair two legs read from a store (in any order); `Internal` when they do
    /// not form one transfer (a store bug, never the user's input).
    pub fn from_legs(legs: Vec<Transaction>) -> Result<Transfer> {
        let broken = || Error::internal("transfer", "its legs are inconsistent");
        let [a, b]: [Transaction; 2] = legs.try_into().map_err(|_| broken())?;
        let (from, to) = match (a.kind, b.kind) {
            (EntryKind::TransferOut, EntryKind::TransferIn) => (a, b),
            (EntryKind::TransferIn, EntryKind::TransferOut) => (b, a),
            _ => return Err(broken()),
        };
        match (from.transfer_id, to.transfer_id) {
            (Some(x), Some(y)) if x == y => Ok(Transfer { id: x, from, to }),
            _ => Err(broken()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> TransferDraft {
        TransferDraft {
            from_account_id: Id::generate().to_hex(),
            to_account_id: Id::generate().to_hex(),
            amount: "250.00".into(),
            date: "2026-11-30".into(),
            description: "Credit card bill".into(),
            note: None,
        }
    }

    #[test]
    fn drafts_validate_each_field() {
        assert_eq!(
            draft().validate(Currency::EUR).unwrap().amount.minor(),
            25_000
        );
        let same = Id::generate().to_hex();
        for (field, patch) in [
            (
                "fromAccountId",
                TransferDraft {
                    from_account_id: "x".into(),
                    ..draft()
                },
            ),
            (
                "toAccountId",
                TransferDraft {
                    to_account_id: "".into(),
                    ..draft()
                },
            ),
            (
                "toAccountId",
                TransferDraft {
                    from_account_id: same.clone(),
                    to_account_id: same,
                    ..draft()
                },
            ),
            (
                "amount",
                TransferDraft {
                    amount: "-5".into(),
                    ..draft()
                },
            ),
            (
                "amount",
                TransferDraft {
                    amount: "0".into(),
                    ..draft()
                },
            ),
            (
                "date",
                TransferDraft {
                    date: "2026-02-30".into(),
                    ..draft()
                },
            ),
            (
                "description",
                TransferDraft {
                    description: " ".into(),
                    ..draft()
                },
            ),
        ] {
            assert_eq!(
                patch.validate(Currency::EUR).unwrap_err().field(),
                Some(field),
                "{patch:?} is refused on its field"
            );
        }
    }
}
