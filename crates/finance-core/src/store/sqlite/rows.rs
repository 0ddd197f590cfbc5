//! Rows ↔ domain values: column helpers, the column lists, row conversions
//! and the single-row look-ups every aggregate uses.
//!
//! * Ids are stored as MongoDB-compatible 24-hex-digit text, dates as
//!   `YYYY-MM-DD` text (which sorts correctly), instants as Unix milliseconds,
//!   money as integer minor units.
//! * Each `*_COLS` list is the column order its `*_row` conversion reads; a
//!   stored value that does not convert (a bug or a damaged file) is a
//!   rusqlite conversion error, hence `Internal`, never a panic.
//! * The look-ups ([`get_category`], [`get_budget`], [`get_transaction`],
//!   [`get_account`]) are
//!   always scoped by the user: another user's id is `NotFound`, like a missing one.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::super::{UserRecord, kind_from_str};
use crate::domain::date::iso_date;
use crate::domain::{
    Account, AccountType, Budget, Category, CategoryKind, EntryKind, Period, Reconciliation,
    Transaction, TxStatus, User,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::{Amount, Currency, SignedAmount};

pub(super) fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

pub(super) fn date_text(d: NaiveDate) -> String {
    crate::domain::date::iso_text(d)
}

/// A conversion failure of stored data (a bug or a damaged file), surfaced through rusqlite.
pub(super) fn bad_column(idx: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("bad stored {what}").into(),
    )
}

/// The text of a column, borrowed from the row (no copy).
fn text_col<'r>(row: &'r Row<'_>, idx: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(idx)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(super) fn id_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<Id> {
    Id::from_hex(text_col(row, idx)?).ok_or_else(|| bad_column(idx, "id"))
}

pub(super) fn kind_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<CategoryKind> {
    kind_from_str(text_col(row, idx)?).map_err(|_| bad_column(idx, "kind"))
}

pub(super) fn entry_kind_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<EntryKind> {
    EntryKind::parse("kind", text_col(row, idx)?).map_err(|_| bad_column(idx, "kind"))
}

pub(super) fn date_col(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    iso_date(text_col(row, idx)?).ok_or_else(|| bad_column(idx, "date"))
}

pub(super) const USER_COLS: &str =
    "id, username, email, password_hash, first_name, last_name, currency, created_at";

pub(super) fn user_row(row: &Row<'_>) -> rusqlite::Result<UserRecord> {
    let currency: String = row.get(6)?;
    Ok(UserRecord {
        user: User {
            id: id_col(row, 0)?,
            username: row.get(1)?,
            email: row.get(2)?,
            first_name: row.get(4)?,
            last_name: row.get(5)?,
            currency: Currency::parse("currency", &currency)
                .map_err(|_| bad_column(6, "currency"))?,
            created_at: from_millis(row.get(7)?),
        },
        password_hash: row.get(3)?,
    })
}

/// Insert one category row; a taken name is `Conflict { field: "name" }`.
/// The statement is cached, so callers insert many in a loop at no extra cost.
pub(super) fn insert_category(conn: &Connection, c: &Category) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO categories (id, user_id, name, name_key, kind, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        c.id.to_hex(),
        c.user_id.to_hex(),
        c.name,
        c.name.to_lowercase(),
        c.kind.as_str(),
        millis(c.created_at)
    ])
    .map_err(|e| super::errors::sql_error(e, "name"))?;
    Ok(())
}

pub(super) const CATEGORY_COLS: &str = "id, user_id, name, kind, created_at";

pub(super) fn category_row(row: &Row<'_>) -> rusqlite::Result<Category> {
    Ok(Category {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        name: row.get(2)?,
        kind: kind_col(row, 3)?,
        created_at: from_millis(row.get(4)?),
    })
}

pub(super) const BUDGET_COLS: &str = "id, user_id, category_id, limit_minor, period, created_at";

pub(super) fn budget_row(row: &Row<'_>) -> rusqlite::Result<Budget> {
    let period: String = row.get(4)?;
    Ok(Budget {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        category_id: id_col(row, 2)?,
        limit: Amount::from_minor("limit", row.get(3)?).map_err(|_| bad_column(3, "limit"))?,
        period: Period::parse("period", &period).map_err(|_| bad_column(4, "period"))?,
        created_at: from_millis(row.get(5)?),
    })
}

pub(super) const TX_COLS: &str = "id, user_id, category_id, kind, amount, date, description, note, \
     created_at, updated_at, account_id, status, transfer_id, bank_id";

pub(super) fn tx_row(row: &Row<'_>) -> rusqlite::Result<Transaction> {
    let status = text_col(row, 11)?;
    let category = row.get_ref(2)?;
    let transfer = row.get_ref(12)?;
    Ok(Transaction {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        account_id: id_col(row, 10)?,
        category_id: match category {
            ValueRef::Null => None,
            _ => Some(id_col(row, 2)?),
        },
        kind: entry_kind_col(row, 3)?,
        amount: SignedAmount::from_minor("amount", row.get(4)?)
            .map_err(|_| bad_column(4, "amount"))?,
        date: date_col(row, 5)?,
        description: row.get(6)?,
        note: row.get(7)?,
        status: TxStatus::parse("status", status).map_err(|_| bad_column(11, "status"))?,
        transfer_id: match transfer {
            ValueRef::Null => None,
            _ => Some(id_col(row, 12)?),
        },
        bank_id: row.get(13)?,
        created_at: from_millis(row.get(8)?),
        updated_at: from_millis(row.get(9)?),
    })
}

pub(super) const ACCOUNT_COLS: &str = "id, user_id, name, kind, currency, opening_balance, \
     opening_date, note, archived, position, reconciled_date, reconciled_balance, created_at";

pub(super) fn account_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    let kind: String = row.get(3)?;
    let currency: String = row.get(4)?;
    let reconciled_date: Option<String> = row.get(10)?;
    let reconciled_balance: Option<i64> = row.get(11)?;
    let last_reconciled = match (reconciled_date, reconciled_balance) {
        (Some(_), Some(balance)) => Some(Reconciliation {
            date: date_col(row, 10)?,
            balance,
        }),
        _ => None,
    };
    Ok(Account {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        name: row.get(2)?,
        kind: AccountType::parse("type", &kind).map_err(|_| bad_column(3, "account type"))?,
        currency: Currency::parse("currency", &currency).map_err(|_| bad_column(4, "currency"))?,
        opening_balance: row.get(5)?,
        opening_date: date_col(row, 6)?,
        note: row.get(7)?,
        archived: row.get(8)?,
        position: row.get(9)?,
        last_reconciled,
        created_at: from_millis(row.get(12)?),
    })
}

/// Insert one account row; a taken name is `Conflict { field: "name" }`.
pub(super) fn insert_account(conn: &Connection, a: &Account) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO accounts ({ACCOUNT_COLS}, name_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?
    .execute(params![
        a.id.to_hex(),
        a.user_id.to_hex(),
        a.name,
        a.kind.as_str(),
        a.currency.code(),
        a.opening_balance,
        date_text(a.opening_date),
        a.note,
        a.archived,
        a.position,
        a.last_reconciled.map(|r| date_text(r.date)),
        a.last_reconciled.map(|r| r.balance),
        millis(a.created_at),
        a.name.to_lowercase(),
    ])
    .map_err(|e| super::errors::sql_error(e, "name"))?;
    Ok(())
}

/// One of the user's accounts, or `NotFound { what: "account" }`.
pub(super) fn get_account(conn: &Connection, user: Id, id: Id) -> Result<Account> {
    conn.prepare_cached(&format!(
        "SELECT {ACCOUNT_COLS} FROM accounts WHERE id = ?1 AND user_id = ?2"
    ))?
    .query_row(params![id.to_hex(), user.to_hex()], account_row)
    .optional()?
    .ok_or(Error::NotFound { what: "account" })
}

pub(super) fn get_category(conn: &Connection, user: Id, id: Id) -> Result<Category> {
    conn.query_row(
        &format!("SELECT {CATEGORY_COLS} FROM categories WHERE id = ?1 AND user_id = ?2"),
        params![id.to_hex(), user.to_hex()],
        category_row,
    )
    .optional()?
    .ok_or(Error::NotFound { what: "category" })
}

pub(super) fn get_budget(conn: &Connection, user: Id, id: Id) -> Result<Budget> {
    conn.query_row(
        &format!("SELECT {BUDGET_COLS} FROM budgets WHERE id = ?1 AND user_id = ?2"),
        params![id.to_hex(), user.to_hex()],
        budget_row,
    )
    .optional()?
    .ok_or(Error::NotFound { what: "budget" })
}

pub(super) fn get_transaction(conn: &Connection, user: Id, id: Id) -> Result<Transaction> {
    conn.query_row(
        &format!("SELECT {TX_COLS} FROM transactions WHERE id = ?1 AND user_id = ?2"),
        params![id.to_hex(), user.to_hex()],
        tx_row,
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "transaction",
    })
}
