//! Budgets: a spending limit for one expense category over a repeating period.

use std::fmt;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::date::{DateRange, last_day_of_month};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency};

/// How often a budget resets. Weeks start on Monday (ISO 8601).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    Weekly,
    Monthly,
    Yearly,
}

impl Period {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Weekly => "weekly",
            Period::Monthly => "monthly",
            Period::Yearly => "yearly",
        }
    }

    /// Parse the stored or typed form.
    pub fn parse(field: &str, s: &str) -> Result<Period> {
        match s.trim().to_ascii_lowercase().as_str() {
            "weekly" => Ok(Period::Weekly),
            "monthly" => Ok(Period::Monthly),
            "yearly" => Ok(Period::Yearly),
            _ => Err(Error::validation(
                field,
                "must be weekly, monthly or yearly",
            )),
        }
    }

    /// The period that contains `date`.
    pub fn range_containing(self, date: NaiveDate) -> DateRange {
        let (from, to) = match self {
            Period::Weekly => {
                let back = u64::from(date.weekday().num_days_from_monday());
                let from = date.checked_sub_days(Days::new(back)).unwrap_or(date);
                (from, from.checked_add_days(Days::new(6)).unwrap_or(from))
            }
            Period::Monthly => {
                let r = DateRange::month_of(date);
                (r.from(), r.to())
            }
            Period::Yearly => (
                NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date),
                last_day_of_month(date.year(), 12),
            ),
        };
        // Invariant: from <= to by construction above.
        DateRange::new(from, to).unwrap_or(DateRange::month_of(date))
    }
}

impl Period {
    /// How many of these periods `range` touches, partly or wholly (at least 1).
    pub fn periods_touched(self, range: DateRange) -> i64 {
        let (from, to) = (range.from(), range.to());
        match self {
            Period::Weekly => {
                let a = Period::Weekly.range_containing(from).from();
                let b = Period::Weekly.range_containing(to).from();
                (b - a).num_days() / 7 + 1
            }
            Period::Monthly => {
                let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
                months(to) - months(from) + 1
            }
            Period::Yearly => i64::from(to.year() - from.year()) + 1,
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    pub id: Id,
    pub user_id: Id,
    pub category_id: Id,
    pub limit: Amount,
    pub period: Period,
    pub created_at: DateTime<Utc>,
}

/// A validated budget to create or to replace an existing one's fields with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewBudget {
    pub category_id: Id,
    pub limit: Amount,
    pub period: Period,
}

/// A budget as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct BudgetDraft {
    pub category_id: String,
    pub limit: String,
    pub period: String,
}

impl BudgetDraft {
    /// Validate in the user's currency.
    pub fn validate(&self, currency: Currency) -> Result<NewBudget> {
        Ok(NewBudget {
            category_id: Id::parse("categoryId", &self.category_id)?,
            limit: Amount::parse("limit", &self.limit, currency)?,
            period: Period::parse("period", &self.period)?,
        })
    }
}

/// Where spending stands against the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetState {
    /// Below 80 % of the limit.
    Ok,
    /// At least 80 % and at most 100 %.
    Warning,
    /// Above 100 %.
    Over,
}

impl BudgetState {
    /// The state of `spent` against `limit` (minor units; `limit > 0`): over
    /// above 100 %, warning from 80 % up, else ok. Integer arithmetic only.
    pub fn for_spending(limit: i64, spent: i64) -> BudgetState {
        let limit = i128::from(limit);
        let spent = i128::from(spent.max(0));
        if spent > limit {
            BudgetState::Over
        } else if spent * 100 >= limit * 80 {
            BudgetState::Warning
        } else {
            BudgetState::Ok
        }
    }

    /// The stored/IPC form.
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetState::Ok => "ok",
            BudgetState::Warning => "warning",
            BudgetState::Over => "over",
        }
    }
}

/// A budget's progress in the period containing a given date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetStatus {
    pub budget: Budget,
    pub period: DateRange,
    /// Expense in the category during the period (minor units).
    pub spent: i64,
    /// `limit - spent`; negative when over.
    pub remaining: i64,
    /// Whole percent of the limit spent, rounded down (may exceed 100).
    pub percent: u64,
    pub state: BudgetState,
}

impl BudgetStatus {
    /// Compute from the amount spent in `period`. Integer arithmetic only.
    pub fn new(budget: Budget, period: DateRange, spent: i64) -> BudgetStatus {
        let limit = i128::from(budget.limit.minor());
        let spent128 = i128::from(spent.max(0));
        let state = BudgetState::for_spending(budget.limit.minor(), spent);
        let percent = u64::try_from(spent128 * 100 / limit).unwrap_or(u64::MAX);
        BudgetStatus {
            // Refunds can make `spent` negative (down to -i64::MAX): saturate.
            remaining: budget.limit.minor().saturating_sub(spent),
            budget,
            period,
            spent,
            percent,
            state,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn budget(limit: i64) -> Budget {
        Budget {
            id: Id::generate(),
            user_id: Id::generate(),
            category_id: Id::generate(),
            limit: Amount::from_minor("limit", limit).unwrap(),
            period: Period::Monthly,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn periods_contain_their_date() {
        // 2024-02-29 is a Thursday.
        let w = Period::Weekly.range_containing(d(2024, 2, 29));
        assert_eq!((w.from(), w.to()), (d(2024, 2, 26), d(2024, 3, 3)));
        // A Monday starts its own week; a Sunday ends it.
        assert_eq!(
            Period::Weekly.range_containing(d(2024, 3, 4)).from(),
            d(2024, 3, 4)
        );
        assert_eq!(
            Period::Weekly.range_containing(d(2024, 3, 3)).from(),
            d(2024, 2, 26)
        );
        // Weeks cross year ends.
        let w = Period::Weekly.range_containing(d(2025, 1, 1));
        assert_eq!((w.from(), w.to()), (d(2024, 12, 30), d(2025, 1, 5)));
        let m = Period::Monthly.range_containing(d(2024, 2, 29));
        assert_eq!((m.from(), m.to()), (d(2024, 2, 1), d(2024, 2, 29)));
        let y = Period::Yearly.range_containing(d(2024, 12, 31));
        assert_eq!((y.from(), y.to()), (d(2024, 1, 1), d(2024, 12, 31)));
    }

    #[test]
    fn periods_touched_count_partial_periods() {
        let r = |a, b| DateRange::new(a, b).unwrap();
        // 2024-01-31 (Wed) .. 2024-03-01 (Fri).
        let range = r(d(2024, 1, 31), d(2024, 3, 1));
        assert_eq!(Period::Monthly.periods_touched(range), 3);
        assert_eq!(Period::Yearly.periods_touched(range), 1);
        // Weeks starting 29 Jan, 5, 12, 19, 26 Feb.
        assert_eq!(Period::Weekly.periods_touched(range), 5);
        let one_day = r(d(2024, 2, 29), d(2024, 2, 29));
        for p in [Period::Weekly, Period::Monthly, Period::Yearly] {
            assert_eq!(p.periods_touched(one_day), 1);
        }
        let years = r(d(2023, 12, 31), d(2025, 1, 1));
        assert_eq!(Period::Yearly.periods_touched(years), 3);
        assert_eq!(Period::Monthly.periods_touched(years), 14);
        // A Sunday to the next Monday touches two weeks.
        assert_eq!(
            Period::Weekly.periods_touched(r(d(2024, 3, 3), d(2024, 3, 4))),
            2
        );
    }

    #[test]
    fn states_follow_thresholds_exactly() {
        let range = Period::Monthly.range_containing(d(2024, 1, 1));
        let at = |spent| BudgetStatus::new(budget(10_000), range, spent);
        assert_eq!(at(0).state, BudgetState::Ok);
        assert_eq!(at(7_999).state, BudgetState::Ok);
        assert_eq!(at(8_000).state, BudgetState::Warning);
        assert_eq!(at(10_000).state, BudgetState::Warning);
        assert_eq!(at(10_001).state, BudgetState::Over);
        assert_eq!(at(10_001).remaining, -1);
        assert_eq!(at(7_999).percent, 79);
        assert_eq!(at(25_000).percent, 250);
        // Thresholds are exact for limits that are not multiples of 5.
        let odd = BudgetStatus::new(budget(3), range, 2);
        assert_eq!(odd.state, BudgetState::Ok, "2/3 = 66 %");
        let odd = BudgetStatus::new(budget(3), range, 3);
        assert_eq!(odd.state, BudgetState::Warning);
    }

    #[test]
    fn draft_validation_names_fields() {
        let draft = BudgetDraft {
            category_id: Id::generate().to_hex(),
            limit: "250.00".into(),
            period: "monthly".into(),
        };
        assert_eq!(draft.validate(Currency::EUR).unwrap().limit.minor(), 25_000);
        let bad = BudgetDraft {
            limit: "0".into(),
            ..draft.clone()
        };
        assert_eq!(
            bad.validate(Currency::EUR).unwrap_err().field(),
            Some("limit")
        );
        let bad = BudgetDraft {
            period: "daily".into(),
            ..draft.clone()
        };
        assert_eq!(
            bad.validate(Currency::EUR).unwrap_err().field(),
            Some("period")
        );
        let bad = BudgetDraft {
            category_id: "x".into(),
            ..draft
        };
        assert_eq!(
            bad.validate(Currency::EUR).unwrap_err().field(),
            Some("categoryId")
        );
    }
}
