//! Households on each store (Settings → Household): the owner invites a
//! viewer by username; the viewer accepts, switches to the owner's ledger,
//! sees its transactions, is refused a write (the core's role check, shown in
//! the form, nothing added), leaves, and is back on their own, empty ledger;
//! the owner then sees nobody else with access.

use super::*;

const NO_MEMBERS: &str = "document.querySelector('#household-no-members') !== null";

async fn household_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "hugo").await;
    logout(&ui).await;

    // The owner: one transaction, then an invitation.
    register(&ui, "hanna").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    add_transaction(&ui, "20.00", "Groceries", "Shared shopping").await;
    ui.click("#nav-settings").await;
    ui.wait_js("the household is shown", NO_MEMBERS).await;
    ui.fill("#invite-username", "hugo").await;
    ui.click("#invite-submit").await;
    ui.wait_js(
        "hugo is listed as invited",
        "document.querySelector('[data-member=hugo]')?.textContent.includes('(invited)')",
    )
    .await;
    ui.js("document.querySelector('#household').scrollIntoView({ block: 'start' })")
        .await;
    ui.screenshot(shots.as_deref(), "settings-household").await;
    logout(&ui).await;

    // The viewer accepts and works in the owner's ledger.
    login(&ui, "hugo").await;
    ui.click("#nav-settings").await;
    ui.wait_css("[data-accept=hanna]").await;
    ui.click("[data-accept=hanna]").await;
    ui.wait_css("#household-ledgers button[data-ledger]:not([disabled])")
        .await;
    ui.click("#household-ledgers button[data-ledger]:not([disabled])")
        .await;
    ui.wait_js(
        "the sidebar names the ledger in hand and the role",
        "document.querySelector('#current-ledger')?.textContent.includes('@hanna') && document.querySelector('#current-ledger')?.textContent.includes('viewer')",
    )
    .await;
    ui.click("#nav-transactions").await;
    ui.wait_js("the owner's row is listed", &row_with("Shared shopping"))
        .await;
    let rows = ui.rows().await;
    ui.click("#new-transaction").await;
    ui.wait_css("#transaction-form [name=amount]").await;
    ui.fill("#transaction-form [name=amount]", "5.00").await;
    ui.select("#transaction-form [name=categoryId]", "Groceries")
        .await;
    ui.fill("#transaction-form [name=description]", "Not mine to add")
        .await;
    ui.click("#transaction-submit").await;
    ui.wait_js(
        "the viewer's write is refused in the form",
        "document.querySelector('#transaction-form')?.textContent.includes('can only read this ledger')",
    )
    .await;
    ui.click("#transaction-cancel").await;
    ui.wait_js(
        "the dialog closed",
        "!document.querySelector('#transaction-form')",
    )
    .await;
    assert_eq!(ui.rows().await, rows, "the refused write added nothing");

    // Leaving brings back the viewer's own, empty ledger.
    ui.click("#nav-settings").await;
    ui.wait_css("#household-leave").await;
    ui.click("#household-leave").await;
    ui.wait_js(
        "back on one's own ledger",
        "!document.querySelector('#current-ledger') && !!document.querySelector('#nav-dashboard')",
    )
    .await;
    ui.click("#nav-transactions").await;
    ui.wait_js(
        "hugo's own ledger holds nothing",
        "document.querySelector('#transactions-table') && document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 0",
    )
    .await;
    logout(&ui).await;

    login(&ui, "hanna").await;
    ui.click("#nav-settings").await;
    ui.wait_js("nobody else has access after hugo left", NO_MEMBERS)
        .await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn household_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    household_journey(sqlite_env(data.path()), screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn household_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_household_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    household_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn household_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|env| household_journey(env, None)).await;
}
