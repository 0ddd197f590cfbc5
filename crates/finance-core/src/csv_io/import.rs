//! An import's two steps over checked rows (`rows.rs`): a plan streams the
//! file in chunks and keeps only counts, the first rows and a fingerprint per
//! row; a commit reads every row and turns those same rows into the batch
//! the store writes. Duplicates are flagged by a 128-bit fingerprint of
//! (date, amount, kind, lower-cased description).
//!
//! Invariants: a row repeating a stored transaction or an earlier row is a
//! duplicate (the same in a plan and a commit); a plan's memory per row is
//! one fingerprint; a commit keeps each accepted row once (at most
//! [`super::MAX_IMPORT_ROWS`]) and makes no second copy to write them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::read::Text;
use super::resolve::{Resolved, Resolver};
use super::rows::{Mark, Parsed, Parser, grouped};
use super::{ImportPlan, ImportSettings, MAX_UNKNOWN_CATEGORIES, PlannedRow, SAMPLE_ROWS};
use crate::domain::{Category, CategoryKind, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::store::{TransactionKey, duplicate_digest};

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
            kind: t.kind,
            description: t.description.clone(),
        })
        .collect()
}

/// Fingerprints of stored transactions and of the rows seen so far.
#[derive(Default)]
pub(crate) struct Seen(HashSet<u128>);

impl Seen {
    /// Add stored keys (a key seen before adds nothing).
    pub(crate) fn add_stored(&mut self, keys: Vec<TransactionKey>) {
        self.0.extend(
            keys.into_iter()
                .map(|k| fingerprint(k.date, k.amount, k.kind, &k.description)),
        );
    }

    /// Whether `t` repeats something seen (then it is a duplicate); remembers it.
    fn repeats(&mut self, t: &Transaction) -> bool {
        !self.0.insert(fingerprint(
            t.date,
            t.amount.minor(),
            t.kind,
            &t.description,
        ))
    }
}

/// A plan in the making, fed chunk by chunk: counts, fingerprints and the first rows.
#[derive(Default)]
pub(crate) struct Planner {
    seen: Seen,
    ready: u64,
    duplicates: u64,
    sample: Vec<(Transaction, Mark)>,
}

impl Planner {
    /// Stored keys that may repeat the next rows (add them before those rows).
    pub(crate) fn add_stored(&mut self, keys: Vec<TransactionKey>) {
        self.seen.add_stored(keys);
    }

    /// Flag and count a chunk of checked rows (emptied); keep the first few.
    pub(crate) fn add_rows(&mut self, rows: &mut Vec<Transaction>, marks: &mut Vec<Mark>) {
        self.seen.0.reserve(rows.len());
        for (t, mut m) in rows.drain(..).zip(marks.drain(..)) {
            m.duplicate = self.seen.repeats(&t);
            self.ready += 1;
            self.duplicates += u64::from(m.duplicate);
            if self.sample.len() < SAMPLE_ROWS {
                self.sample.push((t, m));
            }
        }
    }

    /// The plan of a finished pass.
    pub(crate) fn finish(self, parsed: Parsed) -> ImportPlan {
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
                    kind: t.kind,
                    category: labels[m.label as usize].display().to_string(),
                    description: t.description,
                    note: t.note,
                    duplicate: m.duplicate,
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
        }
    }
}

/// The plan of `text` without a store (nothing is a duplicate of a stored row).
pub(crate) fn plan_file(
    text: Text<'_>,
    settings: &ImportSettings,
    currency: Currency,
    resolver: Resolver,
) -> Result<ImportPlan> {
    let mut parser = Parser::new(text, settings, currency, resolver);
    let mut planner = Planner::default();
    let (mut rows, mut marks) = (Vec::new(), Vec::new());
    loop {
        let more = parser.read(CHUNK_ROWS, &mut rows, &mut marks)?;
        planner.add_rows(&mut rows, &mut marks);
        if !more {
            return Ok(planner.finish(parser.finish()));
        }
    }
}

/// A whole file checked for a commit: every accepted row.
pub(crate) struct Prepared {
    /// Every accepted row as it will be stored, but for its id, user,
    /// category and times (set by [`Prepared::into_batch`]).
    rows: Vec<Transaction>,
    /// One per row.
    marks: Vec<Mark>,
    parsed: Parsed,
}

/// The rows and categories to write.
pub(crate) struct Batch {
    pub categories: Vec<Category>,
    pub transactions: Vec<Transaction>,
    pub skipped: u64,
}

impl Prepared {
    /// Read and check every row of the parser's file.
    pub(crate) fn read(mut parser: Parser<'_>) -> Result<Prepared> {
        let (mut rows, mut marks) = (Vec::new(), Vec::new());
        parser.read_all(&mut rows, &mut marks)?;
        Ok(Prepared {
            rows,
            marks,
            parsed: parser.finish(),
        })
    }

    /// The rows, `size` at a time (for duplicate look-ups in bounded calls).
    pub(crate) fn chunks(&self, size: usize) -> std::slice::Chunks<'_, Transaction> {
        self.rows.chunks(size.max(1))
    }

    /// Flag rows that repeat a stored transaction (`seen`) or an earlier row.
    pub(crate) fn flag_duplicates(&mut self, mut seen: Seen) {
        seen.0.reserve(self.rows.len());
        for (t, m) in self.rows.iter().zip(&mut self.marks) {
            m.duplicate = seen.repeats(t);
        }
    }

    /// Refused while rows have errors or categories are unmapped.
    fn check_committable(&self) -> Result<()> {
        if self.parsed.error_count > 0 {
            let n = self.parsed.error_count;
            return Err(Error::validation(
                "file",
                format!(
                    "{} row{} cannot be imported; nothing was imported",
                    grouped(n),
                    if n == 1 { "" } else { "s" }
                ),
            ));
        }
        let unmapped: Vec<String> = self
            .parsed
            .resolution
            .labels
            .iter()
            .filter(|l| matches!(l.resolved, Resolved::Unmapped))
            .filter_map(|l| l.csv_name.as_ref().map(|n| format!("\"{n}\" ({})", l.kind)))
            .collect();
        let more =
            unmapped.len().saturating_sub(NAMED_UNMAPPED) as u64 + self.parsed.resolution.overflow;
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

    /// The categories to create and the transactions to insert (the checked
    /// rows themselves, given their ids, category and times); refused while
    /// rows have errors or categories are unmapped.
    pub(crate) fn into_batch(
        self,
        user: Id,
        skip_duplicates: bool,
        now: DateTime<Utc>,
    ) -> Result<Batch> {
        self.check_committable()?;
        let labels = &self.parsed.resolution.labels;
        // Category of each label; new categories are made once per (kind, name) and only when used.
        let mut used = vec![false; labels.len()];
        for m in &self.marks {
            if !(skip_duplicates && m.duplicate) {
                used[m.label as usize] = true;
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
        let mut skipped = 0;
        let mut marks = self.marks.iter();
        let mut transactions = self.rows;
        // In place: the rows become the transactions, without a second copy.
        transactions.retain_mut(|t| {
            let Some(m) = marks.next() else { return false };
            if skip_duplicates && m.duplicate {
                skipped += 1;
                return false;
            }
            let Some(category_id) = label_category[m.label as usize] else {
                return false;
            };
            t.id = Id::generate();
            t.user_id = user;
            t.category_id = category_id;
            t.created_at = now;
            t.updated_at = now;
            true
        });
        Ok(Batch {
            categories,
            transactions,
            skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::read::decode;
    use crate::csv_io::testing::{categories, settings};
    use crate::csv_io::{CategoryMapping, CategoryTarget, MAX_LINE_ERRORS};
    use crate::domain::CategoryName;

    fn prepare(text: &str, s: &ImportSettings, m: &[CategoryMapping]) -> Result<Prepared> {
        let r = Resolver::new(categories(), m).unwrap();
        let parser = Parser::new(decode(text.as_bytes())?, s, Currency::EUR, r);
        let mut p = Prepared::read(parser)?;
        p.flag_duplicates(Seen::default());
        Ok(p)
    }

    fn plan(text: &str, s: &ImportSettings) -> ImportPlan {
        let r = Resolver::new(categories(), &[]).unwrap();
        plan_file(decode(text.as_bytes()).unwrap(), s, Currency::EUR, r).unwrap()
    }

    #[test]
    fn rows_resolve_categories_and_flag_in_file_duplicates() {
        let text = "date,amount,description,category\n\
                    2024-01-31,-12.50,Coffee,groceries\n\
                    2024-02-01,2000,Pay,\n\
                    2024-02-01,-3,Snack,Sweets\n\
                    2024-01-31,-12.5, COFFEE ,Groceries\n";
        let p = plan(text, &settings());
        assert_eq!((p.total, p.sample.len(), p.errors.len()), (4, 4, 0));
        assert_eq!(p.sample[0].category, "Groceries");
        assert_eq!(p.sample[0].kind, CategoryKind::Expense);
        assert_eq!(p.sample[1].category, "Other income");
        assert_eq!(p.sample[1].kind, CategoryKind::Income);
        assert_eq!(
            p.unknown_categories,
            vec![("Sweets".to_string(), CategoryKind::Expense)]
        );
        assert!(p.sample[3].duplicate && !p.sample[0].duplicate);
        assert_eq!(p.duplicates, 1);
        assert_eq!(p.sample[3].line, 5);
    }

    #[test]
    fn errors_unknown_categories_and_samples_are_bounded_and_counted() {
        let mut text = String::from("date,amount,description,category\n");
        for i in 0..1000 {
            text.push_str(&format!("2024-01-01,-1,Row {i},New {i}\n"));
        }
        text.push_str(&"x\n".repeat(5000));
        let p = plan(&text, &settings());
        assert_eq!((p.total, p.ready), (6000, 1000));
        assert_eq!((p.error_count, p.errors.len()), (5000, MAX_LINE_ERRORS));
        assert_eq!(p.errors[0].line, 1002, "the first errors are kept");
        assert_eq!(p.sample.len(), SAMPLE_ROWS);
        assert_eq!(p.unknown_categories.len(), MAX_UNKNOWN_CATEGORIES);
        assert_eq!(p.unknown_categories[0].0, "New 0");
        assert_eq!(p.unknown_category_count, 1000);

        // Mapping every listed name still leaves 800 unmapped: refused, and the message stays short.
        let create = |i: usize| CategoryMapping {
            csv_name: format!("New {i}"),
            kind: CategoryKind::Expense,
            target: CategoryTarget::Create {
                name: CategoryName::parse("name", &format!("New {i}")).unwrap(),
                kind: CategoryKind::Expense,
            },
        };
        let text: String = text.lines().take(1001).map(|l| format!("{l}\n")).collect();
        let some: Vec<CategoryMapping> = (0..MAX_UNKNOWN_CATEGORIES).map(create).collect();
        let p = prepare(&text, &settings(), &some).unwrap();
        let e = p
            .into_batch(Id::generate(), true, Utc::now())
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("categories"));
        assert!(
            e.to_string()
                .ends_with("800 more categories; nothing was imported"),
            "{e}"
        );
        assert!(e.to_string().len() < 200, "{e}");
        // Mapped, every name gets its category, whatever the limit of the list.
        let all: Vec<CategoryMapping> = (0..1000).map(create).collect();
        let p = prepare(&text, &settings(), &all).unwrap();
        let r = Resolver::new(categories(), &all).unwrap();
        let decoded = decode(text.as_bytes()).unwrap();
        let plan = plan_file(decoded, &settings(), Currency::EUR, r).unwrap();
        assert_eq!(plan.unknown_category_count, 1000);
        let batch = p.into_batch(Id::generate(), true, Utc::now()).unwrap();
        assert_eq!(
            (batch.transactions.len(), batch.categories.len()),
            (1000, 1000)
        );
    }

    #[test]
    fn a_commit_reuses_the_checked_rows_in_place() {
        let text = "date,amount,description,category\n\
                    2024-01-01,-1,A,\n2024-01-01,-1,a,\n2024-01-02,5,Pay,\n";
        let user = Id::generate();
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(1);
        let p = prepare(text, &settings(), &[]).unwrap();
        let before = p.rows.as_ptr();
        let batch = p.into_batch(user, true, now).unwrap();
        assert_eq!(
            batch.transactions.as_ptr(),
            before,
            "no second copy of the rows"
        );
        assert_eq!(batch.skipped, 1);
        let got: Vec<(&str, CategoryKind)> = batch
            .transactions
            .iter()
            .map(|t| (t.description.as_str(), t.kind))
            .collect();
        assert_eq!(
            got,
            [("A", CategoryKind::Expense), ("Pay", CategoryKind::Income)]
        );
        assert!(
            batch.transactions.iter().all(|t| t.user_id == user
                && t.created_at == now
                && t.id != Id::from_bytes([0; 12]))
        );
    }

    #[test]
    fn a_plan_in_chunks_flags_what_a_commit_flags() {
        let mut text = String::from("date,amount,description,category\n");
        for i in 0..(CHUNK_ROWS + 10) {
            // Rows near the end repeat rows of the first chunk: across the chunk border.
            let n = if i >= CHUNK_ROWS + 5 {
                i - CHUNK_ROWS
            } else {
                i
            };
            text.push_str(&format!("2024-01-01,-1,Row {n},\n"));
        }
        let p = plan(&text, &settings());
        let prepared = prepare(&text, &settings(), &[]).unwrap();
        let flagged = prepared.marks.iter().filter(|m| m.duplicate).count() as u64;
        assert_eq!(p.ready, CHUNK_ROWS as u64 + 10);
        assert_eq!(
            (p.duplicates, flagged),
            (5, 5),
            "the plan and the commit agree"
        );
    }
}
