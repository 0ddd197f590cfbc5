//! Command-level tests of the IPC layer with Tauri's mock runtime, a real
//! SQLite store in a temp dir and the real OS keyring (run under `./dev test`,
//! which provides a Secret Service through gnome-keyring).
//!
//! They check the error shape, that commands require a session, that no
//! response carries the token, and the keyring life cycle of a session.

use finance_app::state::{AppPaths, AppState};
use finance_app::vault::{self, Vault};
use serde_json::{Value, json};
use tauri::Manager;
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;

/// One app instance over a data dir and keyring service (a relaunch reuses both).
struct TestApp {
    _app: tauri::App<MockRuntime>,
    webview: tauri::WebviewWindow<MockRuntime>,
    service: String,
}

fn config(bcrypt_cost: u32) -> finance_core::Config {
    finance_core::Config {
        bcrypt_cost: Some(bcrypt_cost),
        ..Default::default()
    }
}

impl TestApp {
    fn launch(data: &std::path::Path, service: &str) -> TestApp {
        let app = mock_builder()
            .invoke_handler(finance_app::handler!())
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        let paths = AppPaths {
            data_dir: data.to_path_buf(),
            config_dir: data.join("config"),
        };
        app.manage(AppState::new(config(4), paths, Vault::new(service)));
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock webview");
        TestApp {
            _app: app,
            webview,
            service: service.to_string(),
        }
    }

    /// Invoke `cmd` with `{input}` (or no arguments) and return Ok(json) or Err(json).
    fn call(&self, cmd: &str, input: Option<Value>) -> Result<Value, Value> {
        let body = match input {
            Some(i) => json!({ "input": i }),
            None => json!({}),
        };
        tauri::test::get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: tauri::ipc::CallbackFn(0),
                error: tauri::ipc::CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body: tauri::ipc::InvokeBody::Json(body),
                headers: Default::default(),
                invoke_key: tauri::test::INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().expect("json response"))
    }

    fn kept_token(&self) -> Option<String> {
        Vault::new(&self.service)
            .get(vault::SESSION)
            .expect("keyring answers")
    }
}

fn unique_service() -> String {
    format!(
        "app.financemanager.test.{}.{}",
        std::process::id(),
        finance_core::Id::generate()
    )
}

fn register(app: &TestApp, username: &str) -> Result<Value, Value> {
    app.call(
        "register",
        Some(json!({
            "username": username, "password": "tulip-river-93", "firstName": "Ann",
            "lastName": "Lee", "email": format!("{username}@example.com"), "currency": "EUR"
        })),
    )
}

#[test]
fn commands_require_a_session_and_errors_have_one_shape() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    let start = app.call("startup", None).expect("startup answers");
    assert_eq!(start["store"]["kind"], "sqlite");
    assert!(start["user"].is_null(), "no session yet: {start}");
    for cmd in ["list_categories", "list_budgets", "dashboard"] {
        let err = app.call(cmd, None).expect_err("needs a session");
        assert_eq!(err["code"], "unauthorized", "{cmd}: {err}");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            err.get("field").is_some() && err.get("retryAfterSecs").is_some(),
            "one shape: {err}"
        );
    }
    let err = app
        .call("get_transaction", Some(json!({"id": "nope"})))
        .expect_err("bad id");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("id"))
    );
    let err = register(&app, "a").expect_err("username too short");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("username"))
    );
}

#[test]
fn session_lives_in_the_keyring_and_never_crosses_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let service = unique_service();
    let app = TestApp::launch(dir.path(), &service);
    app.call("startup", None).unwrap();
    let profile = register(&app, "ann").expect("register signs in");
    assert_eq!(profile["username"], "ann");
    let token = app
        .kept_token()
        .expect("the session token is in the keyring");
    assert!(!profile.to_string().contains(&token));

    let cats = app.call("list_categories", None).expect("signed in");
    let groceries = cats
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Groceries")
        .unwrap()["id"]
        .clone();
    let tx = app
        .call("add_transaction", Some(json!({"categoryId": groceries, "amount": "12.30", "date": "2024-03-01", "description": "Milk", "note": null})))
        .expect("add");
    assert_eq!(
        (tx["amount"].as_str(), tx["type"].as_str()),
        (Some("12.30"), Some("expense"))
    );
    let err = app
        .call("add_transaction", Some(json!({"categoryId": groceries, "amount": "12.345", "date": "2024-03-01", "description": "Milk", "note": null})))
        .expect_err("three decimals");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("amount"))
    );
    for (cmd, input) in [
        ("dashboard", None),
        ("list_transactions", Some(json!({"categoryIds": []}))),
        ("startup", None),
    ] {
        let out = app.call(cmd, input).expect(cmd);
        assert!(!out.to_string().contains(&token), "{cmd} leaked the token");
    }

    // A relaunch resumes the session from the keyring without a password.
    let again = TestApp::launch(dir.path(), &service);
    let start = again.call("startup", None).unwrap();
    assert_eq!(start["user"]["username"], "ann", "{start}");

    // Log-out revokes the session in the store and deletes the keyring entry.
    again.call("logout", None).expect("logout");
    assert_eq!(again.kept_token(), None);
    assert_eq!(
        again.call("list_categories", None).unwrap_err()["code"],
        "unauthorized"
    );
    // The first instance still had the token in memory: the store refuses it now.
    assert_eq!(
        app.call("list_categories", None).unwrap_err()["code"],
        "unauthorized"
    );
    let start = TestApp::launch(dir.path(), &service)
        .call("startup", None)
        .unwrap();
    assert!(start["user"].is_null());
}

#[test]
fn login_errors_are_typed_and_throttled() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "bob").unwrap();
    app.call("logout", None).unwrap();
    for _ in 0..5 {
        let err = app
            .call(
                "login",
                Some(json!({"username": "bob", "password": "wrong-password"})),
            )
            .unwrap_err();
        assert_eq!(err["code"], "unauthorized");
    }
    let err = app
        .call(
            "login",
            Some(json!({"username": "bob", "password": "tulip-river-93"})),
        )
        .unwrap_err();
    assert_eq!(err["code"], "rate_limited", "{err}");
    assert!(
        err["retryAfterSecs"]
            .as_u64()
            .is_some_and(|s| s > 0 && s <= 30),
        "{err}"
    );
}

#[test]
fn bindings_are_fresh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/ipc-types.ts");
    let generated = finance_app::ipc::typescript();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(path, &generated).expect("write bindings");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/ipc-types.ts is stale: run `./dev bindings` (UPDATE_BINDINGS=1 cargo test --test commands bindings_are_fresh) and commit it"
    );
}
