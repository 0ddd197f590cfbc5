//! The currency over IPC: changeable while nothing is recorded in it (the
//! profile answers the new currency and its digits), refused on `currency`
//! afterwards, a bad code refused on `currency`.

use serde_json::json;

use super::{TestApp, category_id, register, unique_service};

#[test]
fn the_currency_changes_only_before_amounts_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "yen").unwrap();
    let usage = app.call("currency_usage", None).expect("usage");
    assert_eq!(
        usage["canChange"], true,
        "a new user holds no amounts: {usage}"
    );
    let err = app
        .call("change_currency", Some(json!({"currency": "XYZ"})))
        .expect_err("no such currency");
    assert_eq!(err["field"], "currency", "{err}");
    let profile = app
        .call("change_currency", Some(json!({"currency": "JPY"})))
        .expect("changed");
    assert_eq!(
        (
            profile["currency"].as_str(),
            profile["currencyDigits"].as_u64()
        ),
        (Some("JPY"), Some(0)),
        "{profile}"
    );
    let food = category_id(&app, "Groceries");
    let tx = app
        .call(
            "add_transaction",
            Some(json!({"categoryId": food, "amount": "1200", "date": "2024-03-01", "description": "Ramen", "note": null})),
        )
        .expect("an amount in yen");
    assert_eq!(tx["amount"], "1200", "{tx}");
    let usage = app.call("currency_usage", None).expect("usage");
    assert_eq!(
        (usage["transactions"].as_u64(), usage["canChange"].as_bool()),
        (Some(1), Some(false)),
        "{usage}"
    );
    let err = app
        .call("change_currency", Some(json!({"currency": "EUR"})))
        .expect_err("amounts are recorded");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("conflict"), Some("currency")),
        "{err}"
    );
}
