//! [`Idempotency`] on MongoDB: the `idempotencyKeys` collection.
//!
//! Invariants:
//! * a record is only ever written inside the transaction of the write it
//!   records (an add or an import), through [`MongoStore::insert_idempotency_record`];
//! * one record per (user, key): the unique index `idempotency_key_unique`
//!   makes a reused key `Conflict { field: "idempotencyKey" }`, which aborts
//!   that transaction, so the write is not made either;
//! * records are read by user and key, and deleted with their user.

use mongodb::ClientSession;
use mongodb::bson::doc;

use super::MongoStore;
use super::docs::{idempotency_from_doc, idempotency_to_doc, oid};
use super::errors::Fail;
use crate::error::Result;
use crate::id::Id;
use crate::store::{Idempotency, IdempotencyRecord};

bounded_impl! {
    impl Idempotency for MongoStore {
        async fn idempotency_record(
            &self,
            user: Id,
            key: &str,
        ) -> Result<Option<IdempotencyRecord>> {
            let found = self
                .idempotency
                .find_one(doc! { "userId": oid(user), "key": key })
                .await?;
            Ok(found.map(idempotency_from_doc).transpose()?)
        }
    }
}

impl MongoStore {
    /// Record `user`'s idempotent write inside the session's transaction.
    pub(super) async fn insert_idempotency_record(
        &self,
        s: &mut ClientSession,
        user: Id,
        key: &IdempotencyRecord,
    ) -> Result<(), Fail> {
        self.idempotency
            .insert_one(idempotency_to_doc(user, key))
            .session(&mut *s)
            .await?;
        Ok(())
    }
}
