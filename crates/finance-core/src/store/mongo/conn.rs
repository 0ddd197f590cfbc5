//! The connection: client options, timeouts, and transactions with their retries.
//!
//! Invariants:
//! * with the server gone, every wait for it is one server selection
//!   ([`CONNECT_TIMEOUT`]), and our own retries after a failure that may mean
//!   it is gone (of a transaction or a commit) only start within
//!   [`RETRY_WINDOW`] of the call's start, so a call answers `Unavailable`
//!   within about `RETRY_WINDOW` + one selection of the failure, under the
//!   5 s the product promises (a retry after a write conflict follows an
//!   answer from a live server, so it adds no such wait);
//! * a transaction commits only when its body succeeded and is aborted (or
//!   dropped, when there is no server to tell) otherwise;
//! * a transaction the server aborted as transient is run again from the
//!   start, after a random pause: after a write conflict with a concurrent
//!   transaction (code 112, an answer from a live server) while the call is
//!   within [`CONFLICT_WINDOW`], after anything else within [`RETRY_WINDOW`];
//!   when the window is spent the caller gets `Unavailable` ("try again"; see
//!   `errors`), never `Internal` — nothing of the transaction was applied;
//! * writes are majority-acknowledged and retryable;
//! * the location shown for a URI never includes credentials.

use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use mongodb::ClientSession;
use mongodb::error::{ErrorKind, TRANSIENT_TRANSACTION_ERROR, UNKNOWN_TRANSACTION_COMMIT_RESULT};
use mongodb::options::{ClientOptions, WriteConcern};

use super::MongoStore;
use super::errors::{Fail, WRITE_CONFLICT, error_code, parse_error};
use crate::error::Result;

/// Server selection and TCP connect timeout. With the server gone, every wait
/// for it is one server selection, so a call answers `Unavailable` within about
/// this long; [`RETRY_WINDOW`] keeps our own retries from adding a second wait
/// past the 5 s the product promises (worst case ≈ `RETRY_WINDOW` + one selection).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// A transaction or a commit is only tried again while the call is younger
/// than this: a retry after it could wait for a whole server selection more.
const RETRY_WINDOW: Duration = Duration::from_secs(1);
/// A transaction that lost a write conflict is tried again while the call is
/// younger than this. The conflict is the server's answer, so it is up: a
/// retry cannot add a wait for a vanished server beyond the one any call has
/// (if the server goes away meanwhile, the next try fails within one server
/// selection and is not retried).
pub(super) const CONFLICT_WINDOW: Duration = Duration::from_secs(5);
/// How many times a transaction is run at most when the server says it may be
/// retried. In practice the windows end the retries first: concurrent writes
/// into one category conflict on its document by design (see `categories`),
/// and under contention a write may need many tries (8 writers adding to one
/// category on the test server: p99 18 tries, 0.9 s; at most 28, 1.4 s).
const MAX_TRANSACTION_ATTEMPTS: u32 = 100;
/// The longest pause before a transaction is tried again (the pause doubles
/// from 5 ms up to this, each drawn at random below its bound, so writers that
/// conflicted do not retry in step).
const MAX_BACKOFF: Duration = Duration::from_millis(80);
/// How many times a commit with an unknown result is retried.
const MAX_COMMIT_ATTEMPTS: u32 = 3;

/// The client options for `uri`: short server selection and connect
/// timeouts, retryable majority writes.
pub(super) async fn client_options(uri: &str) -> Result<ClientOptions> {
    let mut options = ClientOptions::parse(uri).await.map_err(parse_error)?;
    options.server_selection_timeout = Some(CONNECT_TIMEOUT);
    options.connect_timeout = Some(CONNECT_TIMEOUT);
    options.retry_writes = Some(true);
    options.write_concern = Some(WriteConcern::majority());
    options.app_name = Some("finance".to_string());
    Ok(options)
}

/// The host part of a MongoDB URI (no scheme, credentials, path or
/// options), as [`crate::config::uri_location`] shows it.
pub(super) fn uri_hosts(uri: &str) -> String {
    let location = crate::config::uri_location(uri, "");
    location.trim_end_matches('/').to_string()
}

impl MongoStore {
    /// Run `body` in a transaction on a fresh session: commit when it
    /// succeeds, abort when it fails. The whole transaction is run again when
    /// the server labels the failure `TransientTransactionError`, and the
    /// commit alone when its result is unknown. `ctx` carries what the body
    /// borrows (the store, the arguments).
    pub(super) async fn in_transaction<C, T, F>(&self, ctx: &C, mut body: F) -> Result<T, Fail>
    where
        C: Sync + ?Sized,
        T: Send,
        F: for<'s> FnMut(&'s mut ClientSession, &'s C) -> BoxFuture<'s, Result<T, Fail>> + Send,
    {
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            // A fresh session per attempt: after a lost connection the old one
            // is dropped (the driver aborts its transaction in the background).
            let mut session = self.client.start_session().await?;
            session.start_transaction().await?;
            let outcome = match body(&mut session, ctx).await {
                Ok(value) => commit(&mut session, started).await.map(|()| value),
                // No server to tell, and an abort would wait for one: drop the session.
                Err(Fail::Db(e))
                    if matches!(e.kind.as_ref(), ErrorKind::ServerSelection { .. }) =>
                {
                    return Err(Fail::Db(e));
                }
                Err(Fail::Db(e)) if lost_connection(&e) => Err(Fail::Db(e)),
                Err(fail) => {
                    // Errors of abortTransaction are ignored by the driver itself.
                    session.abort_transaction().await.ok();
                    Err(fail)
                }
            };
            match outcome {
                Err(Fail::Db(e))
                    if attempt < MAX_TRANSACTION_ATTEMPTS
                        && started.elapsed() < retry_window(&e, self.conflict_window)
                        && retryable(&e, TRANSIENT_TRANSACTION_ERROR) =>
                {
                    tracing::debug!(attempt, "retrying a transient transaction failure");
                    tokio::time::sleep(backoff(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }
}

/// How long after a call's start a transaction that failed with `e` may be
/// run again: `conflict_window` (the store's; [`CONFLICT_WINDOW`]) after a
/// write conflict (the server answered), [`RETRY_WINDOW`] after anything else.
fn retry_window(e: &mongodb::error::Error, conflict_window: Duration) -> Duration {
    if error_code(e) == Some(WRITE_CONFLICT) {
        conflict_window
    } else {
        RETRY_WINDOW
    }
}

/// The pause before attempt `attempt + 1`: random, below 5 ms × 2^(attempt−1)
/// capped at [`MAX_BACKOFF`] ("full jitter").
fn backoff(attempt: u32) -> Duration {
    let bound = Duration::from_millis(5)
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(MAX_BACKOFF);
    let micros = u64::try_from(bound.as_micros()).unwrap_or(u64::MAX);
    Duration::from_micros(rand::random_range(0..=micros))
}

/// Commit, retrying while the server cannot say whether the commit happened
/// (within [`RETRY_WINDOW`] of `started`, when the call began).
async fn commit(session: &mut ClientSession, started: Instant) -> Result<(), Fail> {
    let mut attempt = 1;
    loop {
        match session.commit_transaction().await {
            Err(e)
                if attempt < MAX_COMMIT_ATTEMPTS
                    && started.elapsed() < RETRY_WINDOW
                    && retryable(&e, UNKNOWN_TRANSACTION_COMMIT_RESULT) =>
            {
                tracing::debug!(attempt, "retrying a commit with an unknown result");
                attempt += 1;
            }
            other => return other.map_err(Fail::Db),
        }
    }
}

/// Whether the connection to the server broke (the server went away mid-call).
fn lost_connection(e: &mongodb::error::Error) -> bool {
    matches!(
        e.kind.as_ref(),
        ErrorKind::Io(_) | ErrorKind::ConnectionPoolCleared { .. }
    )
}

/// Whether `e` carries `label` and is worth another try: not when no server
/// could be selected (the driver labels those too, but the time is already spent).
fn retryable(e: &mongodb::error::Error, label: &str) -> bool {
    e.contains_label(label) && !matches!(e.kind.as_ref(), ErrorKind::ServerSelection { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_never_include_credentials() {
        assert_eq!(
            uri_hosts("mongodb+srv://ann:s3cr%40t@cluster0.example.net/finance?x=1"),
            "cluster0.example.net"
        );
        assert_eq!(uri_hosts("mongodb://a:1,b:2/?replicaSet=rs"), "a:1,b:2");
        assert_eq!(uri_hosts("mongodb://u:p@[::1]:27017"), "[::1]:27017");
    }
}
