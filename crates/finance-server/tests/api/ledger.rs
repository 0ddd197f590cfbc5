//! Accounts, budgets and transactions over HTTP: a short day of bookkeeping,
//! and another user's ids answering not found.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Srv, expect, expect_error};

async fn call(
    s: &Srv,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
    status: StatusCode,
    why: &str,
) -> Value {
    let mut r = s.req(method, path, Some(token));
    if let Some(b) = body {
        r = r.json(&b);
    }
    expect(r.send().await.unwrap(), status, why).await
}

pub async fn accounts_budgets_and_transactions(s: &Srv) {
    let t = s.user("ann").await;
    let accounts = call(s, Method::POST, "/accounts", &t,
        Some(json!({"name": "Savings", "type": "savings", "openingBalance": "100.00", "openingDate": "2024-01-01", "note": null})),
        StatusCode::CREATED, "add an account").await;
    let list = accounts["accounts"].as_array().unwrap();
    assert_eq!(list.len(), 2, "Main and Savings: {accounts}");
    let savings = list.iter().find(|a| a["name"] == "Savings").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let categories = call(
        s,
        Method::GET,
        "/categories",
        &t,
        None,
        StatusCode::OK,
        "categories",
    )
    .await;
    let groceries = categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "expense")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tx = call(s, Method::POST, "/transactions", &t,
        Some(json!({"accountId": savings, "categoryId": groceries, "amount": "12.34", "date": "2024-02-03", "description": "Market", "note": null})),
        StatusCode::CREATED, "add a transaction").await;
    let id = tx["id"].as_str().unwrap().to_string();
    let got = call(
        s,
        Method::GET,
        &format!("/transactions/{id}"),
        &t,
        None,
        StatusCode::OK,
        "get it",
    )
    .await;
    assert_eq!(got["description"], "Market");
    let edited = call(s, Method::PUT, &format!("/transactions/{id}"), &t,
        Some(json!({"accountId": savings, "categoryId": groceries, "amount": "10.00", "date": "2024-02-03", "description": "Market", "note": "fixed"})),
        StatusCode::OK, "edit it").await;
    assert_eq!(edited["note"], "fixed");
    let page = call(
        s,
        Method::POST,
        "/transactions/search",
        &t,
        Some(json!({"accountId": savings, "limit": 10})),
        StatusCode::OK,
        "search",
    )
    .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    let res = s
        .req(Method::POST, "/transactions/search", Some(&t))
        .json(&json!({"limit": 100000}))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("limit"),
        "the page size is capped",
    )
    .await;
    let budget = call(
        s,
        Method::POST,
        "/budgets",
        &t,
        Some(json!({"categoryId": groceries, "limit": "200.00", "period": "monthly"})),
        StatusCode::CREATED,
        "add a budget",
    )
    .await;
    let budgets = call(
        s,
        Method::GET,
        "/budgets?date=2024-02-10",
        &t,
        None,
        StatusCode::OK,
        "budgets",
    )
    .await;
    assert_eq!(budgets.as_array().unwrap().len(), 1, "{budgets}");
    let usage = call(
        s,
        Method::GET,
        &format!("/accounts/{savings}/usage"),
        &t,
        None,
        StatusCode::OK,
        "usage",
    )
    .await;
    assert!(usage.is_object(), "{usage}");

    let bob = s.user("bob").await;
    for (method, path) in [
        (Method::GET, format!("/transactions/{id}")),
        (Method::DELETE, format!("/transactions/{id}")),
        (
            Method::DELETE,
            format!("/budgets/{}", budget["id"].as_str().unwrap()),
        ),
        (Method::GET, format!("/accounts/{savings}/usage")),
    ] {
        let res = s
            .req(method.clone(), &path, Some(&bob))
            .send()
            .await
            .unwrap();
        expect_error(
            res,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            &format!("{method} {path} as another user"),
        )
        .await;
    }

    let gone = call(
        s,
        Method::DELETE,
        &format!("/transactions/{id}"),
        &t,
        None,
        StatusCode::OK,
        "delete it",
    )
    .await;
    assert_eq!(gone["id"], id.as_str(), "the deleted row is answered");
    let res = s
        .req(Method::GET, &format!("/transactions/{id}"), Some(&t))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "a deleted transaction is gone",
    )
    .await;
    let after = call(
        s,
        Method::DELETE,
        &format!("/accounts/{savings}"),
        &t,
        None,
        StatusCode::OK,
        "delete the account",
    )
    .await;
    assert_eq!(after["accounts"].as_array().unwrap().len(), 1, "{after}");
}
