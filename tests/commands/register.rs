//! Registers, transfers and refunds over IPC: the account filter on the
//! list, `account_register`'s running balances on every page, a transfer's
//! legs naming the other account, and another user's account as `NotFound`.

use serde_json::{Value, json};

use super::{TestApp, account_named, category_id, register, unique_service};

type Row = (String, String, String, Value);

/// A row as [`rows`] gives it.
fn row(description: &str, amount: &str, balance: &str, other: &Value) -> Row {
    (
        description.to_string(),
        amount.to_string(),
        balance.to_string(),
        other.clone(),
    )
}

/// `(description, amount, balance, transferAccountId)` of a register page's rows.
fn rows(page: &Value) -> Vec<Row> {
    page["items"]
        .as_array()
        .expect("a register page lists items")
        .iter()
        .map(|r| {
            (
                r["description"].as_str().unwrap_or_default().to_string(),
                r["amount"].as_str().unwrap_or_default().to_string(),
                r["balance"].as_str().unwrap_or_default().to_string(),
                r["transferAccountId"].clone(),
            )
        })
        .collect()
}

#[test]
fn a_register_walks_expenses_refunds_and_transfers_with_running_balances() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "reg").unwrap();
    let view = app
        .call(
            "add_account",
            Some(json!({"name": "Savings", "type": "savings", "openingBalance": "500.00", "openingDate": "2024-01-01", "note": null})),
        )
        .expect("add Savings");
    let main = account_named(&view, "Main account")["id"].clone();
    let savings = account_named(&view, "Savings")["id"].clone();
    let food = category_id(&app, "Groceries");
    let tx = |amount: &str, date: &str, description: &str| json!({"accountId": main, "categoryId": food, "amount": amount, "date": date, "description": description, "note": null});
    app.call("add_transaction", Some(tx("40.00", "2024-03-01", "Market")))
        .expect("expense");
    app.call(
        "add_transaction",
        Some(tx("-15.50", "2024-03-02", "Market refund")),
    )
    .expect("a refund is a negative expense");
    let transfer = app
        .call(
            "add_transfer",
            Some(json!({"fromAccountId": savings, "toAccountId": main, "amount": "100.00", "date": "2024-03-03", "description": "Top up", "note": null, "idempotencyKey": "register-test-transfer-1"})),
        )
        .expect("transfer");

    let page = app
        .call(
            "account_register",
            Some(json!({"accountId": main, "sort": "date_asc"})),
        )
        .expect("register");
    assert_eq!(
        rows(&page),
        vec![
            row("Market", "40.00", "-40.00", &Value::Null),
            row("Market refund", "-15.50", "-24.50", &Value::Null),
            row("Top up", "100.00", "75.50", &savings),
        ],
        "each row carries the balance after it; the refund adds back; the leg names Savings"
    );
    assert_eq!(page["items"][2]["type"], "transfer_in");
    assert_eq!(page["items"][2]["transferId"], transfer["id"]);

    // Newest first, one row per page: the balances continue across pages.
    let mut cursor = Value::Null;
    let mut balances = Vec::new();
    loop {
        let page = app
            .call(
                "account_register",
                Some(json!({"accountId": main, "limit": 1, "cursor": cursor})),
            )
            .expect("register page");
        balances.extend(rows(&page).into_iter().map(|r| r.2));
        cursor = page["nextCursor"].clone();
        if cursor.is_null() {
            break;
        }
    }
    assert_eq!(
        balances,
        ["75.50", "-24.50", "-40.00"],
        "page n starts from the sums before it, not from zero"
    );
    let savings_page = app
        .call("account_register", Some(json!({"accountId": savings})))
        .expect("savings register");
    assert_eq!(
        rows(&savings_page),
        vec![row("Top up", "100.00", "400.00", &main)],
        "the out leg: opening 500 less 100, naming Main account"
    );

    // The account filter on the plain list.
    let listed = app
        .call(
            "list_transactions",
            Some(json!({"categoryIds": [], "accountId": savings})),
        )
        .expect("list one account");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(listed["items"][0]["transferAccountId"], main);
    let all = app
        .call("list_transactions", Some(json!({"categoryIds": []})))
        .expect("list all");
    assert_eq!(
        all["items"].as_array().map(Vec::len),
        Some(4),
        "without the filter both legs are listed"
    );
    let err = app
        .call(
            "list_transactions",
            Some(json!({"categoryIds": [], "accountId": "nope"})),
        )
        .expect_err("a malformed account id");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("validation"), Some("accountId"))
    );

    // Another user's account answers exactly like a missing one.
    app.call("logout", None).unwrap();
    register(&app, "other").unwrap();
    let theirs = app
        .call("account_register", Some(json!({"accountId": main})))
        .expect_err("another user's account");
    let missing = app
        .call(
            "account_register",
            Some(json!({"accountId": "0123456789abcdef01234567"})),
        )
        .expect_err("a missing account");
    assert_eq!(theirs["code"], "not_found");
    assert_eq!(theirs, missing, "indistinguishable from a missing account");
}
