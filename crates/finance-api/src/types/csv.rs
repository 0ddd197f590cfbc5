//! IPC types of CSV export and import: the export request and result, category
//! mappings, the opened file, the preview, the summary and the `import-progress`
//! event's payload (how a file is read: [`super::csv_settings`]). A bank
//! statement file (OFX/QFX, QIF, CAMT.053) goes through the same commands:
//! it is told apart by content (`bank::sniff`), needs no column settings,
//! and may need the order of day and month of a QIF file's dates.
//!
//! Invariants: the webview never sees a file's path or bytes, only an opaque
//! `fileId`; mappings convert to the core's `csv_io` types directly (never
//! through a string); counts cross as `u32` (saturating); a preview's lists
//! are the core's bounded ones (first 200 errors and unknown categories,
//! first 20 rows), each with the count of all.

use finance_core::Currency;
use finance_core::Id;
use finance_core::bank::{BankFormat, DayMonthOrder, StatementFile};
use finance_core::csv_io::{
    CategoryMapping, CategoryTarget, CsvPreview, Encoding, ImportPlan, ImportSettings,
    ImportSource, ImportSummary, PlannedRow, StatementCheck,
};
use finance_core::domain::CategoryName;
use finance_core::money::format_minor;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::categories::CategoryKindView;
use super::count32;
use super::csv_settings::ImportSettingsView;
use super::transactions::TransactionListInput;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportCsvInput {
    /// The Transactions screen's filter (sort, limit and cursor are ignored); null = everything.
    pub filter: Option<TransactionListInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExportCsvResult {
    /// Where the file was written; null when the person cancelled the save dialog.
    pub path: Option<String>,
    pub rows: u32,
}

/// How a file's bytes are read: UTF-8, or Windows-1252 (Latin-1) when they are not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(rename = "TextEncoding")]
pub enum EncodingView {
    #[serde(rename = "UTF-8")]
    Utf8,
    #[serde(rename = "Windows-1252")]
    Windows1252,
}

impl From<Encoding> for EncodingView {
    fn from(e: Encoding) -> Self {
        match e {
            Encoding::Utf8 => EncodingView::Utf8,
            Encoding::Windows1252 => EncodingView::Windows1252,
        }
    }
}

/// A file chosen for import, kept in the app (the webview never reads files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportFileView {
    pub file_id: String,
    pub file_name: String,
    pub size_bytes: u32,
    pub encoding: EncodingView,
    pub delimiter: String,
    pub header: Option<Vec<String>>,
    /// The first rows after the header, as read with the guessed delimiter
    /// (long cells cut, ending in `…`).
    pub preview: Vec<Vec<String>>,
    pub guess: ImportSettingsView,
    /// Set for a bank statement file: no columns to map (`encoding`,
    /// `delimiter`, `header`, `preview` and `guess` are placeholders to send
    /// back as they are).
    pub bank: Option<BankFileView>,
}

/// The bank file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BankFormatView {
    Ofx,
    Qif,
    Camt053,
}

impl From<BankFormat> for BankFormatView {
    fn from(f: BankFormat) -> Self {
        match f {
            BankFormat::Ofx => BankFormatView::Ofx,
            BankFormat::Qif => BankFormatView::Qif,
            BankFormat::Camt053 => BankFormatView::Camt053,
        }
    }
}

/// What an opened bank statement file says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BankFileView {
    pub format: BankFormatView,
    /// The account as the bank names it (IBAN, number), when the file says.
    pub account_hint: Option<String>,
    /// Entries in the file; null when the file could not be read yet (a QIF
    /// file whose dates need the order of day and month).
    pub entries: Option<u32>,
}

impl BankFileView {
    /// The view of a file of `format`, read as `file` when it could be.
    pub fn new(format: BankFormat, file: Option<&StatementFile>) -> BankFileView {
        BankFileView {
            format: format.into(),
            account_hint: file.and_then(|f| f.account_hint.clone()),
            entries: file.map(|f| count32(f.entries.len())),
        }
    }
}

/// The order of day and month in a QIF file's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayMonthOrderView {
    MonthFirst,
    DayFirst,
}

impl From<DayMonthOrderView> for DayMonthOrder {
    fn from(o: DayMonthOrderView) -> Self {
        match o {
            DayMonthOrderView::MonthFirst => DayMonthOrder::MonthFirst,
            DayMonthOrderView::DayFirst => DayMonthOrder::DayFirst,
        }
    }
}

/// How many preview rows an opened file's view carries.
pub const PREVIEW_ROWS: usize = 10;

impl ImportFileView {
    /// The view of a kept file (`file_id`) named `file_name`, of `size` bytes.
    pub fn new(file_id: String, file_name: String, size: usize, p: &CsvPreview) -> ImportFileView {
        ImportFileView {
            file_id,
            file_name,
            size_bytes: count32(size),
            encoding: p.encoding.into(),
            delimiter: char::from(p.delimiter).to_string(),
            header: p.header.clone(),
            preview: p.rows.iter().take(PREVIEW_ROWS).cloned().collect(),
            guess: (&p.guess).into(),
            bank: None,
        }
    }

    /// The view of a kept bank statement file: `csv` holds the placeholder
    /// settings the wizard sends back (a bank file has no columns).
    pub fn bank(
        file_id: String,
        file_name: String,
        size: usize,
        csv: &CsvPreview,
        bank: BankFileView,
    ) -> ImportFileView {
        ImportFileView {
            header: None,
            preview: Vec::new(),
            bank: Some(bank),
            ..ImportFileView::new(file_id, file_name, size, csv)
        }
    }

    /// Read a chosen file's `bytes` and describe it: a bank statement (told
    /// by content) with its format, account and entry count, read with the
    /// user's `currency` (a QIF file whose dates read both ways is read once
    /// the wizard has asked: its entries are unknown here); anything else as
    /// CSV with the guessed settings.
    pub fn read(
        file_id: String,
        file_name: String,
        bytes: &[u8],
        currency: Currency,
    ) -> Result<ImportFileView, finance_core::Error> {
        let size = bytes.len();
        let Some(format) = finance_core::bank::sniff(bytes) else {
            let preview = finance_core::csv_io::sniff_csv(bytes)?;
            return Ok(ImportFileView::new(file_id, file_name, size, &preview));
        };
        let options = finance_core::bank::ReadOptions {
            currency,
            qif_dates: None,
        };
        let file = match finance_core::bank::read(bytes, &options) {
            Ok(file) => Some(file),
            Err(e) if e.field() == Some("date_order") => None,
            Err(e) => return Err(e),
        };
        let view = BankFileView::new(format, file.as_ref());
        // The placeholder settings the wizard sends back (a bank file has no columns).
        let placeholder =
            finance_core::csv_io::sniff_csv(b"date,amount,description\n2024-01-01,1,x\n")?;
        Ok(ImportFileView::bank(
            file_id,
            file_name,
            size,
            &placeholder,
            view,
        ))
    }
}

/// End-to-end builds only: open a file by path instead of through the OS dialog.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportOpenPathInput {
    pub path: String,
}

/// Where the rows of one CSV category name go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "MappingTarget")]
pub enum MappingTargetView {
    /// An existing category (its id).
    Existing { id: String },
    /// A new category of the mapping's type.
    Create { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(rename = "CategoryMapping")]
pub struct CategoryMappingView {
    /// The category name as written in the file.
    pub csv_name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
    pub target: MappingTargetView,
}

impl TryFrom<&CategoryMappingView> for CategoryMapping {
    type Error = finance_core::Error;
    fn try_from(m: &CategoryMappingView) -> Result<CategoryMapping, Self::Error> {
        let kind = m.kind.into();
        let target = match &m.target {
            MappingTargetView::Existing { id } => {
                CategoryTarget::Existing(Id::parse("mappings", id)?)
            }
            MappingTargetView::Create { name } => CategoryTarget::Create {
                name: CategoryName::parse("mappings", name)?,
                kind,
            },
        };
        Ok(CategoryMapping {
            csv_name: m.csv_name.clone(),
            kind,
            target,
        })
    }
}

/// The account, settings and mappings of a preview or commit, validated.
pub struct ImportChoices {
    /// The account the file goes into (`None`: the default account).
    pub account: Option<Id>,
    pub settings: ImportSettings,
    pub mappings: Vec<CategoryMapping>,
    /// For a QIF file whose dates read both ways.
    pub qif_dates: Option<DayMonthOrder>,
}

impl ImportChoices {
    /// How to read `bytes`: a bank statement (told by content) needs no
    /// settings; anything else is CSV read with the settings.
    pub fn source(&self, bytes: &[u8]) -> ImportSource<'_> {
        match finance_core::bank::sniff(bytes) {
            Some(_) => ImportSource::Bank {
                qif_dates: self.qif_dates,
            },
            None => ImportSource::Csv(&self.settings),
        }
    }

    fn parse(
        account: Option<&str>,
        settings: &ImportSettingsView,
        mappings: &[CategoryMappingView],
        qif_dates: Option<DayMonthOrderView>,
    ) -> Result<ImportChoices, finance_core::Error> {
        Ok(ImportChoices {
            qif_dates: qif_dates.map(Into::into),
            account: match account.map(str::trim) {
                None | Some("") => None,
                Some(id) => Some(Id::parse("accountId", id)?),
            },
            settings: settings.try_into()?,
            mappings: mappings
                .iter()
                .map(CategoryMapping::try_from)
                .collect::<Result<_, _>>()?,
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewInput {
    pub file_id: String,
    /// The account the file belongs to; null = the default account.
    #[serde(default)]
    pub account_id: Option<String>,
    pub settings: ImportSettingsView,
    #[serde(default)]
    pub mappings: Vec<CategoryMappingView>,
    /// A QIF file's order of day and month, once asked (a preview failed
    /// with the field `date_order`).
    #[serde(default)]
    pub qif_dates: Option<DayMonthOrderView>,
}

impl TryFrom<&ImportPreviewInput> for ImportChoices {
    type Error = finance_core::Error;
    fn try_from(i: &ImportPreviewInput) -> Result<ImportChoices, Self::Error> {
        ImportChoices::parse(
            i.account_id.as_deref(),
            &i.settings,
            &i.mappings,
            i.qif_dates,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LineErrorView {
    /// 1-based line in the file.
    pub line: u32,
    pub field: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnknownCategoryView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
}

/// A row as it will be saved (a quoted line break in a description is one
/// space; a note keeps its line breaks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PlannedRowView {
    pub line: u32,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
    pub category: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
    /// Signed: negative for a refund.
    pub amount: String,
    /// Money that came back, saved as a refund in the expense category.
    pub refund: bool,
    /// The name of the account the row goes to.
    pub account: String,
    pub duplicate: bool,
    /// The rule that gave the row its category or description (a row the file gives no category).
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
    /// The category was learned from the user's most recent row of this description.
    pub learned: bool,
}

impl PlannedRowView {
    fn new(r: &PlannedRow, currency: Currency) -> PlannedRowView {
        PlannedRowView {
            line: count32(r.line),
            date: r.date.to_string(),
            description: r.description.clone(),
            note: r.note.clone(),
            category: r.category.clone(),
            kind: r.kind.into(),
            amount: r.amount.format(currency),
            refund: r.refund,
            account: r.account.clone(),
            duplicate: r.duplicate,
            rule_id: r.rule.as_ref().map(|(id, _)| id.to_hex()),
            rule_name: r.rule.as_ref().map(|(_, name)| name.clone()),
            learned: r.learned,
        }
    }
}

/// What an import would do; nothing is saved. The lists hold the first few
/// (the core's limits); the counts are of all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewView {
    /// Data rows in the file (header excluded).
    pub total: u32,
    /// Rows that would be imported (duplicates included).
    pub ready: u32,
    /// Of `ready`, rows that look like transactions already stored.
    pub duplicates: u32,
    /// Rows with a problem (all of them; `errors` lists the first 200).
    pub error_count: u32,
    /// The first 200 errors.
    pub errors: Vec<LineErrorView>,
    /// The first 200 category names that match none of the user's categories.
    pub unknown_categories: Vec<UnknownCategoryView>,
    /// All such names (`unknownCategories` lists the first 200).
    pub unknown_category_count: u32,
    /// The first 20 rows that would be imported, as they will be saved.
    pub sample: Vec<PlannedRowView>,
    /// A bank statement's ending balance beside the account after the import.
    pub statement: Option<StatementCheckView>,
}

/// A bank statement's ending balance beside the account's balance after the
/// import (duplicates left out), at the end of the statement's day; signed
/// amounts in the user's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StatementCheckView {
    pub date: String,
    /// What the statement says.
    pub statement_balance: String,
    /// What the account will show.
    pub after_import: String,
    /// `statementBalance − afterImport`; "0.00" when they agree.
    pub difference: String,
    /// The two agree.
    pub agrees: bool,
}

impl StatementCheckView {
    fn new(s: &StatementCheck, currency: Currency) -> StatementCheckView {
        StatementCheckView {
            date: s.date.to_string(),
            statement_balance: format_minor(s.statement, currency),
            after_import: format_minor(s.after_import, currency),
            difference: format_minor(s.difference, currency),
            agrees: s.difference == 0,
        }
    }
}

impl ImportPreviewView {
    /// A plan as shown, amounts in the user's currency.
    pub fn new(plan: &ImportPlan, currency: Currency) -> ImportPreviewView {
        ImportPreviewView {
            total: count32(plan.total),
            ready: count32(plan.ready),
            duplicates: count32(plan.duplicates),
            error_count: count32(plan.error_count),
            errors: plan
                .errors
                .iter()
                .map(|e| LineErrorView {
                    line: count32(e.line),
                    field: e.field.clone(),
                    reason: e.reason.clone(),
                })
                .collect(),
            unknown_categories: plan
                .unknown_categories
                .iter()
                .map(|(name, kind)| UnknownCategoryView {
                    name: name.clone(),
                    kind: (*kind).into(),
                })
                .collect(),
            unknown_category_count: count32(plan.unknown_category_count),
            sample: plan
                .sample
                .iter()
                .map(|r| PlannedRowView::new(r, currency))
                .collect(),
            statement: plan
                .statement
                .as_ref()
                .map(|s| StatementCheckView::new(s, currency)),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportCommitInput {
    pub file_id: String,
    /// The account the file belongs to; null = the default account.
    #[serde(default)]
    pub account_id: Option<String>,
    pub settings: ImportSettingsView,
    #[serde(default)]
    pub mappings: Vec<CategoryMappingView>,
    pub skip_duplicates: bool,
    /// Import the good rows and leave out the rows with errors (else a file
    /// with an error is refused whole).
    #[serde(default)]
    pub skip_errors: bool,
    /// Made once per import commit (a UUID) and sent again on a retry: the
    /// import then happens at most once.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// As in the preview.
    #[serde(default)]
    pub qif_dates: Option<DayMonthOrderView>,
}

impl TryFrom<&ImportCommitInput> for ImportChoices {
    type Error = finance_core::Error;
    fn try_from(i: &ImportCommitInput) -> Result<ImportChoices, Self::Error> {
        ImportChoices::parse(
            i.account_id.as_deref(),
            &i.settings,
            &i.mappings,
            i.qif_dates,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportSummaryView {
    pub imported: u32,
    pub skipped_duplicates: u32,
    pub created_categories: u32,
    /// Rows with errors left out (when the commit chose to skip them).
    pub skipped_errors: u32,
}

impl From<ImportSummary> for ImportSummaryView {
    fn from(s: ImportSummary) -> Self {
        ImportSummaryView {
            imported: count32(s.imported),
            skipped_duplicates: count32(s.skipped_duplicates),
            created_categories: count32(s.created_categories),
            skipped_errors: count32(s.skipped_errors),
        }
    }
}

/// Payload of the `import-progress` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FileIdInput {
    pub file_id: String,
}

#[cfg(test)]
mod tests {
    use finance_core::csv_io::LineError;
    use finance_core::domain::CategoryKind;
    use finance_core::{Amount, Currency};

    use super::*;

    #[test]
    fn a_preview_carries_the_counts_of_everything_it_does_not_list() {
        let row = PlannedRow {
            line: 2,
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
            amount: Amount::from_minor("amount", 5420).unwrap().into(),
            kind: CategoryKind::Expense,
            refund: false,
            account: "Main account".into(),
            category: "Other".into(),
            description: "REWE SAGT DANKE 2025-01-01".into(),
            note: Some("line 1\nline 2".into()),
            duplicate: false,
            rule: None,
            learned: false,
        };
        let plan = ImportPlan {
            total: 50_000_001,
            ready: 1,
            sample: vec![row],
            error_count: 50_000_000,
            errors: vec![LineError {
                line: 3,
                field: None,
                reason: "has 1 fields; expected 3".into(),
            }],
            duplicates: 0,
            unknown_categories: vec![("Pets".into(), CategoryKind::Expense)],
            unknown_category_count: 4_000,
            statement: Some(StatementCheck {
                date: chrono::NaiveDate::from_ymd_opt(2025, 1, 31).unwrap(),
                statement: 123_456,
                after_import: 123_000,
                difference: 456,
            }),
        };
        let v = ImportPreviewView::new(&plan, Currency::EUR);
        assert_eq!(
            (v.total, v.ready, v.error_count, v.errors.len()),
            (50_000_001, 1, 50_000_000, 1),
            "the error count is of all errors, not of the listed ones"
        );
        assert_eq!(v.unknown_category_count, 4_000);
        assert_eq!(v.sample[0].note.as_deref(), Some("line 1\nline 2"));
        assert_eq!(v.sample[0].amount, "54.20");
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["unknownCategoryCount"], 4_000, "{json}");
        assert_eq!(json["sample"][0]["note"], "line 1\nline 2", "{json}");
        assert_eq!(
            json["statement"]["statementBalance"], "1234.56",
            "amounts are decimal text in the user's currency: {json}"
        );
        assert_eq!(json["statement"]["difference"], "4.56", "{json}");
        assert_eq!(
            serde_json::to_value(EncodingView::from(Encoding::Windows1252)).unwrap(),
            "Windows-1252"
        );
    }

    #[test]
    fn a_bank_file_is_told_by_its_content_and_takes_the_date_order() {
        let input: ImportPreviewInput = serde_json::from_value(serde_json::json!({
            "fileId": "f",
            "accountId": null,
            "settings": {
                "delimiter": ",", "hasHeader": true, "date": 0,
                "amount": {"kind": "single", "column": 1}, "description": 2,
                "category": null, "note": null, "type": null,
                "dateFormat": "YYYY-MM-DD", "decimal": "dot"
            },
            "qifDates": "day_first"
        }))
        .unwrap();
        let choices = ImportChoices::try_from(&input).unwrap();
        assert_eq!(
            choices.source(b"!Type:Bank\nD1/ 5'24\nT-1.00\n^\n"),
            ImportSource::Bank {
                qif_dates: Some(DayMonthOrder::DayFirst)
            },
            "a QIF file, whatever its name, with the order the wizard asked"
        );
        assert_eq!(
            choices.source(b"date,amount,description\n2024-01-01,-1,x\n"),
            ImportSource::Csv(&choices.settings),
            "anything else is CSV read with the settings"
        );
        let older: ImportPreviewInput = serde_json::from_value(serde_json::json!({
            "fileId": "f", "settings": input_settings(), "mappings": []
        }))
        .unwrap();
        assert_eq!(
            older.qif_dates, None,
            "a request without it (CSV) still reads"
        );
    }

    fn input_settings() -> serde_json::Value {
        serde_json::json!({
            "delimiter": ",", "hasHeader": true, "date": 0,
            "amount": {"kind": "single", "column": 1}, "description": 2,
            "category": null, "note": null, "type": null,
            "dateFormat": "YYYY-MM-DD", "decimal": "dot"
        })
    }
}
