//! Bulk edits, the list's totals, and a bulk delete undone through its sealed
//! token, over HTTP: the token puts back exactly the deleted rows (statuses
//! and categories as they were), once per idempotency key; another person's
//! token (a stranger, or a viewer of the same ledger) opens nothing; a viewer
//! cannot delete; a selection that is both ids and a filter is named.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::people::{Person, book, expense};

async fn list(p: &Person<'_>) -> Vec<Value> {
    let page = p
        .ok(
            Method::POST,
            "/transactions/search",
            Some(json!({"limit": 100, "sort": "date_asc"})),
            StatusCode::OK,
            "the list",
        )
        .await;
    page["items"].as_array().expect("items").clone()
}

pub async fn bulk_edits_and_undo(s: &super::harness::Srv) {
    let ann = Person::new(s, "ann").await;
    let b = book(&ann).await;
    let t1 = expense(&ann, &b.main, &b.food, "10.00", "2024-02-01", "Bakery").await;
    let t2 = expense(&ann, &b.main, &b.food, "20.00", "2024-02-02", "Market").await;
    let t3 = expense(&ann, &b.main, &b.food, "30.00", "2024-02-03", "Cinema").await;

    let totals = ann
        .ok(
            Method::POST,
            "/transactions/totals",
            Some(json!({"accountId": b.main, "limit": 1})),
            StatusCode::OK,
            "totals",
        )
        .await;
    assert_eq!(
        totals,
        json!({"income": "0.00", "expense": "60.00", "net": "-60.00", "count": 3}),
        "every matching row, whatever the page size"
    );
    let n = ann
        .ok(
            Method::POST,
            "/transactions/bulk/category",
            Some(json!({"selection": {"ids": [t1, t2]}, "categoryId": b.fun})),
            StatusCode::OK,
            "re-categorise",
        )
        .await;
    assert_eq!(n["changed"], 2, "{n}");
    let n = ann
        .ok(
            Method::POST,
            "/transactions/bulk/account",
            Some(json!({"selection": {"filter": {"text": "Bakery"}}, "accountId": b.savings})),
            StatusCode::OK,
            "move by filter",
        )
        .await;
    assert_eq!(n["changed"], 1, "only the filter's row: {n}");
    let n = ann
        .ok(
            Method::POST,
            "/transactions/bulk/cleared",
            Some(json!({"selection": {"ids": [t2, t3]}})),
            StatusCode::OK,
            "mark cleared",
        )
        .await;
    assert_eq!(n["changed"], 2, "{n}");
    ann.refused(
        Method::POST,
        "/transactions/bulk/cleared",
        Some(json!({"selection": {"ids": [t1], "filter": {}}})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("selection"),
        "ids and a filter at once",
    )
    .await;
    let before = list(&ann).await;

    let vera = ann.viewer("vera").await;
    vera.refused(
        Method::POST,
        "/transactions/bulk/delete",
        Some(json!({"selection": {"ids": [t1]}})),
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
        "a viewer cannot delete",
    )
    .await;
    let deleted = ann
        .ok(
            Method::POST,
            "/transactions/bulk/delete",
            Some(json!({"selection": {"ids": [t1, t2, t3]}})),
            StatusCode::OK,
            "bulk delete",
        )
        .await;
    assert_eq!(deleted["deleted"], 3, "{deleted}");
    let token = deleted["undoToken"]
        .as_str()
        .expect("an undo token")
        .to_string();
    assert!(list(&ann).await.is_empty(), "all three are gone");

    let undo = |key: &str| json!({"undoToken": token, "idempotencyKey": key});
    let k1 = "8d5e0a62-3f0c-4a55-9d35-4c1b7e7f0001";
    let bob = Person::new(s, "bob").await;
    for (who, why) in [
        (&bob, "a stranger"),
        (&vera, "another member of the same ledger"),
    ] {
        who.refused(
            Method::POST,
            "/transactions/bulk/undo-delete",
            Some(undo(k1)),
            StatusCode::NOT_FOUND,
            "not_found",
            Some("undoToken"),
            &format!("{why} cannot use ann's undo"),
        )
        .await;
    }
    let mut forged = token.clone().into_bytes();
    let mid = forged.len() / 2;
    forged[mid] = if forged[mid] == b'A' { b'B' } else { b'A' };
    ann.refused(
        Method::POST,
        "/transactions/bulk/undo-delete",
        Some(json!({"undoToken": String::from_utf8(forged).unwrap(), "idempotencyKey": k1})),
        StatusCode::NOT_FOUND,
        "not_found",
        Some("undoToken"),
        "an altered token opens nothing",
    )
    .await;
    ann.refused(
        Method::POST,
        "/transactions/bulk/undo-delete",
        Some(undo("")),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("idempotencyKey"),
        "an undo needs its key",
    )
    .await;
    assert!(
        list(&ann).await.is_empty(),
        "the refused undos put nothing back"
    );

    for attempt in ["the undo", "its retry"] {
        let n = ann
            .ok(
                Method::POST,
                "/transactions/bulk/undo-delete",
                Some(undo(k1)),
                StatusCode::OK,
                attempt,
            )
            .await;
        assert_eq!(n["changed"], 3, "{attempt}: {n}");
    }
    assert_eq!(
        list(&ann).await,
        before,
        "exactly the deleted rows came back, once (ids, accounts, categories, statuses)"
    );
    ann.refused(
        Method::POST,
        "/transactions/bulk/undo-delete",
        Some(undo("8d5e0a62-3f0c-4a55-9d35-4c1b7e7f0002")),
        StatusCode::CONFLICT,
        "conflict",
        None,
        "the rows are back already",
    )
    .await;
}
