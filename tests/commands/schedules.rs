//! Schedules over IPC: the form's errors name their field, a schedule that
//! started in the past posts its due occurrences once (the command reads
//! the local date), Upcoming with Post now / Skip, "Repeat this…" and an
//! account's forecast; another user's schedule is `not_found`.

use chrono::{Local, TimeDelta};
use serde_json::{Value, json};

use super::{TestApp, account_named, category_id, register, unique_service};

fn day(offset: i64) -> String {
    (Local::now().date_naive() + TimeDelta::days(offset)).to_string()
}

#[test]
fn schedules_post_once_and_list_what_comes() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::launch(dir.path(), &unique_service());
    app.call("startup", None).unwrap();
    register(&app, "sched").unwrap();
    let accounts = app.call("list_accounts", None).unwrap();
    let main = account_named(&accounts, "Main account")["id"].clone();
    let rent = category_id(&app, "Rent");
    let form = |fields: Value| {
        let mut base = json!({
            "accountId": main, "categoryId": rent, "toAccountId": null,
            "amount": "10.00", "description": "Gym", "note": null,
            "frequency": "daily", "interval": null, "weekday": null, "monthDay": null,
            "startDate": day(-2), "endDate": null, "count": 3, "mode": "post"
        });
        for (k, v) in fields.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    };

    // Refusals name the field.
    for (fields, field) in [
        (json!({"frequency": "hourly"}), "frequency"),
        (json!({"amount": "0"}), "amount"),
        (
            json!({"monthDay": "40", "frequency": "monthly"}),
            "monthDay",
        ),
        (json!({"endDate": day(5)}), "count"),
        (json!({"startDate": "2024-02-30"}), "startDate"),
    ] {
        let err = app
            .call("add_schedule", Some(form(fields.clone())))
            .unwrap_err();
        assert_eq!(err["field"], field, "{fields} is refused on {field}: {err}");
    }

    let gym = app
        .call("add_schedule", Some(form(json!({}))))
        .expect("add");
    assert_eq!(gym["nextDate"], day(-2), "nothing posted before post_due");
    assert_eq!(gym["amount"], "10.00");

    // Posting: the three days through today, once.
    let first = app.call("post_due_schedules", None).expect("post due");
    assert_eq!(first["totalPosted"], 3, "{first}");
    let again = app
        .call("post_due_schedules", None)
        .expect("post due again");
    assert_eq!(again["totalPosted"], 0, "{again}");
    let list = app.call("list_schedules", None).unwrap();
    assert_eq!(list[0]["nextDate"], Value::Null, "ended by its count");
    assert_eq!(list[0]["handledThrough"], day(0));

    // Upcoming: a monthly reminder starting tomorrow; skip it, then post the next now.
    let bill = app
        .call(
            "add_schedule",
            Some(form(json!({"frequency": "monthly", "count": null, "startDate": day(1), "mode": "remind", "description": "Phone"}))),
        )
        .unwrap();
    let upcoming = app
        .call("upcoming_schedules", Some(json!({"days": null})))
        .unwrap();
    let items = upcoming.as_array().unwrap();
    assert_eq!(items.len(), 1, "{upcoming}");
    assert_eq!(items[0]["date"], day(1));
    assert_eq!(items[0]["next"], true);
    let skipped = app
        .call(
            "skip_occurrence",
            Some(json!({"scheduleId": bill["id"], "date": day(1)})),
        )
        .unwrap();
    let next = skipped["nextDate"].clone();
    assert_ne!(next, Value::String(day(1)));
    let err = app
        .call(
            "post_occurrence_now",
            Some(json!({"scheduleId": bill["id"], "date": day(1)})),
        )
        .unwrap_err();
    assert_eq!(err["field"], "occurrence", "only the next one: {err}");
    app.call(
        "post_occurrence_now",
        Some(json!({"scheduleId": bill["id"], "date": next})),
    )
    .expect("post the next one now");

    // Forecast: 91 days, today's balance first.
    let forecast = app
        .call(
            "account_forecast",
            Some(json!({"accountId": main, "days": null})),
        )
        .unwrap();
    let days = forecast.as_array().unwrap();
    assert_eq!(days.len(), 91);
    assert_eq!(days[0]["date"], day(0));
    assert_eq!(days[0]["balance"], "-30.00", "three posted days of 10.00");

    // Repeat this…
    let page = app
        .call("list_transactions", Some(json!({"sort": "date_desc"})))
        .unwrap();
    let tx = page["items"][0]["id"].clone();
    let fields = app
        .call("schedule_from_transaction", Some(json!({"id": tx})))
        .unwrap();
    assert_eq!(fields["frequency"], "monthly");
    assert_eq!(fields["categoryId"], rent);

    // Pause, delete; another user sees none of it.
    let paused = app
        .call(
            "set_schedule_paused",
            Some(json!({"id": bill["id"], "paused": true})),
        )
        .unwrap();
    assert_eq!(paused["paused"], true);
    app.call("logout", None).unwrap();
    register(&app, "other").unwrap();
    assert_eq!(app.call("list_schedules", None).unwrap(), json!([]));
    let err = app
        .call("delete_schedule", Some(json!({"id": bill["id"]})))
        .unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
}
