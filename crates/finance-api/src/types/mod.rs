//! Types that cross IPC, one module per area, each with its explicit
//! conversions to and from the core's domain types beside it.
//!
//! Invariants: amounts are exact decimal strings in the user's currency; dates
//! are `YYYY-MM-DD`; instants RFC 3339; counts `u32` (saturating, [`count32`]).
//! Enums convert to and from the core's enums directly, never through strings.
//! Their TypeScript twins in `ui/src/ipc-types.ts` are generated from the
//! command list in the app's `contract` module (src-tauri); a test fails when that file is stale.

pub mod accounts;
pub mod backup;
pub mod budgets;
pub mod bulk;
pub mod categories;
pub mod csv;
pub mod csv_settings;
pub mod members;
pub mod register;
pub mod reports;
pub mod rules;
pub mod schedules;
pub mod session;
pub mod transactions;
pub mod transfers;

pub use accounts::*;
pub use backup::*;
pub use budgets::*;
pub use bulk::*;
pub use categories::*;
pub use csv::*;
pub use csv_settings::*;
pub use members::*;
pub use register::*;
pub use reports::*;
pub use rules::*;
pub use schedules::*;
pub use session::*;
pub use transactions::*;
pub use transfers::*;

use finance_core::Id;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{ApiError, ErrorCode};

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct IdInput {
    pub id: String,
}

impl TryFrom<&IdInput> for Id {
    type Error = finance_core::Error;
    fn try_from(i: &IdInput) -> Result<Id, Self::Error> {
        Id::parse("id", &i.id)
    }
}

/// A count for IPC (`u32`, saturating).
pub fn count32(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// An error used when a command runs before the store is ready.
pub fn not_ready() -> ApiError {
    ApiError::new(
        ErrorCode::Unavailable,
        "the app is still starting; try again in a moment",
    )
}

/// The optional idempotency key of a write (`Validation { field: "idempotencyKey" }` when malformed).
pub fn idempotency_key(
    raw: Option<&str>,
) -> Result<Option<finance_core::domain::IdempotencyKey>, finance_core::Error> {
    raw.map(|k| {
        finance_core::domain::IdempotencyKey::parse(finance_core::domain::IDEMPOTENCY_FIELD, k)
    })
    .transpose()
}
