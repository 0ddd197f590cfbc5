//! Schedules (recurring transactions): the list, the form's writes, posting
//! what is due, Upcoming with Post now / Skip, "Repeat this…" and an
//! account's forecast.
//!
//! `post_due_schedules` reads the local date ([`super::today`]): the UI calls
//! it after sign-in and again when the local date rolls over while the app
//! runs (a timer set for the next midnight, `ui/src/lib/schedules.ts`).

use chrono::Utc;
use finance_core::Id;
use finance_core::domain::ScheduleDraft;
use finance_core::domain::date::parse_date;
use tauri::State;

use super::today;
use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::types::{
    ForecastDayView, ForecastInput, IdInput, OccurrenceInput, OccurrenceView, PauseScheduleInput,
    PostDueView, ScheduleFields, ScheduleView, UpcomingInput, UpdateScheduleInput,
};

/// Upcoming's default window, in days.
const UPCOMING_DAYS: u32 = 30;
/// The forecast's default window, in days.
const FORECAST_DAYS: u32 = 90;

#[tauri::command]
pub async fn list_schedules(state: State<'_, AppState>) -> ApiResult<Vec<ScheduleView>> {
    let (f, user) = state.session(Utc::now()).await?;
    let list = f.schedules(&user).await?;
    Ok(list
        .iter()
        .map(|s| ScheduleView::new(s, user.currency()))
        .collect())
}

#[tauri::command]
pub async fn add_schedule(
    state: State<'_, AppState>,
    input: ScheduleFields,
) -> ApiResult<ScheduleView> {
    let (f, user) = state.session(Utc::now()).await?;
    let new = ScheduleDraft::from(input).validate(user.currency())?;
    let s = f.add_schedule(&user, new, Utc::now()).await?;
    Ok(ScheduleView::new(&s, user.currency()))
}

#[tauri::command]
pub async fn update_schedule(
    state: State<'_, AppState>,
    input: UpdateScheduleInput,
) -> ApiResult<ScheduleView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let change = ScheduleDraft::from(input.fields).validate(user.currency())?;
    let s = f.edit_schedule(&user, id, change, Utc::now()).await?;
    Ok(ScheduleView::new(&s, user.currency()))
}

#[tauri::command]
pub async fn set_schedule_paused(
    state: State<'_, AppState>,
    input: PauseScheduleInput,
) -> ApiResult<ScheduleView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let s = f
        .set_schedule_paused(&user, id, input.paused, Utc::now())
        .await?;
    Ok(ScheduleView::new(&s, user.currency()))
}

#[tauri::command]
pub async fn delete_schedule(state: State<'_, AppState>, input: IdInput) -> ApiResult<()> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    f.delete_schedule(&user, id).await?;
    Ok(())
}

#[tauri::command]
pub async fn post_due_schedules(state: State<'_, AppState>) -> ApiResult<PostDueView> {
    let (f, user) = state.session(Utc::now()).await?;
    let summary = f.post_due(&user, today(), Utc::now()).await?;
    Ok(PostDueView::new(&summary, user.currency()))
}

#[tauri::command]
pub async fn upcoming_schedules(
    state: State<'_, AppState>,
    input: UpcomingInput,
) -> ApiResult<Vec<OccurrenceView>> {
    let (f, user) = state.session(Utc::now()).await?;
    let list = f
        .upcoming(&user, today(), input.days.unwrap_or(UPCOMING_DAYS))
        .await?;
    Ok(list
        .iter()
        .map(|o| OccurrenceView::new(o, user.currency()))
        .collect())
}

#[tauri::command]
pub async fn post_occurrence_now(
    state: State<'_, AppState>,
    input: OccurrenceInput,
) -> ApiResult<ScheduleView> {
    let id = Id::parse("scheduleId", &input.schedule_id)?;
    let date = parse_date("date", &input.date)?;
    let (f, user) = state.session(Utc::now()).await?;
    let s = f.post_occurrence_now(&user, id, date, Utc::now()).await?;
    Ok(ScheduleView::new(&s, user.currency()))
}

#[tauri::command]
pub async fn skip_occurrence(
    state: State<'_, AppState>,
    input: OccurrenceInput,
) -> ApiResult<ScheduleView> {
    let id = Id::parse("scheduleId", &input.schedule_id)?;
    let date = parse_date("date", &input.date)?;
    let (f, user) = state.session(Utc::now()).await?;
    let s = f.skip_occurrence(&user, id, date).await?;
    Ok(ScheduleView::new(&s, user.currency()))
}

#[tauri::command]
pub async fn schedule_from_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<ScheduleFields> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    Ok(f.schedule_from_transaction(&user, id).await?.into())
}

#[tauri::command]
pub async fn account_forecast(
    state: State<'_, AppState>,
    input: ForecastInput,
) -> ApiResult<Vec<ForecastDayView>> {
    let account = Id::parse("accountId", &input.account_id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let days = f
        .forecast(&user, account, today(), input.days.unwrap_or(FORECAST_DAYS))
        .await?;
    Ok(days
        .iter()
        .map(|d| ForecastDayView::new(d, user.currency()))
        .collect())
}
