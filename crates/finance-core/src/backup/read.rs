//! Reading a backup file: the manifest first (by name: it is the zip's last
//! member), then each member in the fixed order of [`super::MEMBERS`],
//! streamed line by line into batches of domain records, its SHA-256 and
//! record count checked against the manifest when its end is reached.
//!
//! Every refusal is `Validation { field: "file" }` (a wrong passphrase:
//! `field: "passphrase"`); nothing here panics on any input (the fuzz
//! target `backup_read` feeds it arbitrary bytes). The reader only reads:
//! what a restore does with a batch, and undoing it when a later check
//! fails, is the store's (see [`crate::store::Restores`]).

use std::io::{self, BufRead, BufReader, Read, Seek};

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::crypt::{Key, Opener, hex_encode, opening_error};
use super::format::{
    AccountV1, BudgetV1, CategoryV1, EncryptionV1, FORMAT_NAME, IdempotencyV1, ManifestV1,
    MemberV1, RuleV1, ScheduleV1, TransactionV1, bad,
};
use super::{
    ACCOUNTS, BUDGETS, CATEGORIES, ENCRYPTION, FORMAT_VERSION, IDEMPOTENCY, MANIFEST, MEMBERS,
    OPTIONAL_MEMBERS, RULES, SCHEDULES, TRANSACTIONS,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::store::RestoreBatch;

/// The longest record line read (a transaction's description and note are
/// far shorter; a longer line is damage or a foreign file).
pub const MAX_LINE: u64 = 256 * 1024;
/// The largest `manifest.json` / `encryption.json` read.
const MAX_SMALL_MEMBER: u64 = 1024 * 1024;
/// Records per batch handed to the store.
pub const BATCH: usize = 5_000;
/// Record bytes per batch: a batch is handed over at [`BATCH`] records or
/// this many bytes of lines, whichever comes first (long lines stay bounded).
const BATCH_BYTES: usize = 8 * 1024 * 1024;

/// An `io::Error` from reading a member as the refusal it stands for.
fn read_error(e: &io::Error) -> Error {
    opening_error(e).unwrap_or_else(|| bad(format!("a part cannot be read ({})", e.kind())))
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

/// An opened backup file whose manifest has been read and checked.
pub struct Reader<R: Read + Seek> {
    zip: ZipArchive<R>,
    key: Option<Key>,
    manifest: ManifestV1,
}

/// Whether the zip holds an `encryption.json` (the file needs a passphrase).
pub fn is_encrypted<R: Read + Seek>(input: R) -> Result<bool> {
    let zip = ZipArchive::new(input).map_err(|_| bad("it is not a backup file (not a zip)"))?;
    Ok(zip.index_for_name(ENCRYPTION).is_some())
}

impl<R: Read + Seek> Reader<R> {
    /// Open `input` and read its manifest (decrypted with `passphrase` when
    /// the file is encrypted: none given is `Validation { field:
    /// "passphrase" }`). Checks the format name, the version (a newer
    /// one than this release reads is refused) and the member list.
    pub fn open(input: R, passphrase: Option<&str>) -> Result<Reader<R>> {
        let mut zip =
            ZipArchive::new(input).map_err(|_| bad("it is not a backup file (not a zip)"))?;
        let key = if zip.index_for_name(ENCRYPTION).is_some() {
            let enc: EncryptionV1 = {
                let f = zip
                    .by_name(ENCRYPTION)
                    .map_err(|_| bad("encryption.json"))?;
                serde_json::from_reader(f.take(MAX_SMALL_MEMBER))
                    .map_err(|_| bad("encryption.json is damaged"))?
            };
            let passphrase = passphrase.filter(|p| !p.is_empty()).ok_or_else(|| {
                Error::validation(
                    "passphrase",
                    "this backup is encrypted: enter its passphrase",
                )
            })?;
            Some(Key::derive(passphrase, &enc)?)
        } else {
            None
        };
        let manifest: ManifestV1 = {
            let f = zip
                .by_name(MANIFEST)
                .map_err(|_| bad("it has no manifest.json"))?;
            let mut bytes = Vec::new();
            let read = match &key {
                Some(k) => Opener::new(k, f)
                    .take(MAX_SMALL_MEMBER)
                    .read_to_end(&mut bytes),
                None => f.take(MAX_SMALL_MEMBER).read_to_end(&mut bytes),
            };
            read.map_err(|e| read_error(&e))?;
            // The manifest's shape depends on its version: read that first.
            let head: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|_| bad("manifest.json is damaged"))?;
            if head.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
                return Err(bad("it is not a Personal Finance Manager backup"));
            }
            match head.get("version").and_then(serde_json::Value::as_u64) {
                Some(v) if v >= 1 && v <= u64::from(FORMAT_VERSION) => {}
                Some(v) if v > u64::from(FORMAT_VERSION) => {
                    return Err(Error::validation(
                        "file",
                        format!(
                            "was made by a newer release (backup format {v}); update the app to restore it"
                        ),
                    ));
                }
                _ => return Err(bad("manifest.json has no valid version")),
            }
            serde_json::from_value(head).map_err(|_| bad("manifest.json is damaged"))?
        };
        check_members(&manifest.members)?;
        manifest.profile.currency()?;
        Ok(Reader { zip, key, manifest })
    }

    /// The checked manifest.
    pub fn manifest(&self) -> &ManifestV1 {
        &self.manifest
    }

    /// Every record of the file (transactions and everything else) as the manifest counts them.
    pub fn total_records(&self) -> u64 {
        self.manifest
            .members
            .iter()
            .fold(0u64, |n, m| n.saturating_add(m.records))
    }

    /// Read every member in order as records of `user` in `currency`,
    /// handing them to `sink` in batches of at most [`BATCH`]; each
    /// member's count and checksum are checked at its end, so the last
    /// batch of a member is handed over only after they are (a failure
    /// ends the read with the error; the batches already handed over must
    /// then be undone by the caller).
    pub fn read_all(
        &mut self,
        user: Id,
        currency: Currency,
        sink: &mut dyn FnMut(RestoreBatch) -> Result<()>,
    ) -> Result<()> {
        let members = self.manifest.members.clone();
        for name in MEMBERS {
            let Some(member) = members.iter().find(|m| m.name == name) else {
                continue;
            };
            match name {
                ACCOUNTS => self.member(member, sink, |r: AccountV1| {
                    r.into_domain(user, currency).map(Item::Account)
                })?,
                CATEGORIES => {
                    self.member(member, sink, |r: CategoryV1| {
                        r.into_domain(user).map(Item::Category)
                    })?;
                }
                BUDGETS => self.member(member, sink, |r: BudgetV1| {
                    r.into_domain(user).map(Item::Budget)
                })?,
                SCHEDULES => self.member(member, sink, |r: ScheduleV1| {
                    r.into_domain(user).map(Item::Schedule)
                })?,
                RULES => self.member(member, sink, |r: RuleV1| {
                    r.into_domain(user).map(Item::Rule)
                })?,
                TRANSACTIONS => self.member(member, sink, |r: TransactionV1| {
                    r.into_domain(user).map(Item::Transaction)
                })?,
                IDEMPOTENCY => self.member(member, sink, |r: IdempotencyV1| {
                    r.into_domain().map(Item::Idempotency)
                })?,
                _ => return Err(Error::internal("backup read", "unknown member")),
            }
        }
        Ok(())
    }

    /// Read one member's lines into batches.
    fn member<T: DeserializeOwned>(
        &mut self,
        member: &MemberV1,
        sink: &mut dyn FnMut(RestoreBatch) -> Result<()>,
        convert: impl Fn(T) -> Result<Item>,
    ) -> Result<()> {
        let entry = self
            .zip
            .by_name(&member.name)
            .map_err(|_| bad(format!("{} is missing", member.name)))?;
        let plain: Box<dyn Read + '_> = match &self.key {
            Some(k) => Box::new(Opener::new(k, entry)),
            None => Box::new(entry),
        };
        let mut input = BufReader::with_capacity(
            64 * 1024,
            Hashing {
                inner: plain,
                hash: Sha256::new(),
            },
        );
        let mut batch = Batch::new();
        let mut line = Vec::with_capacity(512);
        let mut records = 0u64;
        let mut pending = 0usize;
        loop {
            line.clear();
            let n = (&mut input)
                .take(MAX_LINE + 1)
                .read_until(b'\n', &mut line)
                .map_err(|e| read_error(&e))?;
            if n == 0 {
                break;
            }
            if line.last() != Some(&b'\n') {
                return Err(bad(format!(
                    "{} has an unfinished or too long line",
                    member.name
                )));
            }
            records += 1;
            if records > member.records {
                return Err(bad(format!(
                    "{} holds more records than its count",
                    member.name
                )));
            }
            let record: T = serde_json::from_slice(&line)
                .map_err(|_| bad(format!("{} line {records} is damaged", member.name)))?;
            pending += n;
            if let Some(full) = batch.push(convert(record)?) {
                pending = 0;
                sink(full)?;
            } else if pending > BATCH_BYTES
                && let Some(full) = batch.take()
            {
                pending = 0;
                sink(full)?;
            }
        }
        let digest = hex_encode(&input.into_inner().hash.finalize());
        if records != member.records {
            return Err(bad(format!("{} is truncated", member.name)));
        }
        if digest != member.sha256 {
            return Err(bad(format!("{}'s checksum does not match", member.name)));
        }
        if let Some(rest) = batch.take() {
            sink(rest)?;
        }
        Ok(())
    }
}

/// The manifest lists each known member once, the required ones all.
fn check_members(members: &[MemberV1]) -> Result<()> {
    for (i, m) in members.iter().enumerate() {
        if !MEMBERS.contains(&m.name.as_str()) {
            return Err(bad(format!("it lists an unknown part {:?}", m.name)));
        }
        if members[..i].iter().any(|o| o.name == m.name) {
            return Err(bad("it lists a part twice"));
        }
    }
    for name in MEMBERS {
        if !OPTIONAL_MEMBERS.contains(&name) && !members.iter().any(|m| m.name == name) {
            return Err(bad(format!("it has no {name}")));
        }
    }
    Ok(())
}

/// One converted record.
enum Item {
    Account(crate::domain::Account),
    Category(crate::domain::Category),
    Budget(crate::domain::Budget),
    Schedule(crate::domain::Schedule),
    Rule(crate::domain::Rule),
    Transaction(crate::domain::Transaction),
    Idempotency(crate::store::IdempotencyRecord),
}

/// Records gathered into one [`RestoreBatch`] (all of one member).
struct Batch(Option<RestoreBatch>, usize);

impl Batch {
    fn new() -> Batch {
        Batch(None, 0)
    }

    /// Add; returns the batch when it is full.
    fn push(&mut self, item: Item) -> Option<RestoreBatch> {
        macro_rules! add {
            ($variant:ident, $value:expr) => {{
                match &mut self.0 {
                    Some(RestoreBatch::$variant(v)) => v.push($value),
                    _ => self.0 = Some(RestoreBatch::$variant(vec![$value])),
                }
            }};
        }
        match item {
            Item::Account(a) => add!(Accounts, a),
            Item::Category(c) => add!(Categories, c),
            Item::Budget(b) => add!(Budgets, b),
            Item::Schedule(s) => add!(Schedules, s),
            Item::Rule(r) => add!(Rules, r),
            Item::Transaction(t) => add!(Transactions, t),
            Item::Idempotency(k) => add!(Idempotency, k),
        }
        self.1 += 1;
        if self.1 >= BATCH { self.take() } else { None }
    }

    fn take(&mut self) -> Option<RestoreBatch> {
        self.1 = 0;
        self.0.take()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use proptest::prelude::*;

    use super::*;
    use crate::backup::format::{CategoryV1, ProfileV1, TransactionV1};
    use crate::backup::write::Writer;

    fn profile() -> ProfileV1 {
        ProfileV1 {
            id: Id::from_bytes([7; 12]).to_hex(),
            username: "ann".into(),
            email: "ann@example.com".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            currency: "EUR".into(),
            created_at_ms: 0,
            password_hash: None,
        }
    }

    /// A small valid file: two categories, `rows` transactions.
    fn file(rows: usize) -> Vec<u8> {
        let cat = Id::from_bytes([2; 12]).to_hex();
        let acc = Id::from_bytes([3; 12]).to_hex();
        let mut w = Writer::new(Cursor::new(Vec::new()), None).unwrap();
        w.member::<CategoryV1>(ACCOUNTS, &[]).unwrap();
        w.member(
            CATEGORIES,
            &[CategoryV1 {
                id: cat.clone(),
                name: "Food".into(),
                kind: "expense".into(),
                created_at_ms: 0,
            }],
        )
        .unwrap();
        for m in [BUDGETS, SCHEDULES, RULES] {
            w.member::<CategoryV1>(m, &[]).unwrap();
        }
        w.begin(TRANSACTIONS).unwrap();
        for i in 0..rows {
            w.record(&TransactionV1 {
                id: Id::from_bytes([i as u8; 12]).to_hex(),
                account_id: acc.clone(),
                category_id: Some(cat.clone()),
                kind: "expense".into(),
                amount: 100 + i as i64,
                date: "2024-01-01".into(),
                description: format!("row {i}"),
                note: None,
                status: "uncleared".into(),
                transfer_id: None,
                bank_id: None,
                created_at_ms: 0,
                updated_at_ms: 0,
            })
            .unwrap();
        }
        w.finish(profile(), 0).unwrap().into_inner()
    }

    /// Read everything; the number of transactions handed over.
    fn read(bytes: Vec<u8>) -> Result<usize> {
        let mut r = Reader::open(Cursor::new(bytes), None)?;
        let mut n = 0;
        r.read_all(Id::from_bytes([9; 12]), Currency::EUR, &mut |b| {
            if let RestoreBatch::Transactions(v) = b {
                n += v.len();
            }
            Ok(())
        })?;
        Ok(n)
    }

    #[test]
    fn a_written_file_reads_back_and_a_bank_id_less_row_reads_as_none() {
        assert_eq!(read(file(12)).unwrap(), 12, "every row comes back");
        let line = r#"{"id":"0a0a0a0a0a0a0a0a0a0a0a0a","accountId":"030303030303030303030303","categoryId":"020202020202020202020202","kind":"expense","amount":5,"date":"2024-01-01","description":"x","note":null,"status":"uncleared","transferId":null,"createdAtMs":0,"updatedAtMs":0}"#;
        let t: TransactionV1 = serde_json::from_str(line).unwrap();
        assert_eq!(t.bank_id, None, "a file without bankId reads as null");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Damage anywhere (a flipped byte, a cut) is read or refused as the
        /// file's problem — never a panic, never another error.
        #[test]
        fn damaged_files_are_refused_on_the_file(
            rows in 0usize..40,
            at in any::<proptest::sample::Index>(),
            flip in 1u8..=255,
            cut in any::<bool>(),
        ) {
            let mut bytes = file(rows);
            let i = at.index(bytes.len());
            if cut {
                bytes.truncate(i);
            } else {
                bytes[i] ^= flip;
            }
            match read(bytes) {
                Ok(n) => prop_assert_eq!(n, rows, "a file that reads must read whole"),
                Err(Error::Validation { field, .. }) => prop_assert_eq!(field, "file"),
                Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            }
        }

        #[test]
        fn arbitrary_bytes_are_refused_on_the_file(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            match read(bytes) {
                Ok(_) => {}
                Err(Error::Validation { field, .. }) => prop_assert!(field == "file" || field == "passphrase"),
                Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            }
        }
    }
}
