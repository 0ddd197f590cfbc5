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
use finance_core::{AuthUser, Error, Finance, Id};

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

/// The request header that names the household ledger a call acts on.
pub const LEDGER_HEADER: &str = "finance-ledger";

/// Who the token belongs to and on which ledger: the one the `Finance-Ledger`
/// header names (a ledger id; the core checks the membership on every call:
/// `NotFound` for a ledger one is not an active member of), else the caller's
/// own. A header that is no id is `Validation { field: "Finance-Ledger" }`.
pub async fn authenticate(
    finance: &Finance,
    parts: &Parts,
    token: &str,
    now: DateTime<Utc>,
) -> Result<AuthUser, Error> {
    let ledger = match parts.headers.get(LEDGER_HEADER) {
        None => None,
        Some(v) => {
            let text = v
                .to_str()
                .map_err(|_| Error::validation("Finance-Ledger", "is not a ledger id"))?;
            Some(Id::parse("Finance-Ledger", text.trim())?)
        }
    };
    finance.authenticate_on(token, ledger, now).await
}

impl Caller {
    /// Authenticate the request's bearer token, on the ledger the header names
    /// when `honour_ledger`, else on the caller's own.
    async fn from_parts(
        parts: &Parts,
        state: &AppState,
        honour_ledger: bool,
    ) -> Result<Caller, HttpError> {
        let token = bearer(parts).ok_or_else(Error::unauthorized)?.to_string();
        let now = Utc::now();
        let user = if honour_ledger {
            authenticate(&state.finance, parts, &token, now).await?
        } else {
            state.finance.authenticate(&token, now).await?
        };
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

impl FromRequestParts<AppState> for Caller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        Caller::from_parts(parts, state, true).await
    }
}

/// The authenticated person on their own ledger, whatever `Finance-Ledger`
/// says: for what is theirs alone (log-out, password, currency, deleting the
/// account).
pub struct Person(pub Caller);

impl FromRequestParts<AppState> for Person {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        Ok(Person(Caller::from_parts(parts, state, false).await?))
    }
}
