//! Category resolution for an import: each CSV category name (per kind,
//! ignoring case and inner blanks) is interned once as a [`Label`] and
//! resolved to one of the user's categories, a mapping's target, or nothing
//! yet ("unknown": the wizard asks where it goes). No database look-ups per row.
//!
//! Invariant: memory is bounded whatever the file. Labels are made for the
//! user's categories, the mappings and the first [`MAX_UNKNOWN_CATEGORIES`]
//! unknown names; unmapped unknown names past those share one label per kind
//! and are only counted (as 64-bit hashes), and the cache of raw spellings
//! holds at most [`RAW_SPELLINGS`] entries.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::{CategoryMapping, CategoryTarget, MAX_UNKNOWN_CATEGORIES};
use crate::domain::{Category, CategoryKind, CategoryName};
use crate::error::{Error, Result};
use crate::id::Id;

/// Raw spellings of category cells remembered per kind (a cache; misses only cost time).
const RAW_SPELLINGS: usize = 4096;

/// Where rows without a category go, by kind.
const DEFAULT_EXPENSE: &str = "Other";
const DEFAULT_INCOME: &str = "Other income";

/// The comparison key of a category name: inner blanks collapsed, lower-cased (as [`CategoryName::key`]).
pub(crate) fn name_key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn kind_index(kind: CategoryKind) -> usize {
    match kind {
        CategoryKind::Income => 0,
        CategoryKind::Expense => 1,
    }
}

/// Where one label (a CSV category name of one kind, or "none") goes.
#[derive(Clone, Debug)]
pub(crate) enum Resolved {
    Existing(Category),
    Create(CategoryName),
    Unmapped,
}

#[derive(Clone, Debug)]
pub(crate) struct Label {
    pub kind: CategoryKind,
    /// The CSV name as first written; `None` for rows without a category
    /// (and for the shared label of unknown names past the limit).
    pub csv_name: Option<String>,
    /// Whether the name matched none of the user's categories.
    pub unknown: bool,
    pub resolved: Resolved,
}

impl Label {
    pub(crate) fn display(&self) -> &str {
        match &self.resolved {
            Resolved::Existing(c) => &c.name,
            Resolved::Create(name) => name.as_str(),
            Resolved::Unmapped => self.csv_name.as_deref().unwrap_or(""),
        }
    }
}

/// Resolves CSV category names to categories, interning each distinct name once.
pub(crate) struct Resolver {
    user_categories: [HashMap<String, Category>; 2],
    mappings: [HashMap<String, Resolved>; 2],
    labels: Vec<Label>,
    by_raw: [HashMap<String, u32>; 2],
    by_key: [HashMap<String, u32>; 2],
    defaults: [Option<u32>; 2],
    /// Labels of unknown names made so far (mapped or not).
    unknown: usize,
    /// The label shared by unmapped unknown names past the limit, per kind.
    overflow: [Option<u32>; 2],
    /// Those names, as hashes of (kind, key): counted, not kept.
    overflow_names: HashSet<u64>,
    /// Labels of categories given by rules or learned (at most one per category).
    by_category: HashMap<Id, u32>,
}

/// What a resolver leaves for the plan and the commit.
#[derive(Default)]
pub(crate) struct Resolution {
    pub labels: Vec<Label>,
    /// Distinct unmapped unknown names past the limit (not in `labels`).
    pub overflow: u64,
}

impl Resolver {
    /// Over the user's categories and the mappings (checked here: `NotFound` for a
    /// target that is not the user's, `Validation { field: "categories" }` for one of the wrong kind).
    pub(crate) fn new(categories: Vec<Category>, mappings: &[CategoryMapping]) -> Result<Resolver> {
        let by_id: HashMap<Id, Category> = categories.iter().map(|c| (c.id, c.clone())).collect();
        let mut user_categories: [HashMap<String, Category>; 2] = Default::default();
        for c in categories {
            user_categories[kind_index(c.kind)].insert(name_key(&c.name), c);
        }
        let mut by_name: [HashMap<String, Resolved>; 2] = Default::default();
        for m in mappings {
            let resolved = match &m.target {
                CategoryTarget::Existing(id) => match by_id.get(id) {
                    Some(c) if c.kind == m.kind => Resolved::Existing(c.clone()),
                    // Another user's id is indistinguishable from a missing one.
                    None => return Err(Error::NotFound { what: "category" }),
                    Some(_) => {
                        return Err(Error::validation(
                            "categories",
                            format!(
                                "the category chosen for \"{}\" is not one of your {} categories",
                                m.csv_name.trim(),
                                m.kind
                            ),
                        ));
                    }
                },
                CategoryTarget::Create { name, kind } if *kind == m.kind => {
                    match user_categories[kind_index(*kind)].get(&name.key()) {
                        Some(c) => Resolved::Existing(c.clone()),
                        None => Resolved::Create(name.clone()),
                    }
                }
                CategoryTarget::Create { .. } => {
                    return Err(Error::validation(
                        "categories",
                        format!(
                            "a new category for \"{}\" must be an {} category",
                            m.csv_name.trim(),
                            m.kind
                        ),
                    ));
                }
            };
            by_name[kind_index(m.kind)].insert(name_key(&m.csv_name), resolved);
        }
        Ok(Resolver {
            user_categories,
            mappings: by_name,
            labels: Vec::new(),
            by_raw: Default::default(),
            by_key: Default::default(),
            defaults: [None, None],
            unknown: 0,
            overflow: [None, None],
            overflow_names: HashSet::new(),
            by_category: HashMap::new(),
        })
    }

    /// The labels, and the count of unknown names that got none.
    pub(crate) fn finish(self) -> Resolution {
        Resolution {
            labels: self.labels,
            overflow: self.overflow_names.len() as u64,
        }
    }

    /// Whether the category cell `raw` (not blank) names one of the user's
    /// categories of `kind`, or one mapped for that kind (what
    /// [`crate::rules::money_in_kind`] asks of a money-in row).
    pub(crate) fn known(&self, kind: CategoryKind, raw: &str) -> bool {
        let k = kind_index(kind);
        if self.by_raw[k]
            .get(raw.trim())
            .is_some_and(|&i| !matches!(self.labels[i as usize].resolved, Resolved::Unmapped))
        {
            return true;
        }
        let key = name_key(raw);
        self.user_categories[k].contains_key(&key) || self.mappings[k].contains_key(&key)
    }

    /// The label of a row's category cell (`None` or blank = the default category of the kind).
    pub(crate) fn label(&mut self, kind: CategoryKind, cell: Option<&str>) -> u32 {
        let k = kind_index(kind);
        let Some(raw) = cell.map(str::trim).filter(|s| !s.is_empty()) else {
            if let Some(i) = self.defaults[k] {
                return i;
            }
            let name = match kind {
                CategoryKind::Expense => DEFAULT_EXPENSE,
                CategoryKind::Income => DEFAULT_INCOME,
            };
            let resolved = match self.user_categories[k].get(&name_key(name)) {
                Some(c) => Resolved::Existing(c.clone()),
                None => Resolved::Create(
                    CategoryName::parse("name", name).unwrap_or_else(|_| unreachable!()),
                ),
            };
            let i = self.push(Label {
                kind,
                csv_name: None,
                unknown: false,
                resolved,
            });
            self.defaults[k] = Some(i);
            return i;
        };
        if let Some(&i) = self.by_raw[k].get(raw) {
            return i;
        }
        let key = name_key(raw);
        let i = match self.by_key[k].get(&key) {
            Some(&i) => i,
            None => {
                let (unknown, resolved) = match self.user_categories[k].get(&key) {
                    Some(c) => (false, Resolved::Existing(c.clone())),
                    None => (
                        true,
                        self.mappings[k]
                            .get(&key)
                            .cloned()
                            .unwrap_or(Resolved::Unmapped),
                    ),
                };
                if unknown
                    && matches!(resolved, Resolved::Unmapped)
                    && self.unknown >= MAX_UNKNOWN_CATEGORIES
                {
                    return self.overflow_label(kind, &key);
                }
                self.unknown += usize::from(unknown);
                let i = self.push(Label {
                    kind,
                    csv_name: Some(raw.to_string()),
                    unknown,
                    resolved,
                });
                self.by_key[k].insert(key, i);
                i
            }
        };
        if self.by_raw[k].len() < RAW_SPELLINGS {
            self.by_raw[k].insert(raw.to_string(), i);
        }
        i
    }

    /// The label of one of the user's categories, given by a rule or
    /// learned from a description (not a CSV name: no unknown name, no
    /// mapping), once per category.
    pub(crate) fn category_label(&mut self, category: &Category) -> u32 {
        if let Some(&i) = self.by_category.get(&category.id) {
            return i;
        }
        let i = self.push(Label {
            kind: category.kind,
            csv_name: None,
            unknown: false,
            resolved: Resolved::Existing(category.clone()),
        });
        self.by_category.insert(category.id, i);
        i
    }

    /// The shared label of unmapped unknown names past the limit; `key` is counted.
    fn overflow_label(&mut self, kind: CategoryKind, key: &str) -> u32 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (kind_index(kind), key).hash(&mut h);
        self.overflow_names.insert(h.finish());
        let k = kind_index(kind);
        if let Some(i) = self.overflow[k] {
            return i;
        }
        let i = self.push(Label {
            kind,
            csv_name: None,
            unknown: false,
            resolved: Resolved::Unmapped,
        });
        self.overflow[k] = Some(i);
        i
    }

    fn push(&mut self, label: Label) -> u32 {
        self.labels.push(label);
        (self.labels.len() - 1) as u32
    }
}
