//! Totals commands: the summary of a range, the dashboard (with the accounts'
//! balances and net worth), the report (of every account or one), and net
//! worth month by month.
//!
//! Invariants: the dashboard's month is the local calendar month of
//! [`today`](super::today) unless the input names another (its budgets are
//! then those of that month's last day; balances and the latest rows are
//! always today's); ranges are validated before any store call.

use chrono::Utc;
use finance_core::domain::DateRange;
use tauri::State;

use super::today;
use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::ops::accounts::accounts_view;
use finance_api::ops::budgets::budget_views;
use finance_api::ops::categories::category_names;
use finance_api::ops::transactions::transaction_page;
use finance_api::types::{
    Dashboard, DashboardInput, NetWorthMonthView, NetWorthSeriesInput, ReportInput, ReportView,
    SummaryInput, SummaryView, TransactionListInput,
};

/// How many of the latest transactions the dashboard lists.
const DASHBOARD_LATEST: u32 = 8;

#[tauri::command]
pub async fn summary(state: State<'_, AppState>, input: SummaryInput) -> ApiResult<SummaryView> {
    let range = DateRange::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    let s = f.summary(&user, range).await?;
    Ok(SummaryView::new(range, &s, user.currency()))
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, input: DashboardInput) -> ApiResult<Dashboard> {
    let today = today();
    let day = input.day(today)?;
    let (f, user) = state.session(Utc::now()).await?;
    let month = DateRange::month_of(day);
    let s = f.summary(&user, month).await?;
    // Budgets as of today in this month, else at the shown month's end.
    let as_of = if month.contains(today) {
        today
    } else {
        month.to()
    };
    let budgets = budget_views(&f, &user, as_of).await?;
    let latest = TransactionListInput {
        limit: Some(DASHBOARD_LATEST),
        ..Default::default()
    };
    let latest = transaction_page(&f, &user, &latest).await?;
    let accounts = accounts_view(&f, &user).await?;
    Ok(Dashboard {
        month: SummaryView::new(month, &s, user.currency()),
        accounts,
        budgets,
        latest: latest.items,
    })
}

#[tauri::command]
pub async fn report(state: State<'_, AppState>, input: ReportInput) -> ApiResult<ReportView> {
    let range = DateRange::try_from(&input)?;
    let account = input.account()?;
    let (f, user) = state.session(Utc::now()).await?;
    let r = f.report(&user, range, account).await?;
    let names = category_names(&f, &user).await?;
    Ok(ReportView::new(&r, &names, user.currency()))
}

#[tauri::command]
pub async fn net_worth_series(
    state: State<'_, AppState>,
    input: NetWorthSeriesInput,
) -> ApiResult<Vec<NetWorthMonthView>> {
    let (from, to) = input.dates()?;
    let (f, user) = state.session(Utc::now()).await?;
    let series = f.net_worth_series(&user, from, to).await?;
    Ok(series
        .iter()
        .map(|m| NetWorthMonthView::new(m, user.currency()))
        .collect())
}
