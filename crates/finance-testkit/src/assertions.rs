//! Assertions on `finance_core::Result`s that name what was expected and show
//! what came instead.
//!
//! Invariant: each checks the error's kind (and field) only, never its
//! wording, so a reworded message does not break a contract test.

use finance_core::{Error, Result};

/// Assert that `result` is `NotFound` (as any missing or foreign id must be).
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(result: Result<T>) {
    match result {
        Err(Error::NotFound { .. }) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Assert that `result` is an error with the stable `code` (e.g. `"conflict"`)
/// naming `field` (`None`: an error about no one field).
#[track_caller]
pub fn assert_err<T: std::fmt::Debug>(result: Result<T>, code: &str, field: Option<&str>) {
    match result {
        Err(e) => {
            assert_eq!(e.code().as_str(), code, "unexpected error {e:?}");
            assert_eq!(e.field(), field, "unexpected field in {e:?}");
        }
        Ok(v) => panic!("expected a {code} error, got Ok({v:?})"),
    }
}
