//! The desktop app's client of a Finance server (`crates/finance-server`):
//! one typed call per served operation, named and grouped as the operation
//! bodies in `finance_api::ops` (`categories::add_category(&session, input)`),
//! so the desktop forwards a command by naming it once.
//!
//! * [`ServerUrl`] — a server's address, checked: `https://…`, or plain
//!   `http://` on this computer only (loopback).
//! * [`probe`] — `/health` and the certificate the server presents, before
//!   anything is trusted or sent (the user confirms an unknown certificate's
//!   fingerprint).
//! * [`Server`] — a connection pool trusting the server as configured
//!   ([`Trust`]: a public authority, or the pinned certificate).
//! * [`Session`] — a server and the bearer token of a sign-in, acting on a
//!   household ledger (the `Finance-Ledger` header) or the person's own.
//! * the area modules — one function per route; [`session`] holds sign-up,
//!   sign-in and the person's own settings.
//!
//! Invariants: the token is sent only to the server it came from, as
//! `Authorization: Bearer`, and is never logged (`Session`'s `Debug` hides
//! it); every error answers in the one `ApiError` shape — the server's own
//! when it answered one, else `unavailable` (not reachable, or its
//! certificate changed) or `internal` (an answer that is not the API's);
//! path segments from input are percent-encoded (an id cannot reach another route).

pub mod accounts;
pub mod budgets;
pub mod bulk;
pub mod categories;
pub mod files;
pub mod members;
pub mod register;
pub mod reports;
pub mod rules;
pub mod schedules;
pub mod session;
mod tls;
pub mod transactions;
pub mod transfers;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use finance_api::{ApiError, ApiResult, ErrorCode};
use reqwest::{Method, RequestBuilder, Response, StatusCode, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
pub use tls::{Fingerprint, Trust};

/// The header naming the ledger a call acts on (the server's `Finance-Ledger`).
pub const LEDGER_HEADER: &str = "Finance-Ledger";

/// How long one call may take before the server counts as unreachable.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

fn invalid(field: &str, message: &str) -> ApiError {
    let mut e = ApiError::new(ErrorCode::Validation, message);
    e.field = Some(field.to_string());
    e
}

/// A server's address: `https://host[:port][/path]`, or `http://` to this
/// computer (loopback) only — anything else would send passwords in clear.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl(Url);

impl ServerUrl {
    /// Check an address as typed (surrounding spaces and a trailing `/` are
    /// fine); `field` names the input in the error.
    pub fn parse(field: &str, text: &str) -> ApiResult<ServerUrl> {
        let text = text.trim();
        if text.is_empty() {
            return Err(invalid(field, "is required"));
        }
        let url = Url::parse(text).map_err(|_| {
            invalid(
                field,
                "is not a web address (e.g. https://finance.example.org)",
            )
        })?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid(
                field,
                "must not hold a user name or password (you sign in after connecting)",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid(
                field,
                "must not hold a query (?…) or fragment (#…)",
            ));
        }
        let loopback = match url.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => return Err(invalid(field, "names no server")),
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(invalid(
                    field,
                    "must start with https:// (plain http:// only reaches a server on this computer)",
                ));
            }
            _ => return Err(invalid(field, "must start with https://")),
        }
        let mut url = url;
        let path = url.path().trim_end_matches('/').to_string();
        url.set_path(&path);
        Ok(ServerUrl(url))
    }

    /// Whether calls are encrypted (`https`).
    pub fn is_tls(&self) -> bool {
        self.0.scheme() == "https"
    }

    /// The API's base: `<address>/api/v1/`.
    fn api(&self) -> Url {
        let mut base = self.0.clone();
        let path = format!("{}/api/v1/", base.path().trim_end_matches('/'));
        base.set_path(&path);
        base
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

impl fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerUrl({self})")
    }
}

/// What a server says about itself before anything is trusted.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The server's version (its `/health`).
    pub version: String,
    /// The certificate's fingerprint (`None` over plain http to this computer).
    pub fingerprint: Option<Fingerprint>,
    /// Whether a public authority vouches for the certificate for this name
    /// (then no confirmation is needed).
    pub publicly_trusted: bool,
}

#[derive(Deserialize)]
struct Health {
    status: String,
    version: String,
}

/// Ask `url`'s `/health` what it is, recording its certificate without
/// trusting it (no credentials are sent on this connection).
pub async fn probe(url: &ServerUrl) -> ApiResult<Probe> {
    let seen = Arc::new(Mutex::new(tls::Seen::default()));
    let http = client(tls::observe(seen.clone())?)?;
    let res = http
        .get(url.api().join("health").map_err(internal)?)
        .send()
        .await
        .map_err(|e| unreachable(url, &e))?;
    if !res.status().is_success() {
        return Err(not_a_server(url));
    }
    let health: Health = res.json().await.map_err(|_| not_a_server(url))?;
    if health.status != "ok" {
        return Err(not_a_server(url));
    }
    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    Ok(Probe {
        version: health.version,
        fingerprint: seen.fingerprint,
        publicly_trusted: url.is_tls() && seen.publicly_trusted,
    })
}

fn not_a_server(url: &ServerUrl) -> ApiError {
    let mut e = ApiError::new(
        ErrorCode::Unavailable,
        format!("{url} answered, but not as a Finance server (is the address right?)"),
    );
    e.field = Some("serverUrl".into());
    e
}

fn client(tls: rustls::ClientConfig) -> ApiResult<reqwest::Client> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(CALL_TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ApiError::internal(format!("the HTTP client could not start: {e}")))
}

fn internal(e: impl fmt::Display) -> ApiError {
    ApiError::internal(format!("the request could not be made: {e}"))
}

/// A server and how it is trusted; cheap to clone (one connection pool).
#[derive(Clone)]
pub struct Server {
    url: ServerUrl,
    api: Url,
    http: reqwest::Client,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Server({})", self.url)
    }
}

impl Server {
    /// A client of `url` accepting what `trust` says.
    pub fn new(url: &ServerUrl, trust: &Trust) -> ApiResult<Server> {
        Ok(Server {
            url: url.clone(),
            api: url.api(),
            http: client(tls::config(trust)?)?,
        })
    }

    /// The server's address.
    pub fn url(&self) -> &ServerUrl {
        &self.url
    }

    /// A request to the route made of `segments` (each percent-encoded).
    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        let mut url = self.api.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        self.http.request(method, url)
    }
}

/// A server and the bearer token of one sign-in, on a ledger.
#[derive(Clone)]
pub struct Session {
    server: Server,
    token: String,
    ledger: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("server", &self.server)
            .field("token", &"<redacted>")
            .field("ledger", &self.ledger)
            .finish()
    }
}

impl Session {
    /// Calls on `server` with `token`, on the person's own ledger.
    pub fn new(server: Server, token: String) -> Session {
        Session {
            server,
            token,
            ledger: None,
        }
    }

    /// The same sign-in acting on `ledger` (a ledger id; `None`: one's own).
    pub fn on_ledger(&self, ledger: Option<String>) -> Session {
        Session {
            ledger,
            ..self.clone()
        }
    }

    /// The ledger calls act on (`None`: the person's own).
    pub fn ledger(&self) -> Option<&str> {
        self.ledger.as_deref()
    }

    /// The server.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// The bearer token (for the keyring, nothing else).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// An authenticated request on the session's ledger.
    pub(crate) fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        let req = self
            .server
            .request(method, segments)
            .bearer_auth(&self.token);
        match &self.ledger {
            Some(l) => req.header(LEDGER_HEADER, l),
            None => req,
        }
    }

    /// An authenticated request on the person's own ledger, whatever the
    /// session's (their password, currency, account).
    pub(crate) fn own_request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        self.server
            .request(method, segments)
            .bearer_auth(&self.token)
    }

    fn url(&self) -> &ServerUrl {
        &self.server.url
    }
}

/// Why a call got no answer.
fn unreachable(url: &ServerUrl, e: &reqwest::Error) -> ApiError {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        chain.push_str(&s.to_string());
        chain.push('\n');
        source = s.source();
    }
    let message = if chain.contains(tls::PIN_MISMATCH) {
        format!(
            "The Finance server at {url} presented a different certificate from the one you \
             confirmed; nothing was sent. If its owner replaced it, choose the server again in \
             Settings to confirm the new one."
        )
    } else if e.is_timeout() {
        format!("The Finance server at {url} did not answer in time.")
    } else {
        format!("The Finance server at {url} cannot be reached.")
    };
    tracing::info!(server = %url, error = %chain.replace('\n', " / "), "server call failed");
    ApiError::new(ErrorCode::Unavailable, message)
}

/// The error a non-success answer carries (the API's shape), else one made
/// from its status.
async fn error_of(url: &ServerUrl, res: Response) -> ApiError {
    let status = res.status();
    let retry_after = res
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u32>().ok());
    let body = res.bytes().await.unwrap_or_default();
    if let Ok(mut e) = serde_json::from_slice::<ApiError>(&body) {
        e.retry_after_secs = e.retry_after_secs.or(retry_after);
        return e;
    }
    match status {
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => {
            ApiError::new(
                ErrorCode::Unavailable,
                format!("The Finance server at {url} is not available right now ({status})."),
            )
        }
        StatusCode::UNAUTHORIZED => ApiError::new(ErrorCode::Unauthorized, "Please sign in again."),
        _ => ApiError::internal(format!(
            "The Finance server at {url} answered {status}, which is not the API's answer."
        )),
    }
}

async fn answer(url: &ServerUrl, req: RequestBuilder) -> ApiResult<Response> {
    let res = req.send().await.map_err(|e| unreachable(url, &e))?;
    if res.status().is_success() {
        Ok(res)
    } else {
        Err(error_of(url, res).await)
    }
}

/// Send and read the JSON answer.
pub(crate) async fn json<T: DeserializeOwned>(
    url: &ServerUrl,
    req: RequestBuilder,
) -> ApiResult<T> {
    let res = answer(url, req).await?;
    let bytes = res.bytes().await.map_err(|e| unreachable(url, &e))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::internal(format!(
            "The Finance server at {url} answered in an unexpected shape ({e}); is it a \
             different version?"
        ))
    })
}

/// Send, expecting no body (204) or one to ignore.
pub(crate) async fn empty(url: &ServerUrl, req: RequestBuilder) -> ApiResult<()> {
    answer(url, req).await.map(|_| ())
}

impl Session {
    /// `method` on `segments` with a JSON body, answered as `T`.
    pub(crate) async fn call<T: DeserializeOwned>(&self, req: RequestBuilder) -> ApiResult<T> {
        json(self.url(), req).await
    }

    /// As [`Session::call`], expecting no answer body.
    pub(crate) async fn call_empty(&self, req: RequestBuilder) -> ApiResult<()> {
        empty(self.url(), req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_must_be_https_unless_it_is_this_computer() {
        for ok in [
            "https://finance.example.org",
            "https://finance.example.org:8443/",
            " https://10.0.0.5/finance/ ",
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            assert!(
                ServerUrl::parse("serverUrl", ok).is_ok(),
                "{ok} is accepted"
            );
        }
        for bad in [
            "",
            "finance.example.org",
            "http://finance.example.org",
            "http://10.0.0.5:8080",
            "ftp://finance.example.org",
            "https://ann:secret@finance.example.org",
            "https://finance.example.org/?x=1",
        ] {
            let e = ServerUrl::parse("serverUrl", bad).expect_err(bad);
            assert_eq!(e.code, ErrorCode::Validation, "{bad}");
            assert_eq!(
                e.field.as_deref(),
                Some("serverUrl"),
                "{bad} names the field"
            );
            assert!(
                !e.message.contains("secret"),
                "the message never echoes a password"
            );
        }
    }

    #[test]
    fn the_api_lives_under_the_address_path() {
        let url = ServerUrl::parse("u", "https://h.example/finance/").expect("ok");
        assert_eq!(url.api().as_str(), "https://h.example/finance/api/v1/");
        assert_eq!(url.to_string(), "https://h.example/finance");
        let root = ServerUrl::parse("u", "https://h.example").expect("ok");
        assert_eq!(root.api().as_str(), "https://h.example/api/v1/");
    }

    #[test]
    fn path_segments_from_input_cannot_leave_their_route() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = ServerUrl::parse("u", "https://h.example").expect("ok");
        let server = Server::new(&url, &Trust::Public).expect("client");
        let req = server
            .request(Method::GET, &["categories", "../me", "usage"])
            .build()
            .expect("request");
        assert_eq!(
            req.url().as_str(),
            "https://h.example/api/v1/categories/..%2Fme/usage",
            "the id stays one segment"
        );
    }
}
