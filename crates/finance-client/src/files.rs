//! The file routes (`/imports/…`, `/transactions/export`, `/backup`): the
//! import wizard's steps with the file sent each time (the server keeps no
//! upload), the CSV export and the backup streamed to a writer, a restore
//! streamed from a reader.
//!
//! Invariants: a file is sent as the `file` part of a `multipart/form-data`
//! form beside a JSON `settings` part (the finance-api input; its `fileId`
//! is not read by the server); a commit always carries its idempotency key
//! (`Idempotency-Key`), so a retry imports at most once; an answer streamed
//! to a writer is written as it arrives, never held whole; the backup
//! passphrase travels in the `Finance-Backup-Passphrase` header only.

use std::io::{Read, Write};

use finance_api::types::{
    ExportCsvInput, ImportCommitInput, ImportFileView, ImportPreviewInput, ImportPreviewView,
    ImportSummaryView, RestoreResult,
};
use finance_api::{ApiError, ApiResult, ErrorCode};
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde::Serialize;

use crate::{Session, internal};

/// The header of an import commit's idempotency key.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// The header of a backup's passphrase.
pub const PASSPHRASE_HEADER: &str = "Finance-Backup-Passphrase";
/// The header answering how many transactions a downloaded backup holds.
pub const BACKUP_TRANSACTIONS_HEADER: &str = "Finance-Backup-Transactions";

/// How much of a restored file is sent at once.
const CHUNK: usize = 64 * 1024;

/// The form of `bytes` named `file_name`, with `settings` as its JSON part.
fn form(file_name: &str, bytes: Vec<u8>, settings: Option<&impl Serialize>) -> ApiResult<Form> {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(file_name.to_string()));
    let Some(settings) = settings else {
        return Ok(form);
    };
    let json = serde_json::to_vec(settings).map_err(internal)?;
    let part = Part::bytes(json)
        .mime_str("application/json")
        .map_err(internal)?;
    Ok(form.part("settings", part))
}

fn write_error(e: std::io::Error) -> ApiError {
    ApiError::internal(format!("cannot write the file: {e}"))
}

/// Stream the answer of `req` to `out`: the bytes written.
async fn download(
    s: &Session,
    req: reqwest::RequestBuilder,
    out: &mut impl Write,
) -> ApiResult<(reqwest::header::HeaderMap, u64)> {
    let mut res = crate::answer(s.url(), req).await?;
    let headers = res.headers().clone();
    let mut written = 0u64;
    while let Some(chunk) = res
        .chunk()
        .await
        .map_err(|e| crate::unreachable(s.url(), &e))?
    {
        out.write_all(&chunk).map_err(write_error)?;
        written += chunk.len() as u64;
    }
    out.flush().map_err(write_error)?;
    Ok((headers, written))
}

/// What the file holds: format, guessed settings, first lines (a bank
/// statement: its account and entries). `fileId` is empty.
pub async fn import_inspect(
    s: &Session,
    file_name: &str,
    bytes: Vec<u8>,
) -> ApiResult<ImportFileView> {
    let form = form(file_name, bytes, None::<&()>)?;
    s.call(
        s.request(Method::POST, &["imports", "inspect"])
            .multipart(form),
    )
    .await
}

/// What importing the file with `input`'s settings would do (`input.fileId` is not read).
pub async fn import_preview(
    s: &Session,
    file_name: &str,
    bytes: Vec<u8>,
    input: &ImportPreviewInput,
) -> ApiResult<ImportPreviewView> {
    let form = form(file_name, bytes, Some(input))?;
    s.call(
        s.request(Method::POST, &["imports", "preview"])
            .multipart(form),
    )
    .await
}

/// Write to `out` the lines an import with `input`'s settings leaves out,
/// as CSV to fix and import again; the bytes written.
pub async fn import_rejects(
    s: &Session,
    file_name: &str,
    bytes: Vec<u8>,
    input: &ImportPreviewInput,
    out: &mut impl Write,
) -> ApiResult<u64> {
    let form = form(file_name, bytes, Some(input))?;
    let req = s
        .request(Method::POST, &["imports", "rejects"])
        .multipart(form);
    Ok(download(s, req, out).await?.1)
}

/// Import the file, at most once per `input.idempotencyKey` (required: made
/// once per import and sent again on a retry).
pub async fn import_commit(
    s: &Session,
    file_name: &str,
    bytes: Vec<u8>,
    input: &ImportCommitInput,
) -> ApiResult<ImportSummaryView> {
    let key = input.idempotency_key.as_deref().ok_or_else(|| {
        let mut e = ApiError::new(
            ErrorCode::Validation,
            "make one per import and send it again on a retry",
        );
        e.field = Some("idempotencyKey".into());
        e
    })?;
    let form = form(file_name, bytes, Some(input))?;
    let req = s
        .request(Method::POST, &["imports", "commit"])
        .header(IDEMPOTENCY_KEY_HEADER, key)
        .multipart(form);
    s.call(req).await
}

/// Write the transactions matching `input`'s filter as CSV to `out` (the
/// desktop's export file), as the server streams it; the bytes written.
pub async fn export_csv(
    s: &Session,
    input: ExportCsvInput,
    out: &mut impl Write,
) -> ApiResult<u64> {
    let filter = input.filter.unwrap_or_default();
    let req = s
        .request(Method::POST, &["transactions", "export"])
        .json(&filter);
    Ok(download(s, req, out).await?.1)
}

/// Write a backup of the person's own ledger to `out` (encrypted, with the
/// password hash, when a passphrase is given); the transactions it holds.
pub async fn backup_now(
    s: &Session,
    passphrase: Option<&str>,
    out: &mut impl Write,
) -> ApiResult<u32> {
    let mut req = s.own_request(Method::GET, &["backup"]);
    if let Some(p) = passphrase.filter(|p| !p.is_empty()) {
        req = req.header(PASSPHRASE_HEADER, p);
    }
    let (headers, _) = download(s, req, out).await?;
    Ok(headers
        .get(BACKUP_TRANSACTIONS_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

/// Restore the backup `file` (read and sent a chunk at a time) into the
/// person's ledger, which must hold nothing yet.
pub async fn restore_backup(
    s: &Session,
    file: impl Read + Send + 'static,
    passphrase: Option<&str>,
) -> ApiResult<RestoreResult> {
    let chunks = futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; CHUNK];
        match file.read(&mut buf) {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(buf), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let mut req = s
        .own_request(Method::POST, &["backup", "restore"])
        .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
        .body(reqwest::Body::wrap_stream(chunks));
    if let Some(p) = passphrase.filter(|p| !p.is_empty()) {
        req = req.header(PASSPHRASE_HEADER, p);
    }
    s.call(req).await
}
