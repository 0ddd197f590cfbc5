//! IPC types of an account's register: one account's rows in date order,
//! keyset pages, each row with the account's balance just after it.
//!
//! Invariants: the query can only be one whose rows are consecutive in the
//! register (the account and, optionally, dates; sorted by date), so every
//! row has its running balance — the core's `RegisterPage::balances` is
//! always present for it; balances are exact decimal strings (signed).

use finance_core::Id;
use finance_core::domain::date::parse_date;
use finance_core::domain::{TransactionFilter, TransactionQuery, TransactionSort};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::transactions::TransactionView;

/// A register's order: by date only (an amount order has no running balance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(rename = "RegisterSort")]
pub enum RegisterSortView {
    #[default]
    DateDesc,
    DateAsc,
}

impl From<RegisterSortView> for TransactionSort {
    fn from(s: RegisterSortView) -> Self {
        match s {
            RegisterSortView::DateDesc => TransactionSort::DateDesc,
            RegisterSortView::DateAsc => TransactionSort::DateAsc,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountRegisterInput {
    pub account_id: String,
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<String>,
    /// Newest first by default.
    #[serde(default)]
    #[ts(optional)]
    pub sort: Option<RegisterSortView>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// `nextCursor` of the previous page.
    #[serde(default)]
    #[ts(optional)]
    pub cursor: Option<String>,
}

impl AccountRegisterInput {
    /// The core's query (fields checked in form order: account, dates, page).
    pub fn query(&self) -> Result<TransactionQuery, finance_core::Error> {
        let account = Id::parse("accountId", self.account_id.trim())?;
        let date = |field: &str, raw: Option<&str>| {
            raw.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| parse_date(field, s))
                .transpose()
        };
        let filter = TransactionFilter::new(
            date("from", self.from.as_deref())?,
            date("to", self.to.as_deref())?,
            Vec::new(),
            None,
            None,
            None,
            None,
        )?
        .with_account(Some(account));
        TransactionQuery::new(
            filter,
            self.sort.unwrap_or_default().into(),
            self.limit,
            self.cursor.as_deref(),
        )
    }
}

/// A register row: the transaction as listed and the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegisterRow {
    #[serde(flatten)]
    #[ts(flatten)]
    pub transaction: TransactionView,
    /// The account's balance just after this row (signed decimal).
    pub balance: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountRegisterPage {
    pub items: Vec<RegisterRow>,
    pub next_cursor: Option<String>,
}
