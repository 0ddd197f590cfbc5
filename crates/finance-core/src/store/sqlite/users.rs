//! [`Users`] on SQLite: registration, look-up, password change, deletion.
//!
//! * A user, their starting categories and first account are inserted in one transaction;
//!   a taken username or email is `Conflict` naming that field (the unique
//!   constraints of `users`).
//! * Changing the password ends every other session in the same transaction.
//! * Deleting a user deletes everything they own (transactions, budgets,
//!   categories, accounts, sessions, idempotency keys, memberships both ways)
//!   before the user row, all or nothing.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::rows::{USER_COLS, insert_account, insert_category, millis, user_row};
use crate::domain::{Account, Category, CurrencyUsage};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::money::Currency;
use crate::rules;
use crate::store::UserRecord;
use crate::store::prelude::*;

#[async_trait]
impl Users for SqliteStore {
    async fn create_user(
        &self,
        user: &UserRecord,
        categories: &[Category],
        account: &Account,
    ) -> Result<()> {
        let user = user.clone();
        let categories = categories.to_vec();
        let account = account.clone();
        self.write(move |tx| {
            let u = &user.user;
            tx.execute(
                &format!("INSERT INTO users ({USER_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
                params![
                    u.id.to_hex(),
                    u.username,
                    u.email,
                    user.password_hash,
                    u.first_name,
                    u.last_name,
                    u.currency.code(),
                    millis(u.created_at)
                ],
            )?;
            for c in &categories {
                insert_category(tx, c)?;
            }
            insert_account(tx, &account)?;
            Ok(())
        })
        .await
    }

    async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>> {
        let username = username.to_string();
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {USER_COLS} FROM users WHERE username = ?1"),
                    [username],
                    user_row,
                )
                .optional()?)
        })
        .await
    }

    async fn user_by_id(&self, id: Id) -> Result<Option<UserRecord>> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {USER_COLS} FROM users WHERE id = ?1"),
                    [id.to_hex()],
                    user_row,
                )
                .optional()?)
        })
        .await
    }

    async fn set_password_hash(&self, user: Id, hash: &str, keep_jti: Option<&str>) -> Result<()> {
        let hash = hash.to_string();
        let keep = keep_jti.unwrap_or("").to_string();
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                params![hash, user.to_hex()],
            )?;
            if n == 0 {
                return Err(Error::NotFound { what: "user" });
            }
            tx.execute(
                "DELETE FROM sessions WHERE user_id = ?1 AND jti <> ?2",
                params![user.to_hex(), keep],
            )?;
            Ok(())
        })
        .await
    }

    async fn delete_user(&self, user: Id) -> Result<()> {
        self.write(move |tx| {
            let uid = user.to_hex();
            // The log-in throttle is keyed by the (normalised) username.
            tx.execute(
                "DELETE FROM login_throttle
                 WHERE username = (SELECT username FROM users WHERE id = ?1)",
                [&uid],
            )?;
            for table in [
                "rules",
                "transactions",
                "schedules",
                "budgets",
                "categories",
                "accounts",
                "sessions",
                "idempotency_keys",
            ] {
                tx.execute(&format!("DELETE FROM {table} WHERE user_id = ?1"), [&uid])?;
            }
            // Their memberships both ways (the foreign keys cascade too; said here
            // so the delete does not depend on it).
            tx.execute(
                "DELETE FROM memberships WHERE ledger_id = ?1 OR member_id = ?1",
                [&uid],
            )?;
            let n = tx.execute("DELETE FROM users WHERE id = ?1", [&uid])?;
            if n == 0 {
                return Err(Error::NotFound { what: "user" });
            }
            Ok(())
        })
        .await
    }

    async fn currency_usage(&self, user: Id) -> Result<CurrencyUsage> {
        self.read(move |conn| currency_usage(conn, user)).await
    }

    async fn set_currency(&self, user: Id, currency: Currency) -> Result<()> {
        self.write(move |tx| {
            if let Some(refused) = rules::currency_in_use(currency_usage(tx, user)?) {
                return Err(refused);
            }
            let uid = user.to_hex();
            let n = tx.execute(
                "UPDATE users SET currency = ?2 WHERE id = ?1",
                params![uid, currency.code()],
            )?;
            if n == 0 {
                return Err(Error::NotFound { what: "user" });
            }
            tx.execute(
                "UPDATE accounts SET currency = ?2 WHERE user_id = ?1",
                params![uid, currency.code()],
            )?;
            Ok(())
        })
        .await
    }

    async fn count_users(&self, limit: u64) -> Result<u64> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read(move |conn| {
            let n: i64 = conn.query_row(
                "SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT ?1)",
                [limit],
                |r| r.get(0),
            )?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
        .await
    }
}

/// What holds amounts in `user`'s currency (counted over the user's indexes;
/// asked only before a currency change).
fn currency_usage(conn: &rusqlite::Connection, user: Id) -> Result<CurrencyUsage> {
    let uid = user.to_hex();
    let any = |sql: &str| -> Result<u64> {
        let found: i64 = conn.query_row(sql, [&uid], |r| r.get(0))?;
        Ok(u64::try_from(found).unwrap_or(0))
    };
    Ok(CurrencyUsage {
        transactions: any("SELECT COUNT(*) FROM transactions WHERE user_id = ?1")?,
        budgets: any("SELECT COUNT(*) FROM budgets WHERE user_id = ?1")?,
        balances: any("SELECT COUNT(*) FROM accounts WHERE user_id = ?1 \
             AND (opening_balance <> 0 OR reconciled_balance IS NOT NULL)")?,
        schedules: any("SELECT COUNT(*) FROM schedules WHERE user_id = ?1")?,
        rules: any("SELECT COUNT(*) FROM rules WHERE user_id = ?1 \
             AND (amount_min IS NOT NULL OR amount_max IS NOT NULL)")?,
    })
}
