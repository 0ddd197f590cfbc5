//! Schedule commands (recurring transactions): the bodies are
//! [`finance_api::ops::schedules`].
//!
//! `post_due_schedules` is reckoned from the local date
//! ([`AppState::cx`](crate::state::AppState::cx) reads it): the UI calls it
//! after sign-in and again when the local date rolls over while the app runs
//! (a timer set for the next midnight, `ui/src/lib/schedules.ts`).

use finance_api::ops::schedules;
use finance_api::types::{
    ForecastDayView, ForecastInput, IdInput, OccurrenceInput, OccurrenceView, PauseScheduleInput,
    PostDueView, ScheduleFields, ScheduleView, UpcomingInput, UpdateScheduleInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_schedules(state: State<'_, AppState>) -> ApiResult<Vec<ScheduleView>> {
    schedules::list_schedules(&state.cx().await?, ()).await
}

#[tauri::command]
pub async fn add_schedule(
    state: State<'_, AppState>,
    input: ScheduleFields,
) -> ApiResult<ScheduleView> {
    schedules::add_schedule(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn update_schedule(
    state: State<'_, AppState>,
    input: UpdateScheduleInput,
) -> ApiResult<ScheduleView> {
    schedules::update_schedule(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn set_schedule_paused(
    state: State<'_, AppState>,
    input: PauseScheduleInput,
) -> ApiResult<ScheduleView> {
    schedules::set_schedule_paused(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn delete_schedule(state: State<'_, AppState>, input: IdInput) -> ApiResult<()> {
    schedules::delete_schedule(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn post_due_schedules(state: State<'_, AppState>) -> ApiResult<PostDueView> {
    schedules::post_due_schedules(&state.cx().await?, ()).await
}

#[tauri::command]
pub async fn upcoming_schedules(
    state: State<'_, AppState>,
    input: UpcomingInput,
) -> ApiResult<Vec<OccurrenceView>> {
    schedules::upcoming_schedules(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn post_occurrence_now(
    state: State<'_, AppState>,
    input: OccurrenceInput,
) -> ApiResult<ScheduleView> {
    schedules::post_occurrence_now(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn skip_occurrence(
    state: State<'_, AppState>,
    input: OccurrenceInput,
) -> ApiResult<ScheduleView> {
    schedules::skip_occurrence(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn schedule_from_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<ScheduleFields> {
    schedules::schedule_from_transaction(&state.cx().await?, input).await
}

#[tauri::command]
pub async fn account_forecast(
    state: State<'_, AppState>,
    input: ForecastInput,
) -> ApiResult<Vec<ForecastDayView>> {
    schedules::account_forecast(&state.cx().await?, input).await
}
