//! The desktop's side of errors: the shared shape is `finance_api::error`
//! (re-exported here so commands keep writing `crate::error::…`); what only
//! the desktop can fail at — the OS keyring — is explained here.

pub use finance_api::error::{ApiError, ApiResult, ErrorCode};

/// The OS keyring cannot be used: an error that says what is missing.
pub fn keyring_error(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::KeyringUnavailable, keyring_help(detail))
}

/// A person-readable explanation of a keyring failure.
pub fn keyring_help(detail: &str) -> String {
    let missing = if cfg!(target_os = "linux") {
        "No Secret Service is available (for example gnome-keyring or KWallet, running and unlocked in your desktop session)"
    } else if cfg!(target_os = "macos") {
        "The macOS Keychain could not be used"
    } else {
        "The Windows Credential Manager could not be used"
    };
    format!(
        "{missing}. The app keeps your sign-in there and cannot sign you in without it. ({detail})"
    )
}
