//! IPC types of rules (auto-categorisation) and suggestions: the rule form
//! (also what "Create a rule from this transaction" pre-fills), a rule as
//! listed, the learned and form suggestions, and what applying the rules to
//! existing transactions shows and did.
//!
//! Invariants: the form is declared once ([`RuleInput`], flattened into
//! [`UpdateRuleInput`]) and validated once, by the core's
//! [`RuleDraft::validate`] (field names `descriptionText`, `amountMin`, …);
//! amounts cross as exact decimal strings in the user's currency; enums
//! convert directly.

use finance_core::domain::{CategoryKind, Rule, RuleDraft, RuleSkip, TextMatch, Transaction};
use finance_core::money::format_minor;
use finance_core::ops::{FormSuggestion, RulesApplication, SuggestionSource};
use finance_core::{Currency, Id};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{CategoryKindView, TransactionListInput, count32};

/// `"contains"`, `"startsWith"` or `"equals"` (ignoring case; plain text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(rename = "TextMatch")]
pub enum TextMatchView {
    Contains,
    StartsWith,
    Equals,
}

impl From<TextMatch> for TextMatchView {
    fn from(m: TextMatch) -> Self {
        match m {
            TextMatch::Contains => TextMatchView::Contains,
            TextMatch::StartsWith => TextMatchView::StartsWith,
            TextMatch::Equals => TextMatchView::Equals,
        }
    }
}

impl From<TextMatchView> for TextMatch {
    fn from(m: TextMatchView) -> Self {
        match m {
            TextMatchView::Contains => TextMatch::Contains,
            TextMatchView::StartsWith => TextMatch::StartsWith,
            TextMatchView::Equals => TextMatch::Equals,
        }
    }
}

/// The rule form: conditions (all must hold; blank = not set) → actions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RuleInput {
    /// Blank: named after its description condition.
    pub name: String,
    pub enabled: bool,
    pub description_match: Option<TextMatchView>,
    pub description_text: Option<String>,
    /// Decimal strings, inclusive; both the same for "equals".
    pub amount_min: Option<String>,
    pub amount_max: Option<String>,
    pub account_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<CategoryKindView>,
    pub category_id: Option<String>,
    /// The clean payee name the description becomes.
    pub rename: Option<String>,
    pub note: Option<String>,
}

impl From<RuleInput> for RuleDraft {
    fn from(i: RuleInput) -> RuleDraft {
        RuleDraft {
            name: i.name,
            enabled: i.enabled,
            description_match: i
                .description_match
                .map(|m| TextMatch::from(m).as_str().to_string()),
            description_text: i.description_text,
            amount_min: i.amount_min,
            amount_max: i.amount_max,
            account_id: i.account_id,
            kind: i.kind.map(|k| CategoryKind::from(k).as_str().to_string()),
            category_id: i.category_id,
            rename: i.rename,
            note: i.note,
        }
    }
}

impl RuleInput {
    /// The form as the core pre-filled it (`rule_from_transaction`).
    pub fn from_draft(d: RuleDraft) -> RuleInput {
        RuleInput {
            name: d.name,
            enabled: d.enabled,
            description_match: d
                .description_match
                .and_then(|m| TextMatch::parse("descriptionMatch", &m).ok())
                .map(Into::into),
            description_text: d.description_text,
            amount_min: d.amount_min,
            amount_max: d.amount_max,
            account_id: d.account_id,
            kind: d
                .kind
                .and_then(|k| CategoryKind::parse("type", &k).ok())
                .map(Into::into),
            category_id: d.category_id,
            rename: d.rename,
            note: d.note,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateRuleInput {
    pub id: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub rule: RuleInput,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SetRuleEnabledInput {
    pub id: String,
    pub enabled: bool,
}

/// Every one of the user's rules, once, in the new order.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ReorderRulesInput {
    pub ids: Vec<String>,
}

/// A rule as listed (its form's fields, its place and its category's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    pub id: String,
    pub position: i32,
    #[serde(flatten)]
    #[ts(flatten)]
    pub rule: RuleInput,
    /// The name of the category it sets ("" when it sets none).
    pub category_name: String,
}

impl RuleView {
    pub fn new(r: &Rule, category_name: &str, currency: Currency) -> RuleView {
        let c = &r.conditions;
        RuleView {
            id: r.id.to_hex(),
            position: r.position,
            rule: RuleInput {
                name: r.name.clone(),
                enabled: r.enabled,
                description_match: c.description.as_ref().map(|d| d.how.into()),
                description_text: c.description.as_ref().map(|d| d.text.clone()),
                amount_min: c.amount_min.map(|a| format_minor(a, currency)),
                amount_max: c.amount_max.map(|a| format_minor(a, currency)),
                account_id: c.account.map(|a| a.to_hex()),
                kind: c.kind.map(Into::into),
                category_id: r.actions.category.map(|a| a.to_hex()),
                rename: r.actions.rename.clone(),
                note: r.actions.note.clone(),
            },
            category_name: category_name.to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SuggestInput {
    pub prefix: String,
}

/// The user's most recent row of one description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LearnedSuggestionView {
    pub description: String,
    pub category_id: String,
    pub category_name: String,
    #[serde(rename = "type")]
    pub kind: CategoryKindView,
    pub amount: String,
    pub date: String,
}

impl LearnedSuggestionView {
    /// `None` for a row without a category (never returned by the store).
    pub fn new(t: &Transaction, category_name: &str, currency: Currency) -> Option<Self> {
        Some(LearnedSuggestionView {
            description: t.description.clone(),
            category_id: t.category_id?.to_hex(),
            category_name: category_name.to_string(),
            kind: t.kind.category_kind()?.into(),
            amount: t.amount.format(currency),
            date: t.date.to_string(),
        })
    }
}

/// What the transaction form knows so far.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SuggestForInput {
    pub description: String,
    /// Blank or absent: not typed yet (an amount condition then does not hold).
    #[serde(default)]
    #[ts(optional)]
    pub amount: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub account_id: Option<String>,
    #[serde(default, rename = "type")]
    #[ts(optional)]
    pub kind: Option<CategoryKindView>,
}

/// `"rule"` (the first matching rule) or `"learned"` (the user's history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
#[ts(rename = "SuggestionSource")]
pub enum SuggestionSourceView {
    Rule,
    Learned,
}

/// What the form may fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct FormSuggestionView {
    pub source: SuggestionSourceView,
    pub rule_id: Option<String>,
    pub rule_name: Option<String>,
    pub category_id: Option<String>,
    pub category_name: Option<String>,
    pub description: String,
    pub note: Option<String>,
    /// The learned row's amount (a rule suggests none).
    pub amount: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<CategoryKindView>,
}

impl FormSuggestionView {
    pub fn new(s: &FormSuggestion, category_name: Option<&str>, currency: Currency) -> Self {
        let (source, rule_id, rule_name) = match &s.source {
            SuggestionSource::Rule { id, name } => (
                SuggestionSourceView::Rule,
                Some(id.to_hex()),
                Some(name.clone()),
            ),
            SuggestionSource::Learned { .. } => (SuggestionSourceView::Learned, None, None),
        };
        FormSuggestionView {
            source,
            rule_id,
            rule_name,
            category_id: s.category_id.map(|c| c.to_hex()),
            category_name: category_name.map(str::to_string),
            description: s.description.clone(),
            note: s.note.clone(),
            amount: s.amount.map(|a| format_minor(a, currency)),
            kind: s.kind.map(Into::into),
        }
    }
}

/// The transactions the rules are applied to (the list's filter; paging ignored).
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApplyRulesInput {
    /// Required (an empty object is every row): a body of another shape,
    /// such as `[]`, is refused rather than read as "every row".
    pub filter: TransactionListInput,
}

/// One row a rule changes: as it is and as it will be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RuleChangeView {
    pub transaction_id: String,
    pub date: String,
    pub amount: String,
    pub rule_name: String,
    pub description: String,
    pub new_description: String,
    pub category_name: String,
    pub new_category_name: String,
    pub note: Option<String>,
    pub new_note: Option<String>,
}

/// What applying the rules would do (a preview) or did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RulesApplicationView {
    /// Rows that change (at most 10,000 per apply).
    pub count: u32,
    /// The first 100 of them.
    pub rows: Vec<RuleChangeView>,
    /// Matching rows left as they are: transfer legs, reconciled rows, and
    /// rows whose kind differs from the rule's category's.
    pub skipped_transfer: u32,
    pub skipped_reconciled: u32,
    pub skipped_kind: u32,
    /// More rows would change: apply again for the rest.
    pub more: bool,
    /// Rows written (0 for a preview).
    pub applied: u32,
}

impl RulesApplicationView {
    pub fn new(
        a: &RulesApplication,
        name: impl Fn(Option<Id>) -> String,
        currency: Currency,
    ) -> RulesApplicationView {
        let skipped = |why: RuleSkip| {
            count32(
                a.skipped
                    .iter()
                    .find(|(w, _)| *w == why)
                    .map_or(0, |(_, n)| *n),
            )
        };
        RulesApplicationView {
            count: count32(a.count),
            rows: a
                .rows
                .iter()
                .map(|r| RuleChangeView {
                    transaction_id: r.transaction.id.to_hex(),
                    date: r.transaction.date.to_string(),
                    amount: r.transaction.amount.format(currency),
                    rule_name: r.rule_name.clone(),
                    description: r.transaction.description.clone(),
                    new_description: r.change.description.clone(),
                    category_name: name(r.transaction.category_id),
                    new_category_name: name(Some(r.change.category_id)),
                    note: r.transaction.note.clone(),
                    new_note: r.change.note.clone(),
                })
                .collect(),
            skipped_transfer: skipped(RuleSkip::Transfer),
            skipped_reconciled: skipped(RuleSkip::Reconciled),
            skipped_kind: skipped(RuleSkip::Kind),
            more: a.more,
            applied: count32(a.applied),
        }
    }
}
