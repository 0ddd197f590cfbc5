//! The Finance server: the operations over REST/JSON under `/api/v1`, with an
//! OpenAPI 3.1 document generated from the code, for a household that shares
//! one store. The server holds the store's credentials; clients hold only a
//! bearer token.
//!
//! Map: [`config`] (environment) → [`state`] (store, signing key) →
//! [`routes`] (one module per area, each handler authenticating through
//! [`extract::Caller`] and calling a `finance_api::ops` body) → [`openapi`]
//! (the document) → [`hardening`] (layers) → [`spawn`] (plain or TLS).
//!
//! Invariants: every route but health, register and log-in authenticates the
//! bearer token against the store's sessions on each request; every error
//! answer is the one `ApiError` shape ([`error`]); rules live in the core and
//! bodies in finance-api — a handler only shapes input and output.

pub mod config;
pub mod error;
pub mod extract;
pub mod files;
pub mod hardening;
pub mod openapi;
pub mod routes;
pub mod state;
pub mod undo;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use axum_server::Handle;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use config::ServerConfig;
pub use state::AppState;

/// Where the API lives.
pub const API_PREFIX: &str = "/api/v1";

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi()).nest(API_PREFIX, routes::router())
}

/// The OpenAPI document the server serves at `/api/v1/openapi.json`.
pub fn document() -> serde_json::Value {
    openapi::finish(api().into_openapi())
}

/// The whole application: the API, its document, the fallbacks and the layers.
pub fn app(state: AppState, options: &hardening::Hardening) -> Router {
    let (router, doc) = api().split_for_parts();
    let doc = Arc::new(openapi::finish(doc));
    let router = router
        .route(
            &format!("{API_PREFIX}/openapi.json"),
            get(move || {
                let doc = Arc::clone(&doc);
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(error::no_route)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state);
    hardening::harden(router, options)
}

/// A server running in the background.
pub struct Running {
    /// Where it answers.
    pub addr: SocketAddr,
    handle: Handle<SocketAddr>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stop accepting, let requests in flight finish (up to 10 s), and wait.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.handle.graceful_shutdown(Some(Duration::from_secs(10)));
        self.task
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?
    }

    /// Wait until the server stops on its own (an accept error).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?
    }
}

/// The SHA-256 fingerprint of the first certificate in the PEM file at
/// `path` (the server's own), as the desktop app shows it; `None` when it
/// cannot be read.
pub fn certificate_fingerprint(path: &std::path::Path) -> Option<finance_api::Fingerprint> {
    use base64::Engine;
    let text = std::fs::read_to_string(path).ok()?;
    let begin = "-----BEGIN CERTIFICATE-----";
    let start = text.find(begin)? + begin.len();
    let end = start + text[start..].find("-----END CERTIFICATE-----")?;
    let body: String = text[start..end].split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .ok()?;
    Some(finance_api::Fingerprint::of(&der))
}

/// Serve `state` on `listener` (over TLS when the configuration names a certificate).
pub async fn spawn(
    config: &ServerConfig,
    state: AppState,
    listener: std::net::TcpListener,
) -> std::io::Result<Running> {
    let addr = listener.local_addr()?;
    let options = hardening::Hardening {
        cors_origins: config.cors_origins.clone(),
        tls: config.tls.is_some(),
        upload_limit: config.upload_limit,
    };
    let service = app(state, &options).into_make_service();
    let handle: Handle<SocketAddr> = Handle::new();
    let task = match &config.tls {
        None => {
            let server = axum_server::from_tcp(listener)?.handle(handle.clone());
            tokio::spawn(async move { server.serve(service).await })
        }
        Some(tls) => {
            let rustls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key)
                .await
                .map_err(|e| {
                    std::io::Error::new(
                        e.kind(),
                        "FINANCE_TLS_CERT/FINANCE_TLS_KEY: the certificate or key cannot be read",
                    )
                })?;
            let server = axum_server::from_tcp_rustls(listener, rustls)?.handle(handle.clone());
            tokio::spawn(async move { server.serve(service).await })
        }
    };
    Ok(Running { addr, handle, task })
}
