//! Backups over HTTP: `GET /backup` streams the file the desktop's "Back up
//! now" writes (the same format; encrypted with the optional
//! `Finance-Backup-Passphrase` header, which then adds the password hash),
//! and `POST /backup/restore` restores such a file (the raw body) into the
//! caller's ledger, which must hold nothing yet, as the desktop's
//! `restore_backup`.
//!
//! Invariants: owner only (the core's `OwnLedger` permission: a member
//! acting on another's ledger is 403); the backup file is a zip, whose
//! writer and reader seek, so each side goes through an unnamed temp file
//! (gone when the request ends) and never through memory whole; the
//! passphrase travels in a header, never in the URL or a log; a restore
//! that fails writes nothing.

use axum::Json;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use finance_api::types::{RestoreResult, count32};
use finance_core::Error;
use finance_core::backup::EXTENSION;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::Caller;
use crate::files::{passphrase, spool, stream_file};
use crate::state::AppState;

/// The header answering how many transactions a backup holds.
pub const TRANSACTIONS_HEADER: &str = "finance-backup-transactions";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(download_backup))
        .routes(routes!(restore_backup))
        // A restore takes `FINANCE_UPLOAD_LIMIT_MB` (see `files::spool`).
        .layer(DefaultBodyLimit::disable())
}

/// A backup file's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // The document's shape of the body; read as a stream.
pub struct BackupFile(Vec<u8>);

/// A backup of everything of the caller's own ledger, in the desktop's backup format (a `.financebackup` file); encrypted, with the password hash, when `Finance-Backup-Passphrase` is sent (at least 8 characters).
#[utoipa::path(get, path = "/backup", tag = "backup", security(("bearer" = [])),
    params(("Finance-Backup-Passphrase" = Option<String>, Header, description = "Encrypts the file (at least 8 characters); none: a plain backup")),
    responses(
        (status = 200, description = "The backup file", content_type = "application/octet-stream", body = BackupFile,
            headers(("Finance-Backup-Transactions" = u32, description = "How many transactions it holds"))),
        (status = 403, description = "Only the ledger's owner backs it up", body = finance_api::ApiError),
    ))]
pub async fn download_backup(c: Caller, headers: HeaderMap) -> HttpResult<Response> {
    let passphrase = passphrase(&headers)?;
    let cannot = |e: std::io::Error| Error::internal("backup file", e);
    let file = tempfile::tempfile().map_err(cannot)?;
    let (out, summary) =
        c.cx.finance
            .backup_to(
                &c.cx.user,
                std::io::BufWriter::new(file),
                passphrase.as_deref(),
                c.cx.now,
            )
            .await?;
    let mut file = out.into_inner().map_err(|e| cannot(e.into_error()))?;
    let size = std::io::Seek::stream_position(&mut file).map_err(cannot)?;
    std::io::Seek::rewind(&mut file).map_err(cannot)?;
    let body = stream_file(file).await?;
    let name = format!("finance-{}.{EXTENSION}", c.cx.today);
    let mut res = (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    headers.insert(
        TRANSACTIONS_HEADER,
        HeaderValue::from(count32(summary.transactions)),
    );
    Ok(res)
}

/// Restore a backup file (the body, as `GET /backup` answers it) into the caller's own ledger, which must hold nothing yet (`conflict` on `user`); an encrypted file needs `Finance-Backup-Passphrase` (a wrong one: `validation` on `passphrase`). A damaged or foreign file is `validation` on `file` and nothing is written.
#[utoipa::path(post, path = "/backup/restore", tag = "backup", security(("bearer" = [])),
    params(("Finance-Backup-Passphrase" = Option<String>, Header, description = "The passphrase of an encrypted file")),
    request_body(content = BackupFile, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "What was restored", body = RestoreResult),
        (status = 403, description = "Only the ledger's owner restores into it", body = finance_api::ApiError),
    ))]
pub async fn restore_backup(
    State(state): State<AppState>,
    c: Caller,
    headers: HeaderMap,
    body: Body,
) -> HttpResult<Json<RestoreResult>> {
    let passphrase = passphrase(&headers)?;
    let file = spool(body, state.upload_limit).await?;
    let summary =
        c.cx.finance
            .restore_from(&c.cx.user, std::io::BufReader::new(file), passphrase)
            .await?;
    Ok(Json(RestoreResult {
        records: count32(summary.records),
        transactions: count32(summary.transactions),
    }))
}
