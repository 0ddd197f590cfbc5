//! Sign-outs the store could not confirm are not lost: with the MongoDB test
//! server behind a TCP relay that the test cuts and restores (the server
//! itself keeps running, so the session data survives), a sign-out while the
//! store is unreachable leaves the session pending in the real keyring, and
//! the session is ended in MongoDB once the store is reachable again: on the
//! next successful call in the same run, or at the next start.
//!
//! Needs `FINANCE_TEST_MONGODB_URI` (`./dev test` starts the server) and a
//! Secret Service (run under `./dev test`, like tests/commands.rs).

mod support;

use std::io::ErrorKind;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use finance_app::state::{AppPaths, AppState};
use finance_app::vault::{self, Vault};
use finance_core::auth::SigningKey;
use finance_core::config::MongoUri;
use finance_core::store::mongo::MongoStore;
use finance_core::{AuthSettings, ErrorCode, Finance};
use serde_json::{Value, json};
use tauri::Manager;
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

fn upstream() -> String {
    std::env::var("FINANCE_TEST_MONGODB_URI").expect(
        "FINANCE_TEST_MONGODB_URI must point at the MongoDB test server (./dev test starts it)",
    )
}

/// A TCP relay to the test server on a fixed local port that can be cut
/// (listener closed, every relayed connection shut) and restored.
struct Relay {
    port: u16,
    target: String,
    up: Option<Running>,
}

/// A relay that is up: its run flag, its accept thread, the relayed sockets.
struct Running {
    run: Arc<AtomicBool>,
    accept: JoinHandle<()>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn new() -> Relay {
        let target = upstream()
            .trim_start_matches("mongodb://")
            .trim_end_matches('/')
            .to_string();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut relay = Relay {
            port,
            target,
            up: None,
        };
        relay.start();
        relay
    }

    /// Through the relay only: without `directConnection` the driver would
    /// follow the server's own address from its replica-set hello.
    fn uri(&self) -> String {
        format!("mongodb://127.0.0.1:{}/?directConnection=true", self.port)
    }

    fn start(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("relay port free again");
        listener.set_nonblocking(true).expect("nonblocking");
        let running = Arc::new(AtomicBool::new(true));
        let streams: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (run, open, target) = (running.clone(), streams.clone(), self.target.clone());
        let accept = std::thread::spawn(move || {
            while run.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).ok();
                        let Ok(server) = TcpStream::connect(&target) else {
                            continue;
                        };
                        for s in [&client, &server] {
                            if let Ok(c) = s.try_clone() {
                                open.lock().unwrap().push(c);
                            }
                        }
                        pipe(&client, &server);
                        pipe(&server, &client);
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(_) => break,
                }
            }
        });
        self.up = Some(Running {
            run: running,
            accept,
            streams,
        });
    }

    /// Nothing answers on the port any more, and open connections break.
    fn cut(&mut self) {
        if let Some(Running {
            run,
            accept,
            streams,
        }) = self.up.take()
        {
            run.store(false, Ordering::SeqCst);
            accept.join().expect("relay thread");
            for s in streams.lock().unwrap().drain(..) {
                s.shutdown(Shutdown::Both).ok();
            }
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.cut();
    }
}

fn pipe(from: &TcpStream, to: &TcpStream) {
    let (mut from, mut to) = (from.try_clone().unwrap(), to.try_clone().unwrap());
    std::thread::spawn(move || {
        std::io::copy(&mut from, &mut to).ok();
        to.shutdown(Shutdown::Write).ok();
    });
}

/// One app instance (mock runtime) over a data dir, a keyring service and a
/// MongoDB URI (`None`: the embedded store).
struct TestApp {
    _app: tauri::App<MockRuntime>,
    webview: tauri::WebviewWindow<MockRuntime>,
}

impl TestApp {
    fn launch(data: &std::path::Path, service: &str, mongo: Option<(&str, &str)>) -> TestApp {
        let app = mock_builder()
            .invoke_handler(finance_app::handler!())
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        let config = finance_core::Config {
            bcrypt_cost: Some(4),
            mongodb_uri: mongo.map(|(uri, _)| MongoUri::parse(uri, false).expect("local URI")),
            mongodb_db: mongo.map_or("finance", |(_, db)| db).to_string(),
            ..Default::default()
        };
        let paths = AppPaths {
            data_dir: data.to_path_buf(),
            config_dir: data.join("config"),
        };
        app.manage(AppState::new(config, paths, Vault::new(service)));
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock webview");
        TestApp { _app: app, webview }
    }

    fn call(&self, cmd: &str, input: Option<Value>) -> Result<Value, Value> {
        support::invoke(&self.webview, cmd, input)
    }
}

/// What the test needs beside the app: the keyring service and the database.
struct World {
    service: String,
    db: String,
    data: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
}

impl World {
    fn new(name: &str) -> World {
        World {
            service: format!(
                "app.financemanager.test.{}.{}",
                std::process::id(),
                finance_core::Id::generate()
            ),
            db: format!("revocation_{name}_{}", finance_core::Id::generate()),
            data: tempfile::tempdir().unwrap(),
            rt: tokio::runtime::Runtime::new().unwrap(),
        }
    }

    fn vault(&self) -> Vault {
        Vault::new(&self.service)
    }

    fn launch(&self, uri: &str) -> TestApp {
        TestApp::launch(self.data.path(), &self.service, Some((uri, &self.db)))
    }

    /// The signed-in session's token (the keyring keeps `<store key>:<token>`).
    fn kept_token(&self) -> Option<String> {
        let kept = self.vault().get(vault::SESSION).expect("keyring answers");
        kept.map(|k| k.rsplit(':').next().unwrap_or_default().to_string())
    }

    fn pending(&self) -> Option<String> {
        self.vault()
            .get(vault::PENDING_REVOCATIONS)
            .expect("keyring answers")
    }

    /// Whether MongoDB itself (reached directly, not through the app) still
    /// holds a live session for `token`.
    fn live_in_mongodb(&self, token: &str) -> bool {
        let key = self
            .vault()
            .get(vault::SIGNING_KEY)
            .expect("keyring answers")
            .and_then(|k| SigningKey::decode(&k))
            .expect("the app kept its signing key");
        self.rt.block_on(async {
            let store = MongoStore::connect(&upstream(), &self.db)
                .await
                .expect("direct connection");
            let finance = Finance::new(Arc::new(store), &key, AuthSettings::default());
            match finance.authenticate(token, chrono::Utc::now()).await {
                Ok(_) => true,
                Err(e) if e.code() == ErrorCode::Unauthorized => false,
                Err(e) => panic!("direct check failed: {e}"),
            }
        })
    }

    fn drop_db(&self) {
        self.rt.block_on(async {
            let store = MongoStore::connect(&upstream(), &self.db).await.unwrap();
            store.database().drop().await.ok();
        });
    }
}

fn register(app: &TestApp, username: &str) {
    app.call(
        "register",
        Some(json!({
            "username": username, "password": "tulip-river-93", "firstName": "Ann",
            "lastName": "Lee", "email": format!("{username}@example.com"), "currency": "EUR"
        })),
    )
    .expect("register signs in");
}

/// Sign out with the store unreachable: signed out here, the session still
/// live in MongoDB, pending in the keyring; an unreachable store stays pending
/// (start-up fails, nothing is lost).
fn sign_out_while_cut(w: &World, relay: &mut Relay) -> String {
    let app = w.launch(&relay.uri());
    app.call("startup", None).expect("startup");
    register(&app, "ann");
    let token = w.kept_token().expect("session kept");
    relay.cut();
    let out = app
        .call("logout", None)
        .expect("sign-out always succeeds here");
    assert_eq!(
        out,
        json!({"sessionEnded": false}),
        "the UI is told the server has not ended the session yet"
    );
    assert!(!out.to_string().contains(&token), "no token to the webview");
    assert_eq!(w.kept_token(), None, "signed out on this computer");
    assert!(
        w.pending().is_some_and(|p| p.contains(&token)),
        "the revocation is kept in the keyring"
    );
    assert!(
        !w.pending().unwrap().contains(&relay.uri()) && !w.pending().unwrap().contains("127.0.0.1"),
        "pending sign-outs are filed under a digest, not the URI"
    );
    assert!(
        w.live_in_mongodb(&token),
        "the store was unreachable: the session is still live there"
    );
    token
}

/// Before the fix the sign-out only logged a warning: the session stayed live
/// in MongoDB for its remaining days.
#[test]
fn a_sign_out_the_store_missed_is_sent_again_at_the_next_start() {
    let w = World::new("next_start");
    let mut relay = Relay::new();
    let token = sign_out_while_cut(&w, &mut relay);
    relay.start();
    let app = w.launch(&relay.uri());
    app.call("startup", None).expect("startup");
    assert!(
        !w.live_in_mongodb(&token),
        "start-up with the store reachable ended the pending session"
    );
    assert_eq!(w.pending(), None, "nothing left pending");
    w.drop_db();
}

/// Same run: the first store call that succeeds after the outage (here a
/// sign-in) sends the pending revocation again.
#[test]
fn a_sign_out_the_store_missed_is_sent_again_when_the_store_answers_again() {
    let w = World::new("same_run");
    let mut relay = Relay::new();
    let app = w.launch(&relay.uri());
    app.call("startup", None).expect("startup");
    register(&app, "ann");
    let token = w.kept_token().expect("session kept");
    relay.cut();
    assert_eq!(
        app.call("logout", None).expect("sign-out"),
        json!({"sessionEnded": false})
    );
    assert!(w.live_in_mongodb(&token));
    relay.start();
    app.call(
        "login",
        Some(json!({"username": "ann", "password": "tulip-river-93"})),
    )
    .expect("the store is back");
    assert!(
        !w.live_in_mongodb(&token),
        "the first successful call after the outage ended the pending session"
    );
    assert_eq!(w.pending(), None, "nothing left pending");
    let current = w.kept_token().expect("signed in again");
    assert!(w.live_in_mongodb(&current), "the new session is untouched");
    w.drop_db();
}

/// MongoDB unreachable at start, the person chooses the local store: the kept
/// MongoDB session is signed out here and ended in MongoDB at the next start
/// that reaches it (before: it was dropped from the keyring and stayed live).
#[test]
fn switching_to_the_local_store_ends_the_mongodb_session_later() {
    let w = World::new("switch");
    let mut relay = Relay::new();
    let app = w.launch(&relay.uri());
    app.call("startup", None).expect("startup");
    register(&app, "ann");
    let token = w.kept_token().expect("session kept");
    drop(app);
    relay.cut();
    let app = w.launch(&relay.uri());
    let start = app.call("startup", None).expect("startup");
    assert!(start["mongoError"].is_string(), "{start}");
    let local = app.call("use_local_store", None).expect("local store");
    assert_eq!(local["store"]["kind"], "sqlite", "{local}");
    assert!(
        local["user"].is_null(),
        "the MongoDB session does not sign in here"
    );
    assert_eq!(w.kept_token(), None);
    assert!(w.pending().is_some_and(|p| p.contains(&token)));
    assert!(w.live_in_mongodb(&token));
    drop(app);
    relay.start();
    let app = w.launch(&relay.uri());
    let start = app.call("startup", None).expect("startup");
    assert_eq!(start["store"]["kind"], "mongodb", "{start}");
    assert!(
        !w.live_in_mongodb(&token),
        "the next start that reached MongoDB ended the session"
    );
    assert_eq!(w.pending(), None);
    w.drop_db();
}
