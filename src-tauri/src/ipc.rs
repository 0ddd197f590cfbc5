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
    /// Made once per form submission (a UUID) and sent again on a retry: the
    /// add then happens at most once. 16–64 of `A–Z a–z 0–9 - _`.
    #[serde(default)]
    pub idempotency_key: Option<String>,
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

// ---------------------------------------------------------------- reports

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportInput {
    pub from: String,
    pub to: String,
}

/// One expense category's share of the period's spending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategorySpendingView {
    pub category_id: String,
    pub name: String,
    pub amount: String,
    pub count: u32,
    /// Share of the period's total expense in basis points (1/100 of a percent);
    /// the shares of one report add up to exactly 10000 (largest remainder).
    pub basis_points: u32,
}

/// Income and expense of one calendar month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthTotalsView {
    /// `YYYY-MM`.
    pub month: String,
    pub income: String,
    pub expense: String,
    pub net: String,
}

/// A budget against its category's spending over the report's range; the limit is
/// the budget's limit times the number of its periods the range touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BudgetActualView {
    pub budget_id: String,
    pub category_id: String,
    pub category_name: String,
    pub period: PeriodView,
    pub limit: String,
    pub spent: String,
    pub state: BudgetStateView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DescriptionFrequencyView {
    pub description: String,
    pub count: u32,
    pub total: String,
}

/// Everything the Reports screen shows for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportView {
    pub from: String,
    pub to: String,
    pub total_income: String,
    pub total_expense: String,
    pub by_category: Vec<CategorySpendingView>,
    /// The 12 months ending with `to`'s month, oldest first.
    pub monthly: Vec<MonthTotalsView>,
    pub budgets: Vec<BudgetActualView>,
    pub largest: Vec<TransactionView>,
    pub frequent: Vec<DescriptionFrequencyView>,
}

/// Shares in basis points of `amounts` in `total`, rounded so they add up to
/// exactly 10000 when `total` is their positive sum (largest remainder method).
pub fn basis_points(amounts: &[i64], total: i64) -> Vec<u32> {
    if total <= 0 {
        return vec![0; amounts.len()];
    }
    let total = i128::from(total);
    let mut floors: Vec<(usize, i128, i128)> = amounts
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let scaled = i128::from(a.max(0)) * 10_000;
            (i, scaled / total, scaled % total)
        })
        .collect();
    let assigned: i128 = floors.iter().map(|f| f.1).sum();
    let sum: i128 = amounts.iter().map(|&a| i128::from(a.max(0))).sum();
    let mut out: Vec<u32> = floors
        .iter()
        .map(|f| u32::try_from(f.1).unwrap_or(u32::MAX))
        .collect();
    if sum == total {
        let mut left = 10_000 - assigned;
        // Biggest remainders first; ties by position, so the result is stable.
        floors.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        for (i, _, rem) in floors {
            if left <= 0 {
                break;
            }
            if rem > 0 {
                out[i] += 1;
                left -= 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------- CSV export

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportCsvInput {
    /// The Transactions screen's filter (sort, limit and cursor are ignored); null = everything.
    pub filter: Option<TransactionListInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportCsvResult {
    /// Where the file was written; null when the person cancelled the save dialog.
    pub path: Option<String>,
    pub rows: u32,
}

// ---------------------------------------------------------------- CSV import

/// Which column(s) hold the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "AmountColumns")]
pub enum AmountColumnsView {
    /// One signed column: negative = expense, positive = income.
    Single { column: u32 },
    /// Separate debit (expense) and credit (income) columns.
    DebitCredit { debit: u32, credit: u32 },
}

/// Date formats the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "DateFormat")]
pub enum DateFormatView {
    #[serde(rename = "YYYY-MM-DD")]
    YmdDash,
    #[serde(rename = "YYYY/MM/DD")]
    YmdSlash,
    #[serde(rename = "DD/MM/YYYY")]
    DmySlash,
    #[serde(rename = "MM/DD/YYYY")]
    MdySlash,
    #[serde(rename = "DD.MM.YYYY")]
    DmyDot,
    #[serde(rename = "DD-MM-YYYY")]
    DmyDash,
}

impl DateFormatView {
    /// Every format, in the order the UI offers them.
    pub const ALL: [DateFormatView; 6] = [
        DateFormatView::YmdDash,
        DateFormatView::YmdSlash,
        DateFormatView::DmySlash,
        DateFormatView::MdySlash,
        DateFormatView::DmyDot,
        DateFormatView::DmyDash,
    ];

    /// The pattern text (the core's `DateFormat::as_str`).
    pub fn as_str(self) -> &'static str {
        match self {
            DateFormatView::YmdDash => "YYYY-MM-DD",
            DateFormatView::YmdSlash => "YYYY/MM/DD",
            DateFormatView::DmySlash => "DD/MM/YYYY",
            DateFormatView::MdySlash => "MM/DD/YYYY",
            DateFormatView::DmyDot => "DD.MM.YYYY",
            DateFormatView::DmyDash => "DD-MM-YYYY",
        }
    }

    /// The format with this pattern text.
    pub fn from_str_opt(s: &str) -> Option<DateFormatView> {
        DateFormatView::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// `"dot"` (1234.56) or `"comma"` (1234,56).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DecimalSeparator")]
pub enum DecimalSeparatorView {
    Dot,
    Comma,
}

/// How to read a CSV file: columns are 0-based indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ImportSettings")]
pub struct ImportSettingsView {
    /// One character: `,`, `;`, a tab, `|`.
    pub delimiter: String,
    pub has_header: bool,
    pub date: u32,
    pub amount: AmountColumnsView,
    pub description: u32,
    pub category: Option<u32>,
    pub note: Option<u32>,
    /// A type column (`income`/`expense`, `credit`/`debit`), as in this app's
    /// export; with a single amount column it gives each row's kind.
    #[serde(rename = "type")]
    pub kind: Option<u32>,
    pub date_format: DateFormatView,
    pub decimal: DecimalSeparatorView,
}

/// A file chosen for import, kept in the app (the webview never reads files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportFileView {
    pub file_id: String,
    pub file_name: String,
    pub size_bytes: u32,
    pub delimiter: String,
    pub header: Option<Vec<String>>,
    /// The first rows after the header, as read with the guessed delimiter.
    pub preview: Vec<Vec<String>>,
    pub guess: ImportSettingsView,
}

/// End-to-end builds only: open a file by path instead of through the OS dialog.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOpenPathInput {
    pub path: String,
}

/// Where the rows of one CSV category name go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(rename = "MappingTarget")]
pub enum MappingTargetView {
    /// An existing category (its id).
    Existing { id: String },
    /// A new category of the mapping's type.
    Create { name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "CategoryMapping")]
pub struct CategoryMappingView {
    /// The category name as written in the file.
    pub csv_name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
    pub target: MappingTargetView,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewInput {
    pub file_id: String,
    pub settings: ImportSettingsView,
    #[serde(default)]
    pub mappings: Vec<CategoryMappingView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LineErrorView {
    /// 1-based line in the file.
    pub line: u32,
    pub field: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnknownCategoryView {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRowView {
    pub line: u32,
    pub date: String,
    pub description: String,
    pub category: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
    pub amount: String,
    pub duplicate: bool,
}

/// What an import would do; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreviewView {
    /// Data rows in the file (header excluded).
    pub total: u32,
    /// Rows that would be imported (duplicates included).
    pub ready: u32,
    /// Of `ready`, rows that look like transactions already stored.
    pub duplicates: u32,
    pub error_count: u32,
    /// The first 200 errors.
    pub errors: Vec<LineErrorView>,
    pub unknown_categories: Vec<UnknownCategoryView>,
    /// The first 20 rows that would be imported.
    pub sample: Vec<PlannedRowView>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportCommitInput {
    pub file_id: String,
    pub settings: ImportSettingsView,
    #[serde(default)]
    pub mappings: Vec<CategoryMappingView>,
    pub skip_duplicates: bool,
    /// Made once per import commit (a UUID) and sent again on a retry: the
    /// import then happens at most once.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummaryView {
    pub imported: u32,
    pub skipped_duplicates: u32,
    pub created_categories: u32,
}

/// Payload of the `import-progress` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// The name of the event [`ImportProgress`] is sent as.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileIdInput {
    pub file_id: String,
}

/// A count for IPC (`u32`, saturating).
pub fn count32(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basis_points_add_up_to_ten_thousand() {
        assert_eq!(basis_points(&[1, 1, 1], 3), [3334, 3333, 3333]);
        assert_eq!(basis_points(&[2, 1], 3), [6667, 3333]);
        assert_eq!(basis_points(&[5, 5], 10), [5000, 5000]);
        assert_eq!(basis_points(&[7], 7), [10_000]);
        assert_eq!(basis_points(&[], 0), Vec::<u32>::new());
        assert_eq!(basis_points(&[3, 4], 0), [0, 0]);
        // Not the whole total (e.g. a partial list): plain floors, no top-up.
        assert_eq!(basis_points(&[1], 3), [3333]);
        let big = [i64::MAX / 4, i64::MAX / 4];
        assert_eq!(basis_points(&big, i64::MAX / 4 * 2), [5000, 5000]);
    }

    #[test]
    fn date_formats_round_trip() {
        for f in DateFormatView::ALL {
            assert_eq!(DateFormatView::from_str_opt(f.as_str()), Some(f));
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                serde_json::Value::String(f.as_str().into())
            );
        }
    }
}
