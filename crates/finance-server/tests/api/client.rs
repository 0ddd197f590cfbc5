//! The desktop's client (`crates/finance-client`) against the real server:
//! every area's calls round trip over HTTP on both stores, and over TLS a
//! self-signed certificate is used only once pinned by its fingerprint.

use finance_api::ErrorCode;
use finance_client::{Fingerprint, Server, ServerUrl, Session, Trust, probe};
use finance_client::{
    accounts, budgets, categories, members, reports, session, transactions, transfers,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::harness::{PASSWORD, Srv, tls_server};

/// An input DTO from JSON, as the webview sends it.
pub fn input<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("a well-formed input")
}

pub async fn sign_up(server: &Server, username: &str) -> Session {
    session::register(
        server,
        input(json!({
            "username": username, "password": PASSWORD, "firstName": "Ann",
            "lastName": "Lee", "email": format!("{username}@example.com"), "currency": "EUR"
        })),
    )
    .await
    .expect("registered");
    let (s, profile) = session::login(
        server,
        input(json!({ "username": username, "password": PASSWORD })),
    )
    .await
    .expect("signed in");
    assert_eq!(
        profile.username, username,
        "the profile is the signed-in person's"
    );
    s
}

pub fn server_of(srv: &Srv) -> Server {
    let url = srv.base.trim_end_matches("/api/v1");
    let url = ServerUrl::parse("serverUrl", url).expect("a loopback address");
    Server::new(&url, &Trust::Public).expect("a client")
}

/// Every area through the client: what it writes reads back, ids travel in
/// paths, queries and bodies as the routes expect.
pub async fn the_client_round_trips_every_area(srv: &Srv) {
    let server = server_of(srv);
    let ann = sign_up(&server, "ann").await;
    assert_eq!(session::me(&ann).await.expect("me").username, "ann");

    // Categories.
    let hobbies =
        categories::add_category(&ann, input(json!({"name": "Hobbies", "type": "expense"})))
            .await
            .expect("added");
    let renamed =
        categories::rename_category(&ann, input(json!({"id": hobbies.id, "name": "Crafts"})))
            .await
            .expect("renamed");
    assert_eq!(renamed.name, "Crafts");
    let all = categories::list_categories(&ann, ()).await.expect("listed");
    assert!(
        all.iter().any(|c| c.id == hobbies.id && c.name == "Crafts"),
        "the rename is stored"
    );

    // Accounts.
    let accounts = accounts::add_account(
        &ann,
        input(
            json!({"name": "Savings", "type": "savings", "openingBalance": "100.00",
                     "openingDate": "2026-01-01", "note": null}),
        ),
    )
    .await
    .expect("account added");
    let savings = accounts
        .accounts
        .iter()
        .find(|a| a.name == "Savings")
        .expect("listed")
        .clone();
    let main = accounts
        .accounts
        .iter()
        .find(|a| a.name != "Savings")
        .expect("the Main account")
        .clone();
    let updated = accounts::update_account(
        &ann,
        input(
            json!({"id": savings.id, "name": "Rainy day", "type": "savings",
                     "openingBalance": "100.00", "openingDate": "2026-01-01", "note": "kept"}),
        ),
    )
    .await
    .expect("updated");
    assert!(
        updated
            .accounts
            .iter()
            .any(|a| a.id == savings.id && a.name == "Rainy day")
    );

    // Transactions: add, read, edit, search, delete.
    let t = transactions::add_transaction(
        &ann,
        input(
            json!({"accountId": main.id, "categoryId": hobbies.id, "amount": "12.50",
                     "date": "2026-03-04", "description": "Paint", "note": null,
                     "idempotencyKey": "c0ffee00-0000-4000-8000-000000000001"}),
        ),
    )
    .await
    .expect("transaction added");
    assert_eq!(t.amount, "12.50");
    let again = transactions::get_transaction(&ann, input(json!({"id": t.id})))
        .await
        .expect("read");
    assert_eq!(again.description, "Paint");
    let edited = transactions::update_transaction(
        &ann,
        input(
            json!({"id": t.id, "accountId": main.id, "categoryId": hobbies.id,
                     "amount": "13.00", "date": "2026-03-04", "description": "Paint",
                     "note": null}),
        ),
    )
    .await
    .expect("edited");
    assert_eq!(edited.amount, "13.00");
    let page = transactions::list_transactions(&ann, input(json!({"text": "paint", "limit": 10})))
        .await
        .expect("searched");
    assert_eq!(page.items.len(), 1, "the search body's filter is applied");

    // Budgets.
    let budget = budgets::add_budget(
        &ann,
        input(json!({"categoryId": hobbies.id, "limit": "100.00", "period": "monthly"})),
    )
    .await
    .expect("budget added");
    let listed = budgets::list_budgets(&ann, input(json!({"date": "2026-03-10"})))
        .await
        .expect("budgets");
    let b = listed.iter().find(|b| b.id == budget.id).expect("listed");
    assert_eq!(b.spent, "13.00", "the query's date chooses March");
    budgets::delete_budget(&ann, input(json!({"id": budget.id})))
        .await
        .expect("deleted");

    // Transfers.
    let tr = transfers::add_transfer(
        &ann,
        input(
            json!({"fromAccountId": main.id, "toAccountId": savings.id, "amount": "5.00",
                     "date": "2026-03-05", "description": "Save", "note": null}),
        ),
    )
    .await
    .expect("transfer added");
    let got = transfers::get_transfer(&ann, input(json!({"id": tr.id})))
        .await
        .expect("read");
    assert_eq!(got.amount, "5.00");
    transfers::delete_transfer(&ann, input(json!({"id": tr.id})))
        .await
        .expect("deleted");

    // Reports.
    let summary = reports::summary(
        &ann,
        input(json!({"from": "2026-03-01", "to": "2026-03-31"})),
    )
    .await
    .expect("summary");
    assert_eq!(summary.expense, "13.00", "the query's span is applied");
    reports::report(
        &ann,
        input(json!({"from": "2026-01-01", "to": "2026-12-31"})),
    )
    .await
    .expect("report");
    reports::net_worth_series(
        &ann,
        input(json!({"from": "2026-01-01", "to": "2026-03-31"})),
    )
    .await
    .expect("net worth");
    reports::dashboard(&ann, input(json!({"date": "2026-03-10"})))
        .await
        .expect("dashboard");

    // Deletes with query flags.
    transactions::delete_transaction(&ann, input(json!({"id": t.id})))
        .await
        .expect("deleted");
    let usage = categories::category_usage(&ann, input(json!({"id": hobbies.id})))
        .await
        .expect("usage");
    assert_eq!(usage.transactions, 0, "the delete reached the store");
    categories::delete_category(&ann, input(json!({"id": hobbies.id})))
        .await
        .expect("deleted");
    accounts::remove_account(&ann, input(json!({"id": savings.id, "moveTo": main.id})))
        .await
        .expect("removed");

    // Households: a session on another ledger sends the header.
    let bob = sign_up(&server, "bob").await;
    members::invite_member(&ann, input(json!({"username": "bob", "role": "viewer"})))
        .await
        .expect("invited");
    let bobs = members::household(&bob, ()).await.expect("bob's household");
    let invitation = bobs
        .invitations
        .first()
        .expect("bob sees the invitation")
        .clone();
    members::accept_invitation(&bob, input(json!({"ledgerId": invitation.ledger_id})))
        .await
        .expect("accepted");
    let bob_on_ann = bob.on_ledger(Some(invitation.ledger_id.clone()));
    let seen = categories::list_categories(&bob_on_ann, ())
        .await
        .expect("a viewer reads");
    assert_eq!(
        seen.len(),
        all.len() - 1,
        "bob reads ann's categories (less the deleted one)"
    );
    let refused =
        categories::add_category(&bob_on_ann, input(json!({"name": "X", "type": "expense"})))
            .await
            .expect_err("a viewer writes nothing");
    assert_eq!(
        refused.code,
        ErrorCode::Forbidden,
        "the server's own error comes through"
    );
    assert_eq!(
        session::me(&bob_on_ann).await.expect("me").ledger.id,
        invitation.ledger_id
    );
    members::leave_ledger(&bob, input(json!({"ledgerId": invitation.ledger_id})))
        .await
        .expect("left");
    let gone = categories::list_categories(&bob_on_ann, ())
        .await
        .expect_err("no longer a member");
    assert_eq!(gone.code, ErrorCode::NotFound);

    // The person's own: currency (nothing holds amounts in bob's), password, sign-out.
    assert_eq!(
        session::currency_usage(&bob, ())
            .await
            .expect("usage")
            .transactions,
        0
    );
    let p = session::change_currency(&bob, input(json!({"currency": "USD"})))
        .await
        .expect("changed");
    assert_eq!(p.currency, "USD");
    session::logout(&ann).await.expect("signed out");
    let after = session::me(&ann).await.expect_err("the token is revoked");
    assert_eq!(after.code, ErrorCode::Unauthorized);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_is_used_only_once_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let (running, made, cert) = tls_server(dir.path()).await;
    let url = ServerUrl::parse(
        "serverUrl",
        &format!("https://127.0.0.1:{}", running.addr.port()),
    )
    .expect("an https address");

    let seen = probe(&url).await.expect("the probe reads /health");
    let expected = Fingerprint::of(made.cert.der());
    assert_eq!(
        finance_server::certificate_fingerprint(&cert),
        Some(expected),
        "the server prints the fingerprint the app shows"
    );
    assert_eq!(
        seen.fingerprint,
        Some(expected),
        "the probe shows the certificate it was given"
    );
    assert!(
        !seen.publicly_trusted,
        "no authority vouches for a self-signed certificate"
    );

    let public = Server::new(&url, &Trust::Public).unwrap();
    let e = session::login(
        &public,
        input(json!({"username": "x", "password": PASSWORD})),
    )
    .await
    .expect_err("not trusted without the pin");
    assert_eq!(e.code, ErrorCode::Unavailable, "{e:?}");

    let other = Fingerprint::of(b"another certificate");
    let wrong = Server::new(&url, &Trust::Pinned(other)).unwrap();
    let e = session::login(
        &wrong,
        input(json!({"username": "x", "password": PASSWORD})),
    )
    .await
    .expect_err("another certificate than the pinned one is refused");
    assert_eq!(e.code, ErrorCode::Unavailable);
    assert!(
        e.message.contains("different certificate"),
        "says why: {}",
        e.message
    );

    let pinned = Server::new(&url, &Trust::Pinned(expected)).unwrap();
    let ann = sign_up(&pinned, "ann").await;
    let cats = categories::list_categories(&ann, ())
        .await
        .expect("calls work over the pinned connection");
    assert!(!cats.is_empty(), "the default categories");
    running.shutdown().await.unwrap();
}
