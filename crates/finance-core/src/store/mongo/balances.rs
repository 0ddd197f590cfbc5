//! [`Balances`] on MongoDB: balances over time, each sum one aggregation of
//! `docs::balance_effect_expr` (the sign of [`crate::rules::balance_effect`]),
//! exact (`Decimal128`).
//!
//! * A register's base is a `$group` over the account's documents dated
//!   before the row's day, then a `find` of that day's documents before the
//!   row — both on the index `user_account_date (userId, accountId, date,
//!   _id)`. They are two reads: a write landing between them shows in the
//!   next page load (the same holds for the page and its base).
//! * A month series is one `$group` over the user's documents up to its last
//!   day (`user_date`), by account and month (`$dateToString` `%Y-%m`, UTC
//!   like the stored dates), everything before the first month in one group
//!   per account.

use futures::TryStreamExt;
use mongodb::bson::{Document, doc};

use super::MongoStore;
use super::docs::{
    TransactionDoc, balance_effect_expr, date_to_bson, exact_field, exact_sum, id_of, oid,
    transaction_from_doc,
};
use super::errors::{Fail, corrupt};
use crate::domain::report::month_from_key;
use crate::error::Result;
use crate::id::Id;
use crate::store::{Balances, MonthEffect, RegisterBase};
use chrono::NaiveDate;

bounded_impl! {
    impl Balances for MongoStore {
        async fn register_base(
            &self,
            user: Id,
            account: Id,
            date: NaiveDate,
            below: Option<Id>,
        ) -> Result<RegisterBase> {
            let day = date_to_bson(date);
            let groups = self
                .aggregate_transactions(vec![
                    doc! { "$match": {
                        "userId": oid(user),
                        "accountId": oid(account),
                        "date": { "$lt": day },
                    } },
                    doc! { "$group": { "_id": null, "effect": exact_sum(balance_effect_expr()) } },
                ])
                .await?;
            let effect_before = match groups.first() {
                Some(g) => exact_field(g, "effect")?,
                None => 0,
            };
            let earlier_same_day = match below {
                None => Vec::new(),
                Some(below) => {
                    let docs: Vec<TransactionDoc> = self
                        .transactions
                        .find(doc! {
                            "userId": oid(user),
                            "accountId": oid(account),
                            "date": day,
                            "_id": { "$lt": oid(below) },
                        })
                        .sort(doc! { "_id": 1 })
                        .await?
                        .try_collect()
                        .await?;
                    docs.into_iter()
                        .map(transaction_from_doc)
                        .collect::<Result<Vec<_>>>()?
                }
            };
            Ok(RegisterBase { effect_before, earlier_same_day })
        }

        async fn month_effects(
            &self,
            user: Id,
            from: NaiveDate,
            to: NaiveDate,
        ) -> Result<Vec<MonthEffect>> {
            let groups = self
                .aggregate_transactions(vec![
                    doc! { "$match": { "userId": oid(user), "date": { "$lte": date_to_bson(to) } } },
                    doc! { "$group": {
                        "_id": {
                            "a": "$accountId",
                            "m": { "$cond": [
                                { "$lt": ["$date", date_to_bson(from)] },
                                "",
                                { "$dateToString": { "format": "%Y-%m", "date": "$date" } },
                            ] },
                        },
                        "effect": exact_sum(balance_effect_expr()),
                    } },
                ])
                .await?;
            groups
                .iter()
                .map(|g| {
                    let key = g.get_document("_id").map_err(|_| corrupt("month effect group"))?;
                    let account = key.get_object_id("a").map_err(|_| corrupt("month effect group"))?;
                    let month = match key.get_str("m").map_err(|_| corrupt("month effect group"))? {
                        "" => None,
                        m => Some(month_from_key(m).ok_or_else(|| corrupt("month effect group"))?),
                    };
                    Ok(MonthEffect {
                        account: id_of(&account),
                        month,
                        effect: exact_field(g, "effect")?,
                    })
                })
                .collect::<Result<_>>()
                .map_err(Fail::from)
        }
    }
}

impl MongoStore {
    /// Run an aggregation over `transactions` and collect its results.
    async fn aggregate_transactions(&self, pipeline: Vec<Document>) -> Result<Vec<Document>, Fail> {
        Ok(self
            .transactions
            .aggregate(pipeline)
            .await?
            .try_collect()
            .await?)
    }
}
