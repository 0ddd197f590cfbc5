//! IPC types of schedules (recurring transactions): the schedule form (also
//! what "Repeat this…" pre-fills), a schedule as listed with its next date,
//! an occurrence (Upcoming, reminders), the start-up posting summary and an
//! account's forecast.
//!
//! Invariants: amounts and balances are exact decimal strings in the user's
//! currency; dates `YYYY-MM-DD`; the form's fields are the core's
//! [`ScheduleDraft`] one for one (validated there, naming the field).

use finance_core::Currency;
use finance_core::domain::recurrence::{Frequency, ScheduleEnd};
use finance_core::domain::schedule::{frequency_name, month_day_name, weekday_name};
use finance_core::domain::{
    ForecastDay, Occurrence, PostDueSummary, Schedule, ScheduleAction, ScheduleDraft,
};
use finance_core::money::format_minor;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The schedule form's fields, as typed (and as "Repeat this…" fills them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScheduleFields {
    pub account_id: String,
    /// Income or expense: the category. Null for a transfer.
    #[serde(default)]
    pub category_id: Option<String>,
    /// A transfer: the account the money goes to. Null otherwise.
    #[serde(default)]
    pub to_account_id: Option<String>,
    pub amount: String,
    pub description: String,
    #[serde(default)]
    pub note: Option<String>,
    /// `daily`, `weekly`, `monthly` or `yearly`.
    pub frequency: String,
    /// Every N days/weeks/months/years (1 when null).
    #[serde(default)]
    pub interval: Option<u32>,
    /// Weekly: `mon` … `sun` (null: the start date's weekday).
    #[serde(default)]
    pub weekday: Option<String>,
    /// Monthly: `1` … `31` or `last` (null: the start date's day).
    #[serde(default)]
    pub month_day: Option<String>,
    pub start_date: String,
    #[serde(default)]
    pub end_date: Option<String>,
    /// How many times in all (not with `endDate`).
    #[serde(default)]
    pub count: Option<u32>,
    /// `post` (automatically when due) or `remind`.
    pub mode: String,
}

impl From<ScheduleFields> for ScheduleDraft {
    fn from(f: ScheduleFields) -> ScheduleDraft {
        ScheduleDraft {
            account_id: f.account_id,
            category_id: f.category_id,
            to_account_id: f.to_account_id,
            amount: f.amount,
            description: f.description,
            note: f.note,
            frequency: f.frequency,
            interval: f.interval,
            weekday: f.weekday,
            month_day: f.month_day,
            start_date: f.start_date,
            end_date: f.end_date,
            count: f.count,
            mode: f.mode,
        }
    }
}

impl From<ScheduleDraft> for ScheduleFields {
    fn from(d: ScheduleDraft) -> ScheduleFields {
        ScheduleFields {
            account_id: d.account_id,
            category_id: d.category_id,
            to_account_id: d.to_account_id,
            amount: d.amount,
            description: d.description,
            note: d.note,
            frequency: d.frequency,
            interval: d.interval,
            weekday: d.weekday,
            month_day: d.month_day,
            start_date: d.start_date,
            end_date: d.end_date,
            count: d.count,
            mode: d.mode,
        }
    }
}

impl ScheduleFields {
    /// A stored schedule's fields, as the form shows them.
    pub fn of(s: &Schedule, currency: Currency) -> ScheduleFields {
        let r = &s.recurrence;
        let (category_id, to_account_id) = match s.action {
            ScheduleAction::Entry { category_id, .. } => (Some(category_id.to_hex()), None),
            ScheduleAction::Transfer { to_account, .. } => (None, Some(to_account.to_hex())),
        };
        let (end_date, count) = match r.end {
            ScheduleEnd::Never => (None, None),
            ScheduleEnd::OnDate(d) => (Some(d.to_string()), None),
            ScheduleEnd::After(n) => (None, Some(n)),
        };
        ScheduleFields {
            account_id: s.account_id.to_hex(),
            category_id,
            to_account_id,
            amount: format_minor(s.action.amount_minor(), currency),
            description: s.description.clone(),
            note: s.note.clone(),
            frequency: frequency_name(r.frequency).to_string(),
            interval: Some(r.interval),
            weekday: match r.frequency {
                Frequency::Weekly { weekday } => Some(weekday_name(weekday).to_string()),
                _ => None,
            },
            month_day: match r.frequency {
                Frequency::Monthly { day } => Some(month_day_name(day)),
                _ => None,
            },
            start_date: r.start.to_string(),
            end_date,
            count,
            mode: s.mode.as_str().to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateScheduleInput {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: ScheduleFields,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PauseScheduleInput {
    pub id: String,
    pub paused: bool,
}

/// One occurrence of a schedule: Post now or Skip (the schedule's next one only).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OccurrenceInput {
    pub schedule_id: String,
    pub date: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpcomingInput {
    /// How many days ahead (30 when null; 1–366).
    #[serde(default)]
    pub days: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ForecastInput {
    pub account_id: String,
    /// How many days ahead (90 when null; 1–366).
    #[serde(default)]
    pub days: Option<u32>,
}

/// A schedule as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ScheduleView {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: ScheduleFields,
    pub paused: bool,
    /// The next occurrence not yet posted or skipped; null when it has ended.
    pub next_date: Option<String>,
    /// The last occurrence posted or skipped.
    pub handled_through: Option<String>,
}

impl ScheduleView {
    pub fn new(s: &Schedule, currency: Currency) -> ScheduleView {
        ScheduleView {
            id: s.id.to_hex(),
            fields: ScheduleFields::of(s, currency),
            paused: s.paused,
            next_date: s.next_due().map(|d| d.to_string()),
            handled_through: s.handled_through.map(|d| d.to_string()),
        }
    }
}

/// One occurrence, due or upcoming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OccurrenceView {
    pub schedule: ScheduleView,
    pub date: String,
    /// Whether it is the schedule's next one (only that one can be posted or skipped).
    pub next: bool,
}

impl OccurrenceView {
    pub fn new(o: &Occurrence, currency: Currency) -> OccurrenceView {
        OccurrenceView {
            schedule: ScheduleView::new(&o.schedule, currency),
            date: o.date.to_string(),
            next: o.next,
        }
    }
}

/// What one schedule posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PostedScheduleView {
    pub schedule_id: String,
    pub description: String,
    pub posted: u32,
    /// More were due than one call posts (1,000): call again.
    pub more_due: bool,
}

/// What posting the due occurrences did (after sign-in, at midnight).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PostDueView {
    pub posted: Vec<PostedScheduleView>,
    /// Occurrences posted in all.
    pub total_posted: u32,
    /// Due occurrences of remind-mode schedules (not posted).
    pub reminders: Vec<OccurrenceView>,
}

impl PostDueView {
    pub fn new(s: &PostDueSummary, currency: Currency) -> PostDueView {
        PostDueView {
            posted: s
                .posted
                .iter()
                .map(|p| PostedScheduleView {
                    schedule_id: p.schedule_id.to_hex(),
                    description: p.description.clone(),
                    posted: p.posted,
                    more_due: p.more_due,
                })
                .collect(),
            total_posted: crate::types::count32(s.total_posted()),
            reminders: s
                .reminders
                .iter()
                .map(|o| OccurrenceView::new(o, currency))
                .collect(),
        }
    }
}

/// An account's projected balance at the end of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ForecastDayView {
    pub date: String,
    pub balance: String,
}

impl ForecastDayView {
    pub fn new(f: &ForecastDay, currency: Currency) -> ForecastDayView {
        ForecastDayView {
            date: f.date.to_string(),
            balance: format_minor(f.balance, currency),
        }
    }
}
