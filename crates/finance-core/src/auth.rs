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
/// Failures allowed before a username is locked.
pub const FREE_FAILURES: u32 = 5;

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

/// How long log-ins stay refused after `failures` consecutive failures
/// (none below [`FREE_FAILURES`]; then 30 s, doubling, at most one hour).
pub fn lockout_for(failures: u32) -> Option<TimeDelta> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(7);
    let secs = (30i64 << doublings).min(3600);
    Some(TimeDelta::seconds(secs))
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
        assert_eq!(lockout_for(4), None);
        assert_eq!(lockout_for(5), Some(TimeDelta::seconds(30)));
        assert_eq!(lockout_for(6), Some(TimeDelta::seconds(60)));
        assert_eq!(lockout_for(9), Some(TimeDelta::seconds(480)));
        assert_eq!(lockout_for(40), Some(TimeDelta::seconds(3600)));
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
