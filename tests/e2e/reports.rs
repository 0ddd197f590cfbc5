//! Reports by account on each store: two accounts with rows in each and a
//! transfer between them, the report filtered to each account (its totals,
//! categories and largest expenses; the transfer in none of them), and the
//! net-worth chart's latest value, which counts every account whatever the
//! filter.
//!
//! The account is added through the Accounts screen (so the app's account
//! list has it); the rows and the transfer are written through the core, on
//! the same store the app uses, so this journey does not depend on the
//! transaction form's transfer mode.

use std::sync::Arc;

use finance_core::auth::SigningKey;
use finance_core::domain::user::Password;
use finance_core::domain::{TransactionDraft, TransferDraft};
use finance_core::{AuthSettings, AuthUser, Currency, Finance};

use super::accounts::add_account;
use super::*;

/// Where the app keeps its data: the test's own [`Finance`] over the same store.
enum StoreAt {
    Sqlite(PathBuf),
    Mongo { uri: String, db: String },
}

impl StoreAt {
    async fn finance(&self) -> Finance {
        let store: Arc<dyn finance_core::store::Store> = match self {
            StoreAt::Sqlite(dir) => Arc::new(
                finance_core::store::sqlite::SqliteStore::open(&dir.join("finance.sqlite3"))
                    .await
                    .expect("open the app's SQLite file"),
            ),
            StoreAt::Mongo { uri, db } => Arc::new(
                finance_core::store::mongo::MongoStore::connect(uri, db)
                    .await
                    .expect("connect to the app's database"),
            ),
        };
        Finance::new(store, &SigningKey::generate(), AuthSettings::default())
    }
}

/// Sign `username` in through the core (a session of the test's own, not the app's).
async fn sign_in(f: &Finance, username: &str) -> AuthUser {
    let now = chrono::Utc::now();
    let out = f
        .login(username, &Password::for_login("tulip-river-93"), now)
        .await
        .expect("the core signs the user in");
    f.authenticate(out.token.expose(), now)
        .await
        .expect("the core's session")
}

/// Rows in both accounts and a transfer between them, dated today.
async fn write_rows(at: &StoreAt, username: &str) {
    let f = at.finance().await;
    let user = sign_in(&f, username).await;
    let today = chrono::Local::now().date_naive().to_string();
    let accounts = f.accounts(&user).await.expect("accounts");
    let id = |name: &str| {
        accounts
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("no account {name}"))
            .id
            .to_hex()
    };
    let categories = f.categories(&user).await.expect("categories");
    let category = |name: &str| {
        categories
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no category {name}"))
            .id
            .to_hex()
    };
    for (account, cat, amount, what) in [
        ("Main account", "Salary", "1000.00", "Pay"),
        ("Main account", "Groceries", "12.50", "Lunch"),
        ("Visa", "Groceries", "40.00", "Shoes"),
        ("Visa", "Eating out", "20.00", "Dinner"),
    ] {
        let new = TransactionDraft {
            account_id: Some(id(account)),
            category_id: category(cat),
            amount: amount.into(),
            date: today.clone(),
            description: what.into(),
            note: None,
        }
        .validate(Currency::EUR)
        .expect("a valid row");
        f.add_transaction(&user, new, chrono::Utc::now())
            .await
            .expect("add a row");
    }
    let transfer = TransferDraft {
        from_account_id: id("Main account"),
        to_account_id: id("Visa"),
        amount: "100.00".into(),
        date: today,
        description: "Card payment".into(),
        note: None,
    }
    .validate(Currency::EUR)
    .expect("a valid transfer");
    f.add_transfer(&user, transfer, chrono::Utc::now())
        .await
        .expect("add the transfer");
}

/// The report's figures as shown: income, expense, net worth (`data-amount`, the IPC strings).
async fn figures(ui: &Ui) -> serde_json::Value {
    ui.js("['#report-income', '#report-expense', '#report-net-worth'].map(s => document.querySelector(s)?.dataset.amount)")
        .await
}

/// Choose `name` in the report's account filter and wait for its report.
async fn filter_to(ui: &Ui, name: &str) {
    ui.select("#report-account", name).await;
    ui.wait_js(
        &format!("the report of {name}"),
        &format!(
            "(() => {{ const s = document.querySelector('#report-account'); const b = document.querySelector('#report-body'); return s.selectedOptions[0]?.textContent === {} && b.dataset.account === s.value && b.getAttribute('aria-busy') === 'false'; }})()",
            json!(name)
        ),
    )
    .await;
}

async fn reports_journey(env: Vec<(&'static str, String)>, at: StoreAt) {
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "rhea").await;
    ui.click("#nav-accounts").await;
    ui.wait_css("#new-account").await;
    add_account(&ui, "Visa", "Credit card", "-250.00").await;
    write_rows(&at, "rhea").await;

    // Every account: both accounts' income and expense; the transfer is neither.
    ui.click("#nav-reports").await;
    ui.wait_js(
        "the report and the accounts in its filter",
        "document.querySelector('#report-body')?.dataset.loaded && document.querySelector('#report-account')?.options.length === 3",
    )
    .await;
    // Net worth: Main 1000 − 12.50 − 100 = 887.50; Visa −250 − 60 + 100 = −210.
    assert_eq!(
        figures(&ui).await,
        json!(["1000.00", "72.50", "677.50"]),
        "every account's income and expense, and net worth"
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-net-worth-table tbody tr')].at(-1)?.querySelector('td:last-child')?.dataset.amount").await,
        json!("677.50"),
        "the net-worth chart's last month is the net worth now"
    );
    assert_eq!(
        ui.js("document.querySelector('#report-net-worth-chart[role=img]')?.getAttribute('aria-label')?.includes('Net worth at the end of each month')").await,
        json!(true),
        "the net-worth chart is drawn, with its summary"
    );

    // The card alone: its two expenses; the transfer in is not income.
    filter_to(&ui, "Visa").await;
    assert_eq!(
        figures(&ui).await,
        json!(["0.00", "60.00", "677.50"]),
        "the card's figures; net worth still counts every account"
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-categories tbody tr')].map(r => [r.cells[0].textContent, r.cells[2].dataset.amount])").await,
        json!([["Groceries", "40.00"], ["Eating out", "20.00"]]),
        "the card's spending by category"
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-largest tbody tr')].map(r => r.cells[1].textContent)").await,
        json!(["Shoes", "Dinner"]),
        "the card's largest expenses, no transfer leg"
    );
    assert_eq!(
        ui.js("document.querySelector('#report-body').textContent.includes('Card payment')")
            .await,
        json!(false),
        "the transfer is in no part of the report"
    );

    // The main account alone.
    filter_to(&ui, "Main account").await;
    assert_eq!(
        figures(&ui).await,
        json!(["1000.00", "12.50", "677.50"]),
        "the main account's figures"
    );
    assert_eq!(
        ui.js("[...document.querySelectorAll('#report-frequent tbody tr')].map(r => r.cells[0].textContent).sort()").await,
        json!(["Lunch", "Pay"]),
        "the main account's descriptions, no transfer leg"
    );

    logout(&ui).await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_by_account_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = sqlite_env(data.path());
    reports_journey(env, StoreAt::Sqlite(data.path().to_path_buf())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_by_account_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_reports_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    reports_journey(
        env,
        StoreAt::Mongo {
            uri: uri.clone(),
            db: db.clone(),
        },
    )
    .await;
    drop_e2e_database(&uri, &db).await;
}
