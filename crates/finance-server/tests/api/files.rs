//! The file routes over HTTP: the import wizard's steps with the file sent
//! each time (the repository's bank and CSV fixtures: odd encodings, decimal
//! commas, quoted line breaks, every bank format), a replayed commit, a
//! viewer refused, bad settings named; the upload limit. What streams out
//! (the CSV export, backups) is in `files_out.rs`, with these helpers.

use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::harness::{Srv, Store, expect, expect_error};

pub(super) const LEDGER: &str = "Finance-Ledger";
pub(super) const PASSPHRASE: &str = "Finance-Backup-Passphrase";

pub(super) fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("fixture {full}: {e}"))
}

/// A form of `bytes` named `name`, with `settings` as its JSON part if given.
pub(super) fn form(name: &str, bytes: Vec<u8>, settings: Option<&Value>) -> Form {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    match settings {
        Some(s) => form.part(
            "settings",
            Part::text(s.to_string())
                .mime_str("application/json")
                .unwrap(),
        ),
        None => form,
    }
}

pub(super) async fn post_form(
    s: &Srv,
    path: &str,
    token: &str,
    form: Form,
    key: Option<&str>,
    ledger: Option<&str>,
) -> reqwest::Response {
    let mut r = s.req(Method::POST, path, Some(token)).multipart(form);
    if let Some(k) = key {
        // Keys are 16–64 characters: the tests' short names, padded.
        r = r.header("Idempotency-Key", format!("{k}-0123456789abcdef"));
    }
    if let Some(l) = ledger {
        r = r.header(LEDGER, l);
    }
    r.send().await.expect("send")
}

/// How many transactions the caller's accounts hold.
pub(super) async fn count(s: &Srv, token: &str) -> u64 {
    let list = expect(
        s.req(Method::GET, "/accounts", Some(token))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "the accounts",
    )
    .await;
    list["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["transactions"].as_u64().expect("a count"))
        .sum()
}

/// The wizard: inspect, preview with the guess (mapping unknown categories
/// to new ones), commit with `key`. Answers (inspect, preview, summary).
async fn import(
    s: &Srv,
    token: &str,
    name: &str,
    bytes: &[u8],
    key: &str,
) -> (Value, Value, Value) {
    let file = expect(
        post_form(
            s,
            "/imports/inspect",
            token,
            form(name, bytes.to_vec(), None),
            None,
            None,
        )
        .await,
        StatusCode::OK,
        &format!("{name} is described"),
    )
    .await;
    assert_eq!(
        file["fileId"], "",
        "the server keeps nothing to name: {file}"
    );
    assert_eq!(file["fileName"], name, "the upload's name: {file}");
    let qif_dates = if name.starts_with("ambiguous") {
        json!("day_first")
    } else {
        Value::Null
    };
    let mut settings = json!({"settings": file["guess"], "mappings": [], "qifDates": qif_dates});
    let preview = expect(
        post_form(
            s,
            "/imports/preview",
            token,
            form(name, bytes.to_vec(), Some(&settings)),
            None,
            None,
        )
        .await,
        StatusCode::OK,
        &format!("{name} previews"),
    )
    .await;
    settings["mappings"] = preview["unknownCategories"]
        .as_array()
        .expect("unknown categories")
        .iter()
        .map(|u| json!({"csvName": u["name"], "type": u["type"], "target": {"kind": "create", "name": u["name"]}}))
        .collect();
    settings["skipDuplicates"] = json!(false);
    settings["skipErrors"] = json!(true);
    let summary = expect(
        post_form(
            s,
            "/imports/commit",
            token,
            form(name, bytes.to_vec(), Some(&settings)),
            Some(key),
            None,
        )
        .await,
        StatusCode::OK,
        &format!("{name} imports"),
    )
    .await;
    let again = expect(
        post_form(
            s,
            "/imports/commit",
            token,
            form(name, bytes.to_vec(), Some(&settings)),
            Some(key),
            None,
        )
        .await,
        StatusCode::OK,
        &format!("{name} again under its key"),
    )
    .await;
    assert_eq!(
        again, summary,
        "a replay answers the first import's summary"
    );
    (file, preview, summary)
}

pub async fn fixtures_import_through_the_wizard(s: &Srv) {
    let t = s.user("ann").await;
    let before = count(s, &t).await;
    // (file, bank format or null, rows the preview has ready)
    let banks: &[(&str, &str, u64)] = &[
        ("checking-sgml-1252.ofx", "ofx", 4),
        ("card-2x.qfx", "ofx", 4),
        ("bank.qif", "qif", 5),
        ("ambiguous-dates.qif", "qif", 3),
        ("statement.camt053.xml", "camt053", 6),
    ];
    let mut imported = 0;
    for (i, (name, format, entries)) in banks.iter().enumerate() {
        let bytes = fixture(&format!("tests/fixtures/banks/{name}"));
        let (file, preview, summary) = import(s, &t, name, &bytes, &format!("bank-{i}")).await;
        assert_eq!(
            file["bank"]["format"], *format,
            "{name} is told by content: {file}"
        );
        assert_eq!(
            preview["ready"], *entries,
            "{name}: the README's entries: {preview}"
        );
        assert_eq!(
            summary["imported"], *entries,
            "{name}: every entry imported: {summary}"
        );
        imported += entries;
    }
    assert_eq!(
        count(s, &t).await,
        before + imported,
        "each file once, replays added nothing"
    );
    let list = expect(
        s.req(Method::GET, "/accounts", Some(&t))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "the accounts",
    )
    .await;
    // 1732.30 − 260.50 + 1632.30 + 44.50 + 2184.79 (the README's sums).
    assert_eq!(
        list["netWorth"], "5333.39",
        "the entries' amounts, exactly: {list}"
    );

    let csvs = [
        "tests/fixtures/import.csv",
        "tests/fixtures/import-bad.csv",
        "tests/fixtures/banks/de-dkb-utf8-bom.csv",
        "tests/fixtures/banks/de-sparkasse-cp1252.csv",
        "tests/fixtures/banks/fr-montant.csv",
        "tests/fixtures/banks/us-debit-credit.csv",
    ];
    for (i, path) in csvs.iter().enumerate() {
        let before = count(s, &t).await;
        let name = path.rsplit('/').next().unwrap();
        let (file, preview, summary) =
            import(s, &t, name, &fixture(path), &format!("csv-{i}")).await;
        assert!(file["bank"].is_null(), "{name} is CSV: {file}");
        assert_eq!(
            summary["imported"], preview["ready"],
            "{name}: what the preview had ready is imported: {preview} {summary}"
        );
        assert_eq!(
            summary["skippedErrors"], preview["errorCount"],
            "{name}: {summary}"
        );
        assert_eq!(
            count(s, &t).await,
            before + summary["imported"].as_u64().unwrap(),
            "{name}: imported once"
        );
        if name.contains("cp1252") {
            assert_eq!(file["encoding"], "Windows-1252", "{file}");
        }
        if name == "import-bad.csv" {
            assert!(
                preview["errorCount"].as_u64().unwrap() > 0,
                "its bad lines: {preview}"
            );
            let res = post_form(
                s,
                "/imports/rejects",
                &t,
                form(
                    name,
                    fixture(path),
                    Some(&json!({"settings": file["guess"]})),
                ),
                None,
                None,
            )
            .await;
            assert_eq!(res.status(), StatusCode::OK);
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            let text = res.text().await.unwrap();
            let rows = csv::Reader::from_reader(text.as_bytes()).records().count() as u64;
            assert_eq!(
                Some(rows),
                preview["errorCount"].as_u64(),
                "one line per error to fix: {text}"
            );
        }
    }
    let ofx = fixture("tests/fixtures/banks/card-2x.qfx");
    expect_error(
        post_form(
            s,
            "/imports/rejects",
            &t,
            form("card.qfx", ofx, Some(&json!({"settings": csv_settings()}))),
            None,
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        Some("file"),
        "a bank file has no lines to fix as CSV",
    )
    .await;
}

pub(super) fn csv_settings() -> Value {
    json!({
        "delimiter": ",", "hasHeader": true, "date": 0,
        "amount": {"kind": "single", "column": 1}, "description": 2,
        "category": null, "note": null, "type": null,
        "dateFormat": "YYYY-MM-DD", "decimal": "dot"
    })
}

/// `n` rows of `date,amount,description` (a quoted line break every 7th).
pub(super) fn generated_csv(n: usize) -> Vec<u8> {
    let mut out = String::from("date,amount,description\n");
    for i in 0..n {
        let day = 1 + i % 28;
        if i % 7 == 0 {
            out.push_str(&format!(
                "2024-03-{day:02},-{}.25,\"Row {i}\nsecond line\"\n",
                i % 90 + 1
            ));
        } else {
            out.push_str(&format!(
                "2024-03-{day:02},-{}.25,\"Row {i}, with a comma\"\n",
                i % 90 + 1
            ));
        }
    }
    out.into_bytes()
}

pub async fn refusals_name_what_is_wrong(s: &Srv) {
    let t = s.user("ann").await;
    let bytes = generated_csv(3);
    let commit = json!({"settings": csv_settings(), "skipDuplicates": false});
    let long_key = "k".repeat(1000);
    let cases: Vec<(Form, Option<&str>, &str, &str)> = vec![
        (
            form("a.csv", bytes.clone(), Some(&commit)),
            None,
            "Idempotency-Key",
            "no key",
        ),
        (
            form("a.csv", bytes.clone(), Some(&commit)),
            Some(&long_key),
            "Idempotency-Key",
            "a key past its length",
        ),
        (
            form("a.csv", bytes.clone(), None),
            Some("k1"),
            "settings",
            "no settings part",
        ),
        (
            Form::new().part("settings", Part::text(commit.to_string())),
            Some("k1"),
            "file",
            "no file part",
        ),
        (
            form(
                "a.csv",
                bytes.clone(),
                Some(&json!({"settings": csv_settings()})),
            ),
            Some("k1"),
            "settings",
            "settings that do not fit (no skipDuplicates)",
        ),
        (
            form(
                "a.csv",
                bytes.clone(),
                Some(
                    &json!({"settings": csv_settings(), "skipDuplicates": false, "accountId": "nope"}),
                ),
            ),
            Some("k1"),
            "accountId",
            "an account id that is no id",
        ),
    ];
    for (form, key, field, why) in cases {
        expect_error(
            post_form(s, "/imports/commit", &t, form, key, None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            Some(field),
            why,
        )
        .await;
    }
    let mut bad = commit.clone();
    bad["settings"]["date"] = json!(9);
    let e = expect(
        post_form(
            s,
            "/imports/commit",
            &t,
            form("a.csv", bytes.clone(), Some(&bad)),
            Some("k2"),
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a date column the file does not have",
    )
    .await;
    assert!(e["field"].is_string(), "the refusal names the setting: {e}");
    let res = s
        .req(Method::POST, "/imports/preview", Some(&t))
        .json(&json!({"settings": csv_settings()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "JSON is no form");
    expect_error(
        s.req(Method::POST, "/imports/inspect", None)
            .multipart(form("a.csv", bytes.clone(), None))
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        None,
        "no token, no upload",
    )
    .await;
    assert_eq!(
        count(s, &t).await,
        0,
        "nothing was imported by a refused request"
    );
    expect(
        post_form(
            s,
            "/imports/commit",
            &t,
            form("a.csv", bytes.clone(), Some(&commit)),
            Some("k3"),
            None,
        )
        .await,
        StatusCode::OK,
        "the good request",
    )
    .await;
    let mut other = commit.clone();
    other["skipDuplicates"] = json!(true);
    expect_error(
        post_form(
            s,
            "/imports/commit",
            &t,
            form("a.csv", bytes, Some(&other)),
            Some("k3"),
            None,
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
        Some("idempotencyKey"),
        "the same key with other choices",
    )
    .await;
    assert_eq!(count(s, &t).await, 3, "one import of three rows");
}

pub async fn a_viewer_cannot_import_or_back_up(s: &Srv) {
    let viewer = s.user("vera").await;
    let owner = s.user("olga").await;
    let me = expect(
        s.req(Method::GET, "/me", Some(&owner))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "the owner's profile",
    )
    .await;
    let ledger = me["ledger"]["id"].as_str().unwrap().to_string();
    expect(
        s.req(Method::POST, "/household/members", Some(&owner))
            .json(&json!({"username": "vera", "role": "viewer"}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
        "the owner invites a viewer",
    )
    .await;
    expect(
        s.req(
            Method::POST,
            &format!("/invitations/{ledger}/accept"),
            Some(&viewer),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::OK,
        "vera accepts",
    )
    .await;
    let bytes = generated_csv(5);
    let commit = json!({"settings": csv_settings(), "skipDuplicates": false});
    for (path, settings, key) in [
        (
            "/imports/preview",
            json!({"settings": csv_settings()}),
            None,
        ),
        ("/imports/commit", commit, Some("viewer-1")),
    ] {
        expect_error(
            post_form(
                s,
                path,
                &viewer,
                form("a.csv", bytes.clone(), Some(&settings)),
                key,
                Some(&ledger),
            )
            .await,
            StatusCode::FORBIDDEN,
            "forbidden",
            None,
            &format!("a viewer may not {path}"),
        )
        .await;
    }
    assert_eq!(
        count(s, &owner).await,
        0,
        "the viewer's import changed nothing"
    );
    for (method, path) in [(Method::GET, "/backup"), (Method::POST, "/backup/restore")] {
        let res = s
            .req(method, path, Some(&viewer))
            .header(LEDGER, &ledger)
            .body(Vec::new())
            .send()
            .await
            .unwrap();
        expect_error(
            res,
            StatusCode::FORBIDDEN,
            "forbidden",
            None,
            &format!("{path} is the owner's"),
        )
        .await;
    }
    let res = s
        .req(Method::POST, "/transactions/export", Some(&viewer))
        .header(LEDGER, &ledger)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "a viewer may read (export) the ledger"
    );
}

/// A body past the limit is refused before it is read: the answer is 413
/// in the one error shape, or — when the client was still sending as the
/// server answered and closed — the connection is cut mid-body (clients
/// without `Expect: 100-continue`, as reqwest, see that as a broken pipe).
async fn past_the_limit(sent: reqwest::Result<reqwest::Response>, why: &str) {
    match sent {
        Ok(res) => {
            expect_error(res, StatusCode::PAYLOAD_TOO_LARGE, "validation", None, why).await;
        }
        Err(e) => assert!(
            e.is_request() && !e.is_timeout(),
            "{why}: the server cut the upload off, not something else: {e:?}"
        ),
    }
}

/// An upload past the 1 MiB JSON limit is taken; past `FINANCE_UPLOAD_LIMIT_MB`, refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_have_their_own_limit() {
    let s = Srv::start(Store::Sqlite, &[("FINANCE_UPLOAD_LIMIT_MB", "2")]).await;
    let t = s.user("ann").await;
    let big = generated_csv(40_000);
    assert!(
        big.len() > 1024 * 1024 && big.len() < 2 * 1024 * 1024,
        "{}",
        big.len()
    );
    expect(
        post_form(
            &s,
            "/imports/inspect",
            &t,
            form("big.csv", big, None),
            None,
            None,
        )
        .await,
        StatusCode::OK,
        "1.x MiB is past the JSON limit but within the upload limit",
    )
    .await;
    let huge = generated_csv(80_000);
    let refused = s
        .req(Method::POST, "/imports/inspect", Some(&t))
        .multipart(form("huge.csv", huge.clone(), None))
        .send()
        .await;
    past_the_limit(refused, "an import past the upload limit").await;
    let refused = s
        .req(Method::POST, "/backup/restore", Some(&t))
        .body(huge)
        .send()
        .await;
    past_the_limit(refused, "a restore past the upload limit").await;
    // The server closed the refused uploads' connections: ask on a fresh one
    // (the shared client may still hold one of them in its pool).
    let fresh = reqwest::Client::new();
    let accounts: serde_json::Value = fresh
        .get(format!("{}/accounts", s.base))
        .bearer_auth(&t)
        .send()
        .await
        .expect("the server still answers")
        .json()
        .await
        .expect("the accounts");
    let stored: u64 = accounts["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["transactions"].as_u64().expect("a count"))
        .sum();
    assert_eq!(stored, 0, "nothing past the limit was written");
    s.finish().await;
}
