//! Request extractors: the caller ([`Caller`], from the bearer token) and the
//! body and query ([`Body`], [`Params`]) whose rejections answer in the one
//! error shape.
//!
//! Invariants: every route that touches a ledger takes a [`Caller`], whose only
//! constructor authenticates the bearer token against the store's sessions on
//! every request (a revoked token is refused at once); the token is never
//! logged or echoed; `now` and `today` are read here, once per request.

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Local, Utc};
use finance_api::ops::Cx;
use finance_core::{AuthUser, Error, Finance};

use crate::error::HttpError;
use crate::state::AppState;

/// A JSON body; its rejections answer in the one error shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(HttpError))]
pub struct Body<T>(pub T);

/// Query parameters; their rejections answer in the one error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(HttpError))]
pub struct Params<T>(pub T);

/// A path parameter; its rejections answer in the one error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(HttpError))]
pub struct PathId<T>(pub T);

/// The authenticated caller: the operation context and the bearer token
/// (kept only to end its session on log-out).
pub struct Caller {
    pub cx: Cx,
    token: String,
}

impl Caller {
    /// The bearer token this request was made with.
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// The bearer token of a request, if it has a well-formed one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Who the token belongs to and on which ledger. This is where the household
/// ledger plugs in: the `Finance-Ledger` header (a ledger id) will be passed
/// to the core's `authenticate_on(token, ledger, now)`, which checks the
/// membership; without the header, the caller's own ledger.
pub async fn authenticate(
    finance: &Finance,
    parts: &Parts,
    token: &str,
    now: DateTime<Utc>,
) -> Result<AuthUser, Error> {
    let _ = parts; // the Finance-Ledger header is read here once ledgers exist
    finance.authenticate(token, now).await
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let token = bearer(parts).ok_or_else(Error::unauthorized)?.to_string();
        let now = Utc::now();
        let user = authenticate(&state.finance, parts, &token, now).await?;
        Ok(Caller {
            cx: Cx {
                finance: state.finance.clone(),
                user,
                now,
                today: Local::now().date_naive(),
            },
            token,
        })
    }
}
