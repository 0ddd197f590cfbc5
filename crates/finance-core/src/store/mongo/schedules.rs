//! [`Schedules`] on MongoDB: the `schedules` collection and the posting of
//! occurrences.
//!
//! Invariants:
//! * every filter carries `userId`: another user's schedule is `NotFound`;
//! * a schedule's insert and edit lock (write) the accounts and category
//!   it references in the same transaction (`lock_accounts`,
//!   `lock_category`), so a concurrent delete of one of them conflicts; the
//!   deletes count the schedules using it inside their transaction and
//!   refuse ([`MongoStore::check_schedules_unused`]) — no schedule points at
//!   nothing (invariant 12);
//! * a posting is one transaction that first moves the schedule's
//!   `handledThrough` from what the caller read (`expected`) to the last
//!   occurrence posted: a second client doing the same either write-conflicts
//!   (and, retried, finds the schedule moved: nothing written) or finds it
//!   moved at once. The rows carry `scheduleId` and `occurrence`, unique per
//!   (user, schedule, occurrence, type) through the partial index
//!   `schedule_occurrence_unique`, which stands behind the comparison;
//! * the stored document (`ScheduleDoc`) lives here, not in `docs.rs`:
//!   only this module reads the collection. Field names are persistent.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use futures::{FutureExt, TryStreamExt};
use mongodb::ClientSession;
use mongodb::bson::{DateTime as BsonDateTime, Document, doc, oid::ObjectId};
use serde::{Deserialize, Serialize};

use super::MongoStore;
use super::docs::{
    date_from_bson, date_to_bson, id_of, oid, time_from_bson, time_to_bson, transaction_to_doc,
};
use super::errors::{Fail, corrupt, error_code};
use super::filter::{owned, update_owned};
use super::indexes::SCHEDULE_OCCURRENCE_INDEX;
use crate::domain::{
    Frequency, MonthDay, NewSchedule, Recurrence, Schedule, ScheduleAction, ScheduleEnd,
    ScheduleMode,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, SignedAmount};
use crate::store::{Posting, ScheduledRow, Schedules};

const NOT_FOUND: Error = Error::NotFound { what: "schedule" };

/// The conflict a posting raises to abort its transaction when the
/// occurrences were handled meanwhile ([`Posting::AlreadyHandled`]).
const POSTED_FIELD: &str = "occurrence";

/// A stored schedule.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ScheduleDoc {
    #[serde(rename = "_id")]
    id: ObjectId,
    user_id: ObjectId,
    account_id: ObjectId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<ObjectId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to_account_id: Option<ObjectId>,
    amount: i64,
    description: String,
    #[serde(default)]
    note: Option<String>,
    /// `daily`, `weekly`, `monthly`, `yearly`.
    frequency: String,
    every: i64,
    /// Weekly: Monday = 0 … Sunday = 6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weekday: Option<i32>,
    /// Monthly: 1–31, 0 = the last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    month_day: Option<i32>,
    start_date: BsonDateTime,
    #[serde(default)]
    end_date: Option<BsonDateTime>,
    #[serde(default)]
    end_count: Option<i64>,
    /// `post` or `remind`.
    mode: String,
    paused: bool,
    /// The last occurrence posted or skipped (null: none).
    #[serde(default)]
    handled_through: Option<BsonDateTime>,
    created_at: BsonDateTime,
    updated_at: BsonDateTime,
}

/// The template, recurrence and mode fields of a schedule (what an edit sets).
fn template_fields(
    account: Id,
    action: &ScheduleAction,
    description: &str,
    note: Option<&str>,
    r: &Recurrence,
    mode: ScheduleMode,
) -> Document {
    let (frequency, weekday, month_day) = match r.frequency {
        Frequency::Daily => ("daily", None, None),
        Frequency::Weekly { weekday } => {
            ("weekly", Some(weekday.num_days_from_monday() as i32), None)
        }
        Frequency::Monthly { day } => (
            "monthly",
            None,
            Some(match day {
                MonthDay::Day(d) => i32::from(d),
                MonthDay::Last => 0,
            }),
        ),
        Frequency::Yearly => ("yearly", None, None),
    };
    let (end_date, end_count) = match r.end {
        ScheduleEnd::Never => (None, None),
        ScheduleEnd::OnDate(d) => (Some(date_to_bson(d)), None),
        ScheduleEnd::After(n) => (None, Some(i64::from(n))),
    };
    doc! {
        "accountId": oid(account),
        "category": action.category().map(oid),
        "toAccountId": action.to_account().map(oid),
        "amount": action.amount_minor(),
        "description": description,
        "note": note,
        "frequency": frequency,
        "every": i64::from(r.interval),
        "weekday": weekday,
        "monthDay": month_day,
        "startDate": date_to_bson(r.start),
        "endDate": end_date,
        "endCount": end_count,
        "mode": mode.as_str(),
    }
}

fn schedule_from_doc(d: ScheduleDoc) -> Result<Schedule> {
    let action = match (d.category, d.to_account_id) {
        (Some(c), None) => ScheduleAction::Entry {
            category_id: id_of(&c),
            amount: SignedAmount::from_minor("amount", d.amount).map_err(|_| corrupt("amount"))?,
        },
        (None, Some(to)) => ScheduleAction::Transfer {
            to_account: id_of(&to),
            amount: Amount::from_minor("amount", d.amount).map_err(|_| corrupt("amount"))?,
        },
        _ => return Err(corrupt("schedule action")),
    };
    let frequency = match d.frequency.as_str() {
        "daily" => Frequency::Daily,
        "weekly" => Frequency::Weekly {
            weekday: d
                .weekday
                .and_then(|w| u8::try_from(w).ok())
                .and_then(|w| Weekday::try_from(w).ok())
                .ok_or_else(|| corrupt("weekday"))?,
        },
        "monthly" => Frequency::Monthly {
            day: match d.month_day {
                Some(0) => MonthDay::Last,
                Some(n @ 1..=31) => MonthDay::Day(n as u8),
                _ => return Err(corrupt("month day")),
            },
        },
        "yearly" => Frequency::Yearly,
        _ => return Err(corrupt("frequency")),
    };
    let end = match (d.end_date, d.end_count) {
        (Some(date), None) => ScheduleEnd::OnDate(date_from_bson(date)?),
        (None, Some(n)) => ScheduleEnd::After(u32::try_from(n).map_err(|_| corrupt("count"))?),
        (None, None) => ScheduleEnd::Never,
        _ => return Err(corrupt("schedule end")),
    };
    Ok(Schedule {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        account_id: id_of(&d.account_id),
        action,
        description: d.description,
        note: d.note,
        recurrence: Recurrence {
            frequency,
            interval: u32::try_from(d.every).map_err(|_| corrupt("interval"))?,
            start: date_from_bson(d.start_date)?,
            end,
        },
        mode: ScheduleMode::parse("mode", &d.mode).map_err(|_| corrupt("mode"))?,
        paused: d.paused,
        handled_through: d.handled_through.map(date_from_bson).transpose()?,
        created_at: time_from_bson(d.created_at)?,
        updated_at: time_from_bson(d.updated_at)?,
    })
}

pub(super) fn schedule_to_doc(s: &Schedule) -> Result<Document> {
    let mut d = doc! {
        "_id": oid(s.id),
        "userId": oid(s.user_id),
        "paused": s.paused,
        "handledThrough": s.handled_through.map(date_to_bson),
        "createdAt": time_to_bson(s.created_at),
        "updatedAt": time_to_bson(s.updated_at),
    };
    d.extend(template_fields(
        s.account_id,
        &s.action,
        &s.description,
        s.note.as_deref(),
        &s.recurrence,
        s.mode,
    ));
    // Absent rather than null, as `ScheduleDoc` writes them.
    for optional in ["category", "toAccountId", "weekday", "monthDay"] {
        if d.get(optional).is_some_and(|v| v.as_null().is_some()) {
            d.remove(optional);
        }
    }
    Ok(d)
}

impl MongoStore {
    /// Lock (write) what a schedule references inside `s`: its accounts and
    /// its category (`NotFound` when one is not the user's).
    async fn lock_schedule_refs(
        &self,
        s: &mut ClientSession,
        user: Id,
        account: Id,
        action: &ScheduleAction,
    ) -> Result<(), Fail> {
        let mut accounts = vec![account];
        accounts.extend(action.to_account());
        accounts.sort_unstable();
        accounts.dedup();
        self.lock_accounts(s, user, &accounts).await?;
        if let Some(category) = action.category() {
            self.lock_category(s, user, category).await?;
        }
        Ok(())
    }

    /// Refuse (`Conflict { field: what }`) deleting the user's category or
    /// account `id` while schedules use it; inside the delete's transaction.
    pub(super) async fn check_schedules_unused(
        &self,
        s: &mut ClientSession,
        user: Id,
        what: &'static str,
        id: Id,
    ) -> Result<(), Fail> {
        let filter = match what {
            "category" => doc! { "userId": oid(user), "category": oid(id) },
            _ => doc! {
                "userId": oid(user),
                "$or": [ { "accountId": oid(id) }, { "toAccountId": oid(id) } ],
            },
        };
        let n = self
            .schedules
            .count_documents(filter)
            .session(&mut *s)
            .await?;
        if n > 0 {
            return Err(crate::rules::used_by_schedules(what, n).into());
        }
        Ok(())
    }

    async fn find_schedule(&self, user: Id, id: Id) -> Result<Schedule, Fail> {
        let found = self.schedules.find_one(owned(user, id)).await?;
        Ok(schedule_from_doc(found.ok_or(NOT_FOUND)?)?)
    }

    /// Insert the posted rows inside `s`, with their schedule and occurrence.
    async fn insert_posted(
        &self,
        s: &mut ClientSession,
        user: Id,
        id: Id,
        rows: &[ScheduledRow],
    ) -> Result<(), Fail> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut docs = Vec::with_capacity(rows.len());
        let mut accounts = Vec::new();
        let mut categories = Vec::new();
        for row in rows {
            if row.tx.user_id != user {
                return Err(Error::validation("user", "a row of another user").into());
            }
            let mut d = mongodb::bson::to_document(&transaction_to_doc(&row.tx))
                .map_err(|_| Fail::from(corrupt("transaction")))?;
            d.insert("scheduleId", oid(id));
            d.insert("occurrence", date_to_bson(row.occurrence));
            docs.push(d);
            accounts.push(row.tx.account_id);
            categories.extend(row.tx.category_id);
        }
        let inserted = self
            .transactions
            .clone_with_type::<Document>()
            .insert_many(docs)
            .session(&mut *s)
            .await;
        if let Err(e) = inserted {
            if error_code(&e) == Some(11000) && e.to_string().contains(SCHEDULE_OCCURRENCE_INDEX) {
                return Err(Error::conflict(POSTED_FIELD, "already posted").into());
            }
            return Err(e.into());
        }
        accounts.sort_unstable();
        accounts.dedup();
        categories.sort_unstable();
        categories.dedup();
        self.lock_accounts(s, user, &accounts).await?;
        self.lock_categories(s, user, &categories).await?;
        Ok(())
    }
}

bounded_impl! {
    impl Schedules for MongoStore {
        async fn insert_schedule(&self, schedule: &Schedule) -> Result<()> {
            let stored = schedule_to_doc(schedule)?;
            self.in_transaction(&(self, schedule, stored), |s, (store, schedule, stored)| {
                async move {
                    store
                        .schedules
                        .clone_with_type::<Document>()
                        .insert_one(stored)
                        .session(&mut *s)
                        .await?;
                    store
                        .lock_schedule_refs(s, schedule.user_id, schedule.account_id, &schedule.action)
                        .await
                }
                .boxed()
            })
            .await
        }

        async fn schedules(&self, user: Id) -> Result<Vec<Schedule>> {
            let docs: Vec<ScheduleDoc> = self
                .schedules
                .find(doc! { "userId": oid(user) })
                .sort(doc! { "createdAt": 1, "_id": 1 })
                .await?
                .try_collect()
                .await?;
            Ok(docs
                .into_iter()
                .map(schedule_from_doc)
                .collect::<Result<Vec<_>>>()?)
        }

        async fn schedule(&self, user: Id, id: Id) -> Result<Schedule> {
            self.find_schedule(user, id).await
        }

        async fn update_schedule(
            &self,
            user: Id,
            id: Id,
            change: &NewSchedule,
            now: DateTime<Utc>,
        ) -> Result<Schedule> {
            let mut set = template_fields(
                change.account_id,
                &change.action,
                change.description.as_str(),
                change.note.as_ref().map(|n| n.as_str()),
                &change.recurrence,
                change.mode,
            );
            set.insert("updatedAt", time_to_bson(now));
            self.in_transaction(&(self, user, id, change, set), |s, (store, user, id, change, set)| {
                async move {
                    let updated = update_owned(
                        &store.schedules,
                        s,
                        *user,
                        *id,
                        set.clone(),
                        NOT_FOUND,
                    )
                    .await?;
                    store
                        .lock_schedule_refs(s, *user, change.account_id, &change.action)
                        .await?;
                    Ok(schedule_from_doc(updated)?)
                }
                .boxed()
            })
            .await
        }

        async fn set_schedule_paused(
            &self,
            user: Id,
            id: Id,
            paused: bool,
            now: DateTime<Utc>,
        ) -> Result<Schedule> {
            let updated = self
                .schedules
                .find_one_and_update(
                    owned(user, id),
                    doc! { "$set": { "paused": paused, "updatedAt": time_to_bson(now) } },
                )
                .return_document(mongodb::options::ReturnDocument::After)
                .await?;
            Ok(schedule_from_doc(updated.ok_or(NOT_FOUND)?)?)
        }

        async fn delete_schedule(&self, user: Id, id: Id) -> Result<()> {
            let removed = self.schedules.delete_one(owned(user, id)).await?;
            if removed.deleted_count == 0 {
                return Err(NOT_FOUND.into());
            }
            Ok(())
        }

        async fn post_occurrences(
            &self,
            user: Id,
            id: Id,
            expected: Option<NaiveDate>,
            through: NaiveDate,
            rows: &[ScheduledRow],
        ) -> Result<Posting> {
            let posted = self
                .in_transaction(&(self, user, id, expected, through, rows), |s, ctx| {
                    let (store, user, id, expected, through, rows) = *ctx;
                    async move {
                        // First: move the schedule on, only from where the
                        // caller read it. A concurrent posting writes the
                        // same document and conflicts.
                        let mut filter = owned(user, id);
                        filter.insert("handledThrough", expected.map(date_to_bson));
                        let moved = store
                            .schedules
                            .update_one(
                                filter,
                                doc! { "$set": { "handledThrough": date_to_bson(through) } },
                            )
                            .session(&mut *s)
                            .await?;
                        if moved.matched_count == 0 {
                            store.schedules.find_one(owned(user, id)).session(&mut *s).await?
                                .ok_or(NOT_FOUND)?;
                            return Err(Error::conflict(POSTED_FIELD, "already handled").into());
                        }
                        store.insert_posted(s, user, id, rows).await
                    }
                    .boxed()
                })
                .await;
            match posted {
                Ok(()) => Ok(Posting::Written),
                Err(Fail::App(Error::Conflict { field, .. })) if field == POSTED_FIELD => {
                    Ok(Posting::AlreadyHandled)
                }
                Err(e) => Err(e),
            }
        }
    }
}
