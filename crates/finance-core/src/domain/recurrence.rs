//! When a schedule falls due: the pure date maths of recurrences.
//!
//! Everything here is on calendar dates ([`NaiveDate`]) only — no instants,
//! no time zones — so daylight-saving changes cannot move, skip or repeat an
//! occurrence.
//!
//! A recurrence is a frequency, an interval (every N days, weeks, months or
//! years), a start date and an optional end (a last date, or a number of
//! occurrences). Its occurrences are numbered from 0: the n-th is computed
//! directly from the start (never by stepping from the previous one), so a
//! clamped month end never drifts (31 Jan → 28 Feb → 31 Mar, not 28 Mar).
//!
//! Invariants (unit- and property-tested below):
//! * occurrences are strictly increasing: never a duplicate, never out of order;
//! * none is before the start, after the end date or past the count;
//! * monthly on day 29–31, or on "last day", falls on the month's last day in
//!   shorter months; yearly on 29 February falls on 28 February in other years;
//! * [`Recurrence::occurrences`] over `[from, through]` returns exactly the
//!   occurrences in that range, found in time proportional to their number
//!   (the first index is computed, not searched for).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::date::MAX_YEAR;

/// How often a schedule repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    /// Every `interval` days.
    Daily,
    /// Every `interval` weeks, on `weekday`.
    Weekly { weekday: Weekday },
    /// Every `interval` months, on `day` (1–31; a day past the month's end
    /// is its last day) — see [`MonthDay`].
    Monthly { day: MonthDay },
    /// Every `interval` years, on the start date's month and day (29
    /// February is 28 February in other years).
    Yearly,
}

/// The day of the month a monthly schedule falls on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthDay {
    /// Day 1–31; past the month's end it is the month's last day.
    Day(u8),
    /// The month's last day.
    Last,
}

impl MonthDay {
    /// The date in the month of `first` (the 1st of a month).
    fn in_month(self, first: NaiveDate) -> NaiveDate {
        let last = last_day_of_month(first);
        match self {
            MonthDay::Last => last,
            MonthDay::Day(d) => first.with_day(u32::from(d)).unwrap_or(last).min(last),
        }
    }
}

/// How a schedule ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleEnd {
    Never,
    /// No occurrence after this date.
    OnDate(NaiveDate),
    /// Only this many occurrences (≥ 1).
    After(u32),
}

/// The longest interval (every 999 days, weeks, months or years).
pub const MAX_INTERVAL: u32 = 999;

/// When a schedule falls due. Built by [`super::schedule::ScheduleDraft::validate`]
/// (interval 1–[`MAX_INTERVAL`], an end date not before the start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub interval: u32,
    pub start: NaiveDate,
    pub end: ScheduleEnd,
}

/// The last day of `date`'s month.
pub fn last_day_of_month(date: NaiveDate) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(date)
}

/// The 1st of `date`'s month.
fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Whole months from `a`'s month to `b`'s (negative when `b` is earlier).
fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (i64::from(b.year()) - i64::from(a.year())) * 12 + i64::from(b.month()) - i64::from(a.month())
}

impl Recurrence {
    /// The first date of the sequence (index 0), before the count and end
    /// date are applied: the start for daily and yearly, the first `weekday`
    /// on or after the start, the first month day on or after the start.
    fn anchor(&self) -> Option<NaiveDate> {
        match self.frequency {
            Frequency::Daily | Frequency::Yearly => Some(self.start),
            Frequency::Weekly { weekday } => {
                let ahead = (7 + weekday.num_days_from_monday()
                    - self.start.weekday().num_days_from_monday())
                    % 7;
                self.start.checked_add_days(Days::new(u64::from(ahead)))
            }
            Frequency::Monthly { day } => {
                let first = first_of_month(self.start);
                let this_month = day.in_month(first);
                if this_month >= self.start {
                    Some(this_month)
                } else {
                    first
                        .checked_add_months(Months::new(1))
                        .map(|next| day.in_month(next))
                }
            }
        }
    }

    /// The `n`-th date of the unbounded sequence (`None` past the supported years).
    fn raw(&self, n: u64) -> Option<NaiveDate> {
        let anchor = self.anchor()?;
        let step = u64::from(self.interval.max(1));
        let date = match self.frequency {
            Frequency::Daily => anchor.checked_add_days(Days::new(n.checked_mul(step)?))?,
            Frequency::Weekly { .. } => {
                anchor.checked_add_days(Days::new(n.checked_mul(step)?.checked_mul(7)?))?
            }
            Frequency::Monthly { day } => {
                let months = u32::try_from(n.checked_mul(step)?).ok()?;
                day.in_month(first_of_month(anchor).checked_add_months(Months::new(months))?)
            }
            Frequency::Yearly => {
                let months = u32::try_from(n.checked_mul(step)?.checked_mul(12)?).ok()?;
                // From the 1st of the start's month, then the start's day
                // clamped to that month: 29 Feb → 28 Feb in other years.
                let first = first_of_month(anchor).checked_add_months(Months::new(months))?;
                MonthDay::Day(anchor.day() as u8).in_month(first)
            }
        };
        (date.year() <= MAX_YEAR).then_some(date)
    }

    /// The `n`-th occurrence (from 0), or `None` when the schedule has ended
    /// by then (its count or end date) or it is past the supported years.
    pub fn nth(&self, n: u64) -> Option<NaiveDate> {
        if let ScheduleEnd::After(count) = self.end
            && n >= u64::from(count)
        {
            return None;
        }
        let date = self.raw(n)?;
        match self.end {
            ScheduleEnd::OnDate(end) if date > end => None,
            _ => Some(date),
        }
    }

    /// The index of the first occurrence on or after `date` in the unbounded
    /// sequence (computed, then corrected by at most a step each way).
    fn first_index_from(&self, date: NaiveDate) -> u64 {
        let Some(anchor) = self.anchor() else {
            return 0;
        };
        if date <= anchor {
            return 0;
        }
        let step = i64::from(self.interval.max(1));
        let estimate = match self.frequency {
            Frequency::Daily => (date - anchor).num_days() / step,
            Frequency::Weekly { .. } => (date - anchor).num_days() / (7 * step),
            Frequency::Monthly { .. } => months_between(anchor, date) / step,
            Frequency::Yearly => months_between(anchor, date) / (12 * step),
        };
        let mut n = u64::try_from(estimate.max(0)).unwrap_or(0);
        // Step back while the previous one is still on or after `date`, then
        // forward while this one is before it.
        while n > 0 && self.raw(n - 1).is_some_and(|d| d >= date) {
            n -= 1;
        }
        while self.raw(n).is_some_and(|d| d < date) {
            n += 1;
        }
        n
    }

    /// The occurrences in `[from, through]`, oldest first, at most `limit`.
    pub fn occurrences(&self, from: NaiveDate, through: NaiveDate, limit: usize) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        if from > through {
            return out;
        }
        let mut n = self.first_index_from(from);
        while out.len() < limit {
            match self.nth(n) {
                Some(d) if d <= through => out.push(d),
                _ => break,
            }
            n += 1;
        }
        out
    }

    /// The first occurrence after `after` (or the first of all when `None`).
    pub fn next_after(&self, after: Option<NaiveDate>) -> Option<NaiveDate> {
        let n = match after {
            None => 0,
            Some(a) => self.first_index_from(a.succ_opt()?),
        };
        self.nth(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rec(frequency: Frequency, interval: u32, start: &str, end: ScheduleEnd) -> Recurrence {
        Recurrence {
            frequency,
            interval,
            start: d(start),
            end,
        }
    }

    fn all(r: &Recurrence, through: &str) -> Vec<String> {
        r.occurrences(r.start, d(through), 1000)
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn monthly_on_the_31st_falls_on_each_months_last_day_without_drifting() {
        let r = rec(
            Frequency::Monthly {
                day: MonthDay::Day(31),
            },
            1,
            "2023-12-31",
            ScheduleEnd::Never,
        );
        assert_eq!(
            all(&r, "2024-05-31"),
            [
                "2023-12-31",
                "2024-01-31",
                "2024-02-29",
                "2024-03-31",
                "2024-04-30",
                "2024-05-31"
            ],
            "February clamps to its last day (leap year) and March is back on the 31st"
        );
    }

    #[test]
    fn monthly_on_the_30th_and_last_day_in_february() {
        let on_30 = rec(
            Frequency::Monthly {
                day: MonthDay::Day(30),
            },
            1,
            "2025-01-15",
            ScheduleEnd::Never,
        );
        assert_eq!(
            all(&on_30, "2025-03-30"),
            ["2025-01-30", "2025-02-28", "2025-03-30"]
        );
        let last = rec(
            Frequency::Monthly {
                day: MonthDay::Last,
            },
            1,
            "2025-01-31",
            ScheduleEnd::Never,
        );
        assert_eq!(
            all(&last, "2025-04-30"),
            ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30"]
        );
    }

    #[test]
    fn monthly_day_before_the_start_begins_next_month() {
        let r = rec(
            Frequency::Monthly {
                day: MonthDay::Day(1),
            },
            1,
            "2025-01-15",
            ScheduleEnd::Never,
        );
        assert_eq!(r.next_after(None), Some(d("2025-02-01")));
    }

    #[test]
    fn every_three_months_counts_from_the_first_occurrence() {
        let r = rec(
            Frequency::Monthly {
                day: MonthDay::Day(10),
            },
            3,
            "2025-01-20",
            ScheduleEnd::Never,
        );
        assert_eq!(
            all(&r, "2025-12-31"),
            ["2025-02-10", "2025-05-10", "2025-08-10", "2025-11-10"]
        );
    }

    #[test]
    fn yearly_on_29_february_is_28_february_in_other_years() {
        let r = rec(Frequency::Yearly, 1, "2024-02-29", ScheduleEnd::Never);
        assert_eq!(
            all(&r, "2028-12-31"),
            [
                "2024-02-29",
                "2025-02-28",
                "2026-02-28",
                "2027-02-28",
                "2028-02-29"
            ]
        );
    }

    #[test]
    fn weekly_on_a_weekday_and_every_two_weeks() {
        // 2026-11-30 is a Monday.
        let fri = rec(
            Frequency::Weekly {
                weekday: Weekday::Fri,
            },
            1,
            "2026-11-30",
            ScheduleEnd::Never,
        );
        assert_eq!(all(&fri, "2026-12-14"), ["2026-12-04", "2026-12-11"]);
        let biweekly = rec(
            Frequency::Weekly {
                weekday: Weekday::Mon,
            },
            2,
            "2026-11-30",
            ScheduleEnd::Never,
        );
        assert_eq!(
            all(&biweekly, "2026-12-28"),
            ["2026-11-30", "2026-12-14", "2026-12-28"]
        );
    }

    #[test]
    fn count_and_end_date_bound_the_occurrences() {
        let counted = rec(Frequency::Daily, 1, "2026-01-01", ScheduleEnd::After(3));
        assert_eq!(
            all(&counted, "2026-12-31"),
            ["2026-01-01", "2026-01-02", "2026-01-03"]
        );
        assert_eq!(
            counted.next_after(Some(d("2026-01-03"))),
            None,
            "ended by its count"
        );
        let ended = rec(
            Frequency::Daily,
            2,
            "2026-01-01",
            ScheduleEnd::OnDate(d("2026-01-06")),
        );
        assert_eq!(
            all(&ended, "2026-12-31"),
            ["2026-01-01", "2026-01-03", "2026-01-05"]
        );
    }

    #[test]
    fn occurrences_stop_at_the_supported_years() {
        let r = rec(Frequency::Yearly, 100, "2100-01-01", ScheduleEnd::Never);
        assert_eq!(all(&r, "2200-12-31"), ["2100-01-01", "2200-01-01"]);
        assert_eq!(r.next_after(Some(d("2200-01-01"))), None);
    }

    #[test]
    fn a_range_far_from_the_start_is_found_without_walking_from_it() {
        let r = rec(Frequency::Daily, 1, "1900-01-01", ScheduleEnd::Never);
        // Found by index: a limit of 2 still gives the right two days.
        assert_eq!(
            r.occurrences(d("2199-12-30"), d("2200-12-31"), 2),
            [d("2199-12-30"), d("2199-12-31")]
        );
    }

    fn frequency() -> impl Strategy<Value = Frequency> {
        prop_oneof![
            Just(Frequency::Daily),
            (0u8..7).prop_map(|w| Frequency::Weekly {
                weekday: Weekday::try_from(w).unwrap()
            }),
            prop_oneof![(1u8..=31).prop_map(MonthDay::Day), Just(MonthDay::Last)]
                .prop_map(|day| Frequency::Monthly { day }),
            Just(Frequency::Yearly),
        ]
    }

    fn date_in(years: std::ops::Range<i32>) -> impl Strategy<Value = NaiveDate> {
        (years, 1u32..=12, 1u32..=31).prop_map(|(y, m, day)| {
            let first = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
            first.with_day(day).unwrap_or(last_day_of_month(first))
        })
    }

    fn end() -> impl Strategy<Value = ScheduleEnd> {
        prop_oneof![
            Just(ScheduleEnd::Never),
            (1u32..50).prop_map(ScheduleEnd::After),
            date_in(2020..2040).prop_map(ScheduleEnd::OnDate),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Strictly increasing, within the bounds, the month-end and
        /// weekday rules held, and a range query equal to the plain walk.
        #[test]
        fn occurrences_are_ordered_bounded_and_consistent(
            frequency in frequency(),
            interval in 1u32..14,
            start in date_in(2020..2030),
            end in end(),
            from in date_in(2019..2040),
            span in 0i64..800,
        ) {
            let r = Recurrence { frequency, interval, start, end };
            let through = from + chrono::TimeDelta::days(span);
            // The plain walk over indices.
            let walk: Vec<NaiveDate> = (0..)
                .map_while(|n| r.nth(n))
                .take_while(|d| *d <= through)
                .collect();
            for pair in walk.windows(2) {
                prop_assert!(pair[0] < pair[1], "strictly increasing: {pair:?}");
            }
            for (i, day) in walk.iter().enumerate() {
                prop_assert!(*day >= start, "never before the start");
                match end {
                    ScheduleEnd::OnDate(e) => prop_assert!(*day <= e),
                    ScheduleEnd::After(c) => prop_assert!((i as u32) < c),
                    ScheduleEnd::Never => {}
                }
                match frequency {
                    Frequency::Weekly { weekday } => prop_assert_eq!(day.weekday(), weekday),
                    Frequency::Monthly { day: MonthDay::Day(n) } => prop_assert_eq!(
                        day.day(),
                        u32::from(n).min(last_day_of_month(*day).day())
                    ),
                    Frequency::Monthly { day: MonthDay::Last } => {
                        prop_assert_eq!(*day, last_day_of_month(*day))
                    }
                    Frequency::Yearly => {
                        prop_assert_eq!(day.month(), start.month());
                        prop_assert_eq!(
                            day.day(),
                            start.day().min(last_day_of_month(*day).day())
                        );
                    }
                    Frequency::Daily => {}
                }
            }
            let expected: Vec<NaiveDate> =
                walk.iter().copied().filter(|d| *d >= from).collect();
            prop_assert_eq!(r.occurrences(from, through, usize::MAX), expected.clone());
            // next_after chains through the same dates: none skipped, none repeated.
            let mut chained = Vec::new();
            let mut cursor = from.pred_opt();
            while let Some(next) = r.next_after(cursor) {
                if next > through { break; }
                chained.push(next);
                cursor = Some(next);
            }
            prop_assert_eq!(chained, expected);
        }
    }
}
