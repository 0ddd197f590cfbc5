//! The one error shape that crosses IPC and HTTP: `{ code, message, field, retryAfterSecs }`.
//!
//! Built from `finance_core::Error` (whose messages never hold secrets) or, on
//! the desktop, from keyring failures. Internal detail stays in the log.
//!
//! Invariants: every core `ErrorCode` maps to the code of the same name (an
//! exhaustive match: a new core code breaks the build here); the TypeScript
//! list of codes is generated from [`ErrorCode::ALL`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An error as the UI (over IPC) and HTTP clients receive it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub retry_after_secs: Option<u32>,
}

/// Declares [`ErrorCode`] and [`ErrorCode::ALL`] from one list of variants.
macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $code:ident,)*) => {
        /// Stable error codes (`snake_case` on the wire): the core's codes and the app's own.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $code,)*
        }

        impl ErrorCode {
            /// Every code, in declaration order (generated into `ERROR_CODES` in TypeScript).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$code,)*];
        }
    };
}

error_codes! {
    Validation,
    NotFound,
    Conflict,
    Unauthorized,
    /// Signed in, but the role on this ledger does not allow the operation.
    Forbidden,
    RateLimited,
    Unavailable,
    Internal,
    /// The OS keyring (Secret Service, Keychain, Credential Manager) cannot be used.
    KeyringUnavailable,
}

impl ApiError {
    /// An error with no field.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            field: None,
            retry_after_secs: None,
        }
    }

    /// Something outside the store failed (a dialog, a file); `message` says what.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(ErrorCode::Internal, message)
    }
}

impl From<finance_core::ErrorCode> for ErrorCode {
    fn from(c: finance_core::ErrorCode) -> ErrorCode {
        use finance_core::ErrorCode as C;
        match c {
            C::Validation => ErrorCode::Validation,
            C::NotFound => ErrorCode::NotFound,
            C::Conflict => ErrorCode::Conflict,
            C::Unauthorized => ErrorCode::Unauthorized,
            C::Forbidden => ErrorCode::Forbidden,
            C::RateLimited => ErrorCode::RateLimited,
            C::Unavailable => ErrorCode::Unavailable,
            C::Internal => ErrorCode::Internal,
        }
    }
}

impl From<finance_core::Error> for ApiError {
    fn from(e: finance_core::Error) -> ApiError {
        let retry_after_secs = match &e {
            finance_core::Error::RateLimited { retry_after_secs } => {
                Some(u32::try_from(*retry_after_secs).unwrap_or(u32::MAX))
            }
            _ => None,
        };
        ApiError {
            code: e.code().into(),
            field: e.field().map(str::to_string),
            message: e.to_string(),
            retry_after_secs,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Command result.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_codes_keep_their_wire_names() {
        use finance_core::ErrorCode as C;
        for c in [
            C::Validation,
            C::NotFound,
            C::Conflict,
            C::Unauthorized,
            C::Forbidden,
            C::RateLimited,
            C::Unavailable,
            C::Internal,
        ] {
            let app = ErrorCode::from(c);
            assert!(ErrorCode::ALL.contains(&app));
            assert_eq!(
                serde_json::to_value(app).unwrap(),
                serde_json::Value::String(c.as_str().into())
            );
        }
    }
}
