//! Budgets: a spending limit per expense category and period, and each
//! budget's status (spent, left, over) in the period containing a date.
//! Spending is summed by the store, one query per period kind in use.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::{Budget, BudgetStatus, NewBudget, Period};
use crate::error::Result;
use crate::id::Id;
use crate::rules;

impl Finance {
    /// The user's budgets.
    pub async fn budgets(&self, user: &AuthUser) -> Result<Vec<Budget>> {
        user.require(Permission::Read)?;
        self.store.budgets(user.ledger()).await
    }

    /// Add a budget for an expense category; one per (category, period).
    pub async fn add_budget(
        &self,
        user: &AuthUser,
        new: NewBudget,
        now: DateTime<Utc>,
    ) -> Result<Budget> {
        user.require(Permission::Write)?;
        let now = millis(now);
        let budget = Budget {
            id: Id::generate(),
            user_id: user.ledger(),
            category_id: new.category_id,
            limit: new.limit,
            period: new.period,
            created_at: now,
        };
        let category = self.store.category(user.ledger(), new.category_id).await?;
        rules::check_budget_category(&category)?;
        self.store.insert_budget(&budget).await?;
        Ok(budget)
    }

    /// Change a budget's category, limit or period.
    pub async fn update_budget(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewBudget,
    ) -> Result<Budget> {
        user.require(Permission::Write)?;
        let category = self
            .store
            .category(user.ledger(), change.category_id)
            .await?;
        rules::check_budget_category(&category)?;
        self.store.update_budget(user.ledger(), id, &change).await
    }

    /// Delete a budget.
    pub async fn delete_budget(&self, user: &AuthUser, id: Id) -> Result<()> {
        user.require(Permission::Write)?;
        self.store.delete_budget(user.ledger(), id).await
    }

    /// Every budget's status in the period containing `date` (one query per period kind in use).
    pub async fn budget_statuses(
        &self,
        user: &AuthUser,
        date: NaiveDate,
    ) -> Result<Vec<BudgetStatus>> {
        user.require(Permission::Read)?;
        let budgets = self.store.budgets(user.ledger()).await?;
        let mut by_period: BTreeMap<Period, Vec<Budget>> = BTreeMap::new();
        for b in budgets {
            by_period.entry(b.period).or_default().push(b);
        }
        let mut out = Vec::new();
        for (period, budgets) in by_period {
            let range = period.range_containing(date);
            let cats: Vec<Id> = budgets.iter().map(|b| b.category_id).collect();
            let spent = self
                .store
                .expense_by_category(user.ledger(), None, &cats, range.from(), range.to())
                .await?;
            out.extend(budgets.into_iter().map(|b| {
                let s = spent.get(&b.category_id).copied().unwrap_or(0);
                BudgetStatus::new(b, range, s)
            }));
        }
        out.sort_by(|a, b| {
            (a.budget.created_at, a.budget.id).cmp(&(b.budget.created_at, b.budget.id))
        });
        Ok(out)
    }

    /// One budget's status in the period containing `date`.
    pub async fn budget_status(
        &self,
        user: &AuthUser,
        id: Id,
        date: NaiveDate,
    ) -> Result<BudgetStatus> {
        user.require(Permission::Read)?;
        let b = self.store.budget(user.ledger(), id).await?;
        let range = b.period.range_containing(date);
        let spent = self
            .store
            .expense_by_category(
                user.ledger(),
                None,
                &[b.category_id],
                range.from(),
                range.to(),
            )
            .await?;
        let s = spent.get(&b.category_id).copied().unwrap_or(0);
        Ok(BudgetStatus::new(b, range, s))
    }
}
