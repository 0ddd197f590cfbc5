//! IPC types of bulk edits and of the list's totals: a selection (explicit
//! ids or "everything matching this filter"), the four actions' inputs, what
//! they answer, and the totals of a filter.
//!
//! Invariants: a selection names exactly one of `ids` and `filter`
//! (`Validation { field: "selection" }` otherwise); the filter is the list's
//! own input ([`TransactionListInput`]; its sort, page size and cursor are
//! ignored), so "select all N matching" selects exactly what the list shows;
//! amounts leave as exact decimal strings.

use finance_core::domain::{FilterTotals, Selection};
use finance_core::money::format_minor;
use finance_core::{Currency, Error};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::count32;
use super::transactions::TransactionListInput;

/// The rows a bulk action takes: `ids` (at most 10,000) or every row the
/// list's `filter` shows, across pages (at most 100,000 per action).
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkSelection {
    #[serde(default)]
    #[ts(optional)]
    pub ids: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub filter: Option<TransactionListInput>,
}

impl BulkSelection {
    /// The core's selection, validated in the user's currency.
    pub fn selection(&self, currency: Currency) -> Result<Selection, Error> {
        match (&self.ids, &self.filter) {
            (Some(ids), None) => Selection::parse_ids(ids),
            (None, Some(filter)) => Ok(Selection::Filter(filter.filter(currency)?)),
            _ => Err(Error::validation(
                "selection",
                "give either the selected ids or the filter",
            )),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkCategoryInput {
    pub selection: BulkSelection,
    pub category_id: String,
    /// The user confirmed changing reconciled rows (else `conflict` on `status`).
    #[serde(default)]
    #[ts(optional)]
    pub confirm_reconciled: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkAccountInput {
    pub selection: BulkSelection,
    pub account_id: String,
    /// As for [`BulkCategoryInput::confirm_reconciled`].
    #[serde(default)]
    #[ts(optional)]
    pub confirm_reconciled: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkSelectionInput {
    pub selection: BulkSelection,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkDeleteInput {
    pub selection: BulkSelection,
    /// As for [`BulkCategoryInput::confirm_reconciled`].
    #[serde(default)]
    #[ts(optional)]
    pub confirm_reconciled: Option<bool>,
}

/// How many rows a bulk action changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkOutcome {
    pub changed: u32,
}

/// What a bulk delete removed, and the token of its undo (the rows stay
/// on the Rust side; the webview never sends rows back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkDeleted {
    /// Rows deleted (with both legs of each transfer).
    pub deleted: u32,
    /// Hand back to `undoBulkDelete`; null when nothing was deleted.
    pub undo_token: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UndoBulkDeleteInput {
    pub undo_token: String,
    /// One UUID per undo, sent again only on a retry: the rows come back at most once.
    pub idempotency_key: String,
}

/// Totals of whatever the list's filter shows: income, expense (refunds
/// lower it), net, and the number of rows (transfer legs count here, in
/// neither income nor expense).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransactionTotalsView {
    pub income: String,
    pub expense: String,
    pub net: String,
    pub count: u32,
}

impl TransactionTotalsView {
    pub fn new(t: &FilterTotals, currency: Currency) -> TransactionTotalsView {
        TransactionTotalsView {
            income: format_minor(t.income, currency),
            expense: format_minor(t.expense, currency),
            net: format_minor(t.net, currency),
            count: count32(t.count),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_is_ids_or_a_filter() {
        let both = BulkSelection {
            ids: Some(vec![]),
            filter: Some(TransactionListInput::default()),
        };
        for bad in [both, BulkSelection::default()] {
            assert_eq!(
                bad.selection(Currency::EUR).unwrap_err().field(),
                Some("selection")
            );
        }
        let all = BulkSelection {
            filter: Some(TransactionListInput::default()),
            ..Default::default()
        };
        assert!(matches!(
            all.selection(Currency::EUR).unwrap(),
            Selection::Filter(_)
        ));
    }
}
