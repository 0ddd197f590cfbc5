//! Rules over IPC: the form's fields as the core names them, the list in
//! order after every write, the form's suggestion (a rule first, then the
//! user's history), the preview before applying, and a rule pre-filled from
//! a transaction.

use serde_json::{Value, json};

use super::{TestApp, category_id, register, unique_service};

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("rule writes answer the list")
        .iter()
        .map(|r| r["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn rule(text: &str, category: &Value) -> Value {
    json!({
        "name": "", "enabled": true, "descriptionMatch": "contains", "descriptionText": text,
        "amountMin": null, "amountMax": null, "accountId": null, "type": null,
        "categoryId": category, "rename": null, "note": null
    })
}

#[test]
fn rules_are_listed_in_order_suggested_and_applied_after_a_preview() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "rules").unwrap();
    let food = category_id(&app, "Groceries");
    let other = category_id(&app, "Other");

    // The form's errors name its fields.
    let mut empty = rule("", &Value::Null);
    empty["descriptionText"] = Value::Null;
    let err = app.call("add_rule", Some(empty)).expect_err("no condition");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("descriptionText"))
    );
    let mut bad = rule("x", &food);
    bad["amountMin"] = json!("1.234");
    let err = app.call("add_rule", Some(bad)).expect_err("three decimals");
    assert_eq!(err["field"], "amountMin");

    let list = app.call("add_rule", Some(rule("market", &food))).unwrap();
    let mut fuel = rule("shell", &other);
    fuel["name"] = json!("Fuel");
    fuel["amountMin"] = json!("10");
    fuel["amountMax"] = json!("50");
    let list2 = app.call("add_rule", Some(fuel)).unwrap();
    assert_eq!(names(&list), ["Description contains “market”"]);
    assert_eq!(names(&list2), ["Description contains “market”", "Fuel"]);
    assert_eq!(list2[1]["amountMin"], "10.00", "amounts come back exact");
    assert_eq!(list2[0]["categoryName"], "Groceries");
    let ids: Vec<Value> = list2
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    let reordered = app
        .call("reorder_rules", Some(json!({"ids": [ids[1], ids[0]]})))
        .unwrap();
    assert_eq!(names(&reordered), ["Fuel", "Description contains “market”"]);

    // The form's suggestion: a rule first.
    let s = app
        .call(
            "suggest_for",
            Some(json!({"description": "MARKET hall", "amount": "3.00", "type": "expense"})),
        )
        .unwrap();
    assert_eq!(
        (
            s["source"].as_str(),
            s["categoryId"].clone(),
            s["categoryName"].as_str()
        ),
        (Some("rule"), food.clone(), Some("Groceries"))
    );
    // Then learned, once the user has history (a description no rule matches).
    app.call(
        "add_transaction",
        Some(json!({"categoryId": other, "amount": "4.20", "date": "2024-03-01", "description": "Kiosk", "note": null})),
    )
    .unwrap();
    let s = app
        .call("suggest_for", Some(json!({"description": "kio"})))
        .unwrap();
    assert_eq!(
        (
            s["source"].as_str(),
            s["amount"].as_str(),
            s["description"].as_str()
        ),
        (Some("learned"), Some("4.20"), Some("Kiosk"))
    );
    let learned = app
        .call("suggest_descriptions", Some(json!({"prefix": "KI"})))
        .unwrap();
    assert_eq!(learned[0]["categoryName"], "Other");

    // Applying: the preview lists the change; nothing is written before apply.
    let t = app
        .call(
            "add_transaction",
            Some(json!({"categoryId": other, "amount": "9.99", "date": "2024-03-02", "description": "Market stall", "note": null})),
        )
        .unwrap();
    let preview = app
        .call(
            "apply_rules_preview",
            Some(json!({"filter": {"categoryIds": []}})),
        )
        .unwrap();
    assert_eq!(
        (preview["count"].as_u64(), preview["applied"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(preview["rows"][0]["newCategoryName"], "Groceries");
    let still = app
        .call("get_transaction", Some(json!({"id": t["id"]})))
        .unwrap();
    assert_eq!(still["categoryId"], other, "a preview writes nothing");
    let done = app
        .call("apply_rules", Some(json!({"filter": {"categoryIds": []}})))
        .unwrap();
    assert_eq!(done["applied"], 1);
    let moved = app
        .call("get_transaction", Some(json!({"id": t["id"]})))
        .unwrap();
    assert_eq!(moved["categoryId"], food);

    // A rule pre-filled from a transaction.
    let form = app
        .call("rule_from_transaction", Some(json!({"id": t["id"]})))
        .unwrap();
    assert_eq!(
        (
            form["descriptionText"].as_str(),
            form["type"].as_str(),
            form["descriptionMatch"].as_str()
        ),
        (Some("Market stall"), Some("expense"), Some("contains"))
    );
    let disabled = app
        .call(
            "set_rule_enabled",
            Some(json!({"id": ids[0], "enabled": false})),
        )
        .unwrap();
    assert_eq!(disabled[1]["enabled"], false);
    let left = app
        .call("delete_rule", Some(json!({"id": ids[1]})))
        .unwrap();
    assert_eq!(names(&left), ["Description contains “market”"]);
}
