//! Accounts on each store: a second and a third account through the Accounts
//! screen, an expense put in the credit card through the transaction form's
//! picker, the balances and net worth the screen shows, and a delete that
//! moves the card's transactions to another account.

use super::*;

/// Add an account through the Accounts screen's dialog (opening date: today).
pub(crate) async fn add_account(ui: &Ui, name: &str, kind: &str, opening: &str) {
    ui.click("#new-account").await;
    ui.fill("#account-form [name=name]", name).await;
    ui.select("#account-form [name=type]", kind).await;
    ui.fill("#account-form [name=openingBalance]", opening)
        .await;
    ui.click("#account-submit").await;
    ui.wait_js(
        &format!("{name} is listed"),
        &format!(
            "!document.querySelector('#account-form') && !!{}",
            account_item(name)
        ),
    )
    .await;
}

/// The Accounts screen's item of the account named `name`, as a JavaScript expression.
pub(crate) fn account_item(name: &str) -> String {
    format!(
        "[...document.querySelectorAll('.account-item')].find(li => li.querySelector('.account-name')?.textContent === {})",
        json!(name)
    )
}

/// Add a transaction through the form, choosing its account in the picker.
pub(crate) async fn add_transaction_in(
    ui: &Ui,
    account: &str,
    amount: &str,
    category: &str,
    what: &str,
) {
    let before = ui.rows().await;
    ui.click("#new-transaction").await;
    choose_mode_for(ui, category).await;
    ui.fill("#transaction-form [name=amount]", amount).await;
    ui.select("#transaction-form [name=accountId]", account)
        .await;
    ui.select("#transaction-form [name=categoryId]", category)
        .await;
    ui.fill("#transaction-form [name=description]", what).await;
    ui.click("#transaction-submit").await;
    ui.wait_js("the dialog closed and the row appeared", &format!(
        "!document.querySelector('#transaction-form') && document.querySelectorAll('#transactions-table tbody tr[data-id]').length === {}",
        before + 1
    ))
    .await;
}

/// Wait until the element `css` carries the exact amount `amount` (`data-amount`, the IPC string).
pub(crate) async fn wait_amount(ui: &Ui, what: &str, css_or_expr: &str, amount: &str) {
    ui.wait_js(
        &format!("{what} is {amount}"),
        &format!("({css_or_expr})?.dataset.amount === {}", json!(amount)),
    )
    .await;
}

pub(crate) fn by_css(css: &str) -> String {
    format!("document.querySelector({})", json!(css))
}

pub(crate) fn balance_of(name: &str) -> String {
    format!("{}?.querySelector('.account-balance')", account_item(name))
}

/// The accounts journey on one store. `shots` receives the Accounts screen's screenshot.
pub(crate) async fn accounts_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    Vault::new(APP_ID)
        .delete(session_entry(&env))
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "cora").await;

    // Registration made "Main account"; add a savings account and a credit card that opens owing 250.
    ui.click("#nav-accounts").await;
    ui.wait_js("Main account is listed", &account_item("Main account"))
        .await;
    add_account(&ui, "Savings", "Savings", "2500.00").await;
    add_account(&ui, "Visa", "Credit card", "-250.00").await;
    ui.wait_js(
        "Visa is under liabilities",
        "document.querySelector('#liability-accounts')?.textContent.includes('Visa')",
    )
    .await;

    // Income and an expense in the default account, an expense in the card via the picker.
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    add_transaction(&ui, "1000.00", "Salary", "Pay").await;
    add_transaction(&ui, "12.50", "Groceries", "Lunch").await;
    add_transaction_in(&ui, "Visa", "40.00", "Groceries", "Shoes").await;
    ui.wait_js(
        "the list names each row's account",
        &format!(
            "{}?.querySelector('.account-col')?.textContent === 'Visa'",
            row_with("Shoes")
        ),
    )
    .await;
    ui.click("#new-transaction").await;
    ui.wait_js(
        "the form starts on the last account used",
        "document.querySelector('#transaction-form [name=accountId]')?.selectedOptions[0]?.textContent === 'Visa'",
    )
    .await;
    ui.click("#transaction-cancel").await;

    // Balances = opening + signed transactions; net worth = assets + liabilities.
    ui.click("#nav-accounts").await;
    wait_amount(&ui, "Main account", &balance_of("Main account"), "987.50").await;
    wait_amount(&ui, "Savings", &balance_of("Savings"), "2500.00").await;
    wait_amount(&ui, "Visa", &balance_of("Visa"), "-290.00").await;
    wait_amount(&ui, "assets", &by_css("#accounts-assets"), "3487.50").await;
    wait_amount(
        &ui,
        "liabilities",
        &by_css("#accounts-liabilities"),
        "-290.00",
    )
    .await;
    wait_amount(&ui, "net worth", &by_css("#net-worth"), "3197.50").await;
    ui.screenshot(shots.as_deref(), "accounts").await;

    // Delete the card, moving its transaction to Main account: its opening balance goes with it.
    ui.js(&format!(
        "{}.querySelector('[data-action=delete]').click()",
        account_item("Visa")
    ))
    .await;
    ui.wait_js(
        "the dialog names the count",
        "document.querySelector('#delete-account-form')?.textContent.includes('holds 1 transaction')",
    )
    .await;
    ui.select("#delete-account-form [name=moveTo]", "Main account")
        .await;
    ui.click("#delete-account-submit").await;
    ui.wait_js("Visa is gone", &format!("!{}", account_item("Visa")))
        .await;
    wait_amount(&ui, "Main account", &balance_of("Main account"), "947.50").await;
    wait_amount(&ui, "net worth", &by_css("#net-worth"), "3447.50").await;

    // The moved row is in Main account; the Dashboard agrees on net worth.
    ui.click("#nav-transactions").await;
    ui.wait_js(
        "Shoes moved to Main account",
        &format!(
            "{}?.querySelector('.account-col')?.textContent === 'Main account'",
            row_with("Shoes")
        ),
    )
    .await;
    ui.click("#nav-dashboard").await;
    wait_amount(
        &ui,
        "the dashboard's net worth",
        &by_css("#dash-net-worth"),
        "3447.50",
    )
    .await;
    // The delete's notice may still cover Settings' sign-out button: clear the notices first.
    ui.js("document.querySelectorAll('.toast').forEach(t => t.remove())")
        .await;
    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind").await;
    logout(&ui).await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = sqlite_env(data.path());
    accounts_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_accounts_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    accounts_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|env| accounts_journey(env, None)).await;
}
