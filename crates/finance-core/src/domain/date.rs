//! Calendar dates and date ranges.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};

use crate::error::{Error, Result};

/// The earliest and latest dates the app accepts.
pub const MIN_YEAR: i32 = 1900;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i32 = 2200;

/// Parse an ISO 8601 calendar date (`YYYY-MM-DD`) within the supported years.
pub fn parse_date(field: &str, raw: &str) -> Result<NaiveDate> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::validation(field, "is required"));
    }
    let date =
        iso_date(s).ok_or_else(|| Error::validation(field, "must be a date like 2024-01-31"))?;
    check_year(field, date)
}

/// Exactly `YYYY-MM-DD` (ten characters, digits and two dashes) naming a real
/// day, else `None`; no range check. Without chrono's format machinery: stored
/// rows' dates are read with it, so it shows in a list's profile.
pub fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let ok_shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !ok_shape {
        return None;
    }
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    let year = i32::try_from(num(0..4)).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7), num(8..10))
}

/// `YYYY-MM-DD`, exactly as chrono's `%Y-%m-%d` writes it, without its
/// format machinery for years 0 to 9999 (every row of a page is written
/// this way: it shows in a list's profile).
pub fn iso_text(d: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    if !push_iso(&mut out, d) {
        return d.format("%Y-%m-%d").to_string();
    }
    out
}

/// An instant in UTC as RFC 3339 with milliseconds (`2024-01-31T08:05:09.042Z`),
/// exactly as chrono's `to_rfc3339_opts(SecondsFormat::Millis, true)` writes
/// it, without its format machinery for years 0 to 9999.
pub fn rfc3339_millis(t: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(24);
    if !push_iso(&mut out, t.date_naive()) {
        return t.to_rfc3339_opts(SecondsFormat::Millis, true);
    }
    let time = t.time();
    out.push('T');
    push_digits(&mut out, time.hour(), 2);
    out.push(':');
    push_digits(&mut out, time.minute(), 2);
    out.push(':');
    // A leap second is nanosecond 1_000_000_000 and up of second 59, as chrono writes it.
    let nanos = time.nanosecond();
    push_digits(&mut out, time.second() + nanos / 1_000_000_000, 2);
    out.push('.');
    push_digits(&mut out, (nanos % 1_000_000_000) / 1_000_000, 3);
    out.push('Z');
    out
}

/// Append `YYYY-MM-DD` when the year has four digits; `false` (nothing
/// written) otherwise.
fn push_iso(out: &mut String, d: NaiveDate) -> bool {
    let Ok(year) = u32::try_from(d.year()) else {
        return false;
    };
    if year > 9999 {
        return false;
    }
    push_digits(out, year, 4);
    out.push('-');
    push_digits(out, d.month(), 2);
    out.push('-');
    push_digits(out, d.day(), 2);
    true
}

/// Append the last `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (n / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// Reject dates outside the supported years.
pub fn check_year(field: &str, date: NaiveDate) -> Result<NaiveDate> {
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(Error::validation(
            field,
            format!("must be between {MIN_YEAR} and {MAX_YEAR}"),
        ))
    }
}

/// An inclusive range of calendar dates, `from <= to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    from: NaiveDate,
    to: NaiveDate,
}

impl DateRange {
    /// Validate that `from <= to`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<DateRange> {
        if from > to {
            return Err(Error::validation("to", "must not be before the start date"));
        }
        Ok(DateRange { from, to })
    }

    /// The calendar month containing `date`.
    pub fn month_of(date: NaiveDate) -> DateRange {
        let from = date.with_day(1).unwrap_or(date);
        let to = last_day_of_month(date.year(), date.month());
        DateRange { from, to }
    }

    /// First day.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// Last day (inclusive).
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Whether `date` falls in the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// The last day of a month.
pub fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date("date", s).unwrap()
    }

    #[test]
    fn parses_iso_dates_strictly() {
        assert_eq!(
            d("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-1",
            "01/02/2024",
            "",
            "2024-01-01T00:00",
            "1899-12-31",
            "2201-01-01",
            "+2024-01-01",
            "2024-00-10",
        ] {
            assert_eq!(
                parse_date("date", bad).unwrap_err().field(),
                Some("date"),
                "{bad}"
            );
        }
    }

    #[test]
    fn month_ranges_handle_leap_years_and_year_end() {
        let feb = DateRange::month_of(d("2024-02-10"));
        assert_eq!((feb.from(), feb.to()), (d("2024-02-01"), d("2024-02-29")));
        let feb = DateRange::month_of(d("2023-02-10"));
        assert_eq!(feb.to(), d("2023-02-28"));
        let dec = DateRange::month_of(d("2024-12-31"));
        assert_eq!((dec.from(), dec.to()), (d("2024-12-01"), d("2024-12-31")));
        assert!(dec.contains(d("2024-12-31")) && !dec.contains(d("2025-01-01")));
    }

    #[test]
    fn ranges_must_be_ordered() {
        assert!(DateRange::new(d("2024-02-02"), d("2024-02-01")).is_err());
        assert!(DateRange::new(d("2024-02-01"), d("2024-02-01")).is_ok());
    }

    /// The hand-written formats agree with chrono's on every day of the
    /// supported years and beyond, at times that exercise every field.
    #[test]
    fn iso_text_and_rfc3339_millis_write_what_chrono_writes() {
        let dense = NaiveDate::from_ymd_opt(1890, 1, 1)
            .unwrap()
            .iter_days()
            .take_while(|d| d.year() <= 2300);
        let sparse = [1, 9, 99, 999, 1000, 9999].into_iter().flat_map(|y| {
            [(1, 1), (12, 31)].map(|(m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
        });
        let mut checked = 0;
        for day in dense.chain(sparse) {
            assert_eq!(iso_text(day), day.format("%Y-%m-%d").to_string());
            let n = day.num_days_from_ce().unsigned_abs();
            let second = n % 86_400;
            let nano = (n % 1000) * 1_000_123;
            let t = day
                .and_hms_nano_opt(second / 3600, second / 60 % 60, second % 60, nano)
                .unwrap()
                .and_utc();
            assert_eq!(
                rfc3339_millis(t),
                t.to_rfc3339_opts(SecondsFormat::Millis, true),
                "{t:?}"
            );
            checked += 1;
        }
        assert!(
            checked > 150_000,
            "every day of 1890-2300 is checked ({checked})"
        );
        // Outside four-digit years, chrono's own formats are used.
        for y in [-1, 10_000] {
            let d = NaiveDate::from_ymd_opt(y, 3, 4).unwrap();
            assert_eq!(iso_text(d), d.format("%Y-%m-%d").to_string());
            let t = d.and_hms_milli_opt(1, 2, 3, 4).unwrap().and_utc();
            assert_eq!(
                rfc3339_millis(t),
                t.to_rfc3339_opts(SecondsFormat::Millis, true)
            );
        }
        // A leap second (nanosecond past 999_999_999) and the last milli.
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc();
        assert_eq!(
            rfc3339_millis(leap),
            leap.to_rfc3339_opts(SecondsFormat::Millis, true)
        );
        let last = NaiveDate::from_ymd_opt(2024, 2, 29)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 999_999_999)
            .unwrap()
            .and_utc();
        assert_eq!(rfc3339_millis(last), "2024-02-29T23:59:59.999Z");
    }
}
