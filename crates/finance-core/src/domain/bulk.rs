//! Bulk edits of the transaction list: which rows an action takes (a
//! [`Selection`]), what a store counts of them inside its write (a
//! [`SelectionCensus`], which the rules judge before anything is written),
//! and the totals of whatever a filter shows ([`FilterTotals`]).
//!
//! Invariants:
//! * a selection is either explicit ids (1 to [`MAX_SELECTED_IDS`],
//!   distinct) or "every row matching this filter", which the store applies
//!   inside its write — never by loading the rows;
//! * an action takes at most [`MAX_BULK_ROWS`] rows (a larger selection is
//!   refused whole, `Validation { field: "selection" }`);
//! * filter totals follow invariant 4b: a transfer leg counts in `count`,
//!   never in income or expense; a refund (a negative expense) lowers `expense`.

use std::collections::HashSet;

use super::transaction::TransactionFilter;
use crate::error::{Error, Result};
use crate::id::Id;

/// The most ids an explicit selection names (a larger one goes by filter).
pub const MAX_SELECTED_IDS: usize = 10_000;

/// The most rows one bulk action writes, whatever the selection.
pub const MAX_BULK_ROWS: u64 = 100_000;

/// The field a refused selection is reported on.
pub const SELECTION_FIELD: &str = "selection";

fn too_many_ids() -> Error {
    Error::validation(
        SELECTION_FIELD,
        format!(
            "at most {MAX_SELECTED_IDS} transactions can be picked one by one; select all matching the filter instead"
        ),
    )
}

/// The rows a bulk action takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// These rows of the user (each must exist: `NotFound` otherwise, nothing changes).
    Ids(Vec<Id>),
    /// Every row of the user the filter lets through, across pages.
    Filter(TransactionFilter),
}

impl Selection {
    /// An explicit selection: not empty, at most [`MAX_SELECTED_IDS`],
    /// duplicates dropped (first occurrence kept).
    pub fn ids(ids: Vec<Id>) -> Result<Selection> {
        if ids.is_empty() {
            return Err(Error::validation(
                SELECTION_FIELD,
                "select at least one transaction",
            ));
        }
        if ids.len() > MAX_SELECTED_IDS {
            return Err(too_many_ids());
        }
        let mut seen = HashSet::with_capacity(ids.len());
        Ok(Selection::Ids(
            ids.into_iter().filter(|id| seen.insert(*id)).collect(),
        ))
    }

    /// The ids typed (hex strings), checked as [`Selection::ids`].
    pub fn parse_ids(raw: &[String]) -> Result<Selection> {
        if raw.len() > MAX_SELECTED_IDS {
            return Err(too_many_ids());
        }
        Selection::ids(
            raw.iter()
                .map(|s| Id::parse("ids", s))
                .collect::<Result<_>>()?,
        )
    }

    /// The account the filter names, if any (the operation checks it is the user's).
    pub fn filter_account(&self) -> Option<Id> {
        match self {
            Selection::Ids(_) => None,
            Selection::Filter(f) => f.account,
        }
    }
}

/// What a store counts of a selection inside its write, before changing
/// anything: the rules ([`crate::rules::check_bulk`]) decide from it.
/// For a delete, the rows are the selection plus the other leg of each
/// selected transfer leg (a transfer goes whole).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SelectionCensus {
    /// Explicit ids asked for (0 for a filter selection).
    pub asked: u64,
    /// The user's rows among those asked for (for a filter: the rows it matches).
    pub selected: u64,
    /// The rows the action takes (the selected ones; for a delete, with
    /// the other leg of each selected transfer leg); the counts below are of these.
    pub rows: u64,
    pub income: u64,
    pub expense: u64,
    /// Transfer legs among them.
    pub transfer_legs: u64,
    /// Reconciled rows among them.
    pub reconciled: u64,
}

/// Income, expense and count of every row a filter lets through, summed by
/// the database. `count` includes transfer legs; `income` and `expense`
/// never do (invariant 4b); refunds lower `expense`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilterTotals {
    pub income: i64,
    pub expense: i64,
    /// Income minus expense (exact; a net beyond `i64` is refused like a total).
    pub net: i64,
    pub count: u64,
}

impl FilterTotals {
    /// Totals from the exact sums (`money::total` rule: past `i64`, `Validation { field: "period" }`).
    pub fn from_sums(income: i128, expense: i128, count: u64) -> Result<FilterTotals> {
        Ok(FilterTotals {
            income: crate::money::total(income)?,
            expense: crate::money::total(expense)?,
            net: crate::money::total(income - expense)?,
            count,
        })
    }
}

/// A change applied to every selected row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkChange {
    /// Into this category of the user (its kind is every row's, checked by the rules).
    Category(Id),
    /// Into this account of the user.
    Account(Id),
    /// Cleared (rows already cleared or reconciled are left as they are).
    Cleared,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_selections_are_bounded_and_distinct() {
        assert_eq!(
            Selection::ids(vec![]).unwrap_err().field(),
            Some(SELECTION_FIELD)
        );
        let a = Id::generate();
        let b = Id::generate();
        assert_eq!(
            Selection::ids(vec![a, b, a]).unwrap(),
            Selection::Ids(vec![a, b]),
            "a repeated id is one row"
        );
        assert!(Selection::ids(vec![a; MAX_SELECTED_IDS]).is_ok());
        assert_eq!(
            Selection::ids(vec![a; MAX_SELECTED_IDS + 1])
                .unwrap_err()
                .field(),
            Some(SELECTION_FIELD),
            "past the bound: select by filter"
        );
        assert_eq!(
            Selection::parse_ids(&["nope".into()]).unwrap_err().field(),
            Some("ids")
        );
    }

    #[test]
    fn totals_are_exact_or_refused() {
        let t = FilterTotals::from_sums(500, -20, 3).unwrap();
        assert_eq!((t.income, t.expense, t.net, t.count), (500, -20, 520, 3));
        let max = i128::from(i64::MAX);
        assert!(FilterTotals::from_sums(max, 0, 1).is_ok());
        assert_eq!(
            FilterTotals::from_sums(max, -1, 2).unwrap_err().field(),
            Some("period"),
            "a net past i64 is refused, never wrapped"
        );
    }
}
