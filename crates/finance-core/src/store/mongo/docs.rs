//! The stored documents: one `*Doc` struct per collection, the explicit
//! conversions to and from the domain types (which know nothing of BSON),
//! and the id, time and date encodings they share.
//!
//! # Stored shapes
//!
//! Field names are camelCase and fixed by the product. Ids are BSON
//! `ObjectId`s made from the same 12 bytes as [`Id`]; timestamps are BSON
//! `DateTime`s (milliseconds, so every timestamp is truncated to the
//! millisecond); calendar dates are BSON `DateTime`s at 00:00 UTC of the date;
//! money is `Int64` minor units.
//!
//! * `users`: `_id, username, passwordHash, firstName, lastName, email,
//!   currency` (ISO 4217 code)`, createdAt`.
//! * `categories`: `_id, userId, name, nameKey` (the lower-cased name, for the
//!   unique index)`, type` (`"income"`/`"expense"`)`, createdAt, rev` (Int64,
//!   absent until first needed: bumped by every transaction that adds a
//!   reference to the category, so a concurrent delete conflicts with it; see
//!   `categories`; never read).
//! * `accounts`: `_id, userId, name, nameKey` (the lower-cased name, for the
//!   unique index)`, type` ([`AccountType::as_str`])`, currency, openingBalance`
//!   (Int64, signed)`, openingDate, note` (null when none)`, archived,
//!   position` (Int32)`, reconciled` (null, or `{date, balance}`)`, createdAt,
//!   rev` (Int64, absent until first needed; bumped by every write that adds
//!   a reference to the account, like a category's). The "Main account" the
//!   migration gives a user of a release before accounts has the user's `_id`.
//! * `budgets`: `_id, userId, category, limit, period`
//!   (`"weekly"`/`"monthly"`/`"yearly"`)`, createdAt`.
//! * `transactions`: `_id, userId, accountId, status` (`"uncleared"` until
//!   reconciliation exists)`, category, type, amount, date, description,
//!   note` (null or absent when none)`, searchText` (see
//!   [`Transaction::search_text`])`, dupKey` (see
//!   [`duplicate_key`])`, createdAt, updatedAt`.
//! * `sessions`: `_id` (the JWT `jti`)`, userId, createdAt, expiresAt` (a TTL
//!   index removes expired ones; reads still compare `expiresAt`).
//! * `loginThrottle`: `_id` (the normalised username of an existing user)`,
//!   failures, lockedUntil` (null when not locked)`, lastFailureAt, checkedAt`
//!   (the server's time at the last attempt)`, refused` (whether a lock refused
//!   the last attempt); every instant is the server's (`$$NOW`). Documents of
//!   versions before the store's clock have no `lastFailureAt` and are deleted
//!   when the store is opened.
//! * `idempotencyKeys`: `_id, userId, key, fingerprint, result, createdAt`
//!   (unique on `userId, key`), written in the same transaction as the add or
//!   import it records.
//!
//! The shapes are persistent: a change needs a migration of stored documents.
//! Reading a document that does not convert (an unknown kind, an invalid
//! amount, currency or date) is `Internal`, never a panic.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, DateTime as BsonDateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::errors::corrupt;
use crate::domain::{
    Account, AccountType, Budget, Category, EntryKind, Period, Reconciliation, Transaction,
    TxStatus, User,
};
use crate::error::Result;
use crate::id::Id;
use crate::money::{self, Amount, Currency, SignedAmount};
use crate::store::{
    IdempotencyRecord, LoginAttempt, SessionRecord, TransactionKey, UserRecord, duplicate_key,
    kind_from_str,
};

pub(super) fn oid(id: Id) -> ObjectId {
    ObjectId::from_bytes(id.bytes())
}

pub(super) fn id_of(oid: &ObjectId) -> Id {
    Id::from_bytes(oid.bytes())
}

/// A timestamp, to the millisecond.
pub(super) fn time_to_bson(t: DateTime<Utc>) -> BsonDateTime {
    BsonDateTime::from_millis(t.timestamp_millis())
}

pub(super) fn time_from_bson(t: BsonDateTime) -> Result<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(t.timestamp_millis()).ok_or_else(|| corrupt("timestamp"))
}

/// A calendar date as 00:00 UTC of that day.
pub(super) fn date_to_bson(d: NaiveDate) -> BsonDateTime {
    BsonDateTime::from_millis(d.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
}

pub(super) fn date_from_bson(t: BsonDateTime) -> Result<NaiveDate> {
    Ok(time_from_bson(t)?.date_naive())
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserDoc {
    #[serde(rename = "_id")]
    pub(super) id: ObjectId,
    pub(super) username: String,
    pub(super) password_hash: String,
    pub(super) first_name: String,
    pub(super) last_name: String,
    pub(super) email: String,
    pub(super) currency: String,
    pub(super) created_at: BsonDateTime,
}

pub(super) fn user_to_doc(r: &UserRecord) -> UserDoc {
    let u = &r.user;
    UserDoc {
        id: oid(u.id),
        username: u.username.clone(),
        password_hash: r.password_hash.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        email: u.email.clone(),
        currency: u.currency.code().to_string(),
        created_at: time_to_bson(u.created_at),
    }
}

pub(super) fn user_from_doc(d: UserDoc) -> Result<UserRecord> {
    Ok(UserRecord {
        user: User {
            id: id_of(&d.id),
            username: d.username,
            first_name: d.first_name,
            last_name: d.last_name,
            email: d.email,
            currency: Currency::parse("currency", &d.currency).map_err(|_| corrupt("currency"))?,
            created_at: time_from_bson(d.created_at)?,
        },
        password_hash: d.password_hash,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CategoryDoc {
    #[serde(rename = "_id")]
    pub(super) id: ObjectId,
    pub(super) user_id: ObjectId,
    pub(super) name: String,
    pub(super) name_key: String,
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) created_at: BsonDateTime,
}

pub(super) fn category_to_doc(c: &Category) -> CategoryDoc {
    CategoryDoc {
        id: oid(c.id),
        user_id: oid(c.user_id),
        name: c.name.clone(),
        name_key: c.name.to_lowercase(),
        kind: c.kind.as_str().to_string(),
        created_at: time_to_bson(c.created_at),
    }
}

pub(super) fn category_from_doc(d: CategoryDoc) -> Result<Category> {
    Ok(Category {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        name: d.name,
        kind: kind_from_str(&d.kind)?,
        created_at: time_from_bson(d.created_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ReconciledDoc {
    pub(super) date: BsonDateTime,
    pub(super) balance: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AccountDoc {
    #[serde(rename = "_id")]
    pub(super) id: ObjectId,
    pub(super) user_id: ObjectId,
    pub(super) name: String,
    pub(super) name_key: String,
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) currency: String,
    pub(super) opening_balance: i64,
    pub(super) opening_date: BsonDateTime,
    #[serde(default)]
    pub(super) note: Option<String>,
    pub(super) archived: bool,
    pub(super) position: i32,
    #[serde(default)]
    pub(super) reconciled: Option<ReconciledDoc>,
    pub(super) created_at: BsonDateTime,
}

pub(super) fn account_to_doc(a: &Account) -> AccountDoc {
    AccountDoc {
        id: oid(a.id),
        user_id: oid(a.user_id),
        name: a.name.clone(),
        name_key: a.name.to_lowercase(),
        kind: a.kind.as_str().to_string(),
        currency: a.currency.code().to_string(),
        opening_balance: a.opening_balance,
        opening_date: date_to_bson(a.opening_date),
        note: a.note.clone(),
        archived: a.archived,
        position: a.position,
        reconciled: a.last_reconciled.map(|r| ReconciledDoc {
            date: date_to_bson(r.date),
            balance: r.balance,
        }),
        created_at: time_to_bson(a.created_at),
    }
}

pub(super) fn account_from_doc(d: AccountDoc) -> Result<Account> {
    Ok(Account {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        name: d.name,
        kind: AccountType::parse("type", &d.kind).map_err(|_| corrupt("account type"))?,
        currency: Currency::parse("currency", &d.currency).map_err(|_| corrupt("currency"))?,
        opening_balance: d.opening_balance,
        opening_date: date_from_bson(d.opening_date)?,
        note: d.note,
        archived: d.archived,
        position: d.position,
        last_reconciled: d
            .reconciled
            .map(|r| {
                Ok::<_, crate::Error>(Reconciliation {
                    date: date_from_bson(r.date)?,
                    balance: r.balance,
                })
            })
            .transpose()?,
        created_at: time_from_bson(d.created_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct BudgetDoc {
    #[serde(rename = "_id")]
    pub(super) id: ObjectId,
    pub(super) user_id: ObjectId,
    pub(super) category: ObjectId,
    pub(super) limit: i64,
    pub(super) period: String,
    pub(super) created_at: BsonDateTime,
}

pub(super) fn budget_to_doc(b: &Budget) -> BudgetDoc {
    BudgetDoc {
        id: oid(b.id),
        user_id: oid(b.user_id),
        category: oid(b.category_id),
        limit: b.limit.minor(),
        period: b.period.as_str().to_string(),
        created_at: time_to_bson(b.created_at),
    }
}

pub(super) fn budget_from_doc(d: BudgetDoc) -> Result<Budget> {
    Ok(Budget {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        category_id: id_of(&d.category),
        limit: Amount::from_minor("limit", d.limit).map_err(|_| corrupt("budget limit"))?,
        period: Period::parse("period", &d.period).map_err(|_| corrupt("budget period"))?,
        created_at: time_from_bson(d.created_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TransactionDoc {
    #[serde(rename = "_id")]
    pub(super) id: ObjectId,
    pub(super) user_id: ObjectId,
    /// Absent only on a document a device from before accounts wrote after
    /// this database was migrated: read as the user's migrated Main account
    /// (whose id is the user's), and given it on the next open.
    #[serde(default)]
    pub(super) account_id: Option<ObjectId>,
    /// `"uncleared"`, `"cleared"` or `"reconciled"` (absent like `accountId`: uncleared).
    #[serde(default = "uncleared")]
    pub(super) status: String,
    /// Absent on a transfer's leg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) category: Option<ObjectId>,
    /// The transfer a leg belongs to (absent on income and expense).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) transfer_id: Option<ObjectId>,
    /// The bank's id of an imported statement entry (absent otherwise: the
    /// unique index `bank_id_unique` is partial on its presence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) bank_id: Option<String>,
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) amount: i64,
    pub(super) date: BsonDateTime,
    pub(super) description: String,
    #[serde(default)]
    pub(super) note: Option<String>,
    pub(super) search_text: String,
    /// `store::duplicate_key`; absent only on documents written before it existed
    /// (given one when the store is opened).
    #[serde(default)]
    pub(super) dup_key: Option<i64>,
    pub(super) created_at: BsonDateTime,
    pub(super) updated_at: BsonDateTime,
}

fn uncleared() -> String {
    TxStatus::Uncleared.as_str().to_string()
}

/// The stored document of `t`.
pub(super) fn transaction_to_doc(t: &Transaction) -> TransactionDoc {
    TransactionDoc {
        id: oid(t.id),
        user_id: oid(t.user_id),
        account_id: Some(oid(t.account_id)),
        status: t.status.as_str().to_string(),
        category: t.category_id.map(oid),
        transfer_id: t.transfer_id.map(oid),
        bank_id: t.bank_id.clone(),
        kind: t.kind.as_str().to_string(),
        amount: t.amount.minor(),
        date: date_to_bson(t.date),
        description: t.description.clone(),
        note: t.note.clone(),
        search_text: Transaction::search_text(&t.description, t.note.as_deref()),
        dup_key: Some(duplicate_key(
            t.date,
            t.amount.minor(),
            t.kind.direction(),
            &t.description,
        )),
        created_at: time_to_bson(t.created_at),
        updated_at: time_to_bson(t.updated_at),
    }
}

pub(super) fn transaction_from_doc(d: TransactionDoc) -> Result<Transaction> {
    Ok(Transaction {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        account_id: id_of(d.account_id.as_ref().unwrap_or(&d.user_id)),
        category_id: d.category.as_ref().map(id_of),
        kind: EntryKind::parse("type", &d.kind).map_err(|_| corrupt("transaction type"))?,
        amount: SignedAmount::from_minor("amount", d.amount)
            .map_err(|_| corrupt("transaction amount"))?,
        date: date_from_bson(d.date)?,
        description: d.description,
        note: d.note,
        status: TxStatus::parse("status", &d.status).map_err(|_| corrupt("transaction status"))?,
        transfer_id: d.transfer_id.as_ref().map(id_of),
        bank_id: d.bank_id,
        created_at: time_from_bson(d.created_at)?,
        updated_at: time_from_bson(d.updated_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct IdempotencyDoc {
    #[serde(rename = "_id")]
    pub(super) id: ObjectId,
    pub(super) user_id: ObjectId,
    pub(super) key: String,
    pub(super) fingerprint: String,
    pub(super) result: String,
    pub(super) created_at: BsonDateTime,
}

/// A new record of `user`'s idempotent write (a fresh `_id`).
pub(super) fn idempotency_to_doc(user: Id, r: &IdempotencyRecord) -> IdempotencyDoc {
    IdempotencyDoc {
        id: ObjectId::new(),
        user_id: oid(user),
        key: r.key.clone(),
        fingerprint: r.fingerprint.clone(),
        result: r.result.clone(),
        created_at: time_to_bson(r.created_at),
    }
}

pub(super) fn idempotency_from_doc(d: IdempotencyDoc) -> Result<IdempotencyRecord> {
    Ok(IdempotencyRecord {
        key: d.key,
        fingerprint: d.fingerprint,
        result: d.result,
        created_at: time_from_bson(d.created_at)?,
    })
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SessionDoc {
    #[serde(rename = "_id")]
    pub(super) jti: String,
    pub(super) user_id: ObjectId,
    pub(super) created_at: BsonDateTime,
    pub(super) expires_at: BsonDateTime,
}

pub(super) fn session_to_doc(s: &SessionRecord) -> SessionDoc {
    SessionDoc {
        jti: s.jti.clone(),
        user_id: oid(s.user_id),
        created_at: time_to_bson(s.created_at),
        expires_at: time_to_bson(s.expires_at),
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ThrottleDoc {
    #[serde(rename = "_id")]
    pub(super) username: String,
    #[serde(default)]
    pub(super) failures: i64,
    #[serde(default)]
    pub(super) locked_until: Option<BsonDateTime>,
    #[serde(default)]
    pub(super) last_failure_at: Option<BsonDateTime>,
    #[serde(default)]
    pub(super) checked_at: Option<BsonDateTime>,
    #[serde(default)]
    pub(super) refused: bool,
}

impl ThrottleDoc {
    /// The document of a username with no failures yet.
    pub(super) fn empty(username: &str) -> ThrottleDoc {
        ThrottleDoc {
            username: username.to_string(),
            failures: 0,
            locked_until: None,
            last_failure_at: None,
            checked_at: None,
            refused: false,
        }
    }
}

/// What the last attempt recorded in `d` decided.
pub(super) fn attempt_from_doc(d: &ThrottleDoc) -> Result<LoginAttempt> {
    if !d.refused {
        return Ok(LoginAttempt::Allowed);
    }
    match (d.locked_until, d.checked_at) {
        (Some(until), Some(at)) => Ok(LoginAttempt::Locked {
            retry_after: time_from_bson(until)? - time_from_bson(at)?,
        }),
        _ => Err(corrupt("loginThrottle")),
    }
}

/// The fields of a transaction document that [`key_from_doc`] reads (and `_id`
/// when `with_id`).
pub(super) fn key_projection(with_id: bool) -> Document {
    doc! {
        "_id": i32::from(with_id), "date": 1, "amount": 1, "type": 1, "description": 1,
        "bankId": 1,
    }
}

/// The duplicate-detection fields of a (projected) transaction document.
pub(super) fn key_from_doc(d: &Document) -> Result<TransactionKey> {
    Ok(TransactionKey {
        date: date_from_bson(*d.get_datetime("date").map_err(|_| corrupt("date"))?)?,
        amount: int_field(d, "amount")?,
        kind: EntryKind::parse("type", d.get_str("type").map_err(|_| corrupt("type"))?)
            .map_err(|_| corrupt("type"))?
            .direction(),
        description: d
            .get_str("description")
            .map_err(|_| corrupt("description"))?
            .to_string(),
        banked: d.contains_key("bankId"),
    })
}

/// An integer field of an aggregation result (`$sum` may yield Int32, Int64 or an integral Double).
pub(super) fn int_field(doc: &Document, key: &str) -> Result<i64> {
    match doc.get(key) {
        Some(Bson::Int32(v)) => Ok(i64::from(*v)),
        Some(Bson::Int64(v)) => Ok(*v),
        Some(Bson::Double(v)) if v.fract() == 0.0 && v.abs() < 9.0e15 => Ok(*v as i64),
        _ => Err(corrupt("aggregation result")),
    }
}

/// `{$sum: {$toDecimal: x}}`: the exact sum of the integer expression `x`
/// as a `Decimal128` (34 digits; a plain `$sum` of `Int64` fails or turns
/// into a `Double` past `i64`). Read it with [`sum_field`].
pub(super) fn exact_sum(x: impl Into<Bson>) -> Document {
    doc! { "$sum": { "$toDecimal": x.into() } }
}

/// A transaction document's effect on its account's balance, as an
/// aggregation expression: [`crate::rules::balance_effect`] spelled for the
/// server (income and a transfer's incoming leg `+amount`; expense — a
/// refund's negative amount included — and an outgoing leg `-amount`). Every balance sum on
/// MongoDB is `exact_sum(balance_effect_expr())`; keep the two equal (the
/// contract suite compares store balances with `balance_effect` over the rows).
pub(super) fn balance_effect_expr() -> Document {
    doc! { "$cond": [
        { "$in": ["$type", [EntryKind::Income.as_str(), EntryKind::TransferIn.as_str()]] },
        "$amount",
        { "$subtract": [0_i64, "$amount"] },
    ] }
}

/// An [`exact_sum`] of an aggregation result as a total ([`money::total`]:
/// past `i64` a `Validation` error on `period`).
pub(super) fn sum_field(doc: &Document, key: &str) -> Result<i64> {
    money::total(exact_field(doc, key)?)
}

/// An [`exact_sum`] of an aggregation result, exactly (0 when absent is not
/// assumed: a missing field is corrupt).
pub(super) fn exact_field(doc: &Document, key: &str) -> Result<i128> {
    let exact: i128 = match doc.get(key) {
        Some(Bson::Decimal128(d)) => {
            // An integral Decimal128 with exponent 0 displays as plain digits.
            let text = d.to_string();
            let digits = text.strip_prefix('-').unwrap_or(&text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(corrupt("aggregation sum"));
            }
            text.parse().map_err(|_| corrupt("aggregation sum"))?
        }
        Some(Bson::Int64(v)) => i128::from(*v),
        Some(Bson::Int32(v)) => i128::from(*v),
        _ => return Err(corrupt("aggregation sum")),
    };
    Ok(exact)
}

/// A `$sum: 1` count of an aggregation result.
pub(super) fn count_field(doc: &Document, key: &str) -> Result<u64> {
    u64::try_from(int_field(doc, key)?).map_err(|_| corrupt("aggregation count"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sums_read_as_totals_or_a_validation_error() {
        let dec = |s: &str| Bson::Decimal128(s.parse().unwrap());
        let d = doc! {
            "fits": dec("9223372036854775807"),
            "past": dec("18446744073709551616"),
            "int": 7_i64,
            "fraction": dec("1.5"),
            "double": 2.0,
        };
        assert_eq!(sum_field(&d, "fits").unwrap(), i64::MAX);
        assert_eq!(sum_field(&d, "int").unwrap(), 7);
        assert_eq!(sum_field(&d, "past").unwrap_err().field(), Some("period"));
        assert_eq!(
            sum_field(&d, "fraction").unwrap_err(),
            crate::Error::Internal
        );
        assert_eq!(sum_field(&d, "double").unwrap_err(), crate::Error::Internal);
    }

    #[test]
    fn ids_dates_and_times_round_trip() {
        let id = Id::generate();
        assert_eq!(id_of(&oid(id)), id);
        let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        assert_eq!(date_from_bson(date_to_bson(d)).unwrap(), d);
        assert_eq!(
            date_to_bson(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()).timestamp_millis(),
            86_400_000
        );
        let t = DateTime::<Utc>::from_timestamp_millis(1_700_000_000_123).unwrap();
        assert_eq!(time_from_bson(time_to_bson(t)).unwrap(), t);
    }
}
