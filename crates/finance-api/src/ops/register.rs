//! An account's register: its rows in date order with running balances.
//!
//! Invariants: another user's account answers `NotFound`, as a missing one;
//! each row's balance is the core's running sum (integer minor units),
//! formatted in the caller's currency.

use finance_core::money::format_minor;

use super::Cx;
use super::transactions::transaction_views;
use crate::error::ApiResult;
use crate::types::{AccountRegisterInput, AccountRegisterPage, RegisterRow};

/// A page of one account's register.
pub async fn account_register(
    cx: &Cx,
    input: AccountRegisterInput,
) -> ApiResult<AccountRegisterPage> {
    let (f, user) = (&cx.finance, &cx.user);
    let query = input.query()?;
    let page = f.account_register(user, &query).await?;
    let views = transaction_views(f, user, &page.items).await?;
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
