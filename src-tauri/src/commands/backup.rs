//! Backup commands: "Back up now" (the OS save dialog from Rust, then the
//! core's writer), "Restore…" (the open dialog; the file stays here behind a
//! `fileId` until restored, a passphrase asked when it is encrypted), the
//! automatic daily backups of the embedded store, and copying one's data to
//! MongoDB or to this computer before switching stores.
//!
//! Invariants: a backup is written to `<name>.part` and renamed, so a failed
//! one leaves no half file; the webview never names a path; automatic
//! backups live in `<data folder>/auto-backups/`, named `<user id>-<date>`,
//! at most one a day, the oldest beyond the kept number removed; a copy
//! switches the configured store (the `set_mongodb_uri` / `clear_mongodb_uri`
//! path, which signs out) only after the core verified the copy.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use finance_core::backup::{EXTENSION, read::is_encrypted};
use finance_core::store::Store;
use finance_core::{AuthUser, Finance, Id};
use tauri::State;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::vault;
use finance_api::types::{
    AutoBackupKeepInput, AutoBackupView, AutoBackupsView, BackupNowInput, BackupResult,
    ClearMongoUriInput, MongoUriInput, RestoreFileView, RestoreInput, RestoreResult,
    SignOutOutcome, count32,
};

/// Automatic backups kept when the person has not chosen.
pub const DEFAULT_KEEP: u32 = 7;
const AUTO_DIR: &str = "auto-backups";
const KEEP_FILE: &str = "keep";

/// The backup chosen by "Restore…": (user, file id, path). One at a time.
fn pending() -> &'static Mutex<Option<(Id, String, PathBuf)>> {
    static PENDING: std::sync::OnceLock<Mutex<Option<(Id, String, PathBuf)>>> =
        std::sync::OnceLock::new();
    PENDING.get_or_init(|| Mutex::new(None))
}

/// End-to-end builds only (`--features e2e`): the file `FINANCE_E2E_BACKUP_FILE`
/// names stands in for the OS save and open dialogs, which WebDriver cannot
/// drive. The test harness sets it when it starts the app; the webview never
/// names a path.
fn e2e_dialog_path() -> Option<PathBuf> {
    if !cfg!(feature = "e2e") {
        return None;
    }
    std::env::var_os("FINANCE_E2E_BACKUP_FILE").map(PathBuf::from)
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> ApiError + '_ {
    move |e| ApiError::internal(format!("cannot write {}: {e}", path.display()))
}

/// Write the user's backup to `path` through `<path>.part`.
async fn write_backup(
    f: &Finance,
    user: &AuthUser,
    path: &Path,
    passphrase: Option<&str>,
) -> ApiResult<u64> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let file = std::fs::File::create(&part).map_err(io_error(path))?;
    let result = async {
        let (file, summary) = f
            .backup_to(user, std::io::BufWriter::new(file), passphrase, Utc::now())
            .await?;
        file.into_inner()
            .map_err(|e| io_error(path)(e.into_error()))?
            .sync_all()
            .map_err(io_error(path))?;
        std::fs::rename(&part, path).map_err(io_error(path))?;
        Ok::<u64, ApiError>(summary.transactions)
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// Ask where to save, then write a backup of everything of the user there
/// (encrypted, with the password, when a passphrase is given).
#[tauri::command]
pub async fn backup_now<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: BackupNowInput,
) -> ApiResult<BackupResult> {
    use tauri_plugin_dialog::DialogExt;
    let (f, user) = state.own_session(Utc::now()).await?;
    let path = match e2e_dialog_path() {
        Some(path) => path,
        None => {
            let name = format!("finance-{}.{EXTENSION}", super::today());
            let dialog = app
                .dialog()
                .file()
                .add_filter("Finance backup", &[EXTENSION])
                .set_file_name(name);
            let chosen = tokio::task::spawn_blocking(move || dialog.blocking_save_file())
                .await
                .map_err(|e| ApiError::internal(format!("the save dialog failed: {e}")))?;
            let Some(chosen) = chosen else {
                return Ok(BackupResult {
                    path: None,
                    transactions: 0,
                });
            };
            chosen
                .into_path()
                .map_err(|e| ApiError::internal(format!("cannot save there: {e}")))?
        }
    };
    let passphrase = input.passphrase.as_deref().filter(|p| !p.is_empty());
    let transactions = write_backup(&f, &user, &path, passphrase).await?;
    Ok(BackupResult {
        path: Some(path.display().to_string()),
        transactions: count32(transactions),
    })
}

/// Ask for a backup file (the OS dialog); null when cancelled.
#[tauri::command]
pub async fn restore_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> ApiResult<Option<RestoreFileView>> {
    use tauri_plugin_dialog::DialogExt;
    let (_, user) = state.own_session(Utc::now()).await?;
    let path = match e2e_dialog_path() {
        Some(path) => path,
        None => {
            let dialog = app
                .dialog()
                .file()
                .add_filter("Finance backup", &[EXTENSION]);
            let chosen = tokio::task::spawn_blocking(move || dialog.blocking_pick_file())
                .await
                .map_err(|e| ApiError::internal(format!("the open dialog failed: {e}")))?;
            let Some(chosen) = chosen else {
                return Ok(None);
            };
            chosen
                .into_path()
                .map_err(|e| ApiError::internal(format!("cannot open that file: {e}")))?
        }
    };
    let probe = path.clone();
    let encrypted = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&probe)
            .map_err(|_| finance_core::Error::validation("file", "cannot be opened"))?;
        is_encrypted(file)
    })
    .await
    .map_err(|e| ApiError::internal(format!("reading the file failed: {e}")))??;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file_id = Id::generate().to_hex();
    if let Ok(mut slot) = pending().lock() {
        *slot = Some((user.id(), file_id.clone(), path));
    }
    Ok(Some(RestoreFileView {
        file_id,
        name,
        encrypted,
    }))
}

/// Restore the chosen file into the signed-in user (who must hold nothing
/// yet). A wrong passphrase keeps the file for another try.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    input: RestoreInput,
) -> ApiResult<RestoreResult> {
    let (f, user) = state.own_session(Utc::now()).await?;
    let path = pending()
        .lock()
        .ok()
        .and_then(|slot| slot.clone())
        .filter(|(owner, id, _)| *owner == user.id() && *id == input.file_id)
        .map(|(_, _, path)| path)
        .ok_or_else(|| {
            ApiError::from(finance_core::Error::validation(
                "fileId",
                "choose the backup file again",
            ))
        })?;
    let file = std::fs::File::open(&path)
        .map_err(|_| finance_core::Error::validation("file", "cannot be opened"))?;
    let passphrase = input.passphrase.filter(|p| !p.is_empty());
    let outcome = f
        .restore_from(&user, std::io::BufReader::new(file), passphrase)
        .await;
    let retry = matches!(&outcome, Err(e) if e.field() == Some("passphrase"));
    if !retry && let Ok(mut slot) = pending().lock() {
        *slot = None;
    }
    let summary = outcome?;
    Ok(RestoreResult {
        records: count32(summary.records),
        transactions: count32(summary.transactions),
    })
}

/// The automatic backups' folder when the store is the embedded one.
fn auto_dir(store: &Arc<dyn Store>) -> Option<PathBuf> {
    (store.kind() == "sqlite")
        .then(|| {
            Path::new(&store.location())
                .parent()
                .map(|d| d.join(AUTO_DIR))
        })
        .flatten()
}

fn keep_of(dir: &Path) -> u32 {
    std::fs::read_to_string(dir.join(KEEP_FILE))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .filter(|n| (1..=365).contains(n))
        .unwrap_or(DEFAULT_KEEP)
}

/// The user's automatic backups, newest first.
fn list(dir: &Path, user: Id) -> Vec<(PathBuf, AutoBackupView)> {
    let prefix = format!("{}-", user.to_hex());
    let suffix = format!(".{EXTENSION}");
    let mut found: Vec<(PathBuf, AutoBackupView)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let date = name
                .strip_prefix(&prefix)?
                .strip_suffix(&suffix)?
                .to_string();
            chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?;
            let size = e.metadata().ok()?.len();
            Some((
                e.path(),
                AutoBackupView {
                    name,
                    date,
                    size_kib: count32(size.div_ceil(1024)),
                },
            ))
        })
        .collect();
    found.sort_by(|a, b| b.1.date.cmp(&a.1.date));
    found
}

fn view(dir: Option<&Path>, user: Id) -> AutoBackupsView {
    match dir {
        Some(dir) => AutoBackupsView {
            available: true,
            keep: keep_of(dir),
            backups: list(dir, user).into_iter().map(|(_, v)| v).collect(),
        },
        None => AutoBackupsView {
            available: false,
            keep: DEFAULT_KEEP,
            backups: Vec::new(),
        },
    }
}

/// The automatic backups of the signed-in user (embedded store only).
#[tauri::command]
pub async fn auto_backups(state: State<'_, AppState>) -> ApiResult<AutoBackupsView> {
    let (f, user) = state.own_session(Utc::now()).await?;
    Ok(view(auto_dir(f.store()).as_deref(), user.id()))
}

/// Called after sign-in: on the embedded store, write today's automatic
/// backup unless one exists, then remove the oldest beyond the kept number.
#[tauri::command]
pub async fn run_auto_backup(state: State<'_, AppState>) -> ApiResult<AutoBackupsView> {
    let (f, user) = state.own_session(Utc::now()).await?;
    let Some(dir) = auto_dir(f.store()) else {
        return Ok(view(None, user.id()));
    };
    let today = super::today().to_string();
    let existing = list(&dir, user.id());
    if existing
        .first()
        .is_none_or(|(_, newest)| newest.date < today)
    {
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        let path = dir.join(format!("{}-{today}.{EXTENSION}", user.id().to_hex()));
        write_backup(&f, &user, &path, None).await?;
        tracing::info!("automatic backup written");
    }
    let keep = keep_of(&dir) as usize;
    for (old, _) in list(&dir, user.id()).into_iter().skip(keep) {
        let _ = std::fs::remove_file(old);
    }
    Ok(view(Some(&dir), user.id()))
}

/// How many automatic backups to keep (1–365); the oldest beyond it go now.
#[tauri::command]
pub async fn set_auto_backup_keep(
    state: State<'_, AppState>,
    input: AutoBackupKeepInput,
) -> ApiResult<AutoBackupsView> {
    let (f, user) = state.own_session(Utc::now()).await?;
    if !(1..=365).contains(&input.keep) {
        return Err(finance_core::Error::validation("keep", "must be between 1 and 365").into());
    }
    let Some(dir) = auto_dir(f.store()) else {
        return Ok(view(None, user.id()));
    };
    std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    std::fs::write(dir.join(KEEP_FILE), input.keep.to_string()).map_err(io_error(&dir))?;
    for (old, _) in list(&dir, user.id()).into_iter().skip(input.keep as usize) {
        let _ = std::fs::remove_file(old);
    }
    Ok(view(Some(&dir), user.id()))
}

/// Copy everything of the signed-in user to the MongoDB at `uri` (as the
/// same account), verify it, then use MongoDB from the next start and sign
/// out. Refused (nothing switched) when the copy fails; the copy is removed.
#[tauri::command]
pub async fn copy_to_mongodb(
    state: State<'_, AppState>,
    input: MongoUriInput,
) -> ApiResult<SignOutOutcome> {
    let uri = input.validate()?;
    let now = Utc::now();
    let (f, user) = state.own_session(now).await?;
    if f.store().kind() != "sqlite" {
        return Err(
            finance_core::Error::validation("uri", "your data is already on MongoDB").into(),
        );
    }
    state
        .confirm_store_change(input.password.as_deref(), now)
        .await?;
    let target =
        finance_core::store::mongo::MongoStore::connect(uri.expose(), state.mongodb_db()).await?;
    let target = Finance::new(
        Arc::new(target),
        &finance_core::auth::SigningKey::generate(),
        finance_core::AuthSettings::default(),
    );
    let scratch = state.local_data_dir();
    f.copy_user_to(&user, &target, &scratch, now).await?;
    let text = uri.expose().to_string();
    state
        .keyring(move |v| v.set(vault::MONGODB_URI, &text))
        .await
        .map_err(|e| crate::error::keyring_error(&e.0))?;
    tracing::info!(uri = %uri.redacted(), "data copied to MongoDB; it is used from the next start");
    super::session::change_store_sign_out(&state, now).await
}

/// Copy everything of the signed-in user from MongoDB to this computer's
/// embedded store, verify it, then use the embedded store from the next
/// start and sign out.
#[tauri::command]
pub async fn copy_to_this_computer(
    state: State<'_, AppState>,
    input: ClearMongoUriInput,
) -> ApiResult<SignOutOutcome> {
    let now = Utc::now();
    let (f, user) = state.own_session(now).await?;
    if f.store().kind() == "sqlite" {
        return Err(finance_core::Error::validation(
            "store",
            "your data is already on this computer",
        )
        .into());
    }
    state
        .confirm_store_change(input.password.as_deref(), now)
        .await?;
    let dir = state.local_data_dir();
    let local =
        finance_core::store::sqlite::SqliteStore::open(&dir.join("finance.sqlite3")).await?;
    let target = Finance::new(
        Arc::new(local),
        &finance_core::auth::SigningKey::generate(),
        finance_core::AuthSettings::default(),
    );
    f.copy_user_to(&user, &target, &dir, now).await?;
    state
        .keyring(|v| v.delete(vault::MONGODB_URI))
        .await
        .map_err(|e| crate::error::keyring_error(&e.0))?;
    super::session::change_store_sign_out(&state, now).await
}
