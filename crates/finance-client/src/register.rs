//! An account's register (`/accounts/{id}/register`).

use finance_api::ApiResult;
use finance_api::types::{AccountRegisterInput, AccountRegisterPage};
use reqwest::Method;

use crate::Session;

/// The page's inputs travel as the query (the account in the path).
pub async fn account_register(
    s: &Session,
    input: AccountRegisterInput,
) -> ApiResult<AccountRegisterPage> {
    let req = s
        .request(Method::GET, &["accounts", &input.account_id, "register"])
        .query(&input);
    s.call(req).await
}
