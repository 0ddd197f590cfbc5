//! What streams out of the server over HTTP: the CSV export on many rows
//! (valid CSV, the filter applied, refusals before any byte) and a backup
//! downloaded and restored into an empty ledger. The helpers are `files.rs`'s.

use reqwest::{Method, StatusCode};
use serde_json::json;

use super::files::{PASSPHRASE, count, csv_settings, form, generated_csv, post_form};
use super::harness::{Srv, expect, expect_error};

pub async fn the_export_streams_every_row(s: &Srv) {
    let t = s.user("ann").await;
    const ROWS: usize = 4_000;
    let commit = json!({"settings": csv_settings(), "skipDuplicates": false});
    let summary = expect(
        post_form(
            s,
            "/imports/commit",
            &t,
            form("many.csv", generated_csv(ROWS), Some(&commit)),
            Some("many"),
            None,
        )
        .await,
        StatusCode::OK,
        "many rows import",
    )
    .await;
    assert_eq!(summary["imported"], ROWS as u64, "{summary}");
    let res = s
        .req(Method::POST, "/transactions/export", Some(&t))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        res.headers().get("content-length").is_none(),
        "streamed (chunked), not sized up front"
    );
    let body = res.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_ref());
    let header = reader.headers().expect("a header row").clone();
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV throughout");
    assert_eq!(
        records.len(),
        ROWS,
        "every row, once ({} bytes)",
        body.len()
    );
    assert!(
        records.iter().all(|r| r.len() == header.len()),
        "every record has the header's fields"
    );
    let notes = records
        .iter()
        .filter(|r| r.iter().any(|c| c.contains("Row 7 ")))
        .count();
    assert_eq!(notes, 1, "a quoted line break stays in one record");

    let res = s
        .req(Method::POST, "/transactions/export", Some(&t))
        .json(&json!({"from": "2024-03-28", "to": "2024-03-28"}))
        .send()
        .await
        .unwrap();
    let text = res.text().await.unwrap();
    let rows = csv::Reader::from_reader(text.as_bytes()).records().count();
    assert_eq!(rows, ROWS / 28, "the filter holds: one day of 28");

    let other = s.user("bob").await;
    let bobs = expect(
        s.req(Method::GET, "/accounts", Some(&other))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "bob's accounts",
    )
    .await;
    expect_error(
        s.req(Method::POST, "/transactions/export", Some(&t))
            .json(&json!({"accountId": bobs["accounts"][0]["id"]}))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
        None,
        "another's account is not found, before any byte",
    )
    .await;
    expect_error(
        s.req(Method::POST, "/transactions/export", Some(&t))
            .json(&json!({"from": "March"}))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("from"),
        "a bad filter is named",
    )
    .await;
}

pub async fn a_backup_restores_into_an_empty_ledger(s: &Srv) {
    let ann = s.user("ann").await;
    let commit = json!({"settings": csv_settings(), "skipDuplicates": false});
    expect(
        post_form(
            s,
            "/imports/commit",
            &ann,
            form("r.csv", generated_csv(700), Some(&commit)),
            Some("r"),
            None,
        )
        .await,
        StatusCode::OK,
        "ann's rows",
    )
    .await;
    let download = |passphrase: Option<&'static str>| {
        let mut r = s.req(Method::GET, "/backup", Some(&ann));
        if let Some(p) = passphrase {
            r = r.header(PASSPHRASE, p);
        }
        r.send()
    };
    let res = download(None).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["finance-backup-transactions"], "700");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".financebackup\""),
        "named as the desktop names it"
    );
    let plain = res.bytes().await.unwrap();
    assert!(plain.starts_with(b"PK"), "a zip, as the desktop writes");
    let res = download(Some("a long passphrase")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let sealed = res.bytes().await.unwrap();
    expect_error(
        download(Some("short")).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("passphrase"),
        "a passphrase under 8 characters",
    )
    .await;

    let restore = |token: String, body: Vec<u8>, passphrase: Option<&'static str>| {
        let mut r = s
            .req(Method::POST, "/backup/restore", Some(&token))
            .body(body);
        if let Some(p) = passphrase {
            r = r.header(PASSPHRASE, p);
        }
        r.send()
    };
    let bob = s.user("bob").await;
    expect_error(
        restore(bob.clone(), b"not a backup".to_vec(), None)
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("file"),
        "a file that is no backup",
    )
    .await;
    expect_error(
        restore(bob.clone(), sealed.to_vec(), Some("the wrong passphrase"))
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("passphrase"),
        "the wrong passphrase",
    )
    .await;
    assert_eq!(count(s, &bob).await, 0, "a refused restore wrote nothing");
    // The records keep their ids: they restore into a store that does not hold them.
    let res = s
        .req(Method::DELETE, "/me", Some(&ann))
        .json(&json!({"password": super::harness::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT, "ann leaves");
    let done = expect(
        restore(bob.clone(), plain.to_vec(), None).await.unwrap(),
        StatusCode::OK,
        "bob restores ann's backup",
    )
    .await;
    assert_eq!(done["transactions"], 700, "{done}");
    assert_eq!(count(s, &bob).await, 700, "every transaction restored");
    expect_error(
        restore(bob.clone(), plain.to_vec(), None).await.unwrap(),
        StatusCode::CONFLICT,
        "conflict",
        None,
        "a ledger that holds something is not restored into",
    )
    .await;
    let carl = s.user("carl").await;
    expect_error(
        restore(carl.clone(), sealed.to_vec(), Some("a long passphrase"))
            .await
            .unwrap(),
        StatusCode::CONFLICT,
        "conflict",
        Some("file"),
        "the encrypted file opens with its passphrase; its records are in this store already",
    )
    .await;
    assert_eq!(count(s, &carl).await, 0, "nothing written");
}
