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

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use finance_app::vault::{self, Vault};
use serde_json::json;

const APP_ID: &str = "app.financemanager.desktop";
const WAIT: Duration = Duration::from_secs(20);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// `tauri-driver` (and the WebKitWebDriver it spawns) in its own process group.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start(env: &[(&str, String)]) -> Driver {
        use std::os::unix::process::CommandExt;
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "e2e tests need an X display (./dev test runs them under Xvfb)"
        );
        let port = free_port();
        let native = free_port();
        let mut cmd =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .spawn()
            .expect("tauri-driver must be installed (./dev setup puts it in .tools/bin)");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not start listening"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }

    async fn launch(&self) -> Ui {
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": env!("CARGO_BIN_EXE_finance-app") }
        });
        let caps = caps.as_object().cloned().expect("object");
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("WebDriver session (the app) starts");
        let ui = Ui { c: client };
        ui.wait_css("body[data-ready='true']").await;
        ui
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Kill the whole group: killing only tauri-driver would orphan WebKitWebDriver.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

/// A WebDriver session on the app.
struct Ui {
    c: Client,
}

impl Ui {
    async fn wait_css(&self, css: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => el,
            Err(e) => {
                self.failure_screenshot().await;
                panic!("waiting for {css}: {e} (see target/screenshots/failure.png)")
            }
        }
    }

    /// Keep what the window showed when a step failed.
    async fn failure_screenshot(&self) {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots"));
        if let Ok(png) = self.c.screenshot().await {
            let _ = std::fs::create_dir_all(&dir);
            let _ = std::fs::write(dir.join("failure.png"), png);
        }
    }

    /// Poll a JavaScript expression until it returns `true`.
    async fn wait_js(&self, what: &str, expr: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let v = self
                .c
                .execute(&format!("return !!({expr});"), vec![])
                .await
                .expect("script runs");
            if v == json!(true) {
                return;
            }
            if Instant::now() >= deadline {
                self.failure_screenshot().await;
                panic!(
                    "timed out waiting until {what} ({expr}); see target/screenshots/failure.png"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn js(&self, expr: &str) -> serde_json::Value {
        self.c
            .execute(&format!("return ({expr});"), vec![])
            .await
            .expect("script runs")
    }

    async fn click(&self, css: &str) {
        self.wait_css(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    async fn fill(&self, css: &str, text: &str) {
        let el = self.wait_css(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        if !text.is_empty() {
            el.send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("type into {css}: {e}"));
        }
    }

    async fn select(&self, css: &str, label: &str) {
        self.wait_css(css)
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("select {label} in {css}: {e}"));
    }

    async fn rows(&self) -> usize {
        self.js("document.querySelectorAll('#transactions-table tbody tr[data-id]').length")
            .await
            .as_u64()
            .unwrap_or(0) as usize
    }

    async fn screenshot(&self, dir: Option<&Path>, name: &str) {
        if let Some(dir) = dir {
            // Notices are transient: keep them out of the documentation shots.
            self.js("document.querySelectorAll('.toast').forEach(t => t.remove())")
                .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let png = self.c.screenshot().await.expect("screenshot");
            std::fs::create_dir_all(dir).expect("screenshot dir");
            std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
        }
    }

    async fn close(self) {
        self.c
            .close()
            .await
            .expect("close the session (quits the app)");
    }
}

async fn register(ui: &Ui, username: &str) {
    ui.click("#show-register").await;
    ui.fill("#register-form [name=username]", username).await;
    ui.fill("#register-form [name=password]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=confirmPassword]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=firstName]", "Ann").await;
    ui.fill("#register-form [name=lastName]", "Tester").await;
    ui.fill(
        "#register-form [name=email]",
        &format!("{username}@example.com"),
    )
    .await;
    ui.click("#register-submit").await;
    ui.wait_css("#nav-dashboard").await;
}

async fn login(ui: &Ui, username: &str) {
    ui.fill("#login-form [name=username]", username).await;
    ui.fill("#login-form [name=password]", "tulip-river-93")
        .await;
    ui.click("#login-submit").await;
    ui.wait_css("#nav-dashboard").await;
}

async fn logout(ui: &Ui) {
    ui.click("#nav-settings").await;
    ui.click("#logout").await;
    ui.wait_css("#login-form").await;
}

async fn add_transaction(ui: &Ui, amount: &str, category: &str, description: &str) {
    let before = ui.rows().await;
    ui.click("#new-transaction").await;
    ui.fill("#transaction-form [name=amount]", amount).await;
    ui.select("#transaction-form [name=categoryId]", category)
        .await;
    ui.fill("#transaction-form [name=description]", description)
        .await;
    ui.click("#transaction-submit").await;
    ui.wait_js("the dialog closed and the row appeared", &format!(
        "!document.querySelector('#transaction-form') && document.querySelectorAll('#transactions-table tbody tr[data-id]').length === {}",
        before + 1
    ))
    .await;
}

fn row_with(description: &str) -> String {
    format!(
        "[...document.querySelectorAll('#transactions-table tbody tr[data-id]')].find(r => r.textContent.includes({}))",
        json!(description)
    )
}

/// The whole journey on one store. `shots` receives screenshots of each main screen.
async fn journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    let kept = || {
        Vault::new(APP_ID)
            .get(vault::SESSION)
            .expect("the keyring answers")
    };
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    ui.screenshot(shots.as_deref(), "login").await;

    // Register → signed in.
    ui.click("#show-register").await;
    ui.wait_css("#register-form").await;
    ui.screenshot(shots.as_deref(), "register").await;
    ui.click("#show-login").await;
    register(&ui, "ann").await;
    let token = kept().expect("the session token is in the keyring after sign-in");

    // A category and a budget.
    ui.click("#nav-categories").await;
    ui.fill("#category-name", "Hobbies").await;
    ui.select("#category-type", "Expense").await;
    ui.click("#category-form button[type=submit]").await;
    ui.wait_js("Hobbies is listed", "[...document.querySelectorAll('.category-item')].some(li => li.textContent.includes('Hobbies'))").await;
    ui.screenshot(shots.as_deref(), "categories").await;
    ui.click("#nav-budgets").await;
    ui.click("#new-budget").await;
    ui.select("#budget-form [name=categoryId]", "Hobbies").await;
    ui.fill("#budget-form [name=limit]", "100").await;
    ui.click("#budget-submit").await;
    ui.wait_css("#budget-list [data-budget-state='ok']").await;

    // Three transactions through the form, edit one, delete one and undo.
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    add_transaction(&ui, "30.00", "Hobbies", "Paint").await;
    add_transaction(&ui, "25.00", "Hobbies", "Brushes").await;
    add_transaction(&ui, "20.00", "Hobbies", "Canvas").await;
    ui.js(&format!(
        "{}.querySelector('[data-action=edit]').click()",
        row_with("Canvas")
    ))
    .await;
    ui.wait_css("#transaction-form[data-mode='edit']").await;
    ui.fill("#transaction-form [name=amount]", "30.00").await;
    ui.click("#transaction-submit").await;
    ui.wait_js(
        "the edited amount shows",
        &format!(
            "{}?.querySelector('[data-amount]')?.dataset.amount === '30.00'",
            row_with("Canvas")
        ),
    )
    .await;
    ui.screenshot(shots.as_deref(), "transactions").await;

    ui.js(&format!(
        "{}.querySelector('[data-action=delete]').click()",
        row_with("Brushes")
    ))
    .await;
    ui.click("#confirm-ok").await;
    ui.wait_js("Brushes is gone", &format!("!{}", row_with("Brushes")))
        .await;
    ui.click("#undo").await;
    ui.wait_js("Brushes is back", &row_with("Brushes")).await;
    assert_eq!(ui.rows().await, 3);

    // Filter by text.
    ui.fill("#search", "paint").await;
    ui.click("#apply-filters").await;
    ui.wait_js(
        "only Paint matches",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 1",
    )
    .await;
    assert!(ui.js(&row_with("Paint")).await.is_object());
    ui.click("#clear-filters").await;
    ui.wait_js(
        "all rows are back",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 3",
    )
    .await;

    // Bad input shows field errors and saves nothing.
    ui.click("#new-transaction").await;
    ui.screenshot(shots.as_deref(), "transaction-form").await;
    ui.select("#transaction-form [name=categoryId]", "Hobbies")
        .await;
    ui.fill("#transaction-form [name=description]", "Bad").await;
    for amount in ["", "abc", "-5", "12.345"] {
        ui.fill("#transaction-form [name=amount]", amount).await;
        ui.click("#transaction-submit").await;
        ui.wait_js(
            &format!("an amount error for {amount:?}"),
            "document.querySelector('[data-error-for=amount]')?.textContent.trim().length > 0",
        )
        .await;
    }
    ui.fill("#transaction-form [name=amount]", "5.00").await;
    ui.fill("#transaction-form [name=description]", &"x".repeat(201))
        .await;
    ui.click("#transaction-submit").await;
    ui.wait_js(
        "a description error",
        "document.querySelector('[data-error-for=description]')?.textContent.trim().length > 0",
    )
    .await;
    ui.click("#transaction-cancel").await;
    ui.wait_js(
        "the dialog closed",
        "!document.querySelector('#transaction-form')",
    )
    .await;
    assert_eq!(ui.rows().await, 3, "nothing was saved");

    // The budget is past 80 %: 30 + 25 + 30 = 85 of 100.
    ui.click("#nav-budgets").await;
    ui.wait_css("#budget-list [data-budget-state='warning']")
        .await;
    ui.screenshot(shots.as_deref(), "budgets").await;
    ui.click("#nav-dashboard").await;
    ui.wait_css("[data-screen='dashboard'] [data-budget-state='warning']")
        .await;
    ui.screenshot(shots.as_deref(), "dashboard").await;

    // The webview's storage holds no token.
    let storage = ui
        .js("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])")
        .await;
    assert!(
        !storage.to_string().contains(&token),
        "token found in web storage"
    );
    assert!(
        !storage.to_string().contains("eyJ"),
        "a JWT-looking value in web storage: {storage}"
    );

    // Log out: login screen, keyring entry gone. Log in again.
    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind").await;
    ui.screenshot(shots.as_deref(), "settings").await;
    logout(&ui).await;
    assert_eq!(kept(), None, "logout deletes the keyring entry");
    login(&ui, "ann").await;
    assert!(kept().is_some());

    // Quit and relaunch: the session resumes without a password.
    ui.close().await;
    let ui = driver.launch().await;
    ui.wait_css("#nav-dashboard").await;
    ui.wait_js(
        "the user is shown",
        "document.querySelector('#user-name')?.textContent.includes('Ann')",
    )
    .await;

    // A second user sees none of the first user's data.
    logout(&ui).await;
    ui.click("#show-register").await;
    ui.click("#show-login").await;
    register(&ui, "bob").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    ui.wait_js("bob's list shows it is empty", "document.querySelector('#transactions-table tbody')?.textContent.includes('No transactions')").await;
    assert_eq!(ui.rows().await, 0, "bob sees no transactions of ann");
    ui.click("#nav-categories").await;
    ui.wait_css(".category-item").await;
    assert_eq!(ui.js("[...document.querySelectorAll('.category-item')].some(li => li.textContent.includes('Hobbies'))").await, json!(false));
    ui.click("#nav-budgets").await;
    ui.wait_js("bob has no budgets", "document.querySelectorAll('#budget-list [data-budget-state]').length === 0 && document.querySelector('#budget-list')?.getAttribute('aria-busy') !== 'true'").await;
    logout(&ui).await;
    ui.close().await;
}

fn base_env(data: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("FINANCE_DATA_DIR", data.display().to_string()),
        ("FINANCE_BCRYPT_COST", "4".into()),
        ("RUST_LOG", "warn".into()),
    ]
}

fn screenshot_dir() -> Option<PathBuf> {
    Some(match std::env::var_os("UPDATE_SCREENSHOTS") {
        Some(_) => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/screenshots")),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots")),
    })
}

/// The two journeys share the keyring's `session` entry: run them one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    // Empty (not unset) so a developer's .env cannot switch this run to MongoDB.
    env.push(("MONGODB_URI", String::new()));
    journey(env, screenshot_dir()).await;
    assert!(
        data.path().join("finance.sqlite3").exists(),
        "the embedded store was created in the data dir"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_on_mongodb() {
    let _one = SERIAL.lock().await;
    let uri = std::env::var("FINANCE_TEST_MONGODB_URI").expect(
        "FINANCE_TEST_MONGODB_URI must point at the MongoDB test server (./dev test starts it)",
    );
    let db = format!("e2e_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", uri.clone()));
    env.push(("MONGODB_DB", db.clone()));
    journey(env, None).await;
    assert!(
        !data.path().join("finance.sqlite3").exists(),
        "MongoDB was used, not the embedded store"
    );
    let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
    let users = client
        .database(&db)
        .collection::<mongodb::bson::Document>("users")
        .count_documents(mongodb::bson::doc! {})
        .await
        .expect("count users");
    assert_eq!(users, 2, "ann and bob were stored in MongoDB");
    client
        .database(&db)
        .drop()
        .await
        .expect("drop the e2e database");
}
