//! ‹ previous / next › over IPC: the dashboard and the budgets of another
//! month than this one, exact to that month, and a bad date refused on its
//! field.

use serde_json::json;

use super::{TestApp, category_id, register, unique_service};

#[test]
fn the_dashboard_and_budgets_step_to_earlier_months() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "periods").unwrap();
    let food = category_id(&app, "Groceries");
    for (amount, date) in [
        ("10.00", "2024-01-05"),
        ("2.50", "2024-01-31"),
        ("7.25", "2024-02-01"),
    ] {
        app.call(
            "add_transaction",
            Some(json!({"categoryId": food, "amount": amount, "date": date, "description": "Shop", "note": null})),
        )
        .expect("an expense");
    }
    app.call(
        "add_budget",
        Some(json!({"categoryId": food, "limit": "100.00", "period": "monthly"})),
    )
    .expect("a monthly budget");

    let january = app
        .call("dashboard", Some(json!({"date": "2024-01-20"})))
        .expect("January's dashboard");
    assert_eq!(
        (
            january["month"]["from"].as_str(),
            january["month"]["to"].as_str(),
            january["month"]["expense"].as_str(),
            january["month"]["count"].as_u64(),
        ),
        (
            Some("2024-01-01"),
            Some("2024-01-31"),
            Some("12.50"),
            Some(2)
        ),
        "the month containing the date, its rows only: {january}"
    );
    assert_eq!(
        january["budgets"][0]["spent"].as_str(),
        Some("12.50"),
        "the budget of that month: {}",
        january["budgets"]
    );

    let february = app
        .call("list_budgets", Some(json!({"date": "2024-02-29"})))
        .expect("February's budgets");
    assert_eq!(
        (
            february[0]["spent"].as_str(),
            february[0]["periodStart"].as_str()
        ),
        (Some("7.25"), Some("2024-02-01")),
        "February's period and spending: {february}"
    );

    let today = app
        .call("list_budgets", Some(json!({})))
        .expect("today's budgets");
    assert_eq!(
        today[0]["spent"].as_str(),
        Some("0.00"),
        "no date: this period, which has no spending: {today}"
    );

    for cmd in ["dashboard", "list_budgets"] {
        let err = app
            .call(cmd, Some(json!({"date": "2024-02-30"})))
            .expect_err("no such day");
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some("validation"), Some("date")),
            "{cmd}: {err}"
        );
    }
}
