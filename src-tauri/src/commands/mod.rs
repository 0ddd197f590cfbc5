//! IPC commands, one module per area. Most only authenticate the caller and
//! run the operation body in [`finance_api::ops`] (through
//! [`AppState::cx`](crate::state::AppState::cx)); the rest
//! also need the desktop (keyring, dialogs, files held between calls, undo)
//! and parse their input DTO (the conversions live beside the DTOs in
//! [`finance_api::types`]), call the core, and map the result to its view.
//!
//! Invariants: commands are the only code that reads the clock (`Utc::now()`
//! for instants, [`today`] for the local date) and pass it in; commands that
//! act for a user authenticate the keyring-held token first
//! ([`AppState::session`](crate::state::AppState::session)); none returns a token.

pub mod accounts;
pub mod backup;
pub mod budgets;
pub mod bulk;
pub mod categories;
pub mod csv;
pub mod members;
pub mod register;
pub mod reports;
pub mod rules;
pub mod schedules;
pub mod session;
pub mod transactions;
pub mod transfers;

use chrono::{Local, NaiveDate};

/// The local calendar date (budgets' current periods, the dashboard's month).
pub(crate) fn today() -> NaiveDate {
    Local::now().date_naive()
}
