//! IPC types of budgets: the period and state enums, the budget form, and a
//! budget's status as shown.
//!
//! Invariants: periods and states convert to and from the core's enums directly
//! (never through a string); the form's three fields are declared once
//! ([`BudgetInput`], flattened into [`UpdateBudgetInput`]) and validated once
//! ([`BudgetInput::validate`]), in the core's field order.

use finance_core::domain::{BudgetState, BudgetStatus, NewBudget, Period};
use finance_core::money::format_minor;
use finance_core::{Amount, Currency, Id};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::count32;

/// `"weekly"`, `"monthly"` or `"yearly"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

impl From<PeriodView> for Period {
    fn from(p: PeriodView) -> Self {
        match p {
            PeriodView::Weekly => Period::Weekly,
            PeriodView::Monthly => Period::Monthly,
            PeriodView::Yearly => Period::Yearly,
        }
    }
}

/// `"ok"`, `"warning"` or `"over"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// Which periods the budgets are shown for: those containing `date`, today's
/// when absent (‹ previous / next › on Budgets).
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", default)]
pub struct BudgetListInput {
    #[ts(optional)]
    pub date: Option<String>,
}

impl BudgetListInput {
    /// The day asked for (validated), or `today`.
    pub fn day(&self, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, finance_core::Error> {
        self.date.as_deref().map_or(Ok(today), |d| {
            finance_core::domain::date::parse_date("date", d)
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BudgetInput {
    pub category_id: String,
    pub limit: String,
    pub period: PeriodView,
}

impl BudgetInput {
    /// Validate in the user's currency (the limit's decimals depend on it).
    pub fn validate(&self, currency: Currency) -> Result<NewBudget, finance_core::Error> {
        Ok(NewBudget {
            category_id: Id::parse("categoryId", &self.category_id)?,
            limit: Amount::parse("limit", &self.limit, currency)?,
            period: self.period.into(),
        })
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateBudgetInput {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub budget: BudgetInput,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
            percent: count32(s.percent),
            state: s.state.into(),
        }
    }
}
