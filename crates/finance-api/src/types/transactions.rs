//! IPC types of transactions: the form, the list query, a transaction as shown,
//! and a page of them.
//!
//! Invariants: the form's fields are declared once ([`TransactionFields`],
//! flattened into the add and update inputs) and copied into the core's
//! `TransactionDraft` once; kinds and sort orders convert to the core's enums
//! directly; amounts leave as exact decimal strings in the user's currency.

use finance_core::domain::date::{iso_text, parse_date, rfc3339_millis};
use finance_core::domain::{
    EntryKind, Transaction, TransactionDraft, TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::{Amount, Currency, Id};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::categories::CategoryKindView;

/// The transaction form's fields, as typed.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransactionFields {
    /// Null or blank: the default account on an add, the transaction's own on an edit.
    #[serde(default)]
    pub account_id: Option<String>,
    pub category_id: String,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
}

impl From<TransactionFields> for TransactionDraft {
    fn from(f: TransactionFields) -> TransactionDraft {
        TransactionDraft {
            account_id: f.account_id,
            category_id: f.category_id,
            amount: f.amount,
            date: f.date,
            description: f.description,
            note: f.note,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransactionInput {
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: TransactionFields,
    /// Made once per form submission (a UUID) and sent again on a retry: the
    /// add then happens at most once. 16–64 of `A–Z a–z 0–9 - _`.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateTransactionInput {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: TransactionFields,
    /// The user confirmed changing a reconciled row (else such an edit is a
    /// `conflict` on `status`, which the UI turns into the question).
    #[serde(default)]
    #[ts(optional)]
    pub confirm_reconciled: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteTransactionInput {
    pub id: String,
    /// As for [`UpdateTransactionInput::confirm_reconciled`]. Deleting a
    /// transfer's leg deletes the transfer.
    #[serde(default)]
    #[ts(optional)]
    pub confirm_reconciled: Option<bool>,
}

/// What a row is: income or expense in a category, or a leg of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(rename = "EntryKind")]
pub enum EntryKindView {
    Income,
    Expense,
    TransferOut,
    TransferIn,
}

impl From<EntryKind> for EntryKindView {
    fn from(k: EntryKind) -> Self {
        match k {
            EntryKind::Income => EntryKindView::Income,
            EntryKind::Expense => EntryKindView::Expense,
            EntryKind::TransferOut => EntryKindView::TransferOut,
            EntryKind::TransferIn => EntryKindView::TransferIn,
        }
    }
}

/// List order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(rename = "TransactionSort")]
pub enum TransactionSortView {
    DateDesc,
    DateAsc,
    AmountDesc,
    AmountAsc,
}

impl From<TransactionSortView> for TransactionSort {
    fn from(s: TransactionSortView) -> Self {
        match s {
            TransactionSortView::DateDesc => TransactionSort::DateDesc,
            TransactionSortView::DateAsc => TransactionSort::DateAsc,
            TransactionSortView::AmountDesc => TransactionSort::AmountDesc,
            TransactionSortView::AmountAsc => TransactionSort::AmountAsc,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransactionListInput {
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(default)]
    pub category_ids: Vec<String>,
    #[serde(rename = "type")]
    pub kind: Option<CategoryKindView>,
    pub text: Option<String>,
    pub min_amount: Option<String>,
    pub max_amount: Option<String>,
    pub sort: Option<TransactionSortView>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// One account's rows only (absent or blank: every account).
    #[serde(default)]
    #[ts(optional)]
    pub account_id: Option<String>,
}

/// A filter bound that is blank counts as absent.
fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl TransactionListInput {
    /// The filter part, validated in the user's currency (fields checked in form order).
    pub fn filter(&self, currency: Currency) -> Result<TransactionFilter, finance_core::Error> {
        let account = TransactionFilter::parse_account(self.account_id.as_deref())?;
        let amount = |field: &str, raw: Option<&str>| {
            given(raw)
                .map(|a| Amount::parse(field, a, currency))
                .transpose()
        };
        let filter = TransactionFilter::new(
            given(self.from.as_deref())
                .map(|s| parse_date("from", s))
                .transpose()?,
            given(self.to.as_deref())
                .map(|s| parse_date("to", s))
                .transpose()?,
            self.category_ids
                .iter()
                .map(|c| Id::parse("categoryIds", c))
                .collect::<Result<_, _>>()?,
            self.kind.map(Into::into),
            self.text.as_deref(),
            amount("minAmount", self.min_amount.as_deref())?,
            amount("maxAmount", self.max_amount.as_deref())?,
        )?;
        Ok(filter.with_account(account))
    }

    /// The filter of an input that must also be a valid list request (totals,
    /// applying rules): its page size and cursor are checked as the list
    /// checks them, then ignored.
    pub fn list_filter(
        &self,
        currency: Currency,
    ) -> Result<TransactionFilter, finance_core::Error> {
        let filter = self.filter(currency)?;
        TransactionQuery::new(
            filter.clone(),
            self.sort(),
            self.limit,
            self.cursor.as_deref(),
        )?;
        Ok(filter)
    }

    /// The order asked for (newest first by default).
    pub fn sort(&self) -> TransactionSort {
        self.sort.map(TransactionSort::from).unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransactionView {
    pub id: String,
    pub account_id: String,
    /// Empty for a transfer's leg.
    pub category_id: String,
    pub category_name: String,
    #[serde(rename = "type")]
    pub kind: EntryKindView,
    /// Negative for a refund (an expense that came back).
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
    pub status: crate::types::TxStatusView,
    /// The transfer a leg belongs to (`getTransfer`).
    pub transfer_id: Option<String>,
    /// For a transfer's leg: the other leg's account ("Transfer to/from …").
    /// Filled by the list, register and get commands; null otherwise.
    pub transfer_account_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl TransactionView {
    /// A transaction as shown, with its category's name.
    pub fn new(t: &Transaction, category_name: &str, currency: Currency) -> TransactionView {
        TransactionView {
            id: t.id.to_hex(),
            account_id: t.account_id.to_hex(),
            category_id: t.category_id.map(|c| c.to_hex()).unwrap_or_default(),
            category_name: category_name.to_string(),
            kind: t.kind.into(),
            amount: t.amount.format(currency),
            date: iso_text(t.date),
            description: t.description.clone(),
            note: t.note.clone(),
            status: t.status.into(),
            transfer_id: t.transfer_id.map(|id| id.to_hex()),
            transfer_account_id: None,
            created_at: rfc3339_millis(t.created_at),
            updated_at: rfc3339_millis(t.updated_at),
        }
    }

    /// The same view naming the other leg's account (see [`TransactionView::transfer_account_id`]).
    pub fn with_transfer_account(mut self, account: Option<Id>) -> TransactionView {
        self.transfer_account_id = account.map(|a| a.to_hex());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransactionPage {
    pub items: Vec<TransactionView>,
    pub next_cursor: Option<String>,
}
