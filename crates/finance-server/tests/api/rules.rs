//! Rules over HTTP: add, reorder, disable, edit, delete (each answering the
//! list in order); the form's and the description field's suggestions; a rule
//! from a transaction; applying the rules (preview, then the write); a viewer
//! refused, another user's rule not found, a bad id named.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::people::{Person, book, expense};

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("the rules")
        .iter()
        .map(|r| r["name"].as_str().expect("a name"))
        .collect()
}

fn rule(name: &str, text: &str, category: &str) -> Value {
    json!({"name": name, "enabled": true, "descriptionMatch": "contains", "descriptionText": text,
           "amountMin": null, "amountMax": null, "accountId": null, "type": null,
           "categoryId": category, "rename": null, "note": null})
}

pub async fn rules_round_trip(s: &super::harness::Srv) {
    let ann = Person::new(s, "ann").await;
    let b = book(&ann).await;
    let t = expense(
        &ann,
        &b.main,
        &b.food,
        "4.20",
        "2024-02-01",
        "COFFEE BAR 42",
    )
    .await;

    ann.ok(
        Method::POST,
        "/rules",
        Some(rule("Coffee", "coffee", &b.fun)),
        StatusCode::CREATED,
        "add",
    )
    .await;
    let list = ann
        .ok(
            Method::POST,
            "/rules",
            Some(rule("Bar", "bar", &b.food)),
            StatusCode::CREATED,
            "add",
        )
        .await;
    assert_eq!(names(&list), ["Coffee", "Bar"], "added last: {list}");
    let ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();

    let suggestion = ann
        .ok(
            Method::GET,
            "/suggestions/form?description=Coffee%20Bar%207&type=expense",
            None,
            StatusCode::OK,
            "the form's suggestion",
        )
        .await;
    assert_eq!(
        (
            suggestion["source"].as_str(),
            suggestion["ruleName"].as_str()
        ),
        (Some("rule"), Some("Coffee")),
        "the first matching rule: {suggestion}"
    );
    let reordered = ann
        .ok(
            Method::PUT,
            "/rules/order",
            Some(json!({"ids": [ids[1], ids[0]]})),
            StatusCode::OK,
            "reorder",
        )
        .await;
    assert_eq!(names(&reordered), ["Bar", "Coffee"], "{reordered}");
    ann.refused(
        Method::PUT,
        "/rules/order",
        Some(json!({"ids": [ids[0], "nope"]})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("ids"),
        "an id that is none",
    )
    .await;
    let disabled = ann
        .ok(
            Method::PUT,
            &format!("/rules/{}/enabled", ids[1]),
            Some(json!({"enabled": false})),
            StatusCode::OK,
            "disable Bar",
        )
        .await;
    assert_eq!(disabled[0]["enabled"], false, "{disabled}");
    let suggestion = ann
        .ok(
            Method::GET,
            "/suggestions/form?description=Coffee%20Bar%207",
            None,
            StatusCode::OK,
            "the form's suggestion",
        )
        .await;
    assert_eq!(
        suggestion["ruleName"], "Coffee",
        "a disabled rule suggests nothing: {suggestion}"
    );
    let none = ann
        .ok(
            Method::GET,
            "/suggestions/form?description=zzz",
            None,
            StatusCode::OK,
            "nothing",
        )
        .await;
    assert!(none.is_null(), "nothing matches: {none}");
    let learned = ann
        .ok(
            Method::GET,
            "/suggestions?prefix=COF",
            None,
            StatusCode::OK,
            "learned",
        )
        .await;
    assert_eq!(
        learned[0]["description"], "COFFEE BAR 42",
        "history: {learned}"
    );

    let draft = ann
        .ok(
            Method::GET,
            &format!("/transactions/{t}/rule-draft"),
            None,
            StatusCode::OK,
            "draft",
        )
        .await;
    assert_eq!(
        draft["categoryId"],
        b.food.as_str(),
        "pre-filled from the row: {draft}"
    );

    let preview = ann
        .ok(
            Method::POST,
            "/rules/apply/preview",
            Some(json!({"filter": {}})),
            StatusCode::OK,
            "preview",
        )
        .await;
    assert_eq!(
        preview["count"], 1,
        "the coffee row would change: {preview}"
    );
    let row = ann
        .ok(
            Method::GET,
            &format!("/transactions/{t}"),
            None,
            StatusCode::OK,
            "row",
        )
        .await;
    assert_eq!(
        row["categoryId"],
        b.food.as_str(),
        "a preview writes nothing"
    );

    let vera = ann.viewer("vera").await;
    vera.refused(
        Method::POST,
        "/rules/apply",
        Some(json!({"filter": {}})),
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
        "a viewer cannot apply rules",
    )
    .await;
    let applied = ann
        .ok(
            Method::POST,
            "/rules/apply",
            Some(json!({"filter": {}})),
            StatusCode::OK,
            "apply",
        )
        .await;
    assert_eq!(applied["applied"], 1, "{applied}");
    let row = ann
        .ok(
            Method::GET,
            &format!("/transactions/{t}"),
            None,
            StatusCode::OK,
            "row",
        )
        .await;
    assert_eq!(
        row["categoryId"],
        b.fun.as_str(),
        "the coffee rule re-categorised it"
    );

    let bob = Person::new(s, "bob").await;
    bob.refused(
        Method::DELETE,
        &format!("/rules/{}", ids[0]),
        None,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "another user's rule is not found",
    )
    .await;
    let renamed = ann
        .ok(
            Method::PUT,
            &format!("/rules/{}", ids[0]),
            Some(rule("Coffee shops", "coffee", &b.fun)),
            StatusCode::OK,
            "edit",
        )
        .await;
    assert_eq!(names(&renamed), ["Bar", "Coffee shops"], "{renamed}");
    let left = ann
        .ok(
            Method::DELETE,
            &format!("/rules/{}", ids[1]),
            None,
            StatusCode::OK,
            "delete",
        )
        .await;
    assert_eq!(names(&left), ["Coffee shops"], "{left}");
}
