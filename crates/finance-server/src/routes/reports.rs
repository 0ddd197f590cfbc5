//! Reports (read only, query parameters): `GET /dashboard`,
//! `GET /reports/summary`, `GET /reports`, `GET /reports/net-worth`.

use axum::Json;
use finance_api::ops::reports;
use finance_api::types::{
    Dashboard, DashboardInput, NetWorthMonthView, NetWorthSeriesInput, ReportInput, ReportView,
    SummaryInput, SummaryView,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Caller, Params};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dashboard))
        .routes(routes!(summary))
        .routes(routes!(report))
        .routes(routes!(net_worth_series))
}

/// A span of days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpanQuery {
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub to: String,
}

/// The dashboard's month.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// A day of the month shown (default: the server's today).
    pub date: Option<String>,
}

/// A report's span and account.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day (YYYY-MM-DD).
    pub from: String,
    /// Last day (YYYY-MM-DD).
    pub to: String,
    /// Only this account's rows (default: every account).
    pub account_id: Option<String>,
}

/// The month containing `date`; balances are today's.
#[utoipa::path(get, path = "/dashboard", tag = "reports", security(("bearer" = [])),
    params(DashboardQuery),
    responses((status = 200, description = "The dashboard", body = Dashboard)))]
pub async fn dashboard(
    c: Caller,
    Params(q): Params<DashboardQuery>,
) -> HttpResult<Json<Dashboard>> {
    Ok(Json(
        reports::dashboard(&c.cx, DashboardInput { date: q.date }).await?,
    ))
}

/// Income, expense and net over a span.
#[utoipa::path(get, path = "/reports/summary", tag = "reports", security(("bearer" = [])),
    params(SpanQuery),
    responses((status = 200, description = "The summary", body = SummaryView)))]
pub async fn summary(c: Caller, Params(q): Params<SpanQuery>) -> HttpResult<Json<SummaryView>> {
    let input = SummaryInput {
        from: q.from,
        to: q.to,
    };
    Ok(Json(reports::summary(&c.cx, input).await?))
}

/// The report over a span (with `accountId`, every part counts only that account's rows).
#[utoipa::path(get, path = "/reports", tag = "reports", security(("bearer" = [])),
    params(ReportQuery),
    responses((status = 200, description = "The report", body = ReportView)))]
pub async fn report(c: Caller, Params(q): Params<ReportQuery>) -> HttpResult<Json<ReportView>> {
    let input = ReportInput {
        from: q.from,
        to: q.to,
        account_id: q.account_id,
    };
    Ok(Json(reports::report(&c.cx, input).await?))
}

/// Net worth at the end of each month of the span, oldest first.
#[utoipa::path(get, path = "/reports/net-worth", tag = "reports", security(("bearer" = [])),
    params(SpanQuery),
    responses((status = 200, description = "Net worth by month", body = Vec<NetWorthMonthView>)))]
pub async fn net_worth_series(
    c: Caller,
    Params(q): Params<SpanQuery>,
) -> HttpResult<Json<Vec<NetWorthMonthView>>> {
    let input = NetWorthSeriesInput {
        from: q.from,
        to: q.to,
    };
    Ok(Json(reports::net_worth_series(&c.cx, input).await?))
}
