//! The Reports screen's data: totals, spending by category, a 12-month trend,
//! budgets against actual spending, the largest expenses and the most frequent
//! descriptions — each grouped and summed by the store, a handful of queries
//! whatever the number of transactions; of every account, or of one.

use std::collections::BTreeMap;

use super::{AuthUser, Finance};
use crate::domain::Permission;
use crate::domain::report::{REPORT_TOP, fill_months, sort_by_category, trend_range};
use crate::domain::{BudgetActual, DateRange, Report};
use crate::error::Result;
use crate::id::Id;

impl Finance {
    /// The report for `range`: every part is grouped and summed by the store
    /// (a handful of queries, independent of the number of transactions).
    /// See [`Report`] for the order of each part.
    ///
    /// With `account`, every part (totals, categories, the trend, the
    /// budgets' spending, the largest expenses, the descriptions) counts only
    /// that account's rows; another user's account — or a missing one — is
    /// `NotFound { what: "account" }`, never an empty report. Transfers are
    /// never income or expense either way.
    pub async fn report(
        &self,
        user: &AuthUser,
        range: DateRange,
        account: Option<Id>,
    ) -> Result<Report> {
        user.require(Permission::Read)?;
        let (uid, from, to) = (user.ledger(), range.from(), range.to());
        if let Some(account) = account {
            self.store.account(uid, account).await?;
        }
        let totals = self.store.summary(uid, account, from, to).await?;
        let mut by_category = self
            .store
            .spending_by_category(uid, account, from, to)
            .await?;
        sort_by_category(&mut by_category);
        let trend = trend_range(to);
        let months = self
            .store
            .monthly_totals(uid, account, trend.from(), trend.to())
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
            let spent = self
                .store
                .expense_by_category(uid, account, &cats, from, to)
                .await?;
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
            .largest_expenses(uid, account, from, to, REPORT_TOP)
            .await?;
        let frequent = self
            .store
            .frequent_descriptions(uid, account, from, to, REPORT_TOP)
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
