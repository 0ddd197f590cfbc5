//! Bank statement files on each store: an OFX file (SGML, Windows-1252), a
//! QIF file and a CAMT.053 statement go through the import wizard without a
//! column mapping (format, account and entries shown instead; a QIF file's
//! order of day and month asked when its dates read both ways), then the
//! same check and commit as CSV; the OFX file imported again is all
//! duplicates, by the bank's ids.

use super::*;

/// Open a bank fixture in the wizard (the e2e path hook, as `open_import`);
/// a bank file shows its description instead of the columns' preview.
pub(crate) async fn open_bank_file(ui: &Ui, name: &str) {
    ui.js(&format!(
        "document.body.dataset.e2eImportPath = {}",
        json!(fixture(name))
    ))
    .await;
    ui.click("#import-csv").await;
    ui.wait_css("#import-dialog #import-bank-file").await;
}

/// Check the opened file (choosing month-first dates when a QIF file asks)
/// and wait for the results; the ready and duplicates counts as shown.
pub(crate) async fn check(ui: &Ui) -> serde_json::Value {
    ui.click("#import-check").await;
    ui.wait_js(
        "the check's results or the date order question",
        "document.querySelector('#import-counts') || \
         !document.querySelector('#import-date-order').closest('.field').hidden",
    )
    .await;
    if ui.js("!document.querySelector('#import-counts')").await == json!(true) {
        ui.select("#import-date-order", "Month first (MM/DD/YY)")
            .await;
        ui.click("#import-check").await;
        ui.wait_css("#import-counts").await;
    }
    ui.js("[document.querySelector('[data-count=ready]').textContent, document.querySelector('[data-count=duplicates]').textContent]")
        .await
}

/// Commit the checked file and close the summary; the number imported.
pub(crate) async fn commit(ui: &Ui) -> serde_json::Value {
    ui.wait_js(
        "the commit button is ready",
        "!document.querySelector('#import-commit').disabled",
    )
    .await;
    ui.click("#import-commit").await;
    let summary = ui.wait_css("#import-summary").await;
    let imported = summary
        .attr("data-imported")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    ui.click("#import-done").await;
    json!(imported)
}

async fn bank_import_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "bea").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;

    for file in [
        "banks/checking-sgml-1252.ofx",
        "banks/bank.qif",
        "banks/statement.camt053.xml",
    ] {
        open_bank_file(&ui, file).await;
        assert!(
            ui.js("document.querySelector('#import-col-date') === null")
                .await
                .as_bool()
                .unwrap_or(false),
            "{file}: a bank file has no columns to map"
        );
        check(&ui).await;
        if file.ends_with(".xml") {
            ui.screenshot(shots.as_deref(), "import-bank").await;
        }
        let imported = commit(&ui).await;
        assert_ne!(imported, json!("0"), "{file}: its entries are imported");
    }

    // The OFX file again: every entry is a duplicate by its bank id.
    open_bank_file(&ui, "banks/checking-sgml-1252.ofx").await;
    check(&ui).await;
    ui.wait_js(
        "every row of the re-import is a duplicate",
        "document.querySelectorAll('#import-sample-table tbody tr').length > 0 && \
         [...document.querySelectorAll('#import-sample-table tbody tr')].every(r => r.classList.contains('duplicate'))",
    )
    .await;
    ui.click("#import-cancel").await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_import_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let mut env = sqlite_env(data.path());
    env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
    bank_import_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_import_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_bank_import_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, mut env) = mongo_env(data.path(), &db);
    env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
    bank_import_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bank_import_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|mut env| {
        env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
        bank_import_journey(env, None)
    })
    .await;
}
