//! Categories: every transaction and budget belongs to one; its kind says income or expense.

use std::fmt;

use chrono::{DateTime, Utc};

use super::text::clean_text;
use crate::error::{Error, Result};
use crate::id::Id;

/// Income or expense. A category's kind never changes once created, so a
/// transaction's kind (stored beside it for fast reports) always equals its category's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CategoryKind {
    Income,
    Expense,
}

impl CategoryKind {
    /// `"income"` or `"expense"` (the stored form).
    pub fn as_str(self) -> &'static str {
        match self {
            CategoryKind::Income => "income",
            CategoryKind::Expense => "expense",
        }
    }

    /// Parse the stored or typed form.
    pub fn parse(field: &str, s: &str) -> Result<CategoryKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "income" => Ok(CategoryKind::Income),
            "expense" => Ok(CategoryKind::Expense),
            _ => Err(Error::validation(field, "must be income or expense")),
        }
    }
}

impl fmt::Display for CategoryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A category name: 1–50 characters, trimmed; unique per user and kind, ignoring case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryName(String);

impl CategoryName {
    /// Validate.
    pub fn parse(field: &str, raw: &str) -> Result<CategoryName> {
        let s = clean_text(field, raw, 1, 50, false)?;
        // Collapse inner runs of whitespace so "Eating  out" and "Eating out" are one name.
        Ok(CategoryName(
            s.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    }
    /// The name as shown.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The uniqueness key: the name lower-cased (Unicode-aware).
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A stored category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    pub id: Id,
    pub user_id: Id,
    pub name: String,
    pub kind: CategoryKind,
    pub created_at: DateTime<Utc>,
}

/// How many rows refer to a category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CategoryUsage {
    pub transactions: u64,
    pub budgets: u64,
}

impl CategoryUsage {
    /// Whether anything refers to the category.
    pub fn is_used(&self) -> bool {
        self.transactions > 0 || self.budgets > 0
    }
}

/// The categories every new user starts with.
pub fn default_categories() -> Vec<(CategoryKind, &'static str)> {
    use CategoryKind::{Expense, Income};
    vec![
        (Income, "Salary"),
        (Income, "Other income"),
        (Expense, "Groceries"),
        (Expense, "Rent"),
        (Expense, "Transport"),
        (Expense, "Utilities"),
        (Expense, "Eating out"),
        (Expense, "Entertainment"),
        (Expense, "Health"),
        (Expense, "Other"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_collapsed_and_keyed_case_insensitively() {
        let n = CategoryName::parse("name", "  Eating   Out ").unwrap();
        assert_eq!(n.as_str(), "Eating Out");
        assert_eq!(n.key(), "eating out");
        assert_eq!(
            CategoryName::parse("name", "ÉPICERIE").unwrap().key(),
            "épicerie"
        );
        assert_eq!(
            CategoryName::parse("name", "").unwrap_err().field(),
            Some("name")
        );
        assert!(CategoryName::parse("name", &"c".repeat(51)).is_err());
    }

    #[test]
    fn kinds_parse() {
        assert_eq!(
            CategoryKind::parse("type", "Income").unwrap(),
            CategoryKind::Income
        );
        assert_eq!(
            CategoryKind::parse("type", "expense").unwrap(),
            CategoryKind::Expense
        );
        assert_eq!(
            CategoryKind::parse("type", "both").unwrap_err().field(),
            Some("type")
        );
    }

    #[test]
    fn defaults_are_valid_and_unique() {
        let defaults = default_categories();
        let mut keys: Vec<_> = defaults
            .iter()
            .map(|(k, n)| (*k, CategoryName::parse("name", n).unwrap().key()))
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), defaults.len());
    }
}
