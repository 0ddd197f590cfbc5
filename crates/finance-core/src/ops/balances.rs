//! Balances over time: an account's balance on a date, its register with
//! running balances, and net worth now and month by month.
//!
//! Each operation reads the account(s) first — another user's account id is
//! `NotFound { what: "account" }` exactly like a missing one — then sums
//! from the store ([`crate::store::Balances`]: per-day sums, never every
//! row), and leaves the arithmetic to [`crate::domain::balance`] and
//! [`crate::rules`] (`opening_on`, `balance_effect`).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{AuthUser, Finance};
use crate::domain::Permission;
use crate::domain::balance::{self, MonthSpan, month_last_day, running_balances};
use crate::domain::{NetWorth, NetWorthMonth, RegisterPage, TransactionQuery};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;

impl Finance {
    /// The balance of the user's `account` at the end of `date`: its opening
    /// balance from the opening date on ([`rules::opening_on`]) plus the
    /// effect of every one of its rows dated up to `date`.
    pub async fn account_balance_on(
        &self,
        user: &AuthUser,
        account: Id,
        date: NaiveDate,
    ) -> Result<i64> {
        user.require(Permission::Read)?;
        let account = self.store.account(user.ledger(), account).await?;
        let next_day = date
            .succ_opt()
            .ok_or_else(|| Error::validation("date", "is out of range"))?;
        let base = self
            .store
            .register_base(user.ledger(), account.id, next_day, None)
            .await?;
        balance::balance_on(&account, date, base.effect_before)
    }

    /// A page of one account's register (`query.filter.account`, required:
    /// `Validation { field: "accountId" }`; another user's is `NotFound`):
    /// the page as [`Finance::transactions`] lists it, with each row's
    /// running balance when the filter is the account alone (dates allowed)
    /// and the sort is by date (see [`RegisterPage::balances`]).
    ///
    /// The balances start from the store's sums up to the page's first row
    /// (days before its day from the per-day sums, plus that day's rows
    /// before it) and walk the page, so page 200 costs what page 1 does.
    pub async fn account_register(
        &self,
        user: &AuthUser,
        query: &TransactionQuery,
    ) -> Result<RegisterPage> {
        user.require(Permission::Read)?;
        let Some(account_id) = query.filter.account else {
            return Err(Error::validation("accountId", "choose an account"));
        };
        let account = self.store.account(user.ledger(), account_id).await?;
        let page = self.page(user, query).await?;
        let walkable = query.filter.register_account().is_some() && query.sort.by_date();
        let balances = match page.items.first() {
            Some(first) if walkable => {
                let base = self
                    .store
                    .register_base(user.ledger(), account.id, first.date, Some(first.id))
                    .await?;
                let through_first = base.effect_before
                    + base
                        .earlier_same_day
                        .iter()
                        .chain([first])
                        .map(|t| i128::from(rules::balance_effect(t.kind, t.amount.minor())))
                        .sum::<i128>();
                Some(running_balances(
                    &account,
                    through_first,
                    &page.items,
                    query.sort.descending(),
                )?)
            }
            None if walkable => Some(Vec::new()),
            _ => None,
        };
        Ok(RegisterPage {
            items: page.items,
            next: page.next,
            balances,
        })
    }

    /// Net worth now: the sum of every account's current balance (archived
    /// ones too), assets and liabilities apart.
    pub async fn net_worth(&self, user: &AuthUser) -> Result<NetWorth> {
        user.require(Permission::Read)?;
        let balances = self.store.account_balances(user.ledger()).await?;
        rules::net_worth(&balances)
    }

    /// Net worth at the end of each month from `from`'s through `to`'s (any
    /// day of each; at most [`crate::domain::MAX_SERIES_MONTHS`] months,
    /// `Validation { field: "from" | "to" }` otherwise), oldest first: each
    /// account's balance on the month's last day, archived accounts too.
    pub async fn net_worth_series(
        &self,
        user: &AuthUser,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<NetWorthMonth>> {
        user.require(Permission::Read)?;
        let span = MonthSpan::new(from, to)?;
        let accounts = self.store.accounts(user.ledger()).await?;
        let effects = self
            .store
            .month_effects(user.ledger(), span.first_day(), span.last_day())
            .await?;
        // (account, month or None for before the span) → summed effect.
        let mut by_month: HashMap<(Id, Option<NaiveDate>), i128> = HashMap::new();
        for e in effects {
            *by_month.entry((e.account, e.month)).or_default() += e.effect;
        }
        // Running sums per account, in `accounts` order. The two reads are
        // not one snapshot: an account write landing between them (a delete
        // moving rows, say) shows fully at the next call; sums of an account
        // not in `accounts` are left out.
        let mut running: Vec<i128> = accounts
            .iter()
            .map(|a| by_month.get(&(a.id, None)).copied().unwrap_or(0))
            .collect();
        span.months()
            .map(|month| {
                let end = month_last_day(month);
                let worth =
                    NetWorth::of(accounts.iter().zip(running.iter_mut()).map(|(a, sum)| {
                        *sum += by_month.get(&(a.id, Some(month))).copied().unwrap_or(0);
                        (
                            a.kind.is_liability(),
                            i128::from(rules::opening_on(a, end)) + *sum,
                        )
                    }))?;
                Ok(NetWorthMonth { month, worth })
            })
            .collect()
    }
}
