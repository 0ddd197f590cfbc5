//! [`Sessions`] on MongoDB: the `sessions` and `loginThrottle` collections.
//!
//! Invariants:
//! * a session is live only for its own user and before its `expiresAt`
//!   (the TTL index removes expired ones eventually; reads do not rely on it);
//! * a log-in attempt is one `findAndModify` whose update pipeline applies
//!   [`Lockout::attempt`] on the **server's** clock (`$$NOW`, shifted only by
//!   the tests' [`ClockShift`]): the refusal, the count and the new lock are
//!   decided in one atomic step, and no desktop's clock is ever written;
//! * the pipeline compares instants as milliseconds (`$toLong`), which both
//!   MongoDB (4.2+) and SecantusDB, the test server, evaluate alike
//!   (SecantusDB compares `$$NOW` with a stored date wrongly, but not their
//!   `$toLong`s);
//! * a document exists only for usernames of existing users: the service
//!   never starts an attempt for an unknown one;
//! * a successful log-in resets the document (it stays, one per user).

use mongodb::bson::{Bson, Document, doc};
use mongodb::options::ReturnDocument;

use super::MongoStore;
use super::docs::{ThrottleDoc, attempt_from_doc, oid, session_to_doc, time_to_bson};
use super::errors::{Fail, duplicate_key_message};
use crate::auth::Lockout;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{LoginAttempt, SessionRecord, Sessions, UserRecord, Users};
use chrono::{DateTime, Utc};

/// The update pipeline of one attempt: [`Lockout::attempt`] in the server's
/// terms, on the server's clock plus `shift_ms`. It leaves the document as
/// [`ThrottleDoc`] describes, `refused` saying what this attempt decided.
fn attempt_pipeline(lockout: &Lockout, shift_ms: i64) -> Vec<Document> {
    let max_ms = lockout.max.num_milliseconds();
    let memory_ms = lockout.memory.num_milliseconds();
    let table: Vec<Bson> = lockout
        .schedule_millis()
        .into_iter()
        .map(Bson::Int64)
        .collect();
    let last = table.len() as i64;
    vec![
        doc! { "$set": {
            "_now": { "$add": [{ "$toLong": "$$NOW" }, shift_ms] },
            "_until": { "$toLong": "$lockedUntil" },
            "_last": { "$toLong": "$lastFailureAt" },
        } },
        // In force: not ended, and ending no later than now + max (null, when
        // not locked, is below every number, so the first test fails).
        doc! { "$set": {
            "refused": { "$and": [
                { "$gt": ["$_until", "$_now"] },
                { "$lte": ["$_until", { "$add": ["$_now", max_ms] }] },
            ] },
        } },
        doc! { "$set": {
            "failures": { "$cond": ["$refused", "$failures", { "$add": [
                { "$cond": [
                    { "$gt": [{ "$ifNull": ["$_last", 0_i64] }, { "$subtract": ["$_now", memory_ms] }] },
                    { "$ifNull": ["$failures", 0_i64] },
                    0_i64,
                ] },
                1_i64,
            ] }] },
            "lastFailureAt": { "$cond": ["$refused", "$lastFailureAt", { "$toDate": "$_now" }] },
            "checkedAt": { "$toDate": "$_now" },
        } },
        doc! { "$set": {
            "lockedUntil": { "$cond": ["$refused", "$lockedUntil", { "$let": {
                "vars": { "lock": { "$arrayElemAt": [
                    table,
                    { "$subtract": [{ "$min": ["$failures", last] }, 1_i64] },
                ] } },
                "in": { "$cond": [
                    { "$gt": ["$$lock", 0_i64] },
                    { "$toDate": { "$add": ["$_now", "$$lock"] } },
                    null,
                ] },
            } }] },
        } },
        doc! { "$unset": ["_now", "_until", "_last"] },
    ]
}

impl MongoStore {
    /// Delete throttle documents written before the store's clock (no
    /// `lastFailureAt`): they were kept for any typed username and their
    /// locks came from desktops' clocks. Run when the store is opened.
    pub(super) async fn forget_legacy_throttle(&self) -> Result<(), Fail> {
        self.throttle
            .delete_many(doc! { "lastFailureAt": { "$exists": false } })
            .await?;
        Ok(())
    }
}

bounded_impl! {
    impl Sessions for MongoStore {
        async fn insert_session(&self, session: &SessionRecord) -> Result<()> {
            self.sessions.insert_one(session_to_doc(session)).await?;
            Ok(())
        }

        async fn session_is_live(&self, jti: &str, user: Id, now: DateTime<Utc>) -> Result<bool> {
            let live =
                doc! { "_id": jti, "userId": oid(user), "expiresAt": { "$gt": time_to_bson(now) } };
            Ok(self.sessions.count_documents(live).limit(1).await? > 0)
        }

        async fn live_session_user(
            &self,
            jti: &str,
            user: Id,
            now: DateTime<Utc>,
        ) -> Result<Option<UserRecord>> {
            if !self.session_is_live(jti, user, now).await? {
                return Ok(None);
            }
            Ok(self.user_by_id(user).await?)
        }

        async fn delete_session(&self, jti: &str) -> Result<bool> {
            Ok(self
                .sessions
                .delete_one(doc! { "_id": jti })
                .await?
                .deleted_count
                > 0)
        }

        async fn begin_login_attempt(
            &self,
            username: &str,
            lockout: &Lockout,
        ) -> Result<LoginAttempt> {
            let pipeline = attempt_pipeline(lockout, self.clock.millis());
            // The attempt updates the user's document; the first one creates it
            // (a creation that loses a race is harmless) and tries again. (An
            // upsert would do on MongoDB, but SecantusDB, the test server,
            // returns no document for some of several racing upserts.)
            for _ in 0..3 {
                let updated = self
                    .throttle
                    .find_one_and_update(doc! { "_id": username }, pipeline.clone())
                    .return_document(ReturnDocument::After)
                    .await?;
                if let Some(doc) = updated {
                    return Ok(attempt_from_doc(&doc)?);
                }
                match self.throttle.insert_one(ThrottleDoc::empty(username)).await {
                    Ok(_) => {}
                    Err(e) if duplicate_key_message(&e).is_some() => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Err(Error::internal("mongo", "login throttle document kept vanishing").into())
        }

        async fn clear_login_failures(&self, username: &str) -> Result<()> {
            self.throttle
                .update_one(
                    doc! { "_id": username },
                    doc! { "$set": {
                        "failures": 0_i64,
                        "lockedUntil": null,
                        "lastFailureAt": null,
                        "refused": false,
                    } },
                )
                .await?;
            Ok(())
        }
    }
}
