//! Import: rows parsed and checked in one pass over the file, categories
//! resolved in memory (`resolve.rs`), duplicates flagged by a 128-bit
//! fingerprint of (date, amount, kind, lower-cased description).
//!
//! Invariants:
//! * a quoted line break in a description becomes one space (with the blanks
//!   around it); a note keeps its line breaks; what the plan shows is what a
//!   commit stores;
//! * in a file in the app's export format (its header is [`EXPORT_HEADER`])
//!   text cells lose the `'` the export added (`formula.rs`); other files are
//!   read as written;
//! * memory: accepted rows are kept once, as the transactions a commit
//!   stores (no second copy is made to commit them), at most
//!   [`MAX_IMPORT_ROWS`]; errors, unknown categories and sample rows are
//!   bounded and counted.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::formula;
use super::parse::parse_amount;
use super::read::{MAX_FIELDS, Record, Text, for_each_record};
use super::resolve::{Label, Resolution, Resolved, Resolver};
use super::{
    AmountColumns, EXPORT_HEADER, ImportPlan, ImportSettings, LineError, MAX_IMPORT_ROWS,
    MAX_LINE_ERRORS, MAX_UNKNOWN_CATEGORIES, PlannedRow, SAMPLE_ROWS,
};
use crate::domain::{Category, CategoryKind, Description, Note, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};
use crate::store::{TransactionKey, duplicate_digest};

/// Unmapped category names a refused commit names (the rest are counted).
const NAMED_UNMAPPED: usize = 10;

/// Per accepted row: its category label and whether it is a duplicate.
#[derive(Clone, Copy)]
struct Mark {
    label: u32,
    duplicate: bool,
}

/// A parsed file: the accepted rows, the first row errors and the category labels.
pub(crate) struct Prepared {
    total: u64,
    /// Every accepted row as it will be stored, but for its id, user,
    /// category and times (set by [`Prepared::into_batch`]).
    rows: Vec<Transaction>,
    /// One per row.
    marks: Vec<Mark>,
    /// The physical line of each of the first [`SAMPLE_ROWS`] rows.
    sample_lines: Vec<u64>,
    error_count: u64,
    /// The first [`MAX_LINE_ERRORS`].
    errors: Vec<LineError>,
    resolution: Resolution,
    duplicates: u64,
}

/// The rows and categories to write.
pub(crate) struct Batch {
    pub categories: Vec<Category>,
    pub transactions: Vec<Transaction>,
    pub skipped: u64,
}

fn line_error(line: u64, field: Option<&str>, reason: impl Into<String>) -> LineError {
    LineError {
        line,
        field: field.map(str::to_string),
        reason: reason.into(),
    }
}

/// `n` with a comma between groups of three digits.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The kind written in a type column.
fn parse_kind(s: &str) -> Option<CategoryKind> {
    match s.trim().to_lowercase().as_str() {
        "income" | "credit" => Some(CategoryKind::Income),
        "expense" | "debit" => Some(CategoryKind::Expense),
        _ => None,
    }
}

/// A description cell on one line: each line break, with the blanks around
/// it, becomes one space (bank exports wrap long remittance text).
fn one_line(s: &str) -> Cow<'_, str> {
    if !s.contains(['\r', '\n']) {
        return Cow::Borrowed(s);
    }
    let parts: Vec<&str> = s
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    Cow::Owned(parts.join(" "))
}

/// The columns the settings use, checked against the file's field count.
fn check_columns(s: &ImportSettings, fields: usize) -> Result<()> {
    let mut used = vec![("date", s.date), ("description", s.description)];
    match s.amount {
        AmountColumns::Single(i) => used.push(("amount", i)),
        AmountColumns::DebitCredit { debit, credit } => {
            if debit == credit {
                return Err(Error::validation(
                    "columns",
                    "debit and credit must be different columns",
                ));
            }
            used.push(("debit", debit));
            used.push(("credit", credit));
        }
    }
    used.extend(s.category.map(|i| ("category", i)));
    used.extend(s.note.map(|i| ("note", i)));
    used.extend(s.kind.map(|i| ("type", i)));
    for (role, i) in used {
        if i >= fields {
            return Err(Error::validation(
                "columns",
                format!(
                    "the {role} column ({}) does not exist: the file has {fields} column{}",
                    i + 1,
                    if fields == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    Ok(())
}

/// The checked values of one record.
struct Cells<'r> {
    date: NaiveDate,
    amount: Amount,
    kind: CategoryKind,
    category: Option<&'r str>,
    description: String,
    note: Option<String>,
}

/// Check one record. `own_export`: the file is in the app's export format,
/// whose text cells carry the `'` the export added.
fn parse_record<'r>(
    r: &'r Record,
    line: u64,
    s: &ImportSettings,
    currency: Currency,
    own_export: bool,
) -> Result<Cells<'r>, LineError> {
    let cell = |i: usize| r.get(i).unwrap_or("");
    let text_cell = |i: usize| {
        let c = cell(i);
        if own_export { formula::restore(c) } else { c }
    };
    let raw_date = cell(s.date);
    let date = s.date_format.parse_date(raw_date).ok_or_else(|| {
        let reason = if raw_date.trim().is_empty() {
            "is empty".to_string()
        } else {
            format!(
                "'{}' is not a date in the format {}",
                raw_date.trim(),
                s.date_format.as_str()
            )
        };
        line_error(line, Some("date"), reason)
    })?;
    let amount_of = |field: &str, raw: &str| {
        parse_amount(raw, s.decimal, currency)
            .map_err(|reason| line_error(line, Some(field), reason))
    };
    let (minor, kind) = match s.amount {
        AmountColumns::Single(i) => {
            let signed = amount_of("amount", cell(i))?;
            match s.kind {
                None if signed < 0 => (-signed, CategoryKind::Expense),
                None => (signed, CategoryKind::Income),
                Some(k) => {
                    let kind = parse_kind(cell(k)).ok_or_else(|| {
                        line_error(
                            line,
                            Some("type"),
                            format!("'{}' is not income or expense", cell(k).trim()),
                        )
                    })?;
                    if signed < 0 && kind == CategoryKind::Income {
                        return Err(line_error(
                            line,
                            Some("amount"),
                            "is negative for an income row",
                        ));
                    }
                    (signed.abs(), kind)
                }
            }
        }
        AmountColumns::DebitCredit { debit, credit } => {
            let (d, c) = (cell(debit).trim(), cell(credit).trim());
            match (d.is_empty(), c.is_empty()) {
                (false, true) => (amount_of("debit", d)?.abs(), CategoryKind::Expense),
                (true, false) => (amount_of("credit", c)?.abs(), CategoryKind::Income),
                (true, true) => {
                    return Err(line_error(
                        line,
                        Some("amount"),
                        "has neither a debit nor a credit",
                    ));
                }
                (false, false) => {
                    return Err(line_error(
                        line,
                        Some("amount"),
                        "has both a debit and a credit",
                    ));
                }
            }
        }
    };
    let amount = Amount::from_minor("amount", minor)
        .map_err(|e| line_error(line, Some("amount"), e.to_string()))?;
    let description = Description::parse("description", &one_line(text_cell(s.description)))
        .map_err(|e| line_error(line, Some("description"), e.to_string()))?
        .into_inner();
    let note = Note::parse_optional("note", s.note.map(text_cell))
        .map_err(|e| line_error(line, Some("note"), e.to_string()))?
        .map(|n| n.as_str().to_string());
    Ok(Cells {
        date,
        amount,
        kind,
        category: s.category.map(text_cell),
        description,
        note,
    })
}

/// Whether a header record is the app's own export header.
fn is_export_header(r: &Record) -> bool {
    r.len() == EXPORT_HEADER.len() && r.iter().eq(EXPORT_HEADER)
}

/// Parse and check every record of `text` (one pass, one reused record buffer).
pub(crate) fn parse_rows(
    text: Text<'_>,
    settings: &ImportSettings,
    currency: Currency,
    mut resolver: Resolver,
) -> Result<Prepared> {
    let mut p = Prepared {
        total: 0,
        rows: Vec::new(),
        marks: Vec::new(),
        sample_lines: Vec::new(),
        error_count: 0,
        errors: Vec::new(),
        resolution: Resolution::default(),
        duplicates: 0,
    };
    let mut expected: Option<usize> = None;
    let mut first = true;
    let mut own_export = false;
    let mut whole_file: Result<()> = Ok(());
    for_each_record(text, settings.delimiter, |line, r| {
        let fields = r.len();
        let want = *expected.get_or_insert(fields);
        if first {
            first = false;
            whole_file = if fields > MAX_FIELDS {
                Err(Error::validation(
                    "file",
                    format!("has more than {MAX_FIELDS} columns"),
                ))
            } else {
                check_columns(settings, want)
            };
            if whole_file.is_err() {
                return false;
            }
            if settings.has_header {
                own_export = is_export_header(r);
                return true;
            }
        }
        p.total += 1;
        if fields != want {
            p.error(line_error(
                line,
                None,
                format!("has {fields} fields; expected {want}"),
            ));
            return true;
        }
        match parse_record(r, line, settings, currency, own_export) {
            Ok(c) => {
                if p.rows.len() as u64 >= MAX_IMPORT_ROWS {
                    whole_file = Err(Error::validation(
                        "file",
                        format!(
                            "has more than {} rows to import; split it into smaller files",
                            grouped(MAX_IMPORT_ROWS)
                        ),
                    ));
                    return false;
                }
                let label = resolver.label(c.kind, c.category);
                if p.sample_lines.len() < SAMPLE_ROWS {
                    p.sample_lines.push(line);
                }
                p.marks.push(Mark {
                    label,
                    duplicate: false,
                });
                let stand_in = Id::from_bytes([0; 12]);
                p.rows.push(Transaction {
                    id: stand_in,
                    user_id: stand_in,
                    category_id: stand_in,
                    kind: c.kind,
                    amount: c.amount,
                    date: c.date,
                    description: c.description,
                    note: c.note,
                    created_at: DateTime::<Utc>::UNIX_EPOCH,
                    updated_at: DateTime::<Utc>::UNIX_EPOCH,
                });
            }
            Err(e) => p.error(e),
        }
        true
    })?;
    whole_file?;
    if p.total == 0 {
        return Err(Error::validation("file", "has no data rows"));
    }
    p.resolution = resolver.finish();
    Ok(p)
}

/// The duplicate fingerprint of a transaction (128 bits of the digest whose
/// first 64 are MongoDB's stored [`crate::store::duplicate_key`]).
fn fingerprint(date: NaiveDate, amount: i64, kind: CategoryKind, description: &str) -> u128 {
    let digest = duplicate_digest(date, amount, kind, description);
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

/// Fingerprints of stored transactions (gathered over several store calls).
#[derive(Default)]
pub(crate) struct Stored(HashSet<u128>);

impl Stored {
    /// Add stored keys (a key seen before adds nothing).
    pub(crate) fn add(&mut self, keys: Vec<TransactionKey>) {
        self.0.extend(
            keys.into_iter()
                .map(|k| fingerprint(k.date, k.amount, k.kind, &k.description)),
        );
    }
}

impl Prepared {
    /// Count a row error; keep the first [`MAX_LINE_ERRORS`].
    fn error(&mut self, e: LineError) {
        self.error_count += 1;
        if self.errors.len() < MAX_LINE_ERRORS {
            self.errors.push(e);
        }
    }

    /// The duplicate-detection fields of the checked rows, `size` rows at a time.
    pub(crate) fn duplicate_probes(
        &self,
        size: usize,
    ) -> impl Iterator<Item = Vec<TransactionKey>> + '_ {
        self.rows.chunks(size.max(1)).map(|chunk| {
            chunk
                .iter()
                .map(|t| TransactionKey {
                    date: t.date,
                    amount: t.amount.minor(),
                    kind: t.kind,
                    description: t.description.clone(),
                })
                .collect()
        })
    }

    /// Flag rows that repeat a stored transaction or an earlier row.
    pub(crate) fn flag_duplicates(&mut self, stored: Stored) {
        let mut seen = stored.0;
        seen.reserve(self.rows.len());
        let mut duplicates = 0;
        for (t, m) in self.rows.iter().zip(&mut self.marks) {
            let fp = fingerprint(t.date, t.amount.minor(), t.kind, &t.description);
            m.duplicate = !seen.insert(fp);
            duplicates += u64::from(m.duplicate);
        }
        self.duplicates = duplicates;
    }

    fn labels(&self) -> &[Label] {
        &self.resolution.labels
    }

    pub(crate) fn into_plan(self) -> ImportPlan {
        let labels = &self.resolution.labels;
        let unknown: Vec<&Label> = labels.iter().filter(|l| l.unknown).collect();
        ImportPlan {
            total: self.total,
            ready: self.rows.len() as u64,
            sample: self
                .rows
                .iter()
                .zip(&self.marks)
                .zip(&self.sample_lines)
                .map(|((t, m), &line)| PlannedRow {
                    line,
                    date: t.date,
                    amount: t.amount,
                    kind: t.kind,
                    category: labels[m.label as usize].display().to_string(),
                    description: t.description.clone(),
                    note: t.note.clone(),
                    duplicate: m.duplicate,
                })
                .collect(),
            error_count: self.error_count,
            errors: self.errors,
            duplicates: self.duplicates,
            unknown_categories: unknown
                .iter()
                .take(MAX_UNKNOWN_CATEGORIES)
                .filter_map(|l| l.csv_name.clone().map(|n| (n, l.kind)))
                .collect(),
            unknown_category_count: unknown.len() as u64 + self.resolution.overflow,
        }
    }

    /// Refused while rows have errors or categories are unmapped.
    fn check_committable(&self) -> Result<()> {
        if self.error_count > 0 {
            let n = self.error_count;
            return Err(Error::validation(
                "file",
                format!(
                    "{} row{} cannot be imported; nothing was imported",
                    grouped(n),
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        let unmapped: Vec<String> = self
            .labels()
            .iter()
            .filter(|l| matches!(l.resolved, Resolved::Unmapped))
            .filter_map(|l| l.csv_name.as_ref().map(|n| format!("\"{n}\" ({})", l.kind)))
            .collect();
        let more = unmapped.len().saturating_sub(NAMED_UNMAPPED) as u64 + self.resolution.overflow;
        if unmapped.is_empty() && more == 0 {
            return Ok(());
        }
        let mut names = unmapped[..unmapped.len().min(NAMED_UNMAPPED)].join(", ");
        if more > 0 {
            if !names.is_empty() {
                names.push_str(" and ");
            }
            names.push_str(&format!(
                "{} more categor{}",
                grouped(more),
                if more == 1 { "y" } else { "ies" }
            ));
        }
        Err(Error::validation(
            "categories",
            format!("choose or create a category for {names}; nothing was imported"),
        ))
    }

    /// The categories to create and the transactions to insert (the checked
    /// rows themselves, given their ids, category and times); refused while
    /// rows have errors or categories are unmapped.
    pub(crate) fn into_batch(
        self,
        user: Id,
        skip_duplicates: bool,
        now: DateTime<Utc>,
    ) -> Result<Batch> {
        self.check_committable()?;
        let labels = &self.resolution.labels;
        // Category of each label; new categories are made once per (kind, name) and only when used.
        let mut used = vec![false; labels.len()];
        for m in &self.marks {
            if !(skip_duplicates && m.duplicate) {
                used[m.label as usize] = true;
            }
        }
        let mut created: HashMap<(CategoryKind, String), Id> = HashMap::new();
        let mut categories = Vec::new();
        let mut label_category: Vec<Option<Id>> = vec![None; labels.len()];
        for (i, label) in labels.iter().enumerate() {
            if !used[i] {
                continue;
            }
            label_category[i] = Some(match &label.resolved {
                Resolved::Existing(c) => c.id,
                Resolved::Create(name) => {
                    *created.entry((label.kind, name.key())).or_insert_with(|| {
                        let c = Category {
                            id: Id::generate(),
                            user_id: user,
                            name: name.as_str().to_string(),
                            kind: label.kind,
                            created_at: now,
                        };
                        let id = c.id;
                        categories.push(c);
                        id
                    })
                }
                Resolved::Unmapped => continue,
            });
        }
        let mut skipped = 0;
        let mut marks = self.marks.iter();
        let mut transactions = self.rows;
        // In place: the rows become the transactions, without a second copy.
        transactions.retain_mut(|t| {
            let Some(m) = marks.next() else { return false };
            if skip_duplicates && m.duplicate {
                skipped += 1;
                return false;
            }
            let Some(category_id) = label_category[m.label as usize] else {
                return false;
            };
            t.id = Id::generate();
            t.user_id = user;
            t.category_id = category_id;
            t.created_at = now;
            t.updated_at = now;
            true
        });
        Ok(Batch {
            categories,
            transactions,
            skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::read::decode;
    use crate::csv_io::{CategoryMapping, CategoryTarget, DateFormat, DecimalSeparator};
    use crate::domain::{CategoryName, default_categories};

    fn categories() -> Vec<Category> {
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

    fn settings() -> ImportSettings {
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

    fn prepare(text: &str, s: &ImportSettings, m: &[CategoryMapping]) -> Result<Prepared> {
        let r = Resolver::new(categories(), m).unwrap();
        let mut p = parse_rows(decode(text.as_bytes())?, s, Currency::EUR, r)?;
        p.flag_duplicates(Stored::default());
        Ok(p)
    }

    fn plan(text: &str, s: &ImportSettings) -> ImportPlan {
        prepare(text, s, &[]).unwrap().into_plan()
    }

    #[test]
    fn rows_resolve_categories_and_flag_in_file_duplicates() {
        let text = "date,amount,description,category\n\
                    2024-01-31,-12.50,Coffee,groceries\n\
                    2024-02-01,2000,Pay,\n\
                    2024-02-01,-3,Snack,Sweets\n\
                    2024-01-31,-12.5, COFFEE ,Groceries\n";
        let p = plan(text, &settings());
        assert_eq!((p.total, p.sample.len(), p.errors.len()), (4, 4, 0));
        assert_eq!(p.sample[0].category, "Groceries");
        assert_eq!(p.sample[0].kind, CategoryKind::Expense);
        assert_eq!(p.sample[1].category, "Other income");
        assert_eq!(p.sample[1].kind, CategoryKind::Income);
        assert_eq!(
            p.unknown_categories,
            vec![("Sweets".to_string(), CategoryKind::Expense)]
        );
        assert!(p.sample[3].duplicate && !p.sample[0].duplicate);
        assert_eq!(p.duplicates, 1);
        assert_eq!(p.sample[3].line, 5);
    }

    #[test]
    fn row_errors_name_the_line_and_field() {
        let text = "date,amount,description,category\n\
                    2024-13-01,-1,Bad date,\n\
                    2024-01-01,\"1.234,56\",Wrong separator,\n\
                    2024-01-01,-1,Ragged\n\
                    2024-01-01,0,Zero,\n\
                    2024-01-01,-1,\"  \",\n\
                    2024-01-01,-1,\"multi\nline\",\n\
                    2024-01-02,-1,Fine,\n";
        let p = plan(text, &settings());
        let got: Vec<(u64, Option<&str>)> = p
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, Some("date")),
                (3, Some("amount")),
                (4, None),
                (5, Some("amount")),
                (6, Some("description")),
            ]
        );
        assert!(
            p.errors[1].reason.contains("decimal separator"),
            "{:?}",
            p.errors[1]
        );
        assert_eq!((p.total, p.ready, p.error_count), (7, 2, 5));
        assert_eq!(
            (p.sample[0].line, p.sample[0].description.as_str()),
            (7, "multi line"),
            "a quoted line break in a description is one space"
        );
        assert_eq!(p.sample[1].line, 9);
    }

    #[test]
    fn columns_must_exist() {
        let s = ImportSettings {
            note: Some(9),
            ..settings()
        };
        let e = prepare("a,b,c,d\n", &s, &[]).err().unwrap();
        assert_eq!(e.field(), Some("columns"));
        let e = prepare("a,b,c,d\n", &settings(), &[]).err().unwrap();
        assert_eq!(e.field(), Some("file"));
        let wide = format!("{}\n", "x,".repeat(MAX_FIELDS));
        let e = prepare(&wide, &settings(), &[]).err().unwrap();
        assert_eq!(e.field(), Some("file"));
        assert!(e.to_string().contains("more than 200 columns"), "{e}");
    }

    /// A generated 50 MB file parses in one pass without holding more than its rows.
    #[test]
    fn parses_a_fifty_megabyte_file() {
        use std::fmt::Write;
        let mut text = String::with_capacity(51 << 20);
        text.push_str("date;amount;description;category;note\r\n");
        let mut n = 0u64;
        while text.len() < 50 << 20 {
            n += 1;
            let _ = write!(
                text,
                "{:02}.{:02}.2023;-{},{:02};\"Shop {}; branch\";Groceries;note number {}\r\n",
                n % 28 + 1,
                n % 12 + 1,
                n % 900 + 1,
                n % 100,
                n % 5000,
                n
            );
        }
        let s = ImportSettings {
            delimiter: b';',
            note: Some(4),
            date_format: DateFormat::DayMonthYearDot,
            decimal: DecimalSeparator::Comma,
            ..settings()
        };
        let p = prepare(&text, &s, &[]).unwrap();
        assert_eq!(p.total, n);
        assert_eq!(p.rows.len() as u64, n);
        assert!(p.errors.is_empty());
        assert_eq!(p.labels().len(), 1);
    }

    #[test]
    fn line_breaks_in_a_description_become_one_space() {
        for (raw, want) in [
            ("plain", "plain"),
            ("a\nb", "a b"),
            ("a\r\nb", "a b"),
            ("a\rb", "a b"),
            ("Stadtwerke  \r\n\r\n  Abschlag", "Stadtwerke Abschlag"),
            ("\nlead and trail\n", "lead and trail"),
            ("keeps  inner   blanks\nx", "keeps  inner   blanks x"),
        ] {
            assert_eq!(one_line(raw), want, "{raw:?}");
        }
        let text = "date,amount,description,category,note\n\
                    2024-01-01,-1,\"two\r\nlines\",,\"note\r\nkeeps\nits breaks\"\n";
        let s = ImportSettings {
            note: Some(4),
            ..settings()
        };
        let p = plan(text, &s);
        assert_eq!(p.sample[0].description, "two lines");
        assert_eq!(
            p.sample[0].note.as_deref(),
            Some("note\r\nkeeps\nits breaks")
        );
    }

    #[test]
    fn only_the_apps_own_export_loses_the_formula_quote() {
        let export = "date,description,category,type,amount,note\r\n\
                      2024-01-01,'=x,'@Cat,expense,1.00,''+n\r\n\
                      2024-01-02,'plain,Groceries,expense,1.00,'\r\n";
        let s = ImportSettings {
            amount: AmountColumns::Single(4),
            description: 1,
            category: Some(2),
            kind: Some(3),
            note: Some(5),
            ..settings()
        };
        let p = plan(export, &s);
        let got: Vec<(&str, &str, Option<&str>)> = p
            .sample
            .iter()
            .map(|r| {
                (
                    r.description.as_str(),
                    r.category.as_str(),
                    r.note.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("=x", "@Cat", Some("'+n")),
                ("'plain", "Groceries", Some("'"))
            ]
        );
        // The same cells under another header are read as written.
        let other = export.replacen("note", "memo", 1);
        let p = plan(&other, &s);
        assert_eq!(p.sample[0].description, "'=x");
        assert_eq!(p.sample[0].category, "'@Cat");
    }

    #[test]
    fn errors_unknown_categories_and_samples_are_bounded_and_counted() {
        let mut text = String::from("date,amount,description,category\n");
        for i in 0..1000 {
            text.push_str(&format!("2024-01-01,-1,Row {i},New {i}\n"));
        }
        text.push_str(&"x\n".repeat(5000));
        let p = plan(&text, &settings());
        assert_eq!((p.total, p.ready), (6000, 1000));
        assert_eq!((p.error_count, p.errors.len()), (5000, MAX_LINE_ERRORS));
        assert_eq!(p.errors[0].line, 1002, "the first errors are kept");
        assert_eq!(p.sample.len(), SAMPLE_ROWS);
        assert_eq!(p.unknown_categories.len(), MAX_UNKNOWN_CATEGORIES);
        assert_eq!(p.unknown_categories[0].0, "New 0");
        assert_eq!(p.unknown_category_count, 1000);

        // Mapping every listed name still leaves 800 unmapped: refused, and the message stays short.
        let create = |i: usize| CategoryMapping {
            csv_name: format!("New {i}"),
            kind: CategoryKind::Expense,
            target: CategoryTarget::Create {
                name: CategoryName::parse("name", &format!("New {i}")).unwrap(),
                kind: CategoryKind::Expense,
            },
        };
        let text: String = text.lines().take(1001).map(|l| format!("{l}\n")).collect();
        let some: Vec<CategoryMapping> = (0..MAX_UNKNOWN_CATEGORIES).map(create).collect();
        let p = prepare(&text, &settings(), &some).unwrap();
        let e = p
            .into_batch(Id::generate(), true, Utc::now())
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("categories"));
        assert!(
            e.to_string()
                .ends_with("800 more categories; nothing was imported"),
            "{e}"
        );
        assert!(e.to_string().len() < 200, "{e}");
        // Mapped, every name gets its category, whatever the limit of the list.
        let all: Vec<CategoryMapping> = (0..1000).map(create).collect();
        let p = prepare(&text, &settings(), &all).unwrap();
        let plan = prepare(&text, &settings(), &all).unwrap().into_plan();
        assert_eq!(plan.unknown_category_count, 1000);
        let batch = p.into_batch(Id::generate(), true, Utc::now()).unwrap();
        assert_eq!(
            (batch.transactions.len(), batch.categories.len()),
            (1000, 1000)
        );
    }

    #[test]
    fn a_commit_reuses_the_checked_rows_in_place() {
        let text = "date,amount,description,category\n\
                    2024-01-01,-1,A,\n2024-01-01,-1,a,\n2024-01-02,5,Pay,\n";
        let user = Id::generate();
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(1);
        let p = prepare(text, &settings(), &[]).unwrap();
        let before = p.rows.as_ptr();
        let batch = p.into_batch(user, true, now).unwrap();
        assert_eq!(
            batch.transactions.as_ptr(),
            before,
            "no second copy of the rows"
        );
        assert_eq!(batch.skipped, 1);
        let got: Vec<(&str, CategoryKind)> = batch
            .transactions
            .iter()
            .map(|t| (t.description.as_str(), t.kind))
            .collect();
        assert_eq!(
            got,
            [("A", CategoryKind::Expense), ("Pay", CategoryKind::Income)]
        );
        assert!(
            batch.transactions.iter().all(|t| t.user_id == user
                && t.created_at == now
                && t.id != Id::from_bytes([0; 12]))
        );
    }

    #[test]
    fn more_accepted_rows_than_the_limit_is_a_file_error() {
        let mut text = String::with_capacity(13 << 20);
        for _ in 0..=MAX_IMPORT_ROWS {
            text.push_str("1.1.2024,1,a\n");
        }
        let s = ImportSettings {
            has_header: false,
            category: None,
            date_format: DateFormat::DayMonthYearDot,
            ..settings()
        };
        let e = prepare(&text, &s, &[]).err().unwrap();
        assert_eq!(e.field(), Some("file"));
        assert!(e.to_string().contains("more than 1,000,000 rows"), "{e}");
        assert_eq!(grouped(49_999_900), "49,999,900");
        assert_eq!(grouped(999), "999");
    }
}
