//! Migration of data made by the previous release (before accounts): the
//! committed fixtures in `tests/fixtures/release-2026-11/` — a SQLite file
//! at schema 4 and a MongoDB dump, with the figures that release computed
//! (`expected.json`, written by `examples/release_fixtures.rs`) — are opened
//! by this release, and nothing may be lost.
//!
//! Per user: the transaction count, the sum of each (category, month), the
//! categories and the budgets are as that release reported them; every
//! transaction is in the user's one "Main account" whose balance is the
//! signed sum; replaying the keyed add and the keyed import answers as the
//! first time and writes nothing. Opening again changes nothing
//! (idempotent); on MongoDB a migration interrupted half-way (rows left
//! without `accountId`) is finished by the next open (resumable).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use finance_core::auth::SigningKey;
use finance_core::csv_io::{CategoryMapping, CategoryTarget};
use finance_core::domain::{
    CategoryKind, CategoryName, Description, IdempotencyKey, MAIN_ACCOUNT_NAME, NewTransaction,
    TransactionFilter, TransactionQuery, TransactionSort,
};
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Amount, AuthUser, Finance, Id, rules};
use finance_testkit::{Harness, auth_settings, d, import_settings, login, no_progress, now};
use serde_json::Value;

/// The fixtures' folder.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-2026-11")
}

/// `expected.json`'s part for one store (`"sqlite"` or `"mongo"`).
fn expected(store: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).expect("expected.json");
    let all: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    all[store].clone()
}

/// Every transaction of the user, through the operations.
async fn all_transactions(f: &Finance, user: &AuthUser) -> Vec<finance_core::domain::Transaction> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = TransactionQuery::new(
            TransactionFilter::default(),
            TransactionSort::DateAsc,
            Some(200),
            after.as_deref(),
        )
        .expect("a valid query");
        let page = f.transactions(user, &query).await.expect("a page");
        out.extend(page.items);
        match page.next {
            Some(c) => after = Some(c.encode()),
            None => return out,
        }
    }
}

/// The checks of one user against the previous release's figures.
async fn check_user(what: &str, f: &Finance, user: &AuthUser, want: &Value) {
    let txs = all_transactions(f, user).await;
    assert_eq!(
        txs.len() as u64,
        want["transactions"].as_u64().expect("a count"),
        "{what}: every transaction is kept"
    );
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    for t in &txs {
        let category = t.category_id.expect("the release had no transfers");
        let key = format!("{}|{}", category.to_hex(), &t.date.to_string()[..7]);
        *sums.entry(key).or_default() += t.amount.minor();
    }
    let want_sums: BTreeMap<String, i64> =
        serde_json::from_value(want["sumsByCategoryMonth"].clone()).expect("sums");
    assert_eq!(
        sums, want_sums,
        "{what}: the sum of each (category, month) is kept"
    );

    let categories: Vec<(String, String, String)> = f
        .categories(user)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id.to_hex(), c.name, c.kind.as_str().to_string()))
        .collect();
    let want_categories: Vec<(String, String, String)> = want["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().expect("a string").to_string();
            (s("id"), s("name"), s("kind"))
        })
        .collect();
    assert_eq!(
        categories, want_categories,
        "{what}: the categories are kept"
    );

    let mut budgets: Vec<(String, String, i64, String)> = f
        .budgets(user)
        .await
        .unwrap()
        .into_iter()
        .map(|b| {
            (
                b.id.to_hex(),
                b.category_id.to_hex(),
                b.limit.minor(),
                b.period.as_str().to_string(),
            )
        })
        .collect();
    let mut want_budgets: Vec<(String, String, i64, String)> = want["budgets"]
        .as_array()
        .expect("budgets")
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["categoryId"].as_str().unwrap().to_string(),
                b["limitMinor"].as_i64().unwrap(),
                b["period"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    budgets.sort();
    want_budgets.sort();
    assert_eq!(budgets, want_budgets, "{what}: the budgets are kept");

    let accounts = f.account_balances(user).await.unwrap();
    assert_eq!(
        accounts.len(),
        1,
        "{what}: one account per user: {accounts:?}"
    );
    let main = &accounts[0];
    assert_eq!(main.account.name, MAIN_ACCOUNT_NAME, "{what}");
    assert_eq!(
        main.account.id,
        user.id(),
        "{what}: the migrated account has the user's id"
    );
    assert_eq!(main.account.opening_balance, 0, "{what}");
    assert!(
        txs.iter().all(|t| t.account_id == main.account.id),
        "{what}: every transaction is in the Main account"
    );
    let signed: i64 = txs
        .iter()
        .map(|t| rules::balance_effect(t.kind, t.amount.minor()))
        .sum();
    assert_eq!(
        (main.balance, main.transactions),
        (signed, txs.len() as u64),
        "{what}: the balance is the signed sum of the transactions"
    );
}

/// Replaying the previous release's keyed add and keyed import answers as
/// the first time did and writes nothing.
async fn check_replays(what: &str, f: &Finance, ann: &AuthUser, replay: &Value) {
    let before = all_transactions(f, ann).await.len();
    let add = &replay["add"];
    let new = NewTransaction {
        account_id: None,
        category_id: Id::from_hex(add["categoryId"].as_str().unwrap()).unwrap(),
        amount: Amount::from_minor("amount", add["amountMinor"].as_i64().unwrap())
            .unwrap()
            .into(),
        date: d(add["date"].as_str().unwrap()),
        description: Description::parse("description", add["description"].as_str().unwrap())
            .unwrap(),
        note: None,
    };
    let key = IdempotencyKey::parse("key", replay["addKey"].as_str().unwrap()).unwrap();
    let replayed = f
        .add_transaction_with_key(ann, new, &key, now())
        .await
        .unwrap_or_else(|e| panic!("{what}: the keyed add replays: {e:?}"));
    assert_eq!(
        replayed.id.to_hex(),
        add["transactionId"].as_str().unwrap(),
        "{what}: the replay answers with the first add's transaction"
    );
    let mappings = [CategoryMapping {
        csv_name: "DIY".into(),
        kind: CategoryKind::Expense,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", "DIY").unwrap(),
            kind: CategoryKind::Expense,
        },
    }];
    let key = IdempotencyKey::parse("key", replay["importKey"].as_str().unwrap()).unwrap();
    let summary = f
        .import_commit_with_key(
            ann,
            None,
            replay["importCsv"].as_str().unwrap().as_bytes(),
            &import_settings(),
            &mappings,
            true,
            Some(&key),
            now(),
            &no_progress,
        )
        .await
        .unwrap_or_else(|e| panic!("{what}: the keyed import replays: {e:?}"));
    assert_eq!(
        (summary.imported, summary.created_categories),
        (
            replay["imported"].as_u64().unwrap(),
            replay["createdCategories"].as_u64().unwrap()
        ),
        "{what}: the replay answers with the first import's summary"
    );
    assert_eq!(
        all_transactions(f, ann).await.len(),
        before,
        "{what}: the replays wrote nothing"
    );
}

/// Every check, on a Finance over a migrated store.
async fn check_all(what: &str, f: &Finance, want: &Value) {
    let (_, ann) = login(f, "ann").await;
    let (_, bob) = login(f, "bob").await;
    check_user(&format!("{what}, ann"), f, &ann, &want["ann"]).await;
    check_user(&format!("{what}, bob"), f, &bob, &want["bob"]).await;
    check_replays(what, f, &ann, &want["replay"]).await;
    check_user(
        &format!("{what}, ann after the replays"),
        f,
        &ann,
        &want["ann"],
    )
    .await;
}

fn finance_over(store: Arc<dyn finance_core::store::Store>) -> Finance {
    Finance::new(store, &SigningKey::generate(), auth_settings())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_of_the_previous_release_migrates_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("finance.sqlite3");
    std::fs::copy(fixtures().join("finance.sqlite3"), &path).expect("copy the fixture");
    let want = expected("sqlite");
    let store = SqliteStore::open(&path).await.expect("the old file opens");
    check_all("sqlite", &finance_over(Arc::new(store)), &want).await;
    // Opening the migrated file again changes nothing.
    let again = SqliteStore::open(&path)
        .await
        .expect("the migrated file opens");
    check_all(
        "sqlite, opened again",
        &finance_over(Arc::new(again)),
        &want,
    )
    .await;
}

/// Load the MongoDB dump (documents and indexes as the previous release made
/// them) into the harness's fresh database.
async fn load_dump(db: &mongodb::Database) {
    use mongodb::bson::{Bson, Document};
    let dir = fixtures().join("mongo");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".jsonl").map(str::to_string)
        })
        .collect();
    names.sort();
    for name in names {
        let coll = db.collection::<Document>(&name);
        coll.drop().await.unwrap();
        let text = std::fs::read_to_string(dir.join(format!("{name}.jsonl"))).unwrap();
        let docs: Vec<Document> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let value: serde_json::Value = serde_json::from_str(l).unwrap();
                match Bson::try_from(value).expect("canonical extended JSON") {
                    Bson::Document(d) => d,
                    other => panic!("a document, got {other:?}"),
                }
            })
            .collect();
        if !docs.is_empty() {
            coll.insert_many(docs).await.unwrap();
        }
        let indexes: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.indexes.json"))).unwrap(),
        )
        .unwrap();
        let mut specs = Vec::new();
        for spec in indexes.as_array().unwrap() {
            let Bson::Document(spec) = Bson::try_from(spec.clone()).unwrap() else {
                panic!("an index spec");
            };
            if spec.get_str("name") == Ok("_id_") {
                continue;
            }
            specs.push(spec);
        }
        if !specs.is_empty() {
            db.run_command(mongodb::bson::doc! { "createIndexes": &name, "indexes": specs })
                .await
                .unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_dump_of_the_previous_release_migrates_without_loss() {
    use mongodb::bson::{Document, doc};
    let h = Harness::mongo("release_2026_11").await;
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    load_dump(&db).await;
    let want = expected("mongo");
    check_all("mongo", &h.restarted().await, &want).await;
    check_all("mongo, opened again", &h.restarted().await, &want).await;
    // Interrupted half-way: some rows lost their accountId again.
    let txs = db.collection::<Document>("transactions");
    let unset = txs
        .update_many(
            doc! { "amount": { "$gte": 10_000_i64 } },
            doc! { "$unset": { "accountId": "" } },
        )
        .await
        .unwrap();
    assert!(unset.modified_count > 0, "the test interrupts something");
    check_all(
        "mongo, after an interrupted migration",
        &h.restarted().await,
        &want,
    )
    .await;
    h.finish().await;
}
