//! [`Schedules`] on SQLite: the `schedules` table (migration 6) and the
//! posting of occurrences.
//!
//! * Every statement is scoped by the user; another user's schedule is
//!   `NotFound { what: "schedule" }`.
//! * A schedule's account, transfer target and category are checked to be
//!   the user's inside the write (the foreign keys stand behind it); a
//!   category or account delete counts the schedules using it inside its own
//!   write (`using_category`, `using_account`) and refuses.
//! * A posting is one `IMMEDIATE` transaction: the schedule's
//!   `handled_through` is compared with what the caller read (another
//!   instance on the same file may have posted meanwhile: nothing is written
//!   then), the rows are inserted like any transaction (`insert_row`, so the
//!   daily sums and balances follow) with their `schedule_id` and
//!   `occurrence` set (columns no aggregate trigger watches), and the
//!   schedule advanced. The unique index `tx_schedule_occurrence` (user,
//!   schedule, occurrence, kind) stands behind the comparison.
//! * The row conversions live here rather than in `rows.rs`: only this
//!   module reads the table.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::SqliteStore;
use super::rows::{
    bad_column, date_col, date_text, from_millis, get_account, get_category, id_col, millis,
};
use super::transactions::insert_row;
use crate::domain::{
    Frequency, MonthDay, NewSchedule, Recurrence, Schedule, ScheduleAction, ScheduleEnd,
    ScheduleMode,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, SignedAmount};
use crate::store::{Posting, ScheduledRow, Schedules};

const NOT_FOUND: Error = Error::NotFound { what: "schedule" };

/// The conflict a second posting of an occurrence raises inside the write
/// (turned into [`Posting::AlreadyHandled`] once the write is rolled back).
const POSTED_FIELD: &str = "occurrence";

const COLS: &str = "id, user_id, account_id, category_id, to_account_id, amount, description, \
     note, frequency, every, weekday, month_day, start_date, end_date, end_count, mode, paused, \
     handled_through, created_at, updated_at";

/// The stored columns of a frequency: name, weekday (Monday = 0), month day (0 = last).
fn frequency_cols(f: Frequency) -> (&'static str, Option<i64>, Option<i64>) {
    match f {
        Frequency::Daily => ("daily", None, None),
        Frequency::Weekly { weekday } => (
            "weekly",
            Some(i64::from(weekday.num_days_from_monday())),
            None,
        ),
        Frequency::Monthly { day } => (
            "monthly",
            None,
            Some(match day {
                MonthDay::Day(d) => i64::from(d),
                MonthDay::Last => 0,
            }),
        ),
        Frequency::Yearly => ("yearly", None, None),
    }
}

fn opt_date_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(_) => date_col(row, idx).map(Some),
    }
}

fn schedule_row(row: &Row<'_>) -> rusqlite::Result<Schedule> {
    let amount: i64 = row.get(5)?;
    let action = match (
        row.get::<_, Option<String>>(3)?,
        row.get::<_, Option<String>>(4)?,
    ) {
        (Some(_), None) => ScheduleAction::Entry {
            category_id: id_col(row, 3)?,
            amount: SignedAmount::from_minor("amount", amount)
                .map_err(|_| bad_column(5, "amount"))?,
        },
        (None, Some(_)) => ScheduleAction::Transfer {
            to_account: id_col(row, 4)?,
            amount: Amount::from_minor("amount", amount).map_err(|_| bad_column(5, "amount"))?,
        },
        _ => return Err(bad_column(3, "schedule action")),
    };
    let frequency = match row.get::<_, String>(8)?.as_str() {
        "daily" => Frequency::Daily,
        "weekly" => Frequency::Weekly {
            weekday: row
                .get::<_, Option<u8>>(10)?
                .and_then(|w| Weekday::try_from(w).ok())
                .ok_or_else(|| bad_column(10, "weekday"))?,
        },
        "monthly" => Frequency::Monthly {
            day: match row.get::<_, Option<u8>>(11)? {
                Some(0) => MonthDay::Last,
                Some(d @ 1..=31) => MonthDay::Day(d),
                _ => return Err(bad_column(11, "month day")),
            },
        },
        "yearly" => Frequency::Yearly,
        _ => return Err(bad_column(8, "frequency")),
    };
    let end = match (opt_date_col(row, 13)?, row.get::<_, Option<u32>>(14)?) {
        (Some(date), None) => ScheduleEnd::OnDate(date),
        (None, Some(count)) => ScheduleEnd::After(count),
        (None, None) => ScheduleEnd::Never,
        _ => return Err(bad_column(13, "schedule end")),
    };
    Ok(Schedule {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        account_id: id_col(row, 2)?,
        action,
        description: row.get(6)?,
        note: row.get(7)?,
        recurrence: Recurrence {
            frequency,
            interval: row.get(9)?,
            start: date_col(row, 12)?,
            end,
        },
        mode: ScheduleMode::parse("mode", &row.get::<_, String>(15)?)
            .map_err(|_| bad_column(15, "mode"))?,
        paused: row.get(16)?,
        handled_through: opt_date_col(row, 17)?,
        created_at: from_millis(row.get(18)?),
        updated_at: from_millis(row.get(19)?),
    })
}

fn get_schedule(conn: &Connection, user: Id, id: Id) -> Result<Schedule> {
    conn.prepare_cached(&format!(
        "SELECT {COLS} FROM schedules WHERE id = ?1 AND user_id = ?2"
    ))?
    .query_row(params![id.to_hex(), user.to_hex()], schedule_row)
    .optional()?
    .ok_or(NOT_FOUND)
}

/// Check that what `s` references is the user's (inside the write).
fn check_references(
    conn: &Connection,
    user: Id,
    account: Id,
    action: &ScheduleAction,
) -> Result<()> {
    get_account(conn, user, account)?;
    if let Some(to) = action.to_account() {
        get_account(conn, user, to)?;
    }
    if let Some(category) = action.category() {
        get_category(conn, user, category)?;
    }
    Ok(())
}

/// The template and recurrence columns (3–15) of a schedule, in `COLS` order.
fn template_params(
    action: &ScheduleAction,
    description: &str,
    note: Option<&str>,
    recurrence: &Recurrence,
    mode: ScheduleMode,
) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    let (frequency, weekday, month_day) = frequency_cols(recurrence.frequency);
    let opt_text = |s: Option<String>| s.map(Value::Text).unwrap_or(Value::Null);
    let opt_int = |i: Option<i64>| i.map(Value::Integer).unwrap_or(Value::Null);
    let (end_date, end_count) = match recurrence.end {
        ScheduleEnd::Never => (None, None),
        ScheduleEnd::OnDate(d) => (Some(date_text(d)), None),
        ScheduleEnd::After(n) => (None, Some(i64::from(n))),
    };
    vec![
        opt_text(action.category().map(|c| c.to_hex())),
        opt_text(action.to_account().map(|c| c.to_hex())),
        Value::Integer(action.amount_minor()),
        Value::Text(description.to_string()),
        opt_text(note.map(str::to_string)),
        Value::Text(frequency.to_string()),
        Value::Integer(i64::from(recurrence.interval)),
        opt_int(weekday),
        opt_int(month_day),
        Value::Text(date_text(recurrence.start)),
        opt_text(end_date),
        opt_int(end_count),
        Value::Text(mode.as_str().to_string()),
    ]
}

/// How many of the user's schedules use the category `id` (a category
/// delete refuses while any does).
/// Insert one schedule inside the caller's write, its references checked (`NotFound`).
pub(super) fn insert_schedule_row(tx: &Connection, s: &Schedule) -> Result<()> {
    check_references(tx, s.user_id, s.account_id, &s.action)?;
    let mut values = vec![
        rusqlite::types::Value::Text(s.id.to_hex()),
        rusqlite::types::Value::Text(s.user_id.to_hex()),
        rusqlite::types::Value::Text(s.account_id.to_hex()),
    ];
    values.extend(template_params(
        &s.action,
        &s.description,
        s.note.as_deref(),
        &s.recurrence,
        s.mode,
    ));
    values.extend([
        rusqlite::types::Value::Integer(i64::from(s.paused)),
        s.handled_through
            .map(|d| rusqlite::types::Value::Text(date_text(d)))
            .unwrap_or(rusqlite::types::Value::Null),
        rusqlite::types::Value::Integer(millis(s.created_at)),
        rusqlite::types::Value::Integer(millis(s.updated_at)),
    ]);
    tx.prepare_cached(&format!(
        "INSERT INTO schedules ({COLS}) VALUES
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

pub(super) fn using_category(conn: &Connection, user: Id, id: Id) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM schedules WHERE user_id = ?1 AND category_id = ?2",
        params![user.to_hex(), id.to_hex()],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// How many of the user's schedules use the account `id`, as their own or
/// as a transfer's target (an account delete refuses while any does).
pub(super) fn using_account(conn: &Connection, user: Id, id: Id) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM schedules
         WHERE user_id = ?1 AND (account_id = ?2 OR to_account_id = ?2)",
        params![user.to_hex(), id.to_hex()],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Refuse deleting the category `id` while a schedule uses it.
pub(super) fn check_category_unused(conn: &Connection, user: Id, id: Id) -> Result<()> {
    match using_category(conn, user, id)? {
        0 => Ok(()),
        n => Err(crate::rules::used_by_schedules("category", n)),
    }
}

/// Refuse deleting the account `id` while a schedule uses it.
pub(super) fn check_account_unused(conn: &Connection, user: Id, id: Id) -> Result<()> {
    match using_account(conn, user, id)? {
        0 => Ok(()),
        n => Err(crate::rules::used_by_schedules("account", n)),
    }
}

#[async_trait]
impl Schedules for SqliteStore {
    async fn insert_schedule(&self, schedule: &Schedule) -> Result<()> {
        let s = schedule.clone();
        self.write(move |tx| insert_schedule_row(tx, &s)).await
    }

    async fn schedules(&self, user: Id) -> Result<Vec<Schedule>> {
        self.read(move |conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT {COLS} FROM schedules WHERE user_id = ?1 ORDER BY created_at, id"
                ))?
                .query_map([user.to_hex()], schedule_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn schedule(&self, user: Id, id: Id) -> Result<Schedule> {
        self.read(move |conn| get_schedule(conn, user, id)).await
    }

    async fn update_schedule(
        &self,
        user: Id,
        id: Id,
        change: &NewSchedule,
        now: DateTime<Utc>,
    ) -> Result<Schedule> {
        let change = change.clone();
        self.write(move |tx| {
            get_schedule(tx, user, id)?;
            check_references(tx, user, change.account_id, &change.action)?;
            let mut values = vec![rusqlite::types::Value::Text(change.account_id.to_hex())];
            values.extend(template_params(
                &change.action,
                change.description.as_str(),
                change.note.as_ref().map(|n| n.as_str()),
                &change.recurrence,
                change.mode,
            ));
            values.extend([
                rusqlite::types::Value::Integer(millis(now)),
                rusqlite::types::Value::Text(id.to_hex()),
                rusqlite::types::Value::Text(user.to_hex()),
            ]);
            tx.execute(
                "UPDATE schedules SET account_id = ?1, category_id = ?2, to_account_id = ?3,
                     amount = ?4, description = ?5, note = ?6, frequency = ?7, every = ?8,
                     weekday = ?9, month_day = ?10, start_date = ?11, end_date = ?12,
                     end_count = ?13, mode = ?14, updated_at = ?15
                 WHERE id = ?16 AND user_id = ?17",
                rusqlite::params_from_iter(values),
            )?;
            get_schedule(tx, user, id)
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
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE schedules SET paused = ?1, updated_at = ?2 WHERE id = ?3 AND user_id = ?4",
                params![paused, millis(now), id.to_hex(), user.to_hex()],
            )?;
            if n == 0 {
                return Err(NOT_FOUND);
            }
            get_schedule(tx, user, id)
        })
        .await
    }

    async fn delete_schedule(&self, user: Id, id: Id) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute(
                "DELETE FROM schedules WHERE id = ?1 AND user_id = ?2",
                params![id.to_hex(), user.to_hex()],
            )?;
            if n == 0 {
                return Err(NOT_FOUND);
            }
            Ok(())
        })
        .await
    }

    async fn post_occurrences(
        &self,
        user: Id,
        id: Id,
        expected: Option<NaiveDate>,
        through: NaiveDate,
        rows: &[ScheduledRow],
    ) -> Result<Posting> {
        let rows = rows.to_vec();
        let written = self
            .write(move |tx| {
                let current = get_schedule(tx, user, id)?;
                if current.handled_through != expected {
                    return Err(Error::conflict(POSTED_FIELD, "already handled"));
                }
                for row in &rows {
                    if row.tx.user_id != user {
                        return Err(Error::validation("user", "a row of another user"));
                    }
                    get_account(tx, user, row.tx.account_id)?;
                    if let Some(category) = row.tx.category_id {
                        get_category(tx, user, category)?;
                    }
                    insert_row(tx, &row.tx)?;
                    tx.execute(
                        "UPDATE transactions SET schedule_id = ?1, occurrence = ?2
                         WHERE id = ?3 AND user_id = ?4",
                        params![
                            id.to_hex(),
                            date_text(row.occurrence),
                            row.tx.id.to_hex(),
                            user.to_hex()
                        ],
                    )
                    .map_err(|e| {
                        match super::errors::sql_error(e, POSTED_FIELD) {
                            Error::Conflict { .. } => {
                                Error::conflict(POSTED_FIELD, "already posted")
                            }
                            other => other,
                        }
                    })?;
                }
                tx.execute(
                    "UPDATE schedules SET handled_through = ?1 WHERE id = ?2 AND user_id = ?3",
                    params![date_text(through), id.to_hex(), user.to_hex()],
                )?;
                Ok(())
            })
            .await;
        match written {
            Ok(()) => Ok(Posting::Written),
            Err(Error::Conflict { field, .. }) if field == POSTED_FIELD => {
                Ok(Posting::AlreadyHandled)
            }
            Err(e) => Err(e),
        }
    }
}
