//! Reading a CSV cell's value: dates in the supported formats and amounts
//! with separators (records and encodings: `read.rs`). No floating point:
//! amounts are normalised to a plain decimal string and parsed exactly by
//! [`Amount::parse`].

use chrono::NaiveDate;

use super::{DateFormat, DecimalSeparator};
use crate::domain::date::check_year;
use crate::error::{Error, Result};
use crate::money::{Amount, Currency};

impl DateFormat {
    /// Every format, in the order the sniffer prefers them.
    pub const ALL: [DateFormat; 6] = [
        DateFormat::Iso,
        DateFormat::YearSlash,
        DateFormat::DayMonthYearDot,
        DateFormat::DayMonthYearDash,
        DateFormat::DayMonthYearSlash,
        DateFormat::MonthDayYearSlash,
    ];

    /// The pattern as shown to people (`"DD/MM/YYYY"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            DateFormat::Iso => "YYYY-MM-DD",
            DateFormat::YearSlash => "YYYY/MM/DD",
            DateFormat::DayMonthYearSlash => "DD/MM/YYYY",
            DateFormat::MonthDayYearSlash => "MM/DD/YYYY",
            DateFormat::DayMonthYearDot => "DD.MM.YYYY",
            DateFormat::DayMonthYearDash => "DD-MM-YYYY",
        }
    }

    /// Parse one of the [`as_str`](Self::as_str) patterns.
    pub fn parse(field: &str, s: &str) -> Result<DateFormat> {
        let s = s.trim().to_ascii_uppercase();
        DateFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                Error::validation(
                    field,
                    "must be one of YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY, DD-MM-YYYY",
                )
            })
    }

    /// Read a date in this format (day and month may have one digit; the year has four).
    pub fn parse_date(self, raw: &str) -> Option<NaiveDate> {
        let (sep, order) = match self {
            DateFormat::Iso => ('-', [0, 1, 2]),
            DateFormat::YearSlash => ('/', [0, 1, 2]),
            DateFormat::DayMonthYearSlash => ('/', [2, 1, 0]),
            DateFormat::MonthDayYearSlash => ('/', [2, 0, 1]),
            DateFormat::DayMonthYearDot => ('.', [2, 1, 0]),
            DateFormat::DayMonthYearDash => ('-', [2, 1, 0]),
        };
        let mut parts = raw.trim().split(sep);
        let p = [parts.next()?, parts.next()?, parts.next()?];
        if parts.next().is_some() {
            return None;
        }
        let (y, m, d) = (p[order[0]], p[order[1]], p[order[2]]);
        let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
            lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
        check_year("date", date).ok()
    }
}

impl DecimalSeparator {
    /// The character.
    pub fn as_char(self) -> char {
        match self {
            DecimalSeparator::Dot => '.',
            DecimalSeparator::Comma => ',',
        }
    }

    /// `"dot"`/`"."` or `"comma"`/`","`.
    pub fn parse(field: &str, s: &str) -> Result<DecimalSeparator> {
        match s.trim().to_ascii_lowercase().as_str() {
            "." | "dot" => Ok(DecimalSeparator::Dot),
            "," | "comma" => Ok(DecimalSeparator::Comma),
            _ => Err(Error::validation(field, "must be dot or comma")),
        }
    }

    fn other(self) -> char {
        match self {
            DecimalSeparator::Dot => ',',
            DecimalSeparator::Comma => '.',
        }
    }
}

/// Characters accepted between groups of three digits (besides the other separator).
const GROUPING: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\''];

/// Parse a CSV amount into signed minor units (never zero).
///
/// Accepts surrounding blanks, a leading `-`/`+` (or `−`) or parentheses for
/// a negative amount, thousands separators (the other separator, spaces,
/// apostrophes) between groups of three digits, and at most the currency's
/// minor digits after the decimal separator. The error is a reason for people.
pub(crate) fn parse_amount(
    raw: &str,
    decimal: DecimalSeparator,
    currency: Currency,
) -> Result<i64, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("is empty".into());
    }
    let mut negative = false;
    let mut body = s;
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        body = inner.trim();
    }
    if let Some(rest) = body.strip_prefix(['-', '−']) {
        if negative {
            return Err(format!("'{s}' has two minus signs"));
        }
        negative = true;
        body = rest;
    } else if let Some(rest) = body.strip_prefix('+') {
        if negative {
            return Err(format!("'{s}' is not a number"));
        }
        body = rest;
    }
    let dec = decimal.as_char();
    let other = decimal.other();
    let wrong_separator = || {
        format!(
            "'{s}' looks like it uses '{other}' as the decimal separator, but the import is set to '{dec}'"
        )
    };
    let (whole, frac) = match body.split_once(dec) {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.contains(dec) {
            return Err(if whole.contains(other) || f.contains(other) {
                wrong_separator()
            } else {
                format!("'{s}' has more than one '{dec}'")
            });
        }
        if f.contains(other) {
            return Err(wrong_separator());
        }
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("'{s}' is not a number"));
        }
    }
    // Whole part: digits, optionally grouped by threes with one kind of separator.
    let separator = whole.chars().find(|c| *c == other || GROUPING.contains(c));
    let digits: String = match separator {
        None => whole.to_string(),
        Some(sep) => {
            let groups: Vec<&str> = whole.split(sep).collect();
            let ok = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
                && (1..=3).contains(&groups[0].len())
                && groups[1..].iter().all(|g| g.len() == 3);
            if !ok {
                return Err(if sep == other && frac.is_none() {
                    format!(
                        "'{s}' has '{other}' where a thousands separator cannot be (is the decimal separator '{other}'?)"
                    )
                } else {
                    format!("'{s}' has a misplaced thousands separator")
                });
            }
            groups.concat()
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{s}' is not a number"));
    }
    let frac = frac.unwrap_or("");
    if digits.bytes().chain(frac.bytes()).all(|b| b == b'0') {
        return Err("must not be zero".into());
    }
    let plain = if frac.is_empty() {
        digits
    } else {
        format!("{digits}.{frac}")
    };
    let amount = Amount::parse("amount", &plain, currency).map_err(|e| e.to_string())?;
    Ok(if negative {
        -amount.minor()
    } else {
        amount.minor()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(s: &str, d: DecimalSeparator) -> Result<i64, String> {
        parse_amount(s, d, Currency::EUR)
    }

    #[test]
    fn amounts_with_signs_and_separators() {
        use DecimalSeparator::{Comma, Dot};
        for (raw, dec, want) in [
            ("12.30", Dot, 1230),
            (" -12.3 ", Dot, -1230),
            ("+5", Dot, 500),
            ("(7.05)", Dot, -705),
            ("1,234.56", Dot, 123_456),
            ("1,234,567", Dot, 123_456_700),
            ("1.234,56", Comma, 123_456),
            ("-1 234,5", Comma, -123_450),
            ("1'234.00", Dot, 123_400),
            ("1\u{a0}234,00", Comma, 123_400),
            ("0,01", Comma, 1),
            ("−3,00", Comma, -300),
        ] {
            assert_eq!(eur(raw, dec), Ok(want), "{raw:?}");
        }
        assert_eq!(
            parse_amount("1.234", Dot, Currency::parse("c", "KWD").unwrap()),
            Ok(1234)
        );
        assert_eq!(
            parse_amount("1,234", Dot, Currency::parse("c", "JPY").unwrap()),
            Ok(1234)
        );
    }

    #[test]
    fn amounts_refused_with_a_reason() {
        use DecimalSeparator::{Comma, Dot};
        let e = eur("1.234,56", Dot).unwrap_err();
        assert!(e.contains("decimal separator"), "{e}");
        let e = eur("1,234.56", Comma).unwrap_err();
        assert!(e.contains("decimal separator"), "{e}");
        let e = eur("1,5", Dot).unwrap_err();
        assert!(e.contains("thousands"), "{e}");
        for bad in [
            "",
            "0",
            "0.00",
            "-0",
            "abc",
            "1e3",
            "12.345",
            "1.2.3",
            "12,34,567",
            "1,23",
            ".5",
            "5.",
            "--5",
            "(-5)",
            "1 2",
            "NaN",
            "1_000",
            "10000000000.00",
        ] {
            assert!(eur(bad, Dot).is_err(), "{bad:?}");
        }
        assert_eq!(eur("0", Dot).unwrap_err(), "must not be zero");
        assert!(eur("12.345", Dot).unwrap_err().contains("decimal places"));
    }

    #[test]
    fn dates_in_each_format() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(DateFormat::Iso.parse_date("2024-02-29"), d(2024, 2, 29));
        assert_eq!(DateFormat::YearSlash.parse_date("2024/2/9"), d(2024, 2, 9));
        assert_eq!(
            DateFormat::DayMonthYearSlash.parse_date("31/01/2024"),
            d(2024, 1, 31)
        );
        assert_eq!(
            DateFormat::MonthDayYearSlash.parse_date("01/31/2024"),
            d(2024, 1, 31)
        );
        assert_eq!(
            DateFormat::DayMonthYearDot.parse_date(" 1.2.2024 "),
            d(2024, 2, 1)
        );
        assert_eq!(
            DateFormat::DayMonthYearDash.parse_date("31-12-2024"),
            d(2024, 12, 31)
        );
        for (f, bad) in [
            (DateFormat::Iso, "2023-02-29"),
            (DateFormat::Iso, "24-01-01"),
            (DateFormat::Iso, "2024-01-01T00:00"),
            (DateFormat::DayMonthYearSlash, "01/31/2024"),
            (DateFormat::DayMonthYearDot, "1.2.24"),
            (DateFormat::Iso, "1899-12-31"),
            (DateFormat::Iso, ""),
        ] {
            assert_eq!(f.parse_date(bad), None, "{bad}");
        }
        for f in DateFormat::ALL {
            assert_eq!(DateFormat::parse("dateFormat", f.as_str()).unwrap(), f);
        }
        assert!(DateFormat::parse("dateFormat", "YY").is_err());
        assert_eq!(
            DecimalSeparator::parse("d", ",").unwrap(),
            DecimalSeparator::Comma
        );
    }
}
