//! End-to-end: the built app (frontend embedded) in the real webview, driven
//! through `tauri-driver` + `WebKitWebDriver`, with the real OS keyring, on
//! both stores. Compiled only with `--features e2e` (`./dev test` does that
//! and provides Xvfb, a D-Bus session with gnome-keyring, tauri-driver and
//! the MongoDB test server).
//!
//! Helpers:
//! * [`Driver`] — one `tauri-driver` process group with the app's environment;
//!   [`Driver::launch`] opens a WebDriver session, which starts the app.
//! * [`Ui`] — a session with small waiting/typing helpers.
//!
//! Layout: `driver.rs` (the WebDriver process and session helpers), `steps.rs`
//! (sign-up, sign-in, adding a row, opening an import: steps the journeys
//! share), `journeys.rs` (the whole journey on each store), `accounts.rs`
//! (accounts, the form's account picker, balances and net worth), `reconcile.rs`
//! (reconciling a card to a statement), `register.rs` (an expense, a refund and a
//! transfer through the form, then an account's register with running balances),
//! `reports.rs` (the report by account), `schedules.rs` (a monthly schedule
//! posted once across two starts), `bulk.rs` (rows selected, re-categorised in one
//! action with the filter's totals following, deleted and undone), `import.rs` (the
//! import wizard and reports), `bank_import.rs` (OFX, QIF and CAMT.053 files through
//! the wizard, and a re-import that is all duplicates), `startup.rs` (what the window says when the
//! store, the keyring or the configuration is missing or refused).

mod account_deletion;
mod accounts;
mod bank_import;
mod bulk;
mod driver;
mod entry;
mod household;
mod import;
mod journeys;
mod reconcile;
mod register;
mod reports;
mod rules;
mod schedules;
mod server_choice;
mod startup;
mod steps;
mod your_data;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use finance_app::vault::{self, Vault};
use serde_json::json;

pub(crate) const APP_ID: &str = "app.financemanager.desktop";
pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// Run before a screenshot (see `Ui::take_screenshot`); one copy, shared with tools/webdriver.py.
pub(crate) const REPAINT_SOON: &str = include_str!("../../tools/repaint-soon.js");

pub(crate) use driver::*;
pub(crate) use steps::*;

pub(crate) fn base_env(data: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("FINANCE_DATA_DIR", data.display().to_string()),
        ("FINANCE_BCRYPT_COST", "4".into()),
        ("RUST_LOG", "warn".into()),
    ]
}

/// A run on the embedded store in `data`: `MONGODB_URI` empty (not unset) so a
/// developer's `.env` cannot switch it to MongoDB.
pub(crate) fn sqlite_env(data: &Path) -> Vec<(&'static str, String)> {
    let mut env = base_env(data);
    env.push(("MONGODB_URI", String::new()));
    env
}

/// A run on database `db` of the MongoDB test server (`./dev test` starts it):
/// its URI, and the environment.
pub(crate) fn mongo_env(data: &Path, db: &str) -> (String, Vec<(&'static str, String)>) {
    let uri = std::env::var("FINANCE_TEST_MONGODB_URI").expect(
        "FINANCE_TEST_MONGODB_URI must point at the MongoDB test server (./dev test starts it)",
    );
    let mut env = base_env(data);
    env.push(("MONGODB_URI", uri.clone()));
    env.push(("MONGODB_DB", db.to_string()));
    (uri, env)
}

/// A Finance server for a run in server mode: `finance-server` in this test
/// process on a free loopback port, over TLS with a fresh self-signed
/// certificate, on its own embedded store (in its own folder). Stop it with
/// [`ServerAt::stop`] after the journey.
pub(crate) struct ServerAt {
    running: Option<finance_server::Running>,
    /// The server's store folder (the app's data folder stays unused).
    pub(crate) dir: tempfile::TempDir,
    pub(crate) url: String,
    pub(crate) fingerprint: String,
}

impl ServerAt {
    pub(crate) async fn start() -> ServerAt {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().expect("a server folder");
        let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
            .expect("a self-signed certificate");
        let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
        std::fs::write(&cert, made.cert.pem()).expect("write the certificate");
        std::fs::write(&key, made.signing_key.serialize_pem()).expect("write the key");
        let env: std::collections::HashMap<&str, String> = [
            ("FINANCE_DATA_DIR", dir.path().display().to_string()),
            ("FINANCE_BCRYPT_COST", "4".to_string()),
            ("FINANCE_TLS_CERT", cert.display().to_string()),
            ("FINANCE_TLS_KEY", key.display().to_string()),
        ]
        .into();
        let config = finance_server::ServerConfig::from_lookup(|k| env.get(k).cloned())
            .expect("the server's configuration");
        let state = finance_server::AppState::open(&config)
            .await
            .expect("the server's store opens");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let running = finance_server::spawn(&config, state, listener)
            .await
            .expect("the server starts");
        ServerAt {
            url: format!("https://127.0.0.1:{}", running.addr.port()),
            fingerprint: finance_client::Fingerprint::of(made.cert.der()).to_string(),
            running: Some(running),
            dir,
        }
    }

    pub(crate) async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await.expect("the server stops");
        }
    }
}

/// A run in server mode against `server`: the app's address and pinned
/// certificate from the environment, `MONGODB_URI` empty so nothing else is chosen.
pub(crate) fn server_env(data: &Path, server: &ServerAt) -> Vec<(&'static str, String)> {
    let mut env = sqlite_env(data);
    env.push(("FINANCE_SERVER_URL", server.url.clone()));
    env.push(("FINANCE_SERVER_FINGERPRINT", server.fingerprint.clone()));
    env
}

/// Run `journey` in server mode against a fresh server (see [`ServerAt`]),
/// then check the app kept no store of its own.
pub(crate) async fn on_a_server<F, Fut>(journey: F)
where
    F: FnOnce(Vec<(&'static str, String)>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let server = ServerAt::start().await;
    let data = tempfile::tempdir().expect("a data folder");
    journey(server_env(data.path(), &server)).await;
    assert!(
        !data.path().join("finance.sqlite3").exists(),
        "the app used the server, not an embedded store of its own"
    );
    server.stop().await;
}

/// The keyring entry that keeps the session of a run with `env`: the
/// server's token in server mode, else the store's session.
pub(crate) fn session_entry(env: &[(&'static str, String)]) -> &'static str {
    if env.iter().any(|(k, _)| *k == "FINANCE_SERVER_URL") {
        vault::SERVER_SESSION
    } else {
        vault::SESSION
    }
}

/// After a journey on MongoDB: the embedded store was not used instead (no
/// SQLite file in the journey's data folder).
pub(crate) fn assert_embedded_store_unused(data: &Path) {
    assert!(
        !data.join("finance.sqlite3").exists(),
        "MongoDB was used, not the embedded store"
    );
}

/// Drop a journey's database `db` on the MongoDB test server at `uri`.
pub(crate) async fn drop_e2e_database(uri: &str, db: &str) {
    let client = mongodb::Client::with_uri_str(uri).await.expect("client");
    client
        .database(db)
        .drop()
        .await
        .expect("drop the e2e database");
}

pub(crate) fn screenshot_dir() -> Option<PathBuf> {
    Some(match std::env::var_os("UPDATE_SCREENSHOTS") {
        Some(_) => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/screenshots")),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots")),
    })
}

/// The two journeys share the keyring's `session` entry: run them one at a time.
pub(crate) static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
