//! What every request passes through: request ids, structured logs, security
//! headers, CORS (closed unless origins are configured), a timeout, a body
//! limit, and the one error shape for answers the layers make themselves.
//!
//! Invariants: the log line of a request holds its id, method, path (never the
//! query), status and duration — never a header value, a body, a token or a
//! password; without `FINANCE_CORS_ORIGINS` no response carries a CORS header;
//! every API answer carries `Cache-Control: no-store`, `X-Content-Type-Options:
//! nosniff` and `X-Frame-Options: DENY`, and `Strict-Transport-Security` when
//! served over TLS.

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use finance_core::Id;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::HttpError;

/// The largest JSON request body accepted (JSON forms are a few KiB); the
/// file routes take up to [`Hardening::upload_limit`].
pub const BODY_LIMIT: usize = 1024 * 1024;

/// How long a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The header that carries a request's id (set when the client sent none, and answered).
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Options of the layers.
#[derive(Debug, Clone, Default)]
pub struct Hardening {
    /// Origins allowed to call from a browser (none: no CORS headers).
    pub cors_origins: Vec<HeaderValue>,
    /// Served over TLS (adds HSTS).
    pub tls: bool,
    /// The largest body of the file routes (below [`BODY_LIMIT`]: that).
    pub upload_limit: usize,
}

#[derive(Clone, Copy)]
struct MakeId;

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&Id::generate().to_hex())
            .ok()
            .map(RequestId::new)
    }
}

/// Wrap `router` in every layer.
pub fn harden(router: Router, options: &Hardening) -> Router {
    let mut router = router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // The hard cap of any body; the extractors hold JSON to BODY_LIMIT.
        .layer(RequestBodyLimitLayer::new(
            options.upload_limit.max(BODY_LIMIT),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ));
    if !options.cors_origins.is_empty() {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(options.cors_origins.clone()))
                .allow_methods([
                    Method::GET,
                    Method::POST,
                    Method::PATCH,
                    Method::PUT,
                    Method::DELETE,
                ])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    REQUEST_ID,
                    crate::files::IDEMPOTENCY_KEY,
                    crate::files::PASSPHRASE,
                ])
                .expose_headers([REQUEST_ID, header::RETRY_AFTER])
                .max_age(Duration::from_secs(600)),
        );
    }
    router = router
        .layer(axum::middleware::map_response(error_shape))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ));
    if options.tls {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ));
    }
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
                })
                .on_request(())
                .on_response(
                    |res: &Response, latency: Duration, _: &tracing::Span| {
                        tracing::info!(
                            status = res.status().as_u16(),
                            ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
                            "answered"
                        );
                    },
                )
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeId))
}

/// An error answer a layer made without a body (a timeout, a limit, axum's
/// 405) gets the one error shape; its other headers (`Allow`) stay.
async fn error_shape(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let (mut parts, _) = res.into_parts();
    let shaped = HttpError::for_status(status).into_response();
    let (shaped_parts, body) = shaped.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in &shaped_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}
