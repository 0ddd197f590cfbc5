//! Idempotency keys: a client-chosen token that makes a write safe to retry.
//!
//! The app generates one (a UUID) per form submission or import commit and
//! sends it again when it retries after `Unavailable` (when the outcome of the
//! first try is unknown). The store records the key with the write, in the same
//! database transaction, unique per user: a replay of the same request returns
//! the first result and writes nothing; the same key with a different request
//! is `Conflict { field: "idempotencyKey" }`.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The input field name used in errors.
pub const IDEMPOTENCY_FIELD: &str = "idempotencyKey";

/// 16–64 characters of `A–Z a–z 0–9 - _` (a UUID fits).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Shortest accepted key.
    pub const MIN_LEN: usize = 16;
    /// Longest accepted key.
    pub const MAX_LEN: usize = 64;

    /// Validate (no trimming: a key is compared byte for byte).
    pub fn parse(field: &str, raw: &str) -> Result<IdempotencyKey> {
        let len = raw.len();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&len) {
            return Err(Error::validation(
                field,
                format!(
                    "must be {}–{} characters long",
                    Self::MIN_LEN,
                    Self::MAX_LEN
                ),
            ));
        }
        if !raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Error::validation(
                field,
                "may only contain letters, digits, '-' and '_'",
            ));
        }
        Ok(IdempotencyKey(raw.to_string()))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The error for a key already used by a different request.
pub fn key_reused() -> Error {
    Error::conflict(
        IDEMPOTENCY_FIELD,
        "this request key was already used for a different request; start the action again",
    )
}

/// A SHA-256 fingerprint (hex) of a request, built from length-prefixed parts
/// so that no two different part lists give the same input.
pub(crate) struct Fingerprint(Sha256);

impl Fingerprint {
    pub(crate) fn new(operation: &str) -> Fingerprint {
        let mut f = Fingerprint(Sha256::new());
        f.part(operation.as_bytes());
        f
    }

    pub(crate) fn part(&mut self, bytes: &[u8]) -> &mut Fingerprint {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub(crate) fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_uuids_and_refuses_the_rest() {
        assert!(IdempotencyKey::parse("k", "0f8fad5b-d9cb-469f-a165-70867728950e").is_ok());
        assert!(IdempotencyKey::parse("k", "abcdefghijklmnop").is_ok());
        for bad in [
            "",
            "short",
            "abcdefghijklmno",
            &"a".repeat(65),
            "abcdefgh ijklmnop",
            "abcdefghijklmnop\n",
            "abcdéfghijklmnop",
            "abcdefgh/ijklmnop",
        ] {
            let e = IdempotencyKey::parse("idempotencyKey", bad).unwrap_err();
            assert_eq!(e.field(), Some("idempotencyKey"), "{bad:?}");
        }
    }

    #[test]
    fn fingerprints_separate_parts() {
        let a = {
            let mut f = Fingerprint::new("add");
            f.part(b"ab").part(b"c");
            f.finish()
        };
        let b = {
            let mut f = Fingerprint::new("add");
            f.part(b"a").part(b"bc");
            f.finish()
        };
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }
}
