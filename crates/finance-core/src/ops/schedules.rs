//! Schedules (recurring transactions): add, edit, pause, resume, delete,
//! list; posting what is due ([`Finance::post_due`], called by the app after
//! sign-in and when the date rolls over), the next occurrences
//! ([`Finance::upcoming`]) with Post now / Skip, a schedule pre-filled from a
//! transaction ("Repeat this…") and an account's balance forecast.
//!
//! Posting: each occurrence due through `today` (the caller's calendar date)
//! and not yet handled is written once, with its (schedule, occurrence) key,
//! in one store transaction per schedule that also advances the schedule
//! ([`crate::store::Schedules::post_occurrences`]). Another client posting
//! the same schedule at once makes this call find it done (re-read, nothing
//! more to post) — never an error, never a second row.
//!
//! Bound: one call posts at most [`MAX_POSTED_PER_CALL`] occurrences per
//! schedule (a daily schedule missed for years); the summary says when more
//! are due, and the next call (the app calls again at once) posts them.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::schedule::{frequency_name, month_day_name, weekday_name};
use crate::domain::{
    CategoryKind, EntryKind, ForecastDay, Frequency, NewSchedule, Occurrence, PostDueSummary,
    PostedSchedule, Schedule, ScheduleAction, ScheduleDraft, ScheduleMode, TransactionFilter,
    TransactionQuery, TransactionSort,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money;
use crate::rules;
use crate::store::{Posting, ScheduledRow};

/// The most occurrences of one schedule one [`Finance::post_due`] call posts.
pub const MAX_POSTED_PER_CALL: usize = 1_000;

/// The most occurrences of one schedule [`Finance::upcoming`] lists.
pub const MAX_UPCOMING_PER_SCHEDULE: usize = 100;

/// The longest forecast, in days.
pub const MAX_FORECAST_DAYS: u32 = 366;

/// How many times a posting re-reads a schedule another client moved.
const POST_ATTEMPTS: usize = 3;

impl Finance {
    /// The user's schedules, oldest first.
    pub async fn schedules(&self, user: &AuthUser) -> Result<Vec<Schedule>> {
        user.require(Permission::Read)?;
        self.store.schedules(user.ledger()).await
    }

    /// One schedule (`NotFound { what: "schedule" }` when not the user's).
    pub async fn schedule(&self, user: &AuthUser, id: Id) -> Result<Schedule> {
        user.require(Permission::Read)?;
        self.store.schedule(user.ledger(), id).await
    }

    /// Check a template against the rules: its category is the user's and
    /// takes the amount's sign; a transfer's accounts differ. The store
    /// checks the accounts inside its write.
    async fn check_template(&self, user: &AuthUser, new: &NewSchedule) -> Result<()> {
        let category = match new.action.category() {
            Some(id) => Some(self.store.category(user.ledger(), id).await?),
            None => None,
        };
        rules::check_schedule(new, category.as_ref())
    }

    /// Add a schedule. Nothing is posted until [`Finance::post_due`].
    pub async fn add_schedule(
        &self,
        user: &AuthUser,
        new: NewSchedule,
        now: DateTime<Utc>,
    ) -> Result<Schedule> {
        user.require(Permission::Write)?;
        self.check_template(user, &new).await?;
        let now = millis(now);
        let schedule = Schedule {
            id: Id::generate(),
            user_id: user.ledger(),
            account_id: new.account_id,
            action: new.action,
            description: new.description.into_inner(),
            note: new.note.map(|n| n.as_str().to_string()),
            recurrence: new.recurrence,
            mode: new.mode,
            paused: false,
            handled_through: None,
            created_at: now,
            updated_at: now,
        };
        self.store.insert_schedule(&schedule).await?;
        Ok(schedule)
    }

    /// Replace a schedule's template, recurrence and mode. What it already
    /// posted or skipped stays handled.
    pub async fn edit_schedule(
        &self,
        user: &AuthUser,
        id: Id,
        change: NewSchedule,
        now: DateTime<Utc>,
    ) -> Result<Schedule> {
        user.require(Permission::Write)?;
        self.check_template(user, &change).await?;
        self.store
            .update_schedule(user.ledger(), id, &change, millis(now))
            .await
    }

    /// Pause (nothing is posted or due) or resume (what fell due meanwhile
    /// is posted by the next [`Finance::post_due`]).
    pub async fn set_schedule_paused(
        &self,
        user: &AuthUser,
        id: Id,
        paused: bool,
        now: DateTime<Utc>,
    ) -> Result<Schedule> {
        user.require(Permission::Write)?;
        self.store
            .set_schedule_paused(user.ledger(), id, paused, millis(now))
            .await
    }

    /// Delete a schedule; the transactions it posted stay.
    pub async fn delete_schedule(&self, user: &AuthUser, id: Id) -> Result<()> {
        user.require(Permission::Write)?;
        self.store.delete_schedule(user.ledger(), id).await
    }

    /// The rows of `s`'s occurrences `dates`.
    async fn rows_of(
        &self,
        user: &AuthUser,
        s: &Schedule,
        dates: &[NaiveDate],
        now: DateTime<Utc>,
    ) -> Result<Vec<ScheduledRow>> {
        let category = match s.action.category() {
            Some(id) => Some(self.store.category(user.ledger(), id).await?),
            None => None,
        };
        let mut rows = Vec::new();
        for &date in dates {
            for tx in rules::schedule_rows(s, category.as_ref(), date, now)? {
                rows.push(ScheduledRow {
                    occurrence: date,
                    tx,
                });
            }
        }
        Ok(rows)
    }

    /// Post `s`'s occurrences due through `today`, at most
    /// [`MAX_POSTED_PER_CALL`]: how many this call wrote, and whether more are due.
    async fn post_schedule(
        &self,
        user: &AuthUser,
        mut s: Schedule,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(u32, bool)> {
        for _ in 0..POST_ATTEMPTS {
            let mut due = s.pending_through(today, MAX_POSTED_PER_CALL + 1);
            let more = due.len() > MAX_POSTED_PER_CALL;
            due.truncate(MAX_POSTED_PER_CALL);
            let Some(&through) = due.last() else {
                return Ok((0, false));
            };
            let rows = self.rows_of(user, &s, &due, now).await?;
            match self
                .store
                .post_occurrences(user.ledger(), s.id, s.handled_through, through, &rows)
                .await?
            {
                Posting::Written => return Ok((due.len() as u32, more)),
                // Another client moved it: see what is left.
                Posting::AlreadyHandled => s = self.store.schedule(user.ledger(), s.id).await?,
            }
        }
        Ok((0, true))
    }

    /// Post every occurrence due through `today` of the user's active
    /// post-mode schedules, each once; list the due occurrences of
    /// remind-mode ones (not posted). See the module docs for the bound.
    pub async fn post_due(
        &self,
        user: &AuthUser,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<PostDueSummary> {
        user.require(Permission::Write)?;
        let now = millis(now);
        let mut summary = PostDueSummary::default();
        for s in self.store.schedules(user.ledger()).await? {
            if s.paused {
                continue;
            }
            match s.mode {
                ScheduleMode::Post => {
                    let (schedule_id, description) = (s.id, s.description.clone());
                    let (posted, more_due) = self.post_schedule(user, s, today, now).await?;
                    if posted > 0 || more_due {
                        summary.posted.push(PostedSchedule {
                            schedule_id,
                            description,
                            posted,
                            more_due,
                        });
                    }
                }
                ScheduleMode::Remind => {
                    let due = s.pending_through(today, MAX_UPCOMING_PER_SCHEDULE);
                    for (i, date) in due.into_iter().enumerate() {
                        summary.reminders.push(Occurrence {
                            schedule: s.clone(),
                            date,
                            next: i == 0,
                        });
                    }
                }
            }
        }
        summary
            .reminders
            .sort_by(|a, b| a.date.cmp(&b.date).then(a.schedule.id.cmp(&b.schedule.id)));
        Ok(summary)
    }

    /// The occurrences not yet handled of the user's active schedules, due
    /// through `today + days` (overdue reminders included), oldest first;
    /// at most [`MAX_UPCOMING_PER_SCHEDULE`] per schedule.
    pub async fn upcoming(
        &self,
        user: &AuthUser,
        today: NaiveDate,
        days: u32,
    ) -> Result<Vec<Occurrence>> {
        user.require(Permission::Read)?;
        let through = horizon(today, days)?;
        let mut out = Vec::new();
        for s in self.store.schedules(user.ledger()).await? {
            if s.paused {
                continue;
            }
            for (i, date) in s
                .pending_through(through, MAX_UPCOMING_PER_SCHEDULE)
                .into_iter()
                .enumerate()
            {
                out.push(Occurrence {
                    schedule: s.clone(),
                    date,
                    next: i == 0,
                });
            }
        }
        out.sort_by(|a, b| a.date.cmp(&b.date).then(a.schedule.id.cmp(&b.schedule.id)));
        Ok(out)
    }

    /// Post the schedule's next occurrence now, even before its date (it
    /// is then not posted again when the date comes). `occurrence` must be
    /// that next one ([`rules::check_next_occurrence`]); `Conflict { field:
    /// "occurrence" }` when another client handled it meanwhile.
    pub async fn post_occurrence_now(
        &self,
        user: &AuthUser,
        id: Id,
        occurrence: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Schedule> {
        user.require(Permission::Write)?;
        let s = self.store.schedule(user.ledger(), id).await?;
        rules::check_next_occurrence(&s, occurrence)?;
        let rows = self.rows_of(user, &s, &[occurrence], millis(now)).await?;
        self.handle_occurrence(user, &s, occurrence, &rows).await
    }

    /// Skip the schedule's next occurrence: nothing is posted for it, ever.
    pub async fn skip_occurrence(
        &self,
        user: &AuthUser,
        id: Id,
        occurrence: NaiveDate,
    ) -> Result<Schedule> {
        user.require(Permission::Write)?;
        let s = self.store.schedule(user.ledger(), id).await?;
        rules::check_next_occurrence(&s, occurrence)?;
        self.handle_occurrence(user, &s, occurrence, &[]).await
    }

    async fn handle_occurrence(
        &self,
        user: &AuthUser,
        s: &Schedule,
        occurrence: NaiveDate,
        rows: &[ScheduledRow],
    ) -> Result<Schedule> {
        match self
            .store
            .post_occurrences(user.ledger(), s.id, s.handled_through, occurrence, rows)
            .await?
        {
            Posting::Written => self.store.schedule(user.ledger(), s.id).await,
            Posting::AlreadyHandled => Err(Error::conflict(
                "occurrence",
                "this occurrence was posted or skipped meanwhile",
            )),
        }
    }

    /// A schedule form pre-filled from the transaction `id` ("Repeat
    /// this…"): its account, category or transfer target, amount,
    /// description and note, monthly on its day, starting a month after it.
    pub async fn schedule_from_transaction(
        &self,
        user: &AuthUser,
        id: Id,
    ) -> Result<ScheduleDraft> {
        user.require(Permission::Write)?;
        let t = self.store.transaction(user.ledger(), id).await?;
        let (account, category, to_account) = match (t.kind, t.transfer_id) {
            (EntryKind::TransferOut | EntryKind::TransferIn, Some(transfer)) => {
                let tr = self.store.transfer(user.ledger(), transfer).await?;
                (tr.from.account_id, None, Some(tr.to.account_id))
            }
            _ => (t.account_id, t.category_id, None),
        };
        let start = t.date.checked_add_months(Months::new(1)).unwrap_or(t.date);
        let frequency = Frequency::Monthly {
            day: crate::domain::MonthDay::Day(t.date.day() as u8),
        };
        Ok(ScheduleDraft {
            account_id: account.to_hex(),
            category_id: category.map(|c| c.to_hex()),
            to_account_id: to_account.map(|a| a.to_hex()),
            amount: money::format_minor(t.amount.minor(), user.currency),
            description: t.description,
            note: t.note,
            frequency: frequency_name(frequency).to_string(),
            interval: Some(1),
            weekday: Some(weekday_name(start.weekday()).to_string()),
            month_day: match frequency {
                Frequency::Monthly { day } => Some(month_day_name(day)),
                _ => None,
            },
            start_date: start.to_string(),
            end_date: None,
            count: None,
            mode: ScheduleMode::Post.as_str().to_string(),
        })
    }

    /// The projected balance of the user's `account` at the end of each day
    /// from `today` through `today + days`: its balance at the end of
    /// `today`, plus its rows dated later (posted early), plus the
    /// occurrences not yet handled of its active schedules (a transfer counts
    /// on both of its accounts; overdue ones count on `today`). Exact
    /// (summed in 128 bits; a balance beyond `i64` is `Validation { field:
    /// "balance" }`).
    pub async fn forecast(
        &self,
        user: &AuthUser,
        account: Id,
        today: NaiveDate,
        days: u32,
    ) -> Result<Vec<ForecastDay>> {
        user.require(Permission::Read)?;
        let through = horizon(today, days)?;
        let start = self.account_balance_on(user, account, today).await?;
        let mut effects: HashMap<NaiveDate, i128> = HashMap::new();
        // Rows already dated after today (a Post now of a later occurrence).
        let filter = TransactionFilter {
            from: today.succ_opt(),
            to: Some(through),
            account: Some(account),
            ..TransactionFilter::default()
        };
        let mut query = TransactionQuery::new(filter, TransactionSort::DateAsc, Some(500), None)?;
        for _ in 0..20 {
            let page = self.page(user, &query).await?;
            for t in &page.items {
                *effects.entry(t.date).or_default() +=
                    i128::from(rules::balance_effect(t.kind, t.amount.minor()));
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        let kinds: HashMap<Id, CategoryKind> = self
            .store
            .categories(user.ledger())
            .await?
            .into_iter()
            .map(|c| (c.id, c.kind))
            .collect();
        for s in self.store.schedules(user.ledger()).await? {
            if s.paused || !s.accounts().contains(&account) {
                continue;
            }
            let effect = match s.action {
                ScheduleAction::Entry {
                    category_id,
                    amount,
                } => match kinds.get(&category_id) {
                    Some(kind) => rules::balance_effect((*kind).into(), amount.minor()),
                    None => continue,
                },
                ScheduleAction::Transfer { to_account, amount } => {
                    if to_account == account {
                        rules::balance_effect(EntryKind::TransferIn, amount.minor())
                    } else {
                        rules::balance_effect(EntryKind::TransferOut, amount.minor())
                    }
                }
            };
            let limit = days as usize + MAX_UPCOMING_PER_SCHEDULE;
            for date in s.pending_through(through, limit) {
                *effects.entry(date.max(today)).or_default() += i128::from(effect);
            }
        }
        let mut balance = i128::from(start);
        let mut out = Vec::with_capacity(days as usize + 1);
        let mut day = today;
        loop {
            balance += effects.get(&day).copied().unwrap_or(0);
            out.push(ForecastDay {
                date: day,
                balance: money::signed_total("balance", balance)?,
            });
            if day >= through {
                break;
            }
            day = day.succ_opt().unwrap_or(through);
        }
        Ok(out)
    }
}

/// `today + days`, with `days` 1–[`MAX_FORECAST_DAYS`] (`Validation { field: "days" }`).
fn horizon(today: NaiveDate, days: u32) -> Result<NaiveDate> {
    if !(1..=MAX_FORECAST_DAYS).contains(&days) {
        return Err(Error::validation(
            "days",
            format!("must be between 1 and {MAX_FORECAST_DAYS}"),
        ));
    }
    today
        .checked_add_signed(TimeDelta::days(i64::from(days)))
        .ok_or_else(|| Error::validation("days", "is out of range"))
}
