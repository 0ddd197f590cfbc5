//! The records of a backup file, version 1: pinned DTOs with their own serde
//! shape (camelCase JSON), converted explicitly to and from the domain types.
//!
//! These are NOT the domain types and NOT the IPC types: a change to either
//! never changes the file format. A change here is a new format version
//! (see the module docs of [`crate::backup`]), and the reader keeps reading
//! every older one.
//!
//! * Ids are 24 hexadecimal digits (the stores' ids); dates `YYYY-MM-DD`;
//!   instants are Unix milliseconds (`…Ms`); money is integer minor units of
//!   the profile's currency.
//! * A record never carries its user: a restore gives every record the
//!   user it restores into.
//! * Converting a record into a domain value checks it as a store would
//!   keep it; anything else is `Validation { field: "file" }`.

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::domain::{
    Account, AccountType, Budget, Category, CategoryKind, EntryKind, Period, Reconciliation, Rule,
    RuleActions, RuleConditions, Schedule, ScheduleAction, ScheduleMode, Transaction, TxStatus,
};
use crate::domain::{BankId, DescriptionCondition, TextMatch};
use crate::domain::{Frequency, MonthDay, Recurrence, ScheduleEnd};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency, SignedAmount};
use crate::store::IdempotencyRecord;

/// The `format` value of every manifest.
pub const FORMAT_NAME: &str = "finance-manager-backup";

/// A refusal of the file's content (a damaged, altered or foreign file).
pub(crate) fn bad(what: impl std::fmt::Display) -> Error {
    Error::validation("file", format!("is not a valid backup: {what}"))
}

fn id(s: &str) -> Result<Id> {
    Id::from_hex(s).ok_or_else(|| bad("an id is not 24 hexadecimal digits"))
}

fn opt_id(s: Option<&str>) -> Result<Option<Id>> {
    s.map(id).transpose()
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad("a date is not YYYY-MM-DD"))
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn instant(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| bad("an instant is out of range"))
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Map a domain parse error onto the file.
fn check<T>(r: Result<T>) -> Result<T> {
    r.map_err(bad)
}

/// The user the file is of (never the password hash, except in an
/// encrypted full-fidelity file: `passwordHash`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileV1 {
    pub id: String,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub currency: String,
    pub created_at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

impl ProfileV1 {
    pub fn currency(&self) -> Result<Currency> {
        check(Currency::parse("currency", &self.currency))
    }
}

/// One member of the file as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MemberV1 {
    pub name: String,
    pub records: u64,
    /// SHA-256 of the member's (plain) bytes, lower-case hexadecimal.
    pub sha256: String,
}

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestV1 {
    pub format: String,
    pub version: u32,
    pub app_version: String,
    pub created_at_ms: i64,
    pub profile: ProfileV1,
    pub members: Vec<MemberV1>,
}

/// `encryption.json` of an encrypted file (stored in the clear).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EncryptionV1 {
    /// `"argon2id+chacha20poly1305-stream64k"`.
    pub scheme: String,
    /// Argon2id memory in KiB, iterations, lanes.
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
    /// 16 random bytes, hexadecimal.
    pub salt: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReconciledV1 {
    pub date: String,
    pub balance: i64,
}

/// `accounts.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountV1 {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub opening_balance: i64,
    pub opening_date: String,
    pub note: Option<String>,
    pub archived: bool,
    pub position: i32,
    pub reconciled: Option<ReconciledV1>,
    pub created_at_ms: i64,
}

impl AccountV1 {
    pub fn from_domain(a: &Account) -> AccountV1 {
        AccountV1 {
            id: a.id.to_hex(),
            name: a.name.clone(),
            kind: a.kind.as_str().to_string(),
            opening_balance: a.opening_balance,
            opening_date: date_text(a.opening_date),
            note: a.note.clone(),
            archived: a.archived,
            position: a.position,
            reconciled: a.last_reconciled.map(|r| ReconciledV1 {
                date: date_text(r.date),
                balance: r.balance,
            }),
            created_at_ms: ms(a.created_at),
        }
    }

    pub fn into_domain(self, user: Id, currency: Currency) -> Result<Account> {
        Ok(Account {
            id: id(&self.id)?,
            user_id: user,
            name: check(crate::domain::AccountName::parse("name", &self.name))?
                .as_str()
                .to_string(),
            kind: check(AccountType::parse("kind", &self.kind))?,
            currency,
            opening_balance: self.opening_balance,
            opening_date: date(&self.opening_date)?,
            note: self.note,
            archived: self.archived,
            position: self.position,
            last_reconciled: match self.reconciled {
                Some(r) => Some(Reconciliation {
                    date: date(&r.date)?,
                    balance: r.balance,
                }),
                None => None,
            },
            created_at: instant(self.created_at_ms)?,
        })
    }
}

/// `categories.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CategoryV1 {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub created_at_ms: i64,
}

impl CategoryV1 {
    pub fn from_domain(c: &Category) -> CategoryV1 {
        CategoryV1 {
            id: c.id.to_hex(),
            name: c.name.clone(),
            kind: c.kind.as_str().to_string(),
            created_at_ms: ms(c.created_at),
        }
    }

    pub fn into_domain(self, user: Id) -> Result<Category> {
        if self.name.trim().is_empty() || self.name.trim() != self.name {
            return Err(bad("a category name is empty or not trimmed"));
        }
        Ok(Category {
            id: id(&self.id)?,
            user_id: user,
            name: self.name,
            kind: check(CategoryKind::parse("kind", &self.kind))?,
            created_at: instant(self.created_at_ms)?,
        })
    }
}

/// `budgets.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BudgetV1 {
    pub id: String,
    pub category_id: String,
    pub limit: i64,
    pub period: String,
    pub created_at_ms: i64,
}

impl BudgetV1 {
    pub fn from_domain(b: &Budget) -> BudgetV1 {
        BudgetV1 {
            id: b.id.to_hex(),
            category_id: b.category_id.to_hex(),
            limit: b.limit.minor(),
            period: b.period.as_str().to_string(),
            created_at_ms: ms(b.created_at),
        }
    }

    pub fn into_domain(self, user: Id) -> Result<Budget> {
        Ok(Budget {
            id: id(&self.id)?,
            user_id: user,
            category_id: id(&self.category_id)?,
            limit: check(Amount::from_minor("limit", self.limit))?,
            period: check(Period::parse("period", &self.period))?,
            created_at: instant(self.created_at_ms)?,
        })
    }
}

/// `schedules.jsonl`: the template (a category or a transfer's target
/// account), the recurrence and the posting state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleV1 {
    pub id: String,
    pub account_id: String,
    pub category_id: Option<String>,
    pub to_account_id: Option<String>,
    pub amount: i64,
    pub description: String,
    pub note: Option<String>,
    /// `daily`, `weekly`, `monthly`, `yearly`.
    pub frequency: String,
    pub every: u32,
    /// Weekly: Monday = 0 … Sunday = 6.
    pub weekday: Option<u8>,
    /// Monthly: 1–31, 0 = the month's last day.
    pub month_day: Option<u8>,
    pub start: String,
    pub end_date: Option<String>,
    pub end_count: Option<u32>,
    /// `post` or `remind`.
    pub mode: String,
    pub paused: bool,
    pub handled_through: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl ScheduleV1 {
    pub fn from_domain(s: &Schedule) -> ScheduleV1 {
        let r = &s.recurrence;
        let (frequency, weekday, month_day) = match r.frequency {
            Frequency::Daily => ("daily", None, None),
            Frequency::Weekly { weekday } => {
                ("weekly", Some(weekday.num_days_from_monday() as u8), None)
            }
            Frequency::Monthly { day } => (
                "monthly",
                None,
                Some(match day {
                    MonthDay::Day(d) => d,
                    MonthDay::Last => 0,
                }),
            ),
            Frequency::Yearly => ("yearly", None, None),
        };
        let (end_date, end_count) = match r.end {
            ScheduleEnd::Never => (None, None),
            ScheduleEnd::OnDate(d) => (Some(date_text(d)), None),
            ScheduleEnd::After(n) => (None, Some(n)),
        };
        ScheduleV1 {
            id: s.id.to_hex(),
            account_id: s.account_id.to_hex(),
            category_id: s.action.category().map(|c| c.to_hex()),
            to_account_id: s.action.to_account().map(|a| a.to_hex()),
            amount: s.action.amount_minor(),
            description: s.description.clone(),
            note: s.note.clone(),
            frequency: frequency.to_string(),
            every: r.interval,
            weekday,
            month_day,
            start: date_text(r.start),
            end_date,
            end_count,
            mode: s.mode.as_str().to_string(),
            paused: s.paused,
            handled_through: s.handled_through.map(date_text),
            created_at_ms: ms(s.created_at),
            updated_at_ms: ms(s.updated_at),
        }
    }

    pub fn into_domain(self, user: Id) -> Result<Schedule> {
        let action = match (self.category_id.as_deref(), self.to_account_id.as_deref()) {
            (Some(c), None) => ScheduleAction::Entry {
                category_id: id(c)?,
                amount: check(SignedAmount::from_minor("amount", self.amount))?,
            },
            (None, Some(a)) => ScheduleAction::Transfer {
                to_account: id(a)?,
                amount: check(Amount::from_minor("amount", self.amount))?,
            },
            _ => return Err(bad("a schedule needs a category or a target account")),
        };
        let frequency = match self.frequency.as_str() {
            "daily" => Frequency::Daily,
            "weekly" => {
                let n = self
                    .weekday
                    .ok_or_else(|| bad("a weekly schedule's weekday"))?;
                let weekday = (0..7u8)
                    .zip([
                        Weekday::Mon,
                        Weekday::Tue,
                        Weekday::Wed,
                        Weekday::Thu,
                        Weekday::Fri,
                        Weekday::Sat,
                        Weekday::Sun,
                    ])
                    .find(|(i, _)| *i == n)
                    .map(|(_, w)| w)
                    .ok_or_else(|| bad("a weekday out of range"))?;
                Frequency::Weekly { weekday }
            }
            "monthly" => Frequency::Monthly {
                day: match self.month_day {
                    Some(0) => MonthDay::Last,
                    Some(d @ 1..=31) => MonthDay::Day(d),
                    _ => return Err(bad("a monthly schedule's day")),
                },
            },
            "yearly" => Frequency::Yearly,
            _ => return Err(bad("an unknown schedule frequency")),
        };
        if !(1..=crate::domain::recurrence::MAX_INTERVAL).contains(&self.every) {
            return Err(bad("a schedule interval out of range"));
        }
        let end = match (self.end_date.as_deref(), self.end_count) {
            (None, None) => ScheduleEnd::Never,
            (Some(d), None) => ScheduleEnd::OnDate(date(d)?),
            (None, Some(n)) if n >= 1 => ScheduleEnd::After(n),
            _ => return Err(bad("a schedule's end")),
        };
        Ok(Schedule {
            id: id(&self.id)?,
            user_id: user,
            account_id: id(&self.account_id)?,
            action,
            description: self.description,
            note: self.note,
            recurrence: Recurrence {
                frequency,
                interval: self.every,
                start: date(&self.start)?,
                end,
            },
            mode: check(ScheduleMode::parse("mode", &self.mode))?,
            paused: self.paused,
            handled_through: self.handled_through.as_deref().map(date).transpose()?,
            created_at: instant(self.created_at_ms)?,
            updated_at: instant(self.updated_at_ms)?,
        })
    }
}

/// `rules.jsonl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleV1 {
    pub id: String,
    pub name: String,
    pub position: i32,
    pub enabled: bool,
    /// `contains`, `startsWith`, `equals`.
    pub desc_match: Option<String>,
    pub desc_text: Option<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub account_id: Option<String>,
    /// `income` or `expense`.
    pub kind: Option<String>,
    pub category_id: Option<String>,
    pub rename: Option<String>,
    pub note: Option<String>,
    pub created_at_ms: i64,
}

impl RuleV1 {
    pub fn from_domain(r: &Rule) -> RuleV1 {
        let c = &r.conditions;
        RuleV1 {
            id: r.id.to_hex(),
            name: r.name.clone(),
            position: r.position,
            enabled: r.enabled,
            desc_match: c.description.as_ref().map(|d| d.how.as_str().to_string()),
            desc_text: c.description.as_ref().map(|d| d.text.clone()),
            amount_min: c.amount_min,
            amount_max: c.amount_max,
            account_id: c.account.map(|a| a.to_hex()),
            kind: c.kind.map(|k| k.as_str().to_string()),
            category_id: r.actions.category.map(|c| c.to_hex()),
            rename: r.actions.rename.clone(),
            note: r.actions.note.clone(),
            created_at_ms: ms(r.created_at),
        }
    }

    pub fn into_domain(self, user: Id) -> Result<Rule> {
        let description = match (self.desc_match.as_deref(), self.desc_text.as_deref()) {
            (None, None) => None,
            (Some(how), Some(text)) => Some(DescriptionCondition::new(
                check(TextMatch::parse("descMatch", how))?,
                text,
            )),
            _ => return Err(bad("a rule's description condition")),
        };
        Ok(Rule {
            id: id(&self.id)?,
            user_id: user,
            name: self.name,
            position: self.position,
            enabled: self.enabled,
            conditions: RuleConditions {
                description,
                amount_min: self.amount_min,
                amount_max: self.amount_max,
                account: opt_id(self.account_id.as_deref())?,
                kind: self
                    .kind
                    .as_deref()
                    .map(|k| check(CategoryKind::parse("kind", k)))
                    .transpose()?,
            },
            actions: RuleActions {
                category: opt_id(self.category_id.as_deref())?,
                rename: self.rename,
                note: self.note,
            },
            created_at: instant(self.created_at_ms)?,
        })
    }
}

/// `transactions.jsonl`, ordered by date, then id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransactionV1 {
    pub id: String,
    pub account_id: String,
    pub category_id: Option<String>,
    /// `income`, `expense`, `transfer_out`, `transfer_in`.
    pub kind: String,
    /// Signed minor units (negative: a refund in an expense category).
    pub amount: i64,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
    /// `uncleared`, `cleared`, `reconciled`.
    pub status: String,
    pub transfer_id: Option<String>,
    /// The bank's own id of the row (OFX `FITID`, CAMT reference), when
    /// imported from a bank file. Always written (`null` when none); a file
    /// without the field reads as `null`.
    #[serde(default)]
    pub bank_id: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

impl TransactionV1 {
    pub fn from_domain(t: &Transaction) -> TransactionV1 {
        TransactionV1 {
            id: t.id.to_hex(),
            account_id: t.account_id.to_hex(),
            category_id: t.category_id.map(|c| c.to_hex()),
            kind: t.kind.as_str().to_string(),
            amount: t.amount.minor(),
            date: date_text(t.date),
            description: t.description.clone(),
            note: t.note.clone(),
            status: t.status.as_str().to_string(),
            transfer_id: t.transfer_id.map(|c| c.to_hex()),
            bank_id: t.bank_id.clone(),
            created_at_ms: ms(t.created_at),
            updated_at_ms: ms(t.updated_at),
        }
    }

    pub fn into_domain(self, user: Id) -> Result<Transaction> {
        let kind = check(EntryKind::parse("kind", &self.kind))?;
        let category_id = opt_id(self.category_id.as_deref())?;
        let transfer_id = opt_id(self.transfer_id.as_deref())?;
        // The stores' CHECK: a category for income and expense (negative
        // only in expense), a transfer id and a positive amount for a leg.
        let shape_ok = match kind {
            EntryKind::Income => category_id.is_some() && transfer_id.is_none() && self.amount > 0,
            EntryKind::Expense => category_id.is_some() && transfer_id.is_none(),
            EntryKind::TransferIn | EntryKind::TransferOut => {
                category_id.is_none() && transfer_id.is_some() && self.amount > 0
            }
        };
        if !shape_ok {
            return Err(bad("a transaction's kind, category and amount disagree"));
        }
        Ok(Transaction {
            id: id(&self.id)?,
            user_id: user,
            account_id: id(&self.account_id)?,
            category_id,
            kind,
            amount: check(SignedAmount::from_minor("amount", self.amount))?,
            date: date(&self.date)?,
            description: self.description,
            note: self.note,
            status: check(TxStatus::parse("status", &self.status))?,
            transfer_id,
            bank_id: match self.bank_id.as_deref() {
                Some(raw) => check(BankId::parse("bankId", raw))?,
                None => None,
            },
            created_at: instant(self.created_at_ms)?,
            updated_at: instant(self.updated_at_ms)?,
        })
    }
}

/// `idempotency.jsonl`: the keys of earlier keyed writes, so a retry of one
/// after a restore is still answered as a replay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdempotencyV1 {
    pub key: String,
    pub fingerprint: String,
    pub result: String,
    pub created_at_ms: i64,
}

impl IdempotencyV1 {
    pub fn from_domain(r: &IdempotencyRecord) -> IdempotencyV1 {
        IdempotencyV1 {
            key: r.key.clone(),
            fingerprint: r.fingerprint.clone(),
            result: r.result.clone(),
            created_at_ms: ms(r.created_at),
        }
    }

    pub fn into_domain(self) -> Result<IdempotencyRecord> {
        Ok(IdempotencyRecord {
            key: self.key,
            fingerprint: self.fingerprint,
            result: self.result,
            created_at: instant(self.created_at_ms)?,
        })
    }
}
