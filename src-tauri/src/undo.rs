//! What the latest bulk deletes removed, held in the app for their Undo.
//!
//! The webview gets an opaque random token, never the rows: an undo can only
//! put back exactly what a delete of the same user removed (same ids,
//! dates, statuses, transfers). An entry goes when its undo succeeds (a
//! retry of that undo is answered by its idempotency key in the store), at
//! sign-out, or when newer deletes push it out (at most [`MAX_PENDING`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use finance_core::Id;
use finance_core::domain::Transaction;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::imports::new_file_id;

/// How many deletes can still be undone.
pub const MAX_PENDING: usize = 2;

struct Pending {
    owner: Id,
    rows: Arc<Vec<Transaction>>,
    made: u64,
}

/// Deleted rows by undo token.
#[derive(Default)]
pub struct PendingUndos {
    entries: Mutex<HashMap<String, Pending>>,
    counter: std::sync::atomic::AtomicU64,
}

/// The error for an unknown, used, expired or someone else's token.
pub fn nothing_to_undo() -> ApiError {
    ApiError {
        code: ErrorCode::NotFound,
        message: "there is nothing to undo any more".into(),
        field: Some("undoToken".into()),
        retry_after_secs: None,
    }
}

impl PendingUndos {
    /// Keep `owner`'s deleted `rows`; returns the token of their undo.
    pub fn insert(&self, owner: Id, rows: Vec<Transaction>) -> String {
        let token = new_file_id();
        let made = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        while entries.len() >= MAX_PENDING {
            let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, p)| p.made)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            entries.remove(&oldest);
        }
        entries.insert(
            token.clone(),
            Pending {
                owner,
                rows: Arc::new(rows),
                made,
            },
        );
        token
    }

    /// The rows `owner`'s token `token` holds.
    pub fn get(&self, owner: Id, token: &str) -> ApiResult<Arc<Vec<Transaction>>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(token) {
            Some(p) if p.owner == owner => Ok(p.rows.clone()),
            _ => Err(nothing_to_undo()),
        }
    }

    /// Forget `owner`'s token (after its undo).
    pub fn remove(&self, owner: Id, token: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.get(token).is_some_and(|p| p.owner == owner) {
            entries.remove(token);
        }
    }

    /// Forget everything (sign-out).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undos_belong_to_their_owner_and_the_oldest_make_way() {
        let p = PendingUndos::default();
        let (ann, bob) = (Id::generate(), Id::generate());
        let a = p.insert(ann, vec![]);
        assert!(p.get(ann, &a).is_ok());
        assert_eq!(p.get(bob, &a).unwrap_err().code, ErrorCode::NotFound);
        let b = p.insert(ann, vec![]);
        let c = p.insert(ann, vec![]);
        assert!(p.get(ann, &a).is_err(), "pushed out by newer deletes");
        p.remove(bob, &b);
        assert!(p.get(ann, &b).is_ok(), "only the owner's undo removes it");
        p.remove(ann, &b);
        assert_eq!(
            p.get(ann, &b).unwrap_err().field.as_deref(),
            Some("undoToken")
        );
        p.clear();
        assert!(p.get(ann, &c).is_err());
    }
}
