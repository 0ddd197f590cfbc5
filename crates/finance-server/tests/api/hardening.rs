//! Security headers, request ids, CORS closed by default, the body limit.

use reqwest::{Method, StatusCode};

use super::harness::{Srv, expect_error};

pub async fn security_headers_and_request_ids(s: &Srv) {
    let res = s.req(Method::GET, "/health", None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(
            h.get(name).map(|v| v.to_str().unwrap()),
            Some(value),
            "{name} is set"
        );
    }
    assert!(
        h.get("strict-transport-security").is_none(),
        "no HSTS over plain HTTP"
    );
    let id = h
        .get("x-request-id")
        .expect("a request id is answered")
        .to_str()
        .unwrap();
    assert!(!id.is_empty());
    let res = s
        .req(Method::GET, "/health", None)
        .header("x-request-id", "client-chosen-42")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap()),
        Some("client-chosen-42"),
        "the client's request id is kept"
    );
}

pub async fn cors_is_closed_by_default(s: &Srv) {
    let res = s
        .req(Method::OPTIONS, "/categories", None)
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(
        !res.headers()
            .keys()
            .any(|k| k.as_str().starts_with("access-control-")),
        "a preflight gets no CORS header: {:?}",
        res.headers()
    );
    let res = s
        .req(Method::GET, "/health", None)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(
        !res.headers()
            .keys()
            .any(|k| k.as_str().starts_with("access-control-")),
        "a cross-origin GET gets no CORS header"
    );
}

pub async fn bodies_past_the_limit_are_refused(s: &Srv) {
    let t = s.user("ann").await;
    let big = format!(
        r#"{{"name":"{}","type":"expense"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    let res = s
        .req(Method::POST, "/categories", Some(&t))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::PAYLOAD_TOO_LARGE,
        "validation",
        None,
        "a 2 MiB body",
    )
    .await;
}

/// With `FINANCE_CORS_ORIGINS`, exactly the listed origin is allowed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_exactly_the_configured_origins() {
    let s = Srv::start(
        super::harness::Store::Sqlite,
        &[("FINANCE_CORS_ORIGINS", "https://finance.example.net")],
    )
    .await;
    let preflight = |origin: &'static str| {
        s.req(Method::OPTIONS, "/categories", None)
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let res = preflight("https://finance.example.net").await.unwrap();
    assert_eq!(
        res.headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().unwrap()),
        Some("https://finance.example.net"),
        "the configured origin is allowed"
    );
    let res = preflight("https://evil.example").await.unwrap();
    assert!(
        res.headers().get("access-control-allow-origin").is_none(),
        "another origin is not"
    );
    s.finish().await;
}
