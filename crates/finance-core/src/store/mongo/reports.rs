//! [`Reports`] on MongoDB: aggregations over the `transactions` collection.
//!
//! Invariants:
//! * every pipeline starts with a `$match` on `userId` and the date range
//!   (`filter::report_match`), so it reads only the user's documents in the
//!   range, through `user_date` — with an account, only that account's
//!   (`accountId`; none = the Main account), through `user_account_date`;
//! * groups are computed by the server and never by loading rows: months by
//!   `$dateToString` `%Y-%m` of the stored date (UTC, like the stored
//!   dates); descriptions by `searchText`'s first line, the lower-cased
//!   description, exactly as SQLite groups them;
//! * every sum is exact (`$sum` of `$toDecimal`, a `Decimal128`) and made a
//!   total by [`crate::money::total`]: past `i64` a `Validation` error;
//! * the largest expenses use `user_type_amount`, so the server stops after
//!   `limit` documents.

use std::collections::HashMap;

use chrono::NaiveDate;
use futures::TryStreamExt;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{Document, doc};

use super::MongoStore;
use super::docs::{
    CategoryDoc, TransactionDoc, count_field, exact_sum, id_of, oid, sum_field,
    transaction_from_doc,
};
use super::errors::{Fail, corrupt};
use super::filter::{expenses, income_and_expense, report_match};
use crate::domain::report::month_from_key;
use crate::domain::{
    CategoryKind, CategorySpending, DescriptionFrequency, MonthTotals, Transaction,
};
use crate::error::Result;
use crate::id::Id;
use crate::store::Reports;

bounded_impl! {
    impl Reports for MongoStore {
        async fn spending_by_category(
            &self,
            user: Id,
            account: Option<Id>,
            from: NaiveDate,
            to: NaiveDate,
        ) -> Result<Vec<CategorySpending>> {
            let groups = self
                .aggregate_docs(vec![
                    doc! { "$match": expenses(report_match(user, account, from, to)) },
                    doc! { "$group": {
                        "_id": "$category",
                        "total": exact_sum("$amount"),
                        "count": { "$sum": 1 },
                    } },
                ])
                .await?;
            if groups.is_empty() {
                return Ok(Vec::new());
            }
            // Current names: one look-up of the (few) categories that occur.
            let ids: Vec<ObjectId> = groups
                .iter()
                .map(|g| {
                    g.get_object_id("_id")
                        .map_err(|_| corrupt("category group"))
                })
                .collect::<Result<_>>()?;
            let docs: Vec<CategoryDoc> = self
                .categories
                .find(doc! { "userId": oid(user), "_id": { "$in": ids } })
                .await?
                .try_collect()
                .await?;
            let names: HashMap<ObjectId, String> =
                docs.into_iter().map(|c| (c.id, c.name)).collect();
            groups
                .into_iter()
                .map(|g| {
                    let id = g
                        .get_object_id("_id")
                        .map_err(|_| corrupt("category group"))?;
                    Ok(CategorySpending {
                        category_id: id_of(&id),
                        name: names
                            .get(&id)
                            .cloned()
                            .ok_or_else(|| corrupt("category of a transaction"))?,
                        amount: sum_field(&g, "total")?,
                        count: count_field(&g, "count")?,
                    })
                })
                .collect::<Result<_>>()
                .map_err(Fail::App)
        }

        async fn monthly_totals(
            &self,
            user: Id,
            account: Option<Id>,
            from: NaiveDate,
            to: NaiveDate,
        ) -> Result<Vec<MonthTotals>> {
            let amount_if = |kind: CategoryKind| {
                exact_sum(doc! { "$cond": [ { "$eq": ["$type", kind.as_str()] }, "$amount", 0_i64 ] })
            };
            let groups = self
                .aggregate_docs(vec![
                    doc! { "$match": income_and_expense(report_match(user, account, from, to)) },
                    doc! { "$group": {
                        "_id": { "$dateToString": { "format": "%Y-%m", "date": "$date" } },
                        "income": amount_if(CategoryKind::Income),
                        "expense": amount_if(CategoryKind::Expense),
                        "count": { "$sum": 1 },
                    } },
                    doc! { "$sort": { "_id": 1 } },
                ])
                .await?;
            groups
                .into_iter()
                .map(|g| {
                    let key = g.get_str("_id").map_err(|_| corrupt("month group"))?;
                    Ok(MonthTotals {
                        month: month_from_key(key).ok_or_else(|| corrupt("month group"))?,
                        income: sum_field(&g, "income")?,
                        expense: sum_field(&g, "expense")?,
                        count: count_field(&g, "count")?,
                    })
                })
                .collect::<Result<_>>()
                .map_err(Fail::App)
        }

        async fn largest_expenses(
            &self,
            user: Id,
            account: Option<Id>,
            from: NaiveDate,
            to: NaiveDate,
            limit: u32,
        ) -> Result<Vec<Transaction>> {
            let docs: Vec<TransactionDoc> = self
                .transactions
                .find({
                    let mut m = expenses(report_match(user, account, from, to));
                    // Refunds (negative) are not expenses to list here.
                    m.insert("amount", doc! { "$gt": 0_i64 });
                    m
                })
                .sort(doc! { "amount": -1, "_id": -1 })
                .limit(i64::from(limit))
                .await?
                .try_collect()
                .await?;
            Ok(docs
                .into_iter()
                .map(transaction_from_doc)
                .collect::<Result<_>>()?)
        }

        async fn frequent_descriptions(
            &self,
            user: Id,
            account: Option<Id>,
            from: NaiveDate,
            to: NaiveDate,
            limit: u32,
        ) -> Result<Vec<DescriptionFrequency>> {
            // The key is searchText's first line: the lower-cased description (as on SQLite).
            let key = doc! { "$arrayElemAt": [ { "$split": ["$searchText", "\n"] }, 0 ] };
            let groups = self
                .aggregate_docs(vec![
                    doc! { "$match": income_and_expense(report_match(user, account, from, to)) },
                    // Latest first, so $first is the latest spelling (the user_date index
                    // gives this order).
                    doc! { "$sort": { "date": -1, "_id": -1 } },
                    doc! { "$group": {
                        "_id": key,
                        "description": { "$first": "$description" },
                        "count": { "$sum": 1 },
                        "total": exact_sum("$amount"),
                    } },
                    doc! { "$sort": { "count": -1, "total": -1, "_id": 1 } },
                    doc! { "$limit": i64::from(limit) },
                ])
                .await?;
            groups
                .into_iter()
                .map(|g| {
                    Ok(DescriptionFrequency {
                        description: g
                            .get_str("description")
                            .map_err(|_| corrupt("description group"))?
                            .to_string(),
                        count: count_field(&g, "count")?,
                        total: sum_field(&g, "total")?,
                    })
                })
                .collect::<Result<_>>()
                .map_err(Fail::App)
        }
    }
}

impl MongoStore {
    /// Run `pipeline` on `transactions` and collect its output.
    async fn aggregate_docs(&self, pipeline: Vec<Document>) -> Result<Vec<Document>, Fail> {
        Ok(self
            .transactions
            .aggregate(pipeline)
            .await?
            .try_collect()
            .await?)
    }
}
