//! The indexes: their names, keys and options, created when the store is
//! opened, and the `dupKey` backfill of transactions written before it existed.
//!
//! Invariants:
//! * names, keys and options are persistent: creating them again is a no-op,
//!   and the unique indexes' names are how a duplicate key is mapped to the
//!   conflicting field (see `errors::conflict_for`);
//! * an equivalent index already present under another name or with other
//!   options (an older version, or made by hand) is kept, with a warning;
//! * after opening, every transaction has a `dupKey` (`store::duplicate_key`
//!   of its fields).
//!
//! | collection | name | keys | options |
//! |---|---|---|---|
//! | `users` | `username_unique` | `username` | unique |
//! | `users` | `email_unique` | `email` | unique |
//! | `categories` | `category_name_unique` | `userId, type, nameKey` | unique |
//! | `accounts` | `account_name_unique` | `userId, nameKey` | unique |
//! | `budgets` | `budget_period_unique` | `userId, category, period` | unique |
//! | `transactions` | `user_date` | `userId, date -1, _id -1` | |
//! | `transactions` | `user_category_date` | `userId, category, date` | |
//! | `transactions` | `user_amount` | `userId, amount, _id` | |
//! | `transactions` | `user_type_amount` | `userId, type, amount -1, _id -1` | |
//! | `transactions` | `dupkey_user` | `dupKey, userId` | |
//! | `transactions` | `account_user` | `accountId, userId` | |
//! | `transactions` | `user_account_date` | `userId, accountId, date, _id` | |
//! | `transactions` | `schedule_occurrence_unique` | `userId, scheduleId, occurrence, type` | unique, partial: `scheduleId` exists |
//! | `transactions` | `bank_id_unique` | `userId, accountId, bankId` | unique, partial: `bankId` exists |
//! | `schedules` | `schedule_user` | `userId, createdAt, _id` | |
//! | `schedules` | `schedule_account_user` | `accountId, userId` | |
//! | `schedules` | `schedule_to_account_user` | `toAccountId, userId` | |
//! | `schedules` | `schedule_category_user` | `category, userId` | |
//! | `transactions` | `user_search_date` | `userId, searchText, date -1, _id -1` | |
//! | `rules` | `rule_user_position` | `userId, position, _id` | |
//! | `idempotencyKeys` | `idempotency_key_unique` | `userId, key` | unique |
//! | `sessions` | `session_expiry_ttl` | `expiresAt` | TTL, expire after 0 s |
//! | `sessions` | `session_user` | `userId` | |
//! | `memberships` | `membership_unique` | `ledgerId, memberId` | unique |
//! | `memberships` | `membership_member` | `memberId, ledgerId` | |

use std::time::Duration;

use futures::TryStreamExt;
use mongodb::bson::{Document, doc};
use mongodb::options::IndexOptions;
use mongodb::{Collection, IndexModel};

use super::MongoStore;
use super::docs::{key_from_doc, key_projection};
use super::errors::{Fail, corrupt, error_code};

// Index names: the duplicate-key message names the index, which names the field.
pub(super) const USERNAME_INDEX: &str = "username_unique";
pub(super) const EMAIL_INDEX: &str = "email_unique";
pub(super) const CATEGORY_NAME_INDEX: &str = "category_name_unique";
pub(super) const ACCOUNT_NAME_INDEX: &str = "account_name_unique";
pub(super) const BUDGET_PERIOD_INDEX: &str = "budget_period_unique";
pub(super) const IDEMPOTENCY_INDEX: &str = "idempotency_key_unique";
pub(super) const SCHEDULE_OCCURRENCE_INDEX: &str = "schedule_occurrence_unique";
pub(super) const BANK_ID_INDEX: &str = "bank_id_unique";
pub(super) const MEMBERSHIP_INDEX: &str = "membership_unique";

impl MongoStore {
    pub(super) async fn create_indexes(&self) -> Result<(), Fail> {
        ensure_indexes(
            &self.users,
            vec![
                index(doc! { "username": 1 }, USERNAME_INDEX, true),
                index(doc! { "email": 1 }, EMAIL_INDEX, true),
            ],
        )
        .await?;
        ensure_indexes(
            &self.memberships,
            vec![
                index(
                    doc! { "ledgerId": 1, "memberId": 1 },
                    MEMBERSHIP_INDEX,
                    true,
                ),
                index(
                    doc! { "memberId": 1, "ledgerId": 1 },
                    "membership_member",
                    false,
                ),
            ],
        )
        .await?;
        ensure_indexes(
            &self.categories,
            vec![index(
                doc! { "userId": 1, "type": 1, "nameKey": 1 },
                CATEGORY_NAME_INDEX,
                true,
            )],
        )
        .await?;
        ensure_indexes(
            &self.accounts,
            vec![index(
                doc! { "userId": 1, "nameKey": 1 },
                ACCOUNT_NAME_INDEX,
                true,
            )],
        )
        .await?;
        ensure_indexes(
            &self.budgets,
            vec![index(
                doc! { "userId": 1, "category": 1, "period": 1 },
                BUDGET_PERIOD_INDEX,
                true,
            )],
        )
        .await?;
        ensure_indexes(
            &self.transactions,
            vec![
                index(
                    doc! { "userId": 1, "date": -1, "_id": -1 },
                    "user_date",
                    false,
                ),
                index(
                    doc! { "userId": 1, "category": 1, "date": 1 },
                    "user_category_date",
                    false,
                ),
                index(
                    doc! { "userId": 1, "amount": 1, "_id": 1 },
                    "user_amount",
                    false,
                ),
                // The report's largest expenses: equality on userId and type, then
                // the sort order, so the server stops after `limit` matches.
                index(
                    doc! { "userId": 1, "type": 1, "amount": -1, "_id": -1 },
                    "user_type_amount",
                    false,
                ),
                // Import duplicate checks (`dupKey` $in, with userId), and the
                // start-up check for documents without a key (`dupKey: null`).
                index(doc! { "dupKey": 1, "userId": 1 }, "dupkey_user", false),
                // An account's transactions (delete: count or move), and the
                // start-up check for documents without one (`accountId: null`).
                index(doc! { "accountId": 1, "userId": 1 }, "account_user", false),
                // An account's register (pages by date, both directions) and
                // its balance before a day.
                index(
                    doc! { "userId": 1, "accountId": 1, "date": 1, "_id": 1 },
                    "user_account_date",
                    false,
                ),
                // Suggestions and an import's learned categories: a range of
                // lower-cased descriptions (`searchText` starts with it), the
                // most recent first within one.
                index(
                    doc! { "userId": 1, "searchText": 1, "date": -1, "_id": -1 },
                    "user_search_date",
                    false,
                ),
            ],
        )
        .await?;
        // A schedule's occurrence is posted once: unique over the rows that
        // carry one (a transfer's two legs differ by type).
        let posted_once = IndexOptions::builder()
            .name(SCHEDULE_OCCURRENCE_INDEX.to_string())
            .unique(true)
            .partial_filter_expression(doc! { "scheduleId": { "$exists": true } })
            .build();
        ensure_indexes(
            &self.transactions,
            vec![
                IndexModel::builder()
                    .keys(doc! { "userId": 1, "scheduleId": 1, "occurrence": 1, "type": 1 })
                    .options(posted_once)
                    .build(),
            ],
        )
        .await?;
        // A bank's statement entry is stored once per account: unique over
        // the rows that carry a bank id (an import looks its ids up here).
        let banked_once = IndexOptions::builder()
            .name(BANK_ID_INDEX.to_string())
            .unique(true)
            .partial_filter_expression(doc! { "bankId": { "$exists": true } })
            .build();
        ensure_indexes(
            &self.transactions,
            vec![
                IndexModel::builder()
                    .keys(doc! { "userId": 1, "accountId": 1, "bankId": 1 })
                    .options(banked_once)
                    .build(),
            ],
        )
        .await?;
        ensure_indexes(
            &self.schedules,
            vec![
                index(
                    doc! { "userId": 1, "createdAt": 1, "_id": 1 },
                    "schedule_user",
                    false,
                ),
                index(
                    doc! { "accountId": 1, "userId": 1 },
                    "schedule_account_user",
                    false,
                ),
                index(
                    doc! { "toAccountId": 1, "userId": 1 },
                    "schedule_to_account_user",
                    false,
                ),
                index(
                    doc! { "category": 1, "userId": 1 },
                    "schedule_category_user",
                    false,
                ),
            ],
        )
        .await?;
        ensure_indexes(
            &self.rules,
            vec![index(
                doc! { "userId": 1, "position": 1, "_id": 1 },
                "rule_user_position",
                false,
            )],
        )
        .await?;
        ensure_indexes(
            &self.idempotency,
            vec![index(
                doc! { "userId": 1, "key": 1 },
                IDEMPOTENCY_INDEX,
                true,
            )],
        )
        .await?;
        let ttl = IndexOptions::builder()
            .name("session_expiry_ttl".to_string())
            .expire_after(Duration::ZERO)
            .build();
        ensure_indexes(
            &self.sessions,
            vec![
                IndexModel::builder()
                    .keys(doc! { "expiresAt": 1 })
                    .options(ttl)
                    .build(),
                index(doc! { "userId": 1 }, "session_user", false),
            ],
        )
        .await
    }

    /// Give transactions written without a `dupKey` (before it existed) theirs.
    /// Cheap when there are none: `{dupKey: null}` is answered by the
    /// `dupkey_user` index.
    pub(super) async fn backfill_duplicate_keys(&self) -> Result<(), Fail> {
        let mut filled = 0u64;
        loop {
            let batch: Vec<Document> = self
                .transactions
                .clone_with_type::<Document>()
                .find(doc! { "dupKey": null })
                .projection(key_projection(true))
                .limit(1000)
                .await?
                .try_collect()
                .await?;
            if batch.is_empty() {
                break;
            }
            for d in &batch {
                let key = key_from_doc(d)?;
                let id = d.get_object_id("_id").map_err(|_| corrupt("_id"))?;
                self.transactions
                    .update_one(
                        doc! { "_id": id },
                        doc! { "$set": { "dupKey": key.lookup_key() } },
                    )
                    .await?;
                filled += 1;
            }
        }
        if filled > 0 {
            tracing::info!(transactions = filled, "duplicate keys backfilled");
        }
        Ok(())
    }
}

/// Create `models` on `coll`. An equivalent index that already exists under
/// another name or with other options (made by an older version or by hand)
/// is kept with a warning rather than failing start-up.
async fn ensure_indexes<T: Send + Sync>(
    coll: &Collection<T>,
    models: Vec<IndexModel>,
) -> Result<(), Fail> {
    match coll.create_indexes(models.clone()).await {
        Err(e) if is_index_conflict(&e) => {
            for model in models {
                match coll.create_index(model).await {
                    Err(e) if is_index_conflict(&e) => tracing::warn!(
                        collection = coll.name(),
                        "an index on the same keys exists under another name or with other options; keeping it"
                    ),
                    other => {
                        other?;
                    }
                }
            }
            Ok(())
        }
        other => other.map(drop).map_err(Fail::Db),
    }
}

/// IndexOptionsConflict (85) or IndexKeySpecsConflict (86).
fn is_index_conflict(e: &mongodb::error::Error) -> bool {
    matches!(error_code(e), Some(85 | 86))
}

fn index(keys: Document, name: &str, unique: bool) -> IndexModel {
    let options = IndexOptions::builder()
        .name(name.to_string())
        .unique(unique.then_some(true))
        .build();
    IndexModel::builder().keys(keys).options(options).build()
}
