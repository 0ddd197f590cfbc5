//! Backup operations of [`Finance`]: write a user's backup file, restore
//! one into the signed-in user (or, from a full-fidelity file, into a new
//! user), and copy a user from one store to another. The file format is
//! [`crate::backup`]'s; the all-or-nothing write is the store's
//! ([`crate::store::Restores`]).
//!
//! * Writing pages the transactions with the CSV export's keyset loop
//!   (date, then id; [`crate::csv_io::EXPORT_PAGE`] rows a page), so memory
//!   stays bounded whatever the history's size.
//! * Reading runs on the blocking pool and hands batches to the store over
//!   a channel of two batches; the store keeps them only when the reader
//!   reached the end with every checksum right.

use std::io::{Read, Seek, Write};

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::backup::format::{
    AccountV1, BudgetV1, CategoryV1, ProfileV1, RuleV1, ScheduleV1, TransactionV1, bad,
};
use crate::backup::{self, Reader, Writer};
use crate::domain::Permission;
use crate::domain::{
    Account, AccountType, MAIN_ACCOUNT_NAME, TransactionFilter, TransactionQuery, TransactionSort,
    User,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{MonthEffect, RestoreFeed, UserRecord};

/// What a backup or a restore wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BackupSummary {
    /// Records of every kind (accounts, categories, …, transactions).
    pub records: u64,
    pub transactions: u64,
}

/// The profile part of a manifest.
fn profile_of(record: &UserRecord, with_hash: bool) -> ProfileV1 {
    let u = &record.user;
    ProfileV1 {
        id: u.id.to_hex(),
        username: u.username.clone(),
        email: u.email.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        currency: u.currency.code().to_string(),
        created_at_ms: u.created_at.timestamp_millis(),
        password_hash: with_hash.then(|| record.password_hash.clone()),
    }
}

impl Finance {
    /// Write everything of `user` as a backup file to `out`. With a
    /// `passphrase` the file is encrypted and holds the password hash too
    /// (full fidelity: it can re-create the account). Returns the counts.
    pub async fn backup_to<W: Write + Seek + Send>(
        &self,
        user: &AuthUser,
        out: W,
        passphrase: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(W, BackupSummary)> {
        user.require(Permission::OwnLedger)?;
        if passphrase.is_some_and(|p| p.chars().count() < 8) {
            return Err(Error::validation(
                "passphrase",
                "must be at least 8 characters",
            ));
        }
        let record = self
            .store
            .user_by_id(user.ledger())
            .await?
            .ok_or_else(Error::unauthorized)?;
        self.write_backup(user, &record, out, passphrase, now).await
    }

    async fn write_backup<W: Write + Seek + Send>(
        &self,
        user: &AuthUser,
        record: &UserRecord,
        out: W,
        passphrase: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(W, BackupSummary)> {
        let uid = user.ledger();
        let mut w = Writer::new(out, passphrase)?;
        let accounts = self.store.accounts(uid).await?;
        w.member(
            backup::ACCOUNTS,
            &accounts
                .iter()
                .map(AccountV1::from_domain)
                .collect::<Vec<_>>(),
        )?;
        let categories = self.store.categories(uid).await?;
        w.member(
            backup::CATEGORIES,
            &categories
                .iter()
                .map(CategoryV1::from_domain)
                .collect::<Vec<_>>(),
        )?;
        let budgets = self.store.budgets(uid).await?;
        w.member(
            backup::BUDGETS,
            &budgets
                .iter()
                .map(BudgetV1::from_domain)
                .collect::<Vec<_>>(),
        )?;
        let schedules = self.store.schedules(uid).await?;
        w.member(
            backup::SCHEDULES,
            &schedules
                .iter()
                .map(ScheduleV1::from_domain)
                .collect::<Vec<_>>(),
        )?;
        let rules = self.store.rules(uid).await?;
        w.member(
            backup::RULES,
            &rules.iter().map(RuleV1::from_domain).collect::<Vec<_>>(),
        )?;
        let mut records =
            (accounts.len() + categories.len() + budgets.len() + schedules.len() + rules.len())
                as u64;
        // The transactions, page by page: the CSV export's keyset loop.
        w.begin(backup::TRANSACTIONS)?;
        let mut query = TransactionQuery {
            filter: TransactionFilter::default(),
            sort: TransactionSort::DateAsc,
            limit: crate::csv_io::EXPORT_PAGE,
            after: None,
        };
        let mut transactions = 0u64;
        loop {
            let page = self.page(user, &query).await?;
            for t in &page.items {
                w.record(&TransactionV1::from_domain(t))?;
                transactions += 1;
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        w.end()?;
        records += transactions;
        let with_hash = passphrase.is_some();
        let out = w.finish(
            profile_of(record, with_hash),
            millis(now).timestamp_millis(),
        )?;
        Ok((
            out,
            BackupSummary {
                records,
                transactions,
            },
        ))
    }

    /// Restore the backup `input` into the signed-in `user`, who must hold
    /// nothing yet (`Conflict { field: "user" }`; see
    /// [`crate::store::Restores`]). An encrypted file needs its
    /// `passphrase`. A damaged or foreign file is `Validation { field:
    /// "file" }` and nothing is written.
    pub async fn restore_from<R: Read + Seek + Send + 'static>(
        &self,
        user: &AuthUser,
        input: R,
        passphrase: Option<String>,
    ) -> Result<BackupSummary> {
        user.require(Permission::OwnLedger)?;
        let reader = open_reader(input, passphrase).await?;
        self.restore_into(user.ledger(), reader).await
    }

    /// Create the user of a full-fidelity (encrypted) backup again — same
    /// username, email, names and password — and restore their data into
    /// them, all or nothing (a failure deletes the new user). A taken
    /// username or email is `Conflict { field: "username" | "email" }`; a
    /// file without the password hash is `Validation { field: "file" }`.
    pub async fn restore_new_user<R: Read + Seek + Send + 'static>(
        &self,
        input: R,
        passphrase: String,
        now: DateTime<Utc>,
    ) -> Result<(User, BackupSummary)> {
        let reader = open_reader(input, Some(passphrase)).await?;
        let profile = reader.manifest().profile.clone();
        let Some(hash) = profile.password_hash.clone() else {
            return Err(Error::validation(
                "file",
                "holds no password: sign up, then restore it into the new account",
            ));
        };
        let username = crate::domain::Username::parse(&profile.username).map_err(bad)?;
        let email = crate::domain::Email::parse(&profile.email).map_err(bad)?;
        let currency = profile.currency()?;
        let now = millis(now);
        let user = User {
            id: Id::generate(),
            username: username.as_str().to_string(),
            first_name: profile.first_name.clone(),
            last_name: profile.last_name.clone(),
            email: email.as_str().to_string(),
            currency,
            created_at: DateTime::from_timestamp_millis(profile.created_at_ms).unwrap_or(now),
        };
        // A placeholder account (create_user needs one); the restore replaces it.
        let account = Account {
            id: user.id,
            user_id: user.id,
            name: MAIN_ACCOUNT_NAME.to_string(),
            kind: AccountType::Checking,
            currency,
            opening_balance: 0,
            opening_date: now.date_naive(),
            note: None,
            archived: false,
            position: 0,
            last_reconciled: None,
            created_at: now,
        };
        let record = UserRecord {
            user: user.clone(),
            password_hash: hash,
        };
        self.store.create_user(&record, &[], &account).await?;
        match self.restore_into(user.id, reader).await {
            Ok(summary) => Ok((user, summary)),
            Err(e) => {
                if let Err(undo) = self.store.delete_user(user.id).await {
                    tracing::warn!(error = %undo, "the user of a failed restore could not be deleted");
                }
                Err(e)
            }
        }
    }

    /// Feed `reader`'s records to the store's restore of `user`.
    async fn restore_into<R: Read + Seek + Send + 'static>(
        &self,
        user: Id,
        mut reader: Reader<R>,
    ) -> Result<BackupSummary> {
        let currency = reader.manifest().profile.currency()?;
        let total = reader.total_records();
        let transactions = reader
            .manifest()
            .members
            .iter()
            .find(|m| m.name == backup::TRANSACTIONS)
            .map_or(0, |m| m.records);
        let (feed, rows) = tokio::sync::mpsc::channel::<RestoreFeed>(2);
        let read = tokio::task::spawn_blocking(move || {
            let gone = || Error::internal("restore", "the store stopped reading");
            let outcome = reader.read_all(user, currency, &mut |batch| {
                feed.blocking_send(RestoreFeed::Batch(batch))
                    .map_err(|_| gone())
            });
            // The store may already have stopped (its own error is the answer then).
            let last = match outcome {
                Ok(()) => RestoreFeed::End,
                Err(e) => RestoreFeed::Failed(e),
            };
            feed.blocking_send(last).ok();
        });
        let written = self
            .store
            .restore_user_data(user, currency, total, rows)
            .await;
        read.await
            .map_err(|e| Error::internal("restore reader", e))?;
        let written = written?;
        Ok(BackupSummary {
            records: written,
            transactions,
        })
    }

    /// Copy the signed-in `user` with everything they own to the store of
    /// `target` as a new user of the same username, email and password
    /// (`Conflict { field: "username" | "email" }` when taken there), then
    /// check both stores hold the same: the accounts with their balances and
    /// counts, and each account's summed effect per month. A failure at any
    /// point deletes the copy on the target; the source is only read.
    ///
    /// The file between the two goes through `scratch` (a folder of the
    /// app's, e.g. the data folder), encrypted with a random one-time
    /// passphrase since it holds the password hash, and is deleted
    /// afterwards: the reader needs a seekable file (a zip's directory, and
    /// the manifest with the checksums, come last), so a pipe cannot carry it.
    pub async fn copy_user_to(
        &self,
        user: &AuthUser,
        target: &Finance,
        scratch: &std::path::Path,
        now: DateTime<Utc>,
    ) -> Result<(User, BackupSummary)> {
        user.require(Permission::OwnLedger)?;
        let record = self
            .store
            .user_by_id(user.ledger())
            .await?
            .ok_or_else(Error::unauthorized)?;
        let passphrase = one_time_passphrase();
        let path = scratch.join(format!(
            ".copy-{}.{}",
            Id::generate().to_hex(),
            backup::EXTENSION
        ));
        let result = async {
            let file = std::fs::File::create(&path).map_err(|e| Error::internal("copy", e))?;
            let (file, written) = self
                .write_backup(user, &record, file, Some(&passphrase), now)
                .await?;
            drop(file);
            let input = std::fs::File::open(&path).map_err(|e| Error::internal("copy", e))?;
            let (copy, summary) = target
                .restore_new_user(input, passphrase.clone(), now)
                .await?;
            if let Err(e) = self.check_same(user.ledger(), target, copy.id).await {
                target.store.delete_user(copy.id).await.ok();
                return Err(e);
            }
            debug_assert_eq!(written.transactions, summary.transactions);
            Ok((copy, summary))
        }
        .await;
        std::fs::remove_file(&path).ok();
        result
    }

    /// Whether `target`'s `copy` holds what this store's `user` holds.
    async fn check_same(&self, user: Id, target: &Finance, copy: Id) -> Result<()> {
        let mismatch = |what: &str| {
            Error::internal(
                "copy",
                format!("the copy differs from the original ({what})"),
            )
        };
        let mut mine = self.store.account_balances(user).await?;
        let mut theirs = target.store.account_balances(copy).await?;
        if mine.len() != theirs.len() {
            return Err(mismatch("accounts"));
        }
        mine.sort_by_key(|a| a.account.id);
        theirs.sort_by_key(|a| a.account.id);
        for (a, b) in mine.iter().zip(&theirs) {
            if a.account.id != b.account.id
                || a.balance != b.balance
                || a.transactions != b.transactions
            {
                return Err(mismatch("account balances and counts"));
            }
        }
        let from = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
        let to = chrono::NaiveDate::from_ymd_opt(2999, 12, 31).unwrap_or_default();
        let key = |m: &MonthEffect| (m.account, m.month);
        let mut a = self.store.month_effects(user, from, to).await?;
        let mut b = target.store.month_effects(copy, from, to).await?;
        a.sort_by_key(key);
        b.sort_by_key(key);
        if a != b {
            return Err(mismatch("sums per account and month"));
        }
        Ok(())
    }
}

/// Open a backup on the blocking pool (the key derivation takes a while).
async fn open_reader<R: Read + Seek + Send + 'static>(
    input: R,
    passphrase: Option<String>,
) -> Result<Reader<R>> {
    tokio::task::spawn_blocking(move || Reader::open(input, passphrase.as_deref()))
        .await
        .map_err(|e| Error::internal("restore reader", e))?
}

/// 32 random bytes as hex: the passphrase of a copy's scratch file.
fn one_time_passphrase() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::backup::crypt::hex_encode(&bytes)
}
