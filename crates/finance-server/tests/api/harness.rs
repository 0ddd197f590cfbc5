//! One server per test, on a free loopback port, over a fresh store.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use finance_server::{AppState, Running, ServerConfig};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};

/// The password every test user registers with.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running server and a client for it.
pub struct Srv {
    pub base: String,
    pub client: Client,
    running: Option<Running>,
    mongo: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

/// Which store a server gets.
pub enum Store {
    Sqlite,
    Mongo(&'static str),
}

/// A fresh database name for `test` on the server at `FINANCE_TEST_MONGODB_URI`.
fn fresh_mongo_db(test: &str) -> (String, String) {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let uri = std::env::var("FINANCE_TEST_MONGODB_URI").unwrap_or_else(|_| {
        panic!(
            "FINANCE_TEST_MONGODB_URI is not set. The mongo:: tests need a real \
             MongoDB-wire server; run them through `./dev test`, which starts one."
        )
    });
    let mut db = format!(
        "s{}_{}_{test}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    db.truncate(60);
    (uri, db)
}

/// Install the ring crypto provider once (reqwest and the server use rustls without a default).
pub fn crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The configuration of a test server: a temp data folder, fast bcrypt, and `extra`.
pub fn config(dir: &std::path::Path, extra: &[(&str, &str)]) -> ServerConfig {
    let mut env: HashMap<String, String> = HashMap::from([
        ("FINANCE_DATA_DIR".into(), dir.display().to_string()),
        ("FINANCE_BCRYPT_COST".into(), "4".into()),
    ]);
    for (k, v) in extra {
        env.insert((*k).into(), (*v).into());
    }
    ServerConfig::from_lookup(|k| env.get(k).cloned()).expect("test configuration is valid")
}

/// A server over TLS with a fresh self-signed certificate for `localhost`,
/// on the embedded store in `dir`: the running server, the certificate, and
/// the PEM file it was read from.
pub async fn tls_server(
    dir: &std::path::Path,
) -> (
    Running,
    rcgen::CertifiedKey<rcgen::KeyPair>,
    std::path::PathBuf,
) {
    crypto();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
        .expect("a self-signed certificate");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, made.cert.pem()).expect("write the certificate");
    std::fs::write(&key, made.signing_key.serialize_pem()).expect("write the key");
    let config = config(
        dir,
        &[
            ("FINANCE_TLS_CERT", cert.to_str().expect("a UTF-8 path")),
            ("FINANCE_TLS_KEY", key.to_str().expect("a UTF-8 path")),
        ],
    );
    let state = AppState::open(&config).await.expect("store opens");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    let running = finance_server::spawn(&config, state, listener)
        .await
        .expect("server starts");
    (running, made, cert)
}

impl Srv {
    /// A server on `store` with extra environment `extra`.
    pub async fn start(store: Store, extra: &[(&str, &str)]) -> Srv {
        let mongo = match store {
            Store::Sqlite => None,
            Store::Mongo(test) => Some(fresh_mongo_db(test)),
        };
        Srv::start_with(mongo, extra, true).await
    }

    /// Two servers on one fresh MongoDB database with one signing secret, as
    /// servers scaled out behind a load balancer are (the first drops the
    /// database when finished).
    pub async fn pair_on_mongo(test: &str) -> (Srv, Srv) {
        let secret = [(
            "FINANCE_JWT_SECRET",
            "two-servers-share-this-signing-secret-2026",
        )];
        let db = fresh_mongo_db(test);
        let first = Srv::start_with(Some(db.clone()), &secret, true).await;
        let second = Srv::start_with(Some(db), &secret, false).await;
        (first, second)
    }

    async fn start_with(
        mongo: Option<(String, String)>,
        extra: &[(&str, &str)],
        owns_db: bool,
    ) -> Srv {
        crypto();
        let dir = tempfile::tempdir().expect("temp dir");
        let mut env: Vec<(&str, &str)> = extra.to_vec();
        if let Some((uri, db)) = &mongo {
            env.push(("MONGODB_URI", uri));
            env.push(("MONGODB_DB", db));
        }
        let config = config(dir.path(), &env);
        let state = AppState::open(&config).await.expect("store opens");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        let running = finance_server::spawn(&config, state, listener)
            .await
            .expect("server starts");
        let base = format!("http://{}/api/v1", running.addr);
        Srv {
            base,
            client: Client::builder().build().expect("client"),
            running: Some(running),
            mongo: if owns_db { mongo } else { None },
            _dir: dir,
        }
    }

    /// Stop the server and drop its MongoDB database.
    pub async fn finish(mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown().await.expect("clean shutdown");
        }
        if let Some((uri, db)) = self.mongo.take() {
            let client = mongodb::Client::with_uri_str(&uri)
                .await
                .expect("mongo client");
            client
                .database(&db)
                .drop()
                .await
                .expect("drop test database");
        }
    }

    /// A request to `path` (relative to `/api/v1`), with `token` as bearer if given.
    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let r = self.client.request(method, format!("{}{path}", self.base));
        match token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    /// Register `username` (201 expected).
    pub async fn register(&self, username: &str) -> Value {
        let res = self
            .req(Method::POST, "/auth/register", None)
            .json(&json!({
                "username": username, "password": PASSWORD, "firstName": "Ann",
                "lastName": "Lee", "email": format!("{username}@example.net"), "currency": "EUR"
            }))
            .send()
            .await
            .expect("send");
        expect(res, StatusCode::CREATED, "registration succeeds").await
    }

    /// Log `username` in with [`PASSWORD`]: the token.
    pub async fn login(&self, username: &str) -> String {
        let res = self
            .req(Method::POST, "/auth/login", None)
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .expect("send");
        let body = expect(res, StatusCode::OK, "log-in succeeds").await;
        body["token"].as_str().expect("a token").to_string()
    }

    /// Register and log in: the token.
    pub async fn user(&self, username: &str) -> String {
        self.register(username).await;
        self.login(username).await
    }
}

/// The JSON body of `res`, after checking its status (saying `why` it was expected).
pub async fn expect(res: Response, status: StatusCode, why: &str) -> Value {
    let got = res.status();
    let text = res.text().await.unwrap_or_default();
    assert_eq!(got, status, "{why}: answered {got} {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{why}: not JSON ({e}): {text}"))
    }
}

/// Check an error answer: its status, code and (if given) field, in the one shape.
pub async fn expect_error(
    res: Response,
    status: StatusCode,
    code: &str,
    field: Option<&str>,
    why: &str,
) -> Value {
    let body = expect(res, status, why).await;
    assert_eq!(body["code"], code, "{why}: code in {body}");
    assert!(body["message"].is_string(), "{why}: a message in {body}");
    assert!(
        body.get("field").is_some() && body.get("retryAfterSecs").is_some(),
        "{why}: the whole shape in {body}"
    );
    if let Some(f) = field {
        assert_eq!(body["field"], f, "{why}: field in {body}");
    }
    body
}

/// One test per scenario and store, named `sqlite::name` and `mongo::name`.
#[macro_export]
macro_rules! both_stores {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let s = $crate::api::harness::Srv::start($crate::api::harness::Store::Sqlite, &[]).await;
                    $crate::api::$module::$name(&s).await;
                    s.finish().await;
                }
            )*
        }
        mod mongo {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let s = $crate::api::harness::Srv::start(
                        $crate::api::harness::Store::Mongo(stringify!($name)), &[]).await;
                    $crate::api::$module::$name(&s).await;
                    s.finish().await;
                }
            )*
        }
    };
}
