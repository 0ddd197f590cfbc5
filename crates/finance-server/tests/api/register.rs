//! An account's register, cleared rows, reconciliation and converting a row
//! into a transfer, over HTTP: running balances across keyset pages, a
//! balanced statement finished, a viewer refused, another user's account not
//! found, a bad date named.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::people::{Person, book, expense};

fn balances(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["balance"].as_str().expect("a balance"))
        .collect()
}

pub async fn register_and_reconciliation(s: &super::harness::Srv) {
    let ann = Person::new(s, "ann").await;
    let b = book(&ann).await;
    let t1 = expense(&ann, &b.savings, &b.food, "10.00", "2024-02-01", "Bakery").await;
    let t2 = expense(&ann, &b.savings, &b.food, "20.00", "2024-02-02", "Market").await;
    let t3 = expense(&ann, &b.savings, &b.fun, "30.00", "2024-02-03", "Cinema").await;

    let reg = format!("/accounts/{}/register", b.savings);
    let first = ann
        .ok(
            Method::GET,
            &format!("{reg}?sort=date_asc&limit=2"),
            None,
            StatusCode::OK,
            "page 1",
        )
        .await;
    assert_eq!(
        balances(&first),
        ["90.00", "70.00"],
        "running balances from the opening 100.00: {first}"
    );
    let cursor = first["nextCursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let second = ann
        .ok(
            Method::GET,
            &format!("{reg}?sort=date_asc&limit=2&cursor={cursor}"),
            None,
            StatusCode::OK,
            "page 2",
        )
        .await;
    assert_eq!(
        balances(&second),
        ["40.00"],
        "the balance carries across pages: {second}"
    );
    assert!(second["nextCursor"].is_null(), "the last page: {second}");
    let newest = ann
        .ok(
            Method::GET,
            &format!("{reg}?from=2024-02-02"),
            None,
            StatusCode::OK,
            "newest first",
        )
        .await;
    assert_eq!(
        balances(&newest),
        ["40.00", "70.00"],
        "newest first by default, from a date, balances still the account's: {newest}"
    );
    ann.refused(
        Method::GET,
        &format!("{reg}?from=2024-13-01"),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("from"),
        "a date that is none",
    )
    .await;

    let changed = ann
        .ok(
            Method::PUT,
            &format!("/accounts/{}/cleared", b.savings),
            Some(json!({"ids": [t1], "cleared": true})),
            StatusCode::OK,
            "clear the first row",
        )
        .await;
    assert_eq!(changed, 1, "one row cleared");
    let rows = ann
        .ok(
            Method::GET,
            &format!(
                "/accounts/{}/reconciliation/rows?through=2024-02-02",
                b.savings
            ),
            None,
            StatusCode::OK,
            "rows to reconcile",
        )
        .await;
    let listed: Vec<&str> = rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        [t1.as_str(), t2.as_str()],
        "through the statement date, oldest first: {rows}"
    );
    let statement =
        json!({"statementDate": "2024-02-02", "statementBalance": "70.00", "ticked": [t2]});
    let preview = ann
        .ok(
            Method::POST,
            &format!("/accounts/{}/reconciliation/preview", b.savings),
            Some(statement.clone()),
            StatusCode::OK,
            "preview",
        )
        .await;
    assert_eq!(
        (
            preview["balanced"].as_bool(),
            preview["difference"].as_str()
        ),
        (Some(true), Some("0.00")),
        "100 - 10 (cleared) - 20 (ticked) = 70: {preview}"
    );

    let vera = ann.viewer("vera").await;
    vera.refused(
        Method::POST,
        &format!("/accounts/{}/reconciliation", b.savings),
        Some(statement.clone()),
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
        "a viewer cannot reconcile",
    )
    .await;
    let bob = Person::new(s, "bob").await;
    for (method, path) in [
        (Method::GET, reg.clone()),
        (
            Method::POST,
            format!("/accounts/{}/reconciliation", b.savings),
        ),
    ] {
        bob.refused(
            method,
            &path,
            Some(statement.clone()),
            StatusCode::NOT_FOUND,
            "not_found",
            None,
            "another user's account is not found",
        )
        .await;
    }

    let done = ann
        .ok(
            Method::POST,
            &format!("/accounts/{}/reconciliation", b.savings),
            Some(statement),
            StatusCode::OK,
            "finish",
        )
        .await;
    assert_eq!(done["statementBalance"], "70.00", "{done}");
    for id in [&t1, &t2] {
        let tx = ann
            .ok(
                Method::GET,
                &format!("/transactions/{id}"),
                None,
                StatusCode::OK,
                "a row",
            )
            .await;
        assert_eq!(
            tx["status"], "reconciled",
            "finishing reconciles cleared and ticked rows: {tx}"
        );
    }

    let convert = format!("/transactions/{t3}/convert-to-transfer");
    ann.refused(
        Method::POST,
        &convert,
        Some(json!({"otherAccountId": "nope"})),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("otherAccountId"),
        "the other account is no id",
    )
    .await;
    let transfer = ann
        .ok(
            Method::POST,
            &convert,
            Some(json!({"otherAccountId": b.main})),
            StatusCode::OK,
            "convert",
        )
        .await;
    assert_eq!(
        (
            transfer["fromAccountId"].as_str(),
            transfer["toAccountId"].as_str(),
            transfer["amount"].as_str()
        ),
        (
            Some(b.savings.as_str()),
            Some(b.main.as_str()),
            Some("30.00")
        ),
        "an expense becomes money moved out of its account: {transfer}"
    );
}
