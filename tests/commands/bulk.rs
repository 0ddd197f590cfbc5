//! Bulk edits and the filter totals over IPC: a selection is `ids` or the
//! list's own filter input (never both), the totals answer exact decimal
//! strings with transfer legs in the count only, a bulk delete answers a
//! token (never rows) whose undo puts the same rows back once per key, and
//! a reconciled row needs `confirmReconciled`.

use serde_json::{Value, json};

use super::{TestApp, account_named, category_id, register, unique_service};

/// The ids of the list's rows for `filter` (one page of up to 500).
fn ids(app: &TestApp, filter: Value) -> Vec<Value> {
    let mut input = filter;
    input["limit"] = json!(500);
    let page = app
        .call("list_transactions", Some(input))
        .expect("list transactions");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["id"].clone())
        .collect()
}

#[test]
fn bulk_actions_take_ids_or_the_filter_and_a_delete_is_undone_once() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "bulk").unwrap();
    let view = app
        .call(
            "add_account",
            Some(json!({"name": "Card", "type": "credit_card", "openingBalance": "0", "openingDate": "2024-01-01", "note": null})),
        )
        .expect("add Card");
    let main = account_named(&view, "Main account")["id"].clone();
    let card = account_named(&view, "Card")["id"].clone();
    let food = category_id(&app, "Groceries");
    let rent = category_id(&app, "Rent");
    let pay = category_id(&app, "Salary");
    let tx = |category: &Value, amount: &str, description: &str| json!({"accountId": main, "categoryId": category, "amount": amount, "date": "2024-03-05", "description": description, "note": null});
    for (category, amount, description) in [
        (&food, "12.30", "Market"),
        (&food, "-2.30", "Market refund"),
        (&food, "7.00", "Market"),
        (&pay, "1000.00", "Pay"),
    ] {
        app.call("add_transaction", Some(tx(category, amount, description)))
            .expect("add");
    }
    app.call(
        "add_transfer",
        Some(json!({"fromAccountId": main, "toAccountId": card, "amount": "50.00", "date": "2024-03-06", "description": "Pay card", "note": null})),
    )
    .expect("add transfer");

    // Totals of what the filter shows.
    let totals = app
        .call("transaction_totals", Some(json!({})))
        .expect("totals of everything");
    assert_eq!(
        totals,
        json!({"income": "1000.00", "expense": "17.00", "net": "983.00", "count": 6}),
        "a refund lowers expense; the transfer's two legs count only in `count`"
    );
    let market = json!({"categoryIds": [food], "text": "market"});
    assert_eq!(
        app.call("transaction_totals", Some(market.clone()))
            .expect("filtered totals")["count"],
        json!(3)
    );

    // A selection is ids or a filter, never both or neither.
    for selection in [json!({}), json!({"ids": [], "filter": {}})] {
        let e = app
            .call("bulk_mark_cleared", Some(json!({"selection": selection})))
            .unwrap_err();
        assert_eq!(
            (e["code"].as_str(), e["field"].as_str()),
            (Some("validation"), Some("selection")),
            "{e}"
        );
    }

    // Everything matching the filter goes to Rent.
    let out = app
        .call(
            "bulk_set_category",
            Some(json!({"selection": {"filter": market}, "categoryId": rent})),
        )
        .expect("re-categorise by filter");
    assert_eq!(out, json!({"changed": 3}));
    let rent_totals = app
        .call("transaction_totals", Some(json!({"categoryIds": [rent]})))
        .expect("rent totals");
    assert_eq!(
        rent_totals["expense"],
        json!("17.00"),
        "the three rows, refund included"
    );

    // Income into an expense category is refused by name.
    let all = ids(&app, json!({}));
    let e = app
        .call(
            "bulk_set_category",
            Some(json!({"selection": {"ids": all}, "categoryId": food})),
        )
        .unwrap_err();
    assert_eq!(e["code"], json!("validation"), "{e}");

    // Delete the Rent rows; the answer is a token, and its undo brings them back once.
    let rent_rows = ids(&app, json!({"categoryIds": [rent]}));
    let gone = app
        .call(
            "bulk_delete",
            Some(json!({"selection": {"ids": rent_rows}})),
        )
        .expect("bulk delete");
    assert_eq!(gone["deleted"], json!(3));
    let token = gone["undoToken"].clone();
    assert!(token.is_string(), "{gone}");
    assert!(
        !gone.to_string().contains("Market"),
        "no row content crosses IPC: {gone}"
    );
    assert_eq!(
        app.call("transaction_totals", Some(json!({})))
            .expect("totals")["count"],
        json!(3)
    );
    let undo = json!({"undoToken": token, "idempotencyKey": "bulk-undo-key-0000001"});
    assert_eq!(
        app.call("undo_bulk_delete", Some(undo.clone()))
            .expect("undo"),
        json!({"changed": 3})
    );
    let mut back = ids(&app, json!({"categoryIds": [rent]}));
    let mut before = rent_rows.clone();
    back.sort_by_key(|v| v.to_string());
    before.sort_by_key(|v| v.to_string());
    assert_eq!(back, before, "the same rows, same ids");
    let e = app.call("undo_bulk_delete", Some(undo)).unwrap_err();
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("not_found"), Some("undoToken")),
        "an undo is done once: {e}"
    );

    // Mark cleared by ids, then move them (not the transfer) to the card.
    let market_rows = ids(&app, json!({"text": "market"}));
    assert_eq!(
        app.call(
            "bulk_mark_cleared",
            Some(json!({"selection": {"ids": market_rows}})),
        )
        .expect("mark cleared"),
        json!({"changed": 3})
    );
    assert_eq!(
        app.call(
            "bulk_move_to_account",
            Some(json!({"selection": {"ids": market_rows}, "accountId": card})),
        )
        .expect("move"),
        json!({"changed": 3})
    );
    let card_rows = ids(&app, json!({"accountId": card}));
    assert_eq!(
        card_rows.len(),
        4,
        "three rows and the transfer's incoming leg"
    );
}
