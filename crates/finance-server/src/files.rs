//! What the file routes share: reading an upload (a `multipart/form-data`
//! form with a `file` part and a JSON `settings` part, or a raw body spooled
//! to a temp file), and answering a streamed body that a `std::io::Write`
//! produces (the CSV export, the rejected lines) or a file holds (a backup).
//!
//! Invariants: the server keeps no upload between requests (the client sends
//! the file with each step; a spooled body is an unnamed temp file gone when
//! dropped); an upload past [`AppState::upload_limit`] is 413 (the file
//! routes turn axum's 1 MiB default off and apply that limit instead); a
//! streamed answer holds at most [`CHANNEL_CHUNKS`] chunks of about
//! [`CHUNK_BYTES`] in memory whatever its size; a failure before the first
//! byte is an error answer in the one shape, a failure after it aborts the
//! body (the client sees a truncated transfer, never a short file taken for
//! whole).

use std::future::Future;
use std::io::{Read, Seek, SeekFrom, Write};

use axum::body::{Body, Bytes};
use axum::extract::multipart::MultipartError;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, HeaderName, StatusCode};
use finance_core::Error;
use futures::StreamExt;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use crate::error::HttpError;
use crate::state::AppState;

/// The header carrying an import commit's idempotency key (required).
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// The header carrying a backup's passphrase (optional; never logged).
pub const PASSPHRASE: HeaderName = HeaderName::from_static("finance-backup-passphrase");

/// About how many bytes a streamed answer sends at once.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// How many chunks wait between the producer and a slow client.
pub const CHANNEL_CHUNKS: usize = 4;

/// An uploaded file and its `settings` part, read from `multipart/form-data`.
pub struct Upload {
    /// The file part's file name (for display), `upload` when none was sent.
    pub name: String,
    /// The file's bytes.
    pub bytes: Bytes,
    settings: Option<Bytes>,
}

impl Upload {
    /// The `settings` part read as JSON `T`: `Validation { field: "settings" }`
    /// when missing or when it does not fit.
    pub fn settings<T: DeserializeOwned>(&self) -> Result<T, HttpError> {
        let raw = self.settings.as_ref().ok_or_else(|| {
            Error::validation(
                "settings",
                "is missing: send it as the JSON part `settings`",
            )
        })?;
        serde_json::from_slice(raw)
            .map_err(|e| Error::validation("settings", format!("does not fit: {e}")).into())
    }
}

fn unreadable_upload(e: MultipartError) -> HttpError {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return HttpError::for_status(status);
    }
    // A malformed part (a header that is not text, a cut-off body) is bad
    // input like any other: 422, as every route documents.
    HttpError::unreadable(
        StatusCode::UNPROCESSABLE_ENTITY,
        "the upload cannot be read as multipart/form-data",
    )
}

impl From<MultipartRejection> for HttpError {
    fn from(r: MultipartRejection) -> HttpError {
        HttpError::unreadable(
            r.status(),
            "the request body must be multipart/form-data with a `file` part",
        )
    }
}

/// The request with its body limited to the state's upload limit.
fn limited(req: Request, limit: usize) -> Request {
    req.map(|b| Body::new(http_body_util::Limited::new(b, limit)))
}

impl FromRequest<AppState> for Upload {
    type Rejection = HttpError;

    async fn from_request(req: Request, state: &AppState) -> Result<Upload, HttpError> {
        let mut form = Multipart::from_request(limited(req, state.upload_limit), state).await?;
        let mut file = None;
        let mut settings = None;
        while let Some(field) = form.next_field().await.map_err(unreadable_upload)? {
            match field.name() {
                Some("file") => {
                    let name = field
                        .file_name()
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .unwrap_or("upload")
                        .to_string();
                    file = Some((name, field.bytes().await.map_err(unreadable_upload)?));
                }
                Some("settings") => {
                    settings = Some(field.bytes().await.map_err(unreadable_upload)?);
                }
                // Other parts are read past (a form may carry more).
                _ => {}
            }
        }
        let (name, bytes) = file.ok_or_else(|| {
            Error::validation("file", "is missing: send the file as the part `file`")
        })?;
        Ok(Upload {
            name,
            bytes,
            settings,
        })
    }
}

/// A raw request body written to an unnamed temp file (at most `limit`
/// bytes, else 413), rewound: for a reader that needs to seek (a backup's
/// zip has its directory at the end).
pub async fn spool(body: Body, limit: usize) -> Result<std::fs::File, HttpError> {
    let cannot = |e: std::io::Error| HttpError::from(Error::internal("spool the upload", e));
    let mut file = tempfile::tempfile().map_err(cannot)?;
    let mut stream = body.into_data_stream();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            let too_large = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>())
                || e.to_string().contains("length limit");
            if too_large {
                HttpError::for_status(StatusCode::PAYLOAD_TOO_LARGE)
            } else {
                HttpError::unreadable(StatusCode::BAD_REQUEST, "the request body cannot be read")
            }
        })?;
        total += chunk.len();
        if total > limit {
            return Err(HttpError::for_status(StatusCode::PAYLOAD_TOO_LARGE));
        }
        file.write_all(&chunk).map_err(cannot)?;
    }
    file.seek(SeekFrom::Start(0)).map_err(cannot)?;
    Ok(file)
}

/// The passphrase header: `None` when absent or empty; not text is
/// `Validation { field: "passphrase" }`.
pub fn passphrase(headers: &HeaderMap) -> Result<Option<String>, HttpError> {
    match headers.get(PASSPHRASE) {
        None => Ok(None),
        Some(v) => {
            let text = v.to_str().map_err(|_| {
                Error::validation(
                    "passphrase",
                    "must be text (the Finance-Backup-Passphrase header)",
                )
            })?;
            Ok(Some(text.to_string()).filter(|p| !p.is_empty()))
        }
    }
}

type Chunk = Result<Bytes, Error>;

/// A `Write` that hands what is written to a streamed answer, [`CHUNK_BYTES`]
/// at a time (and on each flush), waiting while the client is behind. Used
/// on a blocking thread only (see [`stream_writer`]).
pub struct ChunkWriter {
    tx: mpsc::Sender<Chunk>,
    buf: Vec<u8>,
}

impl ChunkWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        // A blocking thread inside `Handle::block_on`: tokio's own blocking
        // send refuses a runtime context, so wait on the send future here.
        futures::executor::block_on(self.tx.send(Ok(chunk))).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// A streamed body of what `produce` writes to its [`ChunkWriter`] (which
/// it must flush at the end). `produce` runs on a blocking thread (driven by
/// the runtime's handle), so its writes may wait for the client; this
/// answers once the first bytes are there, or `produce`'s error when it
/// failed before writing any.
pub async fn stream_writer<F, Fut>(produce: F) -> Result<Body, HttpError>
where
    F: FnOnce(ChunkWriter) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(), Error>>,
{
    let (tx, rx) = mpsc::channel::<Chunk>(CHANNEL_CHUNKS);
    let handle = tokio::runtime::Handle::current();
    let failed = tx.clone();
    tokio::task::spawn_blocking(move || {
        let writer = ChunkWriter {
            tx,
            buf: Vec::with_capacity(CHUNK_BYTES),
        };
        if let Err(e) = handle.block_on(produce(writer)) {
            // The client may be gone already; nothing else to tell.
            let _ = futures::executor::block_on(failed.send(Err(e)));
        }
    });
    body_of(rx).await
}

/// A streamed body of `file` from its start, read on a blocking thread.
pub async fn stream_file(mut file: std::fs::File) -> Result<Body, HttpError> {
    let (tx, rx) = mpsc::channel::<Chunk>(CHANNEL_CHUNKS);
    tokio::task::spawn_blocking(move || {
        let mut buf = vec![0u8; CHUNK_BYTES];
        loop {
            let chunk = match file.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => Ok(Bytes::copy_from_slice(&buf[..n])),
                Err(e) => Err(Error::internal("read the file to send", e)),
            };
            let last = chunk.is_err();
            if tx.blocking_send(chunk).is_err() || last {
                return;
            }
        }
    });
    body_of(rx).await
}

/// The body of the chunks on `rx`: an error before the first chunk is the
/// answer; one after it aborts the body.
async fn body_of(mut rx: mpsc::Receiver<Chunk>) -> Result<Body, HttpError> {
    let first = match rx.recv().await {
        Some(Err(e)) => return Err(e.into()),
        first => first,
    };
    let rest = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let all = futures::stream::iter(first).chain(rest).map(|chunk| {
        chunk.map_err(|e| {
            tracing::warn!(error = %e, "a streamed answer failed midway; the body is cut");
            std::io::Error::other(e.to_string())
        })
    });
    Ok(Body::from_stream(all))
}
