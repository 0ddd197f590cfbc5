//! IPC types of how a CSV file is read: amount columns, date format, decimal
//! separator, and the import settings that hold them.
//!
//! Invariants: each converts to and from the core's `csv_io` type directly
//! (never through a string; date formats travel as the core's pattern text);
//! column indexes cross as `u32` (saturating on the way out, an impossible
//! index staying impossible on the way in).

use finance_core::csv_io::{AmountColumns, DateFormat, DecimalSeparator, ImportSettings};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::count32;

/// Which column(s) hold the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "AmountColumns")]
pub enum AmountColumnsView {
    /// One signed column: negative = expense, positive = income.
    Single { column: u32 },
    /// Separate debit (expense) and credit (income) columns.
    DebitCredit { debit: u32, credit: u32 },
}

/// A column index from the webview (an impossible one stays impossible).
fn column(c: u32) -> usize {
    usize::try_from(c).unwrap_or(usize::MAX)
}

impl From<AmountColumnsView> for AmountColumns {
    fn from(v: AmountColumnsView) -> Self {
        match v {
            AmountColumnsView::Single { column: c } => AmountColumns::Single(column(c)),
            AmountColumnsView::DebitCredit { debit, credit } => AmountColumns::DebitCredit {
                debit: column(debit),
                credit: column(credit),
            },
        }
    }
}

impl From<AmountColumns> for AmountColumnsView {
    fn from(a: AmountColumns) -> Self {
        match a {
            AmountColumns::Single(c) => AmountColumnsView::Single { column: count32(c) },
            AmountColumns::DebitCredit { debit, credit } => AmountColumnsView::DebitCredit {
                debit: count32(debit),
                credit: count32(credit),
            },
        }
    }
}

/// Date formats the importer reads (on the wire: the core's pattern text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(rename = "DateFormat")]
pub enum DateFormatView {
    #[serde(rename = "YYYY-MM-DD")]
    YmdDash,
    #[serde(rename = "YYYY/MM/DD")]
    YmdSlash,
    #[serde(rename = "DD/MM/YYYY")]
    DmySlash,
    #[serde(rename = "MM/DD/YYYY")]
    MdySlash,
    #[serde(rename = "DD.MM.YYYY")]
    DmyDot,
    #[serde(rename = "DD-MM-YYYY")]
    DmyDash,
}

impl From<DateFormat> for DateFormatView {
    fn from(f: DateFormat) -> Self {
        match f {
            DateFormat::Iso => DateFormatView::YmdDash,
            DateFormat::YearSlash => DateFormatView::YmdSlash,
            DateFormat::DayMonthYearSlash => DateFormatView::DmySlash,
            DateFormat::MonthDayYearSlash => DateFormatView::MdySlash,
            DateFormat::DayMonthYearDot => DateFormatView::DmyDot,
            DateFormat::DayMonthYearDash => DateFormatView::DmyDash,
        }
    }
}

impl From<DateFormatView> for DateFormat {
    fn from(f: DateFormatView) -> Self {
        match f {
            DateFormatView::YmdDash => DateFormat::Iso,
            DateFormatView::YmdSlash => DateFormat::YearSlash,
            DateFormatView::DmySlash => DateFormat::DayMonthYearSlash,
            DateFormatView::MdySlash => DateFormat::MonthDayYearSlash,
            DateFormatView::DmyDot => DateFormat::DayMonthYearDot,
            DateFormatView::DmyDash => DateFormat::DayMonthYearDash,
        }
    }
}

/// `"dot"` (1234.56) or `"comma"` (1234,56).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DecimalSeparator")]
pub enum DecimalSeparatorView {
    Dot,
    Comma,
}

impl From<DecimalSeparator> for DecimalSeparatorView {
    fn from(d: DecimalSeparator) -> Self {
        match d {
            DecimalSeparator::Dot => DecimalSeparatorView::Dot,
            DecimalSeparator::Comma => DecimalSeparatorView::Comma,
        }
    }
}

impl From<DecimalSeparatorView> for DecimalSeparator {
    fn from(d: DecimalSeparatorView) -> Self {
        match d {
            DecimalSeparatorView::Dot => DecimalSeparator::Dot,
            DecimalSeparatorView::Comma => DecimalSeparator::Comma,
        }
    }
}

/// How to read a CSV file: columns are 0-based indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ImportSettings")]
pub struct ImportSettingsView {
    /// One character: `,`, `;`, a tab, `|`.
    pub delimiter: String,
    pub has_header: bool,
    pub date: u32,
    pub amount: AmountColumnsView,
    pub description: u32,
    pub category: Option<u32>,
    pub note: Option<u32>,
    /// A type column (`income`/`expense`, `credit`/`debit`), as in this app's
    /// export; with a single amount column it gives each row's kind.
    #[serde(rename = "type")]
    pub kind: Option<u32>,
    pub date_format: DateFormatView,
    pub decimal: DecimalSeparatorView,
    /// An account column: each row's cell names one of the user's accounts
    /// (blank: the account chosen for the file). Guessed only for this app's export.
    #[serde(default)]
    pub account: Option<u32>,
    /// This app's export's transfer column (a transfer's reference on both legs).
    #[serde(default)]
    pub transfer: Option<u32>,
}

impl TryFrom<&ImportSettingsView> for ImportSettings {
    type Error = finance_core::Error;
    fn try_from(v: &ImportSettingsView) -> Result<ImportSettings, Self::Error> {
        let delimiter = match v.delimiter.as_bytes() {
            [b] if b.is_ascii() && !b.is_ascii_alphanumeric() && *b != b'"' => *b,
            _ => {
                return Err(finance_core::Error::validation(
                    "delimiter",
                    "must be one character such as , ; | or a tab",
                ));
            }
        };
        Ok(ImportSettings {
            delimiter,
            has_header: v.has_header,
            date: column(v.date),
            amount: v.amount.into(),
            description: column(v.description),
            category: v.category.map(column),
            note: v.note.map(column),
            kind: v.kind.map(column),
            date_format: v.date_format.into(),
            decimal: v.decimal.into(),
            account: v.account.map(column),
            transfer: v.transfer.map(column),
        })
    }
}

impl From<&ImportSettings> for ImportSettingsView {
    fn from(s: &ImportSettings) -> Self {
        ImportSettingsView {
            delimiter: char::from(s.delimiter).to_string(),
            has_header: s.has_header,
            date: count32(s.date),
            amount: s.amount.into(),
            description: count32(s.description),
            category: s.category.map(count32),
            note: s.note.map(count32),
            kind: s.kind.map(count32),
            date_format: s.date_format.into(),
            decimal: s.decimal.into(),
            account: s.account.map(count32),
            transfer: s.transfer.map(count32),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats_travel_as_the_core_patterns() {
        for f in DateFormat::ALL {
            let view = DateFormatView::from(f);
            assert_eq!(DateFormat::from(view), f);
            assert_eq!(
                serde_json::to_value(view).unwrap(),
                serde_json::Value::String(f.as_str().into())
            );
        }
    }
}
