//! [`Rules`] on SQLite: the `rules` table (migration 6) and the look-ups of
//! a user's history by description.
//!
//! * A rule's category and account are checked to be the user's inside the
//!   write (`NotFound`); their foreign keys delete the rule with them, and a
//!   delete that moves rows re-points the rules first (`categories.rs`,
//!   `accounts.rs`), so no rule names a missing row.
//! * Rules are listed by (position, id) over `rules_user_position`.
//! * Suggestions walk the partial index `tx_user_description` (user, the
//!   description key [`DESCRIPTION_KEY`], date, id; income and expense rows
//!   only): one seek per distinct description to find the next key from the
//!   prefix on, one to find its most recent row — a few index seeks
//!   whatever the number of rows (`EXPLAIN QUERY PLAN` is pinned in a test).
//! * Applying changes is one write: each row is updated only while it is the
//!   user's and of the change's kind; the daily sums follow by trigger and
//!   each touched category's sums are checked to stay integers.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::SqliteStore;
use super::rows::{
    TX_COLS, bad_column, from_millis, get_account, get_category, id_col, millis, tx_row,
};
use super::scope::DESCRIPTION_KEY;
use super::sums::check_category;
use crate::domain::{
    CategoryKind, DescriptionCondition, NewRule, Rule, RuleActions, RuleChange, RuleConditions,
    TextMatch, Transaction,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::Rules;

const RULE_COLS: &str = "id, user_id, name, position, enabled, desc_match, desc_text, \
     amount_min, amount_max, account_id, kind, category_id, rename, note, created_at";

/// The highest code point: `prefix || MAX` bounds the keys starting with `prefix`.
const KEY_END: char = '\u{10FFFF}';

fn rule_row(row: &Row<'_>) -> rusqlite::Result<Rule> {
    let opt_id = |idx: usize| -> rusqlite::Result<Option<Id>> {
        row.get::<_, Option<String>>(idx)?
            .map(|s| Id::parse("id", &s).map_err(|_| bad_column(idx, "id")))
            .transpose()
    };
    let description = match (
        row.get::<_, Option<String>>(5)?,
        row.get::<_, Option<String>>(6)?,
    ) {
        (Some(how), Some(text)) => Some(DescriptionCondition::new(
            TextMatch::parse("descMatch", &how).map_err(|_| bad_column(5, "desc_match"))?,
            &text,
        )),
        _ => None,
    };
    let kind = row
        .get::<_, Option<String>>(10)?
        .map(|s| CategoryKind::parse("kind", &s).map_err(|_| bad_column(10, "kind")))
        .transpose()?;
    Ok(Rule {
        id: id_col(row, 0)?,
        user_id: id_col(row, 1)?,
        name: row.get(2)?,
        position: row.get(3)?,
        enabled: row.get::<_, i64>(4)? != 0,
        conditions: RuleConditions {
            description,
            amount_min: row.get(7)?,
            amount_max: row.get(8)?,
            account: opt_id(9)?,
            kind,
        },
        actions: RuleActions {
            category: opt_id(11)?,
            rename: row.get(12)?,
            note: row.get(13)?,
        },
        created_at: from_millis(row.get(14)?),
    })
}

fn get_rule(conn: &Connection, user: Id, id: Id) -> Result<Rule> {
    conn.query_row(
        &format!("SELECT {RULE_COLS} FROM rules WHERE id = ?1 AND user_id = ?2"),
        params![id.to_hex(), user.to_hex()],
        rule_row,
    )
    .optional()?
    .ok_or(Error::NotFound { what: "rule" })
}

/// The rule's category and account, when set, must be the user's.
fn check_references(conn: &Connection, user: Id, r: &NewRule) -> Result<()> {
    if let Some(c) = r.actions.category {
        get_category(conn, user, c)?;
    }
    if let Some(a) = r.conditions.account {
        get_account(conn, user, a)?;
    }
    Ok(())
}

/// The columns of `r` after `id, user_id, name, position, enabled` … in
/// [`RULE_COLS`] order, as SQL values.
/// Insert one rule inside the caller's write, its references checked (`NotFound`).
pub(super) fn insert_rule_row(tx: &Connection, rule: &Rule) -> Result<()> {
    let new = NewRule {
        name: rule.name.clone(),
        enabled: rule.enabled,
        conditions: rule.conditions.clone(),
        actions: rule.actions.clone(),
    };
    check_references(tx, rule.user_id, &new)?;
    let [m, t, lo, hi, acc, kind, cat, rename, note] = rule_values(&new);
    tx.prepare_cached(&format!(
        "INSERT INTO rules ({RULE_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))?
    .execute(params![
        rule.id.to_hex(),
        rule.user_id.to_hex(),
        rule.name,
        rule.position,
        i64::from(rule.enabled),
        m, t, lo, hi, acc, kind, cat, rename, note,
        millis(rule.created_at)
    ])?;
    Ok(())
}

fn rule_values(r: &NewRule) -> [rusqlite::types::Value; 9] {
    use rusqlite::types::Value;
    let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.to_string()));
    let c = &r.conditions;
    [
        text(c.description.as_ref().map(|d| d.how.as_str())),
        text(c.description.as_ref().map(|d| d.text.as_str())),
        c.amount_min.map_or(Value::Null, Value::Integer),
        c.amount_max.map_or(Value::Null, Value::Integer),
        text(c.account.map(|a| a.to_hex()).as_deref()),
        text(c.kind.map(CategoryKind::as_str)),
        text(r.actions.category.map(|a| a.to_hex()).as_deref()),
        text(r.actions.rename.as_deref()),
        text(r.actions.note.as_deref()),
    ]
}

#[async_trait]
impl Rules for SqliteStore {
    async fn rules(&self, user: Id) -> Result<Vec<Rule>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {RULE_COLS} FROM rules WHERE user_id = ?1 ORDER BY position, id"
            ))?;
            let rows = stmt
                .query_map([user.to_hex()], rule_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn rule(&self, user: Id, id: Id) -> Result<Rule> {
        self.read(move |conn| get_rule(conn, user, id)).await
    }

    async fn insert_rule(&self, rule: &Rule) -> Result<()> {
        let rule = rule.clone();
        self.write(move |tx| insert_rule_row(tx, &rule)).await
    }

    async fn update_rule(&self, user: Id, id: Id, change: &NewRule) -> Result<Rule> {
        let change = change.clone();
        self.write(move |tx| {
            get_rule(tx, user, id)?;
            check_references(tx, user, &change)?;
            let [m, t, lo, hi, acc, kind, cat, rename, note] = rule_values(&change);
            tx.execute(
                "UPDATE rules SET name = ?3, enabled = ?4, desc_match = ?5, desc_text = ?6,
                   amount_min = ?7, amount_max = ?8, account_id = ?9, kind = ?10,
                   category_id = ?11, rename = ?12, note = ?13
                 WHERE id = ?1 AND user_id = ?2",
                params![
                    id.to_hex(),
                    user.to_hex(),
                    change.name,
                    i64::from(change.enabled),
                    m,
                    t,
                    lo,
                    hi,
                    acc,
                    kind,
                    cat,
                    rename,
                    note
                ],
            )?;
            get_rule(tx, user, id)
        })
        .await
    }

    async fn delete_rule(&self, user: Id, id: Id) -> Result<()> {
        self.write(move |tx| {
            let n = tx.execute(
                "DELETE FROM rules WHERE id = ?1 AND user_id = ?2",
                params![id.to_hex(), user.to_hex()],
            )?;
            if n == 0 {
                return Err(Error::NotFound { what: "rule" });
            }
            Ok(())
        })
        .await
    }

    async fn reorder_rules(&self, user: Id, ids: &[Id]) -> Result<()> {
        let ids = ids.to_vec();
        self.write(move |tx| {
            let mut stmt =
                tx.prepare_cached("UPDATE rules SET position = ?3 WHERE id = ?1 AND user_id = ?2")?;
            for (i, id) in ids.iter().enumerate() {
                let n = stmt.execute(params![id.to_hex(), user.to_hex(), i as i64])?;
                if n == 0 {
                    return Err(Error::NotFound { what: "rule" });
                }
            }
            Ok(())
        })
        .await
    }

    async fn recent_by_description(
        &self,
        user: Id,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<Transaction>> {
        let prefix = prefix.to_string();
        self.read(move |conn| {
            let uid = user.to_hex();
            let end = format!("{prefix}{KEY_END}");
            let mut next_key = conn.prepare_cached(&format!(
                "SELECT {DESCRIPTION_KEY} FROM transactions INDEXED BY tx_user_description
                 WHERE user_id = ?1 AND category_id IS NOT NULL
                   AND {DESCRIPTION_KEY} > ?2 AND {DESCRIPTION_KEY} < ?3
                 ORDER BY {DESCRIPTION_KEY} LIMIT 1"
            ))?;
            let mut first_key = conn.prepare_cached(&format!(
                "SELECT {DESCRIPTION_KEY} FROM transactions INDEXED BY tx_user_description
                 WHERE user_id = ?1 AND category_id IS NOT NULL
                   AND {DESCRIPTION_KEY} >= ?2 AND {DESCRIPTION_KEY} < ?3
                 ORDER BY {DESCRIPTION_KEY} LIMIT 1"
            ))?;
            let mut latest = latest_stmt(conn, false)?;
            let mut out = Vec::new();
            let mut key: Option<String> = None;
            while out.len() < limit {
                let found: Option<String> = match &key {
                    None => first_key
                        .query_row(params![uid, prefix, end], |r| r.get(0))
                        .optional()?,
                    Some(k) => next_key
                        .query_row(params![uid, k, end], |r| r.get(0))
                        .optional()?,
                };
                let Some(k) = found else { break };
                if let Some(t) = latest.query_row(params![uid, k], tx_row).optional()? {
                    out.push(t);
                }
                key = Some(k);
            }
            out.sort_by_key(|t| std::cmp::Reverse((t.date, t.id)));
            Ok(out)
        })
        .await
    }

    async fn learned_categories(
        &self,
        user: Id,
        keys: &[(CategoryKind, String)],
    ) -> Result<Vec<Option<Id>>> {
        let keys = keys.to_vec();
        self.read(move |conn| {
            let uid = user.to_hex();
            let mut latest = latest_stmt(conn, true)?;
            keys.iter()
                .map(|(kind, k)| {
                    let t = latest
                        .query_row(params![uid, k, kind.as_str()], tx_row)
                        .optional()?;
                    Ok(t.and_then(|t| t.category_id))
                })
                .collect()
        })
        .await
    }

    async fn apply_rule_changes(
        &self,
        user: Id,
        changes: &[RuleChange],
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let changes = changes.to_vec();
        self.write(move |tx| {
            let mut categories: Vec<Id> = changes.iter().map(|c| c.category_id).collect();
            categories.sort();
            categories.dedup();
            for c in &categories {
                get_category(tx, user, *c)?;
            }
            let mut stmt = tx.prepare_cached(
                "UPDATE transactions SET category_id = ?3, description = ?4, note = ?5,
                   search_text = ?6, updated_at = ?7
                 WHERE id = ?1 AND user_id = ?2 AND kind = ?8 AND category_id IS NOT NULL
                   AND EXISTS (SELECT 1 FROM categories WHERE id = ?3 AND user_id = ?2 AND kind = ?8)",
            )?;
            let mut changed = 0u64;
            for c in &changes {
                changed += stmt.execute(params![
                    c.transaction_id.to_hex(),
                    user.to_hex(),
                    c.category_id.to_hex(),
                    c.description,
                    c.note,
                    Transaction::search_text(&c.description, c.note.as_deref()),
                    millis(now),
                    c.kind.as_str()
                ])? as u64;
            }
            for c in &categories {
                check_category(tx, user, *c, "categoryId")?;
            }
            Ok(changed)
        })
        .await
    }
}

/// The most recent income or expense row of a description key (`?1` user,
/// `?2` key; with `?3` a kind when `by_kind`), over `tx_user_description`.
fn latest_stmt(conn: &Connection, by_kind: bool) -> Result<rusqlite::CachedStatement<'_>> {
    let kind = if by_kind { "AND kind = ?3" } else { "" };
    Ok(conn.prepare_cached(&format!(
        "SELECT {TX_COLS} FROM transactions INDEXED BY tx_user_description
         WHERE user_id = ?1 AND category_id IS NOT NULL AND {DESCRIPTION_KEY} = ?2 {kind}
         ORDER BY date DESC, id DESC LIMIT 1"
    ))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of the schema before rules (version 5, with a user, an
    /// account, a category and rows) opened by this build: nothing is lost,
    /// rules can be added, and suggestions read the new index.
    #[cfg(feature = "testing")]
    #[tokio::test]
    async fn a_schema_5_file_gains_rules_and_keeps_its_rows() {
        use crate::domain::{Account, AccountType, Category};
        use crate::money::Currency;
        use crate::store::prelude::*;
        use chrono::NaiveDate;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("finance.sqlite3");
        SqliteStore::create_at_version_for_tests(&path, 5).unwrap();
        let (user, account, category) = (Id::generate(), Id::generate(), Id::generate());
        {
            let mut conn = rusqlite::Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            tx.execute(
                "INSERT INTO users (id, username, email, password_hash, first_name, last_name, currency, created_at)
                 VALUES (?1, 'ann', 'ann@example.com', 'x', 'Ann', 'A', 'EUR', 0)",
                [user.to_hex()],
            )
            .unwrap();
            super::super::rows::insert_account(
                &tx,
                &Account {
                    id: account,
                    user_id: user,
                    name: "Main account".into(),
                    kind: AccountType::Checking,
                    currency: Currency::EUR,
                    opening_balance: 0,
                    opening_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                    note: None,
                    archived: false,
                    position: 0,
                    last_reconciled: None,
                    created_at: DateTime::UNIX_EPOCH,
                },
            )
            .unwrap();
            super::super::rows::insert_category(
                &tx,
                &Category {
                    id: category,
                    user_id: user,
                    name: "Groceries".into(),
                    kind: CategoryKind::Expense,
                    created_at: DateTime::UNIX_EPOCH,
                },
            )
            .unwrap();
            for (i, desc) in ["Corner Shop", "corner shop", "Bakery"].iter().enumerate() {
                // The columns of schema 5 (a later `insert_row` writes later ones).
                tx.execute(
                    "INSERT INTO transactions (id, user_id, account_id, category_id, kind, amount,
                         date, description, note, search_text, created_at, updated_at, status,
                         transfer_id)
                     VALUES (?1, ?2, ?3, ?4, 'expense', ?5, ?6, ?7, NULL, ?8, 0, 0, 'uncleared', NULL)",
                    rusqlite::params![
                        Id::generate().to_hex(),
                        user.to_hex(),
                        account.to_hex(),
                        category.to_hex(),
                        100 + i as i64,
                        format!("2024-01-0{}", 1 + i),
                        desc,
                        desc.to_lowercase(),
                    ],
                )
                .unwrap();
            }
            tx.commit().unwrap();
        }
        let store = SqliteStore::open(&path).await.unwrap();
        let version: i64 = store
            .read(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(
            version,
            SqliteStore::schema_version() as i64,
            "migrated through rules to the latest schema"
        );
        let s = store
            .recent_by_description(user, "corner", 5)
            .await
            .unwrap();
        assert_eq!(s.len(), 1, "one description, ignoring case");
        assert_eq!(
            (s[0].description.as_str(), s[0].amount.minor()),
            ("corner shop", 101)
        );
        let rule = Rule {
            id: Id::generate(),
            user_id: user,
            name: "Shop".into(),
            position: 0,
            enabled: true,
            conditions: RuleConditions {
                description: Some(DescriptionCondition::new(TextMatch::Contains, "shop")),
                ..RuleConditions::default()
            },
            actions: RuleActions {
                category: Some(category),
                ..RuleActions::default()
            },
            created_at: DateTime::UNIX_EPOCH,
        };
        store.insert_rule(&rule).await.unwrap();
        assert_eq!(store.rules(user).await.unwrap(), vec![rule]);
        assert_eq!(
            store
                .learned_categories(user, &[(CategoryKind::Expense, "bakery".into())])
                .await
                .unwrap(),
            vec![Some(category)],
            "the rows from before the migration are learned from"
        );
    }

    /// Every look-up of a suggestion is an index search of
    /// `tx_user_description`, never a scan of the user's rows.
    #[tokio::test]
    async fn suggestions_search_the_description_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("f.db")).await.unwrap();
        let plans = store
            .read(|conn| {
                let mut out = Vec::new();
                for sql in [
                    format!(
                        "SELECT {DESCRIPTION_KEY} FROM transactions INDEXED BY tx_user_description
                         WHERE user_id = 'u' AND category_id IS NOT NULL
                           AND {DESCRIPTION_KEY} > 'a' AND {DESCRIPTION_KEY} < 'b'
                         ORDER BY {DESCRIPTION_KEY} LIMIT 1"
                    ),
                    format!(
                        "SELECT {TX_COLS} FROM transactions INDEXED BY tx_user_description
                         WHERE user_id = 'u' AND category_id IS NOT NULL
                           AND {DESCRIPTION_KEY} = 'a' AND kind = 'expense'
                         ORDER BY date DESC, id DESC LIMIT 1"
                    ),
                ] {
                    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                    let detail: Vec<String> = stmt
                        .query_map([], |r| r.get::<_, String>(3))?
                        .collect::<rusqlite::Result<_>>()?;
                    out.push(detail.join("; "));
                }
                Ok(out)
            })
            .await
            .unwrap();
        for plan in plans {
            assert!(
                plan.contains("SEARCH transactions USING INDEX tx_user_description"),
                "an index search: {plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "no sort: {plan}");
        }
    }
}
