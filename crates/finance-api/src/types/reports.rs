//! IPC types of totals: the summary of a range, the dashboard, and the Reports
//! screen's report.
//!
//! Invariants: amounts are exact decimal strings (no floats); category shares
//! are integer basis points that add up to exactly 10000 ([`basis_points`]);
//! a range is parsed with the field names `from` and `to`; a report's
//! account filter is parsed as the transaction list's (`accountId`).

use std::collections::HashMap;

use chrono::NaiveDate;
use finance_core::domain::date::parse_date;
use finance_core::domain::report::Report;
use finance_core::domain::{DateRange, NetWorthMonth, Summary, TransactionFilter};
use finance_core::money::format_minor;
use finance_core::{Currency, Id};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::accounts::AccountsView;
use super::budgets::{BudgetStateView, BudgetView, PeriodView};
use super::count32;
use super::transactions::TransactionView;

fn date_range(from: &str, to: &str) -> Result<DateRange, finance_core::Error> {
    DateRange::new(parse_date("from", from)?, parse_date("to", to)?)
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SummaryInput {
    pub from: String,
    pub to: String,
}

impl TryFrom<&SummaryInput> for DateRange {
    type Error = finance_core::Error;
    fn try_from(i: &SummaryInput) -> Result<DateRange, Self::Error> {
        date_range(&i.from, &i.to)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
    pub from: String,
    pub to: String,
    pub income: String,
    pub expense: String,
    pub net: String,
    pub count: u32,
}

impl SummaryView {
    /// Totals as shown.
    pub fn new(range: DateRange, s: &Summary, currency: Currency) -> SummaryView {
        SummaryView {
            from: range.from().to_string(),
            to: range.to().to_string(),
            income: format_minor(s.income, currency),
            expense: format_minor(s.expense, currency),
            net: format_minor(s.net(), currency),
            count: count32(s.count),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub month: SummaryView,
    /// Net worth and each account's balance.
    pub accounts: AccountsView,
    pub budgets: Vec<BudgetView>,
    pub latest: Vec<TransactionView>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReportInput {
    pub from: String,
    pub to: String,
    /// Only this account's rows, in every part of the report (absent, null or
    /// blank: every account). Another user's account is `not_found`.
    #[serde(default)]
    #[ts(optional)]
    pub account_id: Option<String>,
}

impl TryFrom<&ReportInput> for DateRange {
    type Error = finance_core::Error;
    fn try_from(i: &ReportInput) -> Result<DateRange, Self::Error> {
        date_range(&i.from, &i.to)
    }
}

impl ReportInput {
    /// The account filter (`Validation { field: "accountId" }` when malformed).
    pub fn account(&self) -> Result<Option<Id>, finance_core::Error> {
        TransactionFilter::parse_account(self.account_id.as_deref())
    }
}

/// Which month the dashboard shows: the one containing `date` (any day of
/// it), this month when absent — so ‹ previous / next › can step through
/// months.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct DashboardInput {
    #[ts(optional)]
    pub date: Option<String>,
}

impl DashboardInput {
    /// The day asked for (validated), or `today`.
    pub fn day(&self, today: NaiveDate) -> Result<NaiveDate, finance_core::Error> {
        self.date
            .as_deref()
            .map_or(Ok(today), |d| parse_date("date", d))
    }
}

/// The months of a net-worth series: `from`'s month through `to`'s (any day
/// of each; 1–600 months, else `validation` on `from` or `to`).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NetWorthSeriesInput {
    pub from: String,
    pub to: String,
}

impl NetWorthSeriesInput {
    /// The first and last day given (the core checks the span).
    pub fn dates(&self) -> Result<(NaiveDate, NaiveDate), finance_core::Error> {
        Ok((parse_date("from", &self.from)?, parse_date("to", &self.to)?))
    }
}

/// Net worth at the end of one month (every account, archived ones too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NetWorthMonthView {
    /// `YYYY-MM`.
    pub month: String,
    /// Σ balances of asset accounts.
    pub assets: String,
    /// Σ balances of liability accounts (normally negative: what is owed).
    pub liabilities: String,
    /// `assets + liabilities`.
    pub net: String,
}

impl NetWorthMonthView {
    pub fn new(m: &NetWorthMonth, currency: Currency) -> NetWorthMonthView {
        NetWorthMonthView {
            month: m.month.format("%Y-%m").to_string(),
            assets: format_minor(m.worth.assets, currency),
            liabilities: format_minor(m.worth.liabilities, currency),
            net: format_minor(m.worth.net, currency),
        }
    }
}

/// One expense category's share of the period's spending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CategorySpendingView {
    pub category_id: String,
    pub name: String,
    pub amount: String,
    pub count: u32,
    /// Share of the period's total expense in basis points (1/100 of a percent);
    /// the shares of one report add up to exactly 10000 (largest remainder).
    pub basis_points: u32,
}

/// Income and expense of one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MonthTotalsView {
    /// `YYYY-MM`.
    pub month: String,
    pub income: String,
    pub expense: String,
    pub net: String,
}

/// A budget against its category's spending over the report's range; the limit is
/// the budget's limit times the number of its periods the range touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BudgetActualView {
    pub budget_id: String,
    pub category_id: String,
    pub category_name: String,
    pub period: PeriodView,
    pub limit: String,
    pub spent: String,
    pub state: BudgetStateView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DescriptionFrequencyView {
    pub description: String,
    pub count: u32,
    pub total: String,
}

/// Everything the Reports screen shows for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    pub from: String,
    pub to: String,
    pub total_income: String,
    pub total_expense: String,
    pub by_category: Vec<CategorySpendingView>,
    /// The 12 months ending with `to`'s month, oldest first.
    pub monthly: Vec<MonthTotalsView>,
    pub budgets: Vec<BudgetActualView>,
    pub largest: Vec<TransactionView>,
    pub frequent: Vec<DescriptionFrequencyView>,
}

impl ReportView {
    /// A report as shown; `names` names the categories of its largest transactions.
    pub fn new(r: &Report, names: &HashMap<Id, String>, currency: Currency) -> ReportView {
        let amounts: Vec<i64> = r.by_category.iter().map(|c| c.amount).collect();
        let shares = basis_points(&amounts, r.total_expense);
        ReportView {
            from: r.range.from().to_string(),
            to: r.range.to().to_string(),
            total_income: format_minor(r.total_income, currency),
            total_expense: format_minor(r.total_expense, currency),
            by_category: r
                .by_category
                .iter()
                .zip(shares)
                .map(|(c, bp)| CategorySpendingView {
                    category_id: c.category_id.to_hex(),
                    name: c.name.clone(),
                    amount: format_minor(c.amount, currency),
                    count: count32(c.count),
                    basis_points: bp,
                })
                .collect(),
            monthly: r
                .monthly
                .iter()
                .map(|m| MonthTotalsView {
                    month: m.month.format("%Y-%m").to_string(),
                    income: format_minor(m.income, currency),
                    expense: format_minor(m.expense, currency),
                    net: format_minor(m.income.saturating_sub(m.expense), currency),
                })
                .collect(),
            budgets: r
                .budgets
                .iter()
                .map(|b| BudgetActualView {
                    budget_id: b.budget.id.to_hex(),
                    category_id: b.budget.category_id.to_hex(),
                    category_name: b.category_name.clone(),
                    period: b.budget.period.into(),
                    limit: format_minor(b.limit, currency),
                    spent: format_minor(b.spent, currency),
                    state: b.state.into(),
                })
                .collect(),
            largest: r
                .largest
                .iter()
                .map(|t| {
                    let name = t
                        .category_id
                        .and_then(|c| names.get(&c))
                        .map_or("", String::as_str);
                    TransactionView::new(t, name, currency)
                })
                .collect(),
            frequent: r
                .frequent
                .iter()
                .map(|d| DescriptionFrequencyView {
                    description: d.description.clone(),
                    count: count32(d.count),
                    total: format_minor(d.total, currency),
                })
                .collect(),
        }
    }
}

/// Shares in basis points of `amounts` in `total`, rounded so they add up to
/// exactly 10000 when `total` is their positive sum (largest remainder method).
pub fn basis_points(amounts: &[i64], total: i64) -> Vec<u32> {
    if total <= 0 {
        return vec![0; amounts.len()];
    }
    let total = i128::from(total);
    let mut floors: Vec<(usize, i128, i128)> = amounts
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let scaled = i128::from(a.max(0)) * 10_000;
            (i, scaled / total, scaled % total)
        })
        .collect();
    let assigned: i128 = floors.iter().map(|f| f.1).sum();
    let sum: i128 = amounts.iter().map(|&a| i128::from(a.max(0))).sum();
    let mut out: Vec<u32> = floors
        .iter()
        .map(|f| u32::try_from(f.1).unwrap_or(u32::MAX))
        .collect();
    if sum == total {
        let mut left = 10_000 - assigned;
        // Biggest remainders first; ties by position, so the result is stable.
        floors.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        for (i, _, rem) in floors {
            if left <= 0 {
                break;
            }
            if rem > 0 {
                out[i] += 1;
                left -= 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_points_add_up_to_ten_thousand() {
        assert_eq!(basis_points(&[1, 1, 1], 3), [3334, 3333, 3333]);
        assert_eq!(basis_points(&[2, 1], 3), [6667, 3333]);
        assert_eq!(basis_points(&[5, 5], 10), [5000, 5000]);
        assert_eq!(basis_points(&[7], 7), [10_000]);
        assert_eq!(basis_points(&[], 0), Vec::<u32>::new());
        assert_eq!(basis_points(&[3, 4], 0), [0, 0]);
        // Not the whole total (e.g. a partial list): plain floors, no top-up.
        assert_eq!(basis_points(&[1], 3), [3333]);
        let big = [i64::MAX / 4, i64::MAX / 4];
        assert_eq!(basis_points(&big, i64::MAX / 4 * 2), [5000, 5000]);
    }
}
