//! Writes the migration fixtures: the same data, made by this release's code,
//! as a SQLite file and as a MongoDB dump, with the figures a migration must
//! keep (a tool, not a test).
//!
//! ```sh
//! ./dev mongo &   # prints FINANCE_TEST_MONGODB_URI=…
//! FINANCE_TEST_MONGODB_URI=… cargo run -p finance-core --example release_fixtures -- DIR
//! ```
//!
//! `DIR` receives:
//! * `finance.sqlite3` — the embedded store's file (one file, no WAL);
//! * `mongo/<collection>.jsonl` — every document, one canonical extended-JSON
//!   line each, and `mongo/<collection>.indexes.json` — the collection's
//!   indexes as `listIndexes` returns them (without the server's `v`/`ns`);
//! * `expected.json` — per user: the categories, budgets, transaction count,
//!   the sum of each (category, month), and the idempotent writes to replay
//!   (a keyed add with its fields and the CSV import with its key), computed
//!   through this release's operations.
//!
//! The data: two users. `ann` has 14 months of varied transactions (default
//! and own categories, one renamed, one deleted with its rows moved, notes,
//! non-ASCII text), three budgets, a keyed add and a keyed CSV import; `bob`
//! a few rows of his own (another user's data must stay his).
//!
//! A migration test (`tests/it/migration/`) loads these into a fresh store of
//! the next release and checks that nothing was lost. Fixtures are written
//! once per released schema and committed; never regenerate an existing
//! fixture with newer code (it would then no longer be the old release's).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use finance_core::auth::SigningKey;
use finance_core::csv_io::{CategoryMapping, CategoryTarget};
use finance_core::domain::{
    Category, CategoryKind, CategoryName, IdempotencyKey, NewBudget, Period, TransactionFilter,
    TransactionQuery, TransactionSort,
};
use finance_core::store::Store;
use finance_core::store::mongo::MongoStore;
use finance_core::store::sqlite::SqliteStore;
use finance_core::{Amount, AuthUser, Currency, Finance};
use finance_testkit::{auth_settings, import_settings, new_tx, no_progress, now, sign_in};
use mongodb::bson::{Bson, Document, doc};
use serde_json::{Value, json};

type Res<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The key of the keyed add (replayed by the migration test).
const ADD_KEY: &str = "fixture-add-0001";
/// The key of the keyed CSV import (replayed by the migration test).
const IMPORT_KEY: &str = "fixture-import-0001";

#[tokio::main]
async fn main() -> Res<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: release_fixtures DIR")?,
    );
    let uri = std::env::var("FINANCE_TEST_MONGODB_URI")
        .map_err(|_| "FINANCE_TEST_MONGODB_URI is not set (start ./dev mongo)")?;
    std::fs::create_dir_all(dir.join("mongo"))?;

    let file = dir.join("finance.sqlite3");
    let work = tempfile::tempdir()?;
    let sqlite: Arc<dyn Store> = Arc::new(SqliteStore::open(&work.path().join("f.sqlite3")).await?);
    let sqlite_expected = fill(&sqlite).await?;
    compact(&work.path().join("f.sqlite3"), &file)?;

    let db = format!("fixture_{}", std::process::id());
    let mongo_store = MongoStore::connect(&uri, &db).await?;
    let mongo: Arc<dyn Store> = Arc::new(mongo_store);
    let mongo_expected = fill(&mongo).await?;
    dump_mongo(&uri, &db, &dir.join("mongo")).await?;

    let expected = json!({
        "writtenBy": format!("finance-core {}", env!("CARGO_PKG_VERSION")),
        "sqlite": sqlite_expected,
        "mongo": mongo_expected,
    });
    std::fs::write(
        dir.join("expected.json"),
        serde_json::to_string_pretty(&expected)? + "\n",
    )?;
    println!("fixtures written to {}", dir.display());
    Ok(())
}

/// Write the data set through `store` and return the figures to keep.
async fn fill(store: &Arc<dyn Store>) -> Res<Value> {
    let key = SigningKey::generate();
    let finance = Finance::new(Arc::clone(store), &key, auth_settings());
    let ann = sign_in(&finance, "ann").await;
    let bob = sign_in(&finance, "bob").await;

    let cats = finance.categories(&ann).await?;
    let named = |n: &str| -> Category {
        cats.iter()
            .find(|c| c.name == n)
            .unwrap_or_else(|| panic!("default category {n}"))
            .clone()
    };
    let groceries = named("Groceries");
    let salary = named("Salary");
    let rent = named("Rent");
    let name = |s: &str| CategoryName::parse("name", s).expect("valid name");
    let cafe = finance
        .add_category(&ann, name("Cafés & Bäckerei"), CategoryKind::Expense, now())
        .await?;
    let old = finance
        .add_category(&ann, name("Old hobby"), CategoryKind::Expense, now())
        .await?;
    let freelance = finance
        .add_category(&ann, name("Freelance"), CategoryKind::Income, now())
        .await?;

    // 14 months (2023-02 … 2024-03), a varied but fixed pattern.
    let mut n = 0u32;
    for m in 0..14u32 {
        let (y, mo) = (2023 + (1 + m) / 12, (1 + m) % 12 + 1);
        let day = |d: u32| format!("{y}-{mo:02}-{d:02}");
        finance
            .add_transaction(
                &ann,
                new_tx(salary.id, "3120.00", &day(1), "Salary ACME"),
                now(),
            )
            .await?;
        finance
            .add_transaction(&ann, new_tx(rent.id, "950.00", &day(2), "Rent"), now())
            .await?;
        for k in 0..6u32 {
            n += 1;
            let cents = 1000 + (n * 7919) % 9000;
            let amount = format!("{}.{:02}", cents / 100, cents % 100);
            let (cat, desc) = match k % 3 {
                0 => (groceries.id, "Supermarché Müller"),
                1 => (cafe.id, "Café am Eck"),
                _ => (old.id, "Model trains"),
            };
            let mut tx = new_tx(cat, &amount, &day(3 + k * 4), desc);
            if k == 4 {
                tx.note = finance_core::domain::Note::parse_optional(
                    "note",
                    Some("paid with card; receipt kept"),
                )?;
            }
            finance.add_transaction(&ann, tx, now()).await?;
        }
        if m % 4 == 0 {
            finance
                .add_transaction(
                    &ann,
                    new_tx(freelance.id, "480.50", &day(20), "Invoice 7"),
                    now(),
                )
                .await?;
        }
    }
    finance
        .rename_category(&ann, cafe.id, name("Cafés"))
        .await?;
    finance
        .delete_category(&ann, old.id, Some(groceries.id))
        .await?;

    let eur = |s: &str| Amount::parse("limit", s, Currency::EUR).unwrap();
    for (cat, limit, period) in [
        (groceries.id, "400.00", Period::Monthly),
        (cafe.id, "60.00", Period::Weekly),
        (rent.id, "12000.00", Period::Yearly),
    ] {
        finance
            .add_budget(
                &ann,
                NewBudget {
                    category_id: cat,
                    limit: eur(limit),
                    period,
                },
                now(),
            )
            .await?;
    }

    let keyed = new_tx(groceries.id, "42.17", "2024-03-10", "Keyed add");
    let add_key = IdempotencyKey::parse("key", ADD_KEY)?;
    let added = finance
        .add_transaction_with_key(&ann, keyed.clone(), &add_key, now())
        .await?;
    let csv = "date,amount,description,category\n\
               2024-03-11,-12.40,Bäckerei Schmidt,Cafés\n\
               2024-03-12,-88.00,\"Hardware, tools\",DIY\n\
               2024-03-13,250.00,Refund from Ltd,Freelance\n";
    let import_key = IdempotencyKey::parse("key", IMPORT_KEY)?;
    let create_diy = [CategoryMapping {
        csv_name: "DIY".into(),
        kind: CategoryKind::Expense,
        target: CategoryTarget::Create {
            name: name("DIY"),
            kind: CategoryKind::Expense,
        },
    }];
    let imported = finance
        .import_commit_with_key(
            &ann,
            None,
            csv.as_bytes(),
            &import_settings(),
            &create_diy,
            true,
            Some(&import_key),
            now(),
            &no_progress,
        )
        .await?;

    let bobs = finance.categories(&bob).await?;
    let bob_food = bobs
        .iter()
        .find(|c| c.name == "Groceries")
        .expect("bob's groceries");
    for (i, a) in ["5.00", "17.25", "3.10"].iter().enumerate() {
        finance
            .add_transaction(
                &bob,
                new_tx(bob_food.id, a, &format!("2024-02-0{}", i + 1), "Kiosk"),
                now(),
            )
            .await?;
    }

    Ok(json!({
        "ann": figures(&finance, &ann).await?,
        "bob": figures(&finance, &bob).await?,
        "replay": {
            "addKey": ADD_KEY,
            "add": {
                "categoryId": keyed.category_id.to_hex(),
                "amountMinor": keyed.amount.minor(),
                "date": keyed.date.to_string(),
                "description": keyed.description.as_str(),
                "transactionId": added.id.to_hex(),
            },
            "importKey": IMPORT_KEY,
            "importCsv": csv,
            "imported": imported.imported,
            "createdCategories": imported.created_categories,
            "importMappings": [{"csvName": "DIY", "kind": "expense", "create": "DIY"}],
        },
    }))
}

/// A user's figures through the operations: categories, budgets, the count,
/// and the signed sum of each (category, month).
async fn figures(finance: &Finance, user: &AuthUser) -> Res<Value> {
    let categories: Vec<Value> = finance
        .categories(user)
        .await?
        .iter()
        .map(|c| json!({"id": c.id.to_hex(), "name": c.name, "kind": c.kind.as_str()}))
        .collect();
    let budgets: Vec<Value> = finance
        .budgets(user)
        .await?
        .iter()
        .map(|b| {
            json!({"id": b.id.to_hex(), "categoryId": b.category_id.to_hex(),
                   "limitMinor": b.limit.minor(), "period": b.period.as_str()})
        })
        .collect();
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    let mut count = 0u64;
    let mut after: Option<String> = None;
    loop {
        let query = TransactionQuery::new(
            TransactionFilter::default(),
            TransactionSort::DateAsc,
            Some(200),
            after.as_deref(),
        )?;
        let page = finance.transactions(user, &query).await?;
        for tx in &page.items {
            count += 1;
            let key = format!(
                "{}|{}",
                tx.category_id.map(|c| c.to_hex()).unwrap_or_default(),
                &tx.date.to_string()[..7]
            );
            *sums.entry(key).or_default() += tx.amount.minor();
        }
        match page.next {
            Some(c) => after = Some(c.encode()),
            None => break,
        }
    }
    Ok(json!({
        "username": user_name(finance, user).await?,
        "categories": categories,
        "budgets": budgets,
        "transactions": count,
        "sumsByCategoryMonth": sums,
    }))
}

async fn user_name(finance: &Finance, user: &AuthUser) -> Res<String> {
    Ok(finance.profile(user).await?.username.to_string())
}

/// Copy the store's file into one self-contained file (`VACUUM INTO`).
fn compact(from: &Path, to: &Path) -> Res<()> {
    let _ = std::fs::remove_file(to);
    let conn = rusqlite::Connection::open(from)?;
    conn.execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
    Ok(())
}

/// Every collection of `db`: documents as canonical extended JSON lines, and the indexes.
async fn dump_mongo(uri: &str, db: &str, out: &Path) -> Res<()> {
    use futures::TryStreamExt;
    let client = mongodb::Client::with_uri_str(uri).await?;
    let database = client.database(db);
    let mut names = database.list_collection_names().await?;
    names.sort();
    for name in names {
        let coll = database.collection::<Document>(&name);
        let docs: Vec<Document> = coll
            .find(doc! {})
            .sort(doc! {"_id": 1})
            .await?
            .try_collect()
            .await?;
        let mut text = String::new();
        for d in docs {
            text.push_str(&serde_json::to_string(
                &Bson::Document(d).into_canonical_extjson(),
            )?);
            text.push('\n');
        }
        std::fs::write(out.join(format!("{name}.jsonl")), text)?;
        let mut indexes = Vec::new();
        let mut cursor = coll.list_indexes().await?;
        while let Some(ix) = cursor.try_next().await? {
            let mut spec = mongodb::bson::to_document(&ix)?;
            spec.remove("v");
            spec.remove("ns");
            indexes.push(Bson::Document(spec).into_canonical_extjson());
        }
        std::fs::write(
            out.join(format!("{name}.indexes.json")),
            serde_json::to_string_pretty(&indexes)? + "\n",
        )?;
    }
    database.drop().await?;
    Ok(())
}
