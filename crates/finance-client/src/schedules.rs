//! Recurring transactions (`/schedules`): what is due, Upcoming, the forecast.

use finance_api::ApiResult;
use finance_api::types::{
    ForecastDayView, ForecastInput, IdInput, OccurrenceInput, OccurrenceView, PauseScheduleInput,
    PostDueView, ScheduleFields, ScheduleView, UpcomingInput, UpdateScheduleInput,
};
use reqwest::Method;
use serde_json::json;

use crate::Session;

pub async fn list_schedules(s: &Session, _: ()) -> ApiResult<Vec<ScheduleView>> {
    s.call(s.request(Method::GET, &["schedules"])).await
}

pub async fn add_schedule(s: &Session, input: ScheduleFields) -> ApiResult<ScheduleView> {
    s.call(s.request(Method::POST, &["schedules"]).json(&input))
        .await
}

pub async fn update_schedule(s: &Session, input: UpdateScheduleInput) -> ApiResult<ScheduleView> {
    let req = s
        .request(Method::PUT, &["schedules", &input.id])
        .json(&input.fields);
    s.call(req).await
}

pub async fn set_schedule_paused(
    s: &Session,
    input: PauseScheduleInput,
) -> ApiResult<ScheduleView> {
    let req = s
        .request(Method::PUT, &["schedules", &input.id, "paused"])
        .json(&json!({ "paused": input.paused }));
    s.call(req).await
}

pub async fn delete_schedule(s: &Session, input: IdInput) -> ApiResult<()> {
    s.call_empty(s.request(Method::DELETE, &["schedules", &input.id]))
        .await
}

/// Post what fell due up to the server's today.
pub async fn post_due_schedules(s: &Session, _: ()) -> ApiResult<PostDueView> {
    s.call(s.request(Method::POST, &["schedules", "post-due"]))
        .await
}

pub async fn upcoming_schedules(
    s: &Session,
    input: UpcomingInput,
) -> ApiResult<Vec<OccurrenceView>> {
    s.call(
        s.request(Method::GET, &["schedules", "upcoming"])
            .query(&input),
    )
    .await
}

pub async fn post_occurrence_now(s: &Session, input: OccurrenceInput) -> ApiResult<ScheduleView> {
    let req = s
        .request(Method::POST, &["schedules", &input.schedule_id, "post-now"])
        .json(&json!({ "date": input.date }));
    s.call(req).await
}

pub async fn skip_occurrence(s: &Session, input: OccurrenceInput) -> ApiResult<ScheduleView> {
    let req = s
        .request(Method::POST, &["schedules", &input.schedule_id, "skip"])
        .json(&json!({ "date": input.date }));
    s.call(req).await
}

pub async fn schedule_from_transaction(s: &Session, input: IdInput) -> ApiResult<ScheduleFields> {
    s.call(s.request(Method::GET, &["transactions", &input.id, "schedule-draft"]))
        .await
}

pub async fn account_forecast(
    s: &Session,
    input: ForecastInput,
) -> ApiResult<Vec<ForecastDayView>> {
    let mut req = s.request(Method::GET, &["accounts", &input.account_id, "forecast"]);
    if let Some(days) = input.days {
        req = req.query(&[("days", days)]);
    }
    s.call(req).await
}
