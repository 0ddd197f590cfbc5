//! IPC types of CSV export and import: the export request and result, category
//! mappings, the opened file, the preview, the summary and the `import-progress`
//! event's payload (how a file is read: [`super::csv_settings`]).
//!
//! Invariants: the webview never sees a file's path or bytes, only an opaque
//! `fileId`; mappings convert to the core's `csv_io` types directly (never
//! through a string); counts cross as `u32` (saturating); a preview's lists
//! are the core's bounded ones (first 200 errors and unknown categories,
//! first 20 rows), each with the count of all.

use finance_core::Currency;
use finance_core::Id;
use finance_core::csv_io::{
    CategoryMapping, CategoryTarget, CsvPreview, Encoding, ImportPlan, ImportSettings,
    ImportSummary, PlannedRow,
};
use finance_core::domain::CategoryName;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::categories::CategoryKindView;
use super::count32;
use super::csv_settings::ImportSettingsView;
use super::transactions::TransactionListInput;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportCsvInput {
    /// The Transactions screen's filter (sort, limit and cursor are ignored); null = everything.
    pub filter: Option<TransactionListInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportCsvResult {
    /// Where the file was written; null when the person cancelled the save dialog.
    pub path: Option<String>,
    pub rows: u32,
}

/// How a file's bytes are read: UTF-8, or Windows-1252 (Latin-1) when they are not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
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
        }
    }
}

/// End-to-end builds only: open a file by path instead of through the OS dialog.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOpenPathInput {
    pub path: String,
}

/// Where the rows of one CSV category name go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "MappingTarget")]
pub enum MappingTargetView {
    /// An existing category (its id).
    Existing { id: String },
    /// A new category of the mapping's type.
    Create { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
}

impl ImportChoices {
    fn parse(
        account: Option<&str>,
        settings: &ImportSettingsView,
        mappings: &[CategoryMappingView],
    ) -> Result<ImportChoices, finance_core::Error> {
        Ok(ImportChoices {
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

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewInput {
    pub file_id: String,
    /// The account the file belongs to; null = the default account.
    #[serde(default)]
    pub account_id: Option<String>,
    pub settings: ImportSettingsView,
    #[serde(default)]
    pub mappings: Vec<CategoryMappingView>,
}

impl TryFrom<&ImportPreviewInput> for ImportChoices {
    type Error = finance_core::Error;
    fn try_from(i: &ImportPreviewInput) -> Result<ImportChoices, Self::Error> {
        ImportChoices::parse(i.account_id.as_deref(), &i.settings, &i.mappings)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineErrorView {
    /// 1-based line in the file.
    pub line: u32,
    pub field: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnknownCategoryView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
}

/// A row as it will be saved (a quoted line break in a description is one
/// space; a note keeps its line breaks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
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
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
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
}

impl TryFrom<&ImportCommitInput> for ImportChoices {
    type Error = finance_core::Error;
    fn try_from(i: &ImportCommitInput) -> Result<ImportChoices, Self::Error> {
        ImportChoices::parse(i.account_id.as_deref(), &i.settings, &i.mappings)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Deserialize, TS)]
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
            serde_json::to_value(EncodingView::from(Encoding::Windows1252)).unwrap(),
            "Windows-1252"
        );
    }
}
