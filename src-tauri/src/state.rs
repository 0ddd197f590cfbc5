//! The app's state: configuration, the open store (once chosen), the keyring
//! vault, and an in-memory copy of the session token (never sent to the webview).
//!
//! Invariants: time is passed in (`now`): only the commands read the clock;
//! the token never leaves Rust memory and the keyring.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use finance_core::auth::{SessionToken, SigningKey};
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{AuthSettings, AuthUser, Config, Finance};
use tokio::sync::RwLock;

use crate::error::{IpcError, IpcResult};
use crate::imports::PendingImports;
use crate::ipc::{Profile, StartupState, StoreInfo, not_ready};
use crate::vault::{self, KeyringKeyStore, Vault};

/// Folders the app uses.
#[derive(Debug, Clone)]
pub struct AppPaths {
    /// Where the embedded store lives (unless `FINANCE_DATA_DIR` says otherwise).
    pub data_dir: PathBuf,
    /// Where an installed app reads its `.env`.
    pub config_dir: PathBuf,
}

/// The open store and the operations over it.
#[derive(Clone)]
pub struct Backend {
    pub finance: Finance,
    pub info: StoreInfo,
}

/// Managed Tauri state.
pub struct AppState {
    config: Config,
    paths: AppPaths,
    vault: Vault,
    backend: RwLock<Option<Backend>>,
    token: Mutex<Option<SessionToken>>,
    keyring_error: Mutex<Option<String>>,
    imports: PendingImports,
}

impl AppState {
    /// State over a configuration, folders and keyring service.
    pub fn new(config: Config, paths: AppPaths, vault: Vault) -> AppState {
        AppState {
            config,
            paths,
            vault,
            backend: RwLock::new(None),
            token: Mutex::new(None),
            keyring_error: Mutex::new(None),
            imports: PendingImports::default(),
        }
    }

    /// The keyring entries.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Files opened for CSV import.
    pub fn imports(&self) -> &PendingImports {
        &self.imports
    }

    /// The folders.
    pub fn paths(&self) -> &AppPaths {
        &self.paths
    }

    fn settings(&self) -> AuthSettings {
        AuthSettings {
            bcrypt_cost: self
                .config
                .bcrypt_cost
                .unwrap_or(finance_core::auth::DEFAULT_BCRYPT_COST),
            ..AuthSettings::default()
        }
    }

    /// Run a keyring call on the blocking pool.
    pub async fn keyring<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Vault) -> Result<T, vault::VaultError> + Send + 'static,
    ) -> Result<T, vault::VaultError> {
        let v = self.vault.clone();
        tokio::task::spawn_blocking(move || f(&v))
            .await
            .unwrap_or_else(|e| Err(vault::VaultError(format!("keyring task failed: {e}"))))
    }

    async fn mongodb_uri(&self) -> Option<String> {
        if let Some(uri) = &self.config.mongodb_uri {
            return Some(uri.clone());
        }
        self.keyring(|v| v.get(vault::MONGODB_URI))
            .await
            .ok()
            .flatten()
    }

    /// Open the configured store if none is open yet, then resume a kept session
    /// (checked as of `now`).
    ///
    /// Each keyring call is a D-Bus round trip (~60 ms on Linux), so the kept session,
    /// the MongoDB URI and the signing key are read at the same time, and while the
    /// store opens: start-up waits for the slowest, not for their sum.
    pub async fn startup(&self, now: DateTime<Utc>) -> StartupState {
        let (opened, token) = tokio::join!(
            async {
                if self.backend.read().await.is_none() {
                    self.open_configured().await
                } else {
                    Ok(())
                }
            },
            self.token()
        );
        if let Err(message) = opened {
            return self.state(None, Some(message)).await;
        }
        let user = self.resume(token, now).await;
        self.state(user, None).await
    }

    /// Use the embedded store for this run although MongoDB is configured.
    pub async fn use_local_store(&self, now: DateTime<Utc>) -> StartupState {
        let (opened, token) = tokio::join!(self.open_sqlite(true), self.token());
        if let Err(e) = opened {
            return self.state(None, Some(e.message)).await;
        }
        let user = self.resume(token, now).await;
        self.state(user, None).await
    }

    async fn state(&self, user: Option<Profile>, mongo_error: Option<String>) -> StartupState {
        let keyring_error = self.keyring_error.lock().ok().and_then(|g| g.clone());
        StartupState {
            version: env!("CARGO_PKG_VERSION").to_string(),
            store: self.backend.read().await.as_ref().map(|b| b.info.clone()),
            user,
            mongo_error,
            keyring_error,
        }
    }

    async fn open_configured(&self) -> Result<(), String> {
        match self.mongodb_uri().await {
            Some(uri) => {
                let (store, key) = tokio::join!(
                    MongoStore::connect(&uri, &self.config.mongodb_db),
                    self.signing_key()
                );
                let store = store.map_err(|e| e.to_string())?;
                self.install(Arc::new(store), key, false).await;
                Ok(())
            }
            None => self.open_sqlite(false).await.map_err(|e| e.message),
        }
    }

    async fn open_sqlite(&self, fallback: bool) -> IpcResult<()> {
        let dir = self
            .config
            .data_dir
            .clone()
            .unwrap_or_else(|| self.paths.data_dir.clone());
        let path = dir.join("finance.sqlite3");
        let (store, key) = tokio::join!(SqliteStore::open(&path), self.signing_key());
        self.install(Arc::new(store?), key, fallback).await;
        Ok(())
    }

    async fn install(&self, store: Arc<dyn Store>, key: SigningKey, fallback: bool) {
        let info = StoreInfo {
            kind: store.kind().to_string(),
            location: store.location(),
            fallback,
            config_dir: self.paths.config_dir.display().to_string(),
        };
        tracing::info!(store = %info.kind, location = %info.location, "store opened");
        let finance = Finance::new(store, &key, self.settings());
        *self.backend.write().await = Some(Backend { finance, info });
    }

    /// The configured key, or the one kept in the keyring; without a keyring, a
    /// key for this run only (sign-in is refused anyway, with the reason).
    async fn signing_key(&self) -> SigningKey {
        let configured = self.config.jwt_secret.clone();
        let vault = self.vault.clone();
        let resolved = tokio::task::spawn_blocking(move || {
            SigningKey::resolve(configured.as_deref(), &KeyringKeyStore(vault))
        })
        .await;
        match resolved {
            Ok(Ok(key)) => key,
            Ok(Err(e)) => {
                tracing::warn!(
                    "signing key unavailable from the keyring; using a key for this run only"
                );
                self.note_keyring_error(e.to_string());
                SigningKey::generate()
            }
            Err(e) => {
                tracing::error!(error = %e, "signing key task failed");
                SigningKey::generate()
            }
        }
    }

    fn note_keyring_error(&self, message: String) {
        if let Ok(mut g) = self.keyring_error.lock() {
            *g = Some(message);
        }
    }

    /// A valid kept session's profile; a stale one is removed from the keyring.
    async fn resume(
        &self,
        kept: IpcResult<Option<SessionToken>>,
        now: DateTime<Utc>,
    ) -> Option<Profile> {
        let backend = self.backend().await.ok()?;
        let token = match kept {
            Ok(Some(t)) => t,
            Ok(None) => return None,
            Err(e) => {
                self.note_keyring_error(e.message);
                return None;
            }
        };
        match backend.finance.authenticate(token.expose(), now).await {
            Ok(user) => backend
                .finance
                .profile(&user)
                .await
                .ok()
                .map(|u| Profile::from(&u)),
            Err(e) => {
                tracing::info!(code = %e.code(), "kept session not resumed");
                if e.code() == finance_core::ErrorCode::Unauthorized {
                    self.forget_token().await;
                }
                None
            }
        }
    }

    /// The open backend.
    pub async fn backend(&self) -> IpcResult<Backend> {
        self.backend.read().await.clone().ok_or_else(not_ready)
    }

    /// The session token: from memory, else from the keyring.
    async fn token(&self) -> IpcResult<Option<SessionToken>> {
        if let Some(t) = self.token.lock().ok().and_then(|g| g.clone()) {
            return Ok(Some(t));
        }
        let kept = self
            .keyring(|v| v.get(vault::SESSION))
            .await
            .map_err(|e| IpcError::keyring(&e.0))?;
        let token = kept.map(SessionToken::new);
        if let Ok(mut g) = self.token.lock() {
            g.clone_from(&token);
        }
        Ok(token)
    }

    /// Keep a new session token in the keyring (and memory).
    pub async fn keep_token(&self, token: SessionToken) -> IpcResult<()> {
        let text = token.expose().to_string();
        self.keyring(move |v| v.set(vault::SESSION, &text))
            .await
            .map_err(|e| IpcError::keyring(&e.0))?;
        if let Ok(mut g) = self.token.lock() {
            *g = Some(token);
        }
        Ok(())
    }

    /// Drop the token from memory and the keyring.
    pub async fn forget_token(&self) -> Option<SessionToken> {
        let old = self.token.lock().ok().and_then(|mut g| g.take());
        if let Err(e) = self.keyring(|v| v.delete(vault::SESSION)).await {
            tracing::warn!(error = %e, "could not delete the session from the keyring");
        }
        old
    }

    /// The current token (for log-out), without authenticating it.
    pub async fn current_token(&self) -> IpcResult<Option<SessionToken>> {
        self.token().await
    }

    /// The signed-in user, authenticated through the core for this call as of `now`.
    pub async fn session(&self, now: DateTime<Utc>) -> IpcResult<(Finance, AuthUser)> {
        let backend = self.backend().await?;
        let token = self
            .token()
            .await?
            .ok_or_else(|| IpcError::from(finance_core::Error::unauthorized()))?;
        match backend.finance.authenticate(token.expose(), now).await {
            Ok(user) => Ok((backend.finance, user)),
            Err(e) => {
                if e.code() == finance_core::ErrorCode::Unauthorized {
                    self.forget_token().await;
                }
                Err(e.into())
            }
        }
    }

    /// Refuse sign-in early when the keyring cannot keep the session.
    pub async fn require_keyring(&self) -> IpcResult<()> {
        match self.keyring(|v| v.check()).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let err = IpcError::keyring(&e.0);
                self.note_keyring_error(err.message.clone());
                Err(err)
            }
        }
    }
}
