//! Settings → a Finance server: on the embedded store, the person checks a
//! server's address, sees the fingerprint of its self-signed certificate,
//! can only use it once they confirm the fingerprints match, and is signed
//! out; the next start talks to that server (a new account there, Settings
//! naming the server). The server is `finance-server` in the test process.

use super::*;

/// Deletes the server choice and its session from the keyring when the
/// journey ends, passed or failed: the other journeys share the keyring, and
/// a chosen server would take them off their store.
struct ForgetServerChoice;

impl Drop for ForgetServerChoice {
    fn drop(&mut self) {
        let vault = Vault::new(APP_ID);
        for entry in [vault::SERVER, vault::SERVER_SESSION] {
            let _ = vault.delete(entry);
        }
    }
}

async fn server_choice_journey(shots: Option<PathBuf>) {
    let server = ServerAt::start().await;
    let data = tempfile::tempdir().unwrap();
    let _cleanup = ForgetServerChoice;
    let vault = Vault::new(APP_ID);
    for entry in [vault::SESSION, vault::SERVER, vault::SERVER_SESSION] {
        vault
            .delete(entry)
            .expect("start with no session or server chosen");
    }
    let driver = Driver::start(&sqlite_env(data.path()));
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "sam").await;

    ui.click("#nav-settings").await;
    ui.fill("#server-url", &server.url).await;
    ui.click("#check-server").await;
    ui.wait_js(
        "the certificate's fingerprint is shown to compare",
        &format!(
            "document.querySelector('#server-fingerprint')?.textContent.trim() === '{}'",
            server.fingerprint
        ),
    )
    .await;
    assert_eq!(
        ui.js("document.querySelector('#use-server').disabled")
            .await,
        json!(true),
        "the server cannot be used before the fingerprints are confirmed"
    );
    ui.click("#server-fingerprint-ok").await;
    ui.fill("#server-password", "tulip-river-93").await;
    ui.js("document.querySelector('#server-choice').scrollIntoView({ block: 'start' })")
        .await;
    ui.screenshot(shots.as_deref(), "settings-server").await;
    ui.click("#use-server").await;
    ui.wait_css("#login-form").await;
    let saved = vault
        .get(vault::SERVER)
        .expect("the keyring answers")
        .expect("the chosen server is kept in the keyring");
    assert!(
        saved.contains(&server.url) && saved.contains(&server.fingerprint),
        "the address and the confirmed fingerprint are kept"
    );

    // The next start works on the server: a new account there.
    ui.close().await;
    let ui = driver.launch().await;
    ui.wait_css("#login-form").await;
    register(&ui, "sam").await;
    assert!(
        vault
            .get(vault::SERVER_SESSION)
            .expect("the keyring answers")
            .is_some(),
        "the server's token is in the keyring"
    );
    ui.click("#nav-settings").await;
    ui.wait_js(
        "Settings names the server in use",
        "document.querySelector('#store-kind')?.dataset.kind === 'server'",
    )
    .await;
    assert_eq!(
        ui.js("document.querySelector('#store-location').textContent.trim()")
            .await,
        json!(server.url),
        "the server's address is shown"
    );
    logout(&ui).await;
    ui.close().await;
    drop(driver);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choosing_a_server_with_a_self_signed_certificate() {
    let _one = SERIAL.lock().await;
    server_choice_journey(screenshot_dir()).await;
}
