//! Schedules over HTTP: add, post what is due by the server's date, Upcoming
//! with Skip and Post now, pause, edit, the forecast and "Repeat this…",
//! delete; a viewer refused, another user's schedule not found, a bad
//! frequency named.

use chrono::{Days, Local};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::people::{Person, book, expense};

/// How many rows the account has.
async fn rows(p: &Person<'_>, account: &str) -> usize {
    let page = p
        .ok(
            Method::POST,
            "/transactions/search",
            Some(json!({"accountId": account, "limit": 100})),
            StatusCode::OK,
            "the list",
        )
        .await;
    page["items"].as_array().expect("items").len()
}

pub async fn schedules_round_trip(s: &super::harness::Srv) {
    let ann = Person::new(s, "ann").await;
    let b = book(&ann).await;
    let today = Local::now().date_naive();
    let start = today.checked_sub_days(Days::new(40)).unwrap().to_string();
    let gym = json!({"accountId": b.savings, "categoryId": b.food, "amount": "12.50",
        "description": "Gym", "frequency": "monthly", "startDate": start, "mode": "post"});

    let mut hourly = gym.clone();
    hourly["frequency"] = json!("hourly");
    ann.refused(
        Method::POST,
        "/schedules",
        Some(hourly),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("frequency"),
        "a frequency that is none",
    )
    .await;
    let made = ann
        .ok(
            Method::POST,
            "/schedules",
            Some(gym.clone()),
            StatusCode::CREATED,
            "add",
        )
        .await;
    let id = made["id"].as_str().expect("an id").to_string();
    let listed = ann
        .ok(Method::GET, "/schedules", None, StatusCode::OK, "list")
        .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    let posted = ann
        .ok(
            Method::POST,
            "/schedules/post-due",
            None,
            StatusCode::OK,
            "post what is due",
        )
        .await;
    assert_eq!(
        posted["totalPosted"], 2,
        "the start 40 days ago and a month later are due: {posted}"
    );
    assert_eq!(rows(&ann, &b.savings).await, 2, "two rows posted");
    let again = ann
        .ok(
            Method::POST,
            "/schedules/post-due",
            None,
            StatusCode::OK,
            "again",
        )
        .await;
    assert_eq!(again["totalPosted"], 0, "nothing is posted twice: {again}");

    let upcoming = ann
        .ok(
            Method::GET,
            "/schedules/upcoming?days=70",
            None,
            StatusCode::OK,
            "upcoming",
        )
        .await;
    let next = upcoming
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["next"] == true)
        .unwrap_or_else(|| panic!("the next occurrence is listed: {upcoming}"))["date"]
        .as_str()
        .unwrap()
        .to_string();
    ann.refused(
        Method::GET,
        "/schedules/upcoming?days=0",
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("days"),
        "a window of no days",
    )
    .await;
    let skipped = ann
        .ok(
            Method::POST,
            &format!("/schedules/{id}/skip"),
            Some(json!({"date": next})),
            StatusCode::OK,
            "skip",
        )
        .await;
    let after = skipped["nextDate"]
        .as_str()
        .expect("a next date")
        .to_string();
    assert!(after > next, "skipping moves the next date on: {skipped}");
    ann.ok(
        Method::POST,
        &format!("/schedules/{id}/post-now"),
        Some(json!({"date": after})),
        StatusCode::OK,
        "post now",
    )
    .await;
    assert_eq!(rows(&ann, &b.savings).await, 3, "posted now, skipped not");

    let forecast = ann
        .ok(
            Method::GET,
            &format!("/accounts/{}/forecast?days=90", b.savings),
            None,
            StatusCode::OK,
            "forecast",
        )
        .await;
    assert!(
        forecast.as_array().is_some_and(|d| !d.is_empty()),
        "the forecast has days: {forecast}"
    );

    let vera = ann.viewer("vera").await;
    vera.refused(
        Method::PUT,
        &format!("/schedules/{id}/paused"),
        Some(json!({"paused": true})),
        StatusCode::FORBIDDEN,
        "forbidden",
        None,
        "a viewer cannot pause",
    )
    .await;
    let bob = Person::new(s, "bob").await;
    bob.refused(
        Method::PUT,
        &format!("/schedules/{id}/paused"),
        Some(json!({"paused": true})),
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "another user's schedule is not found",
    )
    .await;
    let paused = ann
        .ok(
            Method::PUT,
            &format!("/schedules/{id}/paused"),
            Some(json!({"paused": true})),
            StatusCode::OK,
            "pause",
        )
        .await;
    assert_eq!(paused["paused"], true, "{paused}");
    let mut edited = gym.clone();
    edited["description"] = json!("Gym (family)");
    let updated = ann
        .ok(
            Method::PUT,
            &format!("/schedules/{id}"),
            Some(edited),
            StatusCode::OK,
            "edit",
        )
        .await;
    assert_eq!(updated["description"], "Gym (family)", "{updated}");

    let t = expense(&ann, &b.main, &b.fun, "7.25", "2024-03-04", "Streaming").await;
    let draft = ann
        .ok(
            Method::GET,
            &format!("/transactions/{t}/schedule-draft"),
            None,
            StatusCode::OK,
            "Repeat this…",
        )
        .await;
    assert_eq!(
        (
            draft["accountId"].as_str(),
            draft["amount"].as_str(),
            draft["startDate"].is_string()
        ),
        (Some(b.main.as_str()), Some("7.25"), true),
        "the form is filled from the row: {draft}"
    );

    let gone = ann
        .send(Method::DELETE, &format!("/schedules/{id}"), None)
        .await;
    assert_eq!(gone.status(), StatusCode::NO_CONTENT, "deleted");
    let listed = ann
        .ok(Method::GET, "/schedules", None, StatusCode::OK, "list")
        .await;
    assert_eq!(listed, json!([]), "no schedules left");
    assert_eq!(rows(&ann, &b.savings).await, 3, "its posted rows stay");
}
