//! The import wizard over HTTP, "upload → plan → commit": the client keeps
//! the file and sends it with every step as `multipart/form-data` (a `file`
//! part of raw bytes, and a JSON `settings` part), so no server holds an
//! upload and any server of several answers any step.
//!
//! * `POST /imports/inspect` — what the desktop's `import_open` answers
//!   (format, guessed settings, first lines; a bank file's account and
//!   entries); `fileId` is empty: there is nothing kept to name.
//! * `POST /imports/preview` — `import_preview`: what an import would do.
//! * `POST /imports/rejects` — the lines an import leaves out, as CSV to fix.
//! * `POST /imports/commit` — `import_commit`, at most once per
//!   `Idempotency-Key` (required).
//!
//! Invariants: the same file and settings give what the desktop gives (the
//! same finance-api conversions and core calls: a bank file is told by
//! content, never by name); uploads are limited by `FINANCE_UPLOAD_LIMIT_MB`
//! instead of the 1 MiB JSON limit.

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use finance_api::types::{
    CategoryMappingView, DayMonthOrderView, ImportChoices, ImportCommitInput, ImportFileView,
    ImportPreviewInput, ImportPreviewView, ImportSettingsView, ImportSummaryView, idempotency_key,
};
use finance_core::Error;
use finance_core::csv_io::CommitChoices;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::Caller;
use crate::files::{IDEMPOTENCY_KEY, Upload, stream_writer};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_inspect))
        .routes(routes!(import_preview))
        .routes(routes!(import_rejects_csv))
        .routes(routes!(import_commit))
        // Uploads take `FINANCE_UPLOAD_LIMIT_MB` (see `files::Upload`).
        .layer(DefaultBodyLimit::disable())
}

/// How to read an uploaded file (the `settings` part of a preview or of the rejected lines).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewSettings {
    /// The account the file belongs to; null = the default account.
    #[serde(default)]
    pub account_id: Option<String>,
    pub settings: ImportSettingsView,
    #[serde(default)]
    pub mappings: Vec<CategoryMappingView>,
    /// A QIF file's order of day and month, once asked (a preview failed with the field `date_order`).
    #[serde(default)]
    pub qif_dates: Option<DayMonthOrderView>,
}

impl ImportPreviewSettings {
    fn input(self) -> ImportPreviewInput {
        ImportPreviewInput {
            file_id: String::new(),
            account_id: self.account_id,
            settings: self.settings,
            mappings: self.mappings,
            qif_dates: self.qif_dates,
        }
    }
}

/// How to import an uploaded file (the `settings` part of a commit).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportCommitSettings {
    /// The account the file belongs to; null = the default account.
    #[serde(default)]
    pub account_id: Option<String>,
    pub settings: ImportSettingsView,
    #[serde(default)]
    pub mappings: Vec<CategoryMappingView>,
    pub skip_duplicates: bool,
    /// Import the good rows and leave out the rows with errors (else a file with an error is refused whole).
    #[serde(default)]
    pub skip_errors: bool,
    /// As in the preview.
    #[serde(default)]
    pub qif_dates: Option<DayMonthOrderView>,
}

/// An uploaded file alone.
#[derive(ToSchema)]
#[allow(dead_code)] // The document's shape of the form; `files::Upload` reads it.
pub struct FileForm {
    /// The file's bytes (CSV, OFX/QFX, QIF or CAMT.053).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// An uploaded file with how to read it.
#[derive(ToSchema)]
#[allow(dead_code)] // The document's shape of the form; `files::Upload` reads it.
pub struct ImportPreviewForm {
    /// The file's bytes (CSV, OFX/QFX, QIF or CAMT.053).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// JSON.
    pub settings: ImportPreviewSettings,
}

/// An uploaded file with how to import it.
#[derive(ToSchema)]
#[allow(dead_code)] // The document's shape of the form; `files::Upload` reads it.
pub struct ImportCommitForm {
    /// The file's bytes (CSV, OFX/QFX, QIF or CAMT.053).
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// JSON.
    pub settings: ImportCommitSettings,
}

/// Read an uploaded file and describe it: its format, guessed settings and first lines (a bank statement: its account and entries). Saves nothing.
#[utoipa::path(post, path = "/imports/inspect", tag = "imports", security(("bearer" = [])),
    request_body(content = FileForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "What the file holds (`fileId` is empty: the server keeps nothing)", body = ImportFileView)))]
pub async fn import_inspect(c: Caller, upload: Upload) -> HttpResult<Json<ImportFileView>> {
    let view = ImportFileView::read(
        String::new(),
        upload.name,
        &upload.bytes,
        c.cx.user.currency(),
    )?;
    Ok(Json(view))
}

/// What importing the uploaded file with these settings would do. Saves nothing.
#[utoipa::path(post, path = "/imports/preview", tag = "imports", security(("bearer" = [])),
    request_body(content = ImportPreviewForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "What the import would do", body = ImportPreviewView),
        (status = 403, description = "The caller may not write to this ledger", body = finance_api::ApiError),
    ))]
pub async fn import_preview(c: Caller, upload: Upload) -> HttpResult<Json<ImportPreviewView>> {
    let input = upload.settings::<ImportPreviewSettings>()?.input();
    let choices = ImportChoices::try_from(&input)?;
    let bytes = &upload.bytes;
    let plan =
        c.cx.finance
            .import_plan(
                &c.cx.user,
                choices.account,
                bytes,
                choices.source(bytes),
                &choices.mappings,
            )
            .await?;
    Ok(Json(ImportPreviewView::new(&plan, c.cx.user.currency())))
}

/// The lines of the uploaded CSV file that an import with these settings leaves out (line, problem, the row's cells), as CSV to fix and import again. Saves nothing.
#[utoipa::path(post, path = "/imports/rejects", tag = "imports", security(("bearer" = [])),
    request_body(content = ImportPreviewForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The lines left out, as CSV", content_type = "text/csv", body = String),
        (status = 403, description = "The caller may not write to this ledger", body = finance_api::ApiError),
    ))]
pub async fn import_rejects_csv(c: Caller, upload: Upload) -> HttpResult<Response> {
    if finance_core::bank::sniff(&upload.bytes).is_some() {
        return Err(Error::validation(
            "file",
            "is a bank statement: its lines cannot be fixed and imported again as CSV",
        )
        .into());
    }
    let input = upload.settings::<ImportPreviewSettings>()?.input();
    let choices = ImportChoices::try_from(&input)?;
    let bytes = upload.bytes;
    let body = stream_writer(move |mut out| async move {
        c.cx.finance
            .import_rejects(
                &c.cx.user,
                choices.account,
                &bytes,
                &choices.settings,
                &choices.mappings,
                &mut out,
            )
            .await?;
        std::io::Write::flush(&mut out).map_err(|e| Error::internal("send the lines", e))
    })
    .await?;
    Ok(csv_answer(body, "lines left out.csv"))
}

/// A CSV answer named `file_name` for a save dialog.
pub fn csv_answer(body: axum::body::Body, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Import the uploaded file (all rows in one write), at most once per `Idempotency-Key`: the same key again answers the first import's summary and writes nothing; with another file or other settings it is `conflict`.
#[utoipa::path(post, path = "/imports/commit", tag = "imports", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "Made once per import (a UUID) and sent again on a retry")),
    request_body(content = ImportCommitForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "What was imported", body = ImportSummaryView),
        (status = 403, description = "The caller may not write to this ledger", body = finance_api::ApiError),
    ))]
pub async fn import_commit(
    c: Caller,
    headers: HeaderMap,
    upload: Upload,
) -> HttpResult<Json<ImportSummaryView>> {
    let key = headers
        .get(IDEMPOTENCY_KEY)
        .ok_or_else(|| {
            Error::validation(
                "Idempotency-Key",
                "is required: make one per import (a UUID) and send it again on a retry",
            )
        })?
        .to_str()
        .map_err(|_| Error::validation("Idempotency-Key", "must be text"))?;
    let key = idempotency_key(Some(key))
        .map_err(|e| Error::validation("Idempotency-Key", e.to_string()))?;
    let s = upload.settings::<ImportCommitSettings>()?;
    let input = ImportCommitInput {
        file_id: String::new(),
        account_id: s.account_id,
        settings: s.settings,
        mappings: s.mappings,
        skip_duplicates: s.skip_duplicates,
        skip_errors: s.skip_errors,
        idempotency_key: None,
        qif_dates: s.qif_dates,
    };
    let choices = ImportChoices::try_from(&input)?;
    let bytes = &upload.bytes;
    let summary =
        c.cx.finance
            .import_commit_with_key(
                &c.cx.user,
                choices.account,
                bytes,
                choices.source(bytes),
                &choices.mappings,
                CommitChoices {
                    skip_duplicates: input.skip_duplicates,
                    skip_errors: input.skip_errors,
                },
                key.as_ref(),
                c.cx.now,
                &|_, _| {},
            )
            .await?;
    Ok(Json(summary.into()))
}
