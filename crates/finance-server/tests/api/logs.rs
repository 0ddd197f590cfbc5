//! Secrets never reach the server's logs (the server's half of the core's
//! `security::logs` test): everything logged at TRACE while registering,
//! signing in (right and wrong), calling with a bearer token and a query,
//! changing the password and signing out is captured and searched for each
//! secret; the request log lines are there, with their request ids.

use reqwest::{Method, StatusCode};
use serde_json::json;

use finance_testkit::captured_logs;

use super::harness::{PASSWORD, Srv, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_server_logs() {
    let logs = captured_logs();
    let s = Srv::start(Store::Sqlite, &[]).await;
    s.register("ann").await;
    let wrong = "wrong-guess-Zq81x";
    let res = s
        .req(Method::POST, "/auth/login", None)
        .json(&json!({"username": "ann", "password": wrong}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let token = s.login("ann").await;
    let query_secret = "query-secret-Hn27c";
    let res = s
        .req(
            Method::DELETE,
            &format!("/categories/0123456789abcdef01234567?moveTo={query_secret}"),
            Some(&token),
        )
        .header("x-request-id", "traced-request-77")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error());
    let new_password = "fresh-secret-Kv93m";
    let res = s
        .req(Method::POST, "/auth/password", Some(&token))
        .json(&json!({"currentPassword": PASSWORD, "newPassword": new_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = s
        .req(Method::POST, "/auth/logout", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    s.finish().await;

    let text = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    assert!(
        text.contains("signed in"),
        "the capture works (it saw the sign-in)"
    );
    assert!(
        text.lines().any(|l| l.contains("traced-request-77")
            && l.contains("answered")
            && l.contains("status=422")),
        "a request's log line holds its id and status"
    );
    for (what, secret) in [
        ("password", PASSWORD),
        ("wrong password", wrong),
        ("new password", new_password),
        ("session token", token.as_str()),
        ("query string", query_secret),
        ("Authorization header", "Bearer"),
    ] {
        assert!(!text.contains(secret), "the {what} appears in the logs");
    }
}
