//! IPC types of transfers, cleared status and reconciliation: the transfer
//! form, a transfer as shown, the reconcile dialog's inputs and its live
//! difference.
//!
//! Invariants: amounts and balances are exact decimal strings in the user's
//! currency (a statement balance may be negative); a reconciled row changes
//! only with `confirmReconciled: true` (else the `conflict` on `status` the
//! UI turns into a question).

use finance_core::domain::{Reconciliation, Transfer, TransferDraft, TxStatus};
use finance_core::money::format_minor;
use finance_core::{Currency, Id, ReconciliationPreview};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The transfer form's fields, as typed.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransferFields {
    pub from_account_id: String,
    pub to_account_id: String,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
}

impl From<TransferFields> for TransferDraft {
    fn from(f: TransferFields) -> TransferDraft {
        TransferDraft {
            from_account_id: f.from_account_id,
            to_account_id: f.to_account_id,
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
pub struct TransferInput {
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: TransferFields,
    /// As for transactions: one per form submission, sent again on a retry.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateTransferInput {
    /// The transfer's id (`transferId` of its legs).
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: TransferFields,
    #[serde(default)]
    pub confirm_reconciled: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteTransferInput {
    pub id: String,
    #[serde(default)]
    pub confirm_reconciled: bool,
}

/// Turn an income or expense row into a transfer with another account.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConvertToTransferInput {
    /// The income or expense row.
    pub id: String,
    pub other_account_id: String,
    #[serde(default)]
    pub confirm_reconciled: bool,
}

/// Where a row stands against the bank statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(rename = "TxStatus")]
pub enum TxStatusView {
    Uncleared,
    Cleared,
    Reconciled,
}

impl From<TxStatus> for TxStatusView {
    fn from(s: TxStatus) -> Self {
        match s {
            TxStatus::Uncleared => TxStatusView::Uncleared,
            TxStatus::Cleared => TxStatusView::Cleared,
            TxStatus::Reconciled => TxStatusView::Reconciled,
        }
    }
}

/// A transfer as shown (both legs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TransferView {
    pub id: String,
    pub from_account_id: String,
    pub to_account_id: String,
    /// The legs' own ids (rows of the registers).
    pub from_leg_id: String,
    pub to_leg_id: String,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
    pub from_status: TxStatusView,
    pub to_status: TxStatusView,
}

impl TransferView {
    pub fn new(t: &Transfer, currency: Currency) -> TransferView {
        TransferView {
            id: t.id.to_hex(),
            from_account_id: t.from.account_id.to_hex(),
            to_account_id: t.to.account_id.to_hex(),
            from_leg_id: t.from.id.to_hex(),
            to_leg_id: t.to.id.to_hex(),
            amount: t.from.amount.format(currency),
            date: t.from.date.to_string(),
            description: t.from.description.clone(),
            note: t.from.note.clone(),
            from_status: t.from.status.into(),
            to_status: t.to.status.into(),
        }
    }
}

/// Mark rows of one account cleared (or back to uncleared).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SetClearedInput {
    pub account_id: String,
    pub ids: Vec<String>,
    pub cleared: bool,
}

/// The reconcile dialog: the statement and the ticked rows.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReconcileInput {
    pub account_id: String,
    pub statement_date: String,
    /// The statement's ending balance (signed decimal).
    pub statement_balance: String,
    pub ticked: Vec<String>,
}

/// The rows the reconcile dialog lists: one account's, through the statement date.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReconciliationRowsInput {
    pub account_id: String,
    /// The statement date (`YYYY-MM-DD`).
    pub through: String,
}

/// The account's rows not reconciled yet through the statement date, oldest
/// first (cleared ones are the ticks already kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReconciliationRowsView {
    pub rows: Vec<crate::types::TransactionView>,
    /// More rows than one dialog lists: reconcile an earlier statement first.
    pub more: bool,
}

/// The ids of a list input, each checked (`field` names the list).
pub fn ids(field: &str, raw: &[String]) -> Result<Vec<Id>, finance_core::Error> {
    raw.iter().map(|s| Id::parse(field, s)).collect()
}

impl ReconcileInput {
    /// The account, the statement and the ticked rows, validated.
    pub fn parse(
        &self,
        currency: Currency,
    ) -> Result<(Id, Reconciliation, Vec<Id>), finance_core::Error> {
        Ok((
            Id::parse("accountId", &self.account_id)?,
            Reconciliation::parse(&self.statement_date, &self.statement_balance, currency)?,
            ids("ticked", &self.ticked)?,
        ))
    }
}

/// Where a reconciliation stands (the dialog's live figures).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReconciliationPreviewView {
    /// Cleared balance through the statement date, before the ticked rows.
    pub cleared_balance: String,
    /// What the ticked rows add.
    pub ticked: String,
    /// Cleared balance with the ticked rows: what it will be after finishing.
    pub cleared_with_ticked: String,
    /// Statement balance − (cleared + ticked); `"0.00"` means it can be finished.
    pub difference: String,
    pub balanced: bool,
}

impl ReconciliationPreviewView {
    pub fn new(p: &ReconciliationPreview, currency: Currency) -> ReconciliationPreviewView {
        // The difference of two i64 balances; shown saturated if beyond i64 (never in practice).
        let difference = i64::try_from(p.difference).unwrap_or(if p.difference < 0 {
            i64::MIN + 1
        } else {
            i64::MAX
        });
        ReconciliationPreviewView {
            cleared_balance: format_minor(p.cleared_balance, currency),
            ticked: format_minor(p.ticked, currency),
            cleared_with_ticked: format_minor(p.cleared_with_ticked, currency),
            difference: format_minor(difference, currency),
            balanced: p.difference == 0,
        }
    }
}

/// An account's last finished reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReconciledView {
    pub account_id: String,
    pub statement_date: String,
    pub statement_balance: String,
}

impl ReconciledView {
    pub fn new(account: Id, r: &Reconciliation, currency: Currency) -> ReconciledView {
        ReconciledView {
            account_id: account.to_hex(),
            statement_date: r.date.to_string(),
            statement_balance: format_minor(r.balance, currency),
        }
    }
}
