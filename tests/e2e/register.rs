//! An account's register on each store: two accounts, an expense, a refund
//! and a transfer entered through the form (its Refund switch and Transfer
//! mode), the register opened from the Accounts screen with the running
//! balance after each row, and the balances the Accounts screen then shows.

use super::*;

/// The running balance (`data-balance`, the IPC string) of the register's row `description`.
fn balance_after(description: &str) -> String {
    format!(
        "{}?.querySelector('.balance-col')?.dataset.balance",
        row_with(description)
    )
}

fn account_balance(name: &str) -> String {
    format!(
        "[...document.querySelectorAll('.account-item')].find(li => li.querySelector('.account-name')?.textContent === {})?.querySelector('.account-balance')?.dataset.amount",
        json!(name)
    )
}

async fn wait_eq(ui: &Ui, what: &str, expr: &str, want: &str) {
    ui.wait_js(
        &format!("{what} is {want}"),
        &format!("({expr}) === {}", json!(want)),
    )
    .await;
}

/// Wait for the dialog to close and `n` rows to be listed.
async fn wait_rows(ui: &Ui, n: usize) {
    ui.wait_js("the dialog closed and the rows are listed", &format!(
        "!document.querySelector('#transaction-form') && document.querySelectorAll('#transactions-table tbody tr[data-id]').length === {n}"
    ))
    .await;
}

/// The register journey on one store. `shots` receives the register and the transfer form.
pub(crate) async fn register_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    Vault::new(APP_ID)
        .delete(session_entry(&env))
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "rita").await;

    // A savings account next to the "Main account" registration made.
    ui.click("#nav-accounts").await;
    ui.click("#new-account").await;
    ui.fill("#account-form [name=name]", "Savings").await;
    ui.select("#account-form [name=type]", "Savings").await;
    ui.fill("#account-form [name=openingBalance]", "500.00")
        .await;
    ui.click("#account-submit").await;
    ui.wait_js(
        "Savings is listed",
        "!document.querySelector('#account-form') && document.querySelectorAll('.account-item').length === 2",
    )
    .await;

    // An expense and a refund of part of it, in Main account (the default).
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    add_transaction(&ui, "40.00", "Groceries", "Weekly shop").await;
    ui.click("#new-transaction").await;
    ui.click("#transaction-form #refund").await;
    ui.fill("#transaction-form [name=amount]", "15.50").await;
    ui.select("#transaction-form [name=categoryId]", "Groceries")
        .await;
    ui.fill("#transaction-form [name=description]", "Jar returned")
        .await;
    ui.click("#transaction-submit").await;
    wait_rows(&ui, 2).await;
    ui.wait_js(
        "the refund reads as a refund, money in",
        &format!(
            "{0}?.querySelector('.amount.refund')?.dataset.amount === '-15.50'",
            row_with("Jar returned")
        ),
    )
    .await;

    // A transfer from Savings to Main account through the form's Transfer mode.
    ui.click("#new-transaction").await;
    ui.click("#transaction-form label[for=mode-transfer]").await;
    ui.wait_css("#transaction-form[data-kind=transfer]").await;
    ui.fill("#transaction-form [name=amount]", "100.00").await;
    ui.select("#transaction-form [name=fromAccountId]", "Savings")
        .await;
    ui.select("#transaction-form [name=toAccountId]", "Main account")
        .await;
    ui.fill("#transaction-form [name=description]", "Top up")
        .await;
    ui.screenshot(shots.as_deref(), "transfer-form").await;
    ui.click("#transaction-submit").await;
    wait_rows(&ui, 4).await; // both legs are listed
    ui.wait_js(
        "the legs name each other's account",
        "[...document.querySelectorAll('#transactions-table .chip')].map(c => c.textContent).sort().join('|') === 'Groceries|Groceries|Transfer from Savings|Transfer to Main account'",
    )
    .await;

    // Main account's register, opened from the Accounts screen: newest first, each row
    // with the balance after it (opening 0 − 40 + 15.50 + 100).
    ui.click("#nav-accounts").await;
    ui.click(".account-item [data-action=open]").await;
    ui.wait_css("#transactions-table .balance-col").await;
    wait_eq(
        &ui,
        "the balance after Top up",
        &balance_after("Top up"),
        "75.50",
    )
    .await;
    wait_eq(
        &ui,
        "the balance after the refund",
        &balance_after("Jar returned"),
        "-24.50",
    )
    .await;
    wait_eq(
        &ui,
        "the balance after Weekly shop",
        &balance_after("Weekly shop"),
        "-40.00",
    )
    .await;
    ui.wait_js(
        "the register lists Main account's three rows only (no Account column)",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 3 && !document.querySelector('#transactions-table .account-col')",
    )
    .await;
    ui.screenshot(shots.as_deref(), "account-register").await;

    // The Accounts screen agrees: Main 75.50, Savings 400.00, net worth 475.50.
    ui.click("#nav-accounts").await;
    wait_eq(
        &ui,
        "Main account",
        &account_balance("Main account"),
        "75.50",
    )
    .await;
    wait_eq(&ui, "Savings", &account_balance("Savings"), "400.00").await;
    wait_eq(
        &ui,
        "net worth",
        "document.querySelector('#net-worth')?.dataset.amount",
        "475.50",
    )
    .await;

    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind").await;
    logout(&ui).await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = sqlite_env(data.path());
    register_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_register_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    register_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|env| register_journey(env, None)).await;
}
