//! Import: rows parsed and checked in one pass over the file, categories
//! resolved in memory (no database look-ups per row), duplicates flagged by
//! a 128-bit fingerprint of (date, amount, kind, lower-cased description).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::parse::{for_each_record, parse_amount};
use super::{
    AmountColumns, CategoryMapping, CategoryTarget, ImportPlan, ImportSettings, LineError,
    PlannedRow,
};
use crate::domain::{Category, CategoryKind, CategoryName, Description, Note, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};
use crate::store::{TransactionKey, duplicate_digest};

/// Where rows without a category go, by kind.
const DEFAULT_EXPENSE: &str = "Other";
const DEFAULT_INCOME: &str = "Other income";

/// The comparison key of a category name: inner blanks collapsed, lower-cased (as [`CategoryName::key`]).
fn name_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn kind_index(kind: CategoryKind) -> usize {
    match kind {
        CategoryKind::Income => 0,
        CategoryKind::Expense => 1,
    }
}

/// Where one label (a CSV category name of one kind, or "none") goes.
#[derive(Clone, Debug)]
enum Resolved {
    Existing(Category),
    Create(CategoryName),
    Unmapped,
}

#[derive(Clone, Debug)]
struct Label {
    kind: CategoryKind,
    /// The CSV name as first written; `None` for rows without a category.
    csv_name: Option<String>,
    /// Whether the name matched none of the user's categories.
    unknown: bool,
    resolved: Resolved,
}

impl Label {
    fn display(&self) -> &str {
        match &self.resolved {
            Resolved::Existing(c) => &c.name,
            Resolved::Create(name) => name.as_str(),
            Resolved::Unmapped => self.csv_name.as_deref().unwrap_or(""),
        }
    }
}

/// Resolves CSV category names to categories, interning each distinct name once.
pub(crate) struct Resolver {
    user_categories: [HashMap<String, Category>; 2],
    mappings: [HashMap<String, Resolved>; 2],
    labels: Vec<Label>,
    by_raw: [HashMap<String, u32>; 2],
    by_key: [HashMap<String, u32>; 2],
    defaults: [Option<u32>; 2],
}

impl Resolver {
    /// Over the user's categories and the mappings (checked here: `NotFound` for a
    /// target that is not the user's, `Validation { field: "categories" }` for one of the wrong kind).
    pub(crate) fn new(categories: Vec<Category>, mappings: &[CategoryMapping]) -> Result<Resolver> {
        let by_id: HashMap<Id, Category> = categories.iter().map(|c| (c.id, c.clone())).collect();
        let mut user_categories: [HashMap<String, Category>; 2] = Default::default();
        for c in categories {
            user_categories[kind_index(c.kind)].insert(name_key(&c.name), c);
        }
        let mut by_name: [HashMap<String, Resolved>; 2] = Default::default();
        for m in mappings {
            let resolved = match &m.target {
                CategoryTarget::Existing(id) => match by_id.get(id) {
                    Some(c) if c.kind == m.kind => Resolved::Existing(c.clone()),
                    // Another user's id is indistinguishable from a missing one.
                    None => return Err(Error::NotFound { what: "category" }),
                    Some(_) => {
                        return Err(Error::validation(
                            "categories",
                            format!(
                                "the category chosen for \"{}\" is not one of your {} categories",
                                m.csv_name.trim(),
                                m.kind
                            ),
                        ));
                    }
                },
                CategoryTarget::Create { name, kind } if *kind == m.kind => {
                    match user_categories[kind_index(*kind)].get(&name.key()) {
                        Some(c) => Resolved::Existing(c.clone()),
                        None => Resolved::Create(name.clone()),
                    }
                }
                CategoryTarget::Create { .. } => {
                    return Err(Error::validation(
                        "categories",
                        format!(
                            "a new category for \"{}\" must be an {} category",
                            m.csv_name.trim(),
                            m.kind
                        ),
                    ));
                }
            };
            by_name[kind_index(m.kind)].insert(name_key(&m.csv_name), resolved);
        }
        Ok(Resolver {
            user_categories,
            mappings: by_name,
            labels: Vec::new(),
            by_raw: Default::default(),
            by_key: Default::default(),
            defaults: [None, None],
        })
    }

    /// The label of a row's category cell (`None` or blank = the default category of the kind).
    fn label(&mut self, kind: CategoryKind, cell: Option<&str>) -> u32 {
        let k = kind_index(kind);
        let Some(raw) = cell.map(str::trim).filter(|s| !s.is_empty()) else {
            if let Some(i) = self.defaults[k] {
                return i;
            }
            let name = match kind {
                CategoryKind::Expense => DEFAULT_EXPENSE,
                CategoryKind::Income => DEFAULT_INCOME,
            };
            let resolved = match self.user_categories[k].get(&name_key(name)) {
                Some(c) => Resolved::Existing(c.clone()),
                None => Resolved::Create(
                    CategoryName::parse("name", name).unwrap_or_else(|_| unreachable!()),
                ),
            };
            let i = self.push(Label {
                kind,
                csv_name: None,
                unknown: false,
                resolved,
            });
            self.defaults[k] = Some(i);
            return i;
        };
        if let Some(&i) = self.by_raw[k].get(raw) {
            return i;
        }
        let key = name_key(raw);
        let i = match self.by_key[k].get(&key) {
            Some(&i) => i,
            None => {
                let (unknown, resolved) = match self.user_categories[k].get(&key) {
                    Some(c) => (false, Resolved::Existing(c.clone())),
                    None => (
                        true,
                        self.mappings[k]
                            .get(&key)
                            .cloned()
                            .unwrap_or(Resolved::Unmapped),
                    ),
                };
                let i = self.push(Label {
                    kind,
                    csv_name: Some(raw.to_string()),
                    unknown,
                    resolved,
                });
                self.by_key[k].insert(key, i);
                i
            }
        };
        self.by_raw[k].insert(raw.to_string(), i);
        i
    }

    fn push(&mut self, label: Label) -> u32 {
        self.labels.push(label);
        (self.labels.len() - 1) as u32
    }
}

/// A checked row.
pub(crate) struct Row {
    line: u64,
    date: NaiveDate,
    amount: Amount,
    kind: CategoryKind,
    label: u32,
    description: String,
    note: Option<String>,
    duplicate: bool,
}

/// A parsed file: checked rows, row errors and the category labels.
pub(crate) struct Prepared {
    total: u64,
    rows: Vec<Row>,
    errors: Vec<LineError>,
    labels: Vec<Label>,
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

/// The kind written in a type column.
fn parse_kind(s: &str) -> Option<CategoryKind> {
    match s.trim().to_lowercase().as_str() {
        "income" | "credit" => Some(CategoryKind::Income),
        "expense" | "debit" => Some(CategoryKind::Expense),
        _ => None,
    }
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

fn parse_record<'r>(
    r: &'r csv::StringRecord,
    line: u64,
    s: &ImportSettings,
    currency: Currency,
) -> Result<Cells<'r>, LineError> {
    let cell = |i: usize| r.get(i).unwrap_or("");
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
    let description = Description::parse("description", cell(s.description))
        .map_err(|e| line_error(line, Some("description"), e.to_string()))?
        .into_inner();
    let note = Note::parse_optional("note", s.note.map(cell))
        .map_err(|e| line_error(line, Some("note"), e.to_string()))?
        .map(|n| n.as_str().to_string());
    Ok(Cells {
        date,
        amount,
        kind,
        category: s.category.map(cell),
        description,
        note,
    })
}

/// Parse and check every record of `text` (one pass, one reused record buffer).
pub(crate) fn parse_rows(
    text: &str,
    settings: &ImportSettings,
    currency: Currency,
    mut resolver: Resolver,
) -> Result<Prepared> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut total = 0u64;
    let mut expected: Option<usize> = None;
    let mut first = true;
    let mut columns: Result<()> = Ok(());
    for_each_record(text, settings.delimiter, |line, r| {
        let fields = r.len();
        let want = *expected.get_or_insert(fields);
        if first {
            first = false;
            columns = check_columns(settings, want);
            if columns.is_err() {
                return false;
            }
            if settings.has_header {
                return true;
            }
        }
        total += 1;
        if fields != want {
            errors.push(line_error(
                line,
                None,
                format!("has {fields} fields; expected {want}"),
            ));
            return true;
        }
        match parse_record(r, line, settings, currency) {
            Ok(c) => {
                let label = resolver.label(c.kind, c.category);
                rows.push(Row {
                    line,
                    date: c.date,
                    amount: c.amount,
                    kind: c.kind,
                    label,
                    description: c.description,
                    note: c.note,
                    duplicate: false,
                });
            }
            Err(e) => errors.push(e),
        }
        true
    })?;
    columns?;
    if total == 0 {
        return Err(Error::validation("file", "has no data rows"));
    }
    Ok(Prepared {
        total,
        rows,
        errors,
        labels: resolver.labels,
        duplicates: 0,
    })
}

/// The duplicate fingerprint of a transaction (128 bits of the digest whose
/// first 64 are MongoDB's stored [`crate::store::duplicate_key`]).
fn fingerprint(date: NaiveDate, amount: i64, kind: CategoryKind, description: &str) -> u128 {
    let digest = duplicate_digest(date, amount, kind, description);
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

impl Prepared {
    /// The duplicate-detection fields of the checked rows.
    pub(crate) fn duplicate_probes(&self) -> Vec<TransactionKey> {
        self.rows
            .iter()
            .map(|r| TransactionKey {
                date: r.date,
                amount: r.amount.minor(),
                kind: r.kind,
                description: r.description.clone(),
            })
            .collect()
    }

    /// Flag rows that repeat a stored transaction or an earlier row.
    pub(crate) fn flag_duplicates(&mut self, existing: Vec<TransactionKey>) {
        let mut seen: HashSet<u128> = existing
            .into_iter()
            .map(|k| fingerprint(k.date, k.amount, k.kind, &k.description))
            .collect();
        seen.reserve(self.rows.len());
        let mut duplicates = 0;
        for r in &mut self.rows {
            let fp = fingerprint(r.date, r.amount.minor(), r.kind, &r.description);
            r.duplicate = !seen.insert(fp);
            duplicates += u64::from(r.duplicate);
        }
        self.duplicates = duplicates;
    }

    fn unknown(&self) -> Vec<(String, CategoryKind)> {
        self.labels
            .iter()
            .filter(|l| l.unknown)
            .filter_map(|l| l.csv_name.clone().map(|n| (n, l.kind)))
            .collect()
    }

    pub(crate) fn into_plan(self) -> ImportPlan {
        let unknown_categories = self.unknown();
        let labels = self.labels;
        ImportPlan {
            total: self.total,
            rows: self
                .rows
                .into_iter()
                .map(|r| PlannedRow {
                    line: r.line,
                    date: r.date,
                    amount: r.amount,
                    kind: r.kind,
                    category: labels[r.label as usize].display().to_string(),
                    description: r.description,
                    note: r.note,
                    duplicate: r.duplicate,
                })
                .collect(),
            errors: self.errors,
            duplicates: self.duplicates,
            unknown_categories,
        }
    }

    /// The categories to create and the transactions to insert; refused while
    /// rows have errors or categories are unmapped.
    pub(crate) fn into_batch(
        self,
        user: Id,
        skip_duplicates: bool,
        now: DateTime<Utc>,
    ) -> Result<Batch> {
        if !self.errors.is_empty() {
            let n = self.errors.len();
            return Err(Error::validation(
                "file",
                format!(
                    "{n} row{} cannot be imported; nothing was imported",
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        let unmapped: Vec<String> = self
            .labels
            .iter()
            .filter(|l| matches!(l.resolved, Resolved::Unmapped))
            .filter_map(|l| l.csv_name.as_ref().map(|n| format!("\"{n}\" ({})", l.kind)))
            .collect();
        if !unmapped.is_empty() {
            return Err(Error::validation(
                "categories",
                format!(
                    "choose or create a category for {}; nothing was imported",
                    unmapped.join(", ")
                ),
            ));
        }
        // Category of each label; new categories are made once per (kind, name) and only when used.
        let mut used = vec![false; self.labels.len()];
        for r in &self.rows {
            if !(skip_duplicates && r.duplicate) {
                used[r.label as usize] = true;
            }
        }
        let mut created: HashMap<(CategoryKind, String), Id> = HashMap::new();
        let mut categories = Vec::new();
        let mut label_category: Vec<Option<Id>> = vec![None; self.labels.len()];
        for (i, label) in self.labels.iter().enumerate() {
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
        let mut transactions = Vec::with_capacity(self.rows.len());
        for r in self.rows {
            if skip_duplicates && r.duplicate {
                skipped += 1;
                continue;
            }
            let Some(category_id) = label_category[r.label as usize] else {
                continue;
            };
            transactions.push(Transaction {
                id: Id::generate(),
                user_id: user,
                category_id,
                kind: r.kind,
                amount: r.amount,
                date: r.date,
                description: r.description,
                note: r.note,
                created_at: now,
                updated_at: now,
            });
        }
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
    use crate::csv_io::{DateFormat, DecimalSeparator};
    use crate::domain::default_categories;

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

    fn plan(text: &str, s: &ImportSettings) -> ImportPlan {
        let r = Resolver::new(categories(), &[]).unwrap();
        let mut p = parse_rows(text, s, Currency::EUR, r).unwrap();
        p.flag_duplicates(Vec::new());
        p.into_plan()
    }

    #[test]
    fn rows_resolve_categories_and_flag_in_file_duplicates() {
        let text = "date,amount,description,category\n\
                    2024-01-31,-12.50,Coffee,groceries\n\
                    2024-02-01,2000,Pay,\n\
                    2024-02-01,-3,Snack,Sweets\n\
                    2024-01-31,-12.5, COFFEE ,Groceries\n";
        let p = plan(text, &settings());
        assert_eq!((p.total, p.rows.len(), p.errors.len()), (4, 4, 0));
        assert_eq!(p.rows[0].category, "Groceries");
        assert_eq!(p.rows[0].kind, CategoryKind::Expense);
        assert_eq!(p.rows[1].category, "Other income");
        assert_eq!(p.rows[1].kind, CategoryKind::Income);
        assert_eq!(
            p.unknown_categories,
            vec![("Sweets".to_string(), CategoryKind::Expense)]
        );
        assert!(p.rows[3].duplicate && !p.rows[0].duplicate);
        assert_eq!(p.duplicates, 1);
        assert_eq!(p.rows[3].line, 5);
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
                (7, Some("description")),
            ]
        );
        assert!(
            p.errors[1].reason.contains("decimal separator"),
            "{:?}",
            p.errors[1]
        );
        assert_eq!((p.total, p.rows.len()), (7, 1));
        assert_eq!(p.rows[0].line, 9);
    }

    #[test]
    fn columns_must_exist() {
        let s = ImportSettings {
            note: Some(9),
            ..settings()
        };
        let r = Resolver::new(categories(), &[]).unwrap();
        let e = parse_rows("a,b,c,d\n", &s, Currency::EUR, r).err().unwrap();
        assert_eq!(e.field(), Some("columns"));
        let r = Resolver::new(categories(), &[]).unwrap();
        let e = parse_rows("a,b,c,d\n", &settings(), Currency::EUR, r)
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("file"));
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
        let r = Resolver::new(categories(), &[]).unwrap();
        let p = parse_rows(&text, &s, Currency::EUR, r).unwrap();
        assert_eq!(p.total, n);
        assert_eq!(p.rows.len() as u64, n);
        assert!(p.errors.is_empty());
        assert_eq!(p.labels.len(), 1);
    }
}
