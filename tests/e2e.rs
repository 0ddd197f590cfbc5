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

/// Run before a screenshot (see `Ui::take_screenshot`); one copy, shared with tools/webdriver.py.
const REPAINT_SOON: &str = include_str!("../tools/repaint-soon.js");

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
        // tauri-driver accepts connections before its WebKitWebDriver listens; a
        // session request that early is dropped, so retry for a little while.
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    eprintln!("WebDriver session not ready yet ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("WebDriver session (the app) did not start: {e}"),
            }
        };
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
        wait_for_the_instance_to_exit();
    }
}

/// The app is single-instance (its D-Bus name `<identifier>.SingleInstance`):
/// the next test's launch would hand over to a dying app and exit, so wait
/// until the name has no owner (at most 10 s; no bus, no wait).
fn wait_for_the_instance_to_exit() {
    let name = format!("string:{APP_ID}.SingleInstance");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let owned = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                &name,
            ])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"));
        if !owned {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
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

    /// A WebDriver screenshot, after tools/repaint-soon.js: without GPU compositing (the app's
    /// choice on a machine with no GPU, as under Xvfb) WebKitGTK answers a screenshot only
    /// after its next paint, which never comes on a page at rest.
    async fn take_screenshot(&self) -> Result<Vec<u8>, fantoccini::error::CmdError> {
        let _ = self
            .c
            .execute(&format!("return ({REPAINT_SOON});"), vec![])
            .await;
        self.c.screenshot().await
    }

    /// Keep what the window showed when a step failed.
    async fn failure_screenshot(&self) {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/screenshots"));
        if let Ok(png) = self.take_screenshot().await {
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
            let png = self.take_screenshot().await.expect("screenshot");
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

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Open a fixture in the import wizard: the test hook on <body> makes the wizard ask
/// Rust for `import_open_path` (e2e builds only) instead of the OS open dialog.
async fn open_import(ui: &Ui, name: &str) {
    open_import_path(ui, &fixture(name)).await;
}

/// [`open_import`] for any file inside the app's `FINANCE_E2E_IMPORT_DIR`.
async fn open_import_path(ui: &Ui, path: &str) {
    ui.js(&format!(
        "document.body.dataset.e2eImportPath = {}",
        json!(path)
    ))
    .await;
    ui.click("#import-csv").await;
    ui.wait_css("#import-dialog #import-preview-table").await;
}

/// Text of an element with everything but digits and the minus sign removed.
async fn digits_of(ui: &Ui, css: &str) -> String {
    let text = ui
        .js(&format!(
            "document.querySelector({})?.textContent ?? ''",
            json!(css)
        ))
        .await;
    text.as_str()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-' || *c == '−')
        .collect()
}

/// CSV import through the real wizard, then the Reports screen's totals against the
/// fixture's hand-computed sums:
/// income 3 × 2500.00 + 120.00 = 7620.00; expense Jan 1179.05 + Feb 1102.60 + Mar 1071.30
/// = 3352.95; net 4267.05; Groceries 6 rows, 341.15; Rent 2700.00; Pets (new) 112.25.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_and_reports_on_sqlite() {
    let _one = SERIAL.lock().await;
    let shots = screenshot_dir();
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "imogen").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;

    // A file with a bad line: the line is reported and nothing can be imported.
    open_import(&ui, "import-bad.csv").await;
    assert_eq!(
        ui.js("[document.querySelector('#import-delimiter').value, document.querySelector('#import-decimal').value]").await,
        json!([";", "comma"]),
        "the guess prefills the settings"
    );
    // One of the two dates is impossible, so the format is not guessed: choose it.
    ui.select("#import-date-format", "DD.MM.YYYY").await;
    ui.click("#import-check").await;
    ui.wait_css("#import-errors li[data-line='3']").await;
    assert_eq!(
        ui.js("document.querySelector('#import-commit').disabled")
            .await,
        json!(true),
        "no import while a line has a problem"
    );
    ui.click("#import-cancel").await;
    ui.wait_js(
        "the wizard closed",
        "!document.querySelector('#import-dialog')",
    )
    .await;

    // The good file: check, map the unknown category (create it), import.
    open_import(&ui, "import.csv").await;
    ui.wait_js(
        "the preview shows the file's rows",
        "document.querySelectorAll('#import-preview-table tbody tr').length === 10",
    )
    .await;
    assert_eq!(
        ui.js("[document.querySelector('#import-col-date').value, document.querySelector('#import-col-description').value, document.querySelector('#import-col-amount').value, document.querySelector('#import-col-category').value, document.querySelector('#import-has-header').checked]").await,
        json!(["0", "1", "2", "3", true]),
        "the guessed columns"
    );
    ui.click("#import-check").await;
    ui.wait_css("#import-counts").await;
    assert_eq!(
        ui.js("[...document.querySelectorAll('#import-counts li')].map(li => li.textContent)")
            .await,
        json!([
            "20 rows in the file",
            "20 ready to import",
            "0 look like transactions you already have",
            "0 rows with problems (not imported)"
        ])
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('[data-unknown-category]')].map(s => [s.dataset.unknownCategory, s.dataset.type, s.value])")
            .await,
        json!([["Pets", "expense", ""]]),
        "Pets is new; the default is to create it"
    );
    ui.wait_js(
        "the commit button counts the rows",
        "document.querySelector('#import-commit').textContent === 'Import 20 transactions' && !document.querySelector('#import-commit').disabled",
    )
    .await;
    ui.screenshot(shots.as_deref(), "import").await;
    assert_eq!(
        ui.rows().await,
        0,
        "nothing is saved before the confirmation"
    );
    ui.click("#import-commit").await;
    ui.wait_css("#import-summary").await;
    assert_eq!(
        ui.js("[document.querySelector('#import-summary').dataset.imported, document.querySelector('#import-summary').dataset.skipped, document.querySelector('#import-summary').dataset.created]").await,
        json!(["20", "0", "1"])
    );
    assert_eq!(
        ui.js("document.querySelector('#import-progress').getAttribute('aria-valuenow')")
            .await,
        json!("100")
    );
    ui.click("#import-done").await;
    ui.wait_js(
        "the imported rows are listed",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 20",
    )
    .await;

    // Reports for January–March 2025.
    ui.click("#nav-reports").await;
    ui.wait_css("[data-screen='reports'] #report-body[aria-busy='false']")
        .await;
    ui.select("#report-period", "Custom…").await;
    ui.js("document.querySelector('#report-from').value = '2025-01-01', document.querySelector('#report-to').value = '2025-03-31'").await;
    ui.click("#report-apply").await;
    ui.wait_css("#report-body[data-loaded='2025-01-01..2025-03-31'][aria-busy='false']")
        .await;
    assert_eq!(
        ui.js("['#report-income', '#report-expense', '#report-net'].map(s => document.querySelector(s).dataset.amount)").await,
        json!(["7620.00", "3352.95", "4267.05"])
    );
    assert_eq!(digits_of(&ui, "#report-income").await, "762000");
    assert_eq!(digits_of(&ui, "#report-expense").await, "335295");
    assert_eq!(digits_of(&ui, "#report-net").await, "426705");
    let cats = ui
        .js("[...document.querySelectorAll('#report-categories tbody tr')].map(r => [r.cells[0].textContent, r.cells[1].textContent, r.cells[2].dataset.amount, r.cells[3].dataset.basisPoints])")
        .await;
    let cats = cats.as_array().expect("category rows").clone();
    assert_eq!(cats.len(), 8, "{cats:?}");
    assert_eq!(cats[0], json!(["Rent", "3", "2700.00", "8053"]));
    assert_eq!(cats[1], json!(["Groceries", "6", "341.15", "1017"]));
    assert_eq!(cats[2], json!(["Pets", "2", "112.25", "335"]));
    let share_sum: u64 = cats
        .iter()
        .map(|c| c[3].as_str().unwrap_or("0").parse::<u64>().unwrap_or(0))
        .sum();
    assert_eq!(share_sum, 10_000, "the shares add up to 100 %");
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-monthly tbody tr')].slice(-3).map(r => [r.dataset.month, ...[...r.querySelectorAll('[data-amount]')].map(c => c.dataset.amount)])").await,
        json!([
            ["2025-01", "2500.00", "1179.05", "1320.95"],
            ["2025-02", "2500.00", "1102.60", "1397.40"],
            ["2025-03", "2620.00", "1071.30", "1548.70"]
        ])
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-frequent tbody tr')][0]?.textContent.startsWith('Supermarket6')").await,
        json!(true)
    );
    assert_eq!(
        ui.js("document.querySelector('#report-largest tbody tr [data-amount]')?.dataset.amount")
            .await,
        json!("900.00")
    );
    assert_eq!(
        ui.js("!!document.querySelector('#report-donut[role=img]')?.getAttribute('aria-label')?.includes('Rent')").await,
        json!(true),
        "the donut has a text summary"
    );
    ui.screenshot(shots.as_deref(), "reports").await;

    // A category row opens Transactions filtered to it and the period.
    ui.js("[...document.querySelectorAll('#report-categories tbody tr')].find(r => r.textContent.includes('Groceries')).querySelector('button').click()").await;
    ui.wait_css("[data-screen='transactions']").await;
    ui.wait_js(
        "only the six grocery rows of the period",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 6 && document.querySelector('#filter-from').value === '2025-01-01' && document.querySelector('#filter-to').value === '2025-03-31'",
    )
    .await;
    assert_eq!(
        ui.js("document.querySelector('#export-csv').textContent")
            .await,
        json!("Export CSV")
    );

    // An empty period shows the empty state, not a broken chart.
    ui.click("#nav-reports").await;
    ui.select("#report-period", "Custom…").await;
    ui.js("document.querySelector('#report-from').value = '2020-01-01', document.querySelector('#report-to').value = '2020-01-31'").await;
    ui.click("#report-apply").await;
    ui.wait_css("#report-body[data-loaded='2020-01-01..2020-01-31'] #report-empty")
        .await;
    logout(&ui).await;
    ui.close().await;
}

/// Rows in the generated file of [`import_progress_events_arrive_during_a_large_import`].
const LARGE_IMPORT_ROWS: u64 = 10_000;

/// A large import reports its progress while it runs: the wizard receives
/// `import-progress` events (which needs `plugin:event|listen` in the applied
/// capability) and moves its bar before the import completes. The page records
/// every value the bar's `aria-valuetext` takes ("D of T rows"); the wizard sets
/// it to 0 of T at the start, to each event's values, and to 1 of 1 at the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_progress_events_arrive_during_a_large_import() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let large = files.path().join("large.csv");
    let mut csv = String::from("Date,Description,Amount,Category\n");
    for i in 0..LARGE_IMPORT_ROWS {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        csv.push_str(&format!(
            "2024-{month:02}-{day:02},Item {i},-{}.{:02},Groceries\n",
            1 + i % 50,
            i % 100
        ));
    }
    std::fs::write(&large, csv).expect("write the large CSV");
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push(("FINANCE_E2E_IMPORT_DIR", files.path().display().to_string()));
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "percy").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    open_import_path(&ui, &large.display().to_string()).await;
    ui.click("#import-check").await;
    ui.wait_css("#import-counts").await;
    ui.wait_js(
        "the commit button is enabled",
        "!document.querySelector('#import-commit').disabled",
    )
    .await;
    ui.js(
        "(window.__progressSeen = [], new MutationObserver(ms => ms.forEach(m => window.__progressSeen.push(m.oldValue)))\
         .observe(document.querySelector('#import-progress'), { attributes: true, attributeFilter: ['aria-valuetext'], attributeOldValue: true }), true)",
    )
    .await;
    ui.click("#import-commit").await;
    ui.wait_css("#import-summary").await;
    assert_eq!(
        ui.js("document.querySelector('#import-summary').dataset.imported")
            .await,
        json!(LARGE_IMPORT_ROWS.to_string())
    );
    // Every value the bar held, in order: the old value of each change, then the last one.
    let seen = ui
        .js("[...window.__progressSeen, document.querySelector('#import-progress').getAttribute('aria-valuetext')]")
        .await;
    let seen: Vec<(u64, u64)> = seen
        .as_array()
        .expect("recorded values")
        .iter()
        .filter_map(|v| {
            let text = v.as_str()?;
            let (done, rest) = text.split_once(" of ")?;
            let total = rest.strip_suffix(" rows")?;
            Some((done.parse().ok()?, total.parse().ok()?))
        })
        .collect();
    let finished = seen
        .iter()
        .position(|&p| p == (1, 1))
        .unwrap_or_else(|| panic!("the bar ends at 1 of 1: {seen:?}"));
    let during: Vec<_> = seen[..finished]
        .iter()
        .filter(|&&(done, total)| total == LARGE_IMPORT_ROWS && done > 0 && done < total)
        .collect();
    assert!(
        during.len() > 1,
        "more than one progress event with done < total arrived before the import completed: {seen:?}"
    );
    ui.click("#import-done").await;
    logout(&ui).await;
    ui.close().await;
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

/// MongoDB configured but unreachable: a clear screen with Retry and "use the local
/// store for now" — never a hang or a blank window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_mongodb_offers_retry_and_the_local_store() {
    let _one = SERIAL.lock().await;
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    // Nothing listens on this port.
    env.push((
        "MONGODB_URI",
        format!("mongodb://127.0.0.1:{}", free_port()),
    ));
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#mongo-error").await;
    ui.wait_js(
        "the reason is shown",
        "document.querySelector('#mongo-error-detail')?.textContent.trim().length > 0",
    )
    .await;
    ui.click("#retry-mongo").await;
    ui.wait_js("the retry ends on the same screen", "!!document.querySelector('#mongo-error') && !document.querySelector('#retry-mongo')?.disabled").await;
    ui.click("#use-local-store").await;
    ui.wait_css("#login-form").await;
    ui.wait_css("#fallback-notice").await;
    register(&ui, "carol").await;
    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind[data-kind='sqlite']").await;
    ui.wait_css("#store-fallback").await;
    logout(&ui).await;
    ui.close().await;
    assert!(
        data.path().join("finance.sqlite3").exists(),
        "the local store was used"
    );
}

/// No Secret Service: a clear message at sign-in explaining what is missing, not a crash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keyring_sign_in_explains_what_is_missing() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push((
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/finance-test-bus".into(),
    ));
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    ui.wait_js(
        "the keyring notice names the Secret Service",
        "document.querySelector('#keyring-error')?.textContent.includes('Secret Service')",
    )
    .await;
    ui.click("#show-register").await;
    ui.fill("#register-form [name=username]", "dave").await;
    ui.fill("#register-form [name=password]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=confirmPassword]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=firstName]", "Dave").await;
    ui.fill("#register-form [name=lastName]", "Tester").await;
    ui.fill("#register-form [name=email]", "dave@example.com")
        .await;
    ui.click("#register-submit").await;
    ui.wait_js("the form explains the keyring is missing", "document.querySelector('#register-form [data-form-error]')?.textContent.includes('Secret Service')").await;
    assert_eq!(
        ui.js("!!document.querySelector('#nav-dashboard')").await,
        json!(false),
        "not signed in"
    );
    ui.close().await;
}

/// A weak `FINANCE_JWT_SECRET` stops the app with a message naming the
/// variable, in the window (not a blank window, not a sign-in that lasts one run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weak_jwt_secret_is_explained_in_the_window() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push(("FINANCE_JWT_SECRET", "too-short-a-secret".into()));
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#config-error").await;
    ui.wait_js(
        "the message names the variable, not its value",
        "(t => t.includes('FINANCE_JWT_SECRET') && !t.includes('too-short-a-secret'))(document.querySelector('#config-error-detail')?.textContent ?? '')",
    )
    .await;
    assert_eq!(
        ui.js("!!document.querySelector('#login-form')").await,
        json!(false),
        "nothing to sign in to"
    );
    ui.close().await;
    assert!(
        !data.path().join("finance.sqlite3").exists(),
        "no store was opened"
    );
}
