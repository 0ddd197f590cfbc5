//! The operation bodies, one module per area: each turns an input from
//! [`crate::types`] into core calls and the answer into a view. The desktop's
//! Tauri commands and the server's routes both call these and do nothing else
//! but find the caller ([`Cx`]) and carry the answer over their wire.
//!
//! Invariants: every body has the shape
//! `async fn name(cx: &Cx, input: Input) -> ApiResult<Output>` (no input:
//! `()`), so one list can generate every edge; bodies never read the clock
//! (`cx.now` and `cx.today` are the edge's readings), never know Tauri or HTTP, and scope every
//! call by `cx.user`.

pub mod accounts;
pub mod budgets;
pub mod bulk;
pub mod categories;
pub mod register;
pub mod reports;
pub mod rules;
pub mod schedules;
pub mod transactions;
pub mod transfers;

use chrono::{DateTime, NaiveDate, Utc};
use finance_core::{AuthUser, Finance};

/// Who is calling, on what, and when: what an edge hands to an operation body
/// after it authenticated the caller.
#[derive(Clone)]
pub struct Cx {
    /// The operations, over the store this edge serves.
    pub finance: Finance,
    /// The authenticated caller.
    pub user: AuthUser,
    /// The edge's reading of the clock for this call.
    pub now: DateTime<Utc>,
    /// The caller's calendar date (budgets' current periods, the dashboard's
    /// month): the desktop's local date; the server's, for a server call.
    pub today: NaiveDate,
}
