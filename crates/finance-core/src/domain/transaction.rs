//! Transactions, their list query (filters, sort, keyset cursor) and period summaries.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::category::CategoryKind;
use super::date::{DateRange, parse_date};
use super::text::{Description, Note};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency, SignedAmount};

/// What a stored row is: income or expense in a category, or one leg of a
/// transfer between two accounts of the user. The stored strings
/// ([`EntryKind::as_str`]) are persistent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryKind {
    Income,
    Expense,
    /// The leg that takes money out of its account.
    TransferOut,
    /// The leg that puts money into its account.
    TransferIn,
}

impl EntryKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Income => "income",
            EntryKind::Expense => "expense",
            EntryKind::TransferOut => "transfer_out",
            EntryKind::TransferIn => "transfer_in",
        }
    }

    /// Parse the stored form.
    pub fn parse(field: &str, s: &str) -> Result<EntryKind> {
        match s.trim() {
            "income" => Ok(EntryKind::Income),
            "expense" => Ok(EntryKind::Expense),
            "transfer_out" => Ok(EntryKind::TransferOut),
            "transfer_in" => Ok(EntryKind::TransferIn),
            _ => Err(Error::validation(
                field,
                "must be income, expense, transfer_out or transfer_in",
            )),
        }
    }

    /// The category kind of an income or expense row; `None` for a transfer leg.
    pub fn category_kind(self) -> Option<CategoryKind> {
        match self {
            EntryKind::Income => Some(CategoryKind::Income),
            EntryKind::Expense => Some(CategoryKind::Expense),
            EntryKind::TransferOut | EntryKind::TransferIn => None,
        }
    }

    /// Which way money goes, as a bank statement line shows it: in (income,
    /// a transfer's incoming leg) or out (expense, an outgoing leg). What
    /// duplicate detection compares, so a bank line turned into a transfer
    /// still matches the line when the file is imported again.
    pub fn direction(self) -> CategoryKind {
        match self {
            EntryKind::Income | EntryKind::TransferIn => CategoryKind::Income,
            EntryKind::Expense | EntryKind::TransferOut => CategoryKind::Expense,
        }
    }

    /// Whether it is a leg of a transfer.
    pub fn is_transfer(self) -> bool {
        self.category_kind().is_none()
    }
}

impl From<CategoryKind> for EntryKind {
    fn from(k: CategoryKind) -> EntryKind {
        match k {
            CategoryKind::Income => EntryKind::Income,
            CategoryKind::Expense => EntryKind::Expense,
        }
    }
}

impl std::fmt::Display for EntryKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a row stands against the bank statement: entered, seen on the bank's
/// side (cleared), or part of a finished reconciliation (reconciled, which
/// then asks for confirmation before an edit or delete). Stored strings are persistent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TxStatus {
    #[default]
    Uncleared,
    Cleared,
    Reconciled,
}

impl TxStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            TxStatus::Uncleared => "uncleared",
            TxStatus::Cleared => "cleared",
            TxStatus::Reconciled => "reconciled",
        }
    }

    /// Parse the stored or typed form.
    pub fn parse(field: &str, s: &str) -> Result<TxStatus> {
        match s.trim() {
            "uncleared" => Ok(TxStatus::Uncleared),
            "cleared" => Ok(TxStatus::Cleared),
            "reconciled" => Ok(TxStatus::Reconciled),
            _ => Err(Error::validation(
                field,
                "must be uncleared, cleared or reconciled",
            )),
        }
    }
}

/// A stored row: an income or expense in a category, or one leg of a
/// transfer (`kind` a transfer kind, no category, `transfer_id` shared with
/// the other leg, a positive amount). `kind` of a categorised row is its
/// category's kind (categories never change kind); `account_id` is the
/// account of the same user that holds it. A negative `amount` is a refund
/// in an expense category. `bank_id` is the bank's own id of the statement
/// entry the row was imported from ([`BankId`]), unique per account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    pub id: Id,
    pub user_id: Id,
    pub account_id: Id,
    pub category_id: Option<Id>,
    pub kind: EntryKind,
    pub amount: SignedAmount,
    pub date: NaiveDate,
    pub description: String,
    pub note: Option<String>,
    pub status: TxStatus,
    pub transfer_id: Option<Id>,
    /// The bank's id of the entry it was imported from (see [`BankId`]);
    /// `None` for a row typed in, imported from CSV, or posted by a schedule.
    pub bank_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A bank's own id of a statement entry (OFX `FITID`, CAMT
/// `AcctSvcrRef`/`EndToEndId`), stored with the imported row: at most
/// [`BankId::MAX_CHARS`] characters, trimmed, no control characters; a blank
/// one is none. Unique per (user, account) in both stores.
pub struct BankId;

impl BankId {
    /// The longest id kept (OFX allows 255 for `FITID`).
    pub const MAX_CHARS: usize = 255;

    /// The id as stored, `None` for a blank one; too long or with control
    /// characters is `Validation { field }`.
    pub fn parse(field: &str, raw: &str) -> Result<Option<String>> {
        let id = raw.trim();
        if id.is_empty() {
            return Ok(None);
        }
        if id.chars().count() > Self::MAX_CHARS {
            return Err(Error::validation(
                field,
                format!("is longer than {} characters", Self::MAX_CHARS),
            ));
        }
        if id.chars().any(char::is_control) {
            return Err(Error::validation(field, "has control characters"));
        }
        Ok(Some(id.to_string()))
    }
}

impl Transaction {
    /// The lower-cased text that the free-text filter searches (description and note).
    pub fn search_text(description: &str, note: Option<&str>) -> String {
        match note {
            Some(n) => format!("{}\n{}", description.to_lowercase(), n.to_lowercase()),
            None => description.to_lowercase(),
        }
    }
}

/// A validated transaction to add, or to replace an existing one's fields with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTransaction {
    /// The account; `None` is the user's default account on an add
    /// ([`crate::rules::default_account`]) and the transaction's current
    /// account on an edit, resolved once by the operation before the store is called.
    pub account_id: Option<Id>,
    pub category_id: Id,
    /// Negative only in an expense category (a refund; [`crate::rules::check_amount_sign`]).
    pub amount: SignedAmount,
    pub date: NaiveDate,
    pub description: Description,
    pub note: Option<Note>,
}

/// A transaction as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct TransactionDraft {
    /// Blank or absent: see [`NewTransaction::account_id`].
    pub account_id: Option<String>,
    pub category_id: String,
    pub amount: String,
    pub date: String,
    pub description: String,
    pub note: Option<String>,
}

impl TransactionDraft {
    /// Validate in the user's currency; the first failing field is reported, in form order.
    pub fn validate(&self, currency: Currency) -> Result<NewTransaction> {
        Ok(NewTransaction {
            amount: SignedAmount::parse("amount", &self.amount, currency)?,
            date: parse_date("date", &self.date)?,
            category_id: Id::parse("categoryId", &self.category_id)?,
            account_id: match self.account_id.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(id) => Some(Id::parse("accountId", id)?),
            },
            description: Description::parse("description", &self.description)?,
            note: Note::parse_optional("note", self.note.as_deref())?,
        })
    }
}

/// Which transactions to list. Every criterion is optional; all given ones must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransactionFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Any of these categories (empty = all).
    pub categories: Vec<Id>,
    pub kind: Option<CategoryKind>,
    /// Lower-cased text to find in the description or note.
    pub text: Option<String>,
    pub min_amount: Option<Amount>,
    pub max_amount: Option<Amount>,
    /// Only this account's rows (the operation checks it is the user's:
    /// `NotFound { what: "account" }` otherwise, like a missing one).
    pub account: Option<Id>,
}

impl TransactionFilter {
    /// Build and check a filter (ordered ranges, bounded text).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        categories: Vec<Id>,
        kind: Option<CategoryKind>,
        text: Option<&str>,
        min_amount: Option<Amount>,
        max_amount: Option<Amount>,
    ) -> Result<TransactionFilter> {
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(Error::validation("to", "must not be before the start date"));
        }
        if let (Some(lo), Some(hi)) = (min_amount, max_amount)
            && lo > hi
        {
            return Err(Error::validation(
                "maxAmount",
                "must not be less than the minimum amount",
            ));
        }
        if categories.len() > 200 {
            return Err(Error::validation("categoryIds", "too many categories"));
        }
        let text = match text.map(str::trim) {
            None | Some("") => None,
            Some(t) if t.chars().count() > 200 => {
                return Err(Error::validation("text", "must be at most 200 characters"));
            }
            Some(t) => Some(t.to_lowercase()),
        };
        Ok(TransactionFilter {
            from,
            to,
            categories,
            kind,
            text,
            min_amount,
            max_amount,
            account: None,
        })
    }

    /// The same filter restricted to `account` (`None`: every account).
    pub fn with_account(self, account: Option<Id>) -> TransactionFilter {
        TransactionFilter { account, ..self }
    }

    /// The account criterion as typed (`accountId`; blank = every account).
    pub fn parse_account(raw: Option<&str>) -> Result<Option<Id>> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(id) => Id::parse("accountId", id).map(Some),
        }
    }

    /// Whether the rows this filter lets through are all the rows of one
    /// account within a date range — consecutive in the account's register
    /// order, so a page of them carries running balances. Returns that account.
    pub fn register_account(&self) -> Option<Id> {
        let only_dates = self.categories.is_empty()
            && self.kind.is_none()
            && self.text.is_none()
            && self.min_amount.is_none()
            && self.max_amount.is_none();
        self.account.filter(|_| only_dates)
    }

    /// Strings from a form or IPC call, validated in the user's currency.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        categories: &[String],
        kind: Option<&str>,
        text: Option<&str>,
        min_amount: Option<&str>,
        max_amount: Option<&str>,
        account: Option<&str>,
        currency: Currency,
    ) -> Result<TransactionFilter> {
        fn opt(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        TransactionFilter::new(
            opt(from).map(|s| parse_date("from", s)).transpose()?,
            opt(to).map(|s| parse_date("to", s)).transpose()?,
            categories
                .iter()
                .map(|c| Id::parse("categoryIds", c))
                .collect::<Result<_>>()?,
            opt(kind)
                .map(|k| CategoryKind::parse("type", k))
                .transpose()?,
            text,
            opt(min_amount)
                .map(|a| Amount::parse("minAmount", a, currency))
                .transpose()?,
            opt(max_amount)
                .map(|a| Amount::parse("maxAmount", a, currency))
                .transpose()?,
        )
        .and_then(|f| Ok(f.with_account(TransactionFilter::parse_account(account)?)))
    }
}

/// List order. Ties are broken by id in the same direction, so pages are stable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TransactionSort {
    #[default]
    DateDesc,
    DateAsc,
    AmountDesc,
    AmountAsc,
}

impl TransactionSort {
    /// Parse `date_desc`, `date_asc`, `amount_desc`, `amount_asc` (empty = `date_desc`).
    pub fn parse(field: &str, s: &str) -> Result<TransactionSort> {
        match s.trim() {
            "" | "date_desc" => Ok(TransactionSort::DateDesc),
            "date_asc" => Ok(TransactionSort::DateAsc),
            "amount_desc" => Ok(TransactionSort::AmountDesc),
            "amount_asc" => Ok(TransactionSort::AmountAsc),
            _ => Err(Error::validation(
                field,
                "must be date_desc, date_asc, amount_desc or amount_asc",
            )),
        }
    }

    /// Whether the order is descending.
    pub fn descending(self) -> bool {
        matches!(
            self,
            TransactionSort::DateDesc | TransactionSort::AmountDesc
        )
    }

    /// Whether the order is by date (else by amount).
    pub fn by_date(self) -> bool {
        matches!(self, TransactionSort::DateDesc | TransactionSort::DateAsc)
    }
}

/// Where the previous page ended: the last row's sort key and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    Date { date: NaiveDate, id: Id },
    Amount { amount: i64, id: Id },
}

impl Cursor {
    /// The cursor just after `t` in `sort` order.
    pub fn after(t: &Transaction, sort: TransactionSort) -> Cursor {
        if sort.by_date() {
            Cursor::Date {
                date: t.date,
                id: t.id,
            }
        } else {
            Cursor::Amount {
                amount: t.amount.minor(),
                id: t.id,
            }
        }
    }

    /// The opaque text form handed to clients.
    pub fn encode(&self) -> String {
        match self {
            Cursor::Date { date, id } => format!("d.{}.{id}", date.format("%Y-%m-%d")),
            Cursor::Amount { amount, id } => format!("a.{amount}.{id}"),
        }
    }

    /// Decode a cursor, checking it matches the sort it is used with.
    pub fn decode(s: &str, sort: TransactionSort) -> Result<Cursor> {
        let bad = || Error::validation("cursor", "is not a valid page cursor; reload the list");
        let mut parts = s.splitn(3, '.');
        let (tag, key, id) = (
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
            parts.next().ok_or_else(bad)?,
        );
        let id = Id::from_hex(id).ok_or_else(bad)?;
        let cursor = match tag {
            "d" => Cursor::Date {
                date: parse_date("cursor", key).map_err(|_| bad())?,
                id,
            },
            "a" => Cursor::Amount {
                amount: key.parse().map_err(|_| bad())?,
                id,
            },
            _ => return Err(bad()),
        };
        if matches!(cursor, Cursor::Date { .. }) != sort.by_date() {
            return Err(bad());
        }
        Ok(cursor)
    }
}

/// The default and largest page sizes.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// See [`DEFAULT_PAGE_SIZE`].
pub const MAX_PAGE_SIZE: u32 = 500;

/// A page request: filter, order, size and where to continue from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionQuery {
    pub filter: TransactionFilter,
    pub sort: TransactionSort,
    pub limit: u32,
    pub after: Option<Cursor>,
}

impl TransactionQuery {
    /// Check the page size and that the cursor fits the sort.
    pub fn new(
        filter: TransactionFilter,
        sort: TransactionSort,
        limit: Option<u32>,
        after: Option<&str>,
    ) -> Result<TransactionQuery> {
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            return Err(Error::validation(
                "limit",
                format!("must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        let after = match after.map(str::trim) {
            None | Some("") => None,
            Some(c) => Some(Cursor::decode(c, sort)?),
        };
        Ok(TransactionQuery {
            filter,
            sort,
            limit,
            after,
        })
    }

    /// The first page in the default order.
    pub fn first_page(filter: TransactionFilter) -> TransactionQuery {
        TransactionQuery {
            filter,
            sort: TransactionSort::DateDesc,
            limit: DEFAULT_PAGE_SIZE,
            after: None,
        }
    }
}

/// One page of results and the cursor of the next page, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

/// A page of transactions as the list shows it: the rows, the next page's
/// cursor, and the names of the categories the rows name, read together
/// ([`crate::store::Transactions::list_transactions_named`]) so a page costs
/// one read, not one for the rows and one for the category list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedPage {
    pub items: Vec<Transaction>,
    pub next: Option<Cursor>,
    /// The name of each category a row on the page names, by id (a category
    /// deleted meanwhile is absent: the row is shown with no name).
    pub category_names: HashMap<Id, String>,
}

/// Totals over a date range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub income: i64,
    pub expense: i64,
    pub count: u64,
}

impl Summary {
    /// Income minus expense.
    pub fn net(&self) -> i64 {
        self.income - self.expense
    }
}

/// A summary's period together with its totals.
pub type PeriodSummary = (DateRange, Summary);

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> TransactionDraft {
        TransactionDraft {
            account_id: None,
            category_id: Id::generate().to_hex(),
            amount: "12.30".into(),
            date: "2024-02-29".into(),
            description: "Lunch".into(),
            note: None,
        }
    }

    #[test]
    fn drafts_validate_each_field() {
        let t = draft().validate(Currency::EUR).unwrap();
        assert_eq!(t.amount.minor(), 1230);
        let refund = TransactionDraft {
            amount: "-5.10".into(),
            ..draft()
        };
        assert_eq!(
            refund.validate(Currency::EUR).unwrap().amount.minor(),
            -510,
            "a leading minus is a refund; the category's kind decides whether it is allowed"
        );
        for (field, patch) in [
            (
                "amount",
                TransactionDraft {
                    amount: String::new(),
                    ..draft()
                },
            ),
            (
                "amount",
                TransactionDraft {
                    amount: "abc".into(),
                    ..draft()
                },
            ),
            (
                "amount",
                TransactionDraft {
                    amount: "0.00".into(),
                    ..draft()
                },
            ),
            (
                "amount",
                TransactionDraft {
                    amount: "12.345".into(),
                    ..draft()
                },
            ),
            (
                "date",
                TransactionDraft {
                    date: "2023-02-29".into(),
                    ..draft()
                },
            ),
            (
                "categoryId",
                TransactionDraft {
                    category_id: "?".into(),
                    ..draft()
                },
            ),
            (
                "accountId",
                TransactionDraft {
                    account_id: Some("nope".into()),
                    ..draft()
                },
            ),
            (
                "description",
                TransactionDraft {
                    description: "x".repeat(201),
                    ..draft()
                },
            ),
            (
                "note",
                TransactionDraft {
                    note: Some("n".repeat(1001)),
                    ..draft()
                },
            ),
        ] {
            assert_eq!(
                patch.validate(Currency::EUR).unwrap_err().field(),
                Some(field)
            );
        }
    }

    #[test]
    fn cursors_round_trip_and_must_match_the_sort() {
        let id = Id::generate();
        let date = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let c = Cursor::Date { date, id };
        assert_eq!(
            Cursor::decode(&c.encode(), TransactionSort::DateAsc).unwrap(),
            c
        );
        assert!(Cursor::decode(&c.encode(), TransactionSort::AmountDesc).is_err());
        let c = Cursor::Amount { amount: 1234, id };
        assert_eq!(
            Cursor::decode(&c.encode(), TransactionSort::AmountAsc).unwrap(),
            c
        );
        for bad in [
            "",
            "x",
            "d.2024-01-31",
            "d.2024-13-01.00",
            "q.1.2",
            "a.x.000000000000000000000000",
        ] {
            assert_eq!(
                Cursor::decode(bad, TransactionSort::DateDesc)
                    .unwrap_err()
                    .field(),
                Some("cursor")
            );
        }
    }

    #[test]
    fn filters_check_ranges() {
        let e = TransactionFilter::parse(
            Some("2024-02-01"),
            Some("2024-01-01"),
            &[],
            None,
            None,
            None,
            None,
            None,
            Currency::EUR,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("to"));
        let e = TransactionFilter::parse(
            None,
            None,
            &[],
            None,
            None,
            Some("5"),
            Some("4"),
            None,
            Currency::EUR,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("maxAmount"));
        let f = TransactionFilter::parse(
            None,
            None,
            &[],
            Some("income"),
            Some("  CoFFee "),
            None,
            None,
            None,
            Currency::EUR,
        )
        .unwrap();
        assert_eq!(f.text.as_deref(), Some("coffee"));
        assert_eq!(f.kind, Some(CategoryKind::Income));
        assert!(
            TransactionQuery::new(f.clone(), TransactionSort::DateDesc, Some(0), None).is_err()
        );
        assert!(TransactionQuery::new(f, TransactionSort::DateDesc, Some(501), None).is_err());
    }

    #[test]
    fn the_account_criterion_is_parsed_and_makes_a_register() {
        let id = Id::generate();
        let parse = |account: Option<&str>, text: Option<&str>| {
            TransactionFilter::parse(
                Some("2024-01-01"),
                None,
                &[],
                None,
                text,
                None,
                None,
                account,
                Currency::EUR,
            )
        };
        let f = parse(Some(&format!(" {id} ")), None).unwrap();
        assert_eq!(f.account, Some(id));
        assert_eq!(
            f.register_account(),
            Some(id),
            "one account and a date range: a register"
        );
        assert_eq!(parse(Some(""), None).unwrap().account, None, "blank = all");
        assert_eq!(
            parse(Some("nope"), None).unwrap_err().field(),
            Some("accountId")
        );
        assert_eq!(
            parse(Some(&id.to_hex()), Some("rent"))
                .unwrap()
                .register_account(),
            None,
            "a text search leaves gaps between the rows: no running balance"
        );
    }

    #[test]
    fn summary_net() {
        let s = Summary {
            income: 500,
            expense: 800,
            count: 3,
        };
        assert_eq!(s.net(), -300);
    }
}
