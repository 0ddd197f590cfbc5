//! An import's two steps over checked rows (`rows.rs`). Both stream the
//! file in chunks through one [`Planner`]: a plan keeps only counts, the
//! first rows and a fingerprint per row; a commit keeps a [`Mark`] per row
//! too, then reads the file a second time as the store writes
//! ([`CommitRows`]), turning each chunk of checked rows into transactions.
//! Duplicates are flagged by a 128-bit fingerprint of (date, amount, kind,
//! lower-cased description).
//!
//! Invariants: a row repeating a stored transaction or an earlier row is a
//! duplicate (the same in a plan and a commit: one code path flags both); a
//! plan's memory per row is one fingerprint, a commit's one fingerprint and
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
use super::rows::{Mark, Parsed, Parser, grouped};
use super::{
    CommitChoices, ImportPlan, ImportSettings, MAX_UNKNOWN_CATEGORIES, PlannedRow, SAMPLE_ROWS,
};
use crate::domain::{Category, CategoryKind, Transaction};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
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
            t.kind.direction(),
            &t.description,
        ))
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
}

impl Planner {
    /// A planner for a commit: it keeps each row's mark.
    pub(crate) fn keeping_marks() -> Planner {
        Planner {
            marks: Some(Vec::new()),
            ..Planner::default()
        }
    }

    /// Stored keys that may repeat the next rows (add them before those rows).
    pub(crate) fn add_stored(&mut self, keys: Vec<TransactionKey>) {
        self.seen.add_stored(keys);
    }

    /// Flag and count a chunk of checked rows (emptied); keep the first few.
    /// A transfer's two legs (next to each other, `legs.rs`) are one
    /// duplicate or none: either repeating something makes both duplicates.
    pub(crate) fn add_rows(&mut self, rows: &mut Vec<Transaction>, marks: &mut Vec<Mark>) {
        self.seen.0.reserve(rows.len());
        let mut duplicate = Vec::with_capacity(rows.len());
        let mut i = 0;
        while i < rows.len() {
            let leg = rows[i].transfer_id;
            if leg.is_some() && rows.get(i + 1).is_some_and(|t| t.transfer_id == leg) {
                let (a, b) = (self.seen.repeats(&rows[i]), self.seen.repeats(&rows[i + 1]));
                duplicate.extend([a || b, a || b]);
                i += 2;
            } else {
                duplicate.push(self.seen.repeats(&rows[i]));
                i += 1;
            }
        }
        for ((t, mut m), dup) in rows.drain(..).zip(marks.drain(..)).zip(duplicate) {
            m.duplicate = dup;
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
    pub text: Text<'a>,
    pub settings: &'a ImportSettings,
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
                parser: Parser::new(
                    self.text,
                    self.settings,
                    self.currency,
                    resolver,
                    self.accounts.clone(),
                ),
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
mod tests {
    use super::*;
    use crate::csv_io::read::decode;
    use crate::csv_io::testing::{categories, import_accounts, settings};
    use crate::csv_io::{CategoryMapping, CategoryTarget, MAX_LINE_ERRORS};
    use crate::domain::CategoryName;

    /// The first pass of a commit (no stored rows), as the service runs it.
    fn prepare(text: &str, s: &ImportSettings, m: &[CategoryMapping]) -> Result<(Planner, Parsed)> {
        let r = Resolver::new(categories(), m).unwrap();
        let mut parser = Parser::new(
            decode(text.as_bytes())?,
            s,
            Currency::EUR,
            r,
            import_accounts(),
        );
        let mut planner = Planner::keeping_marks();
        let (mut rows, mut marks) = (Vec::new(), Vec::new());
        while parser.read(CHUNK_ROWS, &mut rows, &mut marks)? {
            planner.add_rows(&mut rows, &mut marks);
        }
        planner.add_rows(&mut rows, &mut marks);
        Ok((planner, parser.finish()))
    }

    /// What a commit of `text` decides and writes, read `size` rows at a time.
    fn commit(
        text: &str,
        s: &ImportSettings,
        m: &[CategoryMapping],
        skip_duplicates: bool,
        size: usize,
    ) -> Result<(Write, Vec<Vec<Transaction>>)> {
        let (planner, parsed) = prepare(text, s, m)?;
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(1);
        let write = planner.into_write(parsed, Id::generate(), skip_duplicates.into(), now)?;
        let rows = CommitRows {
            write: &write,
            text: decode(text.as_bytes())?,
            settings: s,
            currency: Currency::EUR,
            categories: categories(),
            mappings: m,
            accounts: &import_accounts(),
            auto: &AutoCategories::default(),
        };
        let chunks = rows.row_chunks(size).collect::<Result<Vec<_>>>()?;
        Ok((write, chunks))
    }

    fn plan(text: &str, s: &ImportSettings) -> ImportPlan {
        let r = Resolver::new(categories(), &[]).unwrap();
        plan_file(
            decode(text.as_bytes()).unwrap(),
            s,
            Currency::EUR,
            r,
            import_accounts(),
        )
        .unwrap()
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
        let e = commit(&text, &settings(), &some, true, 100).err().unwrap();
        assert_eq!(e.field(), Some("categories"));
        assert!(
            e.to_string()
                .ends_with("800 more categories; nothing was imported"),
            "{e}"
        );
        assert!(e.to_string().len() < 200, "{e}");
        // Mapped, every name gets its category, whatever the limit of the list.
        let all: Vec<CategoryMapping> = (0..1000).map(create).collect();
        let r = Resolver::new(categories(), &all).unwrap();
        let decoded = decode(text.as_bytes()).unwrap();
        let plan = plan_file(decoded, &settings(), Currency::EUR, r, import_accounts()).unwrap();
        assert_eq!(plan.unknown_category_count, 1000);
        let (write, chunks) = commit(&text, &settings(), &all, true, 300).unwrap();
        assert_eq!((write.imported, write.categories.len()), (1000, 1000));
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(
            sizes,
            [300, 300, 300, 100],
            "the rows come in chunks of at most 300"
        );
    }

    #[test]
    fn a_commit_reads_the_checked_rows_again_chunk_by_chunk() {
        let text = "date,amount,description,category\n\
                    2024-01-01,-1,A,\n2024-01-01,-1,a,\n2024-01-02,5,Pay,\n\
                    2024-01-03,-2,B,\n2024-01-03,-2,b,\n2024-01-04,-3,C,\n";
        let (write, chunks) = commit(text, &settings(), &[], true, 2).unwrap();
        assert_eq!((write.imported, write.skipped), (4, 2));
        let got: Vec<Vec<(&str, CategoryKind)>> = chunks
            .iter()
            .map(|c| {
                c.iter()
                    .map(|t| (t.description.as_str(), t.kind.direction()))
                    .collect()
            })
            .collect();
        assert_eq!(
            got,
            [
                vec![("A", CategoryKind::Expense), ("Pay", CategoryKind::Income)],
                vec![("B", CategoryKind::Expense), ("C", CategoryKind::Expense)],
            ],
            "skipped duplicates leave no gap: every chunk but the last is full"
        );
        let rows: Vec<&Transaction> = chunks.iter().flatten().collect();
        assert!(
            rows.iter().all(|t| t.user_id == write.user
                && t.created_at == write.now
                && t.id != Id::from_bytes([0; 12])),
            "each row is given its id, user and times"
        );
        let ids: HashSet<Id> = rows.iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), 4, "one fresh id per row");
        // Kept, the duplicates are written too.
        let (write, chunks) = commit(text, &settings(), &[], false, 4).unwrap();
        assert_eq!((write.imported, write.skipped), (6, 0));
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [4, 2]);
    }

    #[test]
    fn a_second_read_that_differs_from_the_first_is_refused() {
        let text = "date,amount,description,category\n2024-01-01,-1,A,\n2024-01-02,-2,B,\n";
        let (planner, parsed) = prepare(text, &settings(), &[]).unwrap();
        let write = planner
            .into_write(parsed, Id::generate(), true.into(), Utc::now())
            .unwrap();
        // The same file with one more row: the marks do not cover it.
        let longer = format!("{text}2024-01-03,-3,C,\n");
        let rows = CommitRows {
            write: &write,
            text: decode(longer.as_bytes()).unwrap(),
            settings: &settings(),
            currency: Currency::EUR,
            categories: categories(),
            mappings: &[],
            accounts: &import_accounts(),
            auto: &AutoCategories::default(),
        };
        let read: Vec<Result<Vec<Transaction>>> = rows.row_chunks(10).collect();
        assert_eq!(read.len(), 1, "the read stops at its error");
        assert!(
            matches!(&read[0], Err(Error::Internal)),
            "a changed file is an internal error, so the store writes nothing: {:?}",
            read[0].as_ref().map(Vec::len)
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
        let (planner, _) = prepare(&text, &settings(), &[]).unwrap();
        let marks = planner.marks.unwrap();
        let flagged = marks.iter().filter(|m| m.duplicate).count() as u64;
        assert_eq!(p.ready, CHUNK_ROWS as u64 + 10);
        assert_eq!(
            (p.duplicates, flagged),
            (5, 5),
            "the plan and the commit agree"
        );
    }
}
