//! CSV export and import, and the import of bank statement files.
//!
//! * **Export** ([`Finance::export_csv`]): RFC 4180 (CRLF, quotes only where
//!   needed) with the [`EXPORT_HEADER`] columns: ISO date, the account's
//!   name, description, category, `type` (`income`, `expense`,
//!   `transfer_out`, `transfer_in`), the decimal amount in the user's
//!   currency (negative for a refund: an expense given back), note, and for
//!   a transfer's leg the transfer's reference (its id, shared by both legs;
//!   empty otherwise). Rows are read page by page through the keyset list
//!   (500 at a time), oldest first. Text cells a spreadsheet would run as a
//!   formula get a leading `'` (`formula.rs`), which the import of the
//!   export format takes back. Files of the previous version
//!   ([`LEGACY_EXPORT_HEADER`]: no account, no transfer) still import.
//! * **Sniffing** ([`sniff_csv`]): encoding, delimiter, header, column
//!   mapping, date format and decimal separator guessed from the first records.
//! * **Import** in two steps over the same bytes and [`ImportSettings`]:
//!   [`Finance::import_plan`] parses and checks every row, resolves
//!   categories and accounts and flags duplicates without writing;
//!   [`Finance::import_commit`] writes all accepted rows and the categories
//!   they need in one database transaction, or nothing at all.
//! * **Accounts** (`accounts.rs`): an import goes into the account chosen for
//!   the file (default: the user's default account); an `account` column,
//!   when mapped, names an account of the user per row (a blank cell is the
//!   chosen one; an unknown name is a line error — accounts are never created
//!   by an import). Duplicates are detected across all the user's accounts.
//! * **Kinds and refunds**: without a type column the amount's sign (or the
//!   debit/credit column) says which way the money went: money out is an
//!   expense; money in is income, unless its category cell names an expense
//!   category (and no income one) — then it is a **refund**, an expense with a
//!   negative amount ([`crate::rules::money_in_kind`]; [`PlannedRow::refund`]).
//!   A type column gives the kind itself; in the app's own export a negative
//!   `expense` amount is a refund.
//! * **Transfers**: in the app's own export, rows of type `transfer_out` /
//!   `transfer_in` with the same reference in the `transfer` column are the
//!   two legs of one transfer; `legs.rs` pairs them (same date and amount,
//!   two accounts) and they are planned, flagged as duplicates and written
//!   together, as a new transfer with its own id; a leg without its pair is a
//!   line error.
//! * **Bank statement files** (OFX/QFX, QIF, CAMT.053, read by
//!   [`crate::bank::read`] into a [`crate::bank::StatementFile`]) take the
//!   same plan → preview → commit, not a copy of it ([`ImportSource::Bank`]).
//!   The seam is the rows' source (`rows::RowSource`): a CSV file's records
//!   or a statement's entries become the same checked rows, and from there
//!   one pipeline — kinds and refunds ([`crate::rules::money_in_kind`]; a bank
//!   entry has no category cell, so money in is income), rules → learned →
//!   "Other", duplicates, marks, skip choices, the commit's second read and
//!   [`crate::store::Imports::insert_transactions`] (one transaction, the
//!   idempotency key). An entry's bank id is stored with its row and is how a
//!   re-import finds it (`import.rs`); a statement's ending balance is
//!   compared with the account after the import ([`StatementCheck`]). The
//!   smaller design was chosen: an enum of two sources inside the one
//!   `Parser` rather than a trait, since nothing after a row's cells differs.
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

mod accounts;
pub(crate) mod autocat;
mod formula;
pub(crate) mod import;
mod legs;
pub(crate) mod parse;
pub(crate) mod read;
mod rejects;
pub(crate) mod resolve;
pub(crate) mod rows;
mod sniff;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod statement_for_tests;

use chrono::NaiveDate;

use crate::domain::{Account, Category, CategoryKind, CategoryName, EntryKind};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Currency, SignedAmount};

pub use accounts::ImportAccounts;
pub use read::{Encoding, MAX_FIELD_BYTES, MAX_FIELDS};
pub(crate) use rejects::write_rejects;
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
/// check every row with `settings` in `currency`, resolve categories
/// against `categories` (the user's) and `mappings`, and accounts against
/// `accounts` (the user's; rows without an account cell go to `target`, the
/// default account when `None`). Duplicates are not flagged (that needs the
/// stored rows). Whole-file problems are `Err` (`Validation { field: "file" |
/// "columns" | "categories" }`, or `NotFound` for a mapping to a category not
/// in `categories` or a `target` not in `accounts`); row problems are
/// [`LineError`]s in the plan.
pub fn plan_rows(
    bytes: &[u8],
    settings: &ImportSettings,
    mappings: &[CategoryMapping],
    currency: Currency,
    categories: Vec<Category>,
    accounts: &[Account],
    target: Option<Id>,
) -> Result<ImportPlan> {
    let text = read::decode(bytes)?;
    let resolver = resolve::Resolver::new(categories, mappings)?;
    let accounts = ImportAccounts::new(accounts, target)?;
    import::plan_file(text, settings, currency, resolver, accounts)
}

/// One transaction (or transfer leg) as the export writes it.
#[derive(Clone, Copy, Debug)]
pub struct ExportRow<'a> {
    pub date: NaiveDate,
    /// The account's name.
    pub account: &'a str,
    pub description: &'a str,
    /// The category's name (empty for a transfer's leg).
    pub category: &'a str,
    pub kind: EntryKind,
    /// Negative for a refund.
    pub amount: SignedAmount,
    pub note: Option<&'a str>,
    /// The transfer a leg belongs to (its `transfer_id`, shared by both legs).
    pub transfer: Option<Id>,
}

/// Writes the export format: [`EXPORT_HEADER`], then one record per transaction
/// (RFC 4180, CRLF; ISO date, signed amount in the currency, `type`; text
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

    /// One transaction, amounts in `currency`.
    pub fn row(&mut self, r: &ExportRow<'_>, currency: Currency) -> Result<()> {
        let date = r.date.format("%Y-%m-%d").to_string();
        // Digits, a dot and at most a leading minus (a refund): never a
        // formula (a spreadsheet reads `-12.30` as the number it is), never neutralised.
        let amount = r.amount.format(currency);
        // Hex digits only: never a formula.
        let transfer = r.transfer.map(|id| id.to_hex()).unwrap_or_default();
        self.w
            .write_record([
                date.as_str(),
                &formula::neutralise(r.account),
                &formula::neutralise(r.description),
                &formula::neutralise(r.category),
                r.kind.as_str(),
                amount.as_str(),
                &formula::neutralise(r.note.unwrap_or("")),
                transfer.as_str(),
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

/// The columns [`Finance::export_csv`] writes, in order (see the module docs).
pub const EXPORT_HEADER: [&str; 8] = [
    "date",
    "account",
    "description",
    "category",
    "type",
    "amount",
    "note",
    "transfer",
];

/// The export's columns before accounts (files written by the previous
/// version, which still import as the app's own format).
pub const LEGACY_EXPORT_HEADER: [&str; 6] =
    ["date", "description", "category", "type", "amount", "note"];

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

/// The character between whole units and the fraction (the grammar of
/// written amounts is `money::typed`, shared with typed entry).
pub use crate::money::typed::DecimalSeparator;

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
    /// amount must be unsigned (a negative amount is accepted for an expense;
    /// in the app's own export it is a refund). Ignored with
    /// [`AmountColumns::DebitCredit`].
    pub kind: Option<usize>,
    pub date_format: DateFormat,
    pub decimal: DecimalSeparator,
    /// An account column: each row's cell names one of the user's accounts
    /// (a blank cell: the account chosen for the import).
    pub account: Option<usize>,
    /// The app's own export's transfer column (a transfer's reference on both
    /// of its legs).
    pub transfer: Option<usize>,
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
    /// `description`, `note`, `account`), or `None` for the row as a whole.
    pub field: Option<String>,
    pub reason: String,
}

/// A row as it will be imported: what is shown is what is stored (a quoted
/// line break in a description is one space; a note keeps its line breaks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRow {
    pub line: u64,
    pub date: NaiveDate,
    /// Negative for a refund.
    pub amount: SignedAmount,
    pub kind: CategoryKind,
    /// Money that came in, booked as a refund in the expense category it
    /// names (an expense with a negative amount), not as income.
    pub refund: bool,
    /// The name of the account the row goes to.
    pub account: String,
    /// The category the row goes to (the CSV name itself while unmapped).
    pub category: String,
    pub description: String,
    pub note: Option<String>,
    /// Same date, amount, kind and description (ignoring case) as a stored
    /// transaction or an earlier row of the file.
    pub duplicate: bool,
    /// The rule (id, name) that matched the row, for a row whose file gives
    /// no category (see `autocat.rs`).
    pub rule: Option<(Id, String)>,
    /// Its category was learned from the user's most recent row of the same
    /// description (no rule gave one).
    pub learned: bool,
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
    /// For a bank file with an ending balance: how it compares with the
    /// account after the import (duplicates left out).
    pub statement: Option<StatementCheck>,
}

/// What an import reads. A CSV file is read with its [`ImportSettings`]; a
/// bank statement file (OFX/QFX, QIF, CAMT.053: [`crate::bank::read`]) needs
/// none, only the order of day and month for a QIF file whose dates read
/// both ways. Both go through the same plan → preview → commit (see the
/// module docs). `&ImportSettings` converts, so CSV callers pass settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportSource<'a> {
    Csv(&'a ImportSettings),
    Bank {
        /// For a QIF file whose dates fit both orders; `None` refuses such a
        /// file with `Validation { field: "date_order" }` so the user can choose.
        qif_dates: Option<crate::bank::DayMonthOrder>,
    },
}

impl<'a> From<&'a ImportSettings> for ImportSource<'a> {
    fn from(settings: &'a ImportSettings) -> Self {
        ImportSource::Csv(settings)
    }
}

/// A bank statement's ending balance beside the account's balance after the
/// import, on the statement's day (end of day): what a plan of a file with
/// an ending balance shows. Minor units, signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementCheck {
    pub date: NaiveDate,
    /// The balance the statement states.
    pub statement: i64,
    /// The account's balance at the end of `date` once the plan's rows that
    /// are not duplicates are imported.
    pub after_import: i64,
    /// `statement - after_import` ([`crate::rules::reconciliation_difference`]):
    /// zero when the import makes the account agree with the bank.
    pub difference: i64,
}

/// What a successful import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: u64,
    pub skipped_duplicates: u64,
    pub created_categories: u64,
    /// Rows with errors left out (only when the commit chose to skip them).
    pub skipped_errors: u64,
}

/// What a commit does with the rows it would not import as they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommitChoices {
    /// Leave out rows that look like stored transactions (else import them too).
    pub skip_duplicates: bool,
    /// Leave out rows with errors and import the rest (else refuse the whole file).
    pub skip_errors: bool,
}

impl From<bool> for CommitChoices {
    /// Just the duplicates choice: a file with an error is refused.
    fn from(skip_duplicates: bool) -> Self {
        CommitChoices {
            skip_duplicates,
            skip_errors: false,
        }
    }
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

    use super::{AmountColumns, DateFormat, DecimalSeparator, ImportAccounts, ImportSettings};
    use crate::domain::{Account, AccountType, Category, default_categories};
    use crate::id::Id;
    use crate::money::Currency;

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
            account: None,
            transfer: None,
        }
    }

    /// The user's accounts: "Main account" (the default) and "Visa card".
    pub(crate) fn accounts() -> Vec<Account> {
        ["Main account", "Visa card"]
            .into_iter()
            .enumerate()
            .map(|(i, name)| Account {
                id: Id::from_bytes([i as u8 + 1; 12]),
                user_id: Id::from_bytes([9; 12]),
                name: name.into(),
                kind: AccountType::Checking,
                currency: Currency::EUR,
                opening_balance: 0,
                opening_date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
                note: None,
                archived: false,
                position: i as i32,
                last_reconciled: None,
                created_at: DateTime::<Utc>::UNIX_EPOCH,
            })
            .collect()
    }

    /// Those accounts, rows without an account cell going to "Main account".
    pub(crate) fn import_accounts() -> ImportAccounts {
        ImportAccounts::new(&accounts(), None).unwrap_or_else(|e| panic!("{e}"))
    }
}
