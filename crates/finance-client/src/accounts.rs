//! Accounts (`/accounts`).

use finance_api::ApiResult;
use finance_api::types::{
    AccountInput, AccountUsageView, AccountsView, ArchiveAccountInput, IdInput, RemoveAccountInput,
    UpdateAccountInput,
};
use reqwest::Method;
use serde_json::json;

use crate::Session;

pub async fn list_accounts(s: &Session, _: ()) -> ApiResult<AccountsView> {
    s.call(s.request(Method::GET, &["accounts"])).await
}

pub async fn add_account(s: &Session, input: AccountInput) -> ApiResult<AccountsView> {
    s.call(s.request(Method::POST, &["accounts"]).json(&input))
        .await
}

pub async fn update_account(s: &Session, input: UpdateAccountInput) -> ApiResult<AccountsView> {
    let req = s
        .request(Method::PUT, &["accounts", &input.id])
        .json(&input.fields);
    s.call(req).await
}

pub async fn set_account_archived(
    s: &Session,
    input: ArchiveAccountInput,
) -> ApiResult<AccountsView> {
    let req = s
        .request(Method::PUT, &["accounts", &input.id, "archived"])
        .json(&json!({ "archived": input.archived }));
    s.call(req).await
}

pub async fn account_usage(s: &Session, input: IdInput) -> ApiResult<AccountUsageView> {
    s.call(s.request(Method::GET, &["accounts", &input.id, "usage"]))
        .await
}

pub async fn remove_account(s: &Session, input: RemoveAccountInput) -> ApiResult<AccountsView> {
    let mut req = s.request(Method::DELETE, &["accounts", &input.id]);
    if let Some(to) = &input.move_to {
        req = req.query(&[("moveTo", to)]);
    }
    if let Some(delete) = input.delete_transactions {
        req = req.query(&[("deleteTransactions", delete)]);
    }
    s.call(req).await
}
