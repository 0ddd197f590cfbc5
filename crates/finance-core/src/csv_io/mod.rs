//! CSV export and import.
//!
//! * **Export** ([`Finance::export_csv`]): RFC 4180 (CRLF, quotes only where
//!   needed) with the [`EXPORT_HEADER`] columns, ISO dates, positive decimal
//!   amounts in the user's currency and `type` = `income`/`expense`. Rows are
//!   read page by page through the keyset list (500 at a time), oldest first.
//! * **Sniffing** ([`sniff_csv`]): delimiter, header, column mapping, date
//!   format and decimal separator guessed from the first records.
//! * **Import** in two steps over the same bytes and [`ImportSettings`]:
//!   [`Finance::import_plan`] parses and checks every row, resolves
//!   categories and flags duplicates without writing; [`Finance::import_commit`]
//!   writes all accepted rows and the categories they need in one database
//!   transaction, or nothing at all.
//!
//! Whole-file problems (empty, binary or not UTF-8, columns that do not
//! exist) are `Validation { field: "file" | "columns" }` errors; row problems
//! are [`LineError`]s in the plan, one per row, with the physical line the
//! record starts on.

pub(crate) mod import;
pub(crate) mod parse;
mod sniff;

use chrono::NaiveDate;

use crate::domain::{Category, CategoryKind, CategoryName};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};

pub use sniff::sniff_csv;

/// The store-free half of [`Finance::import_plan`]: decode `bytes`, parse and
/// check every row with `settings` in `currency`, and resolve categories
/// against `categories` (the user's) and `mappings`. Duplicates are not
/// flagged (that needs the stored rows). Whole-file problems are `Err`
/// (`Validation { field: "file" | "columns" | "categories" }`, or `NotFound`
/// for a mapping to a category not in `categories`); row problems are
/// [`LineError`]s in the plan.
pub fn plan_rows(
    bytes: &[u8],
    settings: &ImportSettings,
    mappings: &[CategoryMapping],
    currency: Currency,
    categories: Vec<Category>,
) -> Result<ImportPlan> {
    let text = parse::decode(bytes)?;
    let resolver = import::Resolver::new(categories, mappings)?;
    Ok(import::parse_rows(text, settings, currency, resolver)?.into_plan())
}

/// Writes the export format: [`EXPORT_HEADER`], then one record per transaction
/// (RFC 4180, CRLF; ISO date, positive amount in the currency, `type`).
pub struct ExportWriter<W: std::io::Write> {
    w: csv::Writer<W>,
}

impl<W: std::io::Write> ExportWriter<W> {
    /// Start the file (writes the header).
    pub fn new(out: W) -> Result<ExportWriter<W>> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(EXPORT_HEADER).map_err(write_failed)?;
        Ok(ExportWriter { w })
    }

    /// One transaction.
    #[allow(clippy::too_many_arguments)]
    pub fn row(
        &mut self,
        date: NaiveDate,
        description: &str,
        category: &str,
        kind: CategoryKind,
        amount: Amount,
        note: Option<&str>,
        currency: Currency,
    ) -> Result<()> {
        let date = date.format("%Y-%m-%d").to_string();
        let amount = amount.format(currency);
        self.w
            .write_record([
                date.as_str(),
                description,
                category,
                kind.as_str(),
                amount.as_str(),
                note.unwrap_or(""),
            ])
            .map_err(write_failed)
    }

    /// Flush what was written so far.
    pub fn flush(&mut self) -> Result<()> {
        self.w.flush().map_err(write_failed)
    }

    /// Flush and hand back the output.
    pub fn into_inner(self) -> Result<W> {
        self.w.into_inner().map_err(write_failed)
    }
}

/// The columns [`Finance::export_csv`] writes, in order.
pub const EXPORT_HEADER: [&str; 6] = ["date", "description", "category", "type", "amount", "note"];

/// Rows per page while exporting.
pub(crate) const EXPORT_PAGE: u32 = 500;

/// What [`sniff_csv`] found at the start of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvPreview {
    pub delimiter: u8,
    /// The header's cells, when the first record looks like one.
    pub header: Option<Vec<String>>,
    /// The first 10 data records, as they are.
    pub rows: Vec<Vec<String>>,
    /// Settings that fit the file as far as can be told (to confirm or change).
    pub guess: ImportSettings,
}

/// How dates are written in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateFormat {
    /// `YYYY-MM-DD`
    Iso,
    /// `YYYY/MM/DD`
    YearSlash,
    /// `DD/MM/YYYY`
    DayMonthYearSlash,
    /// `MM/DD/YYYY`
    MonthDayYearSlash,
    /// `DD.MM.YYYY`
    DayMonthYearDot,
    /// `DD-MM-YYYY`
    DayMonthYearDash,
}

/// The character between whole units and the fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DecimalSeparator {
    Dot,
    Comma,
}

/// Where amounts are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountColumns {
    /// One signed column: negative = expense, positive = income (unless
    /// [`ImportSettings::kind`] names a type column).
    Single(usize),
    /// Debit = expense, credit = income; exactly one of them filled per row.
    DebitCredit { debit: usize, credit: usize },
}

/// How to read a file: 0-based column indexes and formats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSettings {
    pub delimiter: u8,
    /// Whether the first record is a header (skipped).
    pub has_header: bool,
    pub date: usize,
    pub amount: AmountColumns,
    pub description: usize,
    pub category: Option<usize>,
    pub note: Option<usize>,
    /// A type column (`income`/`expense`, also `credit`/`debit`), as in this
    /// app's own export. With [`AmountColumns::Single`] it gives the kind and the
    /// amount must be unsigned (a negative amount is accepted for an expense).
    /// Ignored with [`AmountColumns::DebitCredit`].
    pub kind: Option<usize>,
    pub date_format: DateFormat,
    pub decimal: DecimalSeparator,
}

/// What a CSV category name that matches none of the user's categories becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CategoryTarget {
    /// One of the user's categories (of the mapping's kind).
    Existing(Id),
    /// A new category (of the mapping's kind), created with the import; an
    /// existing category of that name is used instead.
    Create {
        name: CategoryName,
        kind: CategoryKind,
    },
}

/// How an unknown CSV category name (of that kind) is resolved; names compare ignoring case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryMapping {
    pub csv_name: String,
    pub kind: CategoryKind,
    pub target: CategoryTarget,
}

/// A row that cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// The 1-based physical line of the file where the record starts.
    pub line: u64,
    /// The column's role (`date`, `amount`, `debit`, `credit`, `type`,
    /// `description`, `note`), or `None` for the row as a whole.
    pub field: Option<String>,
    pub reason: String,
}

/// A row as it will be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRow {
    pub line: u64,
    pub date: NaiveDate,
    pub amount: Amount,
    pub kind: CategoryKind,
    /// The category the row goes to (the CSV name itself while unmapped).
    pub category: String,
    pub description: String,
    pub note: Option<String>,
    /// Same date, amount, kind and description (ignoring case) as a stored
    /// transaction or an earlier row of the file.
    pub duplicate: bool,
}

/// The outcome of checking a file without writing anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    /// Data records in the file (header excluded), with or without errors.
    pub total: u64,
    /// The rows without errors, in file order.
    pub rows: Vec<PlannedRow>,
    /// One per row that cannot be imported, in file order.
    pub errors: Vec<LineError>,
    /// How many of `rows` are duplicates.
    pub duplicates: u64,
    /// Every CSV category name (as first written, with its kind) that matches
    /// none of the user's categories, mapped or not, in order of appearance.
    pub unknown_categories: Vec<(String, CategoryKind)>,
}

/// What a successful import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: u64,
    pub skipped_duplicates: u64,
    pub created_categories: u64,
}

fn write_failed(e: impl std::fmt::Display) -> Error {
    tracing::warn!(error = %e, "CSV export write failed");
    Error::validation("file", format!("cannot be written: {e}"))
}
