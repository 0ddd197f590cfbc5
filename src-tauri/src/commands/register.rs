//! An account's register: its rows in date order with running balances.

use chrono::Utc;
use finance_core::money::format_minor;
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use finance_api::ops::transactions::transaction_views;
use finance_api::types::{AccountRegisterInput, AccountRegisterPage, RegisterRow};

/// A page of one account's register (another user's account: `NotFound`, as a missing one).
#[tauri::command]
pub async fn account_register(
    state: State<'_, AppState>,
    input: AccountRegisterInput,
) -> ApiResult<AccountRegisterPage> {
    let query = input.query()?;
    let (f, user) = state.session(Utc::now()).await?;
    let page = f.account_register(&user, &query).await?;
    let views = transaction_views(&f, &user, &page.items).await?;
    // The query is the account and dates sorted by date, so the core walks every row.
    let balances = page.balances.ok_or_else(|| {
        finance_core::Error::internal("account_register", "a register page without balances")
    })?;
    Ok(AccountRegisterPage {
        items: views
            .into_iter()
            .zip(balances)
            .map(|(transaction, b)| RegisterRow {
                transaction,
                balance: format_minor(b, user.currency()),
            })
            .collect(),
        next_cursor: page.next.map(|c| c.encode()),
    })
}
