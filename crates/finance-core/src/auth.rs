//! Authentication primitives: password hashing, session tokens (JWT), the
//! signing key and its key store, and the log-in throttle policy.
//!
//! Passwords are pre-hashed (SHA-256, base64) before bcrypt, so every byte of
//! a 128-character password counts: bcrypt alone would silently ignore
//! everything past 72 bytes. bcrypt runs on the blocking pool, never on the
//! async executor.

use std::fmt;
use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::id::Id;

/// bcrypt cost used in release builds.
pub const DEFAULT_BCRYPT_COST: u32 = 12;

fn prehash(password: &str) -> String {
    STANDARD.encode(Sha256::digest(password.as_bytes()))
}

/// Hash a password with bcrypt at `cost` (on the blocking pool).
pub async fn hash_password(password: String, cost: u32) -> Result<String> {
    tokio::task::spawn_blocking(move || bcrypt::hash(prehash(&password), cost))
        .await
        .map_err(|e| Error::internal("hash_password", e))?
        .map_err(|e| Error::internal("hash_password", e))
}

/// Check a password against a stored hash (on the blocking pool). A malformed hash verifies as false.
pub async fn verify_password(password: String, hash: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || bcrypt::verify(prehash(&password), &hash).unwrap_or(false))
        .await
        .map_err(|e| Error::internal("verify_password", e))
}

/// A 256-bit HMAC key for session tokens. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey(Vec<u8>);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

impl SigningKey {
    /// A fresh random 256-bit key.
    pub fn generate() -> SigningKey {
        SigningKey(rand::random::<[u8; 32]>().to_vec())
    }

    /// A key from configuration (`FINANCE_JWT_SECRET`): refused unless it
    /// passes [`crate::config::check_jwt_secret`] (length and entropy).
    pub fn from_secret(secret: &str) -> Result<SigningKey> {
        crate::config::check_jwt_secret(secret)?;
        Ok(SigningKey(secret.as_bytes().to_vec()))
    }

    /// The text form kept by a [`KeyStore`].
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.0)
    }

    /// Parse the text form kept by a [`KeyStore`].
    pub fn decode(s: &str) -> Option<SigningKey> {
        URL_SAFE_NO_PAD
            .decode(s.trim())
            .ok()
            .filter(|b| b.len() >= 32)
            .map(SigningKey)
    }

    /// The configured key if any, else the kept one, else a new one that is kept for next time.
    pub fn resolve(configured: Option<&str>, store: &dyn KeyStore) -> Result<SigningKey> {
        if let Some(secret) = configured {
            return SigningKey::from_secret(secret);
        }
        if let Some(kept) = store.load()? {
            if let Some(key) = SigningKey::decode(&kept) {
                return Ok(key);
            }
            tracing::warn!("kept signing key is malformed; generating a new one");
        }
        let key = SigningKey::generate();
        store.save(&key.encode())?;
        Ok(key)
    }
}

/// Where a generated signing key is kept between runs (the OS keyring in the app, a file in tests).
pub trait KeyStore: Send + Sync {
    /// The kept key, if any.
    fn load(&self) -> Result<Option<String>>;
    /// Keep `key`, replacing any earlier one.
    fn save(&self, key: &str) -> Result<()>;
}

/// A [`KeyStore`] backed by a file (mode 0600 on Unix).
#[derive(Clone, Debug)]
pub struct FileKeyStore {
    path: PathBuf,
}

impl FileKeyStore {
    /// Keep the key at `path`.
    pub fn new(path: impl Into<PathBuf>) -> FileKeyStore {
        FileKeyStore { path: path.into() }
    }
}

impl KeyStore for FileKeyStore {
    fn load(&self) -> Result<Option<String>> {
        match std::fs::read_to_string(&self.path) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::internal("FileKeyStore::load", e)),
        }
    }

    fn save(&self, key: &str) -> Result<()> {
        use std::io::Write;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::internal("FileKeyStore::save", e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options
            .open(&self.path)
            .map_err(|e| Error::internal("FileKeyStore::save", e))?;
        f.write_all(key.as_bytes())
            .map_err(|e| Error::internal("FileKeyStore::save", e))
    }
}

/// The claims of a session token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user id (hex).
    pub sub: String,
    /// The session id.
    pub jti: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Not before (seconds since the epoch).
    pub nbf: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

/// A session token. `Debug` and `Display` never show it; use [`SessionToken::expose`] to hand it to the key ring.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

impl SessionToken {
    /// Wrap a token read back from storage.
    pub fn new(token: String) -> SessionToken {
        SessionToken(token)
    }
    /// The token text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Issues and checks HS256 session tokens.
#[derive(Clone)]
pub struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenIssuer(<redacted>)")
    }
}

impl TokenIssuer {
    /// Sign with `key`.
    pub fn new(key: &SigningKey) -> TokenIssuer {
        TokenIssuer {
            encoding: EncodingKey::from_secret(&key.0),
            decoding: DecodingKey::from_secret(&key.0),
        }
    }

    /// Issue a token for `user` valid for `ttl` from `now`.
    pub fn issue(
        &self,
        user: Id,
        now: DateTime<Utc>,
        ttl: TimeDelta,
    ) -> Result<(SessionToken, Claims)> {
        let claims = Claims {
            sub: user.to_hex(),
            jti: Id::generate().to_hex(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: (now + ttl).timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::internal("TokenIssuer::issue", e))?;
        Ok((SessionToken(token), claims))
    }

    /// Check the signature (HS256 only) and the time claims against `now`. Every failure is `Unauthorized`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<(Id, Claims)> {
        let claims = self.verify_signature(token)?;
        let t = now.timestamp();
        if claims.exp <= t || claims.nbf > t || claims.iat > t + 60 {
            return Err(Error::unauthorized());
        }
        let user = Id::from_hex(&claims.sub).ok_or_else(Error::unauthorized)?;
        Ok((user, claims))
    }

    /// Check only the signature and shape (used by log-out, which accepts expired tokens).
    pub fn verify_signature(&self, token: &str) -> Result<Claims> {
        if token.is_empty() || token.len() > 4096 {
            return Err(Error::unauthorized());
        }
        let mut validation = Validation::new(Algorithm::HS256);
        // Time is checked against the caller's `now`, not the system clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub", "nbf"]);
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| {
                tracing::debug!(kind = ?e.kind(), "session token refused");
                Error::unauthorized()
            })
    }
}

/// The log-in lock-out: how password attempts on one username are throttled.
///
/// The rule, applied by a store atomically and on **its own clock** (the
/// machine's for SQLite, the server's for MongoDB; never a caller's `now`),
/// see [`Lockout::attempt`]:
///
/// * an attempt during a lock is refused before any password check, and does
///   not count or lengthen the lock;
/// * any other attempt is counted as a failure *before* the password is
///   checked (so simultaneous attempts cannot slip past the count), and the
///   count decides the lock that starts now: none for the first
///   [`free`](Lockout::free) failures, then [`first`](Lockout::first),
///   doubling, at most [`max`](Lockout::max);
/// * the attempt that proves the password clears the count (the caller calls
///   `clear_login_failures`);
/// * a count whose last failure is older than [`memory`](Lockout::memory)
///   starts over;
/// * a stored lock ending more than `max` after the store's now (written by a
///   clock that was wrong) is treated as expired.
///
/// The trade-off: the throttle is keyed by username, so whoever keeps failing
/// on a username keeps it locked. That costs the attacker their guessing rate:
/// after 12 failures they get one guess per `max` (24 a day), however many
/// desktops they use, and a lock never outlasts `max` from the store's point
/// of view. The owner keeps every session already open (locks never touch
/// sessions) and gets in with the first right password after a lock ends,
/// which resets the count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lockout {
    /// Failures allowed before the first lock.
    pub free: u32,
    /// The first lock's length (after `free` failures); each further failure doubles it.
    pub first: TimeDelta,
    /// The longest lock; a stored lock ending later than now + `max` is treated as expired.
    pub max: TimeDelta,
    /// A count whose last failure is older than this starts over.
    pub memory: TimeDelta,
}

/// The lock-out of the app: 5 free failures, then 30 s doubling to 1 hour;
/// failures are forgotten after a quiet day.
pub const LOCKOUT: Lockout = Lockout {
    free: 5,
    first: TimeDelta::seconds(30),
    max: TimeDelta::hours(1),
    memory: TimeDelta::days(1),
};

/// One username's throttle state as a store keeps it (all instants on the store's clock).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThrottleState {
    /// Failures counted since the count last started.
    pub failures: u32,
    /// When the current lock ends, if any.
    pub locked_until: Option<DateTime<Utc>>,
    /// When the last failure was counted (absent in rows of older versions).
    pub last_failure_at: Option<DateTime<Utc>>,
}

impl Lockout {
    /// How long the lock after `failures` counted failures lasts (`None`: no lock).
    pub fn lock_for(&self, failures: u32) -> Option<TimeDelta> {
        if failures < self.free {
            return None;
        }
        let doublings = (failures - self.free).min(30);
        Some((self.first * (1 << doublings)).min(self.max))
    }

    /// The locks after 1, 2, … failures up to the first that reaches `max`
    /// (every later count locks for `max` too), in milliseconds, 0 for none:
    /// the schedule as data, for a store that applies it inside its database.
    pub fn schedule_millis(&self) -> Vec<i64> {
        let mut table = Vec::new();
        for failures in 1.. {
            let lock = self.lock_for(failures);
            table.push(lock.map_or(0, |d| d.num_milliseconds()));
            if lock.is_some_and(|d| d >= self.max) || failures > self.free + 31 {
                break;
            }
        }
        table
    }

    /// One password attempt at `now` (the store's clock) on a username in
    /// state `prev`: `Err(retry_after)` if a lock is in force (nothing
    /// changes), else the state to store, with this attempt counted as a
    /// failure and the lock that count calls for starting at `now`.
    pub fn attempt(
        &self,
        prev: ThrottleState,
        now: DateTime<Utc>,
    ) -> std::result::Result<ThrottleState, TimeDelta> {
        // In force: not ended, and ending no later than now + max (a later
        // end was written by a wrong clock and is treated as expired).
        if let Some(until) = prev.locked_until
            && until > now
            && until <= now + self.max
        {
            return Err(until - now);
        }
        let recent = prev
            .last_failure_at
            .is_some_and(|at| at > now - self.memory);
        let failures = if recent {
            prev.failures.saturating_add(1)
        } else {
            1
        };
        Ok(ThrottleState {
            failures,
            locked_until: self.lock_for(failures).map(|lock| now + lock),
            last_failure_at: Some(now),
        })
    }
}

/// Whole seconds to wait for `retry_after` (rounded up, at least 1).
pub fn retry_after_secs(retry_after: TimeDelta) -> u64 {
    let ms = retry_after.num_milliseconds().max(1);
    u64::try_from(ms).unwrap_or(1).div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_long_passwords_are_not_truncated() {
        let h = hash_password("correct horse".into(), 4).await.unwrap();
        assert!(
            verify_password("correct horse".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("correct horsf".into(), h).await.unwrap());
        // Two 100-byte passwords differing only after byte 72 must not collide.
        let a = format!("{}A", "x".repeat(99));
        let b = format!("{}B", "x".repeat(99));
        let h = hash_password(a.clone(), 4).await.unwrap();
        assert!(verify_password(a, h.clone()).await.unwrap());
        assert!(!verify_password(b, h).await.unwrap());
        assert!(
            !verify_password("x".into(), "not a hash".into())
                .await
                .unwrap()
        );
    }

    #[test]
    fn tokens_verify_and_expire() {
        let issuer = TokenIssuer::new(&SigningKey::generate());
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let user = Id::generate();
        let (token, claims) = issuer.issue(user, now, TimeDelta::days(7)).unwrap();
        let (who, back) = issuer.verify(token.expose(), now).unwrap();
        assert_eq!((who, &back), (user, &claims));
        assert_eq!(claims.exp - claims.iat, 7 * 24 * 3600);
        assert!(
            issuer
                .verify(token.expose(), now + TimeDelta::days(7))
                .is_err()
        );
        assert!(
            issuer
                .verify(token.expose(), now - TimeDelta::seconds(1))
                .is_err(),
            "not yet valid"
        );
        let other = TokenIssuer::new(&SigningKey::generate());
        assert!(other.verify(token.expose(), now).is_err(), "wrong key");
        assert!(issuer.verify("", now).is_err());
        assert!(issuer.verify("a.b.c", now).is_err());
        assert!(!format!("{token:?}").contains(token.expose()));
    }

    #[test]
    fn lockout_grows_and_is_capped() {
        let l = LOCKOUT;
        assert_eq!(l.lock_for(4), None, "4 failures are free");
        assert_eq!(l.lock_for(5), Some(TimeDelta::seconds(30)));
        assert_eq!(l.lock_for(6), Some(TimeDelta::seconds(60)));
        assert_eq!(l.lock_for(9), Some(TimeDelta::seconds(480)));
        assert_eq!(l.lock_for(12), Some(TimeDelta::seconds(3600)));
        assert_eq!(l.lock_for(u32::MAX), Some(TimeDelta::seconds(3600)));
        let table = l.schedule_millis();
        assert_eq!(table.len(), 12, "the table ends at the first maximal lock");
        for (i, ms) in table.iter().enumerate() {
            let lock = l.lock_for(i as u32 + 1).map_or(0, |d| d.num_milliseconds());
            assert_eq!(*ms, lock, "table entry for {} failures", i + 1);
        }
        assert_eq!(retry_after_secs(TimeDelta::milliseconds(29_001)), 30);
        assert_eq!(retry_after_secs(TimeDelta::milliseconds(29_000)), 29);
        assert_eq!(retry_after_secs(TimeDelta::zero()), 1);
    }

    #[test]
    fn attempts_count_lock_and_expire_on_the_stores_clock() {
        let l = LOCKOUT;
        let t = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let mut s = ThrottleState::default();
        for n in 1..=5 {
            s = l.attempt(s, t).expect("no lock yet");
            assert_eq!(s.failures, n);
        }
        assert_eq!(
            s.locked_until,
            Some(t + TimeDelta::seconds(30)),
            "the 5th failure locks"
        );
        assert_eq!(
            l.attempt(s, t + TimeDelta::seconds(10)),
            Err(TimeDelta::seconds(20)),
            "attempts during a lock are refused and change nothing"
        );
        let after = l.attempt(s, t + TimeDelta::seconds(30)).expect("lock over");
        assert_eq!(after.failures, 6);
        assert_eq!(after.locked_until, Some(t + TimeDelta::seconds(90)));
        // A lock ending later than now + max was written by a wrong clock: expired.
        let far = ThrottleState {
            failures: 40,
            locked_until: Some(t + TimeDelta::days(365)),
            last_failure_at: Some(t),
        };
        let next = l.attempt(far, t).expect("a too-long lock is not in force");
        assert!(next.locked_until.unwrap() <= t + l.max);
        let at_max = ThrottleState {
            locked_until: Some(t + l.max),
            ..far
        };
        assert_eq!(
            l.attempt(at_max, t),
            Err(l.max),
            "a lock of exactly max holds"
        );
        // A quiet day forgets the count; rows of older versions (no last failure) start over.
        let quiet = l.attempt(after, t + TimeDelta::days(2)).unwrap();
        assert_eq!((quiet.failures, quiet.locked_until), (1, None));
        let legacy = ThrottleState {
            failures: 9,
            locked_until: None,
            last_failure_at: None,
        };
        assert_eq!(l.attempt(legacy, t).unwrap().failures, 1);
    }

    #[test]
    fn signing_keys_resolve_and_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileKeyStore::new(dir.path().join("k"));
        let first = SigningKey::resolve(None, &store).unwrap();
        let again = SigningKey::resolve(None, &store).unwrap();
        assert_eq!(first, again, "a generated key is kept");
        assert!(SigningKey::resolve(Some("short"), &store).is_err());
        assert!(SigningKey::resolve(Some(&"s".repeat(32)), &store).is_err());
        let configured =
            SigningKey::resolve(Some("q7Vx2LmN9pR4sT8wY1zB5cD3fG6hJ0kM"), &store).unwrap();
        assert_ne!(configured, first);
        assert_eq!(format!("{first:?}"), "SigningKey(<redacted>)");
    }
}
