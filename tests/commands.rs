//! Command-level tests of the IPC layer with Tauri's mock runtime, a real
//! SQLite store in a temp dir and the real OS keyring (run under `./dev test`,
//! which provides a Secret Service through gnome-keyring).
//!
//! They check the error shape, that commands require a session, that no
//! response carries the token, and the keyring life cycle of a session.

mod support;

#[path = "commands/currency.rs"]
mod currency;
#[path = "commands/households.rs"]
mod households;
#[path = "commands/periods.rs"]
mod periods;
#[path = "commands/register.rs"]
mod register_view;
#[path = "commands/rules.rs"]
mod rules_view;

#[path = "commands/bulk.rs"]
mod bulk;
#[path = "commands/schedules.rs"]
mod schedules_view;
#[path = "commands/server_mode.rs"]
mod server_mode;

use finance_app::state::{AppPaths, AppState};
use finance_app::vault::{self, Vault};
use serde_json::{Value, json};
use tauri::Manager;
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

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

fn paths(data: &std::path::Path) -> AppPaths {
    AppPaths {
        data_dir: data.to_path_buf(),
        config_dir: data.join("config"),
    }
}

impl TestApp {
    fn launch(data: &std::path::Path, service: &str) -> TestApp {
        TestApp::with_state(
            AppState::new(config(4), paths(data), Vault::new(service)),
            service,
        )
    }

    fn with_state(state: AppState, service: &str) -> TestApp {
        let app = mock_builder()
            .invoke_handler(finance_app::handler!())
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        app.manage(state);
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
        support::invoke(&self.webview, cmd, input)
    }

    /// The kept session's token (the keyring keeps `<store key>:<token>`).
    fn kept_token(&self) -> Option<String> {
        Vault::new(&self.service)
            .get(vault::SESSION)
            .expect("keyring answers")
            .map(|kept| kept.rsplit(':').next().unwrap_or_default().to_string())
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

/// The id of the signed-in user's category `name` (one of the default categories).
fn category_id(app: &TestApp, name: &str) -> Value {
    let cats = app.call("list_categories", None).expect("signed in");
    cats.as_array()
        .expect("list_categories answers a list")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("a default category named {name}"))["id"]
        .clone()
}

#[test]
fn commands_require_a_session_and_errors_have_one_shape() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    let start = app.call("startup", None).expect("startup answers");
    assert_eq!(start["store"]["kind"], "sqlite");
    assert!(start["user"].is_null(), "no session yet: {start}");
    for (cmd, input) in [
        ("list_categories", None),
        ("list_accounts", None),
        ("list_budgets", Some(json!({}))),
        ("dashboard", Some(json!({}))),
    ] {
        let err = app.call(cmd, input).expect_err("needs a session");
        assert_eq!(err["code"], "unauthorized", "{cmd}: {err}");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            err.get("field").is_some() && err.get("retryAfterSecs").is_some(),
            "one shape: {err}"
        );
    }
    let err = app
        .call("get_transaction", Some(json!({"id": "nope"})))
        .expect_err("signed out");
    assert_eq!(
        err["code"], "unauthorized",
        "the caller is authenticated before the input is read: {err}"
    );
    let err = register(&app, "a").expect_err("username too short");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("username"))
    );
    register(&app, "ann").expect("register signs in");
    let err = app
        .call("get_transaction", Some(json!({"id": "nope"})))
        .expect_err("bad id");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("id")),
        "{err}"
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

    let groceries = category_id(&app, "Groceries");
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
        ("dashboard", Some(json!({}))),
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
    assert_eq!(
        again.call("logout", None).expect("logout"),
        json!({"sessionEnded": true}),
        "the store confirmed the sign-out"
    );
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
fn report_shapes_amounts_shares_and_months() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    let err = app
        .call(
            "report",
            Some(json!({"from": "2024-03-01", "to": "2024-03-31"})),
        )
        .expect_err("needs a session");
    assert_eq!(err["code"], "unauthorized");
    register(&app, "rita").unwrap();
    let cats = app.call("list_categories", None).unwrap();
    let id_of = |name: &str| {
        cats.as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["id"]
            .clone()
    };
    for (cat, amount, date, text) in [
        ("Groceries", "10.00", "2024-03-01", "Milk"),
        ("Groceries", "10.00", "2024-03-09", "Milk"),
        ("Rent", "20.00", "2024-03-02", "Rent"),
        ("Salary", "100.00", "2024-03-03", "Pay"),
        ("Rent", "5.00", "2024-02-10", "Rent"),
    ] {
        app.call(
            "add_transaction",
            Some(json!({"categoryId": id_of(cat), "amount": amount, "date": date, "description": text, "note": null})),
        )
        .expect("add");
    }
    let r = app
        .call(
            "report",
            Some(json!({"from": "2024-03-01", "to": "2024-03-31"})),
        )
        .expect("report");
    assert_eq!(
        (r["from"].as_str(), r["to"].as_str()),
        (Some("2024-03-01"), Some("2024-03-31"))
    );
    assert_eq!(r["totalIncome"], "100.00");
    assert_eq!(r["totalExpense"], "40.00");
    let by = r["byCategory"].as_array().unwrap();
    let shares: Vec<(&str, &str, u64, u64)> = by
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["amount"].as_str().unwrap(),
                c["count"].as_u64().unwrap(),
                c["basisPoints"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shares,
        [("Groceries", "20.00", 2, 5000), ("Rent", "20.00", 1, 5000)]
    );
    let monthly = r["monthly"].as_array().unwrap();
    assert_eq!(monthly.len(), 12);
    assert_eq!(monthly[0]["month"], "2023-04");
    assert_eq!(
        monthly[11],
        json!({"month": "2024-03", "income": "100.00", "expense": "40.00", "net": "60.00"})
    );
    assert_eq!(monthly[10]["net"], "-5.00");
    assert_eq!(r["largest"][0]["amount"], "20.00");
    assert_eq!(r["largest"][0]["type"], "expense");
    assert_eq!(
        r["frequent"][0],
        json!({"description": "Milk", "count": 2, "total": "20.00"})
    );
    let err = app
        .call(
            "report",
            Some(json!({"from": "2024-03-31", "to": "2024-03-01"})),
        )
        .expect_err("reversed range");
    assert_eq!(err["code"], "validation", "{err}");
    let err = app
        .call("report", Some(json!({"from": "March", "to": "2024-03-01"})))
        .expect_err("bad date");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("from"))
    );

    // One account: the rows above are all in Main account; a new one has none.
    let main = app.call("list_accounts", None).unwrap()["accounts"][0]["id"].clone();
    let march =
        |account: Value| json!({"from": "2024-03-01", "to": "2024-03-31", "accountId": account});
    let r = app
        .call("report", Some(march(main)))
        .expect("main's report");
    assert_eq!(
        (r["totalIncome"].as_str(), r["totalExpense"].as_str()),
        (Some("100.00"), Some("40.00")),
        "every row is in Main account"
    );
    let cash = app
        .call(
            "add_account",
            Some(json!({"name": "Cash", "type": "cash", "openingBalance": "5.00", "openingDate": "2024-01-01", "note": null})),
        )
        .unwrap()["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Cash")
        .unwrap()["id"]
        .clone();
    let r = app
        .call("report", Some(march(cash)))
        .expect("cash's report");
    assert_eq!(
        (r["totalIncome"].as_str(), r["totalExpense"].as_str()),
        (Some("0.00"), Some("0.00")),
        "nothing in the new account"
    );
    let r = app
        .call("report", Some(march(Value::Null)))
        .expect("null: every account");
    assert_eq!(r["totalExpense"], "40.00", "null is every account");
    let err = app
        .call("report", Some(march(json!("not-an-id"))))
        .expect_err("malformed account");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("accountId"))
    );
    let err = app
        .call("report", Some(march(json!("0123456789abcdef01234567"))))
        .expect_err("unknown account");
    assert_eq!(err["code"], "not_found", "{err}");

    // Net worth at each month's end: the opening balances count from their dates.
    let series = app
        .call(
            "net_worth_series",
            Some(json!({"from": "2024-02-01", "to": "2024-03-31"})),
        )
        .expect("net worth series");
    let months: Vec<(&str, &str)> = series
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap(), m["net"].as_str().unwrap()))
        .collect();
    assert_eq!(
        months,
        [("2024-02", "0.00"), ("2024-03", "60.00")],
        "February: cash's 5.00 less the 5.00 rent; March adds 100 − 40"
    );
    let err = app
        .call(
            "net_worth_series",
            Some(json!({"from": "2024-04-01", "to": "2024-03-31"})),
        )
        .expect_err("reversed months");
    assert_eq!(err["code"], "validation", "{err}");
}

#[test]
fn add_with_an_idempotency_key_is_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "ida").unwrap();
    let food = category_id(&app, "Groceries");
    let input = |amount: &str, key: &str| {
        json!({"categoryId": food, "amount": amount, "date": "2024-03-01",
               "description": "Bread", "note": null, "idempotencyKey": key})
    };
    let key = "6f1c1c9e-2b7e-4d8c-9a51-0d3f1f2b7a10";
    let first = app
        .call("add_transaction", Some(input("2.50", key)))
        .expect("add");
    // The UI retries with the same key after an Unavailable error: same row back.
    let again = app
        .call("add_transaction", Some(input("2.50", key)))
        .expect("replay");
    assert_eq!(first, again);
    let page = app
        .call("list_transactions", Some(json!({"categoryIds": []})))
        .expect("list");
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    let err = app
        .call("add_transaction", Some(input("9.99", key)))
        .expect_err("the key was used for another add");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("conflict"), Some("idempotencyKey")),
        "{err}"
    );
    for bad in ["short", "has spaces in the key!!", &"x".repeat(65)] {
        let err = app
            .call("add_transaction", Some(input("1.00", bad)))
            .expect_err("malformed key");
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some("validation"), Some("idempotencyKey")),
            "{err}"
        );
    }
    // Without a key (older callers) an add is a plain add.
    let mut plain = input("1.00", key);
    plain.as_object_mut().unwrap().remove("idempotencyKey");
    app.call("add_transaction", Some(plain)).expect("no key");
    let page = app
        .call("list_transactions", Some(json!({"categoryIds": []})))
        .expect("list");
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "{page}");
}

#[test]
fn import_with_an_unknown_file_id_has_the_one_error_shape() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "ivan").unwrap();
    let settings = json!({
        "delimiter": ",", "hasHeader": true, "date": 0, "amount": {"kind": "single", "column": 2},
        "description": 1, "category": null, "note": null, "type": null,
        "dateFormat": "YYYY-MM-DD", "decimal": "dot"
    });
    let bad = "0123456789abcdef0123456789abcdef";
    let preview = app
        .call(
            "import_preview",
            Some(json!({"fileId": bad, "settings": settings, "mappings": []})),
        )
        .expect_err("no such file");
    let commit = app
        .call(
            "import_commit",
            Some(json!({"fileId": bad, "settings": settings, "mappings": [], "skipDuplicates": true})),
        )
        .expect_err("no such file");
    for err in [preview, commit] {
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some("not_found"), Some("fileId")),
            "{err}"
        );
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(err.get("retryAfterSecs").is_some(), "one shape: {err}");
    }
    // Discarding an unknown file is not an error; opening by path is refused outside
    // the e2e environment (no FINANCE_E2E_IMPORT_DIR here).
    app.call("import_discard", Some(json!({"fileId": bad})))
        .expect("discard");
    let err = app
        .call(
            "import_open_path",
            Some(
                json!({"path": concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import.csv")}),
            ),
        )
        .expect_err("refused");
    assert_eq!(err["code"], "not_found", "{err}");
    // A bad delimiter is a field error before anything is read.
    let mut odd = settings.clone();
    odd["delimiter"] = json!("ab");
    let err = app
        .call(
            "import_preview",
            Some(json!({"fileId": bad, "settings": odd, "mappings": []})),
        )
        .expect_err("unknown file first");
    assert_eq!(err["field"], "fileId");
}

#[test]
fn updates_read_the_same_form_fields_as_adds() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "uma").unwrap();
    let food = category_id(&app, "Groceries");
    let tx = app
        .call("add_transaction", Some(json!({"categoryId": food, "amount": "3.00", "date": "2024-03-01", "description": "Tea", "note": null})))
        .expect("add");
    let changed = app
        .call("update_transaction", Some(json!({"id": tx["id"], "categoryId": food, "amount": "4.50", "date": "2024-03-02", "description": "Green tea", "note": "box"})))
        .expect("update");
    assert_eq!(
        (
            changed["amount"].as_str(),
            changed["date"].as_str(),
            changed["note"].as_str(),
            changed["categoryName"].as_str()
        ),
        (
            Some("4.50"),
            Some("2024-03-02"),
            Some("box"),
            Some("Groceries")
        )
    );
    let err = app
        .call("update_transaction", Some(json!({"id": tx["id"], "categoryId": food, "amount": "x", "date": "2024-03-02", "description": "Tea", "note": null})))
        .expect_err("bad amount");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("amount"))
    );
    let budget = app
        .call(
            "add_budget",
            Some(json!({"categoryId": food, "limit": "100", "period": "monthly"})),
        )
        .expect("add budget");
    let budget = app
        .call("update_budget", Some(json!({"id": budget["id"], "categoryId": food, "limit": "80.50", "period": "weekly"})))
        .expect("update budget");
    assert_eq!(
        (
            budget["limit"].as_str(),
            budget["period"].as_str(),
            budget["categoryName"].as_str()
        ),
        (Some("80.50"), Some("weekly"), Some("Groceries"))
    );
    let err = app
        .call(
            "update_budget",
            Some(
                json!({"id": budget["id"], "categoryId": "nope", "limit": "1", "period": "weekly"}),
            ),
        )
        .expect_err("bad category id");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("categoryId"))
    );
}

/// The `id` of the account named `name` in an `AccountsView`.
fn account_named(view: &Value, name: &str) -> Value {
    view["accounts"]
        .as_array()
        .expect("an AccountsView lists accounts")
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("an account named {name} in {view}"))
        .clone()
}

/// Accounts over IPC: the list with balances and totals (which every account
/// write answers), usage before a delete, a delete with a move, and
/// transactions carrying their account both ways.
#[test]
fn accounts_answer_balances_and_totals_and_transactions_carry_their_account() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "ada").unwrap();
    let main = account_named(
        &app.call("list_accounts", None).expect("list"),
        "Main account",
    );
    assert_eq!(
        (
            main["type"].as_str(),
            main["liability"].as_bool(),
            main["balance"].as_str()
        ),
        (Some("checking"), Some(false), Some("0.00")),
        "registration made an empty checking account"
    );
    let visa_input = |opening: &str| json!({"name": "Visa", "type": "credit_card", "openingBalance": opening, "openingDate": "2024-01-01", "note": null});
    let err = app
        .call("add_account", Some(visa_input("-2.505")))
        .expect_err("three decimals in EUR");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("openingBalance"))
    );
    let view = app
        .call("add_account", Some(visa_input("-250.00")))
        .expect("add");
    let visa = account_named(&view, "Visa");
    assert_eq!(
        (visa["liability"].as_bool(), visa["balance"].as_str()),
        (Some(true), Some("-250.00")),
        "a credit card is a liability and opens owing"
    );
    assert_eq!(
        (
            view["assets"].as_str(),
            view["liabilities"].as_str(),
            view["netWorth"].as_str()
        ),
        (Some("0.00"), Some("-250.00"), Some("-250.00")),
        "the write answers the totals after it"
    );

    let food = category_id(&app, "Groceries");
    let tx = |account: Value, amount: &str| json!({"accountId": account, "categoryId": food, "amount": amount, "date": "2024-03-01", "description": "Shoes", "note": null});
    let shoes = app
        .call("add_transaction", Some(tx(visa["id"].clone(), "40.00")))
        .expect("add in Visa");
    assert_eq!(
        shoes["accountId"], visa["id"],
        "the chosen account is kept and shown"
    );
    let bread = app
        .call("add_transaction", Some(tx(Value::Null, "1.00")))
        .expect("add without an account");
    assert_eq!(
        bread["accountId"], main["id"],
        "no account: the default one"
    );
    let err = app
        .call("add_transaction", Some(tx(json!("nope"), "1.00")))
        .expect_err("a malformed account id");
    assert_eq!(err["field"].as_str(), Some("accountId"));

    let usage = app
        .call("account_usage", Some(json!({"id": visa["id"]})))
        .expect("usage");
    assert_eq!(usage["transactions"], 1);
    assert_eq!(
        usage["transfers"],
        json!([]),
        "no transfers between Visa and another account to remove"
    );
    let err = app
        .call(
            "remove_account",
            Some(json!({"id": visa["id"], "moveTo": null})),
        )
        .expect_err("a used account needs a move target");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("conflict"), Some("account"))
    );
    let view = app
        .call(
            "remove_account",
            Some(json!({"id": visa["id"], "moveTo": main["id"]})),
        )
        .expect("delete with a move");
    assert_eq!(
        (
            account_named(&view, "Main account")["balance"].as_str(),
            view["netWorth"].as_str(),
            view["accounts"].as_array().map(Vec::len)
        ),
        (Some("-41.00"), Some("-41.00"), Some(1)),
        "the card's expense moved to Main account; its opening balance went with it"
    );
    let moved = app
        .call("get_transaction", Some(json!({"id": shoes["id"]})))
        .expect("get");
    assert_eq!(moved["accountId"], main["id"]);
    let dashboard = app.call("dashboard", Some(json!({}))).expect("dashboard");
    assert_eq!(dashboard["accounts"]["netWorth"].as_str(), Some("-41.00"));

    let view = app
        .call(
            "set_account_archived",
            Some(json!({"id": main["id"], "archived": true})),
        )
        .expect("archive");
    assert_eq!(account_named(&view, "Main account")["archived"], true);
    assert_eq!(
        view["netWorth"].as_str(),
        Some("-41.00"),
        "an archived account still counts"
    );
    let err = app
        .call("add_transaction", Some(tx(Value::Null, "1.00")))
        .expect_err("no open account to default to");
    assert_eq!(err["field"].as_str(), Some("accountId"));
}

/// A weak `FINANCE_JWT_SECRET` (or any refused setting) opens nothing: start-up
/// answers why, naming the variable, instead of signing in with a key that
/// lasts one run (before: a short secret fell back silently to a per-run key,
/// which signed the user out at every restart).
#[test]
fn a_refused_configuration_opens_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let service = unique_service();
    for secret in ["short-secret", "abcdefgh".repeat(4).as_str()] {
        let problem = finance_core::Config::from_lookup(|k| {
            (k == "FINANCE_JWT_SECRET").then(|| secret.to_string())
        })
        .expect_err("a weak secret is refused when the configuration is read");
        let app = TestApp::with_state(
            AppState::refusing(&problem, paths(dir.path()), Vault::new(&service)),
            &service,
        );
        let start = app.call("startup", None).expect("startup answers");
        let message = start["configError"].as_str().unwrap_or_default();
        assert!(
            message.contains("FINANCE_JWT_SECRET") && !message.contains(secret),
            "the window names the variable, never its value: {start}"
        );
        assert!(
            start["store"].is_null() && start["user"].is_null(),
            "nothing is opened: {start}"
        );
        let err = register(&app, "ann").expect_err("no store to register in");
        assert_eq!(err["code"], "unavailable", "{err}");
    }
    assert!(
        !dir.path().join("finance.sqlite3").exists(),
        "no store was created"
    );
    assert_eq!(
        Vault::new(&service).get(vault::SIGNING_KEY).unwrap(),
        None,
        "no per-run or kept key was made"
    );
}

/// Changing where data is stored needs the password while signed in (before:
/// any `mongodb://` string was saved by anyone at the unlocked desktop), the
/// URI is checked in the core (certificate checks, plain text to another
/// computer), and the session on the current store is ended.
#[test]
fn changing_the_store_needs_the_password_and_a_safe_uri() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "mia").unwrap();
    let token = app.kept_token().expect("signed in");
    let set = |uri: &str, own: bool, password: Option<&str>| {
        app.call(
            "set_mongodb_uri",
            Some(json!({"uri": uri, "ownNetwork": own, "password": password})),
        )
    };
    let field_of = |r: Result<Value, Value>| {
        let e = r.expect_err("refused");
        assert_eq!(e["code"], "validation", "{e}");
        e["field"].as_str().unwrap_or_default().to_string()
    };
    let local = "mongodb://127.0.0.1:27017";
    assert_eq!(field_of(set(local, false, None)), "password", "no password");
    assert_eq!(
        field_of(set(local, false, Some("wrong-password"))),
        "password",
        "wrong password"
    );
    for (uri, own) in [
        (
            "mongodb://db.example.net/?tls=true&tlsAllowInvalidCertificates=true",
            true,
        ),
        ("mongodb+srv://c.example.net/?tlsInsecure=true", false),
        ("mongodb://db.example.net:27017", false),
        ("mongodb://ann:pa/ss@localhost", false),
        ("http://db.example.net", true),
    ] {
        let err = set(uri, own, Some("tulip-river-93")).expect_err(uri);
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some("validation"), Some("uri")),
            "{uri}: {err}"
        );
        assert!(
            !err["message"]
                .as_str()
                .unwrap_or_default()
                .contains("pa/ss"),
            "{err}"
        );
    }
    assert_eq!(
        Vault::new(&app.service).get(vault::MONGODB_URI).unwrap(),
        None,
        "nothing refused was saved"
    );
    assert!(
        app.kept_token().is_some(),
        "refusals leave the session alone"
    );

    let out = set(
        "mongodb://db.example.net:27017",
        true,
        Some("tulip-river-93"),
    )
    .expect("a plain-text server confirmed to be on the own network");
    assert_eq!(out, json!({"sessionEnded": true}));
    assert_eq!(
        Vault::new(&app.service)
            .get(vault::MONGODB_URI)
            .unwrap()
            .as_deref(),
        Some("mongodb://db.example.net:27017")
    );
    assert_eq!(app.kept_token(), None, "signed out");
    assert!(!token.is_empty());
    assert_eq!(
        app.call("list_categories", None).unwrap_err()["code"],
        "unauthorized",
        "the old session is ended in the store"
    );
    // Signed out, no password is needed; the local store again:
    assert_eq!(
        app.call("clear_mongodb_uri", Some(json!({"password": null})))
            .expect("signed out: no password needed"),
        json!({"sessionEnded": true})
    );
    assert_eq!(
        Vault::new(&app.service).get(vault::MONGODB_URI).unwrap(),
        None
    );
}

/// Every file generated from the command list (`finance_app::contract`) is committed as generated.
#[test]
fn bindings_are_fresh() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let mut stale = Vec::new();
    for (path, generated) in finance_app::contract::generated_files() {
        let path = root.join(path);
        if update {
            std::fs::write(&path, &generated).expect("write bindings");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != generated {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `./dev bindings` (UPDATE_BINDINGS=1 cargo test --test commands bindings_are_fresh) and commit them"
    );
}
