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
        let state = if spent128 > limit {
            BudgetState::Over
        } else if spent128 * 100 >= limit * 80 {
            BudgetState::Warning
        } else {
            BudgetState::Ok
        };
        let percent = u64::try_from(spent128 * 100 / limit).unwrap_or(u64::MAX);
        BudgetStatus {
            remaining: budget.limit.minor() - spent,
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
