//! Summaries, the dashboard, reports and net worth (`/reports`, `/dashboard`).

use finance_api::ApiResult;
use finance_api::types::{
    Dashboard, DashboardInput, NetWorthMonthView, NetWorthSeriesInput, ReportInput, ReportView,
    SummaryInput, SummaryView,
};
use reqwest::Method;

use crate::Session;

pub async fn summary(s: &Session, input: SummaryInput) -> ApiResult<SummaryView> {
    s.call(
        s.request(Method::GET, &["reports", "summary"])
            .query(&input),
    )
    .await
}

pub async fn dashboard(s: &Session, input: DashboardInput) -> ApiResult<Dashboard> {
    s.call(s.request(Method::GET, &["dashboard"]).query(&input))
        .await
}

pub async fn report(s: &Session, input: ReportInput) -> ApiResult<ReportView> {
    s.call(s.request(Method::GET, &["reports"]).query(&input))
        .await
}

pub async fn net_worth_series(
    s: &Session,
    input: NetWorthSeriesInput,
) -> ApiResult<Vec<NetWorthMonthView>> {
    s.call(
        s.request(Method::GET, &["reports", "net-worth"])
            .query(&input),
    )
    .await
}
