//! Types that cross IPC, one module per area, each with its explicit
//! conversions to and from the core's domain types beside it.
//!
//! Invariants: amounts are exact decimal strings in the user's currency; dates
//! are `YYYY-MM-DD`; instants RFC 3339; counts `u32` (saturating, [`count32`]).
//! Enums convert to and from the core's enums directly, never through strings.
//! Their TypeScript twins in `ui/src/ipc-types.ts` are generated (see
//! [`typescript`]); a test fails when that file is stale.

pub mod budgets;
pub mod categories;
pub mod csv;
pub mod csv_settings;
pub mod reports;
pub mod session;
pub mod transactions;

pub use budgets::*;
pub use categories::*;
pub use csv::*;
pub use csv_settings::*;
pub use reports::*;
pub use session::*;
pub use transactions::*;

use finance_core::Id;
use serde::Deserialize;
use ts_rs::TS;

use crate::error::{ErrorCode, IpcError};

#[derive(Debug, Clone, Deserialize, TS)]
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

/// The name of the event [`ImportProgress`] is sent as.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";

/// The generated TypeScript module: every IPC type, in a stable order.
pub fn typescript() -> String {
    let cfg = ts_rs::Config::default();
    let decls = [
        ErrorCode::decl(&cfg),
        IpcError::decl(&cfg),
        Profile::decl(&cfg),
        StoreInfo::decl(&cfg),
        StartupState::decl(&cfg),
        RegisterInput::decl(&cfg),
        LoginInput::decl(&cfg),
        ChangePasswordInput::decl(&cfg),
        CategoryKindView::decl(&cfg),
        CategoryView::decl(&cfg),
        CategoryInput::decl(&cfg),
        RenameCategoryInput::decl(&cfg),
        DeleteCategoryInput::decl(&cfg),
        CategoryUsageView::decl(&cfg),
        PeriodView::decl(&cfg),
        BudgetStateView::decl(&cfg),
        BudgetInput::decl(&cfg),
        UpdateBudgetInput::decl(&cfg),
        BudgetView::decl(&cfg),
        TransactionFields::decl(&cfg),
        TransactionInput::decl(&cfg),
        UpdateTransactionInput::decl(&cfg),
        TransactionSortView::decl(&cfg),
        TransactionListInput::decl(&cfg),
        TransactionView::decl(&cfg),
        TransactionPage::decl(&cfg),
        IdInput::decl(&cfg),
        SummaryInput::decl(&cfg),
        SummaryView::decl(&cfg),
        Dashboard::decl(&cfg),
        MongoUriInput::decl(&cfg),
        ReportInput::decl(&cfg),
        CategorySpendingView::decl(&cfg),
        MonthTotalsView::decl(&cfg),
        BudgetActualView::decl(&cfg),
        DescriptionFrequencyView::decl(&cfg),
        ReportView::decl(&cfg),
        ExportCsvInput::decl(&cfg),
        ExportCsvResult::decl(&cfg),
        AmountColumnsView::decl(&cfg),
        DateFormatView::decl(&cfg),
        DecimalSeparatorView::decl(&cfg),
        ImportSettingsView::decl(&cfg),
        ImportFileView::decl(&cfg),
        ImportOpenPathInput::decl(&cfg),
        MappingTargetView::decl(&cfg),
        CategoryMappingView::decl(&cfg),
        ImportPreviewInput::decl(&cfg),
        LineErrorView::decl(&cfg),
        UnknownCategoryView::decl(&cfg),
        PlannedRowView::decl(&cfg),
        ImportPreviewView::decl(&cfg),
        ImportCommitInput::decl(&cfg),
        ImportSummaryView::decl(&cfg),
        ImportProgress::decl(&cfg),
        FileIdInput::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from src-tauri/src/ipc/ and error.rs by `./dev bindings`. Do not edit.\n\
         // A test (`bindings_are_fresh`) fails when this file is stale.\n",
    );
    for d in decls {
        out.push_str("\nexport ");
        out.push_str(d.trim());
        out.push('\n');
    }
    out
}

/// An error used when a command runs before the store is ready.
pub fn not_ready() -> IpcError {
    IpcError::new(
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
