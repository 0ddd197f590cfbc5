//! CSV operations of [`Finance`]: export the filtered transactions, plan an
//! import (a dry run), and commit it in one store transaction — at most once
//! per idempotency key. An import reads a CSV file or a bank statement file
//! ([`ImportSource`]); both take the same path from there. Parsing, sniffing
//! and row checks live in [`crate::csv_io`] and [`crate::bank`]; this file
//! only orchestrates them over the store.

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::bank::{self, ReadOptions, StatementFile};
use crate::csv_io::autocat::{self, AutoCategories};
use crate::csv_io::import::Planner;
use crate::csv_io::read::Text;
use crate::csv_io::rows::{Parsed, Parser, RowSource};
use crate::csv_io::{
    CategoryMapping, CommitChoices, EXPORT_PAGE, ExportRow, ExportWriter, ImportAccounts,
    ImportPlan, ImportSettings, ImportSource, ImportSummary, StatementCheck, import, read, resolve,
};
use crate::domain::Category;
use crate::domain::Permission;
use crate::domain::idempotency::{Fingerprint, IDEMPOTENCY_FIELD, IdempotencyKey};
use crate::domain::{TransactionFilter, TransactionQuery, TransactionSort};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::store::IdempotencyRecord;

/// The settings as the release before accounts fingerprinted them (its
/// `ImportSettings`' `Debug`), so that a request choosing no account and no
/// account or transfer column fingerprints as it did then and keys recorded
/// then still replay (the migration test replays one).
mod before_accounts {
    use crate::csv_io::{AmountColumns, DateFormat, DecimalSeparator};

    #[derive(Debug)]
    #[allow(dead_code)] // Read through `Debug` only.
    pub(super) struct ImportSettings {
        pub delimiter: u8,
        pub has_header: bool,
        pub date: usize,
        pub amount: AmountColumns,
        pub description: usize,
        pub category: Option<usize>,
        pub note: Option<usize>,
        pub kind: Option<usize>,
        pub date_format: DateFormat,
        pub decimal: DecimalSeparator,
    }

    impl From<&crate::csv_io::ImportSettings> for ImportSettings {
        fn from(s: &crate::csv_io::ImportSettings) -> ImportSettings {
            ImportSettings {
                delimiter: s.delimiter,
                has_header: s.has_header,
                date: s.date,
                amount: s.amount,
                description: s.description,
                category: s.category,
                note: s.note,
                kind: s.kind,
                date_format: s.date_format,
                decimal: s.decimal,
            }
        }
    }
}

/// The fingerprint of an import request: the file, the account chosen for
/// it and every choice made about it.
fn import_fingerprint(
    account: Option<Id>,
    bytes: &[u8],
    source: ImportSource<'_>,
    mappings: &[CategoryMapping],
    choices: CommitChoices,
) -> String {
    let how = match source {
        ImportSource::Csv(settings) => {
            format!("{:?}", before_accounts::ImportSettings::from(settings))
        }
        ImportSource::Bank { qif_dates } => format!("bank {qif_dates:?}"),
    };
    let mut f = Fingerprint::new("import-commit");
    f.part(bytes)
        .part(how.as_bytes())
        .part(format!("{mappings:?}").as_bytes())
        .part(&[u8::from(choices.skip_duplicates)]);
    // Only when chosen, so a key recorded before the choice existed still replays.
    if choices.skip_errors {
        f.part(b"skip-errors");
    }
    // Parts only when chosen (see `before_accounts`).
    if let Some(account) = account {
        f.part(b"account").part(&account.bytes());
    }
    if let ImportSource::Csv(settings) = source
        && (settings.account.is_some() || settings.transfer.is_some())
    {
        f.part(format!("columns {:?} {:?}", settings.account, settings.transfer).as_bytes());
    }
    f.finish()
}

/// An import's file, read: CSV text (decoded lazily, record by record) with
/// its settings, or a bank statement's entries.
enum Loaded<'a> {
    Csv {
        text: Text<'a>,
        settings: &'a ImportSettings,
    },
    Bank(StatementFile),
}

impl Loaded<'_> {
    /// Read `bytes` as `source` says, amounts in `currency`. A bank file in
    /// another currency than the user's is refused (`Validation { field:
    /// "file" }`): its amounts would be taken for the user's.
    fn read<'a>(
        bytes: &'a [u8],
        source: ImportSource<'a>,
        currency: Currency,
    ) -> Result<Loaded<'a>> {
        match source {
            ImportSource::Csv(settings) => Ok(Loaded::Csv {
                text: read::decode(bytes)?,
                settings,
            }),
            ImportSource::Bank { qif_dates } => {
                #[cfg(feature = "testing")]
                let file = match crate::csv_io::statement_for_tests::decode(bytes) {
                    Some(file) => file?,
                    None => bank::read(
                        bytes,
                        &ReadOptions {
                            currency,
                            qif_dates,
                        },
                    )?,
                };
                #[cfg(not(feature = "testing"))]
                let file = bank::read(
                    bytes,
                    &ReadOptions {
                        currency,
                        qif_dates,
                    },
                )?;
                if let Some(theirs) = &file.currency
                    && !theirs.trim().eq_ignore_ascii_case(currency.code())
                {
                    let shown: String = theirs.trim().chars().take(8).collect();
                    return Err(Error::validation(
                        "file",
                        format!(
                            "is a statement in {shown}, but your amounts are in {}: \
                             it cannot be imported",
                            currency.code()
                        ),
                    ));
                }
                Ok(Loaded::Bank(file))
            }
        }
    }

    /// The rows to read (again, for a commit's second pass).
    fn rows(&self) -> RowSource<'_> {
        match self {
            Loaded::Csv { text, settings } => RowSource::Csv {
                text: *text,
                settings,
            },
            Loaded::Bank(file) => RowSource::Bank(file),
        }
    }

    /// A planner for this file: for a statement with an ending balance it
    /// sums what the import adds to `account` up to the balance's day.
    fn planner(&self, planner: Planner, account: Id) -> Planner {
        match self {
            Loaded::Bank(StatementFile {
                ending_balance: Some(end),
                ..
            }) => planner.tracking_balance(account, end.date),
            _ => planner,
        }
    }
}

/// The stored result of a keyed import: `imported,duplicates,categories`,
/// plus `,errors` when rows with errors were skipped (a record written
/// before that choice existed has three numbers and still decodes).
fn encode_summary(s: &ImportSummary) -> String {
    let base = format!(
        "{},{},{}",
        s.imported, s.skipped_duplicates, s.created_categories
    );
    if s.skipped_errors == 0 {
        base
    } else {
        format!("{base},{}", s.skipped_errors)
    }
}

fn decode_summary(text: &str) -> Result<ImportSummary> {
    let mut parts = text.split(',').map(str::parse::<u64>);
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (
            Some(Ok(imported)),
            Some(Ok(skipped_duplicates)),
            Some(Ok(created_categories)),
            errors,
            None,
        ) if !matches!(errors, Some(Err(_))) => Ok(ImportSummary {
            imported,
            skipped_duplicates,
            created_categories,
            skipped_errors: errors.and_then(|e| e.ok()).unwrap_or(0),
        }),
        _ => Err(Error::internal(
            "idempotency",
            "stored import summary is malformed",
        )),
    }
}

impl Finance {
    /// Write the user's transactions matching `filter` as CSV to `out`, oldest
    /// first (date, then id), page by page, with their account's and
    /// category's names (a transfer: each leg in its account, with the
    /// transfer's reference); returns the number of rows written.
    pub async fn export_csv(
        &self,
        user: &AuthUser,
        filter: TransactionFilter,
        out: &mut (dyn std::io::Write + Send),
    ) -> Result<u64> {
        user.require(Permission::Read)?;
        if let Some(account) = filter.account {
            // Another user's account is NotFound, before anything is written.
            self.store.account(user.ledger(), account).await?;
        }
        let currency = user.currency();
        let names: std::collections::HashMap<crate::id::Id, String> = self
            .categories(user)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let accounts: std::collections::HashMap<crate::id::Id, String> = self
            .accounts(user)
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let mut w = ExportWriter::new(out)?;
        let mut query = TransactionQuery {
            filter,
            sort: TransactionSort::DateAsc,
            limit: EXPORT_PAGE,
            after: None,
        };
        let mut written = 0;
        loop {
            let page = self.page(user, &query).await?;
            for t in &page.items {
                let category = t
                    .category_id
                    .and_then(|c| names.get(&c))
                    .map_or("", String::as_str);
                let row = ExportRow {
                    date: t.date,
                    account: accounts.get(&t.account_id).map_or("", String::as_str),
                    description: &t.description,
                    category,
                    kind: t.kind,
                    amount: t.amount,
                    note: t.note.as_deref(),
                    transfer: t.transfer_id,
                };
                w.row(&row, currency)?;
                written += 1;
            }
            w.flush()?;
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        Ok(written)
    }

    /// Check `bytes` (a CSV file with its settings, or a bank statement:
    /// [`ImportSource`]) with `mappings` and say what an import into
    /// `account` (one of the user's; `None`: the default account) would do;
    /// writes nothing. Another user's or a missing account is `NotFound
    /// { what: "account" }`. For a statement with an ending balance the plan
    /// compares it with the account's balance after the import
    /// ([`ImportPlan::statement`]).
    pub async fn import_plan<'s>(
        &self,
        user: &AuthUser,
        account: Option<Id>,
        bytes: &'s [u8],
        source: impl Into<ImportSource<'s>>,
        mappings: &[CategoryMapping],
    ) -> Result<ImportPlan> {
        user.require(Permission::Write)?;
        let accounts = self.import_accounts(user, account).await?;
        let loaded = Loaded::read(bytes, source.into(), user.currency())?;
        let categories = self.categories(user).await?;
        let mut auto = AutoCategories::new(self.store.rules(user.ledger()).await?, &categories);
        let target = accounts.target();
        let (planner, parsed) = self
            .check_import(
                user,
                loaded.rows(),
                categories,
                mappings,
                accounts,
                loaded.planner(Planner::default(), target),
                &mut auto,
            )
            .await?;
        let statement = match &loaded {
            Loaded::Bank(StatementFile {
                ending_balance: Some(end),
                ..
            }) => Some(
                self.statement_check(user, target, end.date, end.amount, planner.effect_through())
                    .await?,
            ),
            _ => None,
        };
        Ok(ImportPlan {
            statement,
            ..planner.finish(parsed, &auto)
        })
    }

    /// A statement's ending balance `statement` on `date` beside `account`'s
    /// balance at the end of that day once `added` (the import's effect up to
    /// that day) is in it.
    async fn statement_check(
        &self,
        user: &AuthUser,
        account: Id,
        date: chrono::NaiveDate,
        statement: i64,
        added: i128,
    ) -> Result<StatementCheck> {
        let now = self.account_balance_on(user, account, date).await?;
        let out_of_range = || Error::validation("file", "has an ending balance out of range");
        let after_import = i64::try_from(i128::from(now) + added).map_err(|_| out_of_range())?;
        let difference = i64::try_from(crate::rules::reconciliation_difference(
            statement,
            after_import,
        ))
        .map_err(|_| out_of_range())?;
        Ok(StatementCheck {
            date,
            statement,
            after_import,
            difference,
        })
    }

    /// Write the lines an import of `bytes` (as [`Finance::import_plan`]
    /// reads it) leaves out — each refused record's line, its problem and its
    /// cells — as CSV to `out`, to be fixed and imported again; the count
    /// written. Writes nothing to the store; memory stays bounded however
    /// many lines are refused.
    pub async fn import_rejects(
        &self,
        user: &AuthUser,
        account: Option<Id>,
        bytes: &[u8],
        settings: &ImportSettings,
        mappings: &[CategoryMapping],
        out: impl std::io::Write,
    ) -> Result<u64> {
        user.require(Permission::Write)?;
        let accounts = self.import_accounts(user, account).await?;
        let text = read::decode(bytes)?;
        let categories = self.categories(user).await?;
        let resolver = resolve::Resolver::new(categories, mappings)?;
        let parser =
            Parser::new(text, settings, user.currency(), resolver, accounts).keeping_rejects();
        crate::csv_io::write_rejects(parser, out)
    }

    /// The user's accounts for an import into `target` (see [`ImportAccounts::new`]).
    async fn import_accounts(&self, user: &AuthUser, target: Option<Id>) -> Result<ImportAccounts> {
        let accounts = self.store().accounts(user.ledger()).await?;
        ImportAccounts::new(&accounts, target)
    }

    /// One pass over the file for a plan or a commit: it is checked
    /// [`import::CHUNK_ROWS`] rows at a time, each chunk's duplicates looked
    /// up in one store call (and its bank ids in one per account), so a pass
    /// holds one chunk and a fingerprint (and for a commit a mark) per row,
    /// whatever the file's size. Rows the file gives no category get one
    /// from `auto` (rules, then one learned look-up per chunk) before their
    /// duplicates are looked for.
    #[allow(clippy::too_many_arguments)]
    async fn check_import(
        &self,
        user: &AuthUser,
        source: RowSource<'_>,
        categories: Vec<Category>,
        mappings: &[CategoryMapping],
        accounts: ImportAccounts,
        mut planner: Planner,
        auto: &mut AutoCategories,
    ) -> Result<(Planner, Parsed)> {
        let resolver = resolve::Resolver::new(categories, mappings)?;
        let mut parser = Parser::of(source, user.currency(), resolver, accounts);
        let (mut rows, mut marks) = (Vec::new(), Vec::new());
        loop {
            let more = parser.read(import::CHUNK_ROWS, &mut rows, &mut marks)?;
            let asked = auto.apply_rules(&mut rows, &mut marks, parser.resolver());
            let mut found = Vec::with_capacity(asked.len());
            for keys in asked.chunks(autocat::LOOKUP_BATCH) {
                found.extend(self.store.learned_categories(user.ledger(), keys).await?);
            }
            auto.apply_learned(&rows, &mut marks, parser.resolver(), asked, found);
            if !rows.is_empty() {
                for (account, ids) in import::bank_probes(&rows) {
                    let held = self
                        .store()
                        .existing_bank_ids(user.ledger(), account, ids)
                        .await?;
                    planner.add_stored_bank_ids(account, held);
                }
                let stored = self
                    .store()
                    .existing_transaction_keys(user.ledger(), import::probes(&rows))
                    .await?;
                planner.add_stored(stored);
            }
            planner.add_rows(&mut rows, &mut marks);
            if !more {
                return Ok((planner, parser.finish()));
            }
        }
    }

    /// Import `bytes` into `account` (as [`Finance::import_plan`]): all
    /// accepted rows and the categories they need in one database
    /// transaction, or nothing.
    ///
    /// Two passes over the file, neither holding its rows: the first checks
    /// every row and flags duplicates (as a plan does); the second parses the
    /// file again as the store writes, one chunk at a time.
    ///
    /// Refused with `Validation { field: "file" }` while any row has an error
    /// (unless `choices` skips them: the good rows are imported, the count of
    /// the others is in the summary) and `Validation { field: "categories" }`
    /// while an unknown category is unmapped. Duplicates are skipped when
    /// `choices` says so (a plain `bool` means that choice alone), imported
    /// otherwise (a bank row that repeats a stored bank id is then written
    /// without its id, which stays with the first row). `progress(done,
    /// total)` is called about every 1000 rows.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_commit<'s>(
        &self,
        user: &AuthUser,
        account: Option<Id>,
        bytes: &'s [u8],
        source: impl Into<ImportSource<'s>>,
        mappings: &[CategoryMapping],
        choices: impl Into<CommitChoices>,
        now: DateTime<Utc>,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportSummary> {
        user.require(Permission::Write)?;
        self.import_commit_with_key(
            user, account, bytes, source, mappings, choices, None, now, progress,
        )
        .await
    }

    /// [`Finance::import_commit`] at most once per `key` (when given): a replay
    /// of the same request (same account, bytes, settings, mappings and duplicate choice)
    /// returns the first import's summary and writes nothing; the same key with
    /// a different request is `Conflict { field: "idempotencyKey" }`. Safe to
    /// retry after `Unavailable`.
    #[allow(clippy::too_many_arguments)]
    pub async fn import_commit_with_key<'s>(
        &self,
        user: &AuthUser,
        account: Option<Id>,
        bytes: &'s [u8],
        source: impl Into<ImportSource<'s>>,
        mappings: &[CategoryMapping],
        choices: impl Into<CommitChoices>,
        key: Option<&IdempotencyKey>,
        now: DateTime<Utc>,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportSummary> {
        user.require(Permission::Write)?;
        let choices = choices.into();
        let source = source.into();
        let fingerprint =
            key.map(|_| import_fingerprint(account, bytes, source, mappings, choices));
        if let (Some(key), Some(fp)) = (key, &fingerprint)
            && let Some(done) = self.replayed(user, key, fp).await?
        {
            return decode_summary(&done);
        }
        let accounts = self.import_accounts(user, account).await?;
        let loaded = Loaded::read(bytes, source, user.currency())?;
        let categories = self.categories(user).await?;
        let mut auto = AutoCategories::new(self.store.rules(user.ledger()).await?, &categories);
        let (planner, parsed) = self
            .check_import(
                user,
                loaded.rows(),
                categories.clone(),
                mappings,
                accounts.clone(),
                Planner::keeping_marks(),
                &mut auto,
            )
            .await?;
        let write = planner.into_write(parsed, user.ledger(), choices, millis(now))?;
        let summary = ImportSummary {
            imported: write.imported,
            skipped_duplicates: write.skipped,
            created_categories: write.categories.len() as u64,
            skipped_errors: write.skipped_errors,
        };
        let record = key
            .zip(fingerprint.as_ref())
            .map(|(key, fp)| IdempotencyRecord {
                key: key.as_str().to_string(),
                fingerprint: fp.clone(),
                result: encode_summary(&summary),
                created_at: millis(now),
            });
        let written = self
            .store()
            .insert_transactions(
                user.ledger(),
                &write.categories,
                &import::CommitRows {
                    write: &write,
                    source: loaded.rows(),
                    currency: user.currency(),
                    categories,
                    mappings,
                    accounts: &accounts,
                    auto: &auto,
                },
                progress,
                record.as_ref(),
            )
            .await;
        let imported = match (written, key, &fingerprint) {
            // A concurrent commit with the same key won the race.
            (Err(e), Some(key), Some(fp)) if e.field() == Some(IDEMPOTENCY_FIELD) => {
                return match self.replayed(user, key, fp).await? {
                    Some(done) => decode_summary(&done),
                    None => Err(e),
                };
            }
            (written, _, _) => written?,
        };
        tracing::info!(
            user = %user.ledger(),
            imported,
            skipped = summary.skipped_duplicates,
            created = summary.created_categories,
            "import committed"
        );
        Ok(ImportSummary {
            imported,
            ..summary
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_import_summaries_decode_from_both_versions() {
        let old = decode_summary("12,3,1").expect("a record written before rows could be skipped");
        assert_eq!(
            (old.imported, old.skipped_errors),
            (12, 0),
            "three numbers: nothing was skipped for errors"
        );
        let new = ImportSummary {
            imported: 195,
            skipped_duplicates: 2,
            created_categories: 0,
            skipped_errors: 5,
        };
        assert_eq!(encode_summary(&new), "195,2,0,5");
        assert_eq!(decode_summary(&encode_summary(&new)).unwrap(), new);
        let none = ImportSummary {
            skipped_errors: 0,
            ..new
        };
        assert_eq!(
            encode_summary(&none),
            "195,2,0",
            "no skipped rows: the record an older build would write"
        );
        for bad in ["", "1,2", "1,2,3,x", "1,2,3,4,5", "a,b,c"] {
            assert!(decode_summary(bad).is_err(), "{bad:?}");
        }
    }
}
