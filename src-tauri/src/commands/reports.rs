//! Totals commands (summary, dashboard, report, net worth by month): the
//! bodies are [`finance_api::ops::reports`].

use finance_api::types::{
    Dashboard, DashboardInput, NetWorthMonthView, NetWorthSeriesInput, ReportInput, ReportView,
    SummaryInput, SummaryView,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn summary(state: State<'_, AppState>, input: SummaryInput) -> ApiResult<SummaryView> {
    crate::forward!(state, reports::summary(input))
}

#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>, input: DashboardInput) -> ApiResult<Dashboard> {
    crate::forward!(state, reports::dashboard(input))
}

#[tauri::command]
pub async fn report(state: State<'_, AppState>, input: ReportInput) -> ApiResult<ReportView> {
    crate::forward!(state, reports::report(input))
}

#[tauri::command]
pub async fn net_worth_series(
    state: State<'_, AppState>,
    input: NetWorthSeriesInput,
) -> ApiResult<Vec<NetWorthMonthView>> {
    crate::forward!(state, reports::net_worth_series(input))
}
