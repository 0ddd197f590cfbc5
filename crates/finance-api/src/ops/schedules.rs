//! Schedules (recurring transactions): the list, the form's writes, posting
//! what is due, Upcoming with Post now / Skip, "Repeat this…" and an
//! account's forecast.
//!
//! Invariants: "due", Upcoming and the forecast are reckoned from `cx.today`
//! (the desktop's local date: its UI posts what is due after sign-in and again
//! when the local date rolls over, `ui/src/lib/schedules.ts`); amounts are
//! validated in the caller's currency.

use finance_core::Id;
use finance_core::domain::ScheduleDraft;
use finance_core::domain::date::parse_date;

use super::Cx;
use crate::error::ApiResult;
use crate::types::{
    ForecastDayView, ForecastInput, IdInput, OccurrenceInput, OccurrenceView, PauseScheduleInput,
    PostDueView, ScheduleFields, ScheduleView, UpcomingInput, UpdateScheduleInput,
};

/// Upcoming's default window, in days.
const UPCOMING_DAYS: u32 = 30;
/// The forecast's default window, in days.
const FORECAST_DAYS: u32 = 90;

pub async fn list_schedules(cx: &Cx, _: ()) -> ApiResult<Vec<ScheduleView>> {
    let list = cx.finance.schedules(&cx.user).await?;
    Ok(list
        .iter()
        .map(|s| ScheduleView::new(s, cx.user.currency()))
        .collect())
}

pub async fn add_schedule(cx: &Cx, input: ScheduleFields) -> ApiResult<ScheduleView> {
    let new = ScheduleDraft::from(input).validate(cx.user.currency())?;
    let s = cx.finance.add_schedule(&cx.user, new, cx.now).await?;
    Ok(ScheduleView::new(&s, cx.user.currency()))
}

pub async fn update_schedule(cx: &Cx, input: UpdateScheduleInput) -> ApiResult<ScheduleView> {
    let id = Id::parse("id", &input.id)?;
    let change = ScheduleDraft::from(input.fields).validate(cx.user.currency())?;
    let s = cx
        .finance
        .edit_schedule(&cx.user, id, change, cx.now)
        .await?;
    Ok(ScheduleView::new(&s, cx.user.currency()))
}

pub async fn set_schedule_paused(cx: &Cx, input: PauseScheduleInput) -> ApiResult<ScheduleView> {
    let id = Id::parse("id", &input.id)?;
    let s = cx
        .finance
        .set_schedule_paused(&cx.user, id, input.paused, cx.now)
        .await?;
    Ok(ScheduleView::new(&s, cx.user.currency()))
}

pub async fn delete_schedule(cx: &Cx, input: IdInput) -> ApiResult<()> {
    let id = Id::try_from(&input)?;
    cx.finance.delete_schedule(&cx.user, id).await?;
    Ok(())
}

pub async fn post_due_schedules(cx: &Cx, _: ()) -> ApiResult<PostDueView> {
    let summary = cx.finance.post_due(&cx.user, cx.today, cx.now).await?;
    Ok(PostDueView::new(&summary, cx.user.currency()))
}

pub async fn upcoming_schedules(cx: &Cx, input: UpcomingInput) -> ApiResult<Vec<OccurrenceView>> {
    let list = cx
        .finance
        .upcoming(&cx.user, cx.today, input.days.unwrap_or(UPCOMING_DAYS))
        .await?;
    Ok(list
        .iter()
        .map(|o| OccurrenceView::new(o, cx.user.currency()))
        .collect())
}

pub async fn post_occurrence_now(cx: &Cx, input: OccurrenceInput) -> ApiResult<ScheduleView> {
    let id = Id::parse("scheduleId", &input.schedule_id)?;
    let date = parse_date("date", &input.date)?;
    let s = cx
        .finance
        .post_occurrence_now(&cx.user, id, date, cx.now)
        .await?;
    Ok(ScheduleView::new(&s, cx.user.currency()))
}

pub async fn skip_occurrence(cx: &Cx, input: OccurrenceInput) -> ApiResult<ScheduleView> {
    let id = Id::parse("scheduleId", &input.schedule_id)?;
    let date = parse_date("date", &input.date)?;
    let s = cx.finance.skip_occurrence(&cx.user, id, date).await?;
    Ok(ScheduleView::new(&s, cx.user.currency()))
}

pub async fn schedule_from_transaction(cx: &Cx, input: IdInput) -> ApiResult<ScheduleFields> {
    let id = Id::try_from(&input)?;
    Ok(cx
        .finance
        .schedule_from_transaction(&cx.user, id)
        .await?
        .into())
}

pub async fn account_forecast(cx: &Cx, input: ForecastInput) -> ApiResult<Vec<ForecastDayView>> {
    let account = Id::parse("accountId", &input.account_id)?;
    let days = cx
        .finance
        .forecast(
            &cx.user,
            account,
            cx.today,
            input.days.unwrap_or(FORECAST_DAYS),
        )
        .await?;
    Ok(days
        .iter()
        .map(|d| ForecastDayView::new(d, cx.user.currency()))
        .collect())
}
