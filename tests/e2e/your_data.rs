//! Your data, in and out, on each store: one bank file of each format (OFX,
//! QIF, CAMT.053) imported through the wizard, a backup from Settings, the
//! account deleted, a new account of the same name restored from the file —
//! and the same accounts, balances, net worth and transactions as before.
//! (`FINANCE_E2E_BACKUP_FILE` stands in for the save/open dialogs.)

use super::bank_import::{check, commit, open_bank_file};
use super::*;

/// Every account's name and balance (`data-amount`, the exact IPC decimal)
/// and the net worth, as the Accounts screen shows them.
async fn balances(ui: &Ui) -> serde_json::Value {
    ui.click("#nav-accounts").await;
    ui.wait_css("#net-worth[data-amount]").await;
    ui.js("({ accounts: [...document.querySelectorAll('.account-item')].map(li => [li.querySelector('.account-name')?.textContent, li.querySelector('.account-balance')?.dataset.amount]), netWorth: document.querySelector('#net-worth').dataset.amount })").await
}

/// The descriptions and amounts of the transactions list, as shown.
async fn listed(ui: &Ui) -> serde_json::Value {
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    ui.wait_js(
        "the list is loaded",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length > 0",
    )
    .await;
    ui.js("[...document.querySelectorAll('#transactions-table tbody tr[data-id]')].map(r => r.textContent.replace(/\\s+/g, ' ').trim())").await
}

async fn your_data_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    let vault = Vault::new(APP_ID);
    vault.delete(vault::SESSION).expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "yara").await;

    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    for file in [
        "banks/checking-sgml-1252.ofx",
        "banks/bank.qif",
        "banks/statement.camt053.xml",
    ] {
        open_bank_file(&ui, file).await;
        check(&ui).await;
        assert_ne!(commit(&ui).await, json!("0"), "{file} is imported");
    }
    let before = balances(&ui).await;
    let rows_before = listed(&ui).await;
    assert_ne!(
        before["netWorth"],
        json!("0.00"),
        "the imports moved the balances: {before}"
    );

    // Back up now (no passphrase).
    ui.click("#nav-settings").await;
    ui.wait_css("#backup-now").await;
    ui.click("#backup-now").await;
    ui.wait_js(
        "the backup is written",
        "[...document.querySelectorAll('#toasts *')].some(t => t.textContent.includes('Backed up'))",
    )
    .await;
    ui.js("document.querySelector('#settings-backups').scrollIntoView({ block: 'start' })")
        .await;
    ui.screenshot(shots.as_deref(), "settings-backups").await;

    // Delete the account.
    ui.fill("#delete-confirm", "yara").await;
    ui.fill("#delete-password", "tulip-river-93").await;
    ui.click("#delete-account").await;
    ui.wait_css("#login-form").await;

    // A new account of the same name, restored from the file.
    register(&ui, "yara").await;
    assert_eq!(
        balances(&ui).await["netWorth"],
        json!("0.00"),
        "the new account starts empty"
    );
    ui.click("#nav-settings").await;
    ui.wait_css("#restore-open").await;
    ui.click("#restore-open").await;
    ui.wait_js(
        "the restore is done",
        "[...document.querySelectorAll('#toasts *')].some(t => t.textContent.includes('Restored'))",
    )
    .await;
    assert_eq!(
        balances(&ui).await,
        before,
        "the same accounts, balances and net worth after the restore"
    );
    assert_eq!(
        listed(&ui).await,
        rows_before,
        "the same transactions, in the same order"
    );
    ui.close().await;
}

fn env_with_files(
    mut env: Vec<(&'static str, String)>,
    data: &Path,
) -> Vec<(&'static str, String)> {
    env.push(("FINANCE_E2E_IMPORT_DIR", fixture("")));
    env.push((
        "FINANCE_E2E_BACKUP_FILE",
        data.join("yara.financebackup").display().to_string(),
    ));
    env
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn your_data_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = env_with_files(sqlite_env(data.path()), data.path());
    your_data_journey(env, screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn your_data_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_your_data_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    let files = tempfile::tempdir().unwrap();
    your_data_journey(env_with_files(env, files.path()), None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}
