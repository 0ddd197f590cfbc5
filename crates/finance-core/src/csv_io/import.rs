//! An import's two steps over checked rows (`rows.rs`). Both stream the
//! file in chunks through one [`Planner`]: a plan keeps only counts, the
//! first rows and a fingerprint per row; a commit keeps a [`Mark`] per row
//! too, then reads the file a second time as the store writes
//! ([`CommitRows`]), turning each chunk of checked rows into transactions.
//! The rows come from a [`RowSource`]: a CSV file's records or a bank
//! statement's entries, checked into the same rows by the same [`Parser`].
//! Duplicates are flagged by a 128-bit fingerprint of (date, amount, kind,
//! lower-cased description), and for a row with a bank id by a fingerprint
//! of (account, bank id):
//!
//! * a row without a bank id repeats any stored or earlier row with its
//!   fields;
//! * a row with a bank id repeats a stored or earlier row of its account
//!   with that bank id (whatever its date, amount or description), or a
//!   stored or earlier row *without* a bank id with its fields (a line typed
//!   in or imported from CSV before); two rows that both have bank ids are
//!   the same only when the ids are.
//!
//! Invariants: a row repeating a stored transaction or an earlier row is a
//! duplicate (the same in a plan and a commit: one code path flags both); a
//! plan's memory per row is at most three fingerprints, a commit's those and
//! one mark: neither holds the rows (at most [`super::MAX_IMPORT_ROWS`]), only
//! a chunk of them; the second read of a commit yields the rows the first
//! checked (the parse is deterministic; a mismatch is `Internal`, and the
//! store then writes nothing).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::CategoryMapping;
use super::accounts::ImportAccounts;
use super::autocat::{AutoCategories, rewrite};
use super::read::Text;
use super::resolve::{Resolved, Resolver};
use super::rows::{Mark, Parsed, Parser, RowSource, grouped};
use super::{
    CommitChoices, ImportPlan, ImportSettings, MAX_UNKNOWN_CATEGORIES, PlannedRow, SAMPLE_ROWS,
};
use crate::domain::{Category, CategoryKind, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::rules;
use crate::store::{ImportRows, RowChunks, TransactionKey, duplicate_digest};

/// What a plan shows in a transfer leg's category column.
const TRANSFER_LABEL: &str = "Transfer";

/// Unmapped category names a refused commit names (the rest are counted).
const NAMED_UNMAPPED: usize = 10;

/// Rows checked between two duplicate look-ups of a plan (store-free plans
/// read in chunks of this size too).
pub(crate) const CHUNK_ROWS: usize = 20_000;

/// The duplicate fingerprint of a transaction (128 bits of the digest whose
/// first 64 are MongoDB's stored [`crate::store::duplicate_key`]).
fn fingerprint(date: NaiveDate, amount: i64, kind: CategoryKind, description: &str) -> u128 {
    let digest = duplicate_digest(date, amount, kind, description);
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

/// The duplicate-detection fields of `rows`, for the store's look-up.
pub(crate) fn probes(rows: &[Transaction]) -> Vec<TransactionKey> {
    rows.iter()
        .map(|t| TransactionKey {
            date: t.date,
            amount: t.amount.minor(),
            kind: t.kind.direction(),
            description: t.description.clone(),
            banked: t.bank_id.is_some(),
        })
        .collect()
}

/// The fingerprint of a bank id in an account.
fn bank_fingerprint(account: Id, bank_id: &str) -> u128 {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(account.bytes());
    h.update(bank_id.as_bytes());
    let digest: [u8; 32] = h.finalize().into();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    u128::from_le_bytes(first)
}

/// The bank ids of `rows`, by account, for the store's look-up.
pub(crate) fn bank_probes(rows: &[Transaction]) -> HashMap<Id, Vec<String>> {
    let mut by_account: HashMap<Id, Vec<String>> = HashMap::new();
    for t in rows {
        if let Some(id) = &t.bank_id {
            by_account.entry(t.account_id).or_default().push(id.clone());
        }
    }
    by_account
}

/// How a row repeats something seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repeat {
    No,
    /// By its date, amount, kind and description.
    Fields,
    /// By its bank id.
    BankId,
}

/// Fingerprints of stored transactions and of the rows seen so far: the
/// fields of all of them, the fields of those without a bank id, and the
/// (account, bank id) of those with one (see the module docs).
#[derive(Default)]
pub(crate) struct Seen {
    fields: HashSet<u128>,
    unbanked: HashSet<u128>,
    bank_ids: HashSet<u128>,
}

impl Seen {
    /// Add stored keys (a key seen before adds nothing).
    pub(crate) fn add_stored(&mut self, keys: Vec<TransactionKey>) {
        for k in keys {
            let f = fingerprint(k.date, k.amount, k.kind, &k.description);
            self.fields.insert(f);
            if !k.banked {
                self.unbanked.insert(f);
            }
        }
    }

    /// Add bank ids the store holds in `account`.
    pub(crate) fn add_stored_bank_ids(&mut self, account: Id, ids: Vec<String>) {
        self.bank_ids
            .extend(ids.iter().map(|id| bank_fingerprint(account, id)));
    }

    /// Whether (and how) `t` repeats something seen; remembers it.
    fn repeats(&mut self, t: &Transaction) -> Repeat {
        let f = fingerprint(t.date, t.amount.minor(), t.kind.direction(), &t.description);
        match &t.bank_id {
            Some(id) => {
                let fresh = self.bank_ids.insert(bank_fingerprint(t.account_id, id));
                self.fields.insert(f);
                if !fresh {
                    Repeat::BankId
                } else if self.unbanked.contains(&f) {
                    Repeat::Fields
                } else {
                    Repeat::No
                }
            }
            None => {
                self.unbanked.insert(f);
                if self.fields.insert(f) {
                    Repeat::No
                } else {
                    Repeat::Fields
                }
            }
        }
    }
}

/// A plan or commit in the making, fed chunk by chunk: counts, fingerprints
/// and the first rows; for a commit ([`Planner::keeping_marks`]) one
/// [`Mark`] per row as well.
#[derive(Default)]
pub(crate) struct Planner {
    seen: Seen,
    ready: u64,
    duplicates: u64,
    sample: Vec<(Transaction, Mark)>,
    /// Every row's mark, in order, when kept.
    marks: Option<Vec<Mark>>,
    /// The account and day whose balance after the import is asked
    /// ([`Planner::tracking_balance`]).
    through: Option<(Id, NaiveDate)>,
    /// The balance effect of the rows not flagged as duplicates, of that
    /// account, dated up to that day.
    effect_through: i128,
}

impl Planner {
    /// A planner for a commit: it keeps each row's mark.
    pub(crate) fn keeping_marks() -> Planner {
        Planner {
            marks: Some(Vec::new()),
            ..Planner::default()
        }
    }

    /// Sum the balance effect of the rows (not duplicates) of `account`
    /// dated up to `date`, for a statement's ending balance.
    pub(crate) fn tracking_balance(mut self, account: Id, date: NaiveDate) -> Planner {
        self.through = Some((account, date));
        self
    }

    /// The sum [`Planner::tracking_balance`] asked for (0 when not asked).
    pub(crate) fn effect_through(&self) -> i128 {
        self.effect_through
    }

    /// Stored keys that may repeat the next rows (add them before those rows).
    pub(crate) fn add_stored(&mut self, keys: Vec<TransactionKey>) {
        self.seen.add_stored(keys);
    }

    /// Bank ids `account` holds that may repeat the next rows' (add them before those rows).
    pub(crate) fn add_stored_bank_ids(&mut self, account: Id, ids: Vec<String>) {
        self.seen.add_stored_bank_ids(account, ids);
    }

    /// Flag and count a chunk of checked rows (emptied); keep the first few.
    /// A transfer's two legs (next to each other, `legs.rs`) are one
    /// duplicate or none: either repeating something makes both duplicates.
    pub(crate) fn add_rows(&mut self, rows: &mut Vec<Transaction>, marks: &mut Vec<Mark>) {
        self.seen.fields.reserve(rows.len());
        let mut duplicate = Vec::with_capacity(rows.len());
        let mut i = 0;
        while i < rows.len() {
            let leg = rows[i].transfer_id;
            if leg.is_some() && rows.get(i + 1).is_some_and(|t| t.transfer_id == leg) {
                // Legs come from CSV only: they have no bank id.
                let (a, b) = (self.seen.repeats(&rows[i]), self.seen.repeats(&rows[i + 1]));
                let either = if a != Repeat::No { a } else { b };
                duplicate.extend([either, either]);
                i += 2;
            } else {
                duplicate.push(self.seen.repeats(&rows[i]));
                i += 1;
            }
        }
        for ((t, mut m), dup) in rows.drain(..).zip(marks.drain(..)).zip(duplicate) {
            m.duplicate = dup != Repeat::No;
            m.bank_duplicate = dup == Repeat::BankId;
            if let Some((account, through)) = self.through
                && !m.duplicate
                && t.account_id == account
                && t.date <= through
            {
                self.effect_through += i128::from(rules::balance_effect(t.kind, t.amount.minor()));
            }
            self.ready += 1;
            self.duplicates += u64::from(m.duplicate);
            if let Some(kept) = &mut self.marks {
                kept.push(m);
            }
            if self.sample.len() < SAMPLE_ROWS {
                self.sample.push((t, m));
            }
        }
    }

    /// The plan of a finished pass (`auto`: the rules its rows were matched against).
    pub(crate) fn finish(self, parsed: Parsed, auto: &AutoCategories) -> ImportPlan {
        let labels = &parsed.resolution.labels;
        let unknown: Vec<_> = labels.iter().filter(|l| l.unknown).collect();
        ImportPlan {
            total: parsed.total,
            ready: self.ready,
            sample: self
                .sample
                .into_iter()
                .zip(&parsed.sample_lines)
                .map(|((t, m), &line)| PlannedRow {
                    line,
                    date: t.date,
                    amount: t.amount,
                    kind: t.kind.direction(),
                    refund: t.amount.is_negative(),
                    account: parsed.accounts.name(t.account_id).to_string(),
                    category: m
                        .label
                        .map_or(TRANSFER_LABEL, |l| labels[l as usize].display())
                        .to_string(),
                    description: t.description,
                    note: t.note,
                    duplicate: m.duplicate,
                    rule: m
                        .rule
                        .and_then(|i| auto.rule(i))
                        .map(|r| (r.id, r.name.clone())),
                    learned: m.learned,
                })
                .collect(),
            error_count: parsed.error_count,
            errors: parsed.errors,
            duplicates: self.duplicates,
            unknown_categories: unknown
                .iter()
                .take(MAX_UNKNOWN_CATEGORIES)
                .filter_map(|l| l.csv_name.clone().map(|n| (n, l.kind)))
                .collect(),
            unknown_category_count: unknown.len() as u64 + parsed.resolution.overflow,
            statement: None,
        }
    }
}

/// The plan of `text` without a store (nothing is a duplicate of a stored row).
pub(crate) fn plan_file(
    text: Text<'_>,
    settings: &ImportSettings,
    currency: Currency,
    resolver: Resolver,
    accounts: ImportAccounts,
) -> Result<ImportPlan> {
    let mut parser = Parser::new(text, settings, currency, resolver, accounts);
    let mut planner = Planner::default();
    let (mut rows, mut marks) = (Vec::new(), Vec::new());
    loop {
        let more = parser.read(CHUNK_ROWS, &mut rows, &mut marks)?;
        planner.add_rows(&mut rows, &mut marks);
        if !more {
            return Ok(planner.finish(parser.finish(), &AutoCategories::default()));
        }
    }
}

/// Refused while rows have errors (unless they are to be skipped) or
/// categories are unmapped.
fn check_committable(parsed: &Parsed, skip_errors: bool) -> Result<()> {
    if parsed.error_count > 0 && !skip_errors {
        let n = parsed.error_count;
        return Err(Error::validation(
            "file",
            format!(
                "{} row{} cannot be imported; nothing was imported",
                grouped(n),
                if n == 1 { "" } else { "s" }
            ),
        ));
    }
    let unmapped: Vec<String> = parsed
        .resolution
        .labels
        .iter()
        .filter(|l| matches!(l.resolved, Resolved::Unmapped))
        .filter_map(|l| l.csv_name.as_ref().map(|n| format!("\"{n}\" ({})", l.kind)))
        .collect();
    let more = unmapped.len().saturating_sub(NAMED_UNMAPPED) as u64 + parsed.resolution.overflow;
    if unmapped.is_empty() && more == 0 {
        return Ok(());
    }
    let mut names = unmapped[..unmapped.len().min(NAMED_UNMAPPED)].join(", ");
    if more > 0 {
        if !names.is_empty() {
            names.push_str(" and ");
        }
        names.push_str(&format!(
            "{} more categor{}",
            grouped(more),
            if more == 1 { "y" } else { "ies" }
        ));
    }
    Err(Error::validation(
        "categories",
        format!("choose or create a category for {names}; nothing was imported"),
    ))
}

/// What a commit writes, decided from its first pass: the categories to
/// create, how many rows, and for each row whether and where it goes.
pub(crate) struct Write {
    pub categories: Vec<Category>,
    /// Rows to insert.
    pub imported: u64,
    /// Duplicates left out.
    pub skipped: u64,
    /// Rows with errors left out.
    pub skipped_errors: u64,
    /// Every row's mark (the first pass's), in order.
    marks: Vec<Mark>,
    /// The category of each label used by a written row.
    label_category: Vec<Option<Id>>,
    skip_duplicates: bool,
    user: Id,
    now: DateTime<Utc>,
}

/// Where a commit puts a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Not written (a duplicate left out).
    Skip,
    /// Written in this category.
    Category(Id),
    /// Written as a transfer's leg (no category).
    Leg,
}

impl Write {
    /// Where a row with this mark goes.
    fn target(&self, m: &Mark) -> Target {
        if self.skip_duplicates && m.duplicate {
            return Target::Skip;
        }
        match m.label {
            None => Target::Leg,
            Some(l) => self.label_category[l as usize].map_or(Target::Skip, Target::Category),
        }
    }
}

impl Planner {
    /// What a commit writes after this (finished, [`Planner::keeping_marks`])
    /// pass; refused while rows have errors (unless `choices` skips them:
    /// a row with an error has no mark and is never written) or categories
    /// are unmapped. New categories are made once per (kind, name) and only
    /// when a written row uses them.
    pub(crate) fn into_write(
        self,
        parsed: Parsed,
        user: Id,
        choices: CommitChoices,
        now: DateTime<Utc>,
    ) -> Result<Write> {
        check_committable(&parsed, choices.skip_errors)?;
        let skip_duplicates = choices.skip_duplicates;
        let skipped_errors = if choices.skip_errors {
            parsed.error_count
        } else {
            0
        };
        let marks = self
            .marks
            .ok_or_else(|| Error::internal("import", "a commit pass must keep its marks"))?;
        let labels = &parsed.resolution.labels;
        let mut used = vec![false; labels.len()];
        for m in &marks {
            if let Some(l) = m.label
                && !(skip_duplicates && m.duplicate)
            {
                used[l as usize] = true;
            }
        }
        let mut created: HashMap<(CategoryKind, String), Id> = HashMap::new();
        let mut categories = Vec::new();
        let mut label_category: Vec<Option<Id>> = vec![None; labels.len()];
        for (i, label) in labels.iter().enumerate() {
            if !used[i] {
                continue;
            }
            label_category[i] = Some(match &label.resolved {
                Resolved::Existing(c) => c.id,
                Resolved::Create(name) => {
                    *created.entry((label.kind, name.key())).or_insert_with(|| {
                        let c = Category {
                            id: Id::generate(),
                            user_id: user,
                            name: name.as_str().to_string(),
                            kind: label.kind,
                            created_at: now,
                        };
                        let id = c.id;
                        categories.push(c);
                        id
                    })
                }
                Resolved::Unmapped => continue,
            });
        }
        let mut write = Write {
            categories,
            imported: 0,
            skipped: 0,
            skipped_errors,
            marks,
            label_category,
            skip_duplicates,
            user,
            now,
        };
        for m in &write.marks {
            if skip_duplicates && m.duplicate {
                write.skipped += 1;
            } else if write.target(m) != Target::Skip {
                write.imported += 1;
            }
        }
        Ok(write)
    }
}

/// The rows a commit writes, read from the file again chunk by chunk (an
/// [`ImportRows`] for the store): the same parse as the first pass, with the
/// same categories, mappings and accounts (so each row goes to the account
/// the first pass found), each row given its id, user, category and times as
/// the [`Write`] decided.
pub(crate) struct CommitRows<'a> {
    pub write: &'a Write,
    /// The rows the first pass read.
    pub source: RowSource<'a>,
    pub currency: Currency,
    /// The user's categories as the first pass resolved them.
    pub categories: Vec<Category>,
    pub mappings: &'a [CategoryMapping],
    /// The user's accounts as the first pass resolved them.
    pub accounts: &'a ImportAccounts,
    /// The rules the first pass matched rows against (marks index them).
    pub auto: &'a AutoCategories,
}

impl ImportRows for CommitRows<'_> {
    fn total(&self) -> u64 {
        self.write.imported
    }

    fn row_chunks(&self, size: usize) -> RowChunks<'_> {
        match Resolver::new(self.categories.clone(), self.mappings) {
            Ok(resolver) => Box::new(CommitChunks {
                parser: Parser::of(self.source, self.currency, resolver, self.accounts.clone()),
                write: self.write,
                auto: self.auto,
                next: 0,
                size: size.max(1),
                ended: false,
            }),
            Err(e) => Box::new(std::iter::once(Err(e))),
        }
    }
}

/// One read of a [`CommitRows`].
struct CommitChunks<'a> {
    parser: Parser<'a>,
    write: &'a Write,
    auto: &'a AutoCategories,
    /// The index of the next row's mark.
    next: usize,
    size: usize,
    ended: bool,
}

impl CommitChunks<'_> {
    fn changed() -> Error {
        Error::internal("import", "the file read differently the second time")
    }

    /// Up to `size` written rows; `Ok(None)` once the file has ended.
    fn read_chunk(&mut self) -> Result<Option<Vec<Transaction>>> {
        if self.ended {
            return Ok(None);
        }
        let mut out = Vec::with_capacity(self.size);
        let (mut rows, mut marks) = (Vec::new(), Vec::new());
        while out.len() < self.size && !self.ended {
            let more = self
                .parser
                .read(self.size - out.len(), &mut rows, &mut marks)?;
            for (mut t, again) in rows.drain(..).zip(marks.drain(..)) {
                let m = self.write.marks.get(self.next).ok_or_else(Self::changed)?;
                self.next += 1;
                if m.parsed != again.label {
                    return Err(Self::changed());
                }
                // The rule the first pass found rewrites the row the same way.
                if let Some(rule) = m.rule.and_then(|i| self.auto.rule(i)) {
                    rewrite(rule, &mut t);
                }
                // The parse set the row's account (the first pass's, as it is deterministic).
                t.category_id = match self.write.target(m) {
                    Target::Skip => continue,
                    Target::Category(id) => Some(id),
                    Target::Leg => None,
                };
                // A duplicate by bank id written anyway: the id stays with the first row.
                if m.bank_duplicate {
                    t.bank_id = None;
                }
                t.id = Id::generate();
                t.user_id = self.write.user;
                t.created_at = self.write.now;
                t.updated_at = self.write.now;
                out.push(t);
            }
            if !more {
                self.ended = true;
                if self.next != self.write.marks.len() {
                    return Err(Self::changed());
                }
            }
        }
        Ok((!out.is_empty()).then_some(out))
    }
}

impl Iterator for CommitChunks<'_> {
    type Item = Result<Vec<Transaction>>;

    fn next(&mut self) -> Option<Self::Item> {
        let chunk = self.read_chunk();
        if chunk.is_err() {
            self.ended = true;
        }
        chunk.transpose()
    }
}

#[cfg(test)]
#[path = "import_tests.rs"]
mod tests;
