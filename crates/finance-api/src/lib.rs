//! The operations' contract, shared by the desktop app (over Tauri IPC) and
//! the server (over HTTP): [`types`], the inputs and views that cross either
//! edge (ts-rs declarations for the UI), [`error`], the one error shape, and
//! [`fingerprint`], how a certificate is named for people to compare.
//!
//! Invariants: nothing here knows Tauri, the keyring or HTTP; a type's
//! conversion to and from the core's domain types lives beside it.

pub mod error;
pub mod fingerprint;
pub mod ops;
pub mod types;

pub use error::{ApiError, ApiResult, ErrorCode};
pub use fingerprint::Fingerprint;
