//! Accounts: the list with balances and totals, add, edit, archive, usage
//! (asked before a delete) and delete (optionally moving the transactions).
//!
//! Invariants: every write answers the whole list as it stands after the
//! write ([`accounts_view`]: balances and totals summed by the core), so the
//! screen shows what the write returned; opening balances are validated in
//! the caller's currency; every read is scoped by the caller.

use finance_core::{AuthUser, Finance, Id, rules};

use super::Cx;
use crate::error::ApiResult;
use crate::types::{
    AccountInput, AccountRemoval, AccountUsageView, AccountsView, ArchiveAccountInput, IdInput,
    RemoveAccountInput, RemovedRows, UpdateAccountInput,
};

/// The user's accounts with their balances, and the totals over all of them.
pub async fn accounts_view(f: &Finance, user: &AuthUser) -> ApiResult<AccountsView> {
    let balances = f.account_balances(user).await?;
    let totals = rules::net_worth(&balances)?;
    Ok(AccountsView::new(&balances, totals, user.currency()))
}

pub async fn list_accounts(cx: &Cx, _: ()) -> ApiResult<AccountsView> {
    accounts_view(&cx.finance, &cx.user).await
}

pub async fn add_account(cx: &Cx, input: AccountInput) -> ApiResult<AccountsView> {
    let new = input.validate(cx.user.currency())?;
    cx.finance.add_account(&cx.user, new, cx.now).await?;
    accounts_view(&cx.finance, &cx.user).await
}

pub async fn update_account(cx: &Cx, input: UpdateAccountInput) -> ApiResult<AccountsView> {
    let id = Id::parse("id", &input.id)?;
    let change = input.fields.validate(cx.user.currency())?;
    cx.finance.update_account(&cx.user, id, change).await?;
    accounts_view(&cx.finance, &cx.user).await
}

pub async fn set_account_archived(cx: &Cx, input: ArchiveAccountInput) -> ApiResult<AccountsView> {
    let id = Id::parse("id", &input.id)?;
    cx.finance
        .set_account_archived(&cx.user, id, input.archived)
        .await?;
    accounts_view(&cx.finance, &cx.user).await
}

pub async fn account_usage(cx: &Cx, input: IdInput) -> ApiResult<AccountUsageView> {
    let id = Id::try_from(&input)?;
    Ok(cx.finance.account_usage(&cx.user, id).await?.into())
}

pub async fn remove_account(cx: &Cx, input: RemoveAccountInput) -> ApiResult<AccountsView> {
    let removal = AccountRemoval::try_from(input)?;
    let (f, user) = (&cx.finance, &cx.user);
    match removal.rows {
        RemovedRows::Refuse => f.remove_account(user, removal.id, None).await?,
        RemovedRows::MoveTo(target) => f.remove_account(user, removal.id, Some(target)).await?,
        RemovedRows::Delete => {
            f.remove_account_and_transactions(user, removal.id).await?;
        }
    }
    accounts_view(f, user).await
}
