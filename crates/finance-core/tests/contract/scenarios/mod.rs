//! Scenarios shared by both backends. Each takes a fresh [`Harness`](crate::support::Harness).

pub mod accounts;
pub mod budgets;
pub mod categories;
pub mod isolation;
pub mod transactions;
