//! Query filters: one user's document, date ranges, transaction list pages
//! with their keyset cursor, and literal text search.
//!
//! Invariants:
//! * every filter built here for user data includes `userId`;
//! * a page filter selects exactly the rows strictly after the cursor in the
//!   list's order (sort key, then `_id`, in the same direction), so pages
//!   neither repeat nor skip rows; a cursor of the other sort is `Validation`;
//! * search text matches literally (every regex metacharacter escaped).

use chrono::NaiveDate;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Bson, Document, doc};

use mongodb::options::ReturnDocument;
use mongodb::{ClientSession, Collection};
use serde::de::DeserializeOwned;

use super::docs::{date_to_bson, oid};
use super::errors::Fail;
use crate::domain::{CategoryKind, Cursor, TransactionFilter, TransactionSort};
use crate::error::{Error, Result};
use crate::id::Id;

/// `{_id: id, userId: user}`: the filter of one of the user's documents.
pub(super) fn owned(user: Id, id: Id) -> Document {
    doc! { "_id": oid(id), "userId": oid(user) }
}

/// `$set` `set` on the user's document `id` inside the session's
/// transaction and return it as it is after the write; `not_found` when the
/// user has no such document.
pub(super) async fn update_owned<T>(
    collection: &Collection<T>,
    s: &mut ClientSession,
    user: Id,
    id: Id,
    set: Document,
    not_found: Error,
) -> std::result::Result<T, Fail>
where
    T: DeserializeOwned + Send + Sync,
{
    collection
        .find_one_and_update(owned(user, id), doc! { "$set": set })
        .return_document(ReturnDocument::After)
        .session(s)
        .await?
        .ok_or_else(|| not_found.into())
}

/// Write each of the user's documents `ids` (distinct) inside the session's
/// transaction (`rev` + 1), so that a concurrent transaction writing one of
/// them conflicts; `not_found` when any is not the user's. The lock of
/// categories and accounts (see `categories` and `accounts`).
pub(super) async fn lock_owned<T: Send + Sync>(
    collection: &Collection<T>,
    s: &mut ClientSession,
    user: Id,
    ids: &[Id],
    not_found: Error,
) -> std::result::Result<(), Fail> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids: Vec<_> = ids.iter().map(|id| oid(*id)).collect();
    let wanted = ids.len() as u64;
    let locked = collection
        .update_many(
            doc! { "userId": oid(user), "_id": { "$in": ids } },
            doc! { "$inc": { "rev": 1_i64 } },
        )
        .session(&mut *s)
        .await?;
    if locked.matched_count != wanted {
        return Err(not_found.into());
    }
    Ok(())
}

/// Delete the user's document `id`; `not_found` when there is none.
pub(super) async fn delete_owned<T: Send + Sync>(
    collection: &Collection<T>,
    user: Id,
    id: Id,
    not_found: Error,
) -> std::result::Result<(), Fail> {
    let deleted = collection.delete_one(owned(user, id)).await?;
    if deleted.deleted_count == 0 {
        return Err(not_found.into());
    }
    Ok(())
}

/// `[from, to]` on `date`, as `$and` clauses (see [`range_clauses`]).
pub(super) fn date_range(from: NaiveDate, to: NaiveDate) -> Vec<Document> {
    range_clauses(
        "date",
        Some(date_to_bson(from).into()),
        Some(date_to_bson(to).into()),
    )
}

/// The `$match` of the rows a report, summary or budget sums: the user's
/// documents in `[from, to]`, of one account when `account` is given (read
/// over `user_account_date`). A document without `accountId` (written by a
/// release before accounts; the next open migrates it) is in the user's Main
/// account, whose id is the user's — as the balances count it (`$ifNull`).
pub(super) fn report_match(
    user: Id,
    account: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> Document {
    let mut m = doc! { "userId": oid(user), "$and": date_range(from, to) };
    if let Some(account) = account {
        let is: Bson = if account == user {
            doc! { "$in": [oid(account), Bson::Null] }.into()
        } else {
            oid(account).into()
        };
        m.insert("accountId", is);
    }
    m
}

/// `m` restricted to expense rows (refunds included).
pub(super) fn expenses(mut m: Document) -> Document {
    m.insert("type", CategoryKind::Expense.as_str());
    m
}

/// `m` restricted to income and expense rows (never a transfer's legs).
pub(super) fn income_and_expense(mut m: Document) -> Document {
    m.insert(
        "type",
        doc! { "$in": [CategoryKind::Income.as_str(), CategoryKind::Expense.as_str()] },
    );
    m
}

/// An inclusive range on `field` as one clause per bound, for a top-level `$and`.
///
/// Equivalent to `{field: {$gte: lo, $lte: hi}}` (MongoDB plans both alike),
/// but SecantusDB, the MongoDB-wire server the tests run on, drops matches
/// of a two-sided inclusive range on an indexed field; separate clauses are
/// planned correctly there too.
fn range_clauses(field: &str, lo: Option<Bson>, hi: Option<Bson>) -> Vec<Document> {
    let lo = lo.map(|v| doc! { field: { "$gte": v } });
    let hi = hi.map(|v| doc! { field: { "$lte": v } });
    lo.into_iter().chain(hi).collect()
}

/// The find filter of a transaction list page, the cursor included.
pub(super) fn transaction_filter(
    user: Id,
    f: &TransactionFilter,
    page: Option<(TransactionSort, Cursor)>,
) -> Result<Document> {
    let mut filter = doc! { "userId": oid(user) };
    if let Some(account) = f.account {
        filter.insert("accountId", oid(account));
    }
    if !f.categories.is_empty() {
        let ids: Vec<ObjectId> = f.categories.iter().map(|c| oid(*c)).collect();
        filter.insert("category", doc! { "$in": ids });
    }
    if let Some(kind) = f.kind {
        filter.insert("type", kind.as_str());
    }
    if let Some(text) = &f.text {
        filter.insert("searchText", doc! { "$regex": regex_escape(text) });
    }
    let mut all = range_clauses(
        "date",
        f.from.map(|d| date_to_bson(d).into()),
        f.to.map(|d| date_to_bson(d).into()),
    );
    all.extend(range_clauses(
        "amount",
        f.min_amount.map(|a| a.minor().into()),
        f.max_amount.map(|a| a.minor().into()),
    ));
    if let Some((sort, after)) = page {
        all.push(doc! { "$or": keyset_after(sort, after)? });
    }
    if !all.is_empty() {
        filter.insert("$and", all);
    }
    Ok(filter)
}

/// The `$or` clauses selecting the rows strictly after `cursor` in `sort` order.
fn keyset_after(sort: TransactionSort, cursor: Cursor) -> Result<Vec<Document>> {
    let op = if sort.descending() { "$lt" } else { "$gt" };
    let (field, key, id) = match (sort.by_date(), cursor) {
        (true, Cursor::Date { date, id }) => ("date", Bson::DateTime(date_to_bson(date)), id),
        (false, Cursor::Amount { amount, id }) => ("amount", Bson::Int64(amount), id),
        _ => {
            return Err(Error::validation(
                "cursor",
                "is not a valid page cursor; reload the list",
            ));
        }
    };
    Ok(vec![
        doc! { field: { op: key.clone() } },
        doc! { field: key, "_id": { op: oid(id) } },
    ])
}

pub(super) fn sort_order(sort: TransactionSort) -> Document {
    let dir = if sort.descending() { -1 } else { 1 };
    let field = if sort.by_date() { "date" } else { "amount" };
    doc! { field: dir, "_id": dir }
}

/// Escape regular-expression metacharacters so `text` matches literally.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '^'
                | '$'
                | '.'
                | '|'
                | '?'
                | '*'
                | '+'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '-'
                | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_regex_metacharacters() {
        assert_eq!(regex_escape("a.b*(c)"), r"a\.b\*\(c\)");
        assert_eq!(regex_escape("café 50%"), "café 50%");
        assert_eq!(regex_escape(r"\d+$"), r"\\d\+\$");
    }

    #[test]
    fn keyset_follows_the_sort_direction() {
        let id = Id::generate();
        let after =
            keyset_after(TransactionSort::AmountAsc, Cursor::Amount { amount: 5, id }).unwrap();
        assert_eq!(after[0], doc! { "amount": { "$gt": 5_i64 } });
        assert_eq!(
            after[1],
            doc! { "amount": 5_i64, "_id": { "$gt": oid(id) } }
        );
        let date = NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let after = keyset_after(TransactionSort::DateDesc, Cursor::Date { date, id }).unwrap();
        assert_eq!(after[0], doc! { "date": { "$lt": date_to_bson(date) } });
        assert!(keyset_after(TransactionSort::DateDesc, Cursor::Amount { amount: 1, id }).is_err());
    }
}
