//! Steps the journeys share: sign-up, sign-in, sign-out, adding a row, opening an import.

use super::*;

pub(crate) async fn register(ui: &Ui, username: &str) {
    ui.click("#show-register").await;
    ui.fill("#register-form [name=username]", username).await;
    ui.fill("#register-form [name=password]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=confirmPassword]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=firstName]", "Ann").await;
    ui.fill("#register-form [name=lastName]", "Tester").await;
    ui.fill(
        "#register-form [name=email]",
        &format!("{username}@example.com"),
    )
    .await;
    ui.click("#register-submit").await;
    ui.wait_css("#nav-dashboard").await;
}

pub(crate) async fn login(ui: &Ui, username: &str) {
    ui.fill("#login-form [name=username]", username).await;
    ui.fill("#login-form [name=password]", "tulip-river-93")
        .await;
    ui.click("#login-submit").await;
    ui.wait_css("#nav-dashboard").await;
}

pub(crate) async fn logout(ui: &Ui) {
    ui.click("#nav-settings").await;
    ui.click("#logout").await;
    ui.wait_css("#login-form").await;
}

pub(crate) async fn add_transaction(ui: &Ui, amount: &str, category: &str, description: &str) {
    let before = ui.rows().await;
    ui.click("#new-transaction").await;
    choose_mode_for(ui, category).await;
    ui.fill("#transaction-form [name=amount]", amount).await;
    ui.select("#transaction-form [name=categoryId]", category)
        .await;
    ui.fill("#transaction-form [name=description]", description)
        .await;
    ui.click("#transaction-submit").await;
    ui.wait_js("the dialog closed and the row appeared", &format!(
        "!document.querySelector('#transaction-form') && document.querySelectorAll('#transactions-table tbody tr[data-id]').length === {}",
        before + 1
    ))
    .await;
}

/// The form offers the categories of its mode (Expense first): switch to Income when
/// `category` is not among the expense categories.
pub(crate) async fn choose_mode_for(ui: &Ui, category: &str) {
    let offered = ui
        .js(&format!(
            "[...document.querySelectorAll('#transaction-form [name=categoryId] option')].some(o => o.textContent === {})",
            json!(category)
        ))
        .await;
    if offered != serde_json::Value::Bool(true) {
        ui.click("#transaction-form label[for=mode-income]").await;
    }
}

pub(crate) fn row_with(description: &str) -> String {
    format!(
        "[...document.querySelectorAll('#transactions-table tbody tr[data-id]')].find(r => r.textContent.includes({}))",
        json!(description)
    )
}

pub(crate) fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Open a fixture in the import wizard: the test hook on <body> makes the wizard ask
/// Rust for `import_open_path` (e2e builds only) instead of the OS open dialog.
pub(crate) async fn open_import(ui: &Ui, name: &str) {
    open_import_path(ui, &fixture(name)).await;
}

/// [`open_import`] for any file inside the app's `FINANCE_E2E_IMPORT_DIR`.
pub(crate) async fn open_import_path(ui: &Ui, path: &str) {
    ui.js(&format!(
        "document.body.dataset.e2eImportPath = {}",
        json!(path)
    ))
    .await;
    ui.click("#import-csv").await;
    ui.wait_css("#import-dialog #import-preview-table").await;
}

/// Text of an element with everything but digits and the minus sign removed.
pub(crate) async fn digits_of(ui: &Ui, css: &str) -> String {
    let text = ui
        .js(&format!(
            "document.querySelector({})?.textContent ?? ''",
            json!(css)
        ))
        .await;
    text.as_str()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-' || *c == '−')
        .collect()
}
