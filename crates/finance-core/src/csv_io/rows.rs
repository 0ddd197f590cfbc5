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
use crate::bank::{BankEntry, StatementFile};
use crate::domain::{CategoryKind, Description, EntryKind, Note, Transaction, TxStatus};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency, SignedAmount};
use crate::rules;

/// Per accepted row: its category label (`None` for a transfer's leg, which
/// has no category) and whether it is a duplicate; for a row whose file
/// gives no category, the rule that matched it (an index into the import's
/// rules, `autocat.rs`), and the label the parse gave it before a rule or a
/// learned category changed it (what a commit's second read checks).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mark {
    pub label: Option<u32>,
    pub duplicate: bool,
    /// The parse's label (`label` before `autocat.rs`).
    pub parsed: Option<u32>,
    /// The row had no category cell (or a blank one) and is not a leg.
    pub blank: bool,
    /// The import's rule that matched the row.
    pub rule: Option<u32>,
    /// Its category was learned from the user's history.
    pub learned: bool,
    /// A duplicate by its bank id (the entry is stored already, or an
    /// earlier entry of the file has the id): written anyway, it goes
    /// without the id, which stays with the first row that has it.
    pub bank_duplicate: bool,
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
    /// A bank entry's own id.
    bank_id: Option<String>,
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
        bank_id: None,
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

/// A record a pass refused, kept (only when asked) for the file of the lines
/// an import left out: its line, its cells as read, and why.
pub(crate) struct Reject {
    pub line: u64,
    /// Empty for a transfer leg refused after its record was read (an
    /// unpaired leg found at the end of the file).
    pub cells: Vec<String>,
    pub reason: String,
}

impl Reject {
    fn new(e: &LineError, record: Option<&Record>) -> Reject {
        Reject {
            line: e.line,
            cells: record.map_or_else(Vec::new, |r| r.iter().map(str::to_string).collect()),
            reason: match &e.field {
                Some(field) => format!("{field}: {}", e.reason),
                None => e.reason.clone(),
            },
        }
    }
}

/// Where an import's rows come from: the one seam between file formats and
/// the pipeline. A CSV file is records read with the user's settings; a bank
/// statement is entries the bank reader already parsed. Either way each
/// becomes the same checked row ([`Cells`] → [`kinded`] → a transaction and
/// its [`Mark`]), so plans, duplicates, rules and commits do not know which.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RowSource<'a> {
    Csv {
        text: Text<'a>,
        settings: &'a ImportSettings,
    },
    Bank(&'a StatementFile),
}

/// A [`RowSource`] being read.
enum Input<'a> {
    Csv {
        /// Boxed: the reader's buffers are large beside a bank cursor.
        records: Box<Records<'a>>,
        settings: &'a ImportSettings,
        /// The first record's field count, once read.
        expected: Option<usize>,
        own_export: bool,
    },
    Bank {
        entries: std::slice::Iter<'a, BankEntry>,
        /// The 1-based number of the last entry read (a bank row's "line").
        line: u64,
    },
}

/// Checks a file's records one at a time; a pass can stop after any number
/// of accepted rows and resume (one reused record buffer throughout).
pub(crate) struct Parser<'a> {
    input: Input<'a>,
    currency: Currency,
    resolver: Resolver,
    accepted: u64,
    /// Transfer legs waiting for their other leg.
    legs: PendingLegs,
    parsed: Parsed,
    /// Refused records since the last [`Parser::take_rejects`], when kept.
    rejects: Option<Vec<Reject>>,
    /// The header's cells, when rejects are kept.
    header: Option<Vec<String>>,
}

impl<'a> Parser<'a> {
    /// A parser of a CSV file's records.
    pub(crate) fn new(
        text: Text<'a>,
        settings: &'a ImportSettings,
        currency: Currency,
        resolver: Resolver,
        accounts: ImportAccounts,
    ) -> Parser<'a> {
        Parser::of(
            RowSource::Csv { text, settings },
            currency,
            resolver,
            accounts,
        )
    }

    /// A parser of `source`'s rows.
    pub(crate) fn of(
        source: RowSource<'a>,
        currency: Currency,
        resolver: Resolver,
        accounts: ImportAccounts,
    ) -> Parser<'a> {
        let input = match source {
            RowSource::Csv { text, settings } => Input::Csv {
                records: Box::new(Records::new(text, settings.delimiter)),
                settings,
                expected: None,
                own_export: false,
            },
            RowSource::Bank(file) => Input::Bank {
                entries: file.entries.iter(),
                line: 0,
            },
        };
        Parser {
            input,
            currency,
            resolver,
            accepted: 0,
            legs: PendingLegs::default(),
            rejects: None,
            header: None,
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

    /// Keep each refused record (see [`Reject`]); a [`Parser::read`] then
    /// also returns once `max` of them wait to be taken.
    pub(crate) fn keeping_rejects(mut self) -> Self {
        self.rejects = Some(Vec::new());
        self
    }

    /// The refused records kept since the last call.
    pub(crate) fn take_rejects(&mut self) -> Vec<Reject> {
        self.rejects
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// The header's cells (when the file has one and rejects are kept).
    pub(crate) fn header(&self) -> Option<&[String]> {
        self.header.as_deref()
    }

    /// The end of the file: refused when it had no rows; legs left without
    /// their other leg are line errors.
    fn ended(&mut self) -> Result<bool> {
        if self.parsed.total == 0 {
            return Err(Error::validation("file", "has no data rows"));
        }
        for e in self.legs.unpaired() {
            if let Some(rejects) = self.rejects.as_mut() {
                rejects.push(Reject::new(&e, None));
            }
            self.parsed.error(e);
        }
        Ok(false)
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
        let mut taken = 0usize;
        while taken < max && self.rejects.as_ref().is_none_or(|r| r.len() < max) {
            let next = match &mut self.input {
                Input::Csv {
                    records,
                    settings,
                    expected,
                    own_export,
                } => {
                    let s: &ImportSettings = settings;
                    match records.next_record()? {
                        None => None,
                        Some((line, r)) => {
                            let fields = r.len();
                            let want = match *expected {
                                Some(want) => want,
                                None => {
                                    *expected = Some(fields);
                                    if fields > MAX_FIELDS {
                                        return Err(Error::validation(
                                            "file",
                                            format!("has more than {MAX_FIELDS} columns"),
                                        ));
                                    }
                                    check_columns(s, fields)?;
                                    if s.has_header {
                                        *own_export = is_export_header(r);
                                        if self.rejects.is_some() {
                                            self.header =
                                                Some(r.iter().map(str::to_string).collect());
                                        }
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
                                    *own_export,
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
                            Some((line, checked, Some(r)))
                        }
                    }
                }
                Input::Bank { entries, line } => match entries.next() {
                    None => None,
                    Some(e) => {
                        *line += 1;
                        let line = *line;
                        let checked = bank_cells(e, line, &self.parsed.accounts)
                            .and_then(|c| kinded(&self.resolver, c, line));
                        Some((line, checked, None))
                    }
                },
            };
            let Some((line, checked, r)) = next else {
                return self.ended();
            };
            let p = &mut self.parsed;
            p.total += 1;
            let (c, kind, amount) = match checked {
                Ok(c) => c,
                Err(e) => {
                    if let Some(rejects) = self.rejects.as_mut() {
                        rejects.push(Reject::new(&e, r));
                    }
                    p.error(e);
                    continue;
                }
            };
            let stand_in = Id::from_bytes([0; 12]);
            let blank = matches!(kind, RowKind::Category(_))
                && c.category.is_none_or(|s| s.trim().is_empty());
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
                bank_id: c.bank_id,
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
                            if let Some(rejects) = self.rejects.as_mut() {
                                rejects.push(Reject::new(&e, r.filter(|_| e.line == line)));
                            }
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
                    parsed: label,
                    blank,
                    rule: None,
                    learned: false,
                    bank_duplicate: false,
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

    /// The category labels made so far (`autocat.rs` adds labels for the
    /// categories rules and learned descriptions give).
    pub(crate) fn resolver(&mut self) -> &mut Resolver {
        &mut self.resolver
    }

    /// The counts, first errors and category labels of the pass.
    pub(crate) fn finish(self) -> Parsed {
        Parsed {
            resolution: self.resolver.finish(),
            ..self.parsed
        }
    }
}

/// Bank statement entries as checked rows.
#[path = "bank_rows.rs"]
mod bank;
use bank::bank_cells;

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
