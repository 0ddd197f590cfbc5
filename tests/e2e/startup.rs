//! What the window says when the store, the keyring or the configuration is missing or refused.

use super::*;

/// MongoDB configured but unreachable: a clear screen with Retry and "use the local
/// store for now" — never a hang or a blank window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_mongodb_offers_retry_and_the_local_store() {
    let _one = SERIAL.lock().await;
    Vault::new(APP_ID)
        .delete(vault::SESSION)
        .expect("start signed out");
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    // Nothing listens on this port.
    env.push((
        "MONGODB_URI",
        format!("mongodb://127.0.0.1:{}", free_port()),
    ));
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#mongo-error").await;
    ui.wait_js(
        "the reason is shown",
        "document.querySelector('#mongo-error-detail')?.textContent.trim().length > 0",
    )
    .await;
    ui.click("#retry-mongo").await;
    ui.wait_js("the retry ends on the same screen", "!!document.querySelector('#mongo-error') && !document.querySelector('#retry-mongo')?.disabled").await;
    ui.click("#use-local-store").await;
    ui.wait_css("#login-form").await;
    ui.wait_css("#fallback-notice").await;
    register(&ui, "carol").await;
    ui.click("#nav-settings").await;
    ui.wait_css("#store-kind[data-kind='sqlite']").await;
    ui.wait_css("#store-fallback").await;
    logout(&ui).await;
    ui.close().await;
    assert!(
        data.path().join("finance.sqlite3").exists(),
        "the local store was used"
    );
}

/// No Secret Service: a clear message at sign-in explaining what is missing, not a crash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_keyring_sign_in_explains_what_is_missing() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push((
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/finance-test-bus".into(),
    ));
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    ui.wait_js(
        "the keyring notice names the Secret Service",
        "document.querySelector('#keyring-error')?.textContent.includes('Secret Service')",
    )
    .await;
    ui.click("#show-register").await;
    ui.fill("#register-form [name=username]", "dave").await;
    ui.fill("#register-form [name=password]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=confirmPassword]", "tulip-river-93")
        .await;
    ui.fill("#register-form [name=firstName]", "Dave").await;
    ui.fill("#register-form [name=lastName]", "Tester").await;
    ui.fill("#register-form [name=email]", "dave@example.com")
        .await;
    ui.click("#register-submit").await;
    ui.wait_js("the form explains the keyring is missing", "document.querySelector('#register-form [data-form-error]')?.textContent.includes('Secret Service')").await;
    assert_eq!(
        ui.js("!!document.querySelector('#nav-dashboard')").await,
        json!(false),
        "not signed in"
    );
    ui.close().await;
}

/// A weak `FINANCE_JWT_SECRET` stops the app with a message naming the
/// variable, in the window (not a blank window, not a sign-in that lasts one run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weak_jwt_secret_is_explained_in_the_window() {
    let _one = SERIAL.lock().await;
    let data = tempfile::tempdir().unwrap();
    let mut env = base_env(data.path());
    env.push(("MONGODB_URI", String::new()));
    env.push(("FINANCE_JWT_SECRET", "too-short-a-secret".into()));
    let driver = Driver::start(&env);
    let ui = driver.launch().await;
    ui.wait_css("#config-error").await;
    ui.wait_js(
        "the message names the variable, not its value",
        "(t => t.includes('FINANCE_JWT_SECRET') && !t.includes('too-short-a-secret'))(document.querySelector('#config-error-detail')?.textContent ?? '')",
    )
    .await;
    assert_eq!(
        ui.js("!!document.querySelector('#login-form')").await,
        json!(false),
        "nothing to sign in to"
    );
    ui.close().await;
    assert!(
        !data.path().join("finance.sqlite3").exists(),
        "no store was opened"
    );
}
