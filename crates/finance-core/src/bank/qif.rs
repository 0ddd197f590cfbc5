//! QIF (Quicken Interchange Format): our own exact, line-oriented parser.
//!
//! A file is sections, each opened by a `!` line; a record is lines whose
//! first character names the field, ended by `^`.
//!
//! * Read: `!Type:Bank`, `!Type:Cash`, `!Type:CCard`, `!Type:Oth A`,
//!   `!Type:Oth L` (the last two are Quicken's asset and liability accounts,
//!   same fields). Fields: `D` date, `T` amount (else `U`, the same amount),
//!   `P` payee, `M` memo; `N` (a cheque number, not an id), `L` (category
//!   or `[transfer account]`), `C`, `A` and the split fields `S` `E` `$` are
//!   ignored: the app's rules and learned categories categorise the rows.
//!   QIF has no transaction id, so `bank_id` is `None`.
//! * Skipped: `!Type:Invst` and the lists (`!Type:Cat`, `!Type:Class`,
//!   `!Type:Memorized`, `!Type:Prices`, `!Type:Security`…), `!Option:…` and
//!   `!Clear:…` lines. A file with nothing but skipped sections is refused.
//! * `!Account` blocks (a Quicken export of several accounts) name the
//!   account the next sections belong to; entries of more than one account
//!   are refused (an import goes into one account), naming them. The one
//!   account's `N` name is the account hint.
//! * Amounts: `-1,234.56` (comma thousands); a file from a decimal-comma
//!   locale (`-1.234,56`, `12,50`) is read the other way per amount, exactly
//!   as a typed amount would be ([`parse_typed_amount`]).
//! * Dates ([`DateParts`]): `1/ 5'24`, `01/05/2024`,
//!   `1/5/24`, `5.1.24`, `2024-01-05`. A year after `'` is 2000 + it (`'4`
//!   = 2004: Quicken pads with a space); a two-digit year after `/`, `.` or
//!   `-` follows the POSIX `%y` pivot: 69–99 → 19xx, 00–68 → 20xx. Every date
//!   of the file is collected first; the day/month order is the one that
//!   reads all of them; when both do, `options.qif_dates` decides, and without
//!   it the file is refused with `Validation { field: "date_order" }` so the
//!   wizard can ask.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::text::{self, Line, file_error, shown};
use super::{BankEntry, BankFormat, DayMonthOrder, ReadOptions, StatementFile};
use crate::error::{Error, Result};
use crate::money::typed::{DecimalSeparator, parse_typed_amount};

/// A date as written: ISO, or two numbers in an unknown order and a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateParts {
    Iso(NaiveDate),
    Ambiguous { first: u32, second: u32, year: i32 },
}

impl DateParts {
    fn read(self, order: DayMonthOrder) -> Option<NaiveDate> {
        match self {
            DateParts::Iso(d) => Some(d),
            DateParts::Ambiguous {
                first,
                second,
                year,
            } => {
                let (month, day) = match order {
                    DayMonthOrder::MonthFirst => (first, second),
                    DayMonthOrder::DayFirst => (second, first),
                };
                NaiveDate::from_ymd_opt(year, month, day)
            }
        }
    }
}

/// `1/ 5'24`, `01/05/2024`, `5.1.24`, `2024-01-05`, `12/31' 4`.
fn date_parts(raw: &str) -> Option<DateParts> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let mut numbers: Vec<&str> = Vec::with_capacity(3);
    let mut separators: Vec<char> = Vec::with_capacity(2);
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '/' | '.' | '-' | '\'') {
            numbers.push(&s[start..i]);
            separators.push(c);
            start = i + 1;
        } else if !c.is_ascii_digit() {
            return None;
        }
    }
    numbers.push(&s[start..]);
    let [a, b, c] = numbers[..] else {
        return None;
    };
    let num = |p: &str| -> Option<u32> {
        if p.is_empty() || p.len() > 4 {
            None
        } else {
            p.parse().ok()
        }
    };
    let (a_n, b_n, c_n) = (num(a)?, num(b)?, num(c)?);
    if a.len() == 4 {
        let date = NaiveDate::from_ymd_opt(i32::try_from(a_n).ok()?, b_n, c_n)?;
        return Some(DateParts::Iso(date));
    }
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    let year = match (separators.get(1), c.len()) {
        (Some('\''), 1 | 2) => 2000 + c_n,
        (_, 4) => c_n,
        (Some('\''), _) | (_, 3) => return None,
        (_, _) if c_n >= 69 => 1900 + c_n,
        (_, _) => 2000 + c_n,
    };
    Some(DateParts::Ambiguous {
        first: a_n,
        second: b_n,
        year: i32::try_from(year).ok()?,
    })
}

/// A record as read so far.
#[derive(Default)]
struct Record {
    line: usize,
    date: Option<(Line, String)>,
    amount: Option<(Line, String)>,
    u_amount: Option<(Line, String)>,
    payee: String,
    memo: String,
}

impl Record {
    fn is_empty(&self) -> bool {
        self.date.is_none()
            && self.amount.is_none()
            && self.u_amount.is_none()
            && self.payee.is_empty()
            && self.memo.is_empty()
    }
}

/// What the lines since the last `!` header are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Before any header.
    None,
    /// A bank, cash or card register: records are read.
    Register,
    /// An `!Account` block: `N` names the account.
    Account,
    /// Anything else: lines skipped.
    Skipped,
}

/// An entry whose date still waits for the file's day/month order.
struct Pending {
    parts: DateParts,
    date_line: Line,
    raw_date: String,
    amount: i64,
    payee: String,
    memo: String,
}

/// Read a QIF file.
pub fn read(bytes: &[u8], options: &ReadOptions) -> Result<StatementFile> {
    let text = text::decode(bytes, "QIF")?;
    let mut section = Section::None;
    let mut record = Record::default();
    let mut pending: Vec<Pending> = Vec::new();
    let mut account_name: Option<String> = None;
    let mut accounts_with_entries: BTreeSet<String> = BTreeSet::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut saw_register = false;
    // Each entry's account, by the `!Account` block before its section.
    let mut note = |account: &Option<String>| {
        let name = account.as_deref().unwrap_or_default();
        if !accounts_with_entries.contains(name) {
            accounts_with_entries.insert(name.to_owned());
        }
    };
    for (i, raw_line) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw_line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('!') {
            if section == Section::Register && !record.is_empty() {
                let r = std::mem::take(&mut record);
                pending.push(entry(r, options)?);
                note(&account_name);
            }
            record = Record::default();
            let header = header.trim();
            let lower = header.to_ascii_lowercase();
            section = if lower == "account" {
                account_name = None;
                Section::Account
            } else if let Some(kind) = lower.strip_prefix("type:") {
                match kind.trim() {
                    "bank" | "cash" | "ccard" | "oth a" | "oth l" => {
                        saw_register = true;
                        Section::Register
                    }
                    _ => {
                        skipped.push(header.to_owned());
                        Section::Skipped
                    }
                }
            } else if lower.starts_with("option:") || lower.starts_with("clear:") {
                section
            } else {
                return Err(file_error(
                    Line(n),
                    format!("'!{header}' is not a QIF section header"),
                ));
            };
            continue;
        }
        let (code, value) = line.split_at(line.chars().next().map_or(0, char::len_utf8));
        match section {
            Section::None => {
                return Err(file_error(
                    Line(n),
                    "the file does not start with a '!Type:' header",
                ));
            }
            Section::Skipped => {}
            Section::Account => {
                if code == "N" {
                    account_name = Some(value.trim().to_owned());
                }
                if code == "^" {
                    section = Section::Skipped;
                }
            }
            Section::Register => {
                if record.is_empty() {
                    record.line = n;
                }
                let at = Line(n);
                match code {
                    "D" => record.date = Some((at, value.to_owned())),
                    "T" => record.amount = Some((at, value.to_owned())),
                    "U" => record.u_amount = Some((at, value.to_owned())),
                    "P" => record.payee = value.trim().to_owned(),
                    "M" => record.memo = value.trim().to_owned(),
                    "^" if !record.is_empty() => {
                        let r = std::mem::take(&mut record);
                        pending.push(entry(r, options)?);
                        note(&account_name);
                    }
                    _ => {}
                }
            }
        }
    }
    if section == Section::Register && !record.is_empty() {
        // The last record may lack its `^`.
        pending.push(entry(record, options)?);
        note(&account_name);
    }
    if !saw_register {
        return Err(Error::validation(
            "file",
            if skipped.is_empty() {
                "holds no '!Type:Bank', '!Type:Cash' or '!Type:CCard' section".to_owned()
            } else {
                format!(
                    "holds no bank, cash or credit-card section (only {})",
                    skipped.join(", ")
                )
            },
        ));
    }
    accounts_with_entries.retain(|a| !a.is_empty());
    if accounts_with_entries.len() > 1 {
        return Err(Error::validation(
            "file",
            format!(
                "holds {} accounts ({}); export one account per file",
                accounts_with_entries.len(),
                text::listed(accounts_with_entries.iter())
            ),
        ));
    }
    let order = date_order(&pending, options)?;
    let mut entries = Vec::with_capacity(pending.len());
    for p in pending {
        let date = p.parts.read(order).ok_or_else(|| {
            file_error(
                p.date_line,
                format!("date '{}' is not a date", shown(&p.raw_date)),
            )
        })?;
        entries.push(BankEntry {
            date,
            amount: p.amount,
            payee: p.payee,
            memo: p.memo,
            bank_id: None,
        });
    }
    Ok(StatementFile {
        format: BankFormat::Qif,
        account_hint: accounts_with_entries.pop_first(),
        currency: None,
        ending_balance: None,
        entries,
    })
}

/// A record's amount and date parts; the date's order is decided later.
fn entry(r: Record, options: &ReadOptions) -> Result<Pending> {
    let at = Line(r.line);
    let (date_line, raw_date) = r
        .date
        .ok_or_else(|| file_error(at, "a transaction has no date (D line)"))?;
    let parts = date_parts(&raw_date).ok_or_else(|| {
        file_error(
            date_line,
            format!("date '{}' is not a date", shown(&raw_date)),
        )
    })?;
    let (amount_line, raw_amount) = r
        .amount
        .or(r.u_amount)
        .ok_or_else(|| file_error(at, "a transaction has no amount (T line)"))?;
    let amount = qif_amount(&raw_amount, options).map_err(|reason| {
        file_error(
            amount_line,
            format!("amount '{}': {reason}", shown(&raw_amount)),
        )
    })?;
    Ok(Pending {
        parts,
        date_line,
        raw_date: raw_date.trim().to_owned(),
        amount,
        payee: r.payee,
        memo: r.memo,
    })
}

/// `-1,234.56` (or a decimal-comma `-1.234,56`) in minor units; zero allowed.
fn qif_amount(raw: &str, options: &ReadOptions) -> std::result::Result<i64, String> {
    let s = raw.trim();
    let zero = !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| matches!(c, '0' | '.' | ',' | '-' | '+' | ' '));
    if zero {
        return Ok(0);
    }
    if s.chars().count() > 40 {
        return Err("is not an amount".to_owned());
    }
    parse_typed_amount(s, DecimalSeparator::Dot, options.currency)
}

/// The day/month order that reads every date of the file (see module docs).
fn date_order(pending: &[Pending], options: &ReadOptions) -> Result<DayMonthOrder> {
    let fails = |order| pending.iter().find(|p| p.parts.read(order).is_none());
    match (
        fails(DayMonthOrder::MonthFirst),
        fails(DayMonthOrder::DayFirst),
    ) {
        (None, None) => {
            let ambiguous = pending
                .iter()
                .any(|p| matches!(p.parts, DateParts::Ambiguous { first, second, .. } if first != second));
            match options.qif_dates {
                Some(order) => Ok(order),
                None if !ambiguous => Ok(DayMonthOrder::MonthFirst),
                None => Err(Error::validation(
                    "date_order",
                    "the file's dates read both month-first and day-first; choose one",
                )),
            }
        }
        (None, Some(_)) => Ok(DayMonthOrder::MonthFirst),
        (Some(_), None) => Ok(DayMonthOrder::DayFirst),
        (Some(m), Some(d)) => Err(file_error(
            m.date_line,
            format!(
                "date '{}' is not month-first, and '{}' ({}) is not day-first: the dates fit no one order",
                shown(&m.raw_date),
                shown(&d.raw_date),
                d.date_line
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_quicken_and_others_write_them() {
        let amb = |first, second, year| {
            Some(DateParts::Ambiguous {
                first,
                second,
                year,
            })
        };
        assert_eq!(date_parts("1/ 5'24"), amb(1, 5, 2024));
        assert_eq!(
            date_parts("12/31' 4"),
            amb(12, 31, 2004),
            "Quicken pads the year"
        );
        assert_eq!(date_parts("01/05/2024"), amb(1, 5, 2024));
        assert_eq!(date_parts("1/5/24"), amb(1, 5, 2024));
        assert_eq!(date_parts(" 1/ 5/98"), amb(1, 5, 1998), "the %y pivot");
        assert_eq!(date_parts("5.1.68"), amb(5, 1, 2068));
        assert_eq!(
            date_parts("2024-01-05"),
            Some(DateParts::Iso(NaiveDate::from_ymd_opt(2024, 1, 5).unwrap()))
        );
        assert_eq!(date_parts("1/5'2024"), amb(1, 5, 2024));
        for bad in [
            "",
            "1/5",
            "1/5/2024/1",
            "a/b/c",
            "123/1/24",
            "1/5/124",
            "2024-02-30",
        ] {
            assert_eq!(date_parts(bad), None, "{bad}");
        }
    }
}
