//! Categories over HTTP, and isolation: another user's ids are not found.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Srv, expect, expect_error};

pub async fn categories_round_trip(s: &Srv) {
    let t = s.user("ann").await;
    let list = expect(
        s.req(Method::GET, "/categories", Some(&t))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "list",
    )
    .await;
    let before = list.as_array().unwrap().len();
    assert!(before > 0, "registration gives default categories");
    let made = expect(
        s.req(Method::POST, "/categories", Some(&t))
            .json(&json!({"name": "Pets", "type": "expense"}))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
        "create",
    )
    .await;
    let id = made["id"].as_str().unwrap();
    let renamed = expect(
        s.req(Method::PATCH, &format!("/categories/{id}"), Some(&t))
            .json(&json!({"name": "Animals"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "rename",
    )
    .await;
    assert_eq!(renamed["name"], "Animals");
    let usage = expect(
        s.req(Method::GET, &format!("/categories/{id}/usage"), Some(&t))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "usage",
    )
    .await;
    assert_eq!(usage, json!({"transactions": 0, "budgets": 0}));
    let res = s
        .req(Method::POST, "/categories", Some(&t))
        .json(&json!({"name": "animals", "type": "expense"}))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::CONFLICT,
        "conflict",
        Some("name"),
        "names are unique ignoring case",
    )
    .await;
    let res = s
        .req(Method::DELETE, &format!("/categories/{id}"), Some(&t))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "delete");
    let res = s
        .req(Method::GET, &format!("/categories/{id}/usage"), Some(&t))
        .send()
        .await
        .unwrap();
    expect_error(
        res,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "a deleted category is gone",
    )
    .await;
    let list = expect(
        s.req(Method::GET, "/categories", Some(&t))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "list",
    )
    .await;
    assert_eq!(
        list.as_array().unwrap().len(),
        before,
        "back to the defaults"
    );
}

pub async fn another_users_ids_answer_not_found(s: &Srv) {
    let ann = s.user("ann").await;
    let bob = s.user("bob").await;
    let made: Value = expect(
        s.req(Method::POST, "/categories", Some(&ann))
            .json(&json!({"name": "Pets", "type": "expense"}))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
        "create",
    )
    .await;
    let id = made["id"].as_str().unwrap();
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/categories/{id}"),
            Some(json!({"name": "Mine"})),
        ),
        (Method::GET, format!("/categories/{id}/usage"), None),
        (Method::DELETE, format!("/categories/{id}"), None),
    ] {
        let mut r = s.req(method.clone(), &path, Some(&bob));
        if let Some(b) = body {
            r = r.json(&b);
        }
        let res = r.send().await.unwrap();
        expect_error(
            res,
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            &format!("{method} {path} as another user"),
        )
        .await;
    }
    let list = expect(
        s.req(Method::GET, "/categories", Some(&ann))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "list",
    )
    .await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id && c["name"] == "Pets"),
        "the owner's category is unchanged: {list}"
    );
    let bobs = expect(
        s.req(Method::GET, "/categories", Some(&bob))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "list",
    )
    .await;
    assert!(
        !bobs.as_array().unwrap().iter().any(|c| c["id"] == id),
        "not listed for another user"
    );
}
