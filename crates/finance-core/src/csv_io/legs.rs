//! Transfers in the app's own export: each transfer is two rows (its legs,
//! `transfer_out` in one account and `transfer_in` in another) carrying the
//! same reference in the `transfer` column. [`PendingLegs`] holds a leg until
//! its other leg arrives, checks the two make one transfer, and gives both
//! to the parser together (so they are counted, flagged as duplicates and
//! written as a pair — never one leg alone).
//!
//! Invariants:
//! * a pair is one `transfer_out` and one `transfer_in` with the same date
//!   and amount, in two different accounts; anything else is a line error
//!   on both lines;
//! * a leg whose other leg never comes is a line error when the file ends;
//! * at most [`MAX_PENDING_LEGS`] legs wait at once (the export writes a
//!   transfer's legs next to each other; a file that does not is bounded).

use std::collections::HashMap;

use super::LineError;
use super::rows::line_error;
use crate::domain::Transaction;
use crate::id::Id;

/// Legs waiting for their other leg, at most.
pub(crate) const MAX_PENDING_LEGS: usize = 10_000;

/// One leg as read: its line and its row (kind `transfer_out`/`transfer_in`).
pub(crate) type Leg = (u64, Transaction);

/// Legs read whose other leg has not come yet, by the file's reference.
#[derive(Default)]
pub(crate) struct PendingLegs(HashMap<Id, Leg>);

impl PendingLegs {
    /// Offer a leg: `Ok(None)` while it waits; `Ok(Some(legs))` in line order
    /// when it completes a transfer (both given the same new transfer id); `Err` with
    /// the errors of the lines involved when the two do not make a transfer
    /// (the waiting leg is dropped then) or too many legs wait.
    pub(crate) fn offer(
        &mut self,
        reference: Id,
        line: u64,
        mut t: Transaction,
    ) -> Result<Option<[Leg; 2]>, Vec<LineError>> {
        let Some((first_line, mut first)) = self.0.remove(&reference) else {
            if self.0.len() >= MAX_PENDING_LEGS {
                return Err(vec![line_error(
                    line,
                    Some("transfer"),
                    format!(
                        "more than {MAX_PENDING_LEGS} transfers wait for their other row; \
                         keep both rows of a transfer near each other"
                    ),
                )]);
            }
            self.0.insert(reference, (line, t));
            return Ok(None);
        };
        let problem = if first.kind == t.kind {
            Some("has the same direction as the other row of its transfer")
        } else if first.date != t.date {
            Some("has another date than the other row of its transfer")
        } else if first.amount != t.amount {
            Some("has another amount than the other row of its transfer")
        } else if first.account_id == t.account_id {
            Some("is in the same account as the other row of its transfer")
        } else {
            None
        };
        if let Some(reason) = problem {
            return Err(vec![
                line_error(first_line, Some("transfer"), reason),
                line_error(line, Some("transfer"), reason),
            ]);
        }
        let id = Id::generate();
        first.transfer_id = Some(id);
        t.transfer_id = Some(id);
        Ok(Some([(first_line, first), (line, t)]))
    }

    /// The lines of legs still waiting when the file has ended, in line order.
    pub(crate) fn unpaired(&mut self) -> Vec<LineError> {
        let mut lines: Vec<u64> = self.0.drain().map(|(_, (line, _))| line).collect();
        lines.sort_unstable();
        lines
            .into_iter()
            .map(|line| {
                line_error(
                    line,
                    Some("transfer"),
                    "is one row of a transfer whose other row is not in the file",
                )
            })
            .collect()
    }
}
