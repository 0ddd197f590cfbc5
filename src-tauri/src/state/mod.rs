//! The app's state: configuration, the open store (once chosen), the keyring
//! vault, and an in-memory copy of the kept session (never sent to the webview).
//!
//! Invariants:
//! * time is passed in (`now`): only the commands read the clock;
//! * the token never leaves Rust memory and the keyring;
//! * a refused configuration opens no store: start-up answers why
//!   (`configError`, naming the variable) and nothing else;
//! * a sign-out is never lost: a session the store did not confirm as ended
//!   becomes a pending revocation ([`crate::revocations`]), retried at each
//!   start and when a store call succeeds after one found the store unreachable.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use finance_core::auth::{SessionToken, SigningKey};
use finance_core::config::MongoUri;
use finance_core::domain::Password;
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{AuthSettings, AuthUser, Config, ErrorCode, Finance};
use tokio::sync::RwLock;

use crate::error::{ApiError, ApiResult};
use crate::imports::PendingImports;
use crate::revocations::{KeptSession, Pending, StoreKey, expired};
use crate::undo::PendingUndos;
use crate::vault::{self, KeyringKeyStore, Vault};
use finance_api::types::{Profile, StartupState, StoreInfo, not_ready};

mod remote;
pub use remote::{Remote, ServerChoice, Target};

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
    /// Which store this is, for the kept session and pending revocations.
    pub key: StoreKey,
}

/// Managed Tauri state.
pub struct AppState {
    config: Config,
    /// Why the configuration was refused (then nothing is opened).
    config_problem: Option<String>,
    paths: AppPaths,
    vault: Vault,
    backend: RwLock<Option<Backend>>,
    token: Mutex<Option<KeptSession>>,
    /// The household ledger the signed-in person works in (`None`: their
    /// own), for this sign-in only: a new session or a sign-out clears it.
    ledger: Mutex<Option<finance_core::Id>>,
    keyring_error: Mutex<Option<String>>,
    imports: PendingImports,
    /// What the latest bulk deletes removed, for their Undo.
    undos: PendingUndos,
    /// Serialises changes to the pending-revocations keyring entry.
    pending_lock: tokio::sync::Mutex<()>,
    /// Revocations are pending for the open store.
    pending_here: AtomicBool,
    /// A store call found the store unreachable and none has succeeded since.
    unreachable: AtomicBool,
    /// The open MongoDB database holds more than one account.
    shared_database: AtomicBool,
    /// The server the configuration chose (`FINANCE_SERVER_URL`).
    server: Option<ServerChoice>,
    /// The server in use (server mode: no store is open).
    remote: RwLock<Option<Remote>>,
    /// The kept server session's token (see [`remote`]).
    server_token: Mutex<Option<String>>,
    /// Who that session is (what the app keeps per person: opened files).
    server_person: Mutex<Option<finance_core::Id>>,
}

impl AppState {
    /// State over a configuration, folders and keyring service.
    pub fn new(config: Config, paths: AppPaths, vault: Vault) -> AppState {
        AppState {
            config,
            config_problem: None,
            paths,
            vault,
            backend: RwLock::new(None),
            token: Mutex::new(None),
            ledger: Mutex::new(None),
            keyring_error: Mutex::new(None),
            imports: PendingImports::default(),
            undos: PendingUndos::default(),
            pending_lock: tokio::sync::Mutex::new(()),
            pending_here: AtomicBool::new(false),
            unreachable: AtomicBool::new(false),
            shared_database: AtomicBool::new(false),
            server: None,
            remote: RwLock::new(None),
            server_token: Mutex::new(None),
            server_person: Mutex::new(None),
        }
    }

    /// The same state, in server mode when `server` is given (the
    /// configuration's `FINANCE_SERVER_URL`).
    pub fn with_server(self, server: Option<ServerChoice>) -> AppState {
        AppState { server, ..self }
    }

    /// State for a refused configuration: start-up reports `problem` (whose
    /// message names the variable and never quotes its value) and opens nothing.
    pub fn refusing(problem: &finance_core::Error, paths: AppPaths, vault: Vault) -> AppState {
        AppState {
            config_problem: Some(problem.to_string()),
            ..AppState::new(Config::default(), paths, vault)
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

    /// Rows removed by bulk deletes, for their Undo.
    pub fn undos(&self) -> &PendingUndos {
        &self.undos
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

    /// The configured URI, else the one saved in Settings (checked again: a
    /// URI saved by an older version may turn certificate checks off; the
    /// own-network confirmation was given when it was saved).
    async fn mongodb_uri(&self) -> Result<Option<MongoUri>, String> {
        if let Some(uri) = &self.config.mongodb_uri {
            return Ok(Some(uri.clone()));
        }
        let saved = self
            .keyring(|v| v.get(vault::MONGODB_URI))
            .await
            .ok()
            .flatten();
        match saved {
            None => Ok(None),
            Some(text) => MongoUri::parse(&text, true).map(Some).map_err(|p| {
                format!(
                    "The MongoDB URI saved in Settings {p}. Use the local store for now, then \
                     enter a corrected URI in Settings."
                )
            }),
        }
    }

    /// Open the configured store if none is open yet, then resume a kept session
    /// (checked as of `now`) and retry pending sign-outs of that store.
    ///
    /// Each keyring call is a D-Bus round trip (~60 ms on Linux), so the kept session,
    /// the pending sign-outs, the MongoDB URI and the signing key are read at the same
    /// time, and while the store opens: start-up waits for the slowest, not for their sum.
    pub async fn startup(&self, now: DateTime<Utc>) -> StartupState {
        if self.config_problem.is_some() {
            return self.state(None, None).await;
        }
        if self.backend.read().await.is_none()
            && let Some(choice) = self.server_choice().await
        {
            return self.start_remote(choice).await;
        }
        let (opened, kept, pending) = tokio::join!(
            async {
                if self.backend.read().await.is_none() {
                    self.open_configured().await
                } else {
                    Ok(())
                }
            },
            self.kept(),
            self.keyring(Pending::load)
        );
        if let Err(message) = opened {
            return self.state(None, Some(message)).await;
        }
        self.after_open(kept, pending, now).await
    }

    /// Use the embedded store for this run although MongoDB is configured. A kept
    /// MongoDB session is signed out here and its revocation left pending for MongoDB.
    pub async fn use_local_store(&self, now: DateTime<Utc>) -> StartupState {
        if self.config_problem.is_some() {
            return self.state(None, None).await;
        }
        *self.remote.write().await = None;
        let (opened, kept, pending) = tokio::join!(
            self.open_sqlite(true),
            self.kept(),
            self.keyring(Pending::load)
        );
        if let Err(e) = opened {
            return self.state(None, Some(e.message)).await;
        }
        self.after_open(kept, pending, now).await
    }

    async fn after_open(
        &self,
        kept: ApiResult<Option<KeptSession>>,
        pending: Result<Pending, vault::VaultError>,
        now: DateTime<Utc>,
    ) -> StartupState {
        let Ok(backend) = self.backend().await else {
            return self.state(None, None).await;
        };
        let here = pending.as_ref().map_or(true, |p| p.count(&backend.key) > 0);
        self.pending_here.store(here, Ordering::SeqCst);
        let (user, shared) = tokio::join!(
            self.resume(kept, &backend, now),
            self.holds_other_accounts(&backend)
        );
        self.shared_database.store(shared, Ordering::SeqCst);
        self.flush_revocations(&backend, now).await;
        self.state(user, None).await
    }

    async fn state(&self, user: Option<Profile>, mongo_error: Option<String>) -> StartupState {
        let keyring_error = self.keyring_error.lock().ok().and_then(|g| g.clone());
        StartupState {
            version: env!("CARGO_PKG_VERSION").to_string(),
            store: match self.remote().await {
                Some(r) => Some(self.remote_info(&r)),
                None => self.backend.read().await.as_ref().map(|b| b.info.clone()),
            },
            user,
            mongo_error,
            keyring_error,
            config_error: self.config_problem.clone(),
            shared_database: self.shared_database.load(Ordering::SeqCst),
        }
    }

    /// The shared-cluster check: on MongoDB, whether the database holds other
    /// accounts (logged as a warning; the UI shows a notice).
    async fn holds_other_accounts(&self, backend: &Backend) -> bool {
        if backend.info.kind != "mongodb" {
            return false;
        }
        match backend.finance.holds_other_accounts().await {
            Ok(true) => {
                tracing::warn!(
                    location = %backend.info.location,
                    "the MongoDB database holds more than one account: every desktop that \
                     uses it holds a URI that can read and write all of them"
                );
                true
            }
            Ok(false) => false,
            Err(e) => {
                tracing::info!(code = %e.code(), "shared-database check skipped");
                false
            }
        }
    }

    async fn open_configured(&self) -> Result<(), String> {
        match self.mongodb_uri().await? {
            Some(uri) => {
                let (store, key) = tokio::join!(
                    MongoStore::connect(uri.expose(), &self.config.mongodb_db),
                    self.signing_key()
                );
                let store = store.map_err(|e| e.to_string())?;
                self.install(Arc::new(store), key, false).await;
                Ok(())
            }
            None => self.open_sqlite(false).await.map_err(|e| e.message),
        }
    }

    /// The folder of the embedded store (`FINANCE_DATA_DIR`, else the app's data folder).
    pub fn local_data_dir(&self) -> PathBuf {
        self.config
            .data_dir
            .clone()
            .unwrap_or_else(|| self.paths.data_dir.clone())
    }

    /// The MongoDB database name the configuration names.
    pub fn mongodb_db(&self) -> &str {
        &self.config.mongodb_db
    }

    async fn open_sqlite(&self, fallback: bool) -> ApiResult<()> {
        let dir = self.local_data_dir();
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
        let store_key = StoreKey::of(&info.kind, &info.location);
        *self.backend.write().await = Some(Backend {
            finance,
            info,
            key: store_key,
        });
    }

    /// The configured key (checked when the configuration was read), or the one
    /// kept in the keyring; without a keyring, a key for this run only (sign-in is
    /// refused anyway, with the reason).
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

    /// A valid kept session's profile. A stale one is removed from the keyring; one
    /// of another store is signed out here, its revocation pending for that store.
    async fn resume(
        &self,
        kept: ApiResult<Option<KeptSession>>,
        backend: &Backend,
        now: DateTime<Utc>,
    ) -> Option<Profile> {
        let kept = match kept {
            Ok(Some(k)) => k,
            Ok(None) => return None,
            Err(e) => {
                self.note_keyring_error(e.message);
                return None;
            }
        };
        if self.pend_if_foreign(&kept, backend).await {
            return None;
        }
        match backend.finance.authenticate(kept.token.expose(), now).await {
            Ok(user) => {
                if kept.store.is_none() {
                    // A session kept before sessions named their store: name it now.
                    self.keep_token(kept.token).await.ok();
                }
                backend
                    .finance
                    .profile(&user)
                    .await
                    .ok()
                    .map(|u| Profile::from(&u))
            }
            Err(e) => {
                tracing::info!(code = %e.code(), "kept session not resumed");
                self.store_failed(&e);
                if e.code() == ErrorCode::Unauthorized {
                    self.forget_token().await;
                }
                None
            }
        }
    }

    /// If `kept` belongs to a store other than `backend`'s, sign it out on this
    /// computer and leave its revocation pending for its own store.
    async fn pend_if_foreign(&self, kept: &KeptSession, backend: &Backend) -> bool {
        let Some(store) = kept
            .store
            .as_ref()
            .filter(|_| !kept.belongs_to(&backend.key))
        else {
            return false;
        };
        tracing::info!("the kept session belongs to another store; its sign-out is pending there");
        self.add_pending(store, &kept.token).await;
        self.forget_token().await;
        true
    }

    /// The open backend.
    pub async fn backend(&self) -> ApiResult<Backend> {
        if let Some(b) = self.backend.read().await.clone() {
            return Ok(b);
        }
        if self.remote.read().await.is_some() {
            return Err(ApiError::new(
                crate::error::ErrorCode::Validation,
                "This is not available while the app uses a Finance server.",
            ));
        }
        Err(not_ready())
    }

    /// The kept session: from memory, else from the keyring.
    async fn kept(&self) -> ApiResult<Option<KeptSession>> {
        if let Some(k) = self.token.lock().ok().and_then(|g| g.clone()) {
            return Ok(Some(k));
        }
        let text = self
            .keyring(|v| v.get(vault::SESSION))
            .await
            .map_err(|e| crate::error::keyring_error(&e.0))?;
        let kept = text.as_deref().map(KeptSession::decode);
        if let Ok(mut g) = self.token.lock() {
            g.clone_from(&kept);
        }
        Ok(kept)
    }

    /// Keep a new session token of the open store in the keyring (and memory).
    pub async fn keep_token(&self, token: SessionToken) -> ApiResult<()> {
        let store = self.backend.read().await.as_ref().map(|b| b.key.clone());
        let kept = KeptSession { store, token };
        let text = kept.encode();
        self.keyring(move |v| v.set(vault::SESSION, &text))
            .await
            .map_err(|e| crate::error::keyring_error(&e.0))?;
        if let Ok(mut g) = self.token.lock() {
            *g = Some(kept);
        }
        self.set_ledger(None);
        Ok(())
    }

    /// The ledger calls act on (`None`: the person's own).
    pub fn ledger(&self) -> Option<finance_core::Id> {
        self.ledger.lock().ok().and_then(|g| *g)
    }

    /// Work in `ledger` from the next call on (`None`: one's own); the caller
    /// checked the membership ([`AppState::session_on`]).
    pub fn set_ledger(&self, ledger: Option<finance_core::Id>) {
        if let Ok(mut g) = self.ledger.lock() {
            *g = ledger;
        }
    }

    /// Drop the session from memory and the keyring.
    async fn forget_token(&self) {
        self.token.lock().ok().and_then(|mut g| g.take());
        self.set_ledger(None);
        if let Err(e) = self.keyring(|v| v.delete(vault::SESSION)).await {
            tracing::warn!(error = %e, "could not delete the session from the keyring");
        }
    }

    /// Sign out on this computer (always) and end the session in its store:
    /// `true` when the store confirmed (or there was nothing to end), `false`
    /// when the revocation is pending until the store can be reached.
    pub async fn sign_out(&self, now: DateTime<Utc>) -> bool {
        if let Some(remote) = self.remote().await {
            return self.remote_sign_out(&remote).await;
        }
        let kept = self.kept().await.ok().flatten();
        let backend = self.backend().await.ok();
        let ended = match (kept, backend) {
            (None, _) => true,
            (Some(kept), Some(b)) if kept.belongs_to(&b.key) => {
                match b.finance.logout(kept.token.expose()).await {
                    Ok(()) => {
                        self.store_answered(&b, now).await;
                        true
                    }
                    // Not signed by us: no store of ours holds its session.
                    Err(e) if e.code() == ErrorCode::Unauthorized => true,
                    Err(e) => {
                        tracing::warn!(
                            code = %e.code(),
                            "sign-out could not reach the store; the revocation is pending"
                        );
                        self.store_failed(&e);
                        self.add_pending(&b.key, &kept.token).await;
                        false
                    }
                }
            }
            (Some(kept), _) => match &kept.store {
                Some(store) => {
                    self.add_pending(store, &kept.token).await;
                    false
                }
                None => {
                    tracing::warn!("sign-out with no store open; the session expires on its own");
                    false
                }
            },
        };
        self.forget_token().await;
        ended
    }

    /// The signed-in user's account was deleted on the open store: forget the
    /// session (memory and keyring) and any sign-out of theirs still pending
    /// there — the store holds no session of theirs any more.
    pub async fn forget_deleted_user(&self, user: finance_core::Id) {
        self.forget_token().await;
        let Some(store) = self.backend.read().await.as_ref().map(|b| b.key.clone()) else {
            return;
        };
        let _one = self.pending_lock.lock().await;
        let hex = user.to_hex();
        let cleaned = self
            .keyring(move |v| {
                let mut pending = Pending::load(v)?;
                if pending.forget_user(&store, &hex) > 0 {
                    pending.save(v)?;
                }
                Ok(())
            })
            .await;
        if let Err(e) = cleaned {
            tracing::warn!(error = %e, "could not clean the pending sign-outs of a deleted account");
        }
    }

    /// File `token` as a pending revocation for `store`.
    async fn add_pending(&self, store: &StoreKey, token: &SessionToken) {
        let _one = self.pending_lock.lock().await;
        let (s, t) = (store.clone(), token.clone());
        let saved = self
            .keyring(move |v| {
                let mut pending = Pending::load(v)?;
                pending.add(&s, &t);
                pending.save(v)
            })
            .await;
        match saved {
            Ok(()) => {
                if self
                    .backend
                    .read()
                    .await
                    .as_ref()
                    .is_some_and(|b| &b.key == store)
                {
                    self.pending_here.store(true, Ordering::SeqCst);
                }
            }
            Err(e) => tracing::error!(
                error = %e,
                "could not keep the pending sign-out; the session expires on its own"
            ),
        }
    }

    /// Send the pending revocations of the open store (if any): each one the store
    /// confirms, or that expired, or that we never signed, leaves the list; the
    /// first that fails stops the round (the store is unreachable again).
    async fn flush_revocations(&self, backend: &Backend, now: DateTime<Utc>) {
        if !self.pending_here.load(Ordering::SeqCst) {
            return;
        }
        let Ok(_one) = self.pending_lock.try_lock() else {
            return; // another round or an addition is running
        };
        let mut pending = match self.keyring(Pending::load).await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the pending sign-outs");
                return;
            }
        };
        let (mut ended, mut dropped, mut left) = (0usize, 0usize, Vec::new());
        let mut tokens = pending.tokens(&backend.key).into_iter();
        while let Some(token) = tokens.next() {
            if expired(&token, now) {
                dropped += 1;
                continue;
            }
            match backend.finance.logout(token.expose()).await {
                Ok(()) => ended += 1,
                Err(e) if e.code() == ErrorCode::Unauthorized => dropped += 1,
                Err(e) => {
                    self.store_failed(&e);
                    left.push(token);
                    left.extend(tokens);
                    break;
                }
            }
        }
        let remaining = left.len();
        pending.set(&backend.key, &left);
        match self.keyring(move |v| pending.save(v)).await {
            Ok(()) => self.pending_here.store(remaining > 0, Ordering::SeqCst),
            Err(e) => tracing::warn!(error = %e, "could not update the pending sign-outs"),
        }
        tracing::info!(ended, dropped, remaining, "pending sign-outs retried");
    }

    /// A store call succeeded: if an earlier one had found the store unreachable,
    /// this is a reconnection, so retry the pending sign-outs.
    pub async fn store_answered(&self, backend: &Backend, now: DateTime<Utc>) {
        if self.unreachable.swap(false, Ordering::SeqCst) {
            self.flush_revocations(backend, now).await;
        }
    }

    /// Note a failed store call (`Unavailable` marks the store unreachable).
    pub fn store_failed(&self, e: &finance_core::Error) {
        if e.code() == ErrorCode::Unavailable {
            self.unreachable.store(true, Ordering::SeqCst);
        }
    }

    /// What an operation body in `finance_api::ops` needs: the signed-in user
    /// (see [`AppState::session`]) and the clock's readings for this call
    /// (the instant, and the local calendar date).
    pub async fn cx(&self) -> ApiResult<finance_api::ops::Cx> {
        let now = Utc::now();
        let today = crate::commands::today();
        let (finance, user) = self.session(now).await?;
        Ok(finance_api::ops::Cx {
            finance,
            user,
            now,
            today,
        })
    }

    /// The signed-in person on the ledger they work in ([`AppState::ledger`]),
    /// authenticated through the core for this call as of `now`. A ledger
    /// they were removed from meanwhile is dropped (back to their own) and
    /// answered `NotFound { field: "ledger" }`, so the UI reloads on their own.
    pub async fn session(&self, now: DateTime<Utc>) -> ApiResult<(Finance, AuthUser)> {
        let ledger = self.ledger();
        match self.session_on(now, ledger).await {
            Err(e) if ledger.is_some() && e.code == finance_api::ErrorCode::NotFound => {
                self.set_ledger(None);
                Err(ledger_lost())
            }
            other => other,
        }
    }

    /// The signed-in person on their own ledger, whichever they work in:
    /// for what is theirs alone (password, account, backups).
    pub async fn own_session(&self, now: DateTime<Utc>) -> ApiResult<(Finance, AuthUser)> {
        self.session_on(now, None).await
    }

    /// The signed-in person on `ledger` (`None`: their own), authenticated
    /// through the core for this call as of `now`.
    pub async fn session_on(
        &self,
        now: DateTime<Utc>,
        ledger: Option<finance_core::Id>,
    ) -> ApiResult<(Finance, AuthUser)> {
        let backend = self.backend().await?;
        let unauthorized = || ApiError::from(finance_core::Error::unauthorized());
        let kept = self.kept().await?.ok_or_else(unauthorized)?;
        if self.pend_if_foreign(&kept, &backend).await {
            return Err(unauthorized());
        }
        match backend
            .finance
            .authenticate_on(kept.token.expose(), ledger, now)
            .await
        {
            Ok(user) => {
                self.store_answered(&backend, now).await;
                Ok((backend.finance, user))
            }
            Err(e) => {
                self.store_failed(&e);
                if e.code() == ErrorCode::Unauthorized {
                    self.forget_token().await;
                }
                Err(e.into())
            }
        }
    }

    /// Changing where data is stored needs the signed-out state or the password:
    /// `Ok` when no session is live, or when `password` is the signed-in user's
    /// (checked by a log-in, so wrong guesses count towards the lock-out; the
    /// session that check opens is ended at once).
    pub async fn confirm_store_change(
        &self,
        password: Option<&str>,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        if let Some(remote) = self.remote().await {
            return self.confirm_remote_password(&remote, password).await;
        }
        if self.kept().await?.is_none() {
            return Ok(());
        }
        let (f, user) = match self.session(now).await {
            Ok(s) => s,
            Err(e) if e.code == crate::error::ErrorCode::Unauthorized => return Ok(()),
            Err(e) => return Err(e),
        };
        let Some(password) = password.filter(|p| !p.is_empty()) else {
            return Err(finance_core::Error::validation(
                "password",
                "is required to change where your data is stored while you are signed in",
            )
            .into());
        };
        let username = f.profile(&user).await?.username;
        match f
            .login(&username, &Password::for_login(password), now)
            .await
        {
            Ok(check) => {
                if f.logout(check.token.expose()).await.is_err()
                    && let Ok(b) = self.backend().await
                {
                    self.add_pending(&b.key, &check.token).await;
                }
                Ok(())
            }
            Err(e) if e.code() == ErrorCode::Unauthorized => {
                Err(finance_core::Error::validation("password", "is not your password").into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Refuse sign-in early when the keyring cannot keep the session.
    pub async fn require_keyring(&self) -> ApiResult<()> {
        match self.keyring(|v| v.check()).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let err = crate::error::keyring_error(&e.0);
                self.note_keyring_error(err.message.clone());
                Err(err)
            }
        }
    }
}

/// The answer when the ledger in hand is no longer one's to work in.
pub(crate) fn ledger_lost() -> ApiError {
    let mut e = ApiError::new(
        finance_api::ErrorCode::NotFound,
        "You are no longer a member of that household ledger; your own ledger is shown.",
    );
    e.field = Some("ledger".into());
    e
}
