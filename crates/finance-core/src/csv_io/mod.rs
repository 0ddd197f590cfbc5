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

mod import;
mod parse;
mod sniff;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::idempotency::{Fingerprint, IDEMPOTENCY_FIELD, IdempotencyKey};
use crate::domain::{
    Category, CategoryKind, CategoryName, TransactionFilter, TransactionQuery, TransactionSort,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};
use crate::service::{AuthUser, Finance};
use crate::store::IdempotencyRecord;

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
const EXPORT_PAGE: u32 = 500;

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

/// The fingerprint of an import request: the file and every choice made about it.
fn import_fingerprint(
    bytes: &[u8],
    settings: &ImportSettings,
    mappings: &[CategoryMapping],
    skip_duplicates: bool,
) -> String {
    let mut f = Fingerprint::new("import-commit");
    f.part(bytes)
        .part(format!("{settings:?}").as_bytes())
        .part(format!("{mappings:?}").as_bytes())
        .part(&[u8::from(skip_duplicates)]);
    f.finish()
}

fn encode_summary(s: &ImportSummary) -> String {
    format!(
        "{},{},{}",
        s.imported, s.skipped_duplicates, s.created_categories
    )
}

fn decode_summary(text: &str) -> Result<ImportSummary> {
    let mut parts = text.split(',').map(str::parse::<u64>);
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(Ok(imported)), Some(Ok(skipped_duplicates)), Some(Ok(created_categories)), None) => {
            Ok(ImportSummary {
                imported,
                skipped_duplicates,
                created_categories,
            })
        }
        _ => Err(Error::internal(
            "idempotency",
            "stored import summary is malformed",
        )),
    }
}

fn write_failed(e: impl std::fmt::Display) -> Error {
    tracing::warn!(error = %e, "CSV export write failed");
    Error::validation("file", format!("cannot be written: {e}"))
}

impl Finance {
    /// Write the user's transactions matching `filter` as CSV to `out`, oldest
    /// first (date, then id), page by page; returns the number of rows written.
    pub async fn export_csv(
        &self,
        user: &AuthUser,
        filter: TransactionFilter,
        out: &mut (dyn std::io::Write + Send),
    ) -> Result<u64> {
        let currency = user.currency();
        let names: std::collections::HashMap<Id, String> = self
            .categories(user)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let mut w = ExportWriter::new(out)?;
        let mut query = TransactionQuery {
            filter,
            sort: TransactionSort::DateAsc,
            limit: EXPORT_PAGE,
            after: None,
        };
        let mut written = 0;
        loop {
            let page = self.transactions(user, &query).await?;
            for t in &page.items {
                let category = names.get(&t.category_id).map_or("", String::as_str);
                w.row(
                    t.date,
                    &t.description,
                    category,
                    t.kind,
                    t.amount,
                    t.note.as_deref(),
                    currency,
                )?;
                written += 1;
            }
            w.flush()?;
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        Ok(written)
    }

    /// Check `bytes` with `settings` and `mappings` and say what an import
    /// would do; writes nothing.
    pub async fn import_plan(
        &self,
        user: &AuthUser,
        bytes: &[u8],
        settings: &ImportSettings,
        mappings: &[CategoryMapping],
    ) -> Result<ImportPlan> {
        let prepared = self.prepare_import(user, bytes, settings, mappings).await?;
        Ok(prepared.into_plan())
    }

    /// Import `bytes`: all accepted rows and the categories they need in one
    /// database transaction, or nothing.
    ///
    /// Refused with `Validation { field: "file" }` while any row has an error
    /// and `Validation { field: "categories" }` while an unknown category is
    /// unmapped. Duplicates are skipped when `skip_duplicates`, imported
    /// otherwise. `progress(done, total)` is called about every 1000 rows.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_commit(
        &self,
        user: &AuthUser,
        bytes: &[u8],
        settings: &ImportSettings,
        mappings: &[CategoryMapping],
        skip_duplicates: bool,
        now: DateTime<Utc>,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportSummary> {
        self.import_commit_with_key(
            user,
            bytes,
            settings,
            mappings,
            skip_duplicates,
            None,
            now,
            progress,
        )
        .await
    }

    /// [`Finance::import_commit`] at most once per `key` (when given): a replay
    /// of the same request (same bytes, settings, mappings and duplicate choice)
    /// returns the first import's summary and writes nothing; the same key with
    /// a different request is `Conflict { field: "idempotencyKey" }`. Safe to
    /// retry after `Unavailable`.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_commit_with_key(
        &self,
        user: &AuthUser,
        bytes: &[u8],
        settings: &ImportSettings,
        mappings: &[CategoryMapping],
        skip_duplicates: bool,
        key: Option<&IdempotencyKey>,
        now: DateTime<Utc>,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportSummary> {
        let fingerprint =
            key.map(|_| import_fingerprint(bytes, settings, mappings, skip_duplicates));
        if let (Some(key), Some(fp)) = (key, &fingerprint)
            && let Some(done) = self.replayed(user, key, fp).await?
        {
            return decode_summary(&done);
        }
        let prepared = self.prepare_import(user, bytes, settings, mappings).await?;
        let batch = prepared.into_batch(user.id(), skip_duplicates, crate::service::millis(now))?;
        let summary = ImportSummary {
            imported: batch.transactions.len() as u64,
            skipped_duplicates: batch.skipped,
            created_categories: batch.categories.len() as u64,
        };
        let record = key
            .zip(fingerprint.as_ref())
            .map(|(key, fp)| IdempotencyRecord {
                key: key.as_str().to_string(),
                fingerprint: fp.clone(),
                result: encode_summary(&summary),
                created_at: crate::service::millis(now),
            });
        let written = self
            .store()
            .insert_transactions(
                user.id(),
                &batch.categories,
                batch.transactions,
                progress,
                record.as_ref(),
            )
            .await;
        let imported = match (written, key, &fingerprint) {
            // A concurrent commit with the same key won the race.
            (Err(e), Some(key), Some(fp)) if e.field() == Some(IDEMPOTENCY_FIELD) => {
                return match self.replayed(user, key, fp).await? {
                    Some(done) => decode_summary(&done),
                    None => Err(e),
                };
            }
            (written, _, _) => written?,
        };
        tracing::info!(
            user = %user.id(),
            imported,
            skipped = summary.skipped_duplicates,
            created = summary.created_categories,
            "CSV import committed"
        );
        Ok(ImportSummary {
            imported,
            ..summary
        })
    }

    async fn prepare_import(
        &self,
        user: &AuthUser,
        bytes: &[u8],
        settings: &ImportSettings,
        mappings: &[CategoryMapping],
    ) -> Result<import::Prepared> {
        let text = parse::decode(bytes)?;
        let categories = self.categories(user).await?;
        let resolver = import::Resolver::new(categories, mappings)?;
        let mut prepared = import::parse_rows(text, settings, user.currency(), resolver)?;
        let probes = prepared.duplicate_probes();
        if !probes.is_empty() {
            let existing = self
                .store()
                .existing_transaction_keys(user.id(), probes)
                .await?;
            prepared.flag_duplicates(existing);
        }
        Ok(prepared)
    }
}
