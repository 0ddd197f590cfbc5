//! Categories for import rows whose file gives none (no category column,
//! or a blank cell; never a transfer's leg): the first matching rule, then
//! the category of the user's most recent row of the same description and
//! kind ("learned"), and only then the default of the kind ("Other" /
//! "Other income", `resolve.rs`). A matching rule also renames the row's
//! description and sets its note when it says so — before duplicates are
//! looked for, so a row is compared as it will be stored.
//!
//! Rows whose file names a category keep it: the file is explicit (and the
//! app's own export re-imports exactly).
//!
//! Invariants: the rules are loaded once per import (`new`); learned
//! look-ups are one store call per chunk for its distinct (kind,
//! description) keys not seen before, remembered in a cache of at most
//! [`LEARNED_CACHE`] keys — never a read of all transactions; the same
//! rows get the same rule in a plan and in both passes of a commit (the
//! matcher is pure; the commit's second read re-applies the rule its first
//! pass recorded in the row's [`Mark`]).

use std::collections::HashMap;

use super::resolve::Resolver;
use super::rows::Mark;
use crate::domain::{Category, CategoryKind, Rule, RuleCandidate, Transaction, first_match};
use crate::id::Id;

/// Distinct (kind, description) keys whose learned category is remembered.
pub(crate) const LEARNED_CACHE: usize = 10_000;
/// Distinct keys one pass looks up at most (past them, rows without a rule
/// go to the default category): a file of unique descriptions costs a
/// bounded number of index look-ups, on both passes alike.
pub(crate) const MAX_LEARNED_LOOKUPS: usize = 20_000;
/// Keys per store call (each call stays short, also on MongoDB).
pub(crate) const LOOKUP_BATCH: usize = 500;

/// A (kind, lower-cased description) key of a learned look-up.
pub(crate) type LearnedKey = (CategoryKind, String);

/// The import's rules and categories, and the learned categories seen.
#[derive(Default)]
pub(crate) struct AutoCategories {
    /// The user's enabled rules, in order.
    rules: Vec<Rule>,
    categories: HashMap<Id, Category>,
    learned: HashMap<LearnedKey, Option<Id>>,
    /// Keys looked up so far in this pass.
    looked_up: usize,
}

impl AutoCategories {
    /// Over the user's rules (the disabled ones are dropped) and categories.
    pub(crate) fn new(rules: Vec<Rule>, categories: &[Category]) -> AutoCategories {
        AutoCategories {
            rules: rules.into_iter().filter(|r| r.enabled).collect(),
            categories: categories.iter().map(|c| (c.id, c.clone())).collect(),
            learned: HashMap::new(),
            looked_up: 0,
        }
    }

    /// The rule a mark records.
    pub(crate) fn rule(&self, i: u32) -> Option<&Rule> {
        self.rules.get(i as usize)
    }

    /// First step on a chunk: each blank row's first matching rule rewrites
    /// it (`rewrite`) and gives its category when of the row's kind. Returns
    /// the keys of rows still without one whose learned category is not
    /// known yet (distinct; at most [`MAX_LEARNED_LOOKUPS`] per pass), for
    /// the store.
    pub(crate) fn apply_rules(
        &mut self,
        rows: &mut [Transaction],
        marks: &mut [Mark],
        resolver: &mut Resolver,
    ) -> Vec<LearnedKey> {
        let mut wanted: Vec<LearnedKey> = Vec::new();
        let mut asked: std::collections::HashSet<LearnedKey> = std::collections::HashSet::new();
        for (t, m) in rows.iter_mut().zip(marks.iter_mut()) {
            if !m.blank {
                continue;
            }
            let kind = t.kind.direction();
            let candidate = RuleCandidate {
                description: &t.description,
                amount: Some(t.amount.minor()),
                account: Some(t.account_id),
                kind: Some(kind),
            };
            if let Some(i) = first_match_index(&self.rules, &candidate) {
                let rule = &self.rules[i];
                m.rule = Some(i as u32);
                rewrite(rule, t);
                if let Some(c) = rule.actions.category.and_then(|c| self.categories.get(&c))
                    && c.kind == kind
                {
                    m.label = Some(resolver.category_label(c));
                    continue;
                }
            }
            let key = (kind, t.description.to_lowercase());
            if self.looked_up < MAX_LEARNED_LOOKUPS
                && !self.learned.contains_key(&key)
                && asked.insert(key.clone())
            {
                self.looked_up += 1;
                wanted.push(key);
            }
        }
        wanted
    }

    /// Second step: remember what the store found for `asked` (as many as
    /// the cache holds), then give each blank row without a rule's category
    /// its learned one, if any.
    pub(crate) fn apply_learned(
        &mut self,
        rows: &[Transaction],
        marks: &mut [Mark],
        resolver: &mut Resolver,
        asked: Vec<LearnedKey>,
        found: Vec<Option<Id>>,
    ) {
        let chunk: HashMap<LearnedKey, Option<Id>> = asked.into_iter().zip(found).collect();
        for (t, m) in rows.iter().zip(marks.iter_mut()) {
            if !m.blank || m.label != m.parsed {
                continue;
            }
            let kind = t.kind.direction();
            let key = (kind, t.description.to_lowercase());
            let learned = chunk
                .get(&key)
                .or_else(|| self.learned.get(&key))
                .copied()
                .flatten();
            if let Some(c) = learned.and_then(|c| self.categories.get(&c))
                && c.kind == kind
            {
                m.label = Some(resolver.category_label(c));
                m.learned = true;
            }
        }
        for (key, found) in chunk {
            if self.learned.len() >= LEARNED_CACHE {
                break;
            }
            self.learned.insert(key, found);
        }
    }
}

/// The index of [`first_match`]'s rule in `rules`.
fn first_match_index(rules: &[Rule], c: &RuleCandidate<'_>) -> Option<usize> {
    let r = first_match(rules, c)?;
    rules.iter().position(|x| x.id == r.id)
}

/// What a matching rule does to a row besides its category: the clean
/// payee name and the note, when it sets them.
pub(crate) fn rewrite(rule: &Rule, t: &mut Transaction) {
    if let Some(name) = &rule.actions.rename {
        t.description.clone_from(name);
    }
    if let Some(note) = &rule.actions.note {
        t.note = Some(note.clone());
    }
}
