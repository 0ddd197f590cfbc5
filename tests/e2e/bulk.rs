//! Bulk edits on each store: four rows entered through the form, three of
//! them selected (a box, then a shift-click for the range), re-categorised
//! in one action — the list and the filter's totals follow —, then two
//! deleted and brought back with Undo (the same rows).

use super::*;

/// The filter totals line's figure `part` (`income`, `expense`, `net`), as the IPC string.
fn total(part: &str) -> String {
    format!("document.querySelector('#filter-totals .total-{part} strong')?.dataset.amount")
}

fn box_of(description: &str) -> String {
    format!(
        "{}?.querySelector('input[data-action=select]')",
        row_with(description)
    )
}

/// Click the selection box of the row `description` (with shift: a range).
async fn tick(ui: &Ui, description: &str, shift: bool) {
    ui.js(&format!(
        "{}?.dispatchEvent(new MouseEvent('click', {{ bubbles: true, shiftKey: {shift} }}))",
        box_of(description)
    ))
    .await;
}

/// The chips (category labels) of the listed rows, sorted.
const CHIPS: &str = "[...document.querySelectorAll('#transactions-table .chip')].map(c => c.textContent).sort().join('|')";

pub(crate) async fn bulk_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    Vault::new(APP_ID)
        .delete(session_entry(&env))
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "bea").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    for (amount, description) in [
        ("12.00", "Corner shop"),
        ("30.50", "Pizza night"),
        ("8.25", "Bakery"),
        ("45.00", "Market"),
    ] {
        add_transaction(&ui, amount, "Groceries", description).await;
    }
    ui.wait_js(
        "four rows and their totals",
        &format!("document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 4 && ({}) === '95.75'", total("expense")),
    )
    .await;

    // Newest first: Market, Bakery, Pizza night, Corner shop. A box, then a shift-click.
    tick(&ui, "Market", false).await;
    tick(&ui, "Pizza night", true).await;
    ui.wait_js(
        "three rows selected",
        "document.querySelector('#bulk-count')?.textContent === '3 transactions selected.'",
    )
    .await;
    ui.select("#bulk-category", "Eating out").await;
    ui.screenshot(shots.as_deref(), "bulk-bar").await;
    ui.click("#bulk-set-category").await;
    ui.wait_js(
        "the three rows moved to Eating out",
        &format!("({CHIPS}) === 'Eating out|Eating out|Eating out|Groceries'"),
    )
    .await;
    ui.wait_js(
        "the selection is done",
        "document.querySelector('#bulk-bar').hidden",
    )
    .await;

    // The totals follow the filter: Eating out only.
    ui.js(
        "(() => { const s = document.querySelector('#filter-category'); for (const o of s.options) o.selected = o.textContent === 'Eating out'; s.dispatchEvent(new Event('change', { bubbles: true })); })()",
    )
    .await;
    ui.wait_js(
        "the filter's totals",
        &format!(
            "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 3 && ({}) === '83.75' && document.querySelector('#filter-totals .total-count')?.dataset.count === '3'",
            total("expense")
        ),
    )
    .await;

    // Delete two of them, then Undo: the same rows come back.
    let ids_before = ui
        .js("[...document.querySelectorAll('#transactions-table tbody tr[data-id]')].map(r => r.dataset.id).sort().join(',')")
        .await;
    tick(&ui, "Market", false).await;
    tick(&ui, "Bakery", false).await;
    ui.click("#bulk-delete").await;
    ui.click("#confirm-ok").await;
    ui.wait_js(
        "two rows deleted",
        &format!(
            "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 1 && ({}) === '30.50'",
            total("expense")
        ),
    )
    .await;
    ui.click("#bulk-undo").await;
    ui.wait_js(
        "the same rows are back",
        &format!(
            "[...document.querySelectorAll('#transactions-table tbody tr[data-id]')].map(r => r.dataset.id).sort().join(',') === {ids_before} && ({}) === '83.75'",
            total("expense")
        ),
    )
    .await;

    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind").await;
    logout(&ui).await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = sqlite_env(data.path());
    bulk_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_bulk_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    bulk_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|env| bulk_journey(env, None)).await;
}
