//! The Reports screen's data: totals, spending by category, a 12-month trend,
//! budgets against actual spending, the largest expenses and the most frequent
//! descriptions — each grouped and summed by the store, a handful of queries
//! whatever the number of transactions.

use std::collections::BTreeMap;

use super::{AuthUser, Finance};
use crate::domain::report::{REPORT_TOP, fill_months, sort_by_category, trend_range};
use crate::domain::{BudgetActual, DateRange, Report};
use crate::error::Result;
use crate::id::Id;

impl Finance {
    /// The report for `range`: every part is grouped and summed by the store
    /// (a handful of queries, independent of the number of transactions).
    /// See [`Report`] for the order of each part.
    pub async fn report(&self, user: &AuthUser, range: DateRange) -> Result<Report> {
        let (uid, from, to) = (user.user_id, range.from(), range.to());
        let totals = self.store.summary(uid, from, to).await?;
        let mut by_category = self.store.spending_by_category(uid, from, to).await?;
        sort_by_category(&mut by_category);
        let trend = trend_range(to);
        let months = self
            .store
            .monthly_totals(uid, trend.from(), trend.to())
            .await?;
        let budgets = self.store.budgets(uid).await?;
        let budgets = if budgets.is_empty() {
            Vec::new()
        } else {
            let names: BTreeMap<Id, String> = self
                .store
                .categories(uid)
                .await?
                .into_iter()
                .map(|c| (c.id, c.name))
                .collect();
            let mut cats: Vec<Id> = budgets.iter().map(|b| b.category_id).collect();
            cats.sort_unstable();
            cats.dedup();
            let spent = self.store.expense_by_category(uid, &cats, from, to).await?;
            let mut out: Vec<BudgetActual> = budgets
                .into_iter()
                .map(|b| {
                    let name = names.get(&b.category_id).cloned().unwrap_or_default();
                    let s = spent.get(&b.category_id).copied().unwrap_or(0);
                    BudgetActual::new(b, name, range, s)
                })
                .collect();
            out.sort_by(|a, b| {
                (a.budget.created_at, a.budget.id).cmp(&(b.budget.created_at, b.budget.id))
            });
            out
        };
        let largest = self
            .store
            .largest_expenses(uid, from, to, REPORT_TOP)
            .await?;
        let frequent = self
            .store
            .frequent_descriptions(uid, from, to, REPORT_TOP)
            .await?;
        Ok(Report {
            range,
            total_expense: totals.expense,
            total_income: totals.income,
            by_category,
            monthly: fill_months(to, &months),
            budgets,
            largest,
            frequent,
        })
    }
}
