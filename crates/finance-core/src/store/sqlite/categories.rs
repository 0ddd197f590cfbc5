//! [`Categories`] on SQLite: a user's income and expense categories.
//!
//! * Names are unique per (user, kind, lower-cased name) — the `name_key`
//!   column and its unique constraint; a clash is `Conflict { field: "name" }`.
//! * Categories are listed income first, then by name key, then id.
//! * Deleting a used category needs a target of the same kind; its
//!   transactions move there, and each budget moves too unless the target
//!   already has one for that period (then it is dropped) — all in one
//!   transaction with the delete; a move that would push one of the target's
//!   per-day sums past `i64` is refused (`Validation { field: "moveTo" }`).

use async_trait::async_trait;
use rusqlite::{Connection, params};

use super::SqliteStore;
use super::errors::sql_error;
use super::rows::{CATEGORY_COLS, category_row, get_category, insert_category};
use super::sums::check_category;
use crate::domain::{Category, CategoryUsage};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::rules;
use crate::store::prelude::*;

#[async_trait]
impl Categories for SqliteStore {
    async fn insert_category(&self, c: &Category) -> Result<()> {
        let c = c.clone();
        self.write(move |tx| insert_category(tx, &c)).await
    }

    async fn categories(&self, user: Id) -> Result<Vec<Category>> {
        self.read(move |conn| {
            // 'income' sorts after 'expense'; CASE puts income first like CategoryKind's order.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {CATEGORY_COLS} FROM categories WHERE user_id = ?1
                     ORDER BY CASE kind WHEN 'income' THEN 0 ELSE 1 END, name_key, id"
            ))?;
            let rows = stmt
                .query_map([user.to_hex()], category_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn category(&self, user: Id, id: Id) -> Result<Category> {
        self.read(move |conn| get_category(conn, user, id)).await
    }

    async fn rename_category(&self, user: Id, id: Id, name: &str) -> Result<Category> {
        let name = name.to_string();
        self.write(move |tx| {
            let n = tx
                .execute(
                    "UPDATE categories SET name = ?1, name_key = ?2 WHERE id = ?3 AND user_id = ?4",
                    params![name, name.to_lowercase(), id.to_hex(), user.to_hex()],
                )
                .map_err(|e| sql_error(e, "name"))?;
            if n == 0 {
                return Err(Error::NotFound { what: "category" });
            }
            get_category(tx, user, id)
        })
        .await
    }

    async fn category_usage(&self, user: Id, id: Id) -> Result<CategoryUsage> {
        self.read(move |conn| {
            get_category(conn, user, id)?;
            usage(conn, user, id)
        })
        .await
    }

    async fn delete_category(&self, user: Id, id: Id, move_to: Option<Id>) -> Result<()> {
        self.write(move |tx| {
            get_category(tx, user, id)?;
            super::schedules::check_category_unused(tx, user, id)?;
            match move_to {
                None => {
                    let used = usage(tx, user, id)?;
                    if used.is_used() {
                        return Err(rules::category_in_use(used));
                    }
                }
                Some(target_id) => {
                    // The target was checked by the caller (rules::check_move_target);
                    // here it must still exist, in this transaction.
                    get_category(tx, user, target_id)?;
                    let (uid, from, to) = (user.to_hex(), id.to_hex(), target_id.to_hex());
                    tx.execute(
                        "UPDATE transactions SET category_id = ?3 WHERE user_id = ?1 AND category_id = ?2",
                        params![uid, from, to],
                    )?;
                    // The moved rows' day sums must stay integers (`sums`).
                    check_category(tx, user, target_id, "moveTo")?;
                    // Budgets whose period the target already covers are dropped; the rest move.
                    tx.execute(
                        "DELETE FROM budgets WHERE user_id = ?1 AND category_id = ?2 AND period IN
                           (SELECT period FROM budgets WHERE user_id = ?1 AND category_id = ?3)",
                        params![uid, from, to],
                    )?;
                    tx.execute(
                        "UPDATE budgets SET category_id = ?3 WHERE user_id = ?1 AND category_id = ?2",
                        params![uid, from, to],
                    )?;
                    // Rules setting it follow its rows (without a move the
                    // foreign key deletes them with the category).
                    tx.execute(
                        "UPDATE rules SET category_id = ?3 WHERE user_id = ?1 AND category_id = ?2",
                        params![uid, from, to],
                    )?;
                }
            }
            tx.execute(
                "DELETE FROM categories WHERE id = ?1 AND user_id = ?2",
                params![id.to_hex(), user.to_hex()],
            )?;
            Ok(())
        })
        .await
    }
}

/// How many of the user's transactions and budgets use the category.
fn usage(conn: &Connection, user: Id, id: Id) -> Result<CategoryUsage> {
    let count = |table: &str| -> Result<u64> {
        let n = conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE user_id = ?1 AND category_id = ?2"),
            params![user.to_hex(), id.to_hex()],
            |r| r.get::<_, i64>(0),
        )?;
        Ok(n as u64)
    };
    Ok(CategoryUsage {
        transactions: count("transactions")?,
        budgets: count("budgets")?,
    })
}
