//! [`Rules`] on MongoDB: the `rules` collection (its document, [`RuleDoc`],
//! lives here beside its only user) and the look-ups of a user's history by
//! description.
//!
//! Invariants:
//! * a rule's category and account are the user's, checked inside the
//!   write's transaction, which also writes their documents
//!   (`lock_category`/`lock_accounts`), so a concurrent delete of either
//!   conflicts with it (invariant 12); a category or account delete re-points
//!   or deletes the rules that name it in its own transaction
//!   ([`MongoStore::rules_follow`]);
//! * rules are listed by (position, id) over `rule_user_position`;
//! * suggestions read `user_search_date` (`userId, searchText, date -1, _id
//!   -1`): `searchText` is the lower-cased description, then `\n` and the
//!   note, so one description's documents are `searchText` from `key` up to
//!   `key\n\u{10FFFF}`; a suggestion is one walk of that index from the
//!   prefix on, in index order, of at most [`SCAN`] entries (one round trip;
//!   a description with more rows than that shows its newest row among
//!   them), and a learned look-up one such walk of one description;
//! * applied changes are one transaction: each row is changed only while it
//!   is the user's, of the change's kind and not a leg; its `searchText` and
//!   `dupKey` follow its new description.

use chrono::{DateTime, Utc};
use futures::{FutureExt, TryStreamExt};
use mongodb::ClientSession;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime as BsonDateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::MongoStore;
use super::docs::{TransactionDoc, id_of, oid, time_from_bson, time_to_bson, transaction_from_doc};
use super::errors::{Fail, corrupt};
use super::filter::{delete_owned, owned};
use crate::domain::{
    CategoryKind, DescriptionCondition, NewRule, Rule, RuleActions, RuleChange, RuleConditions,
    TextMatch, Transaction,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::{Rules, duplicate_key};

const NOT_FOUND_RULE: Error = Error::NotFound { what: "rule" };

/// The highest code point: `key || MAX` bounds the keys starting with `key`.
const KEY_END: char = '\u{10FFFF}';

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RuleDoc {
    #[serde(rename = "_id")]
    id: ObjectId,
    user_id: ObjectId,
    name: String,
    position: i32,
    enabled: bool,
    #[serde(default)]
    desc_match: Option<String>,
    #[serde(default)]
    desc_text: Option<String>,
    #[serde(default)]
    amount_min: Option<i64>,
    #[serde(default)]
    amount_max: Option<i64>,
    #[serde(default)]
    account_id: Option<ObjectId>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    category: Option<ObjectId>,
    #[serde(default)]
    rename: Option<String>,
    #[serde(default)]
    note: Option<String>,
    created_at: BsonDateTime,
}

/// The fields of `r` a rule document stores besides its id, user, position and creation.
/// The stored document of a rule.
pub(super) fn rule_to_doc(rule: &Rule) -> Document {
    let mut stored = rule_fields(&NewRule {
        name: rule.name.clone(),
        enabled: rule.enabled,
        conditions: rule.conditions.clone(),
        actions: rule.actions.clone(),
    });
    stored.insert("_id", oid(rule.id));
    stored.insert("userId", oid(rule.user_id));
    stored.insert("position", rule.position);
    stored.insert("createdAt", time_to_bson(rule.created_at));
    stored
}

fn rule_fields(r: &NewRule) -> Document {
    let c = &r.conditions;
    doc! {
        "name": &r.name,
        "enabled": r.enabled,
        "descMatch": c.description.as_ref().map(|d| d.how.as_str()),
        "descText": c.description.as_ref().map(|d| d.text.as_str()),
        "amountMin": c.amount_min,
        "amountMax": c.amount_max,
        "accountId": c.account.map(oid),
        "type": c.kind.map(CategoryKind::as_str),
        "category": r.actions.category.map(oid),
        "rename": r.actions.rename.as_deref(),
        "note": r.actions.note.as_deref(),
    }
}

fn rule_from_doc(d: RuleDoc) -> Result<Rule> {
    let description = match (d.desc_match, d.desc_text) {
        (Some(how), Some(text)) => Some(DescriptionCondition::new(
            TextMatch::parse("descMatch", &how).map_err(|_| corrupt("rule descMatch"))?,
            &text,
        )),
        _ => None,
    };
    let kind = d
        .kind
        .map(|k| CategoryKind::parse("type", &k).map_err(|_| corrupt("rule type")))
        .transpose()?;
    Ok(Rule {
        id: id_of(&d.id),
        user_id: id_of(&d.user_id),
        name: d.name,
        position: d.position,
        enabled: d.enabled,
        conditions: RuleConditions {
            description,
            amount_min: d.amount_min,
            amount_max: d.amount_max,
            account: d.account_id.as_ref().map(id_of),
            kind,
        },
        actions: RuleActions {
            category: d.category.as_ref().map(id_of),
            rename: d.rename,
            note: d.note,
        },
        created_at: time_from_bson(d.created_at)?,
    })
}

/// Index entries one suggestion or learned look-up reads at most.
const SCAN: i64 = 200;

/// The index suggestions read.
const SEARCH_INDEX: &str = "user_search_date";

/// The newest document of each description among `docs` (in index order:
/// description, then newest first), descriptions in the order met.
fn newest_per_description(docs: Vec<TransactionDoc>) -> Vec<TransactionDoc> {
    let mut out: Vec<TransactionDoc> = Vec::new();
    for d in docs {
        match out
            .iter_mut()
            .find(|o| key_of(&o.search_text) == key_of(&d.search_text))
        {
            Some(o) if (d.date, d.id) > (o.date, o.id) => *o = d,
            Some(_) => {}
            None => out.push(d),
        }
    }
    out
}

/// The description key of a stored `searchText` (its first line).
fn key_of(search_text: &str) -> &str {
    search_text.split('\n').next().unwrap_or("")
}

bounded_impl! {
    impl Rules for MongoStore {
        async fn rules(&self, user: Id) -> Result<Vec<Rule>> {
            let docs: Vec<RuleDoc> = self
                .rules
                .find(doc! { "userId": oid(user) })
                .sort(doc! { "position": 1, "_id": 1 })
                .await?
                .try_collect()
                .await?;
            Ok(docs.into_iter().map(rule_from_doc).collect::<Result<_>>()?)
        }

        async fn rule(&self, user: Id, id: Id) -> Result<Rule> {
            let found = self.rules.find_one(owned(user, id)).await?;
            Ok(rule_from_doc(found.ok_or(NOT_FOUND_RULE)?)?)
        }

        async fn insert_rule(&self, rule: &Rule) -> Result<()> {
            let stored = rule_to_doc(rule);
            let ctx = (self, rule.user_id, rule.actions.category, rule.conditions.account, stored);
            self.in_transaction(&ctx, |s, (store, user, category, account, stored)| {
                async move {
                    store
                        .rules
                        .clone_with_type::<Document>()
                        .insert_one(stored.clone())
                        .session(&mut *s)
                        .await?;
                    store.lock_rule_references(s, *user, *category, *account).await
                }
                .boxed()
            })
            .await
        }

        async fn update_rule(&self, user: Id, id: Id, change: &NewRule) -> Result<Rule> {
            let set = rule_fields(change);
            let ctx = (self, user, id, change.actions.category, change.conditions.account, set);
            self.in_transaction(&ctx, |s, (store, user, id, category, account, set)| {
                async move {
                    let updated = store
                        .rules
                        .find_one_and_update(owned(*user, *id), doc! { "$set": set.clone() })
                        .return_document(mongodb::options::ReturnDocument::After)
                        .session(&mut *s)
                        .await?
                        .ok_or(NOT_FOUND_RULE)?;
                    store.lock_rule_references(s, *user, *category, *account).await?;
                    Ok(rule_from_doc(updated)?)
                }
                .boxed()
            })
            .await
        }

        async fn delete_rule(&self, user: Id, id: Id) -> Result<()> {
            delete_owned(&self.rules, user, id, NOT_FOUND_RULE).await
        }

        async fn reorder_rules(&self, user: Id, ids: &[Id]) -> Result<()> {
            self.in_transaction(&(self, user, ids), |s, &(store, user, ids)| {
                async move {
                    for (i, id) in ids.iter().enumerate() {
                        let done = store
                            .rules
                            .update_one(owned(user, *id), doc! { "$set": { "position": i as i32 } })
                            .session(&mut *s)
                            .await?;
                        if done.matched_count == 0 {
                            return Err(NOT_FOUND_RULE.into());
                        }
                    }
                    Ok(())
                }
                .boxed()
            })
            .await
        }

        async fn recent_by_description(
            &self,
            user: Id,
            prefix: &str,
            limit: usize,
        ) -> Result<Vec<Transaction>> {
            // One walk of the index from the prefix on, in its own order
            // (description, then newest first): the first SCAN entries give
            // the descriptions and, for each, its newest row.
            let end = format!("{prefix}{KEY_END}");
            let docs: Vec<TransactionDoc> = self
                .transactions
                .find(doc! {
                    "userId": oid(user),
                    "searchText": { "$gte": prefix, "$lt": &end },
                    "category": { "$ne": null },
                })
                .sort(doc! { "searchText": 1, "date": -1, "_id": -1 })
                .limit(SCAN)
                .hint(mongodb::options::Hint::Name(SEARCH_INDEX.into()))
                .await?
                .try_collect()
                .await?;
            let mut out = Vec::new();
            for t in newest_per_description(docs).into_iter().take(limit) {
                out.push(transaction_from_doc(t)?);
            }
            out.sort_by_key(|t| std::cmp::Reverse((t.date, t.id)));
            Ok(out)
        }

        async fn learned_categories(
            &self,
            user: Id,
            keys: &[(CategoryKind, String)],
        ) -> Result<Vec<Option<Id>>> {
            let mut out = Vec::with_capacity(keys.len());
            for (kind, key) in keys {
                let t = self.latest_of(user, key, Some(*kind)).await?;
                out.push(t.and_then(|t| t.category_id));
            }
            Ok(out)
        }

        async fn apply_rule_changes(
            &self,
            user: Id,
            changes: &[RuleChange],
            now: DateTime<Utc>,
        ) -> Result<u64> {
            let mut categories: Vec<Id> = changes.iter().map(|c| c.category_id).collect();
            categories.sort();
            categories.dedup();
            let ctx = (self, user, changes, categories, now);
            self.in_transaction(&ctx, |s, (store, user, changes, categories, now)| {
                async move {
                    store.lock_categories(s, *user, categories).await?;
                    let mut changed = 0;
                    for c in changes.iter() {
                        let filter = doc! {
                            "_id": oid(c.transaction_id),
                            "userId": oid(*user),
                            "type": c.kind.as_str(),
                            "category": { "$ne": null },
                        };
                        let Some(row) = store
                            .transactions
                            .find_one(filter.clone())
                            .session(&mut *s)
                            .await?
                        else {
                            continue;
                        };
                        let set = doc! {
                            "category": oid(c.category_id),
                            "description": &c.description,
                            "note": c.note.as_deref(),
                            "searchText": Transaction::search_text(&c.description, c.note.as_deref()),
                            "dupKey": duplicate_key(
                                super::docs::date_from_bson(row.date)?,
                                row.amount,
                                c.kind,
                                &c.description,
                            ),
                            "updatedAt": time_to_bson(*now),
                        };
                        changed += store
                            .transactions
                            .update_one(filter, doc! { "$set": set })
                            .session(&mut *s)
                            .await?
                            .modified_count;
                    }
                    Ok(changed)
                }
                .boxed()
            })
            .await
        }
    }
}

impl MongoStore {
    /// Lock a rule's category and account (when set) in the session's
    /// transaction; `NotFound` when either is not the user's.
    async fn lock_rule_references(
        &self,
        s: &mut ClientSession,
        user: Id,
        category: Option<Id>,
        account: Option<Id>,
    ) -> Result<(), Fail> {
        if let Some(c) = category {
            self.lock_category(s, user, c).await?;
        }
        if let Some(a) = account {
            self.lock_accounts(s, user, &[a]).await?;
        }
        Ok(())
    }

    /// Inside a category's or account's delete: the user's rules whose
    /// `field` (`category` or `accountId`) is `from` are re-pointed to `to`
    /// (the delete's move target) or, without one, deleted.
    pub(super) async fn rules_follow(
        &self,
        s: &mut ClientSession,
        user: Id,
        field: &str,
        from: Id,
        to: Option<Id>,
    ) -> Result<(), Fail> {
        let mut using = doc! { "userId": oid(user) };
        using.insert(field, oid(from));
        match to {
            Some(to) => {
                let mut set = Document::new();
                set.insert(field, oid(to));
                self.rules
                    .update_many(using, doc! { "$set": set })
                    .session(&mut *s)
                    .await?;
            }
            None => {
                self.rules.delete_many(using).session(&mut *s).await?;
            }
        }
        Ok(())
    }

    /// The user's most recent income or expense row (of `kind` when given)
    /// whose lower-cased description is `key`: the two `searchText` ranges
    /// of the description (without and with a note), each read newest first.
    async fn latest_of(
        &self,
        user: Id,
        key: &str,
        kind: Option<CategoryKind>,
    ) -> Result<Option<Transaction>, Fail> {
        // `key` itself, and `key\n…` (with a note): one index range.
        let mut filter = doc! {
            "userId": oid(user),
            "searchText": { "$gte": key, "$lt": format!("{key}\n{KEY_END}") },
            "category": { "$ne": null },
        };
        if let Some(kind) = kind {
            filter.insert("type", kind.as_str());
        }
        let docs: Vec<TransactionDoc> = self
            .transactions
            .find(filter)
            .sort(doc! { "searchText": 1, "date": -1, "_id": -1 })
            .limit(SCAN)
            .hint(mongodb::options::Hint::Name(SEARCH_INDEX.into()))
            .await?
            .try_collect()
            .await?;
        let newest = newest_per_description(docs)
            .into_iter()
            .find(|t| key_of(&t.search_text) == key);
        Ok(newest.map(transaction_from_doc).transpose()?)
    }
}
