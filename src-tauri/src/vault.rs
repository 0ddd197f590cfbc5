//! Secrets in the OS keyring (Windows Credential Manager, macOS Keychain,
//! Linux Secret Service), under the app's identifier as the service name:
//!
//! * `session` — the signed-in user's session, `<store key>:<token>` (see
//!   [`crate::revocations`]; the webview never sees it);
//! * `pending-revocations` — sessions signed out on this computer that their
//!   store has not confirmed as ended yet (JSON: store key → tokens);
//! * `jwt-signing-key` — the generated token-signing key, when none is configured;
//! * `mongodb-uri` — a MongoDB URI entered in Settings (it may hold a password);
//! * `server` — a Finance server chosen in Settings: its address and the
//!   certificate fingerprint the user confirmed (or `public`);
//! * `server-session` — the bearer token of the sign-in on that server.
//!
//! Keyring calls block (D-Bus round trips on Linux): async callers go through
//! `spawn_blocking`.

use finance_core::auth::KeyStore;

/// Entry names.
pub const SESSION: &str = "session";
/// See module docs.
pub const PENDING_REVOCATIONS: &str = "pending-revocations";
/// See module docs.
pub const SIGNING_KEY: &str = "jwt-signing-key";
/// See module docs.
pub const MONGODB_URI: &str = "mongodb-uri";
/// See module docs.
pub const SERVER: &str = "server";
/// See module docs.
pub const SERVER_SESSION: &str = "server-session";

/// Why the keyring could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct VaultError(pub String);

/// The app's entries in the OS keyring.
#[derive(Debug, Clone)]
pub struct Vault {
    service: String,
}

impl Vault {
    /// Entries under `service` (the app identifier; tests use a unique one).
    pub fn new(service: impl Into<String>) -> Vault {
        Vault {
            service: service.into(),
        }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(&self.service, name).map_err(|e| VaultError(describe(&e)))
    }

    /// Read an entry; `None` when absent.
    pub fn get(&self, name: &str) -> Result<Option<String>, VaultError> {
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(VaultError(describe(&e))),
        }
    }

    /// Write an entry.
    pub fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        self.entry(name)?
            .set_password(value)
            .map_err(|e| VaultError(describe(&e)))
    }

    /// Delete an entry; absent is fine.
    pub fn delete(&self, name: &str) -> Result<(), VaultError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(VaultError(describe(&e))),
        }
    }

    /// Whether the keyring answers at all (reads a harmless entry).
    pub fn check(&self) -> Result<(), VaultError> {
        self.get(SESSION).map(|_| ())
    }
}

/// The error's kind and text (keyring errors never contain the secret).
fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoDefaultStore => "no credential store is available".into(),
        keyring::Error::NoStorageAccess(_) | keyring::Error::PlatformFailure(_) => {
            format!("the credential store is not reachable: {e}")
        }
        keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => {
            // Never echo stored bytes: they may be a secret.
            "a stored value is not valid text".into()
        }
        other => other.to_string(),
    }
}

/// The core's signing-key store, backed by the keyring.
#[derive(Debug, Clone)]
pub struct KeyringKeyStore(pub Vault);

impl KeyStore for KeyringKeyStore {
    fn load(&self) -> finance_core::Result<Option<String>> {
        self.0
            .get(SIGNING_KEY)
            .map_err(|e| finance_core::Error::Unavailable {
                message: crate::error::keyring_help(&e.0),
            })
    }

    fn save(&self, key: &str) -> finance_core::Result<()> {
        self.0
            .set(SIGNING_KEY, key)
            .map_err(|e| finance_core::Error::Unavailable {
                message: crate::error::keyring_help(&e.0),
            })
    }
}
