//! Totals: the summary of a range, the dashboard (with the accounts'
//! balances and net worth), the report (of every account or one), and net
//! worth month by month.
//!
//! Invariants: the dashboard's month is the calendar month of `cx.today`
//! unless the input names another (its budgets are then those of that
//! month's last day; balances and the latest rows are always today's);
//! ranges are validated before any store call.

use finance_core::domain::DateRange;

use super::Cx;
use super::accounts::accounts_view;
use super::budgets::budget_views;
use super::categories::category_names;
use super::transactions::transaction_page;
use crate::error::ApiResult;
use crate::types::{
    Dashboard, DashboardInput, NetWorthMonthView, NetWorthSeriesInput, ReportInput, ReportView,
    SummaryInput, SummaryView, TransactionListInput,
};

/// How many of the latest transactions the dashboard lists.
const DASHBOARD_LATEST: u32 = 8;

pub async fn summary(cx: &Cx, input: SummaryInput) -> ApiResult<SummaryView> {
    let range = DateRange::try_from(&input)?;
    let s = cx.finance.summary(&cx.user, range).await?;
    Ok(SummaryView::new(range, &s, cx.user.currency()))
}

pub async fn dashboard(cx: &Cx, input: DashboardInput) -> ApiResult<Dashboard> {
    let (f, user, today) = (&cx.finance, &cx.user, cx.today);
    let day = input.day(today)?;
    let month = DateRange::month_of(day);
    let s = f.summary(user, month).await?;
    // Budgets as of today in this month, else at the shown month's end.
    let as_of = if month.contains(today) {
        today
    } else {
        month.to()
    };
    let budgets = budget_views(f, user, as_of).await?;
    let latest = TransactionListInput {
        limit: Some(DASHBOARD_LATEST),
        ..Default::default()
    };
    let latest = transaction_page(f, user, &latest).await?;
    let accounts = accounts_view(f, user).await?;
    Ok(Dashboard {
        month: SummaryView::new(month, &s, user.currency()),
        accounts,
        budgets,
        latest: latest.items,
    })
}

pub async fn report(cx: &Cx, input: ReportInput) -> ApiResult<ReportView> {
    let range = DateRange::try_from(&input)?;
    let account = input.account()?;
    let r = cx.finance.report(&cx.user, range, account).await?;
    let names = category_names(&cx.finance, &cx.user).await?;
    Ok(ReportView::new(&r, &names, cx.user.currency()))
}

pub async fn net_worth_series(
    cx: &Cx,
    input: NetWorthSeriesInput,
) -> ApiResult<Vec<NetWorthMonthView>> {
    let (from, to) = input.dates()?;
    let series = cx.finance.net_worth_series(&cx.user, from, to).await?;
    Ok(series
        .iter()
        .map(|m| NetWorthMonthView::new(m, cx.user.currency()))
        .collect())
}
