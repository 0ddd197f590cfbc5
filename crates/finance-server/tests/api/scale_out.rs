//! Two servers on one MongoDB database, written through at once: how the
//! server scales out past one machine on Atlas. Every write lands exactly
//! once — a keyed write sent to both servers at the same moment is applied
//! once and answered with the same row by both; distinct writes are all kept
//! — and a session opened on one server is honoured, and ended, on the other.
//!
//! Under this much contention (every write goes into one category, whose
//! document serialises them by design) a write may outlast the store's
//! conflict retries and answer 503 "try again" with nothing applied; the
//! client then sends it again under the same idempotency key, as the app's
//! client does. What must never happen is a write answered and lost, or
//! applied twice.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Srv, expect, expect_error};

/// Writes sent to both servers at once (same key), and writes through each alone.
const KEYED: usize = 30;
const PLAIN_EACH: usize = 15;

async fn add(s: &Srv, token: &str, body: Value) -> Value {
    expect(
        s.req(Method::POST, "/transactions", Some(token))
            .json(&body)
            .send()
            .await
            .expect("send"),
        StatusCode::CREATED,
        "a write through either server",
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_lose_and_duplicate_nothing() {
    let (a, b) = Srv::pair_on_mongo("scale_out").await;
    let token = a.user("sam").await;
    let cats = expect(
        b.req(Method::GET, "/categories", Some(&token))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "a session opened on one server is valid on the other",
    )
    .await;
    let food = cats
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "expense")
        .unwrap()["id"]
        .clone();
    let body = |i: usize, key: Option<String>| {
        json!({"categoryId": food, "amount": format!("{}.{:02}", i + 1, i % 100), "date": "2024-06-01",
               "description": format!("write {i}"), "note": null, "idempotencyKey": key})
    };

    let mut tasks = Vec::new();
    for i in 0..KEYED + 2 * PLAIN_EACH {
        // The first KEYED writes go to both servers at once; the rest to one of them each.
        let targets: Vec<&Srv> = if i < KEYED {
            vec![&a, &b]
        } else if i % 2 == 0 {
            vec![&a]
        } else {
            vec![&b]
        };
        let key = format!("7f3c2a1e-0000-4000-8000-{i:012}");
        for s in targets {
            let (client, base, token, body) = (
                s.client.clone(),
                s.base.clone(),
                token.clone(),
                body(i, Some(key.clone())),
            );
            tasks.push(tokio::spawn(async move {
                for attempt in 1.. {
                    let res = client
                        .post(format!("{base}/transactions"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .expect("send");
                    let status = res.status();
                    let v = res.json::<Value>().await.expect("json");
                    if status != StatusCode::SERVICE_UNAVAILABLE || attempt == 20 {
                        return (i, status, v);
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                }
                unreachable!("the loop returns")
            }));
        }
    }
    let mut ids: Vec<BTreeSet<String>> = vec![BTreeSet::new(); KEYED + 2 * PLAIN_EACH];
    for t in tasks {
        let (i, status, v) = t.await.expect("task");
        assert!(
            status.is_success(),
            "every write is answered with success in the end, replays too: {status} {v}"
        );
        ids[i].insert(v["id"].as_str().expect("an id").to_string());
    }
    for (i, ids) in ids.iter().enumerate() {
        assert_eq!(
            ids.len(),
            1,
            "key {i} (sent to both servers when below {KEYED}) answered one row: {ids:?}"
        );
    }

    let mut seen = BTreeSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = expect(
            a.req(Method::POST, "/transactions/search", Some(&token))
                .json(&json!({"limit": 50, "cursor": cursor}))
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
            "the list",
        )
        .await;
        for t in page["items"].as_array().unwrap() {
            assert!(
                seen.insert(t["description"].as_str().unwrap().to_string()),
                "no row twice: {t}"
            );
        }
        cursor = page["nextCursor"].as_str().map(str::to_string);
        if cursor.is_none() {
            break;
        }
    }
    let expected: BTreeSet<String> = (0..KEYED + 2 * PLAIN_EACH)
        .map(|i| format!("write {i}"))
        .collect();
    assert_eq!(
        seen, expected,
        "every write kept exactly once, whichever server took it"
    );

    let one_more = add(&b, &token, body(999, None)).await;
    assert!(one_more["id"].is_string());
    expect(
        a.req(Method::POST, "/auth/logout", Some(&token))
            .send()
            .await
            .unwrap(),
        StatusCode::NO_CONTENT,
        "log out on the first server",
    )
    .await;
    expect_error(
        b.req(Method::GET, "/categories", Some(&token))
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
        "a session ended on one server is refused on the other at once",
    )
    .await;
    b.finish().await;
    a.finish().await;
}
