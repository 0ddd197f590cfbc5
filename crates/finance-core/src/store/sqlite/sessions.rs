//! [`Sessions`] on SQLite: log-in sessions and failed-log-in throttling.
//!
//! * A session is live while it exists for that user and has not expired;
//!   inserting a session sweeps the user's expired ones (MongoDB's TTL index
//!   does the same there).
//! * Throttle rows are keyed by the normalised username of an existing user
//!   (the service starts no attempt for an unknown one, so typed names leave
//!   no row). An attempt reads the row and writes what [`Lockout::attempt`]
//!   decides in one `IMMEDIATE` transaction, so simultaneous attempts are
//!   counted one after the other; counts are clamped into `u32`.
//! * The throttle's clock is the machine's (SQLite is local), read inside that
//!   transaction, never a caller's `now`; tests shift it
//!   ([`ClockShift`](crate::store::ClockShift)). On
//!   a file shared by machines whose clocks differ, a lock written by a clock
//!   that is ahead is treated as expired once it ends later than now + max.

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::rows::{USER_COLS, from_millis, millis, user_row};
use crate::auth::{Lockout, ThrottleState};
use crate::error::Result;
use crate::id::Id;
use crate::store::prelude::*;
use crate::store::{LoginAttempt, SessionRecord, UserRecord};

#[async_trait]
impl Sessions for SqliteStore {
    async fn insert_session(&self, s: &SessionRecord) -> Result<()> {
        let s = s.clone();
        self.write(move |tx| {
            // Expired sessions are swept here (MongoDB's TTL index does the same there).
            tx.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND expires_at <= ?2",
                params![s.user_id.to_hex(), millis(s.created_at)],
            )?;
            tx.execute(
                "INSERT INTO sessions (jti, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![s.jti, s.user_id.to_hex(), millis(s.created_at), millis(s.expires_at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn session_is_live(&self, jti: &str, user: Id, now: DateTime<Utc>) -> Result<bool> {
        let jti = jti.to_string();
        self.read(move |conn| {
            let found = conn
                .query_row(
                    "SELECT 1 FROM sessions WHERE jti = ?1 AND user_id = ?2 AND expires_at > ?3",
                    params![jti, user.to_hex(), millis(now)],
                    |_| Ok(()),
                )
                .optional()?;
            Ok(found.is_some())
        })
        .await
    }

    async fn live_session_user(
        &self,
        jti: &str,
        user: Id,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>> {
        let jti = jti.to_string();
        // Every authenticated call starts here: a lookup (on this thread when
        // a reader is free), with the statement parsed once per connection.
        self.lookup(move |conn| {
            Ok(conn
                .prepare_cached(&format!(
                    "SELECT {USER_COLS} FROM users WHERE id = ?2 AND EXISTS (
                       SELECT 1 FROM sessions
                       WHERE jti = ?1 AND user_id = ?2 AND expires_at > ?3)"
                ))?
                .query_row(params![jti, user.to_hex(), millis(now)], user_row)
                .optional()?)
        })
        .await
    }

    async fn delete_session(&self, jti: &str) -> Result<bool> {
        let jti = jti.to_string();
        self.write(move |tx| Ok(tx.execute("DELETE FROM sessions WHERE jti = ?1", [jti])? > 0))
            .await
    }

    async fn begin_login_attempt(&self, username: &str, lockout: &Lockout) -> Result<LoginAttempt> {
        let username = username.to_string();
        let lockout = *lockout;
        let shift = self.clock.millis();
        self.write(move |tx| {
            let now = Utc::now() + TimeDelta::milliseconds(shift);
            let prev = tx
                .query_row(
                    "SELECT failures, locked_until, last_failure_at FROM login_throttle
                     WHERE username = ?1",
                    [&username],
                    |r| {
                        Ok(ThrottleState {
                            failures: r.get::<_, i64>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
                            locked_until: r.get::<_, Option<i64>>(1)?.map(from_millis),
                            last_failure_at: r.get::<_, Option<i64>>(2)?.map(from_millis),
                        })
                    },
                )
                .optional()?
                .unwrap_or_default();
            let next = match lockout.attempt(prev, now) {
                Ok(next) => next,
                Err(retry_after) => return Ok(LoginAttempt::Locked { retry_after }),
            };
            tx.execute(
                "INSERT INTO login_throttle (username, failures, locked_until, last_failure_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (username) DO UPDATE SET failures = excluded.failures,
                   locked_until = excluded.locked_until, last_failure_at = excluded.last_failure_at",
                params![
                    username,
                    i64::from(next.failures),
                    next.locked_until.map(millis),
                    next.last_failure_at.map(millis),
                ],
            )?;
            Ok(LoginAttempt::Allowed)
        })
        .await
    }

    async fn clear_login_failures(&self, username: &str) -> Result<()> {
        let username = username.to_string();
        self.write(move |tx| {
            tx.execute("DELETE FROM login_throttle WHERE username = ?1", [username])?;
            Ok(())
        })
        .await
    }
}
