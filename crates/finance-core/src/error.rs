//! The one error type of the core.
//!
//! Expected errors (bad input, missing rows, conflicts, refused credentials,
//! throttling, an unreachable server) carry a message a person can act on.
//! Unexpected ones collapse into [`Error::Internal`]: the detail goes to
//! `tracing` where the error is created, never to the caller, so nothing
//! secret can travel outwards through an error message.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure the core reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Input failed validation. `field` names the offending input field.
    #[error("{message}")]
    Validation { field: String, message: String },
    /// The thing does not exist, or belongs to another user (indistinguishable on purpose).
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// A uniqueness rule or a dependency prevents the write.
    #[error("{message}")]
    Conflict { field: String, message: String },
    /// Credentials or token refused.
    #[error("{message}")]
    Unauthorized { message: String },
    /// Signed in and a member of the ledger, but the role does not allow
    /// the operation (`message` says which permission is missing).
    #[error("{message}")]
    Forbidden { message: String },
    /// Too many failed log-ins; try again after `retry_after_secs` seconds.
    #[error("too many failed attempts; try again in {}", human_duration(*retry_after_secs))]
    RateLimited { retry_after_secs: u64 },
    /// The database could not be reached in time.
    #[error("the database is unavailable: {message}")]
    Unavailable { message: String },
    /// Something unexpected; details were logged.
    #[error("an internal error occurred; see the log for details")]
    Internal,
}

/// Stable machine-readable error codes (for IPC and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    Unauthorized,
    Forbidden,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorCode {
    /// The code as a snake-case string.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// A validation error for `field`.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A conflict on `field`.
    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same refusal for every credential or token problem.
    pub fn unauthorized() -> Self {
        Error::Unauthorized {
            message: "you are not signed in, or your session has ended; please sign in".into(),
        }
    }

    /// A refusal of the role (see `domain::membership`).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::Forbidden {
            message: message.into(),
        }
    }

    /// Wrong username or password (deliberately does not say which).
    pub fn bad_credentials() -> Self {
        Error::Unauthorized {
            message: "wrong username or password".into(),
        }
    }

    /// Log an unexpected failure (without secrets: callers pass redacted detail) and return `Internal`.
    pub fn internal(context: &str, detail: impl fmt::Display) -> Self {
        tracing::error!(context, %detail, "internal error");
        Error::Internal
    }

    /// The machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation { .. } => ErrorCode::Validation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::Unauthorized { .. } => ErrorCode::Unauthorized,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::Unavailable { .. } => ErrorCode::Unavailable,
            Error::Internal => ErrorCode::Internal,
        }
    }

    /// The input field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } | Error::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }
}

fn human_duration(secs: u64) -> String {
    match secs {
        0..=1 => "1 second".to_string(),
        2..=59 => format!("{secs} seconds"),
        60..=119 => "1 minute".to_string(),
        120..=3599 => format!("{} minutes", secs.div_ceil(60)),
        _ => format!("{} hours", secs.div_ceil(3600)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limited_message_says_when_to_retry() {
        let e = Error::RateLimited {
            retry_after_secs: 90,
        };
        assert_eq!(
            e.to_string(),
            "too many failed attempts; try again in 1 minute"
        );
        let e = Error::RateLimited {
            retry_after_secs: 600,
        };
        assert!(e.to_string().ends_with("10 minutes"), "{e}");
    }

    #[test]
    fn codes_and_fields() {
        let e = Error::validation("amount", "must be positive");
        assert_eq!(e.code().as_str(), "validation");
        assert_eq!(e.field(), Some("amount"));
        assert_eq!(
            Error::NotFound {
                what: "transaction"
            }
            .field(),
            None
        );
        assert_eq!(
            Error::NotFound {
                what: "transaction"
            }
            .to_string(),
            "transaction not found"
        );
    }
}
