//! Reading a CSV cell's value: dates in the supported formats and amounts
//! with separators (records and encodings: `read.rs`). No floating point:
//! amounts follow the written grammar of `money::typed`, exactly.

use chrono::NaiveDate;

use super::{DateFormat, DecimalSeparator};
use crate::domain::date::check_year;
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::money::typed::parse_written_amount;

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

/// Parse a CSV amount into signed minor units (never zero): the written
/// grammar of [`crate::money::typed::parse_written_amount`] in the file's
/// decimal separator. The error is a reason for people.
pub(crate) fn parse_amount(
    raw: &str,
    decimal: DecimalSeparator,
    currency: Currency,
) -> Result<i64, String> {
    parse_written_amount(raw, decimal, currency).map_err(|refusal| refusal.reason)
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
