//! Storage: one contract ([`Store`]), two implementations with one behaviour.
//!
//! * [`sqlite::SqliteStore`] — the embedded store (one file, WAL, versioned migrations).
//! * [`mongo::MongoStore`] — MongoDB (Atlas in production) through the official driver.
//!
//! Invariants every implementation keeps (the contract suite checks them on both):
//! * every method that takes a `user` touches only that user's rows; another
//!   user's id behaves exactly like a missing one (`NotFound`, nothing changes);
//! * each method is all-or-nothing: a failed call leaves no partial write;
//! * uniqueness violations surface as `Error::Conflict { field }`, with `field`
//!   naming the input (`username`, `email`, `name`, `period`, `idempotencyKey`);
//! * an [`IdempotencyRecord`] passed with a write is stored in the same
//!   database transaction as the write, unique per (user, key): a second write
//!   with a key the user already used is `Conflict { field: "idempotencyKey" }`
//!   and writes nothing (the service turns that into a replay or a refusal);
//! * no method reads all of a user's transactions into memory: lists are
//!   paged in the database and sums are computed there;
//! * a store only stores. Business rules (a transaction's kind is its
//!   category's, move targets of a category delete, budgets on expense
//!   categories only) are checked once, in [`crate::rules`], by the operations
//!   before they call a store. A store keeps what the database itself must
//!   guarantee inside its transaction: uniqueness, that a referenced category
//!   exists *for the same user* (`NotFound` otherwise), and that a category
//!   or an account still in use is not deleted (nor a user's last account);
//! * every transaction is in one account of its user: a write naming an
//!   account checks it inside the write (`NotFound { what: "account" }`), and
//!   an account's balance is summed in the database.
//!
//! Layout: this file holds the traits (one per aggregate; newer ones in
//! files of their own: [`Memberships`] in `memberships.rs`) and the shared
//! record types; `sqlite/` and `mongo/` hold one file per aggregate each, plus
//! their connection, schema/index, row/document and error modules.
//!
//! Stored shapes (BSON documents, SQL rows) are private to each module and
//! converted explicitly to and from the domain types.

mod memberships;
pub mod mongo;
pub mod sqlite;

pub use memberships::Memberships;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::auth::Lockout;
use crate::domain::{
    Account, AccountBalance, Budget, Category, CategoryKind, CategorySpending, CategoryUsage,
    CurrencyUsage, DescriptionFrequency, EntryKind, MonthTotals, NewAccount, NewBudget,
    NewTransaction, NewTransfer, Reconciliation, Summary, Transaction, TransactionQuery, Transfer,
    User,
};
use crate::domain::{BulkChange, FilterTotals, Selection, SelectionCensus, TransactionFilter};
use crate::domain::{NewRule, Rule, RuleChange};
use crate::domain::{NewSchedule, Schedule};
use crate::error::Result;
use crate::id::Id;
use crate::money::Currency;

/// A user as stored, with the password hash (never leaves the core).
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub user: User,
    pub password_hash: String,
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// A log-in session (the JWT's `jti`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub jti: String,
    pub user_id: Id,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What [`Sessions::begin_login_attempt`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginAttempt {
    /// Counted as a failure in advance: check the password now (and clear
    /// the failures if it is right).
    Allowed,
    /// A lock is in force: refuse without checking the password.
    Locked { retry_after: TimeDelta },
}

/// The clock the log-in throttle reads: the machine's (SQLite) or the
/// server's (MongoDB), shifted by an offset that only tests can set
/// (feature `testing`); zero in the app. Clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct ClockShift(Arc<AtomicI64>);

impl ClockShift {
    /// The offset in milliseconds.
    pub(crate) fn millis(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    /// The offset.
    pub fn offset(&self) -> TimeDelta {
        TimeDelta::milliseconds(self.millis())
    }

    /// Test hook: move the store's clock forward by `by`.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub fn advance(&self, by: TimeDelta) {
        self.0.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

/// The fields that make two transactions duplicates of each other (see
/// [`Store::existing_transaction_keys`]); the description as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionKey {
    pub date: NaiveDate,
    pub amount: i64,
    pub kind: CategoryKind,
    pub description: String,
    /// The row carries a bank id (`Transaction::bank_id`): a bank file's
    /// row with an id of its own repeats it only by that id, never by these
    /// fields (see `csv_io::import`). Ignored in a look-up's probes.
    pub banked: bool,
}

/// The field a bank id's uniqueness conflict names (one entry of a bank
/// statement stored twice in one account).
pub const BANK_ID_FIELD: &str = "bankId";

/// SHA-256 of a transaction's duplicate fields: the date, the amount, the
/// kind and the trimmed, lower-cased description. Two transactions are
/// duplicates when these fields are equal, so when their digests are.
pub(crate) fn duplicate_digest(
    date: NaiveDate,
    amount: i64,
    kind: CategoryKind,
    description: &str,
) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(date.to_string().as_bytes());
    h.update(amount.to_le_bytes());
    h.update([match kind {
        CategoryKind::Income => 0u8,
        CategoryKind::Expense => 1u8,
    }]);
    h.update(description.trim().to_lowercase().as_bytes());
    h.finalize().into()
}

/// The stored, indexed lookup key of a transaction's duplicate fields on
/// MongoDB (`dupKey`): the first 8 bytes of [`duplicate_digest`]. Every write
/// of a transaction stores it, so an import finds the stored rows its rows
/// repeat with one index look-up per row, whatever the size of the user's
/// history. Equal keys are candidates only: the import compares the full
/// fields, so a 64-bit collision cannot hide a row.
///
/// The definition is persistent: changing it needs a migration of the stored keys.
pub fn duplicate_key(date: NaiveDate, amount: i64, kind: CategoryKind, description: &str) -> i64 {
    let digest = duplicate_digest(date, amount, kind, description);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(first)
}

impl TransactionKey {
    /// [`duplicate_key`] of these fields.
    pub fn lookup_key(&self) -> i64 {
        duplicate_key(self.date, self.amount, self.kind, &self.description)
    }
}

/// The record of one idempotent write: the client's key, a fingerprint of the
/// request, and the result to hand back on a replay (a transaction id, or an
/// encoded import summary). Kept until the user is deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub key: String,
    pub fingerprint: String,
    pub result: String,
    pub created_at: DateTime<Utc>,
}

/// Called as `progress(done, total)` while a bulk write proceeds.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

/// The persistence contract: one trait per aggregate, all of them together
/// make a [`Store`]. See the module docs for the invariants.
pub trait Store:
    Users
    + Sessions
    + Accounts
    + Balances
    + Categories
    + Budgets
    + Transactions
    + Transfers
    + Reconciliations
    + Reports
    + Imports
    + Idempotency
    + Schedules
    + Rules
    + BulkEdits
    + Restores
    + Memberships
    + Send
    + Sync
    + 'static
{
    /// Short name for diagnostics: `"sqlite"` or `"mongodb"`.
    fn kind(&self) -> &'static str;

    /// Where the data lives, without credentials (a file path or `host/db`).
    fn location(&self) -> String;
}

/// Accounts of people: registration, look-up, password, deletion.
#[async_trait]
pub trait Users: Send + Sync {
    /// Insert a user, their starting categories and their first account atomically.
    /// `Conflict { field: "username" | "email" }` when taken.
    async fn create_user(
        &self,
        user: &UserRecord,
        categories: &[Category],
        account: &Account,
    ) -> Result<()>;
    /// Look a user up by normalised username.
    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>>;
    /// Look a user up by id.
    async fn user_by_id(&self, id: Id) -> Result<Option<UserRecord>>;
    /// Replace the password hash and delete every session of the user except `keep_jti`, atomically.
    async fn set_password_hash(&self, user: Id, hash: &str, keep_jti: Option<&str>) -> Result<()>;
    /// Delete a user and everything they own, the log-in throttle record of
    /// their username included, in one transaction (checked by a scan of every
    /// table/collection: `tests/it/contract/account_deletion.rs`).
    async fn delete_user(&self, user: Id) -> Result<()>;
    /// What holds amounts in the user's currency (see [`CurrencyUsage`]).
    async fn currency_usage(&self, user: Id) -> Result<CurrencyUsage>;
    /// Set the user's currency and their accounts' — refused with
    /// [`crate::rules::currency_in_use`] when, inside the write, any amount
    /// is recorded in the old one (nothing changes then).
    async fn set_currency(&self, user: Id, currency: Currency) -> Result<()>;
    /// How many accounts the store holds, counting no further than `limit`
    /// (the shared-database check at start-up needs only "more than one").
    async fn count_users(&self, limit: u64) -> Result<u64>;
}

/// Log-in sessions and failed-log-in throttling.
///
/// Throttling follows [`Lockout`] on the **store's** clock (the machine's for
/// SQLite, the server's `$$NOW` for MongoDB), never a caller's `now`: a
/// desktop with a wrong clock can neither lengthen a lock nor escape one.
/// State is kept only for usernames the caller passes, and the service passes
/// only existing users' usernames, so unknown usernames leave nothing.
#[async_trait]
pub trait Sessions: Send + Sync {
    /// Record a new session.
    async fn insert_session(&self, session: &SessionRecord) -> Result<()>;
    /// Whether the session exists for that user and has not expired at `now`.
    async fn session_is_live(&self, jti: &str, user: Id, now: DateTime<Utc>) -> Result<bool>;
    /// The user, when the session exists for them and has not expired at
    /// `now` ([`Sessions::session_is_live`] and [`Users::user_by_id`] at
    /// once: every authenticated call asks both).
    async fn live_session_user(
        &self,
        jti: &str,
        user: Id,
        now: DateTime<Utc>,
    ) -> Result<Option<UserRecord>>;
    /// Delete a session; `true` if one was deleted.
    async fn delete_session(&self, jti: &str) -> Result<bool>;

    /// One password attempt on an existing user's normalised `username`, as
    /// [`Lockout::attempt`] says, atomically (simultaneous attempts are
    /// counted one after the other) and at the store's clock: `Locked` while
    /// a lock is in force (nothing changes), else `Allowed`, the attempt
    /// counted as a failure and any lock it calls for started.
    async fn begin_login_attempt(&self, username: &str, lockout: &Lockout) -> Result<LoginAttempt>;
    /// The password was right: forget the failures and any lock.
    async fn clear_login_failures(&self, username: &str) -> Result<()>;
}

/// A user's accounts and their balances.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Insert. `Conflict { field: "name" }` when (user, lower-cased name) exists.
    async fn insert_account(&self, account: &Account) -> Result<()>;
    /// All of a user's accounts (archived too), by position, then creation, then id.
    async fn accounts(&self, user: Id) -> Result<Vec<Account>>;
    /// [`Accounts::accounts`] with each balance (opening balance + the
    /// signed sum of its transactions, [`crate::rules::balance_effect`]) and
    /// transaction count, summed in the database. A balance beyond `i64` is
    /// `Validation { field: "balance" }`.
    async fn account_balances(&self, user: Id) -> Result<Vec<AccountBalance>>;
    /// One account, or `NotFound`.
    async fn account(&self, user: Id, id: Id) -> Result<Account>;
    /// Replace name, type, opening balance and date, note. `NotFound`, or
    /// `Conflict { field: "name" }`.
    async fn update_account(&self, user: Id, id: Id, change: &NewAccount) -> Result<Account>;
    /// Archive or unarchive. `NotFound`.
    async fn set_account_archived(&self, user: Id, id: Id, archived: bool) -> Result<Account>;
    /// Delete an account, atomically. The user's last account is refused
    /// ([`crate::rules::last_account`]). With `move_to` (checked by
    /// [`crate::rules::check_account_move_target`]; `NotFound` if it
    /// vanished since) its transactions move there; without, an account
    /// holding transactions is refused ([`crate::rules::account_in_use`]).
    /// The transfers between the account and `move_to` are deleted (both
    /// legs) in the same write, so no transfer ends with both legs in one
    /// account.
    async fn delete_account(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()>;
    /// Delete the user's account `id` with every transaction in it, and
    /// both legs of each transfer it has with another account (a leg alone
    /// would be half a transfer), in one write; the last account is refused
    /// ([`crate::rules::last_account`]). Returns how many rows were deleted.
    async fn delete_account_with_transactions(&self, user: Id, id: Id) -> Result<u64>;
    /// How many transfers the user's account `id` has with each other
    /// account (those with none left out), by account id.
    async fn account_transfers(&self, user: Id, id: Id) -> Result<Vec<(Id, u64)>>;
}

/// Where an account's register stands just before one of its rows (see
/// [`Balances::register_base`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterBase {
    /// The exact sum of the effects ([`crate::rules::balance_effect`]) of
    /// the account's rows dated before the day.
    pub effect_before: i128,
    /// The account's rows of the day itself that come before the row (id
    /// below it), by id.
    pub earlier_same_day: Vec<Transaction>,
}

/// The summed effect of one account's rows over one month, or over
/// everything before a series' first month (`month: None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthEffect {
    pub account: Id,
    /// The 1st of the month; `None` for every row before the series.
    pub month: Option<NaiveDate>,
    /// Exact sum of [`crate::rules::balance_effect`] of those rows.
    pub effect: i128,
}

/// Balances over time, summed in the database (SQLite: the per-day sums
/// `tx_account_daily`; MongoDB: one aggregation with the sign of
/// [`crate::rules::balance_effect`]). The sums are exact (`i128`); the
/// caller adds opening balances and makes them totals. Every method reads
/// only `user`'s rows, so another user's account sums to nothing — the
/// operations read the account first (`NotFound`).
#[async_trait]
pub trait Balances: Send + Sync {
    /// Where `account`'s register stands just before the row (`date`, `below`)
    /// in register order (date, then id): the summed effect of its days
    /// before `date`, and its rows dated `date` with an id below `below`
    /// (none when `below` is `None`), read in one call.
    async fn register_base(
        &self,
        user: Id,
        account: Id,
        date: NaiveDate,
        below: Option<Id>,
    ) -> Result<RegisterBase>;
    /// The summed effect of each account's rows dated before `from` (`month:
    /// None`) and in each month from `from`'s through `to` (`to` inclusive),
    /// one entry per account and month that has rows; order unspecified.
    async fn month_effects(
        &self,
        user: Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthEffect>>;
}

/// A user's income and expense categories.
#[async_trait]
pub trait Categories: Send + Sync {
    /// Insert. `Conflict { field: "name" }` when (user, kind, name key) exists.
    async fn insert_category(&self, category: &Category) -> Result<()>;
    /// All of a user's categories, by kind then name.
    async fn categories(&self, user: Id) -> Result<Vec<Category>>;
    /// One category, or `NotFound`.
    async fn category(&self, user: Id, id: Id) -> Result<Category>;
    /// Rename. `NotFound`, or `Conflict { field: "name" }`.
    async fn rename_category(&self, user: Id, id: Id, name: &str) -> Result<Category>;
    /// How many transactions and budgets use the category.
    async fn category_usage(&self, user: Id, id: Id) -> Result<CategoryUsage>;
    /// Delete a category, atomically. With `move_to` (already checked by
    /// [`crate::rules::check_move_target`]; `NotFound` if it vanished since),
    /// its transactions move there, and each budget moves too unless `move_to`
    /// already has one for that period (then the moved category's budget is
    /// dropped). Without it, a used category is refused with
    /// [`crate::rules::category_in_use`].
    async fn delete_category(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()>;
}

/// Spending limits per expense category and period, and the expense they are measured against.
#[async_trait]
pub trait Budgets: Send + Sync {
    /// Insert. The category must be the user's (`NotFound` otherwise; that it
    /// is an expense category is [`crate::rules::check_budget_category`]'s);
    /// `Conflict { field: "period" }` on a duplicate.
    async fn insert_budget(&self, budget: &Budget) -> Result<()>;
    /// All of a user's budgets.
    async fn budgets(&self, user: Id) -> Result<Vec<Budget>>;
    /// One budget, or `NotFound`.
    async fn budget(&self, user: Id, id: Id) -> Result<Budget>;
    /// Replace category, limit and period (same checks as insert).
    async fn update_budget(&self, user: Id, id: Id, change: &NewBudget) -> Result<Budget>;
    /// Delete, or `NotFound`.
    async fn delete_budget(&self, user: Id, id: Id) -> Result<()>;
    /// Expense per category over `[from, to]`, for the given categories
    /// (missing = 0), of one account's rows or every account's (see [`Reports`]).
    async fn expense_by_category(
        &self,
        user: Id,
        account: Option<Id>,
        categories: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<Id, i64>>;
}

/// Single transactions: writes, reads, keyset pages and range sums.
#[async_trait]
pub trait Transactions: Send + Sync {
    /// Insert. The category and the account must be the user's (`NotFound` otherwise); the
    /// kind is stored as given ([`crate::rules::new_transaction`] took it from
    /// the category). With `key`, the record is stored with
    /// the row atomically (`Conflict { field: "idempotencyKey" }` when the
    /// user already used the key; nothing is written then).
    async fn insert_transaction(
        &self,
        tx: &Transaction,
        key: Option<&IdempotencyRecord>,
    ) -> Result<Transaction>;
    /// One transaction, or `NotFound`.
    async fn transaction(&self, user: Id, id: Id) -> Result<Transaction>;
    /// Replace the editable fields, the account (`account`, resolved by the
    /// operation; `change.account_id` is not read) and the kind (its new
    /// category's, from [`crate::rules::edited_kind`]); `NotFound` for a
    /// missing transaction, category or account.
    async fn update_transaction(
        &self,
        user: Id,
        id: Id,
        change: &NewTransaction,
        account: Id,
        kind: EntryKind,
        now: DateTime<Utc>,
    ) -> Result<Transaction>;
    /// Delete, or `NotFound`. Deleting a transfer's leg deletes both legs.
    async fn delete_transaction(&self, user: Id, id: Id) -> Result<()>;
    /// Up to `query.limit + 1` rows in order after the cursor (the extra row says there is a next page).
    async fn list_transactions(
        &self,
        user: Id,
        query: &TransactionQuery,
    ) -> Result<Vec<Transaction>>;
    /// [`Transactions::list_transactions`] and the names of the categories
    /// those rows name (the list's one read: SQLite answers both from one
    /// snapshot on one connection; MongoDB reads the names with one `$in`
    /// query after the rows, as the app did with two reads before).
    async fn list_transactions_named(
        &self,
        user: Id,
        query: &TransactionQuery,
    ) -> Result<(Vec<Transaction>, HashMap<Id, String>)>;
    /// Income, expense and count over `[from, to]`, of one account's rows
    /// or every account's (see [`Reports`] for `account`).
    async fn summary(
        &self,
        user: Id,
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Summary>;
}

/// Transfers: two legs written, edited and deleted together (see
/// [`crate::domain::transfer`]). Both accounts must be the user's (`NotFound
/// { what: "account" }` otherwise, checked inside the write).
#[async_trait]
pub trait Transfers: Send + Sync {
    /// Insert both legs (from [`crate::rules::new_transfer`]); with `key`, the
    /// record is stored with them atomically, as for [`Transactions::insert_transaction`].
    async fn insert_transfer(
        &self,
        legs: &[Transaction; 2],
        key: Option<&IdempotencyRecord>,
    ) -> Result<Transfer>;
    /// The transfer whose `transfer_id` is `id`, or `NotFound { what: "transfer" }`.
    async fn transfer(&self, user: Id, id: Id) -> Result<Transfer>;
    /// Replace both legs' accounts, amount, date, description and note.
    async fn update_transfer(
        &self,
        user: Id,
        id: Id,
        change: &NewTransfer,
        now: DateTime<Utc>,
    ) -> Result<Transfer>;
    /// Replace the income or expense row `row` of the user by the two `legs`
    /// (one of them in the row's account), in one write: `NotFound` when the
    /// row is gone or another user's.
    async fn replace_with_transfer(
        &self,
        user: Id,
        row: Id,
        legs: &[Transaction; 2],
    ) -> Result<Transfer>;
}

/// Cleared and reconciled status, and reconciliation against a bank statement.
#[async_trait]
pub trait Reconciliations: Send + Sync {
    /// Set the status of the user's rows `ids` (all in `account`, none
    /// reconciled: `Validation { field: "ids" }` otherwise; `NotFound` for a
    /// missing or another user's row or account). Returns how many changed.
    async fn set_cleared(&self, user: Id, account: Id, ids: &[Id], cleared: bool) -> Result<u64>;
    /// The user's rows in `account` that are not reconciled yet, dated on
    /// or before `through`, oldest first (then by id), at most `limit` — what
    /// a reconciliation ticks. The caller checks the account is the user's.
    async fn unreconciled(
        &self,
        user: Id,
        account: Id,
        through: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>>;
    /// The account's opening balance plus the effects of its cleared and
    /// reconciled rows dated on or before `through` (`None`: all dates).
    async fn cleared_balance(
        &self,
        user: Id,
        account: Id,
        through: Option<NaiveDate>,
    ) -> Result<i64>;
    /// In one write: mark `ticked` cleared (as [`Reconciliations::set_cleared`]; each dated
    /// on or before the statement date, else `Validation { field: "ids" }`),
    /// check that the cleared balance through the statement date now equals
    /// `statement.balance` (`Conflict { field: "statementBalance" }` with the
    /// difference otherwise — nothing written), mark every cleared row
    /// through that date reconciled and store `statement` as the account's
    /// last reconciliation. Returns the account.
    async fn finish_reconciliation(
        &self,
        user: Id,
        account: Id,
        statement: Reconciliation,
        ticked: &[Id],
    ) -> Result<Account>;
}

/// Report groupings, computed by the database (never by loading rows).
///
/// `account`: `None` counts every account's rows (the stores read their
/// per-day aggregates); `Some(account)` only that account's rows (the caller
/// has checked it is the user's; the query stays scoped by `user` too).
/// Transfer legs are never income or expense, with or without it.
#[async_trait]
pub trait Reports: Send + Sync {
    /// Expense over `[from, to]` grouped by category: one row per category
    /// with at least one expense in the range, carrying the category's
    /// *current* name, the sum and the count. Order unspecified (the service sorts).
    async fn spending_by_category(
        &self,
        user: Id,
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CategorySpending>>;
    /// Income, expense and count per calendar month over `[from, to]`, one row
    /// per month that has transactions (`month` = its 1st), oldest first.
    async fn monthly_totals(
        &self,
        user: Id,
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MonthTotals>>;
    /// The `limit` largest expenses over `[from, to]`: amount descending, then id descending.
    async fn largest_expenses(
        &self,
        user: Id,
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<Transaction>>;
    /// Transactions over `[from, to]` (both kinds) grouped by the lower-cased
    /// description ([`Transaction::search_text`] up to its first line break;
    /// descriptions are stored trimmed): the `limit` groups with the highest
    /// count, then total, then key (ascending, byte order). Each carries the
    /// description as spelled by the group's latest transaction (date, then id).
    async fn frequent_descriptions(
        &self,
        user: Id,
        account: Option<Id>,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<DescriptionFrequency>>;
}

/// Bulk import: duplicate candidates and the one-transaction bulk write.
#[async_trait]
pub trait Imports: Send + Sync {
    /// Candidate duplicates of an import's `rows`: the duplicate-detection
    /// fields of at least every stored transaction of the user equal to one of
    /// `rows` on all four fields (the caller compares them; other rows may be
    /// returned too). Read through indexes, never whole transactions of the
    /// user's history: MongoDB looks up each row's [`duplicate_key`]; SQLite
    /// walks the date/kind/amount index over the rows' date span and reads only
    /// the rows equal on those. Order unspecified.
    async fn existing_transaction_keys(
        &self,
        user: Id,
        rows: Vec<TransactionKey>,
    ) -> Result<Vec<TransactionKey>>;
    /// Which of `ids` (bank ids of a statement's entries) the user's
    /// `account` already holds, through the unique bank-id index (never a
    /// scan of the user's history). Order unspecified; another user's rows
    /// are never found (their ids are theirs: the index is per user and account).
    async fn existing_bank_ids(
        &self,
        user: Id,
        account: Id,
        ids: Vec<String>,
    ) -> Result<Vec<String>>;
    /// Insert the new `categories` and then every row of `rows`, chunk by
    /// chunk, all in ONE database transaction: everything is written or
    /// nothing is (an error from `rows` in a later chunk, like any other,
    /// undoes the earlier chunks). A store holds about one chunk at a time,
    /// never every row.
    ///
    /// * Every row must belong to `user` (else `Validation { field: "user" }`).
    /// * Each transaction's category must be one of `categories` or one of the
    ///   user's existing categories (checked once per distinct category, not
    ///   per row; else `NotFound { what: "category" }`); each row's kind is
    ///   stored as given (the import took it from the category).
    /// * Each transaction's account must be one of the user's (checked once
    ///   per distinct account; else `NotFound { what: "account" }`).
    /// * A new category clashing with an existing name is `Conflict { field: "name" }`.
    /// * `progress(done, rows.total())` is called about every 1000 rows and once at the end.
    /// * With `key`, the record is written in the same transaction
    ///   (`Conflict { field: "idempotencyKey" }` when the user already used it).
    /// * A row whose bank id its account already holds (or an earlier row of
    ///   `rows` holds) is `Conflict { field: "bankId" }` ([`BANK_ID_FIELD`]).
    /// * A store that retries its transaction reads `rows` again from the start.
    ///
    /// Returns the number of transactions written.
    async fn insert_transactions(
        &self,
        user: Id,
        categories: &[Category],
        rows: &dyn ImportRows,
        progress: Progress<'_>,
        key: Option<&IdempotencyRecord>,
    ) -> Result<u64>;
}

/// The chunks of an [`ImportRows`], in order.
pub type RowChunks<'a> = Box<dyn Iterator<Item = Result<Vec<Transaction>>> + Send + 'a>;

/// The rows of a bulk write, read chunk by chunk so that a large import is
/// never held whole: a CSV import parses its file again as the store writes
/// (see `csv_io::import`), a `Vec` hands out copies of its slices.
pub trait ImportRows: Send + Sync {
    /// How many rows [`ImportRows::row_chunks`] yields in all (for progress and time bounds).
    fn total(&self) -> u64;
    /// The rows from the first, in chunks of at most `size` rows (`size` ≥ 1).
    /// Each call starts over. An `Err` item ends the write (nothing is written).
    fn row_chunks(&self, size: usize) -> RowChunks<'_>;
}

impl ImportRows for Vec<Transaction> {
    fn total(&self) -> u64 {
        self.len() as u64
    }

    fn row_chunks(&self, size: usize) -> RowChunks<'_> {
        Box::new(self.as_slice().chunks(size.max(1)).map(|c| Ok(c.to_vec())))
    }
}

/// Rows a store asks of an [`ImportRows`] at a time: a few MiB of the
/// longest rows, and many rows per statement batch.
pub const IMPORT_CHUNK_ROWS: usize = 5_000;

/// Records of idempotent writes (written by `Transactions`/`Imports` with the write).
#[async_trait]
pub trait Idempotency: Send + Sync {
    /// The record of an idempotent write by `user` with `key`, if there is one.
    async fn idempotency_record(&self, user: Id, key: &str) -> Result<Option<IdempotencyRecord>>;
}

/// A row a schedule posts, with the occurrence it is for (stored with the
/// row: unique per user, schedule, occurrence and kind, so a transfer's two
/// legs share it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledRow {
    pub occurrence: NaiveDate,
    pub tx: Transaction,
}

/// How [`Schedules::post_occurrences`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Posting {
    /// The rows are written and the schedule advanced.
    Written,
    /// The schedule had already moved past `expected` (another client
    /// posted or skipped these occurrences, or the rows' keys exist):
    /// nothing was written — not an error.
    AlreadyHandled,
}

/// Schedules (recurring transactions) and the posting of their occurrences.
/// A schedule references its account, a category or a transfer's target
/// account: each must be the user's, checked inside the write (`NotFound {
/// what: "account" | "category" }`), and a category or account a schedule
/// uses is not deleted ([`crate::rules::used_by_schedules`], checked by the
/// deletes inside their write).
#[async_trait]
pub trait Schedules: Send + Sync {
    /// Insert.
    async fn insert_schedule(&self, schedule: &Schedule) -> Result<()>;
    /// All of a user's schedules, oldest first (then by id).
    async fn schedules(&self, user: Id) -> Result<Vec<Schedule>>;
    /// One schedule, or `NotFound { what: "schedule" }`.
    async fn schedule(&self, user: Id, id: Id) -> Result<Schedule>;
    /// Replace the template, recurrence and mode (`handled_through` and
    /// `paused` stay).
    async fn update_schedule(
        &self,
        user: Id,
        id: Id,
        change: &NewSchedule,
        now: DateTime<Utc>,
    ) -> Result<Schedule>;
    /// Pause or resume.
    async fn set_schedule_paused(
        &self,
        user: Id,
        id: Id,
        paused: bool,
        now: DateTime<Utc>,
    ) -> Result<Schedule>;
    /// Delete (the rows it posted stay, keeping its id as their origin).
    async fn delete_schedule(&self, user: Id, id: Id) -> Result<()>;
    /// In ONE write: when the schedule's `handled_through` is still
    /// `expected`, insert `rows` (each checked as an insert of its kind:
    /// its account and category the user's) carrying (schedule id,
    /// occurrence), and set `handled_through` to `through` — the rows may be
    /// empty (a skip). Otherwise, or when a row's (schedule, occurrence,
    /// kind) is already stored, nothing is written and the answer is
    /// [`Posting::AlreadyHandled`]: two clients posting at once post each
    /// occurrence once.
    async fn post_occurrences(
        &self,
        user: Id,
        id: Id,
        expected: Option<NaiveDate>,
        through: NaiveDate,
        rows: &[ScheduledRow],
    ) -> Result<Posting>;
}

/// A user's rules (auto-categorisation) and the look-ups of their own
/// history that suggestions and imports make. A rule's category and
/// account, when set, are the same user's, checked inside the write
/// (`NotFound`); deleting a category or account a rule uses never leaves a
/// dangling reference: a delete that moves the rows elsewhere re-points the
/// rules there too, one that does not deletes those rules (see `ARCHITECTURE.md`).
#[async_trait]
pub trait Rules: Send + Sync {
    /// The user's rules in their order (position, then id).
    async fn rules(&self, user: Id) -> Result<Vec<Rule>>;
    /// One of the user's rules (`NotFound` otherwise).
    async fn rule(&self, user: Id, id: Id) -> Result<Rule>;
    /// Add a rule (its position as given).
    async fn insert_rule(&self, rule: &Rule) -> Result<()>;
    /// Replace the user's rule's fields (not its position).
    async fn update_rule(&self, user: Id, id: Id, change: &NewRule) -> Result<Rule>;
    /// Delete the user's rule (`NotFound` otherwise).
    async fn delete_rule(&self, user: Id, id: Id) -> Result<()>;
    /// Give the user's rules `ids` the positions 0, 1, … in that order, in
    /// one write (`NotFound` when any is not the user's: nothing changes).
    async fn reorder_rules(&self, user: Id, ids: &[Id]) -> Result<()>;
    /// Up to `limit` of the user's income and expense rows, one per distinct
    /// lower-cased description starting with `prefix` (already lower-cased),
    /// each the most recent of its description (date, then id) — read
    /// through an index, never the user's whole history. The descriptions
    /// are taken in their sort order from the prefix on; the result is
    /// ordered most recent first.
    async fn recent_by_description(
        &self,
        user: Id,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Transaction>>;
    /// For each `(kind, lower-cased description)`: the category of the
    /// user's most recent row of that kind and exactly that description.
    async fn learned_categories(
        &self,
        user: Id,
        keys: &[(CategoryKind, String)],
    ) -> Result<Vec<Option<Id>>>;
    /// Write `changes` in one database transaction: each row still the
    /// user's, of the change's kind and not a transfer's leg is given the
    /// change's category, description and note (others are left and not
    /// counted); every category named must be the user's (`NotFound`:
    /// nothing changes). Returns the rows changed.
    async fn apply_rule_changes(
        &self,
        user: Id,
        changes: &[RuleChange],
        now: DateTime<Utc>,
    ) -> Result<u64>;
}

/// Judges a selection's census inside a bulk write (the operation passes
/// [`crate::rules::check_bulk`] for its action): an error ends the write
/// with nothing changed.
pub type CensusCheck = Arc<dyn Fn(&SelectionCensus) -> Result<()> + Send + Sync>;

/// Bulk edits of the transaction list and the totals of a filter, each in
/// the database: a selection by filter is applied inside the write (never
/// by loading the rows), and every action is ONE database transaction that
/// first counts the selection ([`SelectionCensus`]), lets `check` judge it,
/// then writes — or writes nothing. The per-day and per-account sums
/// (SQLite's triggers; MongoDB's aggregations) follow every write.
#[async_trait]
pub trait BulkEdits: Send + Sync {
    /// Income, expense (refunds lower it), net and count (transfer legs
    /// included) of every row of the user `filter` lets through, summed
    /// exactly by the database (the caller checked the filter's account).
    async fn filter_totals(&self, user: Id, filter: &TransactionFilter) -> Result<FilterTotals>;
    /// Apply `change` to the selected rows (a category or an account: the
    /// user's, `NotFound` otherwise, checked inside the write; MongoDB writes
    /// it, invariant 12). `updated_at` becomes `now` (not for `Cleared`,
    /// which leaves cleared and reconciled rows alone). Returns how many rows changed.
    async fn bulk_update(
        &self,
        user: Id,
        selection: &Selection,
        change: BulkChange,
        check: CensusCheck,
        now: DateTime<Utc>,
    ) -> Result<u64>;
    /// Delete the selected rows and the other leg of each selected transfer
    /// leg; returns them as they were (what an undo restores).
    async fn bulk_delete(
        &self,
        user: Id,
        selection: &Selection,
        check: CensusCheck,
    ) -> Result<Vec<Transaction>>;
    /// Insert `rows` again exactly (ids, dates, statuses, transfers), all of
    /// the user's (else `NotFound`, like another user's id), in one write: their
    /// categories and accounts must still be the user's (`NotFound`); a row
    /// that exists again is `Conflict { field: "ids" }`. With `key`, the record
    /// is written in the same transaction (see [`Transactions::insert_transaction`]).
    async fn restore_transactions(
        &self,
        user: Id,
        rows: &[Transaction],
        key: Option<&IdempotencyRecord>,
    ) -> Result<u64>;
}

/// One batch of a restore: records of one member of a backup file
/// ([`crate::backup`]), already given the user restored into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreBatch {
    Accounts(Vec<Account>),
    Categories(Vec<Category>),
    Budgets(Vec<Budget>),
    Schedules(Vec<Schedule>),
    Rules(Vec<Rule>),
    Transactions(Vec<Transaction>),
    Idempotency(Vec<IdempotencyRecord>),
}

impl RestoreBatch {
    /// How many records it holds.
    pub fn len(&self) -> usize {
        match self {
            RestoreBatch::Accounts(v) => v.len(),
            RestoreBatch::Categories(v) => v.len(),
            RestoreBatch::Budgets(v) => v.len(),
            RestoreBatch::Schedules(v) => v.len(),
            RestoreBatch::Rules(v) => v.len(),
            RestoreBatch::Transactions(v) => v.len(),
            RestoreBatch::Idempotency(v) => v.len(),
        }
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What the reader of a backup hands a restore.
#[derive(Debug)]
pub enum RestoreFeed {
    Batch(RestoreBatch),
    /// Reading or checking the file failed: undo everything, with this error.
    Failed(crate::error::Error),
    /// Every record was read and every checksum held: keep them.
    End,
}

/// A user's data written back from a backup (see [`crate::backup`]).
#[async_trait]
pub trait Restores: Send + Sync {
    /// Write the batches of `feed` as `user`'s data, all or nothing.
    ///
    /// * The user must be **empty**: no transactions, budgets, schedules,
    ///   rules or idempotency records, and at most one account — what
    ///   registration leaves (its categories and its account, which hold
    ///   nothing, are replaced by the file's). Otherwise `Conflict { field:
    ///   "user" }` and nothing changes.
    /// * The records keep their ids: one whose id is already in the store
    ///   (the same file restored twice, or its user still here) is
    ///   `Conflict { field: "file" }`. The user's currency becomes `currency`
    ///   (the file's), and so do their accounts'.
    /// * References are checked as the single writes check them (a
    ///   transaction's account and category the user's, …: `NotFound`).
    /// * Everything is kept only when the feed ends with
    ///   [`RestoreFeed::End`]: on [`RestoreFeed::Failed`], a closed feed or
    ///   any error nothing of the file remains and the user is as before.
    ///   SQLite writes it in ONE `IMMEDIATE` transaction; MongoDB (whose
    ///   transactions Atlas limits to 60 s) marks the user `restoring`,
    ///   writes batch by batch and deletes what it wrote on failure (a
    ///   restore cut short by a crash is cleaned up by the next one, which
    ///   treats a marked user as empty).
    /// * `records` (the manifest's total) bounds how long it may take.
    ///
    /// Returns how many records were written.
    async fn restore_user_data(
        &self,
        user: Id,
        currency: Currency,
        records: u64,
        feed: tokio::sync::mpsc::Receiver<RestoreFeed>,
    ) -> Result<u64>;
}

/// [`Restores`]: the refusal of a user who already has data.
pub(crate) fn not_empty() -> crate::error::Error {
    crate::error::Error::conflict(
        "user",
        "already has data; a backup restores only into an account with nothing recorded yet",
    )
}

/// [`Restores`]: the refusal of records whose ids (or names) the store already holds.
pub(crate) fn ids_taken() -> crate::error::Error {
    crate::error::Error::conflict(
        "file",
        "its records are already in this store (restored before, or its account still exists)",
    )
}

/// The aggregate traits in one import, for calling store methods through
/// `dyn Store` (a supertrait's methods need the supertrait in scope).
pub mod prelude {
    pub use super::BulkEdits;
    pub use super::Memberships;
    pub use super::Restores;
    pub use super::Rules;
    pub use super::Schedules;
    pub use super::{
        Accounts, Balances, Budgets, Categories, Idempotency, Imports, Reconciliations, Reports,
        Sessions, Store, Transactions, Transfers, Users,
    };
}

/// How often bulk writes report progress (rows).
pub const PROGRESS_EVERY: usize = 1000;

/// The category of an income or expense row; `Internal` for a transfer's
/// leg, which an import or a single add never carries (a bug, not input).
pub(crate) fn category_of(t: &Transaction) -> Result<Id> {
    t.category_id
        .ok_or_else(|| crate::error::Error::internal("store", "a row without a category"))
}

/// The stored kind string.
pub(crate) fn kind_from_str(s: &str) -> Result<CategoryKind> {
    CategoryKind::parse("type", s).map_err(|_| {
        crate::error::Error::internal("store", format!("unknown category kind {s:?} in store"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn duplicate_key_ignores_case_and_surrounding_space_only() {
        let k = |date, amount, kind, desc| duplicate_key(d(date), amount, kind, desc);
        let base = k("2024-01-05", 1250, CategoryKind::Expense, "Bakery");
        assert_eq!(
            base,
            k("2024-01-05", 1250, CategoryKind::Expense, "  BAKERY ")
        );
        assert_eq!(base, k("2024-01-05", 1250, CategoryKind::Expense, "bakery"));
        assert_ne!(base, k("2024-01-06", 1250, CategoryKind::Expense, "Bakery"));
        assert_ne!(base, k("2024-01-05", 1251, CategoryKind::Expense, "Bakery"));
        assert_ne!(base, k("2024-01-05", 1250, CategoryKind::Income, "Bakery"));
        assert_ne!(
            base,
            k("2024-01-05", 1250, CategoryKind::Expense, "Baker y")
        );
        // Unicode lower-casing (SQL's lower() would not match these).
        assert_eq!(
            k("2024-01-05", 1, CategoryKind::Expense, "ÉPICERIE Ärzte"),
            k("2024-01-05", 1, CategoryKind::Expense, "épicerie ärzte")
        );
    }

    /// The key is stored in both databases: changing its definition silently
    /// would make every stored row invisible to the duplicate check. This pins
    /// it to SHA-256 over `date || amount (i64 LE) || kind byte || description`.
    #[test]
    fn duplicate_key_definition_is_stable() {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"2024-01-05");
        h.update(1250i64.to_le_bytes());
        h.update([1u8]);
        h.update(b"bakery");
        let digest: [u8; 32] = h.finalize().into();
        let expected = i64::from_le_bytes(digest[..8].try_into().unwrap());
        assert_eq!(
            duplicate_key(d("2024-01-05"), 1250, CategoryKind::Expense, " Bakery"),
            expected
        );
    }
}
