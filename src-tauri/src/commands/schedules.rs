//! Schedule commands (recurring transactions): the bodies are
//! [`finance_api::ops::schedules`].
//!
//! `post_due_schedules` is reckoned from the local date
//! ([`AppState::cx`](crate::state::AppState::cx) reads it): the UI calls it
//! after sign-in and again when the local date rolls over while the app runs
//! (a timer set for the next midnight, `ui/src/lib/schedules.ts`).

use finance_api::types::{
    ForecastDayView, ForecastInput, IdInput, OccurrenceInput, OccurrenceView, PauseScheduleInput,
    PostDueView, ScheduleFields, ScheduleView, UpcomingInput, UpdateScheduleInput,
};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_schedules(state: State<'_, AppState>) -> ApiResult<Vec<ScheduleView>> {
    crate::forward!(state, schedules::list_schedules(()))
}

#[tauri::command]
pub async fn add_schedule(
    state: State<'_, AppState>,
    input: ScheduleFields,
) -> ApiResult<ScheduleView> {
    crate::forward!(state, schedules::add_schedule(input))
}

#[tauri::command]
pub async fn update_schedule(
    state: State<'_, AppState>,
    input: UpdateScheduleInput,
) -> ApiResult<ScheduleView> {
    crate::forward!(state, schedules::update_schedule(input))
}

#[tauri::command]
pub async fn set_schedule_paused(
    state: State<'_, AppState>,
    input: PauseScheduleInput,
) -> ApiResult<ScheduleView> {
    crate::forward!(state, schedules::set_schedule_paused(input))
}

#[tauri::command]
pub async fn delete_schedule(state: State<'_, AppState>, input: IdInput) -> ApiResult<()> {
    crate::forward!(state, schedules::delete_schedule(input))
}

#[tauri::command]
pub async fn post_due_schedules(state: State<'_, AppState>) -> ApiResult<PostDueView> {
    crate::forward!(state, schedules::post_due_schedules(()))
}

#[tauri::command]
pub async fn upcoming_schedules(
    state: State<'_, AppState>,
    input: UpcomingInput,
) -> ApiResult<Vec<OccurrenceView>> {
    crate::forward!(state, schedules::upcoming_schedules(input))
}

#[tauri::command]
pub async fn post_occurrence_now(
    state: State<'_, AppState>,
    input: OccurrenceInput,
) -> ApiResult<ScheduleView> {
    crate::forward!(state, schedules::post_occurrence_now(input))
}

#[tauri::command]
pub async fn skip_occurrence(
    state: State<'_, AppState>,
    input: OccurrenceInput,
) -> ApiResult<ScheduleView> {
    crate::forward!(state, schedules::skip_occurrence(input))
}

#[tauri::command]
pub async fn schedule_from_transaction(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<ScheduleFields> {
    crate::forward!(state, schedules::schedule_from_transaction(input))
}

#[tauri::command]
pub async fn account_forecast(
    state: State<'_, AppState>,
    input: ForecastInput,
) -> ApiResult<Vec<ForecastDayView>> {
    crate::forward!(state, schedules::account_forecast(input))
}
