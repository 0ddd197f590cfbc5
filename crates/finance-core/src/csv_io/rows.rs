//! Checking a file's rows: each record becomes a transaction to store or a
//! [`LineError`], one record at a time ([`Parser`]), so a plan and a commit
//! can stream the file chunk by chunk.
//!
//! Invariants:
//! * a quoted line break in a description becomes one space (with the blanks
//!   around it); a note keeps its line breaks; what a plan shows is what a
//!   commit stores;
//! * in a file in the app's export format (its header is [`EXPORT_HEADER`],
//!   or the previous version's [`LEGACY_EXPORT_HEADER`]) text cells lose the
//!   `'` the export added (`formula.rs`); other files are read as written;
//! * a row's kind: the type column's, else the sign's (or debit/credit's),
//!   where money in whose category cell names an expense category is a
//!   refund ([`rules::money_in_kind`]); a refund's amount is negative;
//! * a row's account: its account cell's (one of the user's accounts), else
//!   the import's chosen account (`accounts.rs`);
//! * bounded: at most [`MAX_LINE_ERRORS`] errors and [`SAMPLE_ROWS`] sample
//!   lines are kept (all counted); more than [`MAX_IMPORT_ROWS`] accepted rows
//!   or [`MAX_FIELDS`] columns is a whole-file error.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};

use super::accounts::ImportAccounts;
use super::formula;
use super::legs::PendingLegs;
use super::parse::parse_amount;
use super::read::{MAX_FIELDS, Record, Records, Text};
use super::resolve::{Resolution, Resolver};
use super::{
    AmountColumns, EXPORT_HEADER, ImportSettings, LEGACY_EXPORT_HEADER, LineError, MAX_IMPORT_ROWS,
    MAX_LINE_ERRORS, SAMPLE_ROWS,
};
use crate::domain::{CategoryKind, Description, EntryKind, Note, Transaction, TxStatus};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency, SignedAmount};
use crate::rules;

/// Per accepted row: its category label (`None` for a transfer's leg, which
/// has no category) and whether it is a duplicate.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    pub label: Option<u32>,
    pub duplicate: bool,
}

pub(crate) fn line_error(line: u64, field: Option<&str>, reason: impl Into<String>) -> LineError {
    LineError {
        line,
        field: field.map(str::to_string),
        reason: reason.into(),
    }
}

/// `n` with a comma between groups of three digits.
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The kind written in a type column (transfer legs: the app's own export).
fn parse_kind(s: &str) -> Option<EntryKind> {
    match s.trim().to_lowercase().as_str() {
        "income" | "credit" => Some(EntryKind::Income),
        "expense" | "debit" => Some(EntryKind::Expense),
        "transfer_out" => Some(EntryKind::TransferOut),
        "transfer_in" => Some(EntryKind::TransferIn),
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
    used.extend(s.account.map(|i| ("account", i)));
    used.extend(s.transfer.map(|i| ("transfer", i)));
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

/// How a row's kind was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Given {
    /// By a type column, or money out: the kind is final.
    Kind(CategoryKind),
    /// Money in, by the sign or a credit column: income, or a refund when the
    /// category cell names an expense category ([`rules::money_in_kind`]).
    MoneyIn,
    /// A negative `expense` in the app's own export: a refund.
    Refund,
    /// A transfer's leg in the app's own export (`legs.rs` pairs it).
    Leg(EntryKind),
}

/// What a checked row is: income or expense in a category, or a transfer's leg.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowKind {
    Category(CategoryKind),
    Leg(EntryKind),
}

/// The checked values of one record.
struct Cells<'r> {
    date: NaiveDate,
    /// The amount's size (the sign is in `given`).
    amount: Amount,
    given: Given,
    category: Option<&'r str>,
    description: String,
    note: Option<String>,
    account: Id,
    /// A leg's transfer reference (the export's `transfer` cell).
    transfer: Option<Id>,
}

/// Check one record. `own_export`: the file is in the app's export format,
/// whose text cells carry the `'` the export added.
fn parse_record<'r>(
    r: &'r Record,
    line: u64,
    s: &ImportSettings,
    currency: Currency,
    own_export: bool,
    accounts: &ImportAccounts,
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
    let (minor, given) = match s.amount {
        AmountColumns::Single(i) => {
            let signed = amount_of("amount", cell(i))?;
            match s.kind {
                None if signed < 0 => (-signed, Given::Kind(CategoryKind::Expense)),
                None => (signed, Given::MoneyIn),
                Some(k) => match parse_kind(cell(k)) {
                    Some(leg @ (EntryKind::TransferOut | EntryKind::TransferIn)) if own_export => {
                        if signed <= 0 {
                            return Err(line_error(
                                line,
                                Some("amount"),
                                "must be above zero for a transfer row",
                            ));
                        }
                        (signed, Given::Leg(leg))
                    }
                    parsed => {
                        let kind = match parsed {
                            Some(EntryKind::Income) => CategoryKind::Income,
                            Some(EntryKind::Expense) => CategoryKind::Expense,
                            _ => {
                                return Err(line_error(
                                    line,
                                    Some("type"),
                                    format!("'{}' is not income or expense", cell(k).trim()),
                                ));
                            }
                        };
                        if signed < 0 && kind == CategoryKind::Income {
                            return Err(line_error(
                                line,
                                Some("amount"),
                                "is negative for an income row",
                            ));
                        }
                        let given = if signed < 0 && own_export {
                            Given::Refund
                        } else {
                            Given::Kind(kind)
                        };
                        (signed.abs(), given)
                    }
                },
            }
        }
        AmountColumns::DebitCredit { debit, credit } => {
            let (d, c) = (cell(debit).trim(), cell(credit).trim());
            match (d.is_empty(), c.is_empty()) {
                (false, true) => (
                    amount_of("debit", d)?.abs(),
                    Given::Kind(CategoryKind::Expense),
                ),
                (true, false) => (amount_of("credit", c)?.abs(), Given::MoneyIn),
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
    let account = accounts
        .resolve(s.account.map(text_cell))
        .map_err(|reason| line_error(line, Some("account"), reason))?;
    let transfer = match given {
        Given::Leg(_) => Some(
            s.transfer
                .and_then(|i| Id::parse("transfer", cell(i).trim()).ok())
                .ok_or_else(|| {
                    line_error(
                        line,
                        Some("transfer"),
                        "needs the transfer's reference (the export's transfer column)",
                    )
                })?,
        ),
        _ => None,
    };
    Ok(Cells {
        date,
        amount,
        given,
        category: s.category.map(text_cell),
        description,
        note,
        account,
        transfer,
    })
}

/// The kind and signed amount of checked cells: money in naming an expense
/// category (and no income one) is a refund ([`rules::money_in_kind`]).
fn kinded<'r>(
    resolver: &Resolver,
    c: Cells<'r>,
    line: u64,
) -> Result<(Cells<'r>, RowKind, SignedAmount), LineError> {
    let kind = match (c.given, c.category.map(str::trim)) {
        (Given::Leg(leg), _) => {
            let amount = SignedAmount::from_minor("amount", c.amount.minor())
                .map_err(|e| line_error(line, Some("amount"), e.to_string()))?;
            return Ok((c, RowKind::Leg(leg), amount));
        }
        (Given::Kind(kind), _) => kind,
        (Given::Refund, _) => CategoryKind::Expense,
        (Given::MoneyIn, Some(name)) if !name.is_empty() => rules::money_in_kind(
            resolver.known(CategoryKind::Income, name),
            resolver.known(CategoryKind::Expense, name),
        ),
        (Given::MoneyIn, _) => CategoryKind::Income,
    };
    let refund =
        c.given == Given::Refund || (c.given == Given::MoneyIn && kind == CategoryKind::Expense);
    let minor = if refund {
        -c.amount.minor()
    } else {
        c.amount.minor()
    };
    let amount = SignedAmount::from_minor("amount", minor)
        .map_err(|e| line_error(line, Some("amount"), e.to_string()))?;
    Ok((c, RowKind::Category(kind), amount))
}

/// Whether a header record is the app's own export header (this version's or the previous one's).
fn is_export_header(r: &Record) -> bool {
    (r.len() == EXPORT_HEADER.len() && r.iter().eq(EXPORT_HEADER))
        || (r.len() == LEGACY_EXPORT_HEADER.len() && r.iter().eq(LEGACY_EXPORT_HEADER))
}

/// What a finished pass leaves besides the rows.
pub(crate) struct Parsed {
    /// Data records (header excluded).
    pub total: u64,
    pub error_count: u64,
    /// The first [`MAX_LINE_ERRORS`].
    pub errors: Vec<LineError>,
    /// The physical line of each of the first [`SAMPLE_ROWS`] accepted rows.
    pub sample_lines: Vec<u64>,
    pub resolution: Resolution,
    /// The accounts rows were resolved against (names for the plan).
    pub accounts: ImportAccounts,
}

impl Parsed {
    /// Count a line error (the first [`MAX_LINE_ERRORS`] are kept).
    fn error(&mut self, e: LineError) {
        self.error_count += 1;
        if self.errors.len() < MAX_LINE_ERRORS {
            self.errors.push(e);
        }
    }
}

/// Checks a file's records one at a time; a pass can stop after any number
/// of accepted rows and resume (one reused record buffer throughout).
pub(crate) struct Parser<'a> {
    records: Records<'a>,
    settings: &'a ImportSettings,
    currency: Currency,
    resolver: Resolver,
    /// The first record's field count, once read.
    expected: Option<usize>,
    own_export: bool,
    accepted: u64,
    /// Transfer legs waiting for their other leg.
    legs: PendingLegs,
    parsed: Parsed,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(
        text: Text<'a>,
        settings: &'a ImportSettings,
        currency: Currency,
        resolver: Resolver,
        accounts: ImportAccounts,
    ) -> Parser<'a> {
        Parser {
            records: Records::new(text, settings.delimiter),
            settings,
            currency,
            resolver,
            expected: None,
            own_export: false,
            accepted: 0,
            legs: PendingLegs::default(),
            parsed: Parsed {
                total: 0,
                error_count: 0,
                errors: Vec::new(),
                sample_lines: Vec::new(),
                resolution: Resolution::default(),
                accounts,
            },
        }
    }

    /// Check records until `max` more rows are accepted (pushed onto `rows`
    /// and `marks`: the transaction to store, but for its id, user, category
    /// and times, which the commit sets) or the file ends. `Ok(false)` once the
    /// file has been read to the end. Whole-file problems are `Err`
    /// (`Validation { field: "file" | "columns" }`).
    pub(crate) fn read(
        &mut self,
        max: usize,
        rows: &mut Vec<Transaction>,
        marks: &mut Vec<Mark>,
    ) -> Result<bool> {
        let s = self.settings;
        let mut taken = 0usize;
        while taken < max {
            let Some((line, r)) = self.records.next_record()? else {
                if self.parsed.total == 0 {
                    return Err(Error::validation("file", "has no data rows"));
                }
                for e in self.legs.unpaired() {
                    self.parsed.error(e);
                }
                return Ok(false);
            };
            let fields = r.len();
            let want = match self.expected {
                Some(want) => want,
                None => {
                    self.expected = Some(fields);
                    if fields > MAX_FIELDS {
                        return Err(Error::validation(
                            "file",
                            format!("has more than {MAX_FIELDS} columns"),
                        ));
                    }
                    check_columns(s, fields)?;
                    if s.has_header {
                        self.own_export = is_export_header(r);
                        continue;
                    }
                    fields
                }
            };
            let checked = if fields == want {
                parse_record(
                    r,
                    line,
                    s,
                    self.currency,
                    self.own_export,
                    &self.parsed.accounts,
                )
                .and_then(|c| kinded(&self.resolver, c, line))
            } else {
                Err(line_error(
                    line,
                    None,
                    format!("has {fields} fields; expected {want}"),
                ))
            };
            let p = &mut self.parsed;
            p.total += 1;
            let (c, kind, amount) = match checked {
                Ok(c) => c,
                Err(e) => {
                    p.error(e);
                    continue;
                }
            };
            let stand_in = Id::from_bytes([0; 12]);
            let (label, entry) = match kind {
                RowKind::Category(k) => (Some(self.resolver.label(k, c.category)), k.into()),
                RowKind::Leg(leg) => (None, leg),
            };
            let t = Transaction {
                id: stand_in,
                user_id: stand_in,
                account_id: c.account,
                category_id: label.map(|_| stand_in),
                kind: entry,
                amount,
                date: c.date,
                description: c.description,
                note: c.note,
                status: TxStatus::Uncleared,
                transfer_id: None,
                created_at: DateTime::<Utc>::UNIX_EPOCH,
                updated_at: DateTime::<Utc>::UNIX_EPOCH,
            };
            // A leg waits for its other leg; the two are accepted together.
            let accepted = match c.transfer {
                None => vec![(line, t)],
                Some(reference) => match self.legs.offer(reference, line, t) {
                    Ok(None) => continue,
                    Ok(Some(pair)) => pair.into(),
                    Err(errors) => {
                        for e in errors {
                            p.error(e);
                        }
                        continue;
                    }
                },
            };
            for (line, t) in accepted {
                if self.accepted >= MAX_IMPORT_ROWS {
                    return Err(Error::validation(
                        "file",
                        format!(
                            "has more than {} rows to import; split it into smaller files",
                            grouped(MAX_IMPORT_ROWS)
                        ),
                    ));
                }
                self.accepted += 1;
                taken += 1;
                if p.sample_lines.len() < SAMPLE_ROWS {
                    p.sample_lines.push(line);
                }
                marks.push(Mark {
                    label,
                    duplicate: false,
                });
                rows.push(t);
            }
        }
        Ok(true)
    }

    /// Read the rest of the file into `rows` and `marks` (the tests' whole read).
    #[cfg(test)]
    pub(crate) fn read_all(
        &mut self,
        rows: &mut Vec<Transaction>,
        marks: &mut Vec<Mark>,
    ) -> Result<()> {
        while self.read(usize::MAX, rows, marks)? {}
        Ok(())
    }

    /// The counts, first errors and category labels of the pass.
    pub(crate) fn finish(self) -> Parsed {
        Parsed {
            resolution: self.resolver.finish(),
            ..self.parsed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::import::plan_file;
    use crate::csv_io::read::decode;
    use crate::csv_io::testing::{categories, import_accounts, settings};
    use crate::csv_io::{DateFormat, DecimalSeparator, ImportPlan};

    fn plan(text: &str, s: &ImportSettings) -> ImportPlan {
        let r = Resolver::new(categories(), &[]).unwrap();
        plan_file(
            decode(text.as_bytes()).unwrap(),
            s,
            Currency::EUR,
            r,
            import_accounts(),
        )
        .unwrap()
    }

    /// Every row of `text`, and what the pass leaves.
    fn read_all(text: &str, s: &ImportSettings) -> Result<(Vec<Transaction>, Parsed)> {
        let r = Resolver::new(categories(), &[]).unwrap();
        let mut parser = Parser::new(
            decode(text.as_bytes())?,
            s,
            Currency::EUR,
            r,
            import_accounts(),
        );
        let (mut rows, mut marks) = (Vec::new(), Vec::new());
        parser.read_all(&mut rows, &mut marks)?;
        Ok((rows, parser.finish()))
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
        let e = read_all("a,b,c,d\n", &s).err().unwrap();
        assert_eq!(e.field(), Some("columns"));
        let e = read_all("a,b,c,d\n", &settings()).err().unwrap();
        assert_eq!(e.field(), Some("file"));
        let wide = format!("{}\n", "x,".repeat(MAX_FIELDS));
        let e = read_all(&wide, &settings()).err().unwrap();
        assert_eq!(e.field(), Some("file"));
        assert!(e.to_string().contains("more than 200 columns"), "{e}");
    }

    /// A generated 50 MB file (just under the row limit) parses in one pass
    /// without holding more than its rows.
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
                "{:02}.{:02}.2023;-{},{:02};\"Shop {}; branch\";Groceries;note number {} {:->170}\r\n",
                n % 28 + 1,
                n % 12 + 1,
                n % 900 + 1,
                n % 100,
                n % 5000,
                n,
                "end of note"
            );
        }
        let s = ImportSettings {
            delimiter: b';',
            note: Some(4),
            date_format: DateFormat::DayMonthYearDot,
            decimal: DecimalSeparator::Comma,
            ..settings()
        };
        assert!(n > 200_000 && n <= MAX_IMPORT_ROWS, "{n} rows");
        let (rows, p) = read_all(&text, &s).unwrap();
        assert_eq!(p.total, n);
        assert_eq!(rows.len() as u64, n);
        assert!(p.errors.is_empty());
        assert_eq!(p.resolution.labels.len(), 1);
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
    fn money_in_naming_an_expense_category_is_a_refund() {
        let text = "date,amount,description,category\n\
                    2024-01-01,4.20,Eggs back,groceries\n\
                    2024-01-02,100,Pay,Salary\n\
                    2024-01-03,5,Found,\n\
                    2024-01-04,6,Gift,Presents\n\
                    2024-01-05,-7,Eggs,Groceries\n";
        let p = plan(text, &settings());
        let got: Vec<(i64, CategoryKind, bool, &str)> = p
            .sample
            .iter()
            .map(|r| (r.amount.minor(), r.kind, r.refund, r.category.as_str()))
            .collect();
        use CategoryKind::{Expense, Income};
        assert_eq!(
            got,
            [
                (-420, Expense, true, "Groceries"),
                (10_000, Income, false, "Salary"),
                (500, Income, false, "Other income"),
                (600, Income, false, "Presents"),
                (700, Expense, false, "Groceries"),
            ],
            "only money in whose category is an expense one is a refund"
        );
        // A type column decides the kind itself (another program's sign is dropped) …
        let typed =
            "date,amount,description,category,type\n2024-01-01,-4.20,Eggs,Groceries,expense\n";
        let s = ImportSettings {
            kind: Some(4),
            ..settings()
        };
        assert_eq!(plan(typed, &s).sample[0].amount.minor(), 420);
        // … but in the app's own export a negative expense is a refund.
        let own = "date,account,description,category,type,amount,note,transfer\n\
                   2024-01-01,Visa card,Eggs back,Groceries,expense,-4.20,,\n";
        let p = plan(own, &own_settings());
        let r = &p.sample[0];
        assert_eq!(
            (r.amount.minor(), r.kind, r.refund, r.account.as_str()),
            (-420, Expense, true, "Visa card")
        );
    }

    /// The settings of the app's own export.
    fn own_settings() -> ImportSettings {
        ImportSettings {
            account: Some(1),
            description: 2,
            category: Some(3),
            kind: Some(4),
            amount: AmountColumns::Single(5),
            note: Some(6),
            transfer: Some(7),
            ..settings()
        }
    }

    #[test]
    fn account_cells_name_the_users_accounts_and_legs_need_a_reference() {
        let own = "date,account,description,category,type,amount,note,transfer\n\
                   2024-01-01,,Bread,Groceries,expense,1.00,,\n\
                   2024-01-02,MAIN ACCOUNT,Milk,Groceries,expense,2.00,,\n\
                   2024-01-03,Brokerage,Shares,Groceries,expense,3.00,,\n\
                   2024-01-04,Main account,Card bill,,transfer_out,4.00,,0123\n\
                   2024-01-04,Visa card,Card bill,,transfer_in,4.00,,0123\n";
        let p = plan(own, &own_settings());
        let accounts: Vec<&str> = p.sample.iter().map(|r| r.account.as_str()).collect();
        assert_eq!(
            accounts,
            ["Main account", "Main account"],
            "a blank cell is the chosen (here: default) account"
        );
        let errors: Vec<(u64, Option<&str>)> = p
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_deref()))
            .collect();
        assert_eq!(
            errors,
            [
                (4, Some("account")),
                (5, Some("transfer")),
                (6, Some("transfer"))
            ]
        );
        assert!(
            p.errors[0].reason.contains("'Brokerage'"),
            "{:?}",
            p.errors[0]
        );
        assert!(
            p.errors[1].reason.contains("reference"),
            "a leg without a valid reference cannot be paired: {:?}",
            p.errors[1]
        );
        // In another program's file a transfer type is just an unknown type.
        let foreign = own.replacen("transfer\n", "xfer\n", 1);
        let p = plan(&foreign, &own_settings());
        assert!(
            p.errors[1].reason.contains("is not income or expense"),
            "{:?}",
            p.errors[1]
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
        let e = read_all(&text, &s).err().unwrap();
        assert_eq!(e.field(), Some("file"));
        assert!(e.to_string().contains("more than 250,000 rows"), "{e}");
        assert_eq!(grouped(49_999_900), "49,999,900");
        assert_eq!(grouped(999), "999");
    }
}
