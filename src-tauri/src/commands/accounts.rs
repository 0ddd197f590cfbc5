//! Account commands: the list with balances and totals, add, edit, archive,
//! usage (asked before a delete) and delete (optionally moving the
//! transactions).
//!
//! Invariants: every write answers the whole list as it stands after the
//! write ([`accounts_view`]: balances and totals summed by the core), so the
//! screen shows what the write returned; opening balances are validated in
//! the signed-in user's currency; every read is scoped by the signed-in
//! user's id.

use chrono::Utc;
use finance_core::{AuthUser, Finance, Id, rules};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::types::{
    AccountInput, AccountRemoval, AccountUsageView, AccountsView, ArchiveAccountInput, IdInput,
    RemoveAccountInput, RemovedRows, UpdateAccountInput,
};

/// The user's accounts with their balances, and the totals over all of them.
pub(super) async fn accounts_view(f: &Finance, user: &AuthUser) -> ApiResult<AccountsView> {
    let balances = f.account_balances(user).await?;
    let totals = rules::net_worth(&balances)?;
    Ok(AccountsView::new(&balances, totals, user.currency()))
}

#[tauri::command]
pub async fn list_accounts(state: State<'_, AppState>) -> ApiResult<AccountsView> {
    let (f, user) = state.session(Utc::now()).await?;
    accounts_view(&f, &user).await
}

#[tauri::command]
pub async fn add_account(
    state: State<'_, AppState>,
    input: AccountInput,
) -> ApiResult<AccountsView> {
    let (f, user) = state.session(Utc::now()).await?;
    let new = input.validate(user.currency())?;
    f.add_account(&user, new, Utc::now()).await?;
    accounts_view(&f, &user).await
}

#[tauri::command]
pub async fn update_account(
    state: State<'_, AppState>,
    input: UpdateAccountInput,
) -> ApiResult<AccountsView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    let change = input.fields.validate(user.currency())?;
    f.update_account(&user, id, change).await?;
    accounts_view(&f, &user).await
}

#[tauri::command]
pub async fn set_account_archived(
    state: State<'_, AppState>,
    input: ArchiveAccountInput,
) -> ApiResult<AccountsView> {
    let id = Id::parse("id", &input.id)?;
    let (f, user) = state.session(Utc::now()).await?;
    f.set_account_archived(&user, id, input.archived).await?;
    accounts_view(&f, &user).await
}

#[tauri::command]
pub async fn account_usage(
    state: State<'_, AppState>,
    input: IdInput,
) -> ApiResult<AccountUsageView> {
    let id = Id::try_from(&input)?;
    let (f, user) = state.session(Utc::now()).await?;
    Ok(f.account_usage(&user, id).await?.into())
}

#[tauri::command]
pub async fn remove_account(
    state: State<'_, AppState>,
    input: RemoveAccountInput,
) -> ApiResult<AccountsView> {
    let removal = AccountRemoval::try_from(input)?;
    let (f, user) = state.session(Utc::now()).await?;
    match removal.rows {
        RemovedRows::Refuse => f.remove_account(&user, removal.id, None).await?,
        RemovedRows::MoveTo(target) => f.remove_account(&user, removal.id, Some(target)).await?,
        RemovedRows::Delete => {
            f.remove_account_and_transactions(&user, removal.id).await?;
        }
    }
    accounts_view(&f, &user).await
}
