//! CSV commands: export (the OS save dialog opened from Rust, then a streamed
//! write) and the import wizard's steps: open (dialog, or a path in e2e builds),
//! preview, commit (with `import-progress` events), discard. The wizard's
//! steps take bank statement files (OFX/QFX, QIF, CAMT.053) too, told from
//! CSV by their content (`bank::sniff`), never by their name.
//!
//! With a Finance server, the app keeps the opened file's bytes as here and
//! sends them with each step (the server keeps no upload between calls);
//! an export streams the server's answer into the file.
//!
//! Invariants: the webview never names a path except through `import_open_path`,
//! which only an e2e build with `FINANCE_E2E_IMPORT_DIR` honours; an export is
//! written to `<name>.part` and renamed, so a failed export leaves no half file;
//! an opened file belongs to the user who opened it.

use std::path::{Path, PathBuf};

use chrono::Utc;
use finance_core::csv_io::CommitChoices;
use finance_core::domain::TransactionFilter;
use finance_core::{bank, csv_io};
use tauri::State;

use crate::contract::IMPORT_PROGRESS_EVENT;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::{AppState, Target};
use finance_api::types::{
    BankFileView, ExportCsvInput, ExportCsvResult, FileIdInput, ImportChoices, ImportCommitInput,
    ImportFileView, ImportOpenPathInput, ImportPreviewInput, ImportPreviewView, ImportProgress,
    ImportSummaryView, count32, idempotency_key,
};

/// Ask where to save a CSV file (the OS dialog, opened from Rust); None when cancelled.
async fn save_path<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    name: &str,
) -> ApiResult<Option<PathBuf>> {
    use tauri_plugin_dialog::DialogExt;
    let dialog = app
        .dialog()
        .file()
        .add_filter("CSV", &["csv"])
        .set_file_name(name);
    let chosen = tokio::task::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| ApiError::internal(format!("the save dialog failed: {e}")))?;
    chosen
        .map(|c| {
            c.into_path()
                .map_err(|e| ApiError::internal(format!("cannot save there: {e}")))
        })
        .transpose()
}

/// Ask where to save (the OS dialog, opened from Rust), then stream the
/// transactions matching the filter there. `path` is null when cancelled.
#[tauri::command]
pub async fn export_csv<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: ExportCsvInput,
) -> ApiResult<ExportCsvResult> {
    if let Target::Remote(s) = state.target().await? {
        let Some(path) = save_path(&app, "transactions.csv").await? else {
            return Ok(ExportCsvResult {
                path: None,
                rows: 0,
            });
        };
        let rows = write_via_part(&path, async |out| {
            let answer = finance_client::files::export_csv(&s, input, out).await;
            state.remote_answered(&s, answer).await
        })
        .await?;
        return Ok(ExportCsvResult {
            path: Some(path.display().to_string()),
            rows: count32(rows),
        });
    }
    let (f, user) = state.session(Utc::now()).await?;
    let filter = match &input.filter {
        Some(l) => l.filter(user.currency())?,
        None => TransactionFilter::default(),
    };
    let Some(path) = save_path(&app, "transactions.csv").await? else {
        return Ok(ExportCsvResult {
            path: None,
            rows: 0,
        });
    };
    let rows = write_via_part(&path, async |out| {
        Ok(f.export_csv(&user, filter, out).await?)
    })
    .await?;
    Ok(ExportCsvResult {
        path: Some(path.display().to_string()),
        rows: count32(rows),
    })
}

/// Ask where to save, then write there the lines of the opened file that an
/// import with these settings leaves out (line, problem, the row's cells), to
/// be fixed and imported again. `path` is null when cancelled.
#[tauri::command]
pub async fn import_save_rejects<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: ImportPreviewInput,
) -> ApiResult<ExportCsvResult> {
    if let Target::Remote(s) = state.target().await? {
        let (name, bytes) = state
            .imports()
            .get(state.remote_person()?, &input.file_id)?;
        let Some(path) = save_path(&app, &rejects_name(&name)).await? else {
            return Ok(ExportCsvResult {
                path: None,
                rows: 0,
            });
        };
        let rows = write_via_part(&path, async |out| {
            let answer =
                finance_client::files::import_rejects(&s, &name, bytes.to_vec(), &input, out).await;
            state.remote_answered(&s, answer).await
        })
        .await?;
        return Ok(ExportCsvResult {
            path: Some(path.display().to_string()),
            rows: count32(rows),
        });
    }
    let (f, user) = state.session(Utc::now()).await?;
    let (name, bytes) = state.imports().get(user.id(), &input.file_id)?;
    if bank::sniff(&bytes).is_some() {
        return Err(finance_core::Error::validation(
            "file",
            "is a bank statement: its lines cannot be fixed and imported again as CSV",
        )
        .into());
    }
    let choices = ImportChoices::try_from(&input)?;
    let Some(path) = save_path(&app, &rejects_name(&name)).await? else {
        return Ok(ExportCsvResult {
            path: None,
            rows: 0,
        });
    };
    let rows = write_via_part(&path, async |out| {
        Ok(f.import_rejects(
            &user,
            choices.account,
            &bytes,
            &choices.settings,
            &choices.mappings,
            out,
        )
        .await?)
    })
    .await?;
    Ok(ExportCsvResult {
        path: Some(path.display().to_string()),
        rows: count32(rows),
    })
}

/// The name offered for the lines an import of `name` leaves out.
fn rejects_name(name: &str) -> String {
    let stem = std::path::Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("import");
    format!("{stem} - lines left out.csv")
}

/// Write through `<name>.part` beside the target, then rename: a failed
/// write leaves no half file.
async fn write_via_part(
    path: &Path,
    write: impl AsyncFnOnce(&mut std::io::BufWriter<std::fs::File>) -> ApiResult<u64>,
) -> ApiResult<u64> {
    use std::io::Write;
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let cannot =
        |e: std::io::Error| ApiError::internal(format!("cannot write {}: {e}", path.display()));
    let file = std::fs::File::create(&part).map_err(cannot)?;
    let mut out = std::io::BufWriter::new(file);
    let result = async {
        let rows = write(&mut out).await?;
        out.flush().map_err(cannot)?;
        drop(out);
        std::fs::rename(&part, path).map_err(cannot)?;
        Ok::<u64, ApiError>(rows)
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&part);
    }
    result
}

/// Read the chosen file, keep it for the signed-in user and describe it; None when cancelled.
async fn open_import(state: &AppState, path: Option<PathBuf>) -> ApiResult<Option<ImportFileView>> {
    let target = state.target().await?;
    let Some(path) = path else { return Ok(None) };
    let (name, bytes) = tokio::task::spawn_blocking(move || crate::imports::read_file(&path))
        .await
        .map_err(|e| ApiError::internal(format!("reading the file failed: {e}")))??;
    let user = match target {
        Target::Local(cx) => cx.user,
        Target::Remote(s) => {
            // The server reads the file (it sends nothing back to keep); the
            // app keeps the bytes for the wizard's next steps.
            let answer = finance_client::files::import_inspect(&s, &name, bytes.clone()).await;
            let mut view = state.remote_answered(&s, answer).await?;
            view.file_id = state.imports().insert(state.remote_person()?, name, bytes);
            return Ok(Some(view));
        }
    };
    let size = bytes.len();
    if let Some(format) = bank::sniff(&bytes) {
        // Read now for its account and entry count; a QIF file whose dates
        // read both ways is read once the wizard has asked (its preview).
        let options = bank::ReadOptions {
            currency: user.currency(),
            qif_dates: None,
        };
        let file = match bank::read(&bytes, &options) {
            Ok(file) => Some(file),
            Err(e) if e.field() == Some("date_order") => None,
            Err(e) => return Err(e.into()),
        };
        let view = BankFileView::new(format, file.as_ref());
        // The placeholder settings the wizard sends back (a bank file has no columns).
        let placeholder = csv_io::sniff_csv(b"date,amount,description\n2024-01-01,1,x\n")?;
        let file_id = state.imports().insert(user.id(), name.clone(), bytes);
        return Ok(Some(ImportFileView::bank(
            file_id,
            name,
            size,
            &placeholder,
            view,
        )));
    }
    let preview = csv_io::sniff_csv(&bytes)?;
    let file_id = state.imports().insert(user.id(), name.clone(), bytes);
    Ok(Some(ImportFileView::new(file_id, name, size, &preview)))
}

/// Ask for a CSV or bank statement file (the OS dialog, opened from Rust),
/// read and keep it, and return a preview with guessed settings (for a bank
/// file: its format, account and entry count); null when cancelled.
#[tauri::command]
pub async fn import_open<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> ApiResult<Option<ImportFileView>> {
    use tauri_plugin_dialog::DialogExt;
    state.target().await?;
    let dialog = app
        .dialog()
        .file()
        .add_filter(
            "CSV and bank files",
            &["csv", "txt", "ofx", "qfx", "qif", "xml"],
        )
        .add_filter("CSV", &["csv", "txt"])
        .add_filter("Bank statements", &["ofx", "qfx", "qif", "xml"]);
    let chosen = tokio::task::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|e| ApiError::internal(format!("the open dialog failed: {e}")))?;
    let path = match chosen {
        Some(p) => Some(
            p.into_path()
                .map_err(|e| ApiError::internal(format!("cannot open that file: {e}")))?,
        ),
        None => None,
    };
    open_import(&state, path).await
}

/// End-to-end builds only (`--features e2e`): `import_open` for a file by path,
/// which must lie in the folder `FINANCE_E2E_IMPORT_DIR` names. Refused otherwise.
#[tauri::command]
pub async fn import_open_path(
    state: State<'_, AppState>,
    input: ImportOpenPathInput,
) -> ApiResult<Option<ImportFileView>> {
    let refused = || ApiError::new(ErrorCode::NotFound, "not available in this build");
    if !cfg!(feature = "e2e") {
        return Err(refused());
    }
    let dir = std::env::var_os("FINANCE_E2E_IMPORT_DIR").ok_or_else(refused)?;
    let dir = std::fs::canonicalize(dir).map_err(|_| refused())?;
    let path = std::fs::canonicalize(&input.path).map_err(|_| refused())?;
    if !path.starts_with(&dir) {
        return Err(refused());
    }
    open_import(&state, Some(path)).await
}

/// What importing the file with these settings would do. Saves nothing.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    input: ImportPreviewInput,
) -> ApiResult<ImportPreviewView> {
    if let Target::Remote(s) = state.target().await? {
        let (name, bytes) = state
            .imports()
            .get(state.remote_person()?, &input.file_id)?;
        let answer = finance_client::files::import_preview(&s, &name, bytes.to_vec(), &input).await;
        return state.remote_answered(&s, answer).await;
    }
    let (f, user) = state.session(Utc::now()).await?;
    let (_, bytes) = state.imports().get(user.id(), &input.file_id)?;
    let choices = ImportChoices::try_from(&input)?;
    let plan = f
        .import_plan(
            &user,
            choices.account,
            &bytes,
            choices.source(&bytes),
            &choices.mappings,
        )
        .await?;
    Ok(ImportPreviewView::new(&plan, user.currency()))
}

/// Import the file (all rows in one write), sending `import-progress` events;
/// the file is forgotten afterwards.
#[tauri::command]
pub async fn import_commit<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    input: ImportCommitInput,
) -> ApiResult<ImportSummaryView> {
    use tauri::Emitter;
    if let Target::Remote(s) = state.target().await? {
        let person = state.remote_person()?;
        let (name, bytes) = state.imports().get(person, &input.file_id)?;
        let answer = finance_client::files::import_commit(&s, &name, bytes.to_vec(), &input).await;
        let summary = state.remote_answered(&s, answer).await?;
        state.imports().remove(person, &input.file_id);
        return Ok(summary);
    }
    let (f, user) = state.session(Utc::now()).await?;
    let (_, bytes) = state.imports().get(user.id(), &input.file_id)?;
    let choices = ImportChoices::try_from(&input)?;
    let key = idempotency_key(input.idempotency_key.as_deref())?;
    // At most about a hundred events, whatever the file's size.
    let last = std::sync::atomic::AtomicU64::new(u64::MAX);
    let progress = move |done: u64, total: u64| {
        let step = (total / 100).max(1);
        let bucket = done / step;
        if done == total || last.swap(bucket, std::sync::atomic::Ordering::Relaxed) != bucket {
            let payload = ImportProgress {
                done: count32(done),
                total: count32(total),
            };
            let _ = app.emit(IMPORT_PROGRESS_EVENT, payload);
        }
    };
    let summary = f
        .import_commit_with_key(
            &user,
            choices.account,
            &bytes,
            choices.source(&bytes),
            &choices.mappings,
            CommitChoices {
                skip_duplicates: input.skip_duplicates,
                skip_errors: input.skip_errors,
            },
            key.as_ref(),
            Utc::now(),
            &progress,
        )
        .await?;
    state.imports().remove(user.id(), &input.file_id);
    Ok(summary.into())
}

/// Forget an opened file (the wizard was closed without importing).
#[tauri::command]
pub async fn import_discard(state: State<'_, AppState>, input: FileIdInput) -> ApiResult<()> {
    let person = match state.target().await? {
        Target::Local(cx) => cx.user.id(),
        Target::Remote(_) => state.remote_person()?,
    };
    state.imports().remove(person, &input.file_id);
    Ok(())
}
