//! Replays of idempotent writes: the stored result of an earlier request
//! with the same key and fingerprint, or `Conflict { field: "idempotencyKey" }`
//! when the key was used for another request (invariant 9 in ARCHITECTURE.md).

use super::{AuthUser, Finance};
use crate::domain::idempotency::{IdempotencyKey, key_reused};
use crate::error::{Error, Result};
use crate::id::Id;

impl Finance {
    /// The stored result of an earlier request with `key`: `None` when the key
    /// is new, `Conflict { field: "idempotencyKey" }` when it was used for another request.
    pub(crate) async fn replayed(
        &self,
        user: &AuthUser,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> Result<Option<String>> {
        match self
            .store
            .idempotency_record(user.ledger(), key.as_str())
            .await?
        {
            None => Ok(None),
            Some(r) if r.fingerprint == fingerprint => {
                tracing::info!(user = %user.ledger(), "idempotent request replayed");
                Ok(Some(r.result))
            }
            Some(_) => Err(key_reused()),
        }
    }

    /// [`Finance::replayed`] for a write whose stored result is the id of
    /// what it created (a transaction, a transfer): that id, or `None` when
    /// the key is new.
    pub(crate) async fn replayed_id(
        &self,
        user: &AuthUser,
        key: &IdempotencyKey,
        fingerprint: &str,
    ) -> Result<Option<Id>> {
        let Some(result) = self.replayed(user, key, fingerprint).await? else {
            return Ok(None);
        };
        Id::from_hex(&result)
            .map(Some)
            .ok_or_else(|| Error::internal("idempotency", "stored result is not an id"))
    }
}
