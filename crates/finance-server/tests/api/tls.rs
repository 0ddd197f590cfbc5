//! TLS: with FINANCE_TLS_CERT/FINANCE_TLS_KEY the server speaks HTTPS only
//! (rustls) and adds HSTS.

use reqwest::{Certificate, Client, StatusCode};

use super::harness::{config, crypto, tls_server};
use finance_server::AppState;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_with_a_self_signed_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (running, made, _) = tls_server(dir.path()).await;
    let port = running.addr.port();
    let client = Client::builder()
        .tls_certs_only([Certificate::from_pem(made.cert.pem().as_bytes()).unwrap()])
        .resolve("localhost", running.addr)
        .build()
        .unwrap();
    let res = client
        .get(format!("https://localhost:{port}/api/v1/health"))
        .send()
        .await
        .expect("an HTTPS request with the server's certificate trusted");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers().get("strict-transport-security").is_some(),
        "HSTS over TLS"
    );
    let plain = Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/health"))
        .send()
        .await;
    assert!(
        plain.map(|r| r.status() != StatusCode::OK).unwrap_or(true),
        "plain HTTP is not served on the TLS port"
    );
    let untrusting = Client::builder()
        .tls_certs_only([])
        .resolve("localhost", running.addr)
        .build()
        .unwrap();
    assert!(
        untrusting
            .get(format!("https://localhost:{port}/api/v1/health"))
            .send()
            .await
            .is_err(),
        "a client that does not trust the certificate is refused"
    );
    running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_certificate_is_a_clear_error() {
    crypto();
    let dir = tempfile::tempdir().unwrap();
    let config = config(
        dir.path(),
        &[
            ("FINANCE_TLS_CERT", "/nonexistent/cert.pem"),
            ("FINANCE_TLS_KEY", "/nonexistent/key.pem"),
        ],
    );
    let state = AppState::open(&config).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let e = finance_server::spawn(&config, state, listener)
        .await
        .err()
        .expect("no server without its certificate");
    assert!(e.to_string().contains("FINANCE_TLS_CERT"), "{e}");
}
