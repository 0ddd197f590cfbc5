//! Scenarios shared by both backends. Each takes a fresh [`Harness`](crate::support::Harness).

pub mod accounts;
pub mod budgets;
pub mod categories;
pub mod csv;
pub mod idempotency;
pub mod isolation;
pub mod reports;
pub mod transactions;
