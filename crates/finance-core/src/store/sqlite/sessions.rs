//! [`Sessions`] on SQLite: log-in sessions and failed-log-in throttling.
//!
//! * A session is live while it exists for that user and has not expired;
//!   inserting a session sweeps the user's expired ones (MongoDB's TTL index
//!   does the same there).
//! * Throttle rows are keyed by normalised username, known or not, so the
//!   answer does not reveal whether an account exists. Adding a failure is one
//!   atomic upsert returning the new count; counts are clamped into `u32`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::rows::{from_millis, millis};
use crate::error::Result;
use crate::id::Id;
use crate::store::prelude::*;
use crate::store::{LoginThrottle, SessionRecord};

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

    async fn delete_session(&self, jti: &str) -> Result<bool> {
        let jti = jti.to_string();
        self.write(move |tx| Ok(tx.execute("DELETE FROM sessions WHERE jti = ?1", [jti])? > 0))
            .await
    }

    async fn login_throttle(&self, username: &str) -> Result<LoginThrottle> {
        let username = username.to_string();
        self.read(move |conn| {
            let throttle = conn
                .query_row(
                    "SELECT failures, locked_until FROM login_throttle WHERE username = ?1",
                    [username],
                    |r| {
                        Ok(LoginThrottle {
                            failures: r.get::<_, i64>(0)?.clamp(0, i64::from(u32::MAX)) as u32,
                            locked_until: r.get::<_, Option<i64>>(1)?.map(from_millis),
                        })
                    },
                )
                .optional()?;
            Ok(throttle.unwrap_or_default())
        })
        .await
    }

    async fn add_login_failure(&self, username: &str) -> Result<u32> {
        let username = username.to_string();
        self.write(move |tx| {
            let n = tx.query_row(
                "INSERT INTO login_throttle (username, failures) VALUES (?1, 1)
                 ON CONFLICT (username) DO UPDATE SET failures = failures + 1
                 RETURNING failures",
                [username],
                |r| r.get::<_, i64>(0),
            )?;
            Ok(n.clamp(0, i64::from(u32::MAX)) as u32)
        })
        .await
    }

    async fn lock_login(&self, username: &str, until: DateTime<Utc>) -> Result<()> {
        let username = username.to_string();
        self.write(move |tx| {
            tx.execute(
                "UPDATE login_throttle SET locked_until = ?2 WHERE username = ?1",
                params![username, millis(until)],
            )?;
            Ok(())
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
