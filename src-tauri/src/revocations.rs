//! Sign-outs the store has not confirmed yet, and which store a kept session
//! belongs to.
//!
//! Signing out on this computer always succeeds: the keyring's `session`
//! entry goes. Ending the session *in the store* needs the store; when it
//! cannot be reached (or when the kept session belongs to a store other than
//! the one open, e.g. after switching from MongoDB to the local store), the
//! token is kept as a **pending revocation** and sent again at the next start
//! and whenever a store call succeeds after one failed, until the store
//! confirms (or the token has expired, when there is nothing left to end).
//!
//! Invariants:
//! * pending tokens live only in the OS keyring (entry
//!   [`crate::vault::PENDING_REVOCATIONS`]) and Rust memory: they are
//!   secrets, never logged (counts only) and never sent to the webview;
//! * they are filed under a [`StoreKey`], a SHA-256 digest of the store's
//!   kind and credential-free location (`hosts/db` for MongoDB, the file
//!   path for SQLite): the key never holds or reveals a URI, and a rotated
//!   password still finds the same store;
//! * a token leaves the list only when the store confirmed its session is
//!   gone, when the token is expired, or when its signature is not ours (no
//!   store of ours can hold its session);
//! * the kept session is written `<store key>:<token>` (a JWT has no `:`);
//!   a bare token (written before this format) belongs to the open store.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use finance_core::auth::SessionToken;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::vault::{self, Vault, VaultError};

/// At most this many pending tokens are kept per store (the oldest go first).
pub const MAX_PENDING_PER_STORE: usize = 32;

/// Which store a session belongs to (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreKey(String);

impl StoreKey {
    /// The key of the store of `kind` (`sqlite`, `mongodb`) at `location`.
    pub fn of(kind: &str, location: &str) -> StoreKey {
        let digest = Sha256::digest(format!("{kind}\n{location}").as_bytes());
        StoreKey(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The key as written in the keyring (32 hex digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn parse(s: &str) -> Option<StoreKey> {
        (s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| StoreKey(s.into()))
    }
}

/// The kept session: its token and, when known, its store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptSession {
    pub store: Option<StoreKey>,
    pub token: SessionToken,
}

impl KeptSession {
    /// The keyring text: `<store key>:<token>`.
    pub fn encode(&self) -> String {
        match &self.store {
            Some(k) => format!("{}:{}", k.as_str(), self.token.expose()),
            None => self.token.expose().to_string(),
        }
    }

    /// Read the keyring text (a bare token has no store).
    pub fn decode(text: &str) -> KeptSession {
        match text.split_once(':') {
            Some((key, token)) if StoreKey::parse(key).is_some() => KeptSession {
                store: StoreKey::parse(key),
                token: SessionToken::new(token.to_string()),
            },
            _ => KeptSession {
                store: None,
                token: SessionToken::new(text.to_string()),
            },
        }
    }

    /// Whether the session belongs to the store `key` (a bare token does).
    pub fn belongs_to(&self, key: &StoreKey) -> bool {
        self.store.as_ref().is_none_or(|k| k == key)
    }
}

/// The pending revocations: store key → tokens (the keyring entry's JSON).
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Pending {
    #[serde(default)]
    stores: BTreeMap<String, Vec<String>>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let counts: BTreeMap<&str, usize> = self
            .stores
            .iter()
            .map(|(k, v)| (k.as_str(), v.len()))
            .collect();
        f.debug_struct("Pending").field("tokens", &counts).finish()
    }
}

impl Pending {
    /// Read the entry (absent or unreadable JSON: nothing pending).
    pub fn load(vault: &Vault) -> Result<Pending, VaultError> {
        Ok(vault
            .get(vault::PENDING_REVOCATIONS)?
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default())
    }

    /// Write the entry back (deleted when nothing is pending).
    pub fn save(&self, vault: &Vault) -> Result<(), VaultError> {
        if self.stores.is_empty() {
            return vault.delete(vault::PENDING_REVOCATIONS);
        }
        let text = serde_json::to_string(self)
            .map_err(|e| VaultError(format!("cannot encode pending sign-outs: {e}")))?;
        vault.set(vault::PENDING_REVOCATIONS, &text)
    }

    /// Add `token` for `store` (once; the oldest go past [`MAX_PENDING_PER_STORE`]).
    pub fn add(&mut self, store: &StoreKey, token: &SessionToken) {
        let list = self.stores.entry(store.as_str().to_string()).or_default();
        if !list.iter().any(|t| t == token.expose()) {
            list.push(token.expose().to_string());
        }
        let excess = list.len().saturating_sub(MAX_PENDING_PER_STORE);
        list.drain(..excess);
    }

    /// The tokens pending for `store`.
    pub fn tokens(&self, store: &StoreKey) -> Vec<SessionToken> {
        self.stores
            .get(store.as_str())
            .map(|l| l.iter().cloned().map(SessionToken::new).collect())
            .unwrap_or_default()
    }

    /// Replace the tokens pending for `store`.
    pub fn set(&mut self, store: &StoreKey, tokens: &[SessionToken]) {
        if tokens.is_empty() {
            self.stores.remove(store.as_str());
        } else {
            self.stores.insert(
                store.as_str().to_string(),
                tokens.iter().map(|t| t.expose().to_string()).collect(),
            );
        }
    }

    /// Drop the tokens of `store` signed for `user` (hex id, the `sub` claim):
    /// after the user's account is deleted no session of theirs exists to end.
    /// Answers how many were dropped.
    pub fn forget_user(&mut self, store: &StoreKey, user: &str) -> usize {
        let Some(list) = self.stores.get_mut(store.as_str()) else {
            return 0;
        };
        let before = list.len();
        list.retain(|t| subject(&SessionToken::new(t.clone())).as_deref() != Some(user));
        let dropped = before - list.len();
        if list.is_empty() {
            self.stores.remove(store.as_str());
        }
        dropped
    }

    /// How many tokens are pending for `store`.
    pub fn count(&self, store: &StoreKey) -> usize {
        self.stores.get(store.as_str()).map_or(0, Vec::len)
    }
}

/// The token's claims, read without checking the signature (`None` when unreadable).
fn claims<T: serde::de::DeserializeOwned>(token: &SessionToken) -> Option<T> {
    token
        .expose()
        .split('.')
        .nth(1)
        .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|json| serde_json::from_slice::<T>(&json).ok())
}

/// The user a token was signed for (its `sub` claim, unchecked).
fn subject(token: &SessionToken) -> Option<String> {
    #[derive(Deserialize)]
    struct Sub {
        sub: String,
    }
    claims::<Sub>(token).map(|c| c.sub)
}

/// Whether `token`'s `exp` claim is past at `now` (read without checking the
/// signature: an expired session needs no revocation, whoever signed it).
/// A token whose claims cannot be read is not expired (the store decides).
pub fn expired(token: &SessionToken, now: DateTime<Utc>) -> bool {
    #[derive(Deserialize)]
    struct Exp {
        exp: i64,
    }
    claims::<Exp>(token).is_some_and(|c| c.exp <= now.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(exp: i64) -> SessionToken {
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"u","exp":{exp}}}"#));
        SessionToken::new(format!("eyJhbGciOiJIUzI1NiJ9.{payload}.sig"))
    }

    #[test]
    fn kept_sessions_round_trip_and_bare_tokens_have_no_store() {
        let key = StoreKey::of("mongodb", "db.example.net/finance");
        assert_eq!(key.as_str().len(), 32);
        assert_ne!(key, StoreKey::of("sqlite", "db.example.net/finance"));
        let kept = KeptSession {
            store: Some(key.clone()),
            token: token(5),
        };
        assert_eq!(KeptSession::decode(&kept.encode()), kept);
        let bare = KeptSession::decode(token(5).expose());
        assert_eq!((bare.store.as_ref(), &bare.token), (None, &token(5)));
        assert!(bare.belongs_to(&key) && kept.belongs_to(&key));
        assert!(!kept.belongs_to(&StoreKey::of("sqlite", "/x")));
    }

    #[test]
    fn pending_lists_are_per_store_bounded_and_never_debug_tokens() {
        let a = StoreKey::of("mongodb", "a/finance");
        let b = StoreKey::of("sqlite", "/data/finance.sqlite3");
        let mut p = Pending::default();
        p.add(&a, &token(1));
        p.add(&a, &token(1));
        p.add(&b, &token(2));
        assert_eq!((p.count(&a), p.count(&b)), (1, 1), "one entry per token");
        for i in 0..40 {
            p.add(&a, &token(100 + i));
        }
        assert_eq!(p.count(&a), MAX_PENDING_PER_STORE);
        assert_eq!(p.tokens(&a).last(), Some(&token(139)), "the newest stay");
        let shown = format!("{p:?}");
        assert!(!shown.contains("eyJ"), "Debug shows counts only: {shown}");
        p.set(&a, &[]);
        assert_eq!(p.count(&a), 0);
    }

    #[test]
    fn a_deleted_users_pending_tokens_are_forgotten_and_no_one_elses() {
        let of = |sub: &str, exp: i64| {
            let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"{sub}","exp":{exp}}}"#));
            SessionToken::new(format!("eyJhbGciOiJIUzI1NiJ9.{payload}.sig"))
        };
        let a = StoreKey::of("sqlite", "/data/finance.sqlite3");
        let b = StoreKey::of("mongodb", "b/finance");
        let mut p = Pending::default();
        p.add(&a, &of("ann", 1));
        p.add(&a, &of("ann", 2));
        p.add(&a, &of("bob", 3));
        p.add(&b, &of("ann", 4));
        assert_eq!(
            p.forget_user(&a, "ann"),
            2,
            "both of ann's tokens on that store go"
        );
        assert_eq!(
            p.tokens(&a),
            vec![of("bob", 3)],
            "bob's pending sign-out stays"
        );
        assert_eq!(p.count(&b), 1, "another store's user is another account");
        assert_eq!(p.forget_user(&a, "bob"), 1);
        assert_eq!(p.count(&a), 0, "an emptied store leaves the list");
    }

    #[test]
    fn expiry_is_read_from_the_claims() {
        let now = DateTime::from_timestamp(1_000, 0).unwrap();
        assert!(expired(&token(999), now));
        assert!(!expired(&token(1_001), now));
        assert!(!expired(&SessionToken::new("garbage".into()), now));
    }
}
