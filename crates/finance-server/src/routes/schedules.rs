//! Schedules (recurring transactions): `GET/POST /schedules`,
//! `PUT/DELETE /schedules/{id}`, `PUT /schedules/{id}/paused`,
//! `POST /schedules/{id}/post-now` and `/skip` (one occurrence, its date in
//! the body), `POST /schedules/post-due`, `GET /schedules/upcoming`,
//! `GET /transactions/{id}/schedule-draft` ("Repeat this…") and
//! `GET /accounts/{id}/forecast`.
//!
//! "Due", Upcoming and the forecast are reckoned from the server's date
//! (`Cx::today`): a client in another time zone posts what is due by the
//! server's calendar.

use axum::Json;
use axum::http::StatusCode;
use finance_api::ops::schedules;
use finance_api::types::{
    ForecastDayView, ForecastInput, IdInput, OccurrenceInput, OccurrenceView, PauseScheduleInput,
    PostDueView, ScheduleFields, ScheduleView, UpcomingInput, UpdateScheduleInput,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller, Params, PathId};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_schedules, add_schedule))
        .routes(routes!(update_schedule, delete_schedule))
        .routes(routes!(set_schedule_paused))
        .routes(routes!(post_occurrence_now))
        .routes(routes!(skip_occurrence))
        .routes(routes!(post_due_schedules))
        .routes(routes!(upcoming_schedules))
        .routes(routes!(schedule_from_transaction))
        .routes(routes!(account_forecast))
}

/// Paused or not.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PausedBody {
    pub paused: bool,
}

/// Which occurrence (the schedule's next one only).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OccurrenceBody {
    /// The occurrence's date (`YYYY-MM-DD`).
    pub date: String,
}

/// How many days ahead.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DaysQuery {
    /// 1–366 (Upcoming: 30 when absent; the forecast: 90).
    pub days: Option<u32>,
}

/// The user's schedules.
#[utoipa::path(get, path = "/schedules", tag = "schedules", security(("bearer" = [])),
    responses((status = 200, description = "Every schedule", body = Vec<ScheduleView>)))]
pub async fn list_schedules(c: Caller) -> HttpResult<Json<Vec<ScheduleView>>> {
    Ok(Json(schedules::list_schedules(&c.cx, ()).await?))
}

/// Add a schedule.
#[utoipa::path(post, path = "/schedules", tag = "schedules", security(("bearer" = [])),
    request_body = ScheduleFields,
    responses((status = 201, description = "The new schedule", body = ScheduleView)))]
pub async fn add_schedule(
    c: Caller,
    Body(input): Body<ScheduleFields>,
) -> HttpResult<(StatusCode, Json<ScheduleView>)> {
    let view = schedules::add_schedule(&c.cx, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Replace a schedule's fields.
#[utoipa::path(put, path = "/schedules/{id}", tag = "schedules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The schedule's id")),
    request_body = ScheduleFields,
    responses((status = 200, description = "The schedule", body = ScheduleView)))]
pub async fn update_schedule(
    c: Caller,
    PathId(id): PathId<String>,
    Body(fields): Body<ScheduleFields>,
) -> HttpResult<Json<ScheduleView>> {
    let input = UpdateScheduleInput { id, fields };
    Ok(Json(schedules::update_schedule(&c.cx, input).await?))
}

/// Pause or resume a schedule.
#[utoipa::path(put, path = "/schedules/{id}/paused", tag = "schedules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The schedule's id")),
    request_body = PausedBody,
    responses((status = 200, description = "The schedule", body = ScheduleView)))]
pub async fn set_schedule_paused(
    c: Caller,
    PathId(id): PathId<String>,
    Body(body): Body<PausedBody>,
) -> HttpResult<Json<ScheduleView>> {
    let input = PauseScheduleInput {
        id,
        paused: body.paused,
    };
    Ok(Json(schedules::set_schedule_paused(&c.cx, input).await?))
}

/// Delete a schedule (the transactions it posted stay).
#[utoipa::path(delete, path = "/schedules/{id}", tag = "schedules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The schedule's id")),
    responses((status = 204, description = "Deleted")))]
pub async fn delete_schedule(c: Caller, PathId(id): PathId<String>) -> HttpResult<StatusCode> {
    schedules::delete_schedule(&c.cx, IdInput { id }).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Post the schedule's next occurrence now (Upcoming's "Post now").
#[utoipa::path(post, path = "/schedules/{id}/post-now", tag = "schedules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The schedule's id")),
    request_body = OccurrenceBody,
    responses((status = 200, description = "The schedule after posting", body = ScheduleView)))]
pub async fn post_occurrence_now(
    c: Caller,
    PathId(schedule_id): PathId<String>,
    Body(body): Body<OccurrenceBody>,
) -> HttpResult<Json<ScheduleView>> {
    let input = OccurrenceInput {
        schedule_id,
        date: body.date,
    };
    Ok(Json(schedules::post_occurrence_now(&c.cx, input).await?))
}

/// Skip the schedule's next occurrence.
#[utoipa::path(post, path = "/schedules/{id}/skip", tag = "schedules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The schedule's id")),
    request_body = OccurrenceBody,
    responses((status = 200, description = "The schedule after skipping", body = ScheduleView)))]
pub async fn skip_occurrence(
    c: Caller,
    PathId(schedule_id): PathId<String>,
    Body(body): Body<OccurrenceBody>,
) -> HttpResult<Json<ScheduleView>> {
    let input = OccurrenceInput {
        schedule_id,
        date: body.date,
    };
    Ok(Json(schedules::skip_occurrence(&c.cx, input).await?))
}

/// Post every occurrence due by today (the server's date); answers what was posted and the reminders.
#[utoipa::path(post, path = "/schedules/post-due", tag = "schedules", security(("bearer" = [])),
    responses((status = 200, description = "What was posted, and the reminders due", body = PostDueView)))]
pub async fn post_due_schedules(c: Caller) -> HttpResult<Json<PostDueView>> {
    Ok(Json(schedules::post_due_schedules(&c.cx, ()).await?))
}

/// The occurrences of the next `days` days.
#[utoipa::path(get, path = "/schedules/upcoming", tag = "schedules", security(("bearer" = [])),
    params(DaysQuery),
    responses((status = 200, description = "The occurrences ahead, by date", body = Vec<OccurrenceView>)))]
pub async fn upcoming_schedules(
    c: Caller,
    Params(q): Params<DaysQuery>,
) -> HttpResult<Json<Vec<OccurrenceView>>> {
    let input = UpcomingInput { days: q.days };
    Ok(Json(schedules::upcoming_schedules(&c.cx, input).await?))
}

/// A schedule form pre-filled from a transaction ("Repeat this…"); writes nothing.
#[utoipa::path(get, path = "/transactions/{id}/schedule-draft", tag = "schedules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The transaction's id")),
    responses((status = 200, description = "The schedule form's fields", body = ScheduleFields)))]
pub async fn schedule_from_transaction(
    c: Caller,
    PathId(id): PathId<String>,
) -> HttpResult<Json<ScheduleFields>> {
    Ok(Json(
        schedules::schedule_from_transaction(&c.cx, IdInput { id }).await?,
    ))
}

/// The account's balance day by day over the next `days` days, with the schedules' occurrences.
#[utoipa::path(get, path = "/accounts/{id}/forecast", tag = "schedules", security(("bearer" = [])),
    params(("id" = String, Path, description = "The account's id"), DaysQuery),
    responses((status = 200, description = "The balance day by day", body = Vec<ForecastDayView>)))]
pub async fn account_forecast(
    c: Caller,
    PathId(account_id): PathId<String>,
    Params(q): Params<DaysQuery>,
) -> HttpResult<Json<Vec<ForecastDayView>>> {
    let input = ForecastInput {
        account_id,
        days: q.days,
    };
    Ok(Json(schedules::account_forecast(&c.cx, input).await?))
}
