//! The server's state: the operations over the configured store.
//!
//! Invariants: the store is opened exactly as the desktop app opens it
//! (MongoDB when `MONGODB_URI` is set, else the embedded store in the data
//! folder, through finance-core's `Config`); the signing key is
//! `FINANCE_JWT_SECRET` or one generated once into the data folder (mode
//! 0600), so sessions survive a restart; several servers on one MongoDB
//! database must share `FINANCE_JWT_SECRET` (sessions and bulk deletes' undo
//! tokens are both keyed from it).

use std::sync::Arc;

use finance_core::auth::{FileKeyStore, SigningKey};
use finance_core::store::mongo::MongoStore;
use finance_core::store::prelude::*;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Config, Finance, Result};

use crate::config::{SIGNING_KEY_FILE, ServerConfig};
use crate::undo::UndoSealer;

/// Shared by every request. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub finance: Finance,
    /// The largest body of the file routes, in bytes (`FINANCE_UPLOAD_LIMIT_MB`).
    pub upload_limit: usize,
    /// Seals bulk deletes' undo tokens under a key derived from the signing key.
    pub undo: Arc<UndoSealer>,
}

impl AppState {
    /// Open the configured store and resolve the signing key.
    pub async fn open(config: &ServerConfig) -> Result<AppState> {
        let store: Arc<dyn Store> = match &config.core.mongodb_uri {
            Some(uri) => {
                Arc::new(MongoStore::connect(uri.expose(), &config.core.mongodb_db).await?)
            }
            None => {
                std::fs::create_dir_all(&config.data_dir)
                    .map_err(|e| finance_core::Error::internal("create the data folder", e))?;
                Arc::new(SqliteStore::open(&Config::sqlite_path(&config.data_dir)).await?)
            }
        };
        let secret = config.core.jwt_secret.clone();
        let keys = FileKeyStore::new(config.data_dir.join(SIGNING_KEY_FILE));
        let key =
            tokio::task::spawn_blocking(move || SigningKey::resolve(secret.as_deref(), &keys))
                .await
                .map_err(|e| finance_core::Error::internal("signing key", e))??;
        tracing::info!(store = store.kind(), location = %store.location(), "store opened");
        Ok(AppState {
            finance: Finance::new(store, &key, config.core.auth_settings()),
            upload_limit: config.upload_limit,
            undo: Arc::new(UndoSealer::new(&key)),
        })
    }
}
