//! Deleting one's account on each store (Settings → Delete my account): a
//! wrong password deletes nothing; the right one deletes the account, signs
//! out, clears the session from the keyring and this computer's per-user
//! settings; the username can no longer sign in and is free to register again
//! (with nothing of the old account in it).

use super::*;

async fn deletion_journey(env: Vec<(&'static str, String)>, shots: Option<PathBuf>) {
    let vault = Vault::new(APP_ID);
    vault.delete(vault::SESSION).expect("start signed out");
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "dora").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    add_transaction(&ui, "12.50", "Groceries", "Market").await;
    assert!(
        vault
            .get(vault::SESSION)
            .expect("read the keyring")
            .is_some(),
        "signed in: the session is in the keyring"
    );
    let user_keys = "Object.keys(localStorage).filter(k => k.startsWith('finance.') && k.split('.').length === 3 && k !== 'finance.transactions.filtersCollapsed').length";
    assert!(
        ui.js(user_keys).await.as_u64().unwrap_or(0) > 0,
        "saving a row remembered its account for this user on this computer"
    );

    ui.click("#nav-settings").await;
    ui.wait_css("#delete-account-form").await;
    ui.fill("#delete-confirm", "dora").await;
    ui.fill("#delete-password", "not-my-password").await;
    ui.click("#delete-account").await;
    ui.wait_js(
        "the wrong password is refused",
        "document.querySelector('#delete-account-form [data-error-for=password]')?.textContent.includes('not your current password')",
    )
    .await;
    ui.js("document.querySelector('#delete-account').scrollIntoView({ block: 'end' })")
        .await;
    ui.screenshot(shots.as_deref(), "settings-delete-account")
        .await;

    ui.fill("#delete-password", "tulip-river-93").await;
    ui.click("#delete-account").await;
    ui.wait_css("#login-form").await;
    assert!(
        ui.js("document.querySelector('#auth-notice')?.textContent.includes('were deleted')")
            .await
            .as_bool()
            .unwrap_or(false),
        "the sign-in screen says the account was deleted"
    );
    assert!(
        vault
            .get(vault::SESSION)
            .expect("read the keyring")
            .is_none(),
        "the deleted user's session left the keyring"
    );
    assert_eq!(
        ui.js(user_keys).await,
        json!(0),
        "no per-user setting of the deleted account stays on this computer"
    );

    // The old credentials no longer sign in; the name is free again, and empty.
    ui.fill("#login-form [name=username]", "dora").await;
    ui.fill("#login-form [name=password]", "tulip-river-93")
        .await;
    ui.click("#login-submit").await;
    ui.wait_js(
        "the deleted account cannot sign in",
        "!!document.querySelector('#login-form [role=alert]')?.textContent.trim()",
    )
    .await;
    register(&ui, "dora").await;
    ui.click("#nav-transactions").await;
    ui.wait_css("#transactions-table").await;
    ui.wait_js(
        "the new account starts empty",
        "document.querySelector('#transactions-table') && document.querySelectorAll('#transactions-table tbody tr[data-id]').length === 0",
    )
    .await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_deletion_on_sqlite() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    deletion_journey(sqlite_env(data.path()), screenshot_dir()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_deletion_on_mongodb() {
    let _one = SERIAL.lock().await;
    let db = format!("e2e_deletion_{}", std::process::id());
    let data = tempfile::tempdir().unwrap();
    let (uri, env) = mongo_env(data.path(), &db);
    deletion_journey(env, None).await;
    assert_embedded_store_unused(data.path());
    drop_e2e_database(&uri, &db).await;
}
