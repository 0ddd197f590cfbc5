//! Transactions: list (keyset pages), get, add (optionally under an
//! idempotency key), update, delete; and the views other areas' answers
//! reuse ([`transaction_views`], [`transaction_page`], [`transfer_accounts`]).
//!
//! Invariants: a single transaction's view reads only its own category's name
//! ([`category_name`]), never the whole category list, and a page's names
//! come with its rows ([`finance_core::domain::NamedPage`]); amounts are validated
//! in the caller's currency. A transfer's leg is shown with the other
//! leg's account ([`transfer_accounts`]: from the page itself when both legs
//! are on it, else one read of the transfer per leg).

use std::collections::HashMap;

use finance_core::domain::{Transaction, TransactionDraft, TransactionQuery};
use finance_core::{AuthUser, Finance, Id};

use super::Cx;
use super::categories::{category_name, category_names, name_in};
use crate::error::ApiResult;
use crate::types::{
    DeleteTransactionInput, IdInput, TransactionInput, TransactionListInput, TransactionPage,
    TransactionView, UpdateTransactionInput, idempotency_key,
};

/// One transaction as shown, with its category's name (or, for a leg, the other leg's account).
async fn transaction_view(
    f: &Finance,
    user: &AuthUser,
    t: &Transaction,
) -> ApiResult<TransactionView> {
    let name = category_name(f, user, t.category_id).await?;
    let other = transfer_accounts(f, user, std::slice::from_ref(t)).await?;
    Ok(TransactionView::new(t, &name, user.currency())
        .with_transfer_account(other.get(&t.id).copied()))
}

/// For each transfer leg among `rows` (by the leg's id): the account of the
/// other leg. Taken from `rows` when both legs are there; otherwise the
/// transfer is read (scoped by the user; one gone meanwhile is left out).
pub async fn transfer_accounts(
    f: &Finance,
    user: &AuthUser,
    rows: &[Transaction],
) -> ApiResult<HashMap<Id, Id>> {
    let mut legs: HashMap<Id, Vec<&Transaction>> = HashMap::new();
    for t in rows {
        if let Some(transfer) = t.transfer_id {
            legs.entry(transfer).or_default().push(t);
        }
    }
    let mut out = HashMap::new();
    for (transfer, on_page) in legs {
        if let [a, b] = on_page[..] {
            out.insert(a.id, b.account_id);
            out.insert(b.id, a.account_id);
            continue;
        }
        let t = match f.transfer(user, transfer).await {
            Ok(t) => t,
            Err(e) if e.code() == finance_core::ErrorCode::NotFound => continue,
            Err(e) => return Err(e.into()),
        };
        for leg in on_page {
            let other = if leg.id == t.from.id { &t.to } else { &t.from };
            out.insert(leg.id, other.account_id);
        }
    }
    Ok(out)
}

/// The rows as shown: category names from one read of the categories, legs with their other account.
pub async fn transaction_views(
    f: &Finance,
    user: &AuthUser,
    rows: &[Transaction],
) -> ApiResult<Vec<TransactionView>> {
    let names = category_names(f, user).await?;
    shown(f, user, rows, &names).await
}

/// The rows as shown, given the names of their categories.
async fn shown(
    f: &Finance,
    user: &AuthUser,
    rows: &[Transaction],
    names: &HashMap<Id, String>,
) -> ApiResult<Vec<TransactionView>> {
    let others = transfer_accounts(f, user, rows).await?;
    Ok(rows
        .iter()
        .map(|t| {
            TransactionView::new(t, name_in(names, t.category_id), user.currency())
                .with_transfer_account(others.get(&t.id).copied())
        })
        .collect())
}

/// A page of the user's transactions as shown (the category names come with
/// the page's rows: one read).
pub async fn transaction_page(
    f: &Finance,
    user: &AuthUser,
    input: &TransactionListInput,
) -> ApiResult<TransactionPage> {
    let filter = input.filter(user.currency())?;
    let query = TransactionQuery::new(filter, input.sort(), input.limit, input.cursor.as_deref())?;
    let page = f.transactions(user, &query).await?;
    Ok(TransactionPage {
        items: shown(f, user, &page.items, &page.category_names).await?,
        next_cursor: page.next.map(|c| c.encode()),
    })
}

pub async fn list_transactions(cx: &Cx, input: TransactionListInput) -> ApiResult<TransactionPage> {
    transaction_page(&cx.finance, &cx.user, &input).await
}

pub async fn get_transaction(cx: &Cx, input: IdInput) -> ApiResult<TransactionView> {
    let id = Id::try_from(&input)?;
    let t = cx.finance.transaction(&cx.user, id).await?;
    transaction_view(&cx.finance, &cx.user, &t).await
}

pub async fn add_transaction(cx: &Cx, input: TransactionInput) -> ApiResult<TransactionView> {
    let (f, user) = (&cx.finance, &cx.user);
    let new = TransactionDraft::from(input.fields).validate(user.currency())?;
    let t = match idempotency_key(input.idempotency_key.as_deref())? {
        Some(key) => f.add_transaction_with_key(user, new, &key, cx.now).await?,
        None => f.add_transaction(user, new, cx.now).await?,
    };
    transaction_view(f, user, &t).await
}

pub async fn update_transaction(
    cx: &Cx,
    input: UpdateTransactionInput,
) -> ApiResult<TransactionView> {
    let (f, user) = (&cx.finance, &cx.user);
    let id = Id::parse("id", &input.id)?;
    let change = TransactionDraft::from(input.fields).validate(user.currency())?;
    let t = if input.confirm_reconciled == Some(true) {
        f.update_transaction_confirmed(user, id, change, cx.now)
            .await?
    } else {
        f.update_transaction(user, id, change, cx.now).await?
    };
    transaction_view(f, user, &t).await
}

/// Delete a transaction and return it as it was (the UI offers to undo).
pub async fn delete_transaction(
    cx: &Cx,
    input: DeleteTransactionInput,
) -> ApiResult<TransactionView> {
    let (f, user) = (&cx.finance, &cx.user);
    let id = Id::parse("id", &input.id)?;
    let t = f.transaction(user, id).await?;
    let view = transaction_view(f, user, &t).await?;
    if input.confirm_reconciled == Some(true) {
        f.delete_transaction_confirmed(user, id).await?;
    } else {
        f.delete_transaction(user, id).await?;
    }
    Ok(view)
}
