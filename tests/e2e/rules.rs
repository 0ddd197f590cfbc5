//! Rules on each store: a rule made on the Rules screen categorises a bank
//! export without a category column (`tests/fixtures/banks/us-debit-credit.csv`)
//! in the import wizard's check and in what is saved; the other rows go to
//! "Other" / "Other income".

use super::*;

async fn rules_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "rita").await;

    // The rule: "shell oil" → Transport, renamed "Shell".
    ui.click("#nav-rules").await;
    ui.wait_css("[data-screen='rules'] #rule-list[aria-busy='false']")
        .await;
    ui.click("#new-rule").await;
    ui.wait_css("#rule-form").await;
    ui.fill("#rule-form [name=descriptionText]", "shell oil")
        .await;
    ui.select("#rule-form [name=categoryId]", "Transport").await;
    ui.fill("#rule-form [name=rename]", "Shell").await;
    ui.click("#rule-submit").await;
    ui.wait_js(
        "the rule is listed",
        "!document.querySelector('#rule-form') && document.querySelectorAll('.rule-row').length === 1",
    )
    .await;
    assert_eq!(
        ui.js("document.querySelector('.rule-row .rule-name').textContent")
            .await,
        json!("Description contains “shell oil”")
    );
    ui.screenshot(shots.as_deref(), "rules").await;

    // The bank file: its check shows the rule on the Shell row.
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    open_import(&ui, "banks/us-debit-credit.csv").await;
    ui.click("#import-check").await;
    ui.wait_css("#import-sample-table").await;
    assert_eq!(
        ui.js("[...document.querySelectorAll('#import-sample-table tbody tr')].map(r => [r.cells[3].textContent, r.cells[5].textContent])").await,
        json!([
            ["AMAZON MKTPLACE PMTS AMZN.COM/BILL WA", "Other"],
            ["PAYROLL ACME CORP", "Other income"],
            ["=HYPERLINK(\"http://evil.example/\",\"Refund\")", "Other"],
            ["Shell", "Transport rule: Description contains “shell oil”"]
        ]),
        "the rule's category and clean name, and the rule named"
    );
    ui.wait_js(
        "the commit button is ready",
        "!document.querySelector('#import-commit').disabled",
    )
    .await;
    ui.click("#import-commit").await;
    ui.wait_css("#import-summary").await;
    ui.click("#import-done").await;
    ui.wait_js(
        "the imported rows are listed",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 4",
    )
    .await;
    assert!(
        ui.js(&format!(
            "{}?.textContent.includes('Transport')",
            row_with("Shell")
        ))
        .await
        .as_bool()
        .unwrap_or(false),
        "the saved row is in the rule's category"
    );
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let mut env = sqlite_env(data.path());
    env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
    rules_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_rules_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, mut env) = mongo_env(data.path(), &db);
    env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
    rules_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_on_a_server() {
    let _one = SERIAL.lock().await;
    on_a_server(|mut env| {
        env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
        rules_journey(env, None)
    })
    .await;
}
