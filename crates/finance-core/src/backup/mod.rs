//! The backup file: everything of one user in one file, and the format's
//! specification (this text is it; its version is [`FORMAT_VERSION`]).
//!
//! # Format, version 1
//!
//! `<name>.financebackup` is a zip archive (deflate only) of these members:
//!
//! | member | content |
//! | --- | --- |
//! | `manifest.json` | [`format::ManifestV1`]: `format` = `"finance-manager-backup"`, `version` = 1, `appVersion`, `createdAtMs`, `profile` (the user without the password hash — with it only in an encrypted file), and `members`: for each other member its `name`, `records` (line count) and `sha256` (of its plain bytes, lower-case hex) |
//! | `accounts.jsonl` | [`format::AccountV1`], one JSON object per line |
//! | `categories.jsonl` | [`format::CategoryV1`] |
//! | `budgets.jsonl` | [`format::BudgetV1`] |
//! | `schedules.jsonl` | [`format::ScheduleV1`] |
//! | `rules.jsonl` | [`format::RuleV1`], in the user's order |
//! | `transactions.jsonl` | [`format::TransactionV1`], ordered by date, then id |
//! | `idempotency.jsonl` | optional: [`format::IdempotencyV1`] (this release writes none) |
//! | `encryption.json` | only in an encrypted file: [`format::EncryptionV1`] |
//!
//! * JSON Lines: UTF-8, each record one line ending in `\n`, camelCase keys.
//!   Money is integer minor units of the profile's currency (never a
//!   decimal), dates `YYYY-MM-DD`, instants Unix milliseconds, ids 24 hex
//!   digits. Records carry no user id.
//! * The writer puts `manifest.json` last (the checksums are known only at
//!   the end); the reader reads it first, by name, through the zip's
//!   central directory — so reading needs a seekable file.
//! * Encrypted (full fidelity, off by default): `encryption.json` is stored
//!   in the clear; every other member, the manifest included, is sealed as
//!   described in [`crypt`] (Argon2id key, ChaCha20-Poly1305 STREAM, 64 KiB
//!   chunks). The manifest's profile then carries `passwordHash`, so a
//!   restore can create the user again.
//!
//! # Versions
//! A reader refuses a file whose `version` is newer than [`FORMAT_VERSION`]
//! and reads every older one: a change to the records is a new version, a
//! new `*V2` record in `format.rs`, and a conversion from the older ones.
//! `tests/fixtures/backup/` keeps a file of each version, and the contract
//! tests restore it.
//!
//! # Invariants
//! * A file that is truncated, altered (a member's checksum or record count
//!   differs from the manifest), not a zip, or not a backup is refused with
//!   `Validation { field: "file" }`; a wrong passphrase with `Validation {
//!   field: "passphrase" }`.
//! * Verification happens while reading, member by member: the records read
//!   go to the store's restore as they come, and the store undoes them when
//!   a later check fails (see [`crate::store::Restores`]: SQLite rolls back
//!   its one transaction; MongoDB deletes what it wrote), so a refused file
//!   leaves nothing behind. One pass over the file, never a copy of it.
//! * Memory is bounded: a record line at a time plus one batch of
//!   [`read::BATCH`] records (reading); one record (writing).

pub mod crypt;
pub mod format;
pub mod read;
pub mod write;

/// The newest format this release writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// The file name extension.
pub const EXTENSION: &str = "financebackup";

pub const MANIFEST: &str = "manifest.json";
pub const ENCRYPTION: &str = "encryption.json";
pub const ACCOUNTS: &str = "accounts.jsonl";
pub const CATEGORIES: &str = "categories.jsonl";
pub const BUDGETS: &str = "budgets.jsonl";
pub const SCHEDULES: &str = "schedules.jsonl";
pub const RULES: &str = "rules.jsonl";
pub const TRANSACTIONS: &str = "transactions.jsonl";
pub const IDEMPOTENCY: &str = "idempotency.jsonl";

/// The record members in the order they are written and restored (each
/// refers only to members before it: budgets to categories, schedules and
/// rules and transactions to accounts and categories).
pub const MEMBERS: [&str; 7] = [
    ACCOUNTS,
    CATEGORIES,
    BUDGETS,
    SCHEDULES,
    RULES,
    TRANSACTIONS,
    IDEMPOTENCY,
];

/// Members a file may leave out.
pub const OPTIONAL_MEMBERS: [&str; 1] = [IDEMPOTENCY];

pub use read::Reader;
pub use write::Writer;
