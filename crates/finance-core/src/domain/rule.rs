//! Rules (auto-categorisation): conditions that must all hold for a
//! transaction → actions (set its category, rename its description to a
//! clean payee name, set its note). A user's rules are ordered; the first
//! enabled rule whose conditions hold wins ([`first_match`]).
//!
//! Invariants:
//! * **matching lives here, once**: [`RuleConditions::matches`] and
//!   [`first_match`] are pure (no store, no clock), used by the form's
//!   suggestion, the CSV import and "apply rules to existing transactions";
//! * text conditions are plain text (no regex), compared after Unicode
//!   lower-casing (`str::to_lowercase`) of both sides, the rule's text
//!   trimmed (a description is stored trimmed);
//! * amounts compare exactly, in signed minor units as stored (a refund is
//!   negative); a range includes both ends;
//! * a valid rule has at least one condition and one action
//!   ([`RuleDraft::validate`], naming the failing field); that its category
//!   is the user's and of the kind of its income/expense condition is
//!   checked by the operation ([`crate::rules::check_rule_category`]).

use chrono::{DateTime, Utc};

use super::category::CategoryKind;
use super::text::{Description, Note, clean_text};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Currency, SignedAmount};

/// Rules one user may have (the list is read whole: one import, one form
/// suggestion, one apply).
pub const MAX_RULES_PER_USER: usize = 500;

/// How a description condition compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextMatch {
    Contains,
    StartsWith,
    Equals,
}

impl TextMatch {
    pub fn as_str(self) -> &'static str {
        match self {
            TextMatch::Contains => "contains",
            TextMatch::StartsWith => "startsWith",
            TextMatch::Equals => "equals",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<TextMatch> {
        match s {
            "contains" => Ok(TextMatch::Contains),
            "startsWith" => Ok(TextMatch::StartsWith),
            "equals" => Ok(TextMatch::Equals),
            _ => Err(Error::validation(
                field,
                "must be contains, startsWith or equals",
            )),
        }
    }
}

/// "The description contains / starts with / equals `text`", ignoring case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescriptionCondition {
    pub how: TextMatch,
    /// As the user wrote it (trimmed).
    pub text: String,
    /// `text` lower-cased, what is compared.
    key: String,
}

impl DescriptionCondition {
    pub fn new(how: TextMatch, text: &str) -> DescriptionCondition {
        let text = text.trim().to_string();
        DescriptionCondition {
            how,
            key: text.to_lowercase(),
            text,
        }
    }

    /// Whether `lower` (a description, already lower-cased) satisfies it.
    fn holds(&self, lower: &str) -> bool {
        match self.how {
            TextMatch::Contains => lower.contains(&self.key),
            TextMatch::StartsWith => lower.starts_with(&self.key),
            TextMatch::Equals => lower.trim() == self.key,
        }
    }
}

/// All must hold (absent ones hold for every transaction).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleConditions {
    pub description: Option<DescriptionCondition>,
    /// Inclusive bounds in signed minor units (equal: both the same).
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub account: Option<Id>,
    pub kind: Option<CategoryKind>,
}

/// What a matching rule does (absent ones change nothing).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleActions {
    pub category: Option<Id>,
    /// The clean payee name the description becomes.
    pub rename: Option<String>,
    pub note: Option<String>,
}

/// A stored rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: Id,
    pub user_id: Id,
    pub name: String,
    /// The order among the user's rules (lower first).
    pub position: i32,
    pub enabled: bool,
    pub conditions: RuleConditions,
    pub actions: RuleActions,
    pub created_at: DateTime<Utc>,
}

/// A validated rule to add, or to replace a rule's fields with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRule {
    pub name: String,
    pub enabled: bool,
    pub conditions: RuleConditions,
    pub actions: RuleActions,
}

/// What a rule is matched against: a transaction, a form being filled in,
/// or a row of an import.
#[derive(Clone, Copy, Debug)]
pub struct RuleCandidate<'a> {
    pub description: &'a str,
    /// Signed minor units (a refund negative); `None` when not known yet (a
    /// form without an amount): then an amount condition does not hold.
    pub amount: Option<i64>,
    /// `None` when not known: then an account condition does not hold.
    pub account: Option<Id>,
    /// `None` when not known: then a kind condition does not hold.
    pub kind: Option<CategoryKind>,
}

impl RuleConditions {
    /// Whether every condition holds for `c`.
    pub fn matches(&self, c: &RuleCandidate<'_>) -> bool {
        self.matches_lower(c, &c.description.to_lowercase())
    }

    fn matches_lower(&self, c: &RuleCandidate<'_>, lower: &str) -> bool {
        if let Some(d) = &self.description
            && !d.holds(lower)
        {
            return false;
        }
        if self.amount_min.is_some() || self.amount_max.is_some() {
            let Some(a) = c.amount else { return false };
            if self.amount_min.is_some_and(|m| a < m) || self.amount_max.is_some_and(|m| a > m) {
                return false;
            }
        }
        if let Some(account) = self.account
            && c.account != Some(account)
        {
            return false;
        }
        if let Some(kind) = self.kind
            && c.kind != Some(kind)
        {
            return false;
        }
        true
    }

    /// Whether no condition is set.
    pub fn is_empty(&self) -> bool {
        *self == RuleConditions::default()
    }
}

impl RuleActions {
    /// Whether no action is set.
    pub fn is_empty(&self) -> bool {
        *self == RuleActions::default()
    }
}

/// The first enabled rule of `rules` (in their order: position, then id)
/// whose conditions all hold for `c`.
pub fn first_match<'r>(rules: &'r [Rule], c: &RuleCandidate<'_>) -> Option<&'r Rule> {
    let lower = c.description.to_lowercase();
    let mut best: Option<&Rule> = None;
    for r in rules {
        if !r.enabled || !r.conditions.matches_lower(c, &lower) {
            continue;
        }
        if best.is_none_or(|b| (r.position, r.id) < (b.position, b.id)) {
            best = Some(r);
        }
    }
    best
}

/// One stored row's new fields after a rule (from [`crate::rules::rule_change`]):
/// what "apply rules to existing transactions" writes. The store changes the
/// row only while it is still the user's and of `kind`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleChange {
    pub transaction_id: Id,
    pub rule_id: Id,
    /// The row's kind (unchanged; the category is of this kind).
    pub kind: CategoryKind,
    pub category_id: Id,
    pub description: String,
    pub note: Option<String>,
}

/// Why a matching rule is not applied to a stored row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleSkip {
    /// A transfer's leg has no category.
    Transfer,
    /// Reconciled with a bank statement: changed only one by one, confirmed.
    Reconciled,
    /// The rule's category is of the other kind than the row.
    Kind,
}

impl RuleSkip {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSkip::Transfer => "transfer",
            RuleSkip::Reconciled => "reconciled",
            RuleSkip::Kind => "kind",
        }
    }
}

/// A rule as typed into its dialog (blank = not set).
#[derive(Clone, Debug, Default)]
pub struct RuleDraft {
    pub name: String,
    pub enabled: bool,
    /// `contains`, `startsWith` or `equals`.
    pub description_match: Option<String>,
    pub description_text: Option<String>,
    pub amount_min: Option<String>,
    pub amount_max: Option<String>,
    pub account_id: Option<String>,
    /// `income` or `expense`.
    pub kind: Option<String>,
    pub category_id: Option<String>,
    pub rename: Option<String>,
    pub note: Option<String>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl RuleDraft {
    /// Validate, amounts in `currency`; the first failing field is named.
    pub fn validate(&self, currency: Currency) -> Result<NewRule> {
        let description = match blank(&self.description_text) {
            None => None,
            Some(text) => {
                let how = match blank(&self.description_match) {
                    None => TextMatch::Contains,
                    Some(s) => TextMatch::parse("descriptionMatch", s)?,
                };
                let text = clean_text("descriptionText", text, 1, 200, false)?;
                Some(DescriptionCondition::new(how, &text))
            }
        };
        let amount = |field: &str, raw: &Option<String>| -> Result<Option<i64>> {
            blank(raw)
                .map(|s| SignedAmount::parse(field, s, currency).map(SignedAmount::minor))
                .transpose()
        };
        let amount_min = amount("amountMin", &self.amount_min)?;
        let amount_max = amount("amountMax", &self.amount_max)?;
        if let (Some(lo), Some(hi)) = (amount_min, amount_max)
            && lo > hi
        {
            return Err(Error::validation(
                "amountMax",
                "must not be less than the lowest amount",
            ));
        }
        let account = blank(&self.account_id)
            .map(|s| Id::parse("accountId", s))
            .transpose()?;
        let kind = match blank(&self.kind) {
            None => None,
            Some("income") => Some(CategoryKind::Income),
            Some("expense") => Some(CategoryKind::Expense),
            Some(_) => return Err(Error::validation("kind", "must be income or expense")),
        };
        let conditions = RuleConditions {
            description,
            amount_min,
            amount_max,
            account,
            kind,
        };
        if conditions.is_empty() {
            return Err(Error::validation(
                "descriptionText",
                "a rule needs at least one condition",
            ));
        }
        let category = blank(&self.category_id)
            .map(|s| Id::parse("categoryId", s))
            .transpose()?;
        let rename = blank(&self.rename)
            .map(|s| Description::parse("rename", s).map(Description::into_inner))
            .transpose()?;
        let note = Note::parse_optional("note", self.note.as_deref())?.map(|n| n.as_str().into());
        let actions = RuleActions {
            category,
            rename,
            note,
        };
        if actions.is_empty() {
            return Err(Error::validation(
                "categoryId",
                "a rule needs at least one action",
            ));
        }
        let name = match blank(&Some(self.name.clone())) {
            Some(n) => clean_text("name", n, 1, 100, false)?,
            None => default_name(&conditions),
        };
        Ok(NewRule {
            name,
            enabled: self.enabled,
            conditions,
            actions,
        })
    }
}

/// A rule's name when none is given: its description condition, else "Rule".
fn default_name(c: &RuleConditions) -> String {
    match &c.description {
        Some(d) => {
            let how = match d.how {
                TextMatch::Contains => "contains",
                TextMatch::StartsWith => "starts with",
                TextMatch::Equals => "is",
            };
            let name = format!("Description {how} \u{201c}{}\u{201d}", d.text);
            name.chars().take(100).collect()
        }
        None => "Rule".to_string(),
    }
}

#[cfg(test)]
#[path = "rule_tests.rs"]
mod tests;
