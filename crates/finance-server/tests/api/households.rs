//! Households over HTTP: the `Finance-Ledger` header chooses the ledger a
//! call acts on; a membership must be accepted first; a viewer is refused
//! writes with 403 (and nothing changes); a removed member's next call on
//! the ledger is 404 while their own ledger still answers; a header that is
//! no id is 422 naming it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Srv, expect, expect_error};

const LEDGER: &str = "Finance-Ledger";

async fn on(s: &Srv, method: Method, path: &str, token: &str, ledger: &str) -> reqwest::Response {
    s.req(method, path, Some(token))
        .header(LEDGER, ledger)
        .send()
        .await
        .expect("send")
}

async fn rows(s: &Srv, token: &str, ledger: Option<&str>) -> usize {
    let mut r = s
        .req(Method::POST, "/transactions/search", Some(token))
        .json(&json!({"limit": 50}));
    if let Some(l) = ledger {
        r = r.header(LEDGER, l);
    }
    let page = expect(r.send().await.unwrap(), StatusCode::OK, "the list").await;
    page["items"].as_array().expect("items").len()
}

pub async fn ledgers_roles_and_removal(s: &Srv) {
    let viewer = s.user("vera").await;
    let owner = s.user("olga").await;
    let me = expect(
        s.req(Method::GET, "/me", Some(&owner))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "the owner's profile",
    )
    .await;
    let ledger = me["ledger"]["id"]
        .as_str()
        .expect("a ledger id")
        .to_string();
    assert_eq!(
        me["ledger"]["own"], true,
        "one's own ledger without the header: {me}"
    );

    let cats = expect(
        s.req(Method::GET, "/categories", Some(&owner))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "categories",
    )
    .await;
    let food = cats
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "expense")
        .unwrap()["id"]
        .clone();
    let add = json!({"categoryId": food, "amount": "9.99", "date": "2024-05-01", "description": "Bread", "note": null});
    expect(
        s.req(Method::POST, "/transactions", Some(&owner))
            .json(&add)
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
        "the owner adds",
    )
    .await;

    expect_error(
        on(s, Method::GET, "/household", &viewer, &ledger).await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "a stranger's ledger is not found",
    )
    .await;
    let house = expect(
        s.req(Method::POST, "/household/members", Some(&owner))
            .json(&json!({"username": "vera", "role": "viewer"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "the owner invites",
    )
    .await;
    let vera = house["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "vera")
        .unwrap_or_else(|| panic!("vera invited: {house}"))["memberId"]
        .as_str()
        .unwrap()
        .to_string();
    expect_error(
        on(s, Method::GET, "/household", &viewer, &ledger).await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "an invitation is not a membership",
    )
    .await;
    let mine = expect(
        s.req(
            Method::POST,
            &format!("/invitations/{ledger}/accept"),
            Some(&viewer),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
        "vera accepts",
    )
    .await;
    assert_eq!(
        mine["ledgers"].as_array().map(Vec::len),
        Some(2),
        "her own and olga's: {mine}"
    );

    let profile = expect(
        on(s, Method::GET, "/me", &viewer, &ledger).await,
        StatusCode::OK,
        "me on olga's ledger",
    )
    .await;
    assert_eq!(
        (
            profile["username"].as_str(),
            profile["ledger"]["role"].as_str(),
            profile["ledger"]["own"].as_bool()
        ),
        (Some("vera"), Some("viewer"), Some(false)),
        "{profile}"
    );
    assert_eq!(
        rows(s, &viewer, Some(&ledger)).await,
        1,
        "the viewer reads olga's row"
    );
    let refused: Value = expect_error(
        s.req(Method::POST, "/transactions", Some(&viewer))
            .header(LEDGER, &ledger)
            .json(&add)
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
        "a viewer cannot write",
    )
    .await;
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or_default()
            .contains("viewer"),
        "the refusal names the role: {refused}"
    );
    assert_eq!(
        rows(s, &owner, None).await,
        1,
        "the refused write changed nothing"
    );

    expect(
        s.req(
            Method::DELETE,
            &format!("/household/members/{vera}"),
            Some(&owner),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
        "the owner removes vera",
    )
    .await;
    expect_error(
        s.req(Method::POST, "/transactions/search", Some(&viewer))
            .header(LEDGER, &ledger)
            .json(&json!({"limit": 50}))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "a removed member is refused at once",
    )
    .await;
    assert_eq!(
        rows(s, &viewer, None).await,
        0,
        "vera's own ledger still answers, empty"
    );

    expect_error(
        on(s, Method::GET, "/household", &owner, "not-an-id").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("Finance-Ledger"),
        "a header that is no id",
    )
    .await;
}
