//! Reports over a date range: totals, spending by category, a 12-month trend,
//! budgets against actual spending, the largest expenses and the most frequent
//! descriptions.
//!
//! The sums and groups are computed by the store (SQL `GROUP BY`, MongoDB
//! `$group`); this module holds the result types and the small pure steps
//! around them (ordering, zero-filling months, scaling budget limits).

use chrono::{Datelike, Months, NaiveDate};

use super::budget::{Budget, BudgetState};
use super::date::{DateRange, last_day_of_month};
use super::transaction::Transaction;
use crate::id::Id;

/// How many rows `largest` and `frequent` hold at most.
pub const REPORT_TOP: u32 = 10;

/// How many months the trend covers.
pub const TREND_MONTHS: u32 = 12;

/// Expense in one category over the range (expense categories only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategorySpending {
    pub category_id: Id,
    /// The category's current name.
    pub name: String,
    /// Total expense (minor units).
    pub amount: i64,
    /// Number of transactions.
    pub count: u64,
}

/// Income and expense in one calendar month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthTotals {
    /// The 1st of the month.
    pub month: NaiveDate,
    pub income: i64,
    pub expense: i64,
    pub count: u64,
}

/// A description that recurs in the range (grouped ignoring case and surrounding spaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescriptionFrequency {
    /// The spelling of the group's latest transaction (by date, then id).
    pub description: String,
    pub count: u64,
    /// Sum of the amounts (minor units; income and expense alike, as stored: positive).
    pub total: i64,
}

/// A budget against the spending of its category over the report's range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetActual {
    pub budget: Budget,
    /// The category's current name.
    pub category_name: String,
    /// The budget's limit times the number of its periods the range touches.
    pub limit: i64,
    /// Expense in the category over the range.
    pub spent: i64,
    pub state: BudgetState,
}

impl BudgetActual {
    /// Scale the budget's limit to `range` and compare `spent` with it.
    pub fn new(budget: Budget, category_name: String, range: DateRange, spent: i64) -> Self {
        let periods = budget.period.periods_touched(range).max(1);
        let limit = budget.limit.minor().saturating_mul(periods);
        BudgetActual {
            state: BudgetState::for_spending(limit, spent),
            budget,
            category_name,
            limit,
            spent,
        }
    }
}

/// Everything the reports screen shows for a date range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub range: DateRange,
    pub total_expense: i64,
    pub total_income: i64,
    /// Descending by amount, then by name (ignoring case), then id.
    pub by_category: Vec<CategorySpending>,
    /// Exactly [`TREND_MONTHS`] calendar months ending with `range.to()`'s
    /// month (whole months, regardless of `range.from()`), oldest first, zero-filled.
    pub monthly: Vec<MonthTotals>,
    /// Ordered by budget creation (then id).
    pub budgets: Vec<BudgetActual>,
    /// The [`REPORT_TOP`] largest expenses: amount descending, then id descending.
    pub largest: Vec<Transaction>,
    /// The [`REPORT_TOP`] most frequent descriptions: count descending, then
    /// total descending, then the lower-cased description ascending.
    pub frequent: Vec<DescriptionFrequency>,
}

/// The whole months of the trend ending with `to`'s month: `[first day, last day]`.
pub fn trend_range(to: NaiveDate) -> DateRange {
    let last = DateRange::month_of(to);
    let first = last
        .from()
        .checked_sub_months(Months::new(TREND_MONTHS - 1))
        .unwrap_or(last.from());
    DateRange::new(first, last.to()).unwrap_or(last)
}

/// The trend's months in order, with the store's (sparse) totals filled in and zeros elsewhere.
pub fn fill_months(to: NaiveDate, found: &[MonthTotals]) -> Vec<MonthTotals> {
    let start = trend_range(to).from();
    (0..TREND_MONTHS)
        .filter_map(|i| start.checked_add_months(Months::new(i)))
        .map(|month| {
            found
                .iter()
                .find(|m| m.month == month)
                .cloned()
                .unwrap_or(MonthTotals {
                    month,
                    income: 0,
                    expense: 0,
                    count: 0,
                })
        })
        .collect()
}

/// The report order of category spending.
pub fn sort_by_category(rows: &mut [CategorySpending]) {
    rows.sort_by(|a, b| {
        b.amount
            .cmp(&a.amount)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.category_id.cmp(&b.category_id))
    });
}

/// The 1st of the month of a `YYYY-MM` key (as both stores group by).
pub fn month_from_key(key: &str) -> Option<NaiveDate> {
    let (y, m) = key.split_once('-')?;
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

/// The last day of `date`'s month.
pub fn month_end(date: NaiveDate) -> NaiveDate {
    last_day_of_month(date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Period;
    use crate::money::Amount;
    use chrono::{DateTime, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn trend_is_twelve_whole_months_ending_with_to() {
        let r = trend_range(d(2024, 2, 29));
        assert_eq!((r.from(), r.to()), (d(2023, 3, 1), d(2024, 2, 29)));
        let r = trend_range(d(2024, 12, 31));
        assert_eq!((r.from(), r.to()), (d(2024, 1, 1), d(2024, 12, 31)));
        let filled = fill_months(
            d(2024, 3, 15),
            &[MonthTotals {
                month: d(2024, 1, 1),
                income: 5,
                expense: 7,
                count: 2,
            }],
        );
        assert_eq!(filled.len(), 12);
        assert_eq!(filled[0].month, d(2023, 4, 1));
        assert_eq!(filled[11].month, d(2024, 3, 1));
        assert_eq!((filled[9].income, filled[9].expense), (5, 7));
        assert_eq!(filled.iter().map(|m| m.count).sum::<u64>(), 2);
        assert_eq!(month_from_key("2024-02"), Some(d(2024, 2, 1)));
        assert_eq!(month_from_key("2024-13"), None);
    }

    #[test]
    fn budget_limits_scale_with_periods_touched() {
        let b = Budget {
            id: Id::generate(),
            user_id: Id::generate(),
            category_id: Id::generate(),
            limit: Amount::from_minor("limit", 10_000).unwrap(),
            period: Period::Monthly,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let range = DateRange::new(d(2024, 1, 15), d(2024, 3, 1)).unwrap();
        let a = BudgetActual::new(b.clone(), "Food".into(), range, 24_000);
        assert_eq!((a.limit, a.state), (30_000, BudgetState::Warning));
        let a = BudgetActual::new(b, "Food".into(), range, 30_001);
        assert_eq!(a.state, BudgetState::Over);
    }

    #[test]
    fn categories_sort_by_amount_then_name() {
        let row = |name: &str, amount| CategorySpending {
            category_id: Id::generate(),
            name: name.into(),
            amount,
            count: 1,
        };
        let mut rows = vec![row("b", 5), row("A", 5), row("z", 9)];
        sort_by_category(&mut rows);
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["z", "A", "b"]);
    }
}
