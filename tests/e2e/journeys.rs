//! The whole journey (sign-up to sign-out through every screen) on each store.

use super::*;

/// The whole journey on one store. `shots` receives screenshots of each main screen.
pub(crate) async fn journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    let entry = session_entry(&env);
    let kept = || Vault::new(APP_ID).get(entry).expect("the keyring answers");
    Vault::new(APP_ID).delete(entry).expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    ui.screenshot(shots.as_deref(), "login").await;

    // Register → signed in.
    ui.click("#show-register").await;
    ui.wait_css("#register-form").await;
    ui.screenshot(shots.as_deref(), "register").await;
    ui.click("#show-login").await;
    register(&ui, "ann").await;
    let token = kept().expect("the session token is in the keyring after sign-in");

    // A category and a budget.
    ui.click("#nav-categories").await;
    ui.fill("#category-name", "Hobbies").await;
    ui.select("#category-type", "Expense").await;
    ui.click("#category-form button[type=submit]").await;
    ui.wait_js("Hobbies is listed", "[...document.querySelectorAll('.category-item')].some(li => li.textContent.includes('Hobbies'))").await;
    ui.screenshot(shots.as_deref(), "categories").await;
    ui.click("#nav-budgets").await;
    ui.click("#new-budget").await;
    ui.select("#budget-form [name=categoryId]", "Hobbies").await;
    ui.fill("#budget-form [name=limit]", "100").await;
    ui.click("#budget-submit").await;
    ui.wait_css("#budget-list [data-budget-state='ok']").await;

    // Three transactions through the form, edit one, delete one and undo.
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    add_transaction(&ui, "30.00", "Hobbies", "Paint").await;
    add_transaction(&ui, "25.00", "Hobbies", "Brushes").await;
    add_transaction(&ui, "20.00", "Hobbies", "Canvas").await;
    ui.js(&format!(
        "{}.querySelector('[data-action=edit]').click()",
        row_with("Canvas")
    ))
    .await;
    ui.wait_css("#transaction-form[data-mode='edit']").await;
    ui.fill("#transaction-form [name=amount]", "30.00").await;
    ui.click("#transaction-submit").await;
    ui.wait_js(
        "the edited amount shows",
        &format!(
            "{}?.querySelector('[data-amount]')?.dataset.amount === '30.00'",
            row_with("Canvas")
        ),
    )
    .await;
    ui.screenshot(shots.as_deref(), "transactions").await;

    ui.js(&format!(
        "{}.querySelector('[data-action=delete]').click()",
        row_with("Brushes")
    ))
    .await;
    ui.click("#confirm-ok").await;
    ui.wait_js("Brushes is gone", &format!("!{}", row_with("Brushes")))
        .await;
    ui.click("#undo").await;
    ui.wait_js("Brushes is back", &row_with("Brushes")).await;
    assert_eq!(ui.rows().await, 3);

    // Filter by text.
    ui.fill("#search", "paint").await;
    ui.click("#apply-filters").await;
    ui.wait_js(
        "only Paint matches",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 1",
    )
    .await;
    assert!(ui.js(&row_with("Paint")).await.is_object());
    ui.click("#clear-filters").await;
    ui.wait_js(
        "all rows are back",
        "document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 3",
    )
    .await;

    // Bad input shows field errors and saves nothing.
    ui.click("#new-transaction").await;
    ui.screenshot(shots.as_deref(), "transaction-form").await;
    ui.select("#transaction-form [name=categoryId]", "Hobbies")
        .await;
    ui.fill("#transaction-form [name=description]", "Bad").await;
    // ("-5" on an expense is a refund, so a sign alone is no error.)
    for amount in ["", "abc", "--5", "12.345"] {
        ui.fill("#transaction-form [name=amount]", amount).await;
        ui.click("#transaction-submit").await;
        ui.wait_js(
            &format!("an amount error for {amount:?}"),
            "document.querySelector('[data-error-for=amount]')?.textContent.trim().length > 0",
        )
        .await;
    }
    ui.fill("#transaction-form [name=amount]", "5.00").await;
    ui.fill("#transaction-form [name=description]", &"x".repeat(201))
        .await;
    ui.click("#transaction-submit").await;
    ui.wait_js(
        "a description error",
        "document.querySelector('[data-error-for=description]')?.textContent.trim().length > 0",
    )
    .await;
    ui.click("#transaction-cancel").await;
    ui.wait_js(
        "the dialog closed",
        "!document.querySelector('#transaction-form')",
    )
    .await;
    assert_eq!(ui.rows().await, 3, "nothing was saved");

    // The budget is past 80 %: 30 + 25 + 30 = 85 of 100.
    ui.click("#nav-budgets").await;
    ui.wait_css("#budget-list [data-budget-state='warning']")
        .await;
    ui.screenshot(shots.as_deref(), "budgets").await;
    ui.click("#nav-dashboard").await;
    ui.wait_css("[data-screen='dashboard'] [data-budget-state='warning']")
        .await;
    ui.screenshot(shots.as_deref(), "dashboard").await;

    // The webview's storage holds no token.
    let storage = ui
        .js("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])")
        .await;
    assert!(
        !storage.to_string().contains(&token),
        "token found in web storage"
    );
    assert!(
        !storage.to_string().contains("eyJ"),
        "a JWT-looking value in web storage: {storage}"
    );

    // Log out: login screen, keyring entry gone. Log in again.
    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind").await;
    ui.screenshot(shots.as_deref(), "settings").await;
    logout(&ui).await;
    assert_eq!(kept(), None, "logout deletes the keyring entry");
    login(&ui, "ann").await;
    assert!(kept().is_some());

    // Quit and relaunch: the session resumes without a password.
    ui.close().await;
    let ui = driver.launch().await;
    ui.wait_css("#nav-dashboard").await;
    ui.wait_js(
        "the user is shown",
        "document.querySelector('#user-name')?.textContent.includes('Ann')",
    )
    .await;

    // A second user sees none of the first user's data.
    logout(&ui).await;
    ui.click("#show-register").await;
    ui.click("#show-login").await;
    register(&ui, "bob").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    ui.wait_js("bob's list shows it is empty", "document.querySelector('#transactions-table tbody')?.textContent.includes('No transactions')").await;
    assert_eq!(ui.rows().await, 0, "bob sees no transactions of ann");
    ui.click("#nav-categories").await;
    ui.wait_css(".category-item").await;
    assert_eq!(ui.js("[...document.querySelectorAll('.category-item')].some(li => li.textContent.includes('Hobbies'))").await, json!(false));
    ui.click("#nav-budgets").await;
    ui.wait_js("bob has no budgets", "document.querySelectorAll('#budget-list [data-budget-state]').length === 0 && document.querySelector('#budget-list')?.getAttribute('aria-busy') !== 'true'").await;
    logout(&ui).await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let env = sqlite_env(data.path());
    journey(env, screenshot_dir()).await;
    assert!(
        data.path().join("finance.sqlite3").exists(),
        "the embedded store was created in the data dir"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_on_a_server() {
    let _one = SERIAL.lock().await;
    let server = ServerAt::start().await;
    let data = tempfile::tempdir().unwrap();
    journey(server_env(data.path(), &server), None).await;
    assert!(
        !data.path().join("finance.sqlite3").exists(),
        "the app used the server, not an embedded store of its own"
    );
    assert!(
        server.dir.path().join("finance.sqlite3").exists(),
        "the server's store holds the data"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journey_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    journey(env, None).await;
    assert!(
        !data.path().join("finance.sqlite3").exists(),
        "MongoDB was used, not the embedded store"
    );
    let client = mongodb::Client::with_uri_str(&uri).await.expect("client");
    let users = client
        .database(&db)
        .collection::<mongodb::bson::Document>("users")
        .count_documents(mongodb::bson::doc! {})
        .await
        .expect("count users");
    assert_eq!(users, 2, "ann and bob were stored in MongoDB");
    client
        .database(&db)
        .drop()
        .await
        .expect("drop the e2e database");
}
