//! What a bulk action (many rows in one write) may take: the user's rows only,
//! a bounded count, each row keeping its kind, no transfer leg re-categorised
//! or moved, reconciled rows only with the user's confirmation.

use super::*;
use crate::domain::bulk::SELECTION_FIELD;
use crate::domain::{MAX_BULK_ROWS, SelectionCensus};

/// A bulk action, as [`check_bulk`] judges it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Into a category of this kind.
    Recategorise(CategoryKind),
    /// Into another account.
    Move,
    /// Mark cleared (reconciled rows stay reconciled: no confirmation needed).
    MarkCleared,
    /// Delete (with both legs of each transfer).
    Delete,
}

/// Whether a bulk action may take the rows a store counted inside its
/// write (`census`); `confirmed`: the user agreed to change reconciled rows.
/// Refusals, first match: an id that is not the user's (`NotFound`, as a
/// single edit); more than [`MAX_BULK_ROWS`] rows (`Validation` on
/// `selection`); transfer legs in a re-categorise or a move (`Validation`
/// on `selection`); rows of the other kind than the target category
/// (`Validation` on `categoryId`); reconciled rows without confirmation
/// (`Conflict` on `status`, which the app turns into a question).
pub fn check_bulk(census: &SelectionCensus, action: BulkAction, confirmed: bool) -> Result<()> {
    if census.asked > 0 && census.selected != census.asked {
        return Err(Error::NotFound {
            what: "transaction",
        });
    }
    if census.rows > MAX_BULK_ROWS {
        return Err(Error::validation(
            SELECTION_FIELD,
            format!(
                "{} transactions are selected; one action changes at most {MAX_BULK_ROWS}: narrow the filter",
                census.rows
            ),
        ));
    }
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let legs = census.transfer_legs;
    match action {
        BulkAction::Recategorise(_) | BulkAction::Move if legs > 0 => {
            let what = if matches!(action, BulkAction::Move) {
                "move with their transfer: edit each transfer to change its accounts"
            } else {
                "carry no category"
            };
            return Err(Error::validation(
                SELECTION_FIELD,
                format!(
                    "{legs} selected row{} are transfers, which {what}; leave them out",
                    plural(legs)
                ),
            ));
        }
        BulkAction::Recategorise(kind) => {
            let other = match kind {
                CategoryKind::Income => census.expense,
                CategoryKind::Expense => census.income,
            };
            if other > 0 {
                return Err(Error::validation(
                    "categoryId",
                    format!(
                        "{other} selected row{} are not {} — a row keeps its kind: choose a category of its kind",
                        plural(other),
                        kind.as_str()
                    ),
                ));
            }
        }
        BulkAction::Move | BulkAction::MarkCleared | BulkAction::Delete => {}
    }
    if census.reconciled > 0 && !confirmed && action != BulkAction::MarkCleared {
        return Err(Error::conflict(
            "status",
            format!(
                "{} selected transaction{} reconciled with a bank statement; confirm to change {}",
                census.reconciled,
                if census.reconciled == 1 {
                    " is"
                } else {
                    "s are"
                },
                if census.reconciled == 1 { "it" } else { "them" }
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_actions_keep_kinds_transfers_and_reconciled_rows() {
        let expenses = SelectionCensus {
            asked: 3,
            selected: 3,
            rows: 3,
            expense: 3,
            ..Default::default()
        };
        let expense = BulkAction::Recategorise(CategoryKind::Expense);
        let income = BulkAction::Recategorise(CategoryKind::Income);
        assert!(check_bulk(&expenses, expense, false).is_ok());
        assert_eq!(
            check_bulk(&expenses, income, false).unwrap_err().field(),
            Some("categoryId"),
            "an expense never becomes income in bulk"
        );
        let missing = SelectionCensus {
            selected: 2,
            ..expenses
        };
        assert_eq!(
            check_bulk(&missing, BulkAction::Delete, true)
                .unwrap_err()
                .code(),
            crate::ErrorCode::NotFound,
            "an id that is not the user's fails the whole action"
        );
        let legs = SelectionCensus {
            transfer_legs: 1,
            expense: 2,
            ..expenses
        };
        for action in [expense, BulkAction::Move] {
            assert_eq!(
                check_bulk(&legs, action, true).unwrap_err().field(),
                Some("selection"),
                "{action:?}: a transfer leg changes only with its transfer"
            );
        }
        assert!(check_bulk(&legs, BulkAction::MarkCleared, false).is_ok());
        assert!(check_bulk(&legs, BulkAction::Delete, false).is_ok());
        let reconciled = SelectionCensus {
            reconciled: 1,
            ..expenses
        };
        for action in [expense, BulkAction::Move, BulkAction::Delete] {
            assert_eq!(
                check_bulk(&reconciled, action, false).unwrap_err().field(),
                Some("status"),
                "{action:?}: reconciled rows need the user's confirmation"
            );
            assert!(check_bulk(&reconciled, action, true).is_ok());
        }
        assert!(
            check_bulk(&reconciled, BulkAction::MarkCleared, false).is_ok(),
            "marking cleared leaves reconciled rows as they are"
        );
        let huge = SelectionCensus {
            asked: 0,
            selected: MAX_BULK_ROWS + 1,
            rows: MAX_BULK_ROWS + 1,
            expense: MAX_BULK_ROWS + 1,
            ..Default::default()
        };
        assert_eq!(
            check_bulk(&huge, BulkAction::MarkCleared, false)
                .unwrap_err()
                .field(),
            Some("selection")
        );
    }
}
