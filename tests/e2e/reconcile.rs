//! Reconciling an account to a bank statement on each store: two expenses
//! in a credit card, a statement that shows only one of them, the dialog's
//! live difference going to zero as that row is ticked, Finish, and the
//! account's "Reconciled to" line; the reconciled row is not offered again.

use super::accounts::{
    account_item, add_account, add_transaction_in, balance_of, by_css, wait_amount,
};
use super::*;

/// The reconcile dialog's row whose text holds `description`, as a JavaScript expression.
fn reconcile_row(description: &str) -> String {
    format!(
        "[...document.querySelectorAll('#reconcile-rows tbody tr')].find(tr => tr.textContent.includes({}))",
        json!(description)
    )
}

async fn open_reconcile(ui: &Ui, account: &str) {
    // The adds' notices sit over the dialog's buttons for a few seconds: clear them first.
    ui.js("document.querySelectorAll('.toast').forEach(t => t.remove())")
        .await;
    ui.js(&format!(
        "{}.querySelector('[data-action=reconcile]').click()",
        account_item(account)
    ))
    .await;
    ui.wait_css("#reconcile-form").await;
    ui.wait_js(
        "the rows are listed",
        "document.querySelector('#reconcile-rows')?.getAttribute('aria-busy') === 'false'",
    )
    .await;
}

pub(crate) async fn reconcile_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    Vault::new(APP_ID)
        .delete(session_entry(&env))
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "rosa").await;

    ui.click("#nav-accounts").await;
    ui.wait_js("Main account is listed", &account_item("Main account"))
        .await;
    add_account(&ui, "Visa", "Credit card", "-250.00").await;

    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    add_transaction_in(&ui, "Visa", "40.00", "Groceries", "Shoes").await;
    add_transaction_in(&ui, "Visa", "12.50", "Groceries", "Lunch").await;
    add_transaction_in(&ui, "Main account", "1000.00", "Salary", "Pay").await;

    // The statement shows the opening balance and the shoes only: -290.00.
    ui.click("#nav-accounts").await;
    wait_amount(&ui, "Visa", &balance_of("Visa"), "-302.50").await;
    open_reconcile(&ui, "Visa").await;
    ui.wait_js(
        "only Visa's rows are offered",
        "document.querySelectorAll('#reconcile-rows tbody tr').length === 2",
    )
    .await;
    ui.fill("#reconcile-balance", "-290.00").await;
    wait_amount(
        &ui,
        "the difference with nothing ticked (the shoes)",
        &by_css("#reconcile-difference"),
        "-40.00",
    )
    .await;
    assert_eq!(
        ui.js("document.querySelector('#reconcile-finish').disabled")
            .await,
        json!(true),
        "Finish waits for a zero difference"
    );
    ui.js(&format!(
        "{}.querySelector('input').click()",
        reconcile_row("Shoes")
    ))
    .await;
    wait_amount(
        &ui,
        "the difference with the shoes ticked",
        &by_css("#reconcile-difference"),
        "0.00",
    )
    .await;
    wait_amount(
        &ui,
        "the cleared balance",
        &by_css("#reconcile-cleared"),
        "-290.00",
    )
    .await;
    ui.wait_js(
        "Finish is enabled at zero",
        "!document.querySelector('#reconcile-finish').disabled",
    )
    .await;
    ui.screenshot(shots.as_deref(), "reconcile-dialog").await;
    ui.click("#reconcile-finish").await;
    ui.wait_js(
        "the dialog closed and Visa says when it was reconciled",
        &format!(
            "!document.querySelector('#reconcile-form') && {}?.querySelector('.account-reconciled')?.textContent.includes('290.00')",
            account_item("Visa")
        ),
    )
    .await;
    // Reconciling changes status, never money; the cleared balance is what the bank saw.
    wait_amount(&ui, "Visa", &balance_of("Visa"), "-302.50").await;
    wait_amount(
        &ui,
        "Visa's cleared balance",
        &format!(
            "{}?.querySelector('.account-cleared')",
            account_item("Visa")
        ),
        "-290.00",
    )
    .await;
    wait_amount(&ui, "net worth", &by_css("#net-worth"), "697.50").await;

    open_reconcile(&ui, "Visa").await;
    ui.wait_js(
        "the reconciled row is not offered again",
        &format!(
            "document.querySelectorAll('#reconcile-rows tbody tr').length === 1 && !!{}",
            reconcile_row("Lunch")
        ),
    )
    .await;
    ui.js("document.querySelector('#reconcile-form .dialog-actions button.secondary').click()")
        .await;
    ui.wait_js("closed", "!document.querySelector('#reconcile-form')")
        .await;
    ui.js("document.querySelectorAll('.toast').forEach(t => t.remove())")
        .await;
    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind").await;
    logout(&ui).await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = sqlite_env(data.path());
    reconcile_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_on_mongodb() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let db = format!("e2e_reconcile_{}", std::process::id());
    let (_, env) = mongo_env(data.path(), &db);
    reconcile_journey(env, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|env| reconcile_journey(env, None)).await;
}
