//! CSV export and import.
//!
//! * **Export** ([`Finance::export_csv`]): RFC 4180 (CRLF, quotes only where
//!   needed) with the [`EXPORT_HEADER`] columns, ISO dates, positive decimal
//!   amounts in the user's currency and `type` = `income`/`expense`. Rows are
//!   read page by page through the keyset list (500 at a time), oldest first.
//!   Text cells a spreadsheet would run as a formula get a leading `'`
//!   (`formula.rs`), which the import of the export format takes back.
//! * **Sniffing** ([`sniff_csv`]): encoding, delimiter, header, column
//!   mapping, date format and decimal separator guessed from the first records.
//! * **Import** in two steps over the same bytes and [`ImportSettings`]:
//!   [`Finance::import_plan`] parses and checks every row, resolves
//!   categories and flags duplicates without writing; [`Finance::import_commit`]
//!   writes all accepted rows and the categories they need in one database
//!   transaction, or nothing at all.
//!
//! Whole-file problems (empty, binary, more than [`MAX_FIELDS`] columns or
//! [`MAX_IMPORT_ROWS`] rows, columns that do not exist) are
//! `Validation { field: "file" | "columns" }` errors; row problems are
//! [`LineError`]s with the physical line the record starts on.
//!
//! Invariant: what a plan holds is bounded whatever the file: at most
//! [`MAX_LINE_ERRORS`] errors, [`MAX_UNKNOWN_CATEGORIES`] unknown categories
//! and [`SAMPLE_ROWS`] rows, each with the count of all, plus one chunk of
//! rows and a 16-byte fingerprint per row (the file is read in chunks); only
//! a commit holds every accepted row (at most [`MAX_IMPORT_ROWS`]). Peak memory
//! of the worst files: `examples/import_memory.rs`.

mod formula;
pub(crate) mod import;
pub(crate) mod parse;
pub(crate) mod read;
pub(crate) mod resolve;
pub(crate) mod rows;
mod sniff;

use chrono::NaiveDate;

use crate::domain::{Category, CategoryKind, CategoryName, EntryKind};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Currency, SignedAmount};

pub use read::{Encoding, MAX_FIELD_BYTES, MAX_FIELDS};
pub use sniff::sniff_csv;

/// Line errors a plan keeps (the rest are counted in [`ImportPlan::error_count`]).
pub const MAX_LINE_ERRORS: usize = 200;
/// Unknown category names a plan lists (the rest are counted in
/// [`ImportPlan::unknown_category_count`]); a file naming more cannot be
/// committed until it names fewer.
pub const MAX_UNKNOWN_CATEGORIES: usize = 200;
/// Rows a plan shows as they will be saved.
pub const SAMPLE_ROWS: usize = 20;
/// Accepted rows one import may hold (a whole-file error past it: split the
/// file). A commit holds every row and the store's bulk write more per row,
/// about 0.4 KB of memory each; 250,000 is decades of a household's bank lines.
pub const MAX_IMPORT_ROWS: u64 = 250_000;

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
    let text = read::decode(bytes)?;
    let resolver = resolve::Resolver::new(categories, mappings)?;
    import::plan_file(text, settings, currency, resolver)
}

/// Writes the export format: [`EXPORT_HEADER`], then one record per transaction
/// (RFC 4180, CRLF; ISO date, positive amount in the currency, `type`; text
/// cells that a spreadsheet would evaluate start with `'`, see `formula.rs`).
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
        kind: EntryKind,
        amount: SignedAmount,
        note: Option<&str>,
        currency: Currency,
    ) -> Result<()> {
        let date = date.format("%Y-%m-%d").to_string();
        // Digits, a dot and at most a leading minus (a refund): never a
        // formula (a spreadsheet reads `-12.30` as the number it is), never neutralised.
        let amount = amount.format(currency);
        self.w
            .write_record([
                date.as_str(),
                &formula::neutralise(description),
                &formula::neutralise(category),
                kind.as_str(),
                amount.as_str(),
                &formula::neutralise(note.unwrap_or("")),
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
    /// How the bytes are read (UTF-8, or Windows-1252 when they are not UTF-8).
    pub encoding: Encoding,
    pub delimiter: u8,
    /// The header's cells, when the first record looks like one.
    pub header: Option<Vec<String>>,
    /// The first 10 data records, as they are (cells longer than
    /// [`PREVIEW_CELL_CHARS`] cut there, with `…`).
    pub rows: Vec<Vec<String>>,
    /// Settings that fit the file as far as can be told (to confirm or change).
    pub guess: ImportSettings,
}

/// Characters of a cell shown in a [`CsvPreview`].
pub const PREVIEW_CELL_CHARS: usize = 200;

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

/// A row as it will be imported: what is shown is what is stored (a quoted
/// line break in a description is one space; a note keeps its line breaks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRow {
    pub line: u64,
    pub date: NaiveDate,
    pub amount: SignedAmount,
    pub kind: CategoryKind,
    /// The category the row goes to (the CSV name itself while unmapped).
    pub category: String,
    pub description: String,
    pub note: Option<String>,
    /// Same date, amount, kind and description (ignoring case) as a stored
    /// transaction or an earlier row of the file.
    pub duplicate: bool,
}

/// The outcome of checking a file without writing anything. Its lists are
/// bounded (the first few of each, in file order), its counts are exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    /// Data records in the file (header excluded), with or without errors.
    pub total: u64,
    /// Rows without errors (duplicates included).
    pub ready: u64,
    /// The first [`SAMPLE_ROWS`] rows without errors, as they will be saved.
    pub sample: Vec<PlannedRow>,
    /// Rows that cannot be imported.
    pub error_count: u64,
    /// The first [`MAX_LINE_ERRORS`] of them, one per row, in file order.
    pub errors: Vec<LineError>,
    /// How many of the `ready` rows are duplicates.
    pub duplicates: u64,
    /// The first [`MAX_UNKNOWN_CATEGORIES`] CSV category names (as first
    /// written, with their kind) that match none of the user's categories,
    /// mapped or not, in order of appearance.
    pub unknown_categories: Vec<(String, CategoryKind)>,
    /// All such names (distinct by kind and name, ignoring case).
    pub unknown_category_count: u64,
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

/// What the unit tests of the import share: a user's default categories and
/// settings for `date,amount,description,category` files.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::{DateTime, Utc};

    use super::{AmountColumns, DateFormat, DecimalSeparator, ImportSettings};
    use crate::domain::{Category, default_categories};
    use crate::id::Id;

    pub(crate) fn categories() -> Vec<Category> {
        default_categories()
            .into_iter()
            .map(|(kind, name)| Category {
                id: Id::generate(),
                user_id: Id::generate(),
                name: name.into(),
                kind,
                created_at: DateTime::<Utc>::UNIX_EPOCH,
            })
            .collect()
    }

    pub(crate) fn settings() -> ImportSettings {
        ImportSettings {
            delimiter: b',',
            has_header: true,
            date: 0,
            amount: AmountColumns::Single(1),
            description: 2,
            category: Some(3),
            note: None,
            kind: None,
            date_format: DateFormat::Iso,
            decimal: DecimalSeparator::Dot,
        }
    }
}
