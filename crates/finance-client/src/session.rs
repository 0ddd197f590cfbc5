//! Sign-up, sign-in and sign-out, and what is the person's own whatever
//! ledger they work in: the password, the currency, deleting the account
//! (the server's `auth` routes).

use finance_api::ApiResult;
use finance_api::types::{
    ChangePasswordInput, CurrencyInput, CurrencyUsageView, DeleteAccountInput, LoginInput, Profile,
    RegisterInput,
};
use reqwest::Method;
use serde::Deserialize;

use crate::{Server, Session};

/// Create an account on the server (sign in next).
pub async fn register(server: &Server, input: RegisterInput) -> ApiResult<Profile> {
    let req = server
        .request(Method::POST, &["auth", "register"])
        .json(&input);
    crate::json(server.url(), req).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginAnswer {
    token: String,
    profile: Profile,
}

/// Sign in: a session on the person's own ledger, and their profile.
pub async fn login(server: &Server, input: LoginInput) -> ApiResult<(Session, Profile)> {
    let req = server
        .request(Method::POST, &["auth", "login"])
        .json(&input);
    let answer: LoginAnswer = crate::json(server.url(), req).await?;
    Ok((Session::new(server.clone(), answer.token), answer.profile))
}

/// End the session on the server: its token is refused from then on.
pub async fn logout(s: &Session) -> ApiResult<()> {
    s.call_empty(s.own_request(Method::POST, &["auth", "logout"]))
        .await
}

/// The profile, working in the session's ledger (its currency is that ledger's).
pub async fn me(s: &Session) -> ApiResult<Profile> {
    s.call(s.request(Method::GET, &["me"])).await
}

/// Change the password (the server ends the person's other sessions).
pub async fn change_password(s: &Session, input: ChangePasswordInput) -> ApiResult<()> {
    s.call_empty(
        s.own_request(Method::POST, &["auth", "password"])
            .json(&input),
    )
    .await
}

/// Delete the account and all its data (the password is checked).
pub async fn delete_my_account(s: &Session, input: DeleteAccountInput) -> ApiResult<()> {
    s.call_empty(s.own_request(Method::DELETE, &["me"]).json(&input))
        .await
}

/// What holds amounts in the person's currency.
pub async fn currency_usage(s: &Session, _: ()) -> ApiResult<CurrencyUsageView> {
    s.call(s.own_request(Method::GET, &["me", "currency-usage"]))
        .await
}

/// Change the currency while nothing holds amounts in it.
pub async fn change_currency(s: &Session, input: CurrencyInput) -> ApiResult<Profile> {
    s.call(s.own_request(Method::PUT, &["me", "currency"]).json(&input))
        .await
}
