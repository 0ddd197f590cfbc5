//! Accounts and sessions: register, log in (a bearer JWT whose session is the
//! core's sessions table), log out (revokes that session), change the
//! password, the profile.
//!
//! Invariants: the token is answered once, by log-in, and never logged; a
//! log-out or password change ends sessions in the store, so the next request
//! with that token is 401 on every server sharing the store.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{SecondsFormat, Utc};
use finance_api::types::{
    ChangePasswordInput, CurrencyInput, CurrencyUsageView, DeleteAccountInput, LoginInput, Profile,
    RegisterInput,
};
use finance_core::domain::{Password, RegistrationDraft};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::HttpResult;
use crate::extract::{Body, Caller, Person};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(change_password))
        .routes(routes!(me, delete_my_account))
        .routes(routes!(currency_usage))
        .routes(routes!(change_currency))
}

/// A new session.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginView {
    /// The bearer token: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the session ends (RFC 3339).
    pub expires_at: String,
    pub profile: Profile,
}

impl std::fmt::Debug for LoginView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginView")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Create an account (with the default categories and a Main account); log in next.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterInput,
    responses((status = 201, description = "The new account's profile", body = Profile)))]
pub async fn register(
    State(state): State<AppState>,
    Body(input): Body<RegisterInput>,
) -> HttpResult<(StatusCode, Json<Profile>)> {
    let reg = RegistrationDraft::from(input).validate()?;
    let user = state.finance.register(reg, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Profile::from(&user))))
}

/// Log in: a bearer token for a new session (throttled: 429 with `Retry-After`).
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginInput,
    responses((status = 200, description = "A new session", body = LoginView)))]
pub async fn login(
    State(state): State<AppState>,
    Body(input): Body<LoginInput>,
) -> HttpResult<Json<LoginView>> {
    let password = Password::for_login(&input.password);
    let out = state
        .finance
        .login(&input.username, &password, Utc::now())
        .await?;
    Ok(Json(LoginView {
        token: out.token.expose().to_string(),
        expires_at: out.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        profile: Profile::from(&out.user),
    }))
}

/// End this session: its token is refused from now on.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "Signed out")))]
pub async fn logout(Person(caller): Person) -> HttpResult<StatusCode> {
    caller.cx.finance.logout(caller.token()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change the password (the current one is checked, throttled like log-in);
/// every other session of the user ends.
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePasswordInput,
    responses((status = 204, description = "Changed; other sessions ended")))]
pub async fn change_password(
    Person(caller): Person,
    Body(input): Body<ChangePasswordInput>,
) -> HttpResult<StatusCode> {
    let current = Password::for_login(&input.current_password);
    caller
        .cx
        .finance
        .change_password(&caller.cx.user, &current, &input.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user's profile, working in the ledger `Finance-Ledger` names
/// (their own without it): the currency is that ledger's.
#[utoipa::path(get, path = "/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The profile", body = Profile)))]
pub async fn me(caller: Caller) -> HttpResult<Json<Profile>> {
    let (f, user) = (&caller.cx.finance, &caller.cx.user);
    let person = f.profile(user).await?;
    let access = f
        .ledgers(user)
        .await?
        .into_iter()
        .find(|a| a.ledger == user.ledger())
        .ok_or(finance_core::Error::NotFound { what: "ledger" })?;
    Ok(Json(Profile::working_in(&person, &access)))
}

/// Delete the account and all its data (the password is checked, throttled like log-in); every session ends.
#[utoipa::path(delete, path = "/me", tag = "auth", security(("bearer" = [])),
    request_body = DeleteAccountInput,
    responses((status = 204, description = "Deleted")))]
pub async fn delete_my_account(
    Person(caller): Person,
    Body(input): Body<DeleteAccountInput>,
) -> HttpResult<StatusCode> {
    let password = Password::for_login(&input.password);
    caller
        .cx
        .finance
        .delete_account(&caller.cx.user, &password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What holds amounts in the user's currency (it can change only while nothing does).
#[utoipa::path(get, path = "/me/currency-usage", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The currency's usage", body = CurrencyUsageView)))]
pub async fn currency_usage(Person(caller): Person) -> HttpResult<Json<CurrencyUsageView>> {
    let usage = caller.cx.finance.currency_usage(&caller.cx.user).await?;
    Ok(Json(usage.into()))
}

/// Change the currency while no amount is recorded in it (`conflict` on `currency` otherwise).
#[utoipa::path(put, path = "/me/currency", tag = "auth", security(("bearer" = [])),
    request_body = CurrencyInput,
    responses((status = 200, description = "The profile", body = Profile)))]
pub async fn change_currency(
    Person(caller): Person,
    Body(input): Body<CurrencyInput>,
) -> HttpResult<Json<Profile>> {
    let currency = finance_core::Currency::parse("currency", &input.currency)?;
    let user = caller
        .cx
        .finance
        .change_currency(&caller.cx.user, currency)
        .await?;
    Ok(Json(Profile::from(&user)))
}
