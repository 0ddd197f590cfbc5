//! The raw MongoDB baseline: the same reads as minimal hand-written queries and
//! aggregations with the official driver, on the database our side has just used.
//!
//! Timed: the first list page, the month summary, the 12-month report's parts (one by
//! one, as ours are; no latest spelling for the frequent descriptions, category names
//! by one find) and the import as `insert_many` in chunks of 1,000. Add, edit, delete,
//! the deep page, text search and budget statuses have no MongoDB baseline ("–").
//!
//! Invariants: every query is scoped by the user id; date ranges are one clause per
//! bound, as in the store (SecantusDB drops matches of a two-sided inclusive range on
//! an indexed field, see store/mongo/indexes.rs); the raw import writes to a fresh user id and
//! deletes its rows again; the random stream is `Stream::MongoRaw`.

use std::time::Instant;

use chrono::NaiveDate;
use finance_core::domain::CategoryKind;
use finance_core::domain::report::trend_range;
use futures::TryStreamExt;
use mongodb::bson::{self, Document, doc, oid::ObjectId};

use crate::data::{
    self, Seeded, Stream, amount, description, month_range, random_date, year_range,
};
use crate::options::Plan;
use crate::stats::{Laps, Timings};
use crate::{BoxError, Res};

/// The baseline on database `db` at `uri`, seeded as `s`.
pub async fn measure(uri: &str, db: &str, s: &Seeded, plan: Plan) -> Res<Timings> {
    let (me, cats, iterations) = (s.me.id(), &s.cats, plan.iterations);
    let client = mongodb::Client::with_uri_str(uri).await?;
    let coll = client.database(db).collection::<Document>("transactions");
    let uid = ObjectId::from_bytes(me.bytes());
    let date = |d: NaiveDate| {
        bson::DateTime::from_millis(
            d.and_hms_opt(0, 0, 0)
                .map_or(0, |x| x.and_utc().timestamp_millis()),
        )
    };
    // Date ranges as one clause per bound, like the store: SecantusDB drops
    // matches of a two-sided inclusive range on an indexed field (see mongo.rs).
    let range = |from: NaiveDate, to: NaiveDate| {
        vec![
            doc! { "date": { "$gte": date(from) } },
            doc! { "date": { "$lte": date(to) } },
        ]
    };
    let mut st = Timings::new();
    let mut rng = data::rng(Stream::MongoRaw);
    let expense_cat = ObjectId::from_bytes(
        cats.iter()
            .find(|c| c.kind == CategoryKind::Expense)
            .ok_or("no expense category")?
            .id
            .bytes(),
    );
    for _ in 0..iterations {
        let t = Instant::now();
        let v: Vec<Document> = coll
            .find(doc! { "userId": uid })
            .sort(doc! { "date": -1, "_id": -1 })
            .limit(51)
            .await?
            .try_collect()
            .await?;
        st.entry("list: first page").or_default().push(t.elapsed());
        std::hint::black_box(v);
    }
    let m = month_range()?;
    for _ in 0..iterations {
        let t = Instant::now();
        let v: Vec<Document> = coll
            .aggregate([
                doc! { "$match": { "userId": uid, "$and": range(m.from(), m.to()) } },
                doc! { "$group": { "_id": "$type", "total": { "$sum": "$amount" }, "count": { "$sum": 1 } } },
            ])
            .await?
            .try_collect()
            .await?;
        st.entry("month summary").or_default().push(t.elapsed());
        std::hint::black_box(v);
    }
    // The 12-month report's parts as minimal hand-written aggregations (no latest
    // spelling for the frequent descriptions; category names by one find).
    let y = year_range()?;
    let trend = trend_range(y.to());
    let cats_coll = client.database(db).collection::<Document>("categories");
    let agg = |pipeline: Vec<Document>| {
        let coll = coll.clone();
        async move {
            let v: Vec<Document> = coll.aggregate(pipeline).await?.try_collect().await?;
            Ok::<_, BoxError>(v)
        }
    };
    for _ in 0..iterations {
        let mut laps = Laps::start();
        let year_match = doc! { "$match": { "userId": uid, "$and": range(y.from(), y.to()) } };
        std::hint::black_box(
            agg(vec![
                year_match.clone(),
                doc! { "$group": { "_id": "$type", "total": { "$sum": "$amount" }, "count": { "$sum": 1 } } },
            ])
            .await?,
        );
        laps.lap(&mut st, "report: totals");
        let by_cat = agg(vec![
            doc! { "$match": { "userId": uid, "$and": range(y.from(), y.to()), "type": "expense" } },
            doc! { "$group": { "_id": "$category", "total": { "$sum": "$amount" }, "count": { "$sum": 1 } } },
        ])
        .await?;
        let ids: Vec<bson::Bson> = by_cat
            .iter()
            .filter_map(|d| d.get("_id").cloned())
            .collect();
        let names: Vec<Document> = cats_coll
            .find(doc! { "userId": uid, "_id": { "$in": ids } })
            .await?
            .try_collect()
            .await?;
        std::hint::black_box((by_cat, names));
        laps.lap(&mut st, "report: by category");
        std::hint::black_box(
            agg(vec![
                doc! { "$match": { "userId": uid, "$and": range(trend.from(), trend.to()) } },
                doc! { "$group": {
                    "_id": { "month": { "$dateToString": { "format": "%Y-%m", "date": "$date" } }, "type": "$type" },
                    "total": { "$sum": "$amount" }, "count": { "$sum": 1 },
                } },
            ])
            .await?,
        );
        laps.lap(&mut st, "report: by month");
        let top: Vec<Document> = coll
            .find(doc! { "userId": uid, "$and": range(y.from(), y.to()), "type": "expense" })
            .sort(doc! { "amount": -1, "_id": -1 })
            .limit(10)
            .await?
            .try_collect()
            .await?;
        std::hint::black_box(top);
        laps.lap(&mut st, "report: largest 10");
        std::hint::black_box(
            agg(vec![
                year_match,
                doc! { "$group": {
                    "_id": { "$arrayElemAt": [ { "$split": ["$searchText", "\n"] }, 0 ] },
                    "count": { "$sum": 1 }, "total": { "$sum": "$amount" }, "last": { "$max": "$date" },
                } },
                doc! { "$sort": { "count": -1, "total": -1, "_id": 1 } },
                doc! { "$limit": 10 },
            ])
            .await?,
        );
        laps.lap(&mut st, "report: frequent 10");
        laps.total(&mut st, "12-month report");
    }
    for _ in 0..plan.import_iterations {
        let who = ObjectId::new();
        let docs: Vec<Document> = (0..plan.import_rows)
            .map(|_| {
                let d = description(&mut rng, CategoryKind::Expense);
                doc! {
                    "_id": ObjectId::new(),
                    "userId": who,
                    "category": expense_cat,
                    "type": "expense",
                    "amount": amount(&mut rng, CategoryKind::Expense),
                    "date": date(random_date(&mut rng)),
                    "description": &d,
                    "searchText": d.to_lowercase(),
                    "createdAt": bson::DateTime::now(),
                    "updatedAt": bson::DateTime::now(),
                }
            })
            .collect();
        let t = Instant::now();
        for chunk in docs.chunks(1000) {
            coll.insert_many(chunk.to_vec()).await?;
        }
        st.entry("import CSV").or_default().push(t.elapsed());
        coll.delete_many(doc! { "userId": who }).await?;
    }
    Ok(st)
}
