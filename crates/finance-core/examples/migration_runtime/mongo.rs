//! The MongoDB half: load the dump, grow it, time `MongoStore::connect`, check.

use super::*;

/// Load the dump (documents and indexes as the previous release made them)
/// into `db` (the migration test's `load_dump`).
async fn load_dump(db: &mongodb::Database) -> Res<()> {
    let dir = fixtures().join("mongo");
    let mut names: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".jsonl").map(str::to_string))
        .collect();
    names.sort();
    for name in names {
        let coll = db.collection::<Document>(&name);
        let text = std::fs::read_to_string(dir.join(format!("{name}.jsonl")))?;
        let mut docs = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let value: serde_json::Value = serde_json::from_str(line)?;
            match Bson::try_from(value)? {
                Bson::Document(d) => docs.push(d),
                other => return Err(format!("{name}: not a document: {other:?}").into()),
            }
        }
        if !docs.is_empty() {
            coll.insert_many(docs).await?;
        }
        let text = std::fs::read_to_string(dir.join(format!("{name}.indexes.json")))?;
        let indexes: serde_json::Value = serde_json::from_str(&text)?;
        let mut specs = Vec::new();
        for spec in indexes.as_array().ok_or("an array of indexes")? {
            let Bson::Document(spec) = Bson::try_from(spec.clone())? else {
                return Err("an index spec".into());
            };
            if spec.get_str("name") != Ok("_id_") {
                specs.push(spec);
            }
        }
        if !specs.is_empty() {
            db.run_command(doc! { "createIndexes": &name, "indexes": specs })
                .await?;
        }
    }
    Ok(())
}

/// An integer of an aggregation result (`$sum` yields Int32 or Int64).
fn int(d: &Document, k: &str) -> Res<i64> {
    match d.get(k) {
        Some(Bson::Int32(v)) => Ok(i64::from(*v)),
        Some(Bson::Int64(v)) => Ok(*v),
        other => Err(format!("{k}: not an integer: {other:?}").into()),
    }
}

/// The sum and count of each (user, category, month), by aggregation.
async fn mongo_sums(db: &mongodb::Database) -> Res<Sums> {
    let pipeline = [doc! { "$group": {
        "_id": {
            "u": "$userId",
            "c": "$category",
            "m": { "$dateToString": { "format": "%Y-%m", "date": "$date" } },
        },
        "total": { "$sum": "$amount" },
        "n": { "$sum": 1 },
    } }];
    let groups: Vec<Document> = db
        .collection::<Document>("transactions")
        .aggregate(pipeline)
        .await?
        .try_collect()
        .await?;
    let mut sums = Sums::new();
    for g in groups {
        let key = g.get_document("_id")?;
        sums.insert(
            (
                key.get_object_id("u")?.to_hex(),
                key.get_object_id("c")?.to_hex(),
                key.get_str("m")?.to_string(),
            ),
            (int(&g, "total")?, int(&g, "n")?),
        );
    }
    Ok(sums)
}

/// Add documents in the previous release's shape (no `accountId`, no
/// `status`) until `user` has `docs` transactions.
async fn grow_mongo(db: &mongodb::Database, user: bson::oid::ObjectId, docs: u64) -> Res<()> {
    let categories: Vec<Document> = db
        .collection::<Document>("categories")
        .find(doc! { "userId": user })
        .sort(doc! { "_id": 1 })
        .await?
        .try_collect()
        .await?;
    let ids: Vec<bson::oid::ObjectId> = categories
        .iter()
        .map(|c| c.get_object_id("_id"))
        .collect::<Result<_, _>>()?;
    let kinds: Vec<bool> = categories
        .iter()
        .map(|c| c.get_str("type").map(|t| t == "income"))
        .collect::<Result<_, _>>()?;
    let txs = db.collection::<Document>("transactions");
    let have = txs.count_documents(doc! { "userId": user }).await?;
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut left = docs.saturating_sub(have);
    let started = Instant::now();
    while left > 0 {
        let n = left.min(MONGO_BATCH);
        let batch: Vec<Document> = (0..n)
            .map(|_| {
                let row = random_row(&mut rng, &kinds);
                let kind = if row.income {
                    CategoryKind::Income
                } else {
                    CategoryKind::Expense
                };
                let midnight = row.date.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
                let created = bson::DateTime::from_millis(row.created_at);
                doc! {
                    "_id": bson::oid::ObjectId::new(),
                    "userId": user,
                    "category": ids[row.category],
                    "type": kind_str(row.income),
                    "amount": row.amount,
                    "date": bson::DateTime::from_millis(midnight.timestamp_millis()),
                    "description": &row.description,
                    "note": row.note,
                    "searchText": Transaction::search_text(&row.description, row.note),
                    "dupKey": duplicate_key(row.date, row.amount, kind, &row.description),
                    "createdAt": created,
                    "updatedAt": created,
                }
            })
            .collect();
        txs.insert_many(batch).await?;
        left -= n;
    }
    println!(
        "{} documents of {USER} added in {:.1} s",
        docs.saturating_sub(have),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The migration's writes as `migrate_accounts` does them (the
/// `account_user` index the open creates, then one `update_many` per user
/// of the documents without `accountId`, into the Main account whose id is
/// the user's), through the driver without the store's call bound.
async fn migrate_unbounded(db: &mongodb::Database) -> Res<Duration> {
    let started = Instant::now();
    db.run_command(doc! { "createIndexes": "transactions", "indexes": [
        { "key": { "accountId": 1, "userId": 1 }, "name": "account_user" },
    ] })
    .await?;
    let txs = db.collection::<Document>("transactions");
    let users: Vec<Bson> = txs.distinct("userId", doc! { "accountId": null }).await?;
    for user in users {
        txs.update_many(
            doc! { "userId": &user, "accountId": null },
            doc! { "$set": { "accountId": &user, "status": "uncleared" } },
        )
        .await?;
    }
    Ok(started.elapsed())
}

pub(super) async fn mongo(docs: u64, runs: u64, unbounded: bool) -> Res<()> {
    let uri = std::env::var("FINANCE_TEST_MONGODB_URI")
        .map_err(|_| "FINANCE_TEST_MONGODB_URI is not set (start ./dev mongo)")?;
    let client = mongodb::Client::with_uri_str(&uri).await?;
    for run in 1..=runs {
        let name = format!("migration_runtime_{}_{run}", std::process::id());
        let db = client.database(&name);
        db.drop().await?;
        load_dump(&db).await?;
        let user = db
            .collection::<Document>("users")
            .find_one(doc! { "username": USER })
            .await?
            .ok_or("the fixture's user")?
            .get_object_id("_id")?;
        grow_mongo(&db, user, docs).await?;
        let before = mongo_sums(&db).await?;
        let user_rows: i64 = before
            .iter()
            .filter(|((u, _, _), _)| *u == user.to_hex())
            .map(|(_, (_, n))| n)
            .sum();

        let raw = if unbounded {
            Some(migrate_unbounded(&db).await?)
        } else {
            None
        };
        // The open is bounded by the store's call bound (`OPERATION_TIMEOUT`):
        // on a slow server it fails as `Unavailable` while the server goes on
        // with the migration, and the app's next open resumes it. Opened again
        // as a person would, until it succeeds.
        let started = Instant::now();
        let mut attempts = Vec::new();
        let store = loop {
            let attempt = Instant::now();
            let opened = MongoStore::connect(&uri, &name).await;
            attempts.push(format!(
                "{:.1} s {}",
                attempt.elapsed().as_secs_f64(),
                if opened.is_ok() { "ok" } else { "Unavailable" }
            ));
            match opened {
                Ok(store) => break store,
                Err(e) if attempts.len() >= MAX_OPENS => {
                    db.drop().await?;
                    return Err(format!("no open succeeded ({}): {e}", attempts.join(", ")).into());
                }
                Err(_) => {}
            }
        };
        let wall = started.elapsed();
        // Printed before the checks: a check through the store can pass the
        // store's 30 s call bound on the test server at 100k documents.
        println!(
            "mongo run {run}: open (indexes + migrate_accounts) {:.1} s until one succeeded \
             (attempts: {}) on the SecantusDB test server",
            wall.as_secs_f64(),
            attempts.join(", ")
        );
        let uid = Id::from_hex(&user.to_hex()).ok_or("the user's id")?;
        let balances = store.account_balances(uid).await?;
        drop(store);

        let after = mongo_sums(&db).await?;
        let placed: Vec<Document> = db
            .collection::<Document>("transactions")
            .aggregate([doc! { "$group": {
                "_id": { "u": "$userId", "a": "$accountId", "s": "$status" },
                "n": { "$sum": 1 },
            } }])
            .await?
            .try_collect()
            .await?;
        let misplaced = placed.iter().any(|g| {
            let key = g.get_document("_id").ok();
            let user_of = key.and_then(|k| k.get_object_id("u").ok());
            let account = key.and_then(|k| k.get_object_id("a").ok());
            let status = key.and_then(|k| k.get_str("s").ok());
            user_of.is_none() || account != user_of || status != Some("uncleared")
        });
        let accounts: Vec<Document> = db
            .collection::<Document>("accounts")
            .find(doc! {})
            .await?
            .try_collect()
            .await?;
        let users = db
            .collection::<Document>("users")
            .count_documents(doc! {})
            .await?;
        let mains = accounts
            .iter()
            .filter(|a| {
                a.get_object_id("_id").ok() == a.get_object_id("userId").ok()
                    && a.get_str("name") == Ok(MAIN_ACCOUNT_NAME)
            })
            .count() as u64;
        let signed: Vec<Document> = db
            .collection::<Document>("transactions")
            .aggregate([
                doc! { "$match": { "userId": user } },
                doc! { "$group": {
                    "_id": null,
                    "s": { "$sum": { "$cond": [
                        { "$eq": ["$type", "income"] },
                        "$amount",
                        { "$subtract": [0_i64, "$amount"] },
                    ] } },
                } },
            ])
            .await?
            .try_collect()
            .await?;
        let signed = int(signed.first().ok_or("the signed sum")?, "s")?;
        if let Some(raw) = raw {
            println!(
                "mongo run {run}: the migration's writes through the driver, unbounded: {:.1} s",
                raw.as_secs_f64()
            );
        }
        report(&[
            (
                after == before,
                "the count and sum of every (user, category, month) kept",
            ),
            (
                !misplaced,
                "every document in its user's Main account, uncleared",
            ),
            (
                accounts.len() as u64 == users && mains == users,
                "one Main account per user, _id = user id",
            ),
            (
                balances.len() == 1
                    && balances[0].balance == signed
                    && balances[0].transactions == user_rows as u64,
                "the store's balance is the signed sum of all the user's rows",
            ),
        ])?;
        db.drop().await?;
    }
    Ok(())
}
