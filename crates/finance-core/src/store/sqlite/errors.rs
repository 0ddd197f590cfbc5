//! SQLite failures as the contract's [`Error`]s.
//!
//! * `?` on a [`rusqlite::Error`] converts through `From`: constraint, disk,
//!   permission, lock and corruption failures become `Conflict` / `Unavailable`
//!   with a message a person can act on; anything else is logged and becomes
//!   `Internal` (the detail never reaches the caller).
//! * A unique-constraint failure names the field it is about. Most constraints
//!   name it themselves (`users.username`, `categories.name_key`, …); a
//!   statement that knows its one obvious field says so explicitly with
//!   `.map_err(|e| sql_error(e, "name"))`.

use rusqlite::ErrorCode as SqliteCode;

use crate::error::Error;

impl From<rusqlite::Error> for Error {
    /// The plain conversion: a unique-constraint failure the constraint's
    /// columns do not name is `Conflict { field: "id" }`.
    fn from(e: rusqlite::Error) -> Error {
        sql_error(e, "")
    }
}

/// Map a SQLite failure to the contract's errors. `unique_field` names the field for uniqueness errors
/// when the statement has one obvious field; otherwise the constraint's columns decide.
pub(super) fn sql_error(e: rusqlite::Error, unique_field: &str) -> Error {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let msg = msg.as_deref().unwrap_or("");
        match f.code {
            SqliteCode::ConstraintViolation if msg.starts_with("UNIQUE") => {
                return unique_conflict(msg, unique_field);
            }
            SqliteCode::ReadOnly => {
                tracing::error!(error = %e, "sqlite read-only");
                return Error::Unavailable {
                    message: "the data file is read-only; check the permissions of the data folder"
                        .into(),
                };
            }
            SqliteCode::DiskFull => {
                tracing::error!(error = %e, "sqlite disk full");
                return Error::Unavailable {
                    message: "the disk is full; free some space and try again".into(),
                };
            }
            SqliteCode::CannotOpen | SqliteCode::PermissionDenied => {
                tracing::error!(error = %e, "sqlite cannot open");
                return Error::Unavailable {
                    message: "the data file cannot be opened; check the data folder".into(),
                };
            }
            SqliteCode::DatabaseBusy | SqliteCode::DatabaseLocked => {
                tracing::warn!(error = %e, "sqlite busy");
                return Error::Unavailable {
                    message: "the data file is busy; try again".into(),
                };
            }
            SqliteCode::NotADatabase | SqliteCode::DatabaseCorrupt => {
                tracing::error!(error = %e, "sqlite corrupt");
                return Error::Unavailable {
                    message: "the data file is damaged or not a database".into(),
                };
            }
            _ => {}
        }
    }
    Error::internal("sqlite", e)
}

fn unique_conflict(msg: &str, unique_field: &str) -> Error {
    if msg.contains("users.username") {
        Error::conflict("username", "that username is taken")
    } else if msg.contains("users.email") {
        Error::conflict("email", "that email is already registered")
    } else if msg.contains("categories.name_key") {
        Error::conflict("name", "a category with that name already exists")
    } else if msg.contains("idempotency_keys.") {
        Error::conflict(
            crate::domain::IDEMPOTENCY_FIELD,
            "this request key was already used",
        )
    } else if msg.contains("transactions.bank_id") {
        Error::conflict(
            crate::store::BANK_ID_FIELD,
            "that bank entry is already in this account",
        )
    } else if msg.contains("memberships.") {
        Error::conflict(
            "username",
            "that person is already a member of this ledger, or invited to it",
        )
    } else if msg.contains("budgets.period") {
        Error::conflict(
            "period",
            "this category already has a budget for that period",
        )
    } else {
        Error::conflict(
            if unique_field.is_empty() {
                "id"
            } else {
                unique_field
            },
            "that already exists",
        )
    }
}
