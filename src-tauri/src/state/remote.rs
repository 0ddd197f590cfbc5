//! Server mode: the app as a client of a Finance server (`finance-server`),
//! chosen by `FINANCE_SERVER_URL` (with `FINANCE_SERVER_FINGERPRINT` for a
//! self-signed certificate) or in Settings (kept in the keyring's `server`
//! entry). Every command then forwards to its route through
//! [`finance_client`] ([`Target::Remote`], [`crate::forward!`]); the rules,
//! roles and data are the server's.
//!
//! Invariants:
//! * the server's token lives in memory and the keyring's `server-session`
//!   entry only (never the webview), and goes only to the server it came from;
//! * a server is trusted as chosen: a publicly trusted certificate, or the
//!   one the user confirmed by fingerprint (pinned); nothing is sent before;
//! * the ledger in hand ([`AppState::ledger`]) travels as `Finance-Ledger`;
//!   a ledger one was removed from answers `NotFound { field: "ledger" }` and
//!   the app returns to one's own, as on a local store;
//! * an `unauthorized` answer forgets the token (the server ended the session);
//! * a sign-out is never lost: one the server did not confirm (unreachable)
//!   is a pending revocation filed under the server's address
//!   ([`crate::revocations`]), sent when the server next answers.

use finance_api::ops::Cx;
use finance_api::types::{Profile, StartupState, StoreInfo};
use finance_client::{Fingerprint, Server, ServerUrl, Session, Trust};

use chrono::Utc;
use finance_core::auth::SessionToken;

use super::AppState;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::revocations::{Pending, StoreKey, expired};
use crate::vault;

/// A chosen server: where, and which certificate it may present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerChoice {
    pub url: ServerUrl,
    pub trust: Trust,
}

impl ServerChoice {
    /// `FINANCE_SERVER_URL` (and `FINANCE_SERVER_FINGERPRINT`) through `get`;
    /// `None` when no server is configured. A refusal names the variable.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<ServerChoice>, finance_core::Error> {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let Some(url) = nonempty("FINANCE_SERVER_URL") else {
            return Ok(None);
        };
        let refuse = |var: &'static str, e: ApiError| {
            finance_core::Error::validation(var, format!("{var} {}", e.message))
        };
        let url = ServerUrl::parse("FINANCE_SERVER_URL", &url)
            .map_err(|e| refuse("FINANCE_SERVER_URL", e))?;
        let trust = match nonempty("FINANCE_SERVER_FINGERPRINT") {
            None => Trust::Public,
            Some(fp) => Trust::Pinned(
                Fingerprint::parse("FINANCE_SERVER_FINGERPRINT", &fp)
                    .map_err(|e| refuse("FINANCE_SERVER_FINGERPRINT", e))?,
            ),
        };
        Ok(Some(ServerChoice { url, trust }))
    }

    /// The keyring entry's text: the address, then the pin (or `public`).
    pub fn encode(&self) -> String {
        let trust = match &self.trust {
            Trust::Public => "public".to_string(),
            Trust::Pinned(fp) => fp.to_string(),
        };
        format!("{}\n{trust}", self.url)
    }

    /// Read [`ServerChoice::encode`]'s text back (`None`: not one).
    pub fn decode(text: &str) -> Option<ServerChoice> {
        let (url, trust) = text.split_once('\n')?;
        let url = ServerUrl::parse("server", url).ok()?;
        let trust = match trust.trim() {
            "public" => Trust::Public,
            fp => Trust::Pinned(Fingerprint::parse("server", fp).ok()?),
        };
        Some(ServerChoice { url, trust })
    }
}

/// The server in use.
#[derive(Debug, Clone)]
pub struct Remote {
    pub server: Server,
    pub choice: ServerChoice,
}

/// Where a command runs: over the open store, or on the server.
pub enum Target {
    Local(Cx),
    Remote(Session),
}

/// Run `area::name(input)` where the data is: the finance-api body over the
/// open store ([`AppState::cx`]), or the server's route through the client
/// function of the same name ([`AppState::remote_session`]).
#[macro_export]
macro_rules! forward {
    ($state:expr, $area:ident :: $name:ident ($input:expr)) => {
        match $state.target().await? {
            $crate::state::Target::Local(cx) => finance_api::ops::$area::$name(&cx, $input).await,
            $crate::state::Target::Remote(s) => {
                let answer = finance_client::$area::$name(&s, $input).await;
                $state.remote_answered(&s, answer).await
            }
        }
    };
}

impl Remote {
    /// Where this server's pending sign-outs are filed.
    fn key(&self) -> StoreKey {
        StoreKey::of("server", &self.choice.url.to_string())
    }
}

impl AppState {
    /// The server chosen by the configuration, else in Settings (unless
    /// the configuration names a MongoDB store: the environment wins).
    pub(super) async fn server_choice(&self) -> Option<ServerChoice> {
        if let Some(c) = &self.server {
            return Some(c.clone());
        }
        if self.config.mongodb_uri.is_some() {
            return None;
        }
        let saved = self
            .keyring(|v| v.get(vault::SERVER))
            .await
            .ok()
            .flatten()?;
        ServerChoice::decode(&saved)
    }

    /// The server in use, if the app is in server mode.
    pub async fn remote(&self) -> Option<Remote> {
        self.remote.read().await.clone()
    }

    /// Start in server mode: connect (nothing is sent yet), then resume the
    /// kept server session by reading the profile. An unreachable server is
    /// reported as the store problem the start-up screen offers to retry.
    pub(super) async fn start_remote(&self, choice: ServerChoice) -> StartupState {
        let remote = match self.remote().await {
            Some(r) if r.choice == choice => r,
            _ => match Server::new(&choice.url, &choice.trust) {
                Ok(server) => Remote { server, choice },
                Err(e) => return self.state(None, Some(e.message)).await,
            },
        };
        *self.remote.write().await = Some(remote.clone());
        *self.backend.write().await = None;
        self.flush_server_revocations(&remote).await;
        let Some(token) = self.server_token().await else {
            return self.state(None, None).await;
        };
        let session = Session::new(remote.server.clone(), token);
        match finance_client::session::me(&session).await {
            Ok(profile) => {
                self.note_person(&profile);
                self.state(Some(profile), None).await
            }
            Err(e) if e.code == ErrorCode::Unauthorized => {
                tracing::info!("kept server session not resumed");
                self.forget_server_token().await;
                self.state(None, None).await
            }
            Err(e) if e.code == ErrorCode::Unavailable => self.state(None, Some(e.message)).await,
            Err(e) => {
                tracing::info!(code = ?e.code, "kept server session not resumed");
                self.state(None, None).await
            }
        }
    }

    /// What Settings shows for a server in use.
    pub(super) fn remote_info(&self, remote: &Remote) -> StoreInfo {
        StoreInfo {
            kind: "server".into(),
            location: remote.choice.url.to_string(),
            fallback: false,
            config_dir: self.paths.config_dir.display().to_string(),
        }
    }

    /// The kept server token: from memory, else from the keyring.
    async fn server_token(&self) -> Option<String> {
        if let Some(t) = self.server_token.lock().ok().and_then(|g| g.clone()) {
            return Some(t);
        }
        let kept = self
            .keyring(|v| v.get(vault::SERVER_SESSION))
            .await
            .ok()
            .flatten();
        if let Ok(mut g) = self.server_token.lock() {
            g.clone_from(&kept);
        }
        kept
    }

    /// Keep a server session's token in the keyring (and memory).
    pub async fn keep_server_token(&self, session: &Session) -> ApiResult<()> {
        let token = session.token().to_string();
        let text = token.clone();
        self.keyring(move |v| v.set(vault::SERVER_SESSION, &text))
            .await
            .map_err(|e| crate::error::keyring_error(&e.0))?;
        if let Ok(mut g) = self.server_token.lock() {
            *g = Some(token);
        }
        self.set_ledger(None);
        Ok(())
    }

    fn note_person(&self, profile: &Profile) {
        if let Ok(mut g) = self.server_person.lock() {
            *g = finance_core::Id::parse("id", &profile.id).ok();
        }
    }

    /// Who is signed in on the server: what the app keeps per person (files
    /// opened for import) is kept under this id.
    pub fn remote_person(&self) -> ApiResult<finance_core::Id> {
        self.server_person
            .lock()
            .ok()
            .and_then(|g| *g)
            .ok_or_else(|| ApiError::from(finance_core::Error::unauthorized()))
    }

    /// Forget the server session (memory and keyring).
    pub(super) async fn forget_server_token(&self) {
        self.server_token.lock().ok().and_then(|mut g| g.take());
        self.server_person.lock().ok().and_then(|mut g| g.take());
        self.set_ledger(None);
        if let Err(e) = self.keyring(|v| v.delete(vault::SERVER_SESSION)).await {
            tracing::warn!(error = %e, "could not delete the server session from the keyring");
        }
    }

    /// The signed-in person deleted their account on the server: forget the session.
    pub async fn forget_remote_user(&self) {
        self.forget_server_token().await;
    }

    /// The signed-in person's session on the server, on the ledger in hand.
    pub async fn remote_session(&self, remote: &Remote) -> ApiResult<Session> {
        let token = self
            .server_token()
            .await
            .ok_or_else(|| ApiError::from(finance_core::Error::unauthorized()))?;
        Ok(Session::new(remote.server.clone(), token).on_ledger(self.ledger().map(|l| l.to_hex())))
    }

    /// Where the next command runs, as of now.
    pub async fn target(&self) -> ApiResult<Target> {
        match self.remote().await {
            Some(remote) => Ok(Target::Remote(self.remote_session(&remote).await?)),
            None => Ok(Target::Local(self.cx().await?)),
        }
    }

    /// Look at a server's answer to `s`: an ended session is forgotten; a
    /// `not_found` on a household ledger is checked to be the ledger itself
    /// (the membership ended), then the app returns to one's own ledger.
    pub async fn remote_answered<T>(&self, s: &Session, answer: ApiResult<T>) -> ApiResult<T> {
        let Err(e) = answer else {
            return answer;
        };
        if e.code == ErrorCode::Unauthorized {
            self.forget_server_token().await;
        } else if e.code == ErrorCode::NotFound
            && s.ledger().is_some()
            && finance_client::session::me(s)
                .await
                .is_err_and(|m| m.code == ErrorCode::NotFound)
        {
            self.set_ledger(None);
            return Err(super::ledger_lost());
        }
        Err(e)
    }

    /// Sign in on the server and keep the session (ended at once if the
    /// keyring cannot keep it).
    pub async fn remote_sign_in(
        &self,
        remote: &Remote,
        input: finance_api::types::LoginInput,
    ) -> ApiResult<Profile> {
        let (session, profile) = finance_client::session::login(&remote.server, input).await?;
        if let Err(e) = self.keep_server_token(&session).await {
            let _ = finance_client::session::logout(&session).await;
            return Err(e);
        }
        self.note_person(&profile);
        self.flush_server_revocations(remote).await;
        Ok(profile)
    }

    /// Sign out of the server: always on this computer; `true` when the
    /// server confirmed (or there was nothing to end).
    pub(super) async fn remote_sign_out(&self, remote: &Remote) -> bool {
        let ended = match self.server_token().await {
            None => true,
            Some(token) => {
                let s = Session::new(remote.server.clone(), token.clone());
                match finance_client::session::logout(&s).await {
                    Ok(()) => true,
                    Err(e) if e.code == ErrorCode::Unauthorized => true,
                    Err(e) => {
                        tracing::warn!(
                            code = ?e.code,
                            "sign-out could not reach the server; the revocation is pending"
                        );
                        self.add_pending(&remote.key(), &SessionToken::new(token))
                            .await;
                        false
                    }
                }
            }
        };
        self.forget_server_token().await;
        ended
    }

    /// Send the server's pending sign-outs: each one it confirms, or that
    /// expired, or that it does not know, leaves the list; the first the
    /// server cannot answer stops the round (it is unreachable again).
    async fn flush_server_revocations(&self, remote: &Remote) {
        let key = remote.key();
        let Ok(_one) = self.pending_lock.try_lock() else {
            return; // another round or an addition is running
        };
        let mut pending = match self.keyring(Pending::load).await {
            Ok(p) if p.count(&key) > 0 => p,
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the pending sign-outs");
                return;
            }
        };
        let now = Utc::now();
        let (mut ended, mut left) = (0usize, Vec::new());
        let mut tokens = pending.tokens(&key).into_iter();
        while let Some(token) = tokens.next() {
            if expired(&token, now) {
                continue;
            }
            let s = Session::new(remote.server.clone(), token.expose().to_string());
            match finance_client::session::logout(&s).await {
                Ok(()) => ended += 1,
                Err(e) if e.code == ErrorCode::Unauthorized => {}
                Err(_) => {
                    left.push(token);
                    left.extend(tokens);
                    break;
                }
            }
        }
        let remaining = left.len();
        pending.set(&key, &left);
        if let Err(e) = self.keyring(move |v| pending.save(v)).await {
            tracing::warn!(error = %e, "could not update the pending sign-outs");
        }
        tracing::info!(ended, remaining, "the server's pending sign-outs retried");
    }

    /// [`AppState::confirm_store_change`] in server mode: `Ok` when signed
    /// out, else `password` must be the person's (checked by a sign-in on the
    /// server, whose session is ended at once).
    pub(super) async fn confirm_remote_password(
        &self,
        remote: &Remote,
        password: Option<&str>,
    ) -> ApiResult<()> {
        if self.server_token().await.is_none() {
            return Ok(());
        }
        let s = self.remote_session(remote).await?;
        let username = match finance_client::session::me(&s.on_ledger(None)).await {
            Ok(p) => p.username,
            Err(e) if e.code == ErrorCode::Unauthorized => return Ok(()),
            Err(e) => return Err(e),
        };
        let Some(password) = password.filter(|p| !p.is_empty()) else {
            return Err(finance_core::Error::validation(
                "password",
                "is required to change where your data is stored while you are signed in",
            )
            .into());
        };
        let login = finance_api::types::LoginInput {
            username,
            password: password.to_string(),
        };
        match finance_client::session::login(&remote.server, login).await {
            Ok((check, _)) => {
                let _ = finance_client::session::logout(&check).await;
                Ok(())
            }
            Err(e) if e.code == ErrorCode::Unauthorized => {
                Err(finance_core::Error::validation("password", "is not your password").into())
            }
            Err(e) => Err(e),
        }
    }

    /// Checks before a sign-in-scoped call that needs the person's own
    /// ledger and the local store (backups, copies): refused in server mode.
    pub async fn require_local(&self, what: &str) -> ApiResult<()> {
        if self.remote().await.is_some() {
            return Err(ApiError::new(
                ErrorCode::Validation,
                format!(
                    "{what} is done on the server's computer when the app uses a Finance server"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_choice_reads_back_from_its_keyring_text() {
        for fp in [None, Some(Fingerprint::of(b"cert"))] {
            let choice = ServerChoice {
                url: ServerUrl::parse("u", "https://finance.example.org:8443").unwrap(),
                trust: fp.map_or(Trust::Public, Trust::Pinned),
            };
            assert_eq!(ServerChoice::decode(&choice.encode()), Some(choice));
        }
        assert_eq!(ServerChoice::decode("nonsense"), None);
    }

    #[test]
    fn the_environment_chooses_a_server_and_a_bad_value_names_its_variable() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(ServerChoice::from_lookup(env(&[])).unwrap(), None);
        let c = ServerChoice::from_lookup(env(&[("FINANCE_SERVER_URL", "https://h.example")]))
            .unwrap()
            .expect("a server");
        assert_eq!(c.trust, Trust::Public);
        let e = ServerChoice::from_lookup(env(&[("FINANCE_SERVER_URL", "http://h.example")]))
            .expect_err("plain http to another computer");
        assert!(e.to_string().contains("FINANCE_SERVER_URL"), "{e}");
        let e = ServerChoice::from_lookup(env(&[
            ("FINANCE_SERVER_URL", "https://h.example"),
            ("FINANCE_SERVER_FINGERPRINT", "nope"),
        ]))
        .expect_err("a bad pin");
        assert!(e.to_string().contains("FINANCE_SERVER_FINGERPRINT"), "{e}");
    }
}
