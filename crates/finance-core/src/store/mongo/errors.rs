//! Store failures and their mapping to the crate's [`Error`].
//!
//! Invariants:
//! * a driver error never reaches the caller verbatim (its text may quote
//!   data or a URI): an unreachable server, a lost connection or a server
//!   stepping down is `Unavailable`; refused credentials and a deployment
//!   without transactions are `Unavailable` with a message saying so; a
//!   transaction that still conflicted with a concurrent one when its
//!   retries ran out (`TransientTransactionError`, `WriteConflict`) is
//!   `Unavailable` saying to try again (it applied nothing); the rest is
//!   `Internal`, with only the kind, code, code name and labels logged;
//! * a duplicate key (code 11000) is `Conflict { field }`, the field named
//!   by the unique index (see `indexes`); a duplicate on another index
//!   (`_id_`) is not a conflict the caller can act on and stays `Internal`.

use mongodb::error::{ErrorKind, RETRYABLE_WRITE_ERROR, TRANSIENT_TRANSACTION_ERROR, WriteFailure};

use super::indexes::{
    ACCOUNT_NAME_INDEX, BANK_ID_INDEX, BUDGET_PERIOD_INDEX, CATEGORY_NAME_INDEX, EMAIL_INDEX,
    IDEMPOTENCY_INDEX, MEMBERSHIP_INDEX, USERNAME_INDEX,
};
use crate::error::Error;

const UNREACHABLE: &str = "cannot reach MongoDB; check your connection and try again";
const BUSY: &str =
    "another change to the same data was being saved at the same moment; please try again";

pub(super) const NOT_FOUND_USER: Error = Error::NotFound { what: "user" };
pub(super) const NOT_FOUND_BUDGET: Error = Error::NotFound { what: "budget" };
pub(super) const NOT_FOUND_CATEGORY: Error = Error::NotFound { what: "category" };
pub(super) const NOT_FOUND_ACCOUNT: Error = Error::NotFound { what: "account" };
pub(super) const NOT_FOUND_TRANSACTION: Error = Error::NotFound {
    what: "transaction",
};

/// A failure inside the store: a driver error (kept whole so transaction
/// labels and duplicate keys can be inspected) or a finished domain error.
#[derive(Debug)]
pub(super) enum Fail {
    Db(mongodb::error::Error),
    App(Error),
}

impl From<mongodb::error::Error> for Fail {
    fn from(e: mongodb::error::Error) -> Self {
        Fail::Db(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::App(e)
    }
}

impl From<Fail> for Error {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::App(e) => e,
            Fail::Db(e) => from_driver(&e),
        }
    }
}

pub(super) fn unavailable() -> Error {
    Error::Unavailable {
        message: UNREACHABLE.to_string(),
    }
}

/// Stored data that does not convert to a domain value (logged; `Internal`).
pub(super) fn corrupt(what: &str) -> Error {
    Error::internal("mongo", format!("unexpected stored data: invalid {what}"))
}

/// `WriteConflict`: a concurrent transaction wrote the same document.
pub(super) const WRITE_CONFLICT: i32 = 112;

/// Server error codes that mean the server is unreachable, stepping down or shutting down.
const UNREACHABLE_CODES: [i32; 14] = [
    6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436, 10058,
];

/// Map a driver error. The driver's own text is never passed on (it may quote data);
/// only the kind, code and labels are logged.
fn from_driver(e: &mongodb::error::Error) -> Error {
    if let Some(conflict) = duplicate_key_message(e).and_then(conflict_for) {
        return conflict;
    }
    match e.kind.as_ref() {
        ErrorKind::ServerSelection { .. }
        | ErrorKind::Io(_)
        | ErrorKind::ConnectionPoolCleared { .. }
        | ErrorKind::DnsResolve { .. } => return unavailable(),
        ErrorKind::Authentication { .. } => {
            return Error::Unavailable {
                message: "MongoDB refused the credentials; check the user name and password in MONGODB_URI"
                    .to_string(),
            };
        }
        ErrorKind::SessionsNotSupported => return no_transactions(),
        ErrorKind::Transaction { message, .. } if message.contains("not supported") => {
            return no_transactions();
        }
        _ => {}
    }
    if error_code(e).is_some_and(|c| UNREACHABLE_CODES.contains(&c))
        || e.contains_label(RETRYABLE_WRITE_ERROR)
    {
        return unavailable();
    }
    // A write conflict (or another transient abort) still there when the
    // transaction retries ran out: nothing was applied, and trying again is
    // safe (adds and imports keep their idempotency key).
    if e.contains_label(TRANSIENT_TRANSACTION_ERROR) || error_code(e) == Some(WRITE_CONFLICT) {
        return Error::Unavailable {
            message: BUSY.to_string(),
        };
    }
    Error::internal("mongo", describe(e))
}

fn no_transactions() -> Error {
    Error::Unavailable {
        message: "this MongoDB deployment does not support transactions; use a replica set or MongoDB Atlas"
            .to_string(),
    }
}

/// The message of a duplicate-key (11000) error, wherever the driver put it.
pub(super) fn duplicate_key_message(e: &mongodb::error::Error) -> Option<&str> {
    const DUPLICATE_KEY: i32 = 11000;
    let own = match e.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(w)) if w.code == DUPLICATE_KEY => {
            Some(w.message.as_str())
        }
        ErrorKind::Command(c) if c.code == DUPLICATE_KEY => Some(c.message.as_str()),
        ErrorKind::InsertMany(m) => m
            .write_errors
            .iter()
            .flatten()
            .find(|w| w.code == DUPLICATE_KEY)
            .map(|w| w.message.as_str()),
        ErrorKind::BulkWrite(b) => b
            .write_errors
            .values()
            .find(|w| w.code == DUPLICATE_KEY)
            .map(|w| w.message.as_str()),
        _ => None,
    };
    own.or_else(|| source_of(e).and_then(duplicate_key_message))
}

fn source_of(e: &mongodb::error::Error) -> Option<&mongodb::error::Error> {
    std::error::Error::source(e).and_then(|s| s.downcast_ref::<mongodb::error::Error>())
}

pub(super) fn error_code(e: &mongodb::error::Error) -> Option<i32> {
    let own = match e.kind.as_ref() {
        ErrorKind::Command(c) => Some(c.code),
        ErrorKind::Write(WriteFailure::WriteConcernError(w)) => Some(w.code),
        ErrorKind::Write(WriteFailure::WriteError(w)) => Some(w.code),
        _ => None,
    };
    own.or_else(|| source_of(e).and_then(error_code))
}

/// The conflict a duplicate key on a named index means (`None` for an unexpected index such as `_id_`).
fn conflict_for(message: &str) -> Option<Error> {
    // "E11000 duplicate key error collection: db.users index: email_unique dup key: { … }"
    let named = message
        .split_once("index: ")
        .and_then(|(_, rest)| rest.split_whitespace().next());
    let index = match named {
        Some(name) => name,
        // No "index:" in the message: take the known index name mentioned first.
        None => [
            USERNAME_INDEX,
            EMAIL_INDEX,
            CATEGORY_NAME_INDEX,
            ACCOUNT_NAME_INDEX,
            BUDGET_PERIOD_INDEX,
            IDEMPOTENCY_INDEX,
            BANK_ID_INDEX,
            MEMBERSHIP_INDEX,
        ]
        .into_iter()
        .filter_map(|name| message.find(name).map(|at| (at, name)))
        .min()
        .map(|(_, name)| name)?,
    };
    // Known names first; then the default names of the same keys (`username_1`,
    // `userId_1_type_1_nameKey_1`, …) in case an older index is in use.
    let field = match index {
        USERNAME_INDEX => "username",
        EMAIL_INDEX => "email",
        CATEGORY_NAME_INDEX => "name",
        ACCOUNT_NAME_INDEX => "name",
        BUDGET_PERIOD_INDEX => "period",
        IDEMPOTENCY_INDEX => crate::domain::IDEMPOTENCY_FIELD,
        BANK_ID_INDEX => crate::store::BANK_ID_FIELD,
        MEMBERSHIP_INDEX => {
            return Some(Error::conflict(
                "username",
                "that person is already a member of this ledger, or invited to it",
            ));
        }
        other if other.starts_with("username") => "username",
        other if other.starts_with("email") => "email",
        other if other.contains("nameKey") => "name",
        other if other.contains("period") => "period",
        _ => return None,
    };
    let text = match field {
        "username" => "that username is taken",
        "email" => "that email is already registered",
        "name" => "a category with that name already exists",
        crate::domain::IDEMPOTENCY_FIELD => "this request key was already used",
        crate::store::BANK_ID_FIELD => "that bank entry is already in this account",
        _ => "this category already has a budget for that period",
    };
    Some(Error::conflict(field, text))
}

/// A loggable description of a driver error: kind, code, code name and labels, no messages.
fn describe(e: &mongodb::error::Error) -> String {
    let kind = match e.kind.as_ref() {
        ErrorKind::InvalidArgument { .. } => "InvalidArgument",
        ErrorKind::Authentication { .. } => "Authentication",
        ErrorKind::BsonDeserialization(_) => "BsonDeserialization",
        ErrorKind::BsonSerialization(_) => "BsonSerialization",
        ErrorKind::InsertMany(_) => "InsertMany",
        ErrorKind::BulkWrite(_) => "BulkWrite",
        ErrorKind::Command(_) => "Command",
        ErrorKind::DnsResolve { .. } => "DnsResolve",
        ErrorKind::Internal { .. } => "Internal",
        ErrorKind::Io(_) => "Io",
        ErrorKind::ConnectionPoolCleared { .. } => "ConnectionPoolCleared",
        ErrorKind::InvalidResponse { .. } => "InvalidResponse",
        ErrorKind::ServerSelection { .. } => "ServerSelection",
        ErrorKind::SessionsNotSupported => "SessionsNotSupported",
        ErrorKind::InvalidTlsConfig { .. } => "InvalidTlsConfig",
        ErrorKind::Write(WriteFailure::WriteError(_)) => "WriteError",
        ErrorKind::Write(WriteFailure::WriteConcernError(_)) => "WriteConcernError",
        ErrorKind::Transaction { .. } => "Transaction",
        ErrorKind::IncompatibleServer { .. } => "IncompatibleServer",
        ErrorKind::Shutdown => "Shutdown",
        _ => "Other",
    };
    let code_name = match e.kind.as_ref() {
        ErrorKind::Command(c) => c.code_name.as_str(),
        ErrorKind::Write(WriteFailure::WriteError(w)) => w.code_name.as_deref().unwrap_or(""),
        ErrorKind::Write(WriteFailure::WriteConcernError(w)) => w.code_name.as_str(),
        _ => "",
    };
    let mut labels: Vec<&String> = e.labels().iter().collect();
    labels.sort();
    format!(
        "driver error kind={kind} code={:?} codeName={code_name:?} labels={labels:?}",
        error_code(e)
    )
}

/// A connection-string failure, without repeating the string.
pub(super) fn parse_error(e: mongodb::error::Error) -> Error {
    tracing::warn!(detail = %describe(&e), "cannot use MONGODB_URI");
    match e.kind.as_ref() {
        ErrorKind::InvalidArgument { .. } => Error::Unavailable {
            message: "MONGODB_URI is not a valid MongoDB connection string".to_string(),
        },
        ErrorKind::DnsResolve { .. } | ErrorKind::Io(_) => Error::Unavailable {
            message: "cannot look up the MongoDB host; check your connection and MONGODB_URI"
                .to_string(),
        },
        _ => from_driver(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_map_to_fields_by_index_name() {
        let field = |m: &str| conflict_for(m).and_then(|e| e.field().map(str::to_string));
        let msg = |index: &str, value: &str| {
            format!(
                "E11000 duplicate key error collection: finance.users index: {index} dup key: {{ x: \"{value}\" }}"
            )
        };
        assert_eq!(
            field(&msg(EMAIL_INDEX, "username_unique@x.io")).as_deref(),
            Some("email")
        );
        assert_eq!(
            field(&msg(USERNAME_INDEX, "email_unique")).as_deref(),
            Some("username")
        );
        assert_eq!(
            field(&msg(CATEGORY_NAME_INDEX, "x")).as_deref(),
            Some("name")
        );
        assert_eq!(
            field(&msg(BUDGET_PERIOD_INDEX, "x")).as_deref(),
            Some("period")
        );
        assert_eq!(field(&msg("_id_", "x")), None);
        assert_eq!(
            field(&msg("userId_1_type_1_nameKey_1", "x")).as_deref(),
            Some("name")
        );
        assert_eq!(
            field(&msg("email_1", "username_1")).as_deref(),
            Some("email")
        );
        assert_eq!(
            field("duplicate key on email_unique").as_deref(),
            Some("email")
        );
    }
}
