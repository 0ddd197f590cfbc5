//! Fast, locale-correct entry on each store: Settings → Formats set to the
//! German way, then five receipts of one shop typed at the keyboard — the
//! first through the whole form, the next four with "Save and add another"
//! (Ctrl+Enter), each only its amount, Tab, "Co", Enter (the suggestion from
//! the user's own history) and Ctrl+Enter — with
//! decimal commas, grouping and a minus for a refund; the list then shows
//! them in that format and the stored amounts are exact.

use fantoccini::key::Key;

use super::*;

pub(crate) async fn entry_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    Vault::new(APP_ID)
        .delete(session_entry(&env))
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "erin").await;

    ui.click("#nav-settings").await;
    ui.select("#format-number", "1.234,56 (German)").await;
    ui.select("#format-date", "DD.MM.YYYY (31.12.2025)").await;
    ui.wait_js(
        "the example shows the German format",
        "document.querySelector('#format-example')?.textContent.includes('7.620,00')",
    )
    .await;

    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    // "n" opens the form (the amount has the focus); the first receipt names everything.
    ui.keys("n").await;
    ui.wait_js(
        "the form is open with the amount focused",
        "document.activeElement?.name === 'amount'",
    )
    .await;
    ui.select("#transaction-form [name=categoryId]", "Groceries")
        .await;
    ui.click("#transaction-form [name=amount]").await;
    // The first receipt: the amount, Tab, the shop's name, Ctrl+Enter. Every next one: the
    // amount, Tab, "Co", Enter (takes the suggestion from the user's own history), Ctrl+Enter —
    // five keys besides the amount's.
    let receipts = ["1.234,50", "4,20", "12", "-3,10", "0,99"];
    for (i, amount) in receipts.iter().enumerate() {
        if i == 0 {
            ui.keys(&format!("{amount}{}Corner shop", Key::Tab)).await;
        } else {
            ui.keys(&format!("{amount}{}Co", Key::Tab)).await;
            ui.wait_js(
                "the suggestion from the first receipt shows",
                "document.querySelector('#description-suggestion:not([hidden])')?.textContent.includes('Corner shop')",
            )
            .await;
            ui.keys(&Key::Enter.to_string()).await;
            ui.wait_js(
                "Enter took the suggestion",
                "document.querySelector('#transaction-form [name=description]').value === 'Corner shop'",
            )
            .await;
        }
        ui.keys(&(Key::Control + &Key::Enter.to_string())).await;
        ui.wait_js(
            &format!("receipt {} saved, the form ready for the next", i + 1),
            &format!(
                "document.querySelector('#transaction-added')?.textContent.startsWith('{} added') && document.activeElement?.name === 'amount' && document.querySelectorAll('#transactions-table tbody tr[data-id]').length === {}",
                i + 1,
                i + 1
            ),
        )
        .await;
    }
    ui.wait_js(
        "the date and category were kept",
        "document.querySelector('#transaction-form [name=categoryId]').selectedOptions[0]?.textContent === 'Groceries' && /^\\d{2}\\.\\d{2}\\.\\d{4}$/.test(document.querySelector('#transaction-form [name=date]').value)",
    )
    .await;
    ui.screenshot(shots.as_deref(), "save-and-add-another")
        .await;
    ui.click("#transaction-cancel").await;

    ui.wait_js(
        "five rows of the shop, stored exactly (an expense positive, the refund negative)",
        "JSON.stringify([...document.querySelectorAll('#transactions-table tbody tr[data-id]')].filter(r => r.textContent.includes('Corner shop')).map(r => r.querySelector('.amount')?.dataset.amount).sort()) === JSON.stringify(['-3.10', '0.99', '12.00', '1234.50', '4.20'])",
    )
    .await;
    ui.wait_js(
        "a typed minus on an expense is a refund",
        "document.querySelectorAll('#transactions-table tbody .amount.refund').length === 1",
    )
    .await;
    ui.wait_js(
        "the list shows amounts the German way",
        "[...document.querySelectorAll('#transactions-table tbody .amount')].some(a => a.textContent.replace(/\\s/g, ' ').includes('1.234,50'))",
    )
    .await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entry_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = sqlite_env(data.path());
    entry_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entry_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_entry_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    entry_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entry_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|env| entry_journey(env, None)).await;
}
