//! The app in server mode over IPC (a real `finance-server` on loopback, in
//! its own runtime): a sign-out while the server is down stays pending in the
//! keyring, filed under the server, and is sent when it answers again — the
//! session is then refused by the server.

use finance_app::state::{AppState, ServerChoice};
use finance_app::vault::{self, Vault};
use finance_client::{Server, ServerUrl, Session, Trust};
use serde_json::json;

use super::{TestApp, config, paths, register, unique_service};

/// A server on `listener` over the store in `dir` (the signing key is kept
/// there, so a restart honours the same tokens).
fn serve(
    rt: &tokio::runtime::Runtime,
    dir: &std::path::Path,
    listener: std::net::TcpListener,
) -> finance_server::Running {
    let env = [
        ("FINANCE_DATA_DIR", dir.display().to_string()),
        ("FINANCE_BCRYPT_COST", "4".to_string()),
    ];
    let config = finance_server::ServerConfig::from_lookup(|k| {
        env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
    })
    .expect("the server's configuration");
    rt.block_on(async {
        let state = finance_server::AppState::open(&config)
            .await
            .expect("the server's store");
        finance_server::spawn(&config, state, listener)
            .await
            .expect("the server starts")
    })
}

#[test]
fn a_sign_out_while_the_server_is_down_is_sent_when_it_answers_again() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime for the server");
    let server_dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().unwrap();
    let running = serve(&rt, server_dir.path(), listener);
    let url = format!("http://{addr}");
    let choice = ServerChoice::from_lookup(|k| (k == "FINANCE_SERVER_URL").then(|| url.clone()))
        .expect("a loopback address")
        .expect("a server");
    let data = tempfile::tempdir().unwrap();
    let service = unique_service();
    let launch = || {
        let state = AppState::new(config(4), paths(data.path()), Vault::new(&service))
            .with_server(Some(choice.clone()));
        TestApp::with_state(state, &service)
    };
    let app = launch();
    let started = app.call("startup", None).expect("startup");
    assert_eq!(
        started["store"]["kind"], "server",
        "the app is in server mode"
    );
    register(&app, "sam").expect("signed up and in on the server");
    let vault = Vault::new(&service);
    let token = vault
        .get(vault::SERVER_SESSION)
        .expect("the keyring answers")
        .expect("the server's token is kept");
    assert_eq!(vault.get(vault::SESSION).unwrap(), None, "no local session");

    rt.block_on(running.shutdown()).expect("the server stops");
    let out = app
        .call("logout", None)
        .expect("a sign-out always succeeds here");
    assert_eq!(
        out["sessionEnded"],
        json!(false),
        "the server did not confirm it"
    );
    assert_eq!(
        vault.get(vault::SERVER_SESSION).unwrap(),
        None,
        "signed out on this computer"
    );
    let pending = vault
        .get(vault::PENDING_REVOCATIONS)
        .unwrap()
        .unwrap_or_default();
    assert!(pending.contains(&token), "the sign-out is pending");
    assert!(
        !pending.contains(&url),
        "filed under a digest, not the address"
    );
    drop(app);

    let running = serve(
        &rt,
        server_dir.path(),
        std::net::TcpListener::bind(addr).expect("the same port again"),
    );
    let app = launch();
    app.call("startup", None)
        .expect("startup with the server back");
    assert_eq!(
        vault.get(vault::PENDING_REVOCATIONS).unwrap(),
        None,
        "nothing left pending"
    );
    let server = Server::new(&ServerUrl::parse("url", &url).unwrap(), &Trust::Public).unwrap();
    let refused = rt
        .block_on(finance_client::session::me(&Session::new(server, token)))
        .expect_err("the session was ended on the server");
    assert_eq!(refused.code, finance_app::error::ErrorCode::Unauthorized);
    drop(app);
    rt.block_on(running.shutdown()).expect("the server stops");
}
