//! IPC types of backups: "Back up now", "Restore…" (a file kept on the Rust
//! side behind an opaque `fileId`, like an import's), the automatic backups
//! of the embedded store, and copying one's data to another store.
//!
//! Invariants: the webview never sees a path it could hand back (only the
//! file's name for display, and `fileId`); passphrases travel in, never out;
//! counts are `u32` (saturating).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// "Back up now": a passphrase encrypts the file and adds the password hash
/// (a full backup that can re-create the account); null: a plain backup.
#[derive(Clone, Default, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BackupNowInput {
    #[serde(default)]
    pub passphrase: Option<String>,
}

impl std::fmt::Debug for BackupNowInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupNowInput")
            .field("passphrase", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BackupResult {
    /// Where the file was written; null when the person cancelled the save dialog.
    pub path: Option<String>,
    pub transactions: u32,
}

/// A backup file chosen for a restore, kept in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RestoreFileView {
    pub file_id: String,
    /// The file's name, for display.
    pub name: String,
    /// Encrypted: the restore needs the passphrase.
    pub encrypted: bool,
}

#[derive(Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RestoreInput {
    pub file_id: String,
    #[serde(default)]
    pub passphrase: Option<String>,
}

impl std::fmt::Debug for RestoreInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestoreInput")
            .field("file_id", &self.file_id)
            .field("passphrase", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RestoreResult {
    /// Every record written (accounts, categories, …, transactions).
    pub records: u32,
    pub transactions: u32,
}

/// One automatic backup in the data folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AutoBackupView {
    pub name: String,
    /// `YYYY-MM-DD`, the day it was written.
    pub date: String,
    pub size_kib: u32,
}

/// The automatic backups of the signed-in user (embedded store only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AutoBackupsView {
    /// False on MongoDB (the server keeps its own backups).
    pub available: bool,
    /// How many are kept (oldest removed first).
    pub keep: u32,
    /// Newest first.
    pub backups: Vec<AutoBackupView>,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AutoBackupKeepInput {
    /// 1–365.
    pub keep: u32,
}
