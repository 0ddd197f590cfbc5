//! Calendar dates and date ranges.

use chrono::{Datelike, NaiveDate};

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
}
