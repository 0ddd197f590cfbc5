//! Errors over HTTP: every error answer, the server's own and axum's
//! rejections alike, is the one [`ApiError`] JSON shape
//! (`{code, message, field, retryAfterSecs}`) with the status its code maps to.
//!
//! Invariants: the status comes from the code through [`status_of`] only (an
//! exhaustive match: a new code breaks the build here); `429` carries
//! `Retry-After`, `401` carries `WWW-Authenticate: Bearer`; a message never
//! quotes a request body, a header or a token.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use finance_api::{ApiError, ErrorCode};

/// The HTTP status of an error code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Validation => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal | ErrorCode::KeyringUnavailable => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error answer: the shape and its status (the code's, or a transport
/// status such as 400 or 413 for a request the server could not read).
#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    pub error: ApiError,
}

impl HttpError {
    /// A request that could not be read (bad JSON, wrong content type, too large):
    /// `validation` with the transport's status.
    pub fn unreadable(status: StatusCode, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            error: ApiError::new(ErrorCode::Validation, message),
        }
    }

    /// No such route.
    pub fn no_route() -> HttpError {
        HttpError {
            status: StatusCode::NOT_FOUND,
            error: ApiError::new(ErrorCode::NotFound, "no such endpoint"),
        }
    }

    /// The route exists without this method.
    pub fn method_not_allowed() -> HttpError {
        HttpError::unreadable(
            StatusCode::METHOD_NOT_ALLOWED,
            "this endpoint does not accept that method",
        )
    }

    /// The answer for a bare status (a layer's timeout or limit) in the one shape.
    pub fn for_status(status: StatusCode) -> HttpError {
        let code = match status {
            StatusCode::UNAUTHORIZED => ErrorCode::Unauthorized,
            StatusCode::NOT_FOUND => ErrorCode::NotFound,
            StatusCode::CONFLICT => ErrorCode::Conflict,
            StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => ErrorCode::Unavailable,
            s if s.is_server_error() => ErrorCode::Internal,
            _ => ErrorCode::Validation,
        };
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large".to_string(),
            StatusCode::REQUEST_TIMEOUT => "the request took too long".to_string(),
            s => s.canonical_reason().unwrap_or("error").to_lowercase(),
        };
        HttpError {
            status,
            error: ApiError::new(code, message),
        }
    }
}

impl From<ApiError> for HttpError {
    fn from(error: ApiError) -> HttpError {
        HttpError {
            status: status_of(error.code),
            error,
        }
    }
}

impl From<finance_core::Error> for HttpError {
    fn from(e: finance_core::Error) -> HttpError {
        ApiError::from(e).into()
    }
}

impl From<JsonRejection> for HttpError {
    fn from(r: JsonRejection) -> HttpError {
        let message = match &r {
            JsonRejection::JsonDataError(e) => {
                format!("the request body does not fit: {}", e.body_text())
            }
            JsonRejection::JsonSyntaxError(_) => "the request body is not valid JSON".to_string(),
            JsonRejection::MissingJsonContentType(_) => {
                "the request body must be JSON (Content-Type: application/json)".to_string()
            }
            _ if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                "the request body is too large".to_string()
            }
            _ => "the request body cannot be read".to_string(),
        };
        HttpError::unreadable(r.status(), message)
    }
}

impl From<QueryRejection> for HttpError {
    fn from(r: QueryRejection) -> HttpError {
        HttpError::unreadable(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the query does not fit: {}", r.body_text()),
        )
    }
}

impl From<PathRejection> for HttpError {
    fn from(r: PathRejection) -> HttpError {
        HttpError::unreadable(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the path does not fit: {}", r.body_text()),
        )
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let retry_after = self.error.retry_after_secs;
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut response = (self.status, Json(self.error)).into_response();
        let headers = response.headers_mut();
        if let Some(secs) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if unauthorized {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// What a handler answers.
pub type HttpResult<T> = Result<T, HttpError>;

/// Unknown route: 404 in the one shape.
pub async fn no_route() -> HttpError {
    HttpError::no_route()
}

/// Known route, other method: 405 in the one shape.
pub async fn method_not_allowed() -> HttpError {
    HttpError::method_not_allowed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_status() {
        for &code in ErrorCode::ALL {
            let s = status_of(code);
            assert!(
                s.is_client_error() || s.is_server_error(),
                "{code:?} -> {s}"
            );
        }
        assert_eq!(status_of(ErrorCode::Validation), 422);
        assert_eq!(status_of(ErrorCode::RateLimited), 429);
    }
}
