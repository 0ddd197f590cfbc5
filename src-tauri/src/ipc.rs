//! Types that cross IPC, and their explicit conversions from the core's domain types.
//!
//! Amounts are exact decimal strings in the user's currency; dates are
//! `YYYY-MM-DD`; instants RFC 3339. Their TypeScript twins in
//! `ui/src/ipc-types.ts` are generated from these definitions (see [`typescript`]);
//! a test fails when that file is stale.

use chrono::{DateTime, SecondsFormat, Utc};
use finance_core::domain::{
    BudgetState, BudgetStatus, Category, CategoryKind, Period, Summary, Transaction,
    TransactionSort, User,
};
use finance_core::money::format_minor;
use finance_core::{Currency, Id};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{ErrorCode, IpcError};

/// The signed-in user's profile (never a token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub id: String,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub currency: String,
    pub currency_digits: u32,
}

impl From<&User> for Profile {
    fn from(u: &User) -> Profile {
        Profile {
            id: u.id.to_hex(),
            username: u.username.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
            currency: u.currency.code().to_string(),
            currency_digits: u32::from(u.currency.minor_digits()),
        }
    }
}

/// Which store is in use and where (no credentials).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StoreInfo {
    #[ts(type = "\"sqlite\" | \"mongodb\"")]
    pub kind: String,
    pub location: String,
    /// True when MongoDB is configured but the local store was chosen for now.
    pub fallback: bool,
    /// Where the installed app reads its `.env`.
    pub config_dir: String,
}

/// What the UI needs to draw its first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupState {
    pub version: String,
    pub store: Option<StoreInfo>,
    pub user: Option<Profile>,
    pub mongo_error: Option<String>,
    pub keyring_error: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RegisterInput {
    pub username: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

/// `"income"` or `"expense"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "CategoryKind")]
pub enum CategoryKindView {
    Income,
    Expense,
}

impl From<CategoryKind> for CategoryKindView {
    fn from(k: CategoryKind) -> Self {
        match k {
            CategoryKind::Income => CategoryKindView::Income,
            CategoryKind::Expense => CategoryKindView::Expense,
        }
    }
}

impl From<CategoryKindView> for CategoryKind {
    fn from(k: CategoryKindView) -> Self {
        match k {
            CategoryKindView::Income => CategoryKind::Income,
            CategoryKindView::Expense => CategoryKind::Expense,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
}

impl From<&Category> for CategoryView {
    fn from(c: &Category) -> Self {
        CategoryView {
            id: c.id.to_hex(),
            name: c.name.clone(),
            kind: c.kind.into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryInput {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenameCategoryInput {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeleteCategoryInput {
    pub id: String,
    pub move_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryUsageView {
    pub transactions: u32,
    pub budgets: u32,
}

/// `"weekly"`, `"monthly"` or `"yearly"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "Period")]
pub enum PeriodView {
    Weekly,
    Monthly,
    Yearly,
}

impl From<Period> for PeriodView {
    fn from(p: Period) -> Self {
        match p {
            Period::Weekly => PeriodView::Weekly,
            Period::Monthly => PeriodView::Monthly,
            Period::Yearly => PeriodView::Yearly,
        }
    }
}

impl PeriodView {
    /// The stored form, for the core's draft validation.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodView::Weekly => "weekly",
            PeriodView::Monthly => "monthly",
            PeriodView::Yearly => "yearly",
        }
    }
}

/// `"ok"`, `"warning"` or `"over"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BudgetState")]
pub enum BudgetStateView {
    Ok,
    Warning,
    Over,
}

impl From<BudgetState> for BudgetStateView {
    fn from(s: BudgetState) -> Self {
        match s {
            BudgetState::Ok => BudgetStateView::Ok,
            BudgetState::Warning => BudgetStateView::Warning,
            BudgetState::Over => BudgetStateView::Over,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BudgetInput {
    pub category_id: String,
    pub limit: String,
    pub period: PeriodView,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateBudgetInput {
    pub id: String,
    pub category_id: String,
    pub limit: String,
    pub period: PeriodView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BudgetView {
    pub id: String,
    pub category_id: String,
    pub category_name: String,
    pub limit: String,
    pub period: PeriodView,
    pub period_start: String,
    pub period_end: String,
    pub spent: String,
    pub remaining: String,
    pub percent: u32,
    pub state: BudgetStateView,
}

impl BudgetView {
    /// A status as shown, with its category's name.
    pub fn new(s: &BudgetStatus, category_name: &str, currency: Currency) -> BudgetView {
        BudgetView {
            id: s.budget.id.to_hex(),
            category_id: s.budget.category_id.to_hex(),
            category_name: category_name.to_string(),
            limit: s.budget.limit.format(currency),
            period: s.budget.period.into(),
            period_start: s.period.from().to_string(),
            period_end: s.period.to().to_string(),
            spent: format_minor(s.spent, currency),
            remaining: format_minor(s.remaining, currency),
            percent: u32::try_from(s.percent).unwrap_or(u32::MAX),
            state: s.state.into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionInput {
    pub category_id: String,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTransactionInput {
    pub id: String,
    pub category_id: String,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
}

/// List order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "TransactionSort")]
pub enum TransactionSortView {
    DateDesc,
    DateAsc,
    AmountDesc,
    AmountAsc,
}

impl From<TransactionSortView> for TransactionSort {
    fn from(s: TransactionSortView) -> Self {
        match s {
            TransactionSortView::DateDesc => TransactionSort::DateDesc,
            TransactionSortView::DateAsc => TransactionSort::DateAsc,
            TransactionSortView::AmountDesc => TransactionSort::AmountDesc,
            TransactionSortView::AmountAsc => TransactionSort::AmountAsc,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionListInput {
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(default)]
    pub category_ids: Vec<String>,
    #[serde(rename = "type")]
    pub kind: Option<CategoryKindView>,
    pub text: Option<String>,
    pub min_amount: Option<String>,
    pub max_amount: Option<String>,
    pub sort: Option<TransactionSortView>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionView {
    pub id: String,
    pub category_id: String,
    pub category_name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl TransactionView {
    /// A transaction as shown, with its category's name.
    pub fn new(t: &Transaction, category_name: &str, currency: Currency) -> TransactionView {
        TransactionView {
            id: t.id.to_hex(),
            category_id: t.category_id.to_hex(),
            category_name: category_name.to_string(),
            kind: t.kind.into(),
            amount: t.amount.format(currency),
            date: t.date.to_string(),
            description: t.description.clone(),
            note: t.note.clone(),
            created_at: rfc3339(t.created_at),
            updated_at: rfc3339(t.updated_at),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransactionPage {
    pub items: Vec<TransactionView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IdInput {
    pub id: String,
}

impl IdInput {
    /// The id, validated.
    pub fn parse(&self) -> Result<Id, IpcError> {
        Id::parse("id", &self.id).map_err(IpcError::from)
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SummaryInput {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SummaryView {
    pub from: String,
    pub to: String,
    pub income: String,
    pub expense: String,
    pub net: String,
    pub count: u32,
}

impl SummaryView {
    /// Totals as shown.
    pub fn new(
        range: finance_core::domain::DateRange,
        s: &Summary,
        currency: Currency,
    ) -> SummaryView {
        SummaryView {
            from: range.from().to_string(),
            to: range.to().to_string(),
            income: format_minor(s.income, currency),
            expense: format_minor(s.expense, currency),
            net: format_minor(s.net(), currency),
            count: u32::try_from(s.count).unwrap_or(u32::MAX),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub month: SummaryView,
    pub budgets: Vec<BudgetView>,
    pub latest: Vec<TransactionView>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MongoUriInput {
    pub uri: String,
}

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
    ];
    let mut out = String::from(
        "// Generated from src-tauri/src/ipc.rs and error.rs by `./dev bindings`. Do not edit.\n\
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
