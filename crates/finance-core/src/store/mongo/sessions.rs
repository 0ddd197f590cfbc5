//! [`Sessions`] on MongoDB: the `sessions` and `loginThrottle` collections.
//!
//! Invariants:
//! * a session is live only for its own user and before its `expiresAt`
//!   (the TTL index removes expired ones eventually; reads do not rely on it);
//! * a failed log-in is counted atomically (`$inc`), also when several race
//!   on a username that has no throttle document yet;
//! * locking a username keeps its failure count; a successful log-in removes
//!   the throttle document.

use mongodb::bson::doc;
use mongodb::options::ReturnDocument;

use super::docs::{ThrottleDoc, oid, session_to_doc, throttle_from_doc, time_to_bson};
use super::errors::duplicate_key_message;
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{LoginThrottle, SessionRecord, Sessions};
use chrono::{DateTime, Utc};

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

        async fn delete_session(&self, jti: &str) -> Result<bool> {
            Ok(self
                .sessions
                .delete_one(doc! { "_id": jti })
                .await?
                .deleted_count
                > 0)
        }

        async fn login_throttle(&self, username: &str) -> Result<LoginThrottle> {
            let found = self.throttle.find_one(doc! { "_id": username }).await?;
            Ok(found
                .map(throttle_from_doc)
                .transpose()?
                .unwrap_or_default())
        }

        async fn add_login_failure(&self, username: &str) -> Result<u32> {
            // `$inc` the existing document, else insert one with a count of 1; an
            // insert that loses a race (duplicate `_id`) goes back to the `$inc`.
            // (One `findAndModify` upsert would do on MongoDB, but SecantusDB, the
            // test server, returns no document for some of several racing upserts.)
            for _ in 0..3 {
                let updated = self
                    .throttle
                    .find_one_and_update(
                        doc! { "_id": username },
                        doc! { "$inc": { "failures": 1_i64 } },
                    )
                    .return_document(ReturnDocument::After)
                    .await?;
                if let Some(doc) = updated {
                    return Ok(throttle_from_doc(doc)?.failures);
                }
                let first = ThrottleDoc {
                    username: username.to_string(),
                    failures: 1,
                    locked_until: None,
                };
                match self.throttle.insert_one(first).await {
                    Ok(_) => return Ok(1),
                    Err(e) if duplicate_key_message(&e).is_some() => continue,
                    Err(e) => return Err(e.into()),
                }
            }
            Err(Error::internal("mongo", "login throttle kept changing during an update").into())
        }

        async fn lock_login(&self, username: &str, until: DateTime<Utc>) -> Result<()> {
            self.throttle
                .update_one(
                    doc! { "_id": username },
                    doc! {
                        "$set": { "lockedUntil": time_to_bson(until) },
                        "$setOnInsert": { "failures": 0_i64 },
                    },
                )
                .upsert(true)
                .await?;
            Ok(())
        }

        async fn clear_login_failures(&self, username: &str) -> Result<()> {
            self.throttle.delete_one(doc! { "_id": username }).await?;
            Ok(())
        }
    }
}
