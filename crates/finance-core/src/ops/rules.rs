//! Rules (auto-categorisation) and learned suggestions: a user's rules
//! (add, edit, enable, delete, reorder), the transaction form's suggestion
//! (a matching rule first, then the most recent transaction of the same
//! description), "apply rules to existing transactions" (a preview, then
//! one store write) and a rule pre-filled from a transaction.
//!
//! Which rule matches is [`first_match`]; what applying it to a stored row
//! may change is [`rules::rule_change`] (same kind only, no transfer legs,
//! no reconciled rows), so every income, expense, budget and report sum
//! stays exact after an apply.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::Permission;
use crate::domain::{
    Category, CategoryKind, NewRule, Rule, RuleCandidate, RuleChange, RuleDraft, RuleSkip,
    TextMatch, Transaction, TransactionFilter, TransactionQuery, TransactionSort, first_match,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;

/// Learned suggestions returned for one prefix.
pub const MAX_SUGGESTIONS: usize = 5;
/// Changes one apply writes (one store transaction); the preview says when
/// more rows match, and applying again continues with them.
pub const MAX_RULE_CHANGES: usize = 10_000;
/// Changed rows a preview lists (all are counted).
pub const PREVIEW_ROWS: usize = 100;
/// Rows read per page while looking for matches.
const SCAN_PAGE: u32 = 500;

/// Where a form suggestion comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SuggestionSource {
    /// The first matching rule.
    Rule { id: Id, name: String },
    /// The user's most recent transaction with this description.
    Learned { transaction: Id },
}

/// What the transaction form may fill in for a description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormSuggestion {
    pub source: SuggestionSource,
    pub category_id: Option<Id>,
    /// The description to use (a rule's clean payee name, or the learned one's spelling).
    pub description: String,
    pub note: Option<String>,
    /// The learned transaction's amount (a rule suggests none).
    pub amount: Option<i64>,
    pub kind: Option<CategoryKind>,
}

/// One stored row a rule would change, as it is and as it would be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulePreviewRow {
    pub transaction: Transaction,
    pub rule_name: String,
    pub change: RuleChange,
}

/// What applying the rules to existing transactions would do (or did).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RulesApplication {
    /// Rows that change (at most [`MAX_RULE_CHANGES`]).
    pub count: u64,
    /// The first [`PREVIEW_ROWS`] of them.
    pub rows: Vec<RulePreviewRow>,
    /// Matching rows left unchanged, by reason (`transfer`, `reconciled`, `kind`).
    pub skipped: Vec<(RuleSkip, u64)>,
    /// More rows than [`MAX_RULE_CHANGES`] would change: apply again for the rest.
    pub more: bool,
    /// Rows written (0 for a preview).
    pub applied: u64,
}

impl Finance {
    /// The user's rules in order.
    pub async fn rules(&self, user: &AuthUser) -> Result<Vec<Rule>> {
        user.require(Permission::Read)?;
        self.store.rules(user.ledger()).await
    }

    /// Check a rule's references and kinds: its category (the user's,
    /// `NotFound` otherwise; of its income/expense condition's kind) and
    /// account (the user's).
    async fn check_rule(&self, user: &AuthUser, new: &NewRule) -> Result<()> {
        let category = match new.actions.category {
            Some(id) => Some(self.store.category(user.ledger(), id).await?),
            None => None,
        };
        rules::check_rule_category(new, category.as_ref())?;
        if let Some(account) = new.conditions.account {
            self.store.account(user.ledger(), account).await?;
        }
        Ok(())
    }

    /// Add a rule after the user's others.
    pub async fn add_rule(
        &self,
        user: &AuthUser,
        new: NewRule,
        now: DateTime<Utc>,
    ) -> Result<Rule> {
        user.require(Permission::Write)?;
        self.check_rule(user, &new).await?;
        let existing = self.store.rules(user.ledger()).await?;
        rules::check_rule_count(existing.len())?;
        let rule = Rule {
            id: Id::generate(),
            user_id: user.ledger(),
            name: new.name,
            position: existing.last().map_or(0, |r| r.position.saturating_add(1)),
            enabled: new.enabled,
            conditions: new.conditions,
            actions: new.actions,
            created_at: millis(now),
        };
        self.store.insert_rule(&rule).await?;
        Ok(rule)
    }

    /// Replace a rule's fields (its place in the order stays).
    pub async fn update_rule(&self, user: &AuthUser, id: Id, change: NewRule) -> Result<Rule> {
        user.require(Permission::Write)?;
        self.store.rule(user.ledger(), id).await?;
        self.check_rule(user, &change).await?;
        self.store.update_rule(user.ledger(), id, &change).await
    }

    /// Enable or disable a rule.
    pub async fn set_rule_enabled(&self, user: &AuthUser, id: Id, enabled: bool) -> Result<Rule> {
        user.require(Permission::Write)?;
        let r = self.store.rule(user.ledger(), id).await?;
        let change = NewRule {
            name: r.name,
            enabled,
            conditions: r.conditions,
            actions: r.actions,
        };
        self.store.update_rule(user.ledger(), id, &change).await
    }

    /// Delete a rule.
    pub async fn delete_rule(&self, user: &AuthUser, id: Id) -> Result<()> {
        user.require(Permission::Write)?;
        self.store.delete_rule(user.ledger(), id).await
    }

    /// Put the user's rules in the order of `ids`, which must name each of
    /// them once (`NotFound` for an id that is not one of the user's rules,
    /// `Validation { field: "ids" }` for a missing or repeated one).
    pub async fn reorder_rules(&self, user: &AuthUser, ids: &[Id]) -> Result<Vec<Rule>> {
        user.require(Permission::Write)?;
        let existing = self.store.rules(user.ledger()).await?;
        if ids.iter().any(|id| !existing.iter().any(|r| r.id == *id)) {
            return Err(Error::NotFound { what: "rule" });
        }
        let mut sorted = ids.to_vec();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != ids.len() || ids.len() != existing.len() {
            return Err(Error::validation(
                "ids",
                "must list each of your rules exactly once",
            ));
        }
        self.store.reorder_rules(user.ledger(), ids).await?;
        self.store.rules(user.ledger()).await
    }

    /// Learned suggestions: the user's most recent income or expense row of
    /// each of up to [`MAX_SUGGESTIONS`] descriptions starting with `prefix`
    /// (ignoring case and surrounding blanks), most recent first. A blank
    /// prefix suggests nothing.
    pub async fn suggest(&self, user: &AuthUser, prefix: &str) -> Result<Vec<Transaction>> {
        user.require(Permission::Read)?;
        let prefix = prefix.trim_start().to_lowercase();
        if prefix.is_empty() || prefix.chars().count() > 200 {
            return Ok(Vec::new());
        }
        self.store
            .recent_by_description(user.ledger(), &prefix, MAX_SUGGESTIONS)
            .await
    }

    /// The form's suggestion for what has been typed: the first matching
    /// rule (with what is known of the amount, account and kind), else the
    /// most recent transaction whose description starts with `description`
    /// (the exact description first), else nothing.
    pub async fn suggest_for(
        &self,
        user: &AuthUser,
        candidate: RuleCandidate<'_>,
    ) -> Result<Option<FormSuggestion>> {
        user.require(Permission::Read)?;
        if candidate.description.trim().is_empty() {
            return Ok(None);
        }
        let rules = self.store.rules(user.ledger()).await?;
        if let Some(r) = first_match(&rules, &candidate) {
            let kind = match r.actions.category {
                Some(c) => Some(self.store.category(user.ledger(), c).await?.kind),
                None => r.conditions.kind,
            };
            return Ok(Some(FormSuggestion {
                source: SuggestionSource::Rule {
                    id: r.id,
                    name: r.name.clone(),
                },
                category_id: r.actions.category,
                description: r
                    .actions
                    .rename
                    .clone()
                    .unwrap_or_else(|| candidate.description.trim().to_string()),
                note: r.actions.note.clone(),
                amount: None,
                kind,
            }));
        }
        let typed = candidate.description.trim().to_lowercase();
        let learned = self.suggest(user, &typed).await?;
        let best = learned
            .iter()
            .find(|t| t.description.to_lowercase() == typed)
            .or(learned.first());
        Ok(best.map(|t| FormSuggestion {
            source: SuggestionSource::Learned { transaction: t.id },
            category_id: t.category_id,
            description: t.description.clone(),
            note: None,
            amount: Some(t.amount.minor()),
            kind: t.kind.category_kind(),
        }))
    }

    /// A rule pre-filled from one of the user's transactions: its
    /// description (contains), its kind and its category; enabled.
    pub async fn rule_from_transaction(&self, user: &AuthUser, id: Id) -> Result<RuleDraft> {
        user.require(Permission::Write)?;
        let t = self.store.transaction(user.ledger(), id).await?;
        Ok(RuleDraft {
            name: String::new(),
            enabled: true,
            description_match: Some(TextMatch::Contains.as_str().to_string()),
            description_text: Some(t.description.clone()),
            kind: t.kind.category_kind().map(|k| k.as_str().to_string()),
            category_id: t.category_id.map(|c| c.to_hex()),
            ..RuleDraft::default()
        })
    }

    /// What applying the user's enabled rules to their transactions
    /// matching `filter` would change; writes nothing.
    pub async fn apply_rules_preview(
        &self,
        user: &AuthUser,
        filter: TransactionFilter,
    ) -> Result<RulesApplication> {
        user.require(Permission::Write)?;
        let (application, _) = self.rule_changes(user, filter).await?;
        Ok(application)
    }

    /// Apply the user's enabled rules to their transactions matching
    /// `filter`: the changes the preview lists (at most
    /// [`MAX_RULE_CHANGES`]), in one store transaction.
    pub async fn apply_rules(
        &self,
        user: &AuthUser,
        filter: TransactionFilter,
        now: DateTime<Utc>,
    ) -> Result<RulesApplication> {
        user.require(Permission::Write)?;
        let (mut application, changes) = self.rule_changes(user, filter).await?;
        if !changes.is_empty() {
            application.applied = self
                .store
                .apply_rule_changes(user.ledger(), &changes, millis(now))
                .await?;
        }
        tracing::info!(user = %user.ledger(), applied = application.applied, "rules applied");
        Ok(application)
    }

    /// The changes the rules make to the rows matching `filter`, read page
    /// by page (oldest first) until [`MAX_RULE_CHANGES`] are found.
    async fn rule_changes(
        &self,
        user: &AuthUser,
        filter: TransactionFilter,
    ) -> Result<(RulesApplication, Vec<RuleChange>)> {
        if let Some(account) = filter.account {
            self.store.account(user.ledger(), account).await?;
        }
        let rules: Vec<Rule> = self
            .store
            .rules(user.ledger())
            .await?
            .into_iter()
            .filter(|r| r.enabled)
            .collect();
        let mut out = RulesApplication::default();
        let mut changes = Vec::new();
        if rules.is_empty() {
            return Ok((out, changes));
        }
        let categories: HashMap<Id, Category> = self
            .store
            .categories(user.ledger())
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut skipped: HashMap<RuleSkip, u64> = HashMap::new();
        let mut query = TransactionQuery {
            filter,
            sort: TransactionSort::DateAsc,
            limit: SCAN_PAGE,
            after: None,
        };
        'pages: loop {
            let page = self.page(user, &query).await?;
            for t in page.items {
                let candidate = RuleCandidate {
                    description: &t.description,
                    amount: Some(t.amount.minor()),
                    account: Some(t.account_id),
                    kind: t.kind.category_kind(),
                };
                let Some(rule) = first_match(&rules, &candidate) else {
                    continue;
                };
                let category = rule.actions.category.and_then(|c| categories.get(&c));
                match rules::rule_change(&t, rule, category) {
                    Ok(None) => {}
                    Err(why) => *skipped.entry(why).or_default() += 1,
                    Ok(Some(change)) => {
                        if changes.len() >= MAX_RULE_CHANGES {
                            out.more = true;
                            break 'pages;
                        }
                        if out.rows.len() < PREVIEW_ROWS {
                            out.rows.push(RulePreviewRow {
                                rule_name: rule.name.clone(),
                                change: change.clone(),
                                transaction: t.clone(),
                            });
                        }
                        changes.push(change);
                    }
                }
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        out.count = changes.len() as u64;
        let mut skipped: Vec<(RuleSkip, u64)> = skipped.into_iter().collect();
        skipped.sort_by_key(|(why, _)| why.as_str());
        out.skipped = skipped;
        Ok((out, changes))
    }
}
