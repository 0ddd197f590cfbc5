//! Schedules: recurring transactions.
//!
//! A schedule is a template — an account, a category (income or expense,
//! its kind taken from the category when posted, like any transaction) or a
//! transfer's target account, an amount, a description and a note — plus a
//! [`Recurrence`] (see [`super::recurrence`] for the date maths) and a mode:
//! post automatically when due, or only remind.
//!
//! Invariants:
//! * `handled_through` is the last occurrence already posted or skipped
//!   (`None`: none yet). The next occurrence is the recurrence's first after
//!   it, so every occurrence is handled once, in order; posting or skipping
//!   advances it in the same store transaction that writes the rows.
//! * a posted row carries its (schedule id, occurrence date), unique per
//!   user in the store: posting the same occurrence twice (two computers at
//!   once) writes it once.
//! * a paused schedule posts nothing and is not due; resuming it posts the
//!   occurrences missed meanwhile (as after a long absence).

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

use super::date::parse_date;
use super::recurrence::{Frequency, MAX_INTERVAL, MonthDay, Recurrence, ScheduleEnd};
use super::text::{Description, Note};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency, SignedAmount};

/// The most occurrences a schedule with a count may have.
pub const MAX_COUNT: u32 = 10_000;

/// What one occurrence writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleAction {
    /// An income or expense in `category_id` (negative only in an expense
    /// category: a refund, [`crate::rules::check_amount_sign`]).
    Entry {
        category_id: Id,
        amount: SignedAmount,
    },
    /// A transfer from the schedule's account to `to_account`.
    Transfer { to_account: Id, amount: Amount },
}

impl ScheduleAction {
    /// The category it references, if any.
    pub fn category(&self) -> Option<Id> {
        match self {
            ScheduleAction::Entry { category_id, .. } => Some(*category_id),
            ScheduleAction::Transfer { .. } => None,
        }
    }

    /// The transfer's target account, if any.
    pub fn to_account(&self) -> Option<Id> {
        match self {
            ScheduleAction::Transfer { to_account, .. } => Some(*to_account),
            ScheduleAction::Entry { .. } => None,
        }
    }

    /// The amount in minor units as posted on the template's row (a
    /// transfer's is positive).
    pub fn amount_minor(&self) -> i64 {
        match self {
            ScheduleAction::Entry { amount, .. } => amount.minor(),
            ScheduleAction::Transfer { amount, .. } => amount.minor(),
        }
    }
}

/// Whether a due occurrence is posted by itself or only listed as due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScheduleMode {
    #[default]
    Post,
    Remind,
}

impl ScheduleMode {
    /// The stored form (persistent).
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleMode::Post => "post",
            ScheduleMode::Remind => "remind",
        }
    }

    /// Parse the stored or typed form.
    pub fn parse(field: &str, s: &str) -> Result<ScheduleMode> {
        match s.trim() {
            "post" => Ok(ScheduleMode::Post),
            "remind" => Ok(ScheduleMode::Remind),
            _ => Err(Error::validation(field, "must be post or remind")),
        }
    }
}

/// A validated schedule to add, or to replace one's template and recurrence with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSchedule {
    pub account_id: Id,
    pub action: ScheduleAction,
    pub description: Description,
    pub note: Option<Note>,
    pub recurrence: Recurrence,
    pub mode: ScheduleMode,
}

/// A stored schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub id: Id,
    pub user_id: Id,
    pub account_id: Id,
    pub action: ScheduleAction,
    pub description: String,
    pub note: Option<String>,
    pub recurrence: Recurrence,
    pub mode: ScheduleMode,
    pub paused: bool,
    /// The last occurrence posted or skipped (see the module docs).
    pub handled_through: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Schedule {
    /// The next occurrence not yet posted or skipped (`None`: it has ended).
    pub fn next_due(&self) -> Option<NaiveDate> {
        self.recurrence.next_after(self.handled_through)
    }

    /// Its occurrences not yet handled, through `through`, at most `limit`.
    pub fn pending_through(&self, through: NaiveDate, limit: usize) -> Vec<NaiveDate> {
        let from = match self.handled_through.and_then(|d| d.succ_opt()) {
            Some(after) => after.max(self.recurrence.start),
            None => self.recurrence.start,
        };
        self.recurrence.occurrences(from, through, limit)
    }

    /// The accounts it references (its own, and a transfer's target).
    pub fn accounts(&self) -> Vec<Id> {
        let mut ids = vec![self.account_id];
        ids.extend(self.action.to_account());
        ids
    }
}

/// A schedule as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct ScheduleDraft {
    pub account_id: String,
    /// An income or expense schedule's category; blank for a transfer.
    pub category_id: Option<String>,
    /// A transfer's target account; blank for income or expense.
    pub to_account_id: Option<String>,
    pub amount: String,
    pub description: String,
    pub note: Option<String>,
    /// `daily`, `weekly`, `monthly` or `yearly`.
    pub frequency: String,
    /// Every N periods (1 when absent).
    pub interval: Option<u32>,
    /// Weekly: `mon` … `sun` (default: the start date's weekday).
    pub weekday: Option<String>,
    /// Monthly: `1` … `31` or `last` (default: the start date's day).
    pub month_day: Option<String>,
    pub start_date: String,
    pub end_date: Option<String>,
    /// How many occurrences in all (not with an end date).
    pub count: Option<u32>,
    /// `post` or `remind`.
    pub mode: String,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The stored and typed weekday names.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `mon` … `sun`.
pub fn weekday_name(w: Weekday) -> &'static str {
    WEEKDAYS[w.num_days_from_monday() as usize]
}

/// Parse `mon` … `sun`.
pub fn parse_weekday(field: &str, s: &str) -> Result<Weekday> {
    WEEKDAYS
        .iter()
        .position(|w| w.eq_ignore_ascii_case(s.trim()))
        .and_then(|i| Weekday::try_from(i as u8).ok())
        .ok_or_else(|| Error::validation(field, "must be mon, tue, wed, thu, fri, sat or sun"))
}

/// Parse `1` … `31` or `last`.
pub fn parse_month_day(field: &str, s: &str) -> Result<MonthDay> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("last") {
        return Ok(MonthDay::Last);
    }
    match s.parse::<u8>() {
        Ok(d) if (1..=31).contains(&d) => Ok(MonthDay::Day(d)),
        _ => Err(Error::validation(field, "must be a day 1 to 31, or last")),
    }
}

/// The typed form of a month day.
pub fn month_day_name(d: MonthDay) -> String {
    match d {
        MonthDay::Day(n) => n.to_string(),
        MonthDay::Last => "last".to_string(),
    }
}

/// The typed form of a frequency (without its weekday or day).
pub fn frequency_name(f: Frequency) -> &'static str {
    match f {
        Frequency::Daily => "daily",
        Frequency::Weekly { .. } => "weekly",
        Frequency::Monthly { .. } => "monthly",
        Frequency::Yearly => "yearly",
    }
}

impl ScheduleDraft {
    /// Validate in the user's currency; the first failing field is reported, in form order.
    pub fn validate(&self, currency: Currency) -> Result<NewSchedule> {
        let account_id = Id::parse("accountId", &self.account_id)?;
        let action = match (blank(&self.category_id), blank(&self.to_account_id)) {
            (Some(category), None) => ScheduleAction::Entry {
                category_id: Id::parse("categoryId", category)?,
                amount: SignedAmount::parse("amount", &self.amount, currency)?,
            },
            (None, Some(to)) => {
                let to_account = Id::parse("toAccountId", to)?;
                crate::rules::check_transfer_accounts(account_id, to_account)?;
                ScheduleAction::Transfer {
                    to_account,
                    amount: Amount::parse("amount", &self.amount, currency)?,
                }
            }
            (None, None) => {
                return Err(Error::validation(
                    "categoryId",
                    "choose a category, or an account to transfer to",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(Error::validation(
                    "toAccountId",
                    "a transfer has no category: choose one or the other",
                ));
            }
        };
        let description = Description::parse("description", &self.description)?;
        let note = Note::parse_optional("note", self.note.as_deref())?;
        let start = parse_date("startDate", &self.start_date)?;
        let interval = self.interval.unwrap_or(1);
        if !(1..=MAX_INTERVAL).contains(&interval) {
            return Err(Error::validation(
                "interval",
                format!("must be between 1 and {MAX_INTERVAL}"),
            ));
        }
        let frequency = match self.frequency.trim() {
            "daily" => Frequency::Daily,
            "weekly" => Frequency::Weekly {
                weekday: match blank(&self.weekday) {
                    Some(w) => parse_weekday("weekday", w)?,
                    None => start.weekday(),
                },
            },
            "monthly" => Frequency::Monthly {
                day: match blank(&self.month_day) {
                    Some(d) => parse_month_day("monthDay", d)?,
                    None => MonthDay::Day(start.day() as u8),
                },
            },
            "yearly" => Frequency::Yearly,
            _ => {
                return Err(Error::validation(
                    "frequency",
                    "must be daily, weekly, monthly or yearly",
                ));
            }
        };
        let end = match (blank(&self.end_date), self.count) {
            (Some(_), Some(_)) => {
                return Err(Error::validation(
                    "count",
                    "give an end date or a number of times, not both",
                ));
            }
            (Some(end), None) => {
                let end = parse_date("endDate", end)?;
                if end < start {
                    return Err(Error::validation(
                        "endDate",
                        "must not be before the start date",
                    ));
                }
                ScheduleEnd::OnDate(end)
            }
            (None, Some(count)) => {
                if !(1..=MAX_COUNT).contains(&count) {
                    return Err(Error::validation(
                        "count",
                        format!("must be between 1 and {MAX_COUNT}"),
                    ));
                }
                ScheduleEnd::After(count)
            }
            (None, None) => ScheduleEnd::Never,
        };
        Ok(NewSchedule {
            account_id,
            action,
            description,
            note,
            recurrence: Recurrence {
                frequency,
                interval,
                start,
                end,
            },
            mode: ScheduleMode::parse("mode", &self.mode)?,
        })
    }
}

/// What [`crate::Finance::post_due`] did for one schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostedSchedule {
    pub schedule_id: Id,
    pub description: String,
    /// Occurrences this call posted.
    pub posted: u32,
    /// Whether more are due than one call posts ([`crate::ops::MAX_POSTED_PER_CALL`]):
    /// the next call posts them.
    pub more_due: bool,
}

/// One occurrence, due or upcoming, of a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub schedule: Schedule,
    pub date: NaiveDate,
    /// Whether it is the schedule's next occurrence (only that one can be
    /// posted now or skipped: occurrences are handled in order).
    pub next: bool,
}

/// The summary of a [`crate::Finance::post_due`] call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostDueSummary {
    /// Schedules that posted something, with their counts.
    pub posted: Vec<PostedSchedule>,
    /// Due occurrences of remind-mode schedules (not posted), oldest first.
    pub reminders: Vec<Occurrence>,
}

impl PostDueSummary {
    /// Occurrences posted in all.
    pub fn total_posted(&self) -> u64 {
        self.posted.iter().map(|p| u64::from(p.posted)).sum()
    }
}

/// One day of an account's forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForecastDay {
    pub date: NaiveDate,
    /// The projected balance at the end of the day, in minor units.
    pub balance: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ScheduleDraft {
        ScheduleDraft {
            account_id: Id::generate().to_hex(),
            category_id: Some(Id::generate().to_hex()),
            to_account_id: None,
            amount: "850.00".into(),
            description: "Rent".into(),
            note: None,
            frequency: "monthly".into(),
            interval: None,
            weekday: None,
            month_day: None,
            start_date: "2026-01-31".into(),
            end_date: None,
            count: None,
            mode: "post".into(),
        }
    }

    #[test]
    fn a_draft_validates_with_defaults_from_the_start_date() {
        let s = draft().validate(Currency::EUR).unwrap();
        assert_eq!(
            s.recurrence.frequency,
            Frequency::Monthly {
                day: MonthDay::Day(31)
            },
            "the day defaults to the start's"
        );
        assert_eq!(s.recurrence.interval, 1);
        assert_eq!(s.action.amount_minor(), 85_000);
        let weekly = ScheduleDraft {
            frequency: "weekly".into(),
            ..draft()
        }
        .validate(Currency::EUR)
        .unwrap();
        assert_eq!(
            weekly.recurrence.frequency,
            Frequency::Weekly {
                weekday: Weekday::Sat
            },
            "2026-01-31 is a Saturday"
        );
        let transfer = ScheduleDraft {
            category_id: None,
            to_account_id: Some(Id::generate().to_hex()),
            ..draft()
        }
        .validate(Currency::EUR)
        .unwrap();
        assert!(matches!(transfer.action, ScheduleAction::Transfer { .. }));
    }

    #[test]
    fn each_bad_field_is_named() {
        let same = Id::generate().to_hex();
        let cases: Vec<(&str, ScheduleDraft)> = vec![
            (
                "accountId",
                ScheduleDraft {
                    account_id: "x".into(),
                    ..draft()
                },
            ),
            (
                "categoryId",
                ScheduleDraft {
                    category_id: None,
                    ..draft()
                },
            ),
            (
                "toAccountId",
                ScheduleDraft {
                    to_account_id: Some(Id::generate().to_hex()),
                    ..draft()
                },
            ),
            (
                "toAccountId",
                ScheduleDraft {
                    account_id: same.clone(),
                    category_id: None,
                    to_account_id: Some(same),
                    ..draft()
                },
            ),
            (
                "amount",
                ScheduleDraft {
                    amount: "0".into(),
                    ..draft()
                },
            ),
            (
                "amount",
                ScheduleDraft {
                    category_id: None,
                    to_account_id: Some(Id::generate().to_hex()),
                    amount: "-5".into(),
                    ..draft()
                },
            ),
            (
                "description",
                ScheduleDraft {
                    description: " ".into(),
                    ..draft()
                },
            ),
            (
                "startDate",
                ScheduleDraft {
                    start_date: "2026-02-30".into(),
                    ..draft()
                },
            ),
            (
                "interval",
                ScheduleDraft {
                    interval: Some(0),
                    ..draft()
                },
            ),
            (
                "interval",
                ScheduleDraft {
                    interval: Some(1000),
                    ..draft()
                },
            ),
            (
                "frequency",
                ScheduleDraft {
                    frequency: "hourly".into(),
                    ..draft()
                },
            ),
            (
                "weekday",
                ScheduleDraft {
                    frequency: "weekly".into(),
                    weekday: Some("x".into()),
                    ..draft()
                },
            ),
            (
                "monthDay",
                ScheduleDraft {
                    month_day: Some("32".into()),
                    ..draft()
                },
            ),
            (
                "endDate",
                ScheduleDraft {
                    end_date: Some("2025-12-31".into()),
                    ..draft()
                },
            ),
            (
                "count",
                ScheduleDraft {
                    end_date: Some("2027-01-01".into()),
                    count: Some(2),
                    ..draft()
                },
            ),
            (
                "count",
                ScheduleDraft {
                    count: Some(0),
                    ..draft()
                },
            ),
            (
                "mode",
                ScheduleDraft {
                    mode: "often".into(),
                    ..draft()
                },
            ),
        ];
        for (field, d) in cases {
            assert_eq!(
                d.validate(Currency::EUR).unwrap_err().field(),
                Some(field),
                "{d:?} is refused on {field}"
            );
        }
    }

    #[test]
    fn pending_occurrences_start_after_the_last_handled_one() {
        let new = draft().validate(Currency::EUR).unwrap();
        let now = DateTime::from_timestamp(0, 0).unwrap();
        let mut s = Schedule {
            id: Id::generate(),
            user_id: Id::generate(),
            account_id: new.account_id,
            action: new.action,
            description: "Rent".into(),
            note: None,
            recurrence: new.recurrence,
            mode: new.mode,
            paused: false,
            handled_through: None,
            created_at: now,
            updated_at: now,
        };
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(s.next_due(), Some(d("2026-01-31")));
        assert_eq!(s.pending_through(d("2026-03-31"), 10).len(), 3);
        s.handled_through = Some(d("2026-02-28"));
        assert_eq!(s.next_due(), Some(d("2026-03-31")));
        assert_eq!(s.pending_through(d("2026-03-31"), 10), [d("2026-03-31")]);
    }
}
