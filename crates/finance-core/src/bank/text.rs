//! What the three readers share: bytes to text, decimal amounts to minor
//! units, and errors that say where in the file.
//!
//! * Text is UTF-8 when the bytes are valid UTF-8 (a leading BOM dropped),
//!   else Windows-1252 — every byte has a meaning there, so decoding never
//!   fails. A header's own claim (OFX `CHARSET:1252`, an XML declaration) is
//!   not trusted: banks send UTF-8 under `CHARSET:1252` and the other way
//!   round, and a genuine Windows-1252 text with accents is practically never
//!   valid UTF-8. A NUL byte means a binary file and is refused.
//! * Amounts are decimal text (`-1234.50`); the sign, the digits and at most
//!   the currency's minor digits become `i64` minor units exactly. Trailing
//!   zeros past the currency's digits (`12.500` EUR) are dropped, since they
//!   change nothing; any other extra digit is refused, never rounded. Zero is
//!   allowed (a balance can be zero; so can a bank's `0.00` entry).

use crate::error::{Error, Result};
use crate::money::Currency;
use crate::money::typed::{DecimalSeparator, parse_written_amount};

/// `Validation { field: "file" }` with the place in the file first.
pub(crate) fn file_error(place: impl std::fmt::Display, message: impl std::fmt::Display) -> Error {
    Error::validation("file", format!("{place}: {message}"))
}

/// A value of the file as an error message shows it: at most 40 characters.
pub(crate) fn shown(value: &str) -> String {
    let value = value.trim();
    match value.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_owned(),
    }
}

/// Names for an error message: the first five, then how many more.
pub(crate) fn listed<'a>(names: impl ExactSizeIterator<Item = &'a String>) -> String {
    let total = names.len();
    let mut out: Vec<String> = names.take(5).map(|n| shown(n)).collect();
    if total > 5 {
        out.push(format!("and {} more", total - 5));
    }
    out.join(", ")
}

/// A file must hold statements of one account: `accounts` are the accounts
/// its statements name (a statement naming none counts for any).
pub(crate) fn one_account<'a>(accounts: impl Iterator<Item = &'a String>) -> Result<()> {
    let accounts: std::collections::BTreeSet<&String> = accounts.collect();
    if accounts.len() > 1 {
        return Err(Error::validation(
            "file",
            format!(
                "holds statements of {} accounts ({}); export one account per file",
                accounts.len(),
                listed(accounts.iter().copied())
            ),
        ));
    }
    Ok(())
}

/// A currency the file states (`code`, at `place`) must be the user's.
pub(crate) fn check_currency(
    place: impl std::fmt::Display,
    code: &str,
    currency: Currency,
) -> Result<()> {
    let expected = currency.code();
    if code.trim().eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(file_error(
            place,
            format!(
                "the statement is in {}, but the account's currency is {expected}",
                code.trim()
            ),
        ))
    }
}

/// Where a problem is: a line of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Line(pub usize);

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}", self.0)
    }
}

/// The 1-based lines of byte offsets in `text`, counted incrementally (the
/// offsets a reader asks for mostly grow), so a whole file costs one pass.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The line of byte offset `at` (clamped to the text).
    pub(crate) fn at(&mut self, at: usize) -> Line {
        let at = at.min(self.text.len());
        if at < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += self.text[self.pos..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = at;
        Line(self.line)
    }
}

/// The text of a bank file (see the module docs); `what` names the format
/// in the refusal of a binary file.
pub(crate) fn decode(bytes: &[u8], what: &str) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(file_error(
            Line(line),
            format!("is not a {what} text file: it contains binary data"),
        ));
    }
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes
            .iter()
            .map(|&b| crate::csv_io::read::cp1252_char(b))
            .collect(),
    })
}

/// A decimal amount written with a dot (`-12.50`, `+3`, `.5`) in minor units
/// of `currency`; `what` names the element or field for the refusal.
pub(crate) fn decimal_amount(
    raw: &str,
    currency: Currency,
    place: impl std::fmt::Display,
    what: &str,
) -> Result<i64> {
    let s = raw.trim();
    let refuse = |reason: &str| file_error(&place, format!("{what} '{}' {reason}", shown(s)));
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) => (w, f),
        None => (body, ""),
    };
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits_only(whole) || !digits_only(frac) {
        return Err(refuse("is not a number"));
    }
    // Zeros past the currency's digits change nothing; anything else would
    // need rounding, which an import never does.
    let keep = usize::from(currency.minor_digits());
    let frac = if frac.len() > keep && frac[keep..].bytes().all(|b| b == b'0') {
        &frac[..keep]
    } else {
        frac
    };
    let whole = if whole.is_empty() { "0" } else { whole };
    if whole.bytes().chain(frac.bytes()).all(|b| b == b'0') {
        return Ok(0);
    }
    let plain = if frac.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{frac}")
    };
    let minor = parse_written_amount(&plain, DecimalSeparator::Dot, currency)
        .map_err(|r| refuse(&r.reason))?;
    Ok(if negative { -minor } else { minor })
}

/// A calendar date from `YYYYMMDD` digits at the start of `raw` (OFX) or
/// `YYYY-MM-DD` (CAMT; a time after it is ignored: the day is the bank's).
pub(crate) fn ymd_date(raw: &str) -> Option<chrono::NaiveDate> {
    let s = raw.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = if b.get(4) == Some(&b'-') && b.get(7) == Some(&b'-') {
        (num(0..4)?, num(5..7)?, num(8..10)?)
    } else {
        (num(0..4)?, num(4..6)?, num(6..8)?)
    };
    chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(s: &str) -> Result<i64> {
        decimal_amount(s, Currency::EUR, Line(3), "TRNAMT")
    }

    #[test]
    fn amounts_are_exact_minor_units() {
        assert_eq!(eur("-12.50").unwrap(), -1250);
        assert_eq!(eur("+3").unwrap(), 300);
        assert_eq!(
            eur("-.5").unwrap(),
            -50,
            "OFX writes a fraction without a 0"
        );
        assert_eq!(eur("0.00").unwrap(), 0, "a zero balance is a balance");
        assert_eq!(
            eur("12.500").unwrap(),
            1250,
            "trailing zeros change nothing"
        );
        let err = eur("12.345").unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("12.345"), "{err}");
        assert!(eur("1e5").is_err() && eur("").is_err() && eur("-").is_err());
        assert!(eur("--1").is_err() && eur("1,5").is_err());
        let long = "9".repeat(5000);
        let err = eur(&long).unwrap_err().to_string();
        assert!(err.len() < 200, "a value is shown cut: {err}");
        let jpy = Currency::parse("currency", "JPY").unwrap();
        assert_eq!(decimal_amount("1200", jpy, Line(1), "x").unwrap(), 1200);
        assert!(decimal_amount("12.5", jpy, Line(1), "x").is_err());
    }

    #[test]
    fn decoding_is_utf8_else_windows_1252() {
        assert_eq!(decode(b"\xef\xbb\xbfCaf\xc3\xa9", "OFX").unwrap(), "Café");
        assert_eq!(decode(b"Caf\xe9 \x80", "OFX").unwrap(), "Café €");
        assert!(
            decode(b"a\nb\0", "OFX")
                .unwrap_err()
                .to_string()
                .contains("line 2")
        );
    }

    #[test]
    fn dates_as_banks_write_them() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(ymd_date("20240105120000[-5:EST]"), d(2024, 1, 5));
        assert_eq!(ymd_date("2024-01-05T10:00:00+01:00"), d(2024, 1, 5));
        assert_eq!(ymd_date("20240230"), None);
        assert_eq!(ymd_date("2024"), None);
        assert_eq!(
            ymd_date("2024é105"),
            None,
            "never slices inside a character"
        );
    }
}
