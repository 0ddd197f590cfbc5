//! [`Memberships`] on SQLite: the `memberships` table (migration 9).
//!
//! * Primary key (ledger_id, member_id): a second invitation of one person is
//!   `Conflict { field: "username" }` (`errors.rs`).
//! * Both columns reference `users(id) ON DELETE CASCADE`, so deleting
//!   either user deletes the row inside the user's delete.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, Row, params};

use super::SqliteStore;
use super::rows::{bad_column, from_millis, id_col, millis};
use crate::domain::{Membership, MembershipStatus, Role};
use crate::error::Result;
use crate::id::Id;
use crate::store::Memberships;

const COLS: &str = "ledger_id, member_id, role, status, invited_at";

fn membership_row(row: &Row<'_>) -> rusqlite::Result<Membership> {
    let role: String = row.get(2)?;
    let status: String = row.get(3)?;
    Ok(Membership {
        ledger: id_col(row, 0)?,
        member: id_col(row, 1)?,
        role: Role::parse("role", &role).map_err(|_| bad_column(2, "role"))?,
        status: MembershipStatus::parse(&status).ok_or_else(|| bad_column(3, "status"))?,
        invited_at: from_millis(row.get(4)?),
    })
}

#[async_trait]
impl Memberships for SqliteStore {
    async fn insert_membership(&self, m: &Membership) -> Result<()> {
        let m = m.clone();
        self.write(move |tx| {
            tx.execute(
                &format!("INSERT INTO memberships ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5)"),
                params![
                    m.ledger.to_hex(),
                    m.member.to_hex(),
                    m.role.as_str(),
                    m.status.as_str(),
                    millis(m.invited_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn membership(&self, ledger: Id, member: Id) -> Result<Option<Membership>> {
        self.read(move |conn| {
            Ok(conn
                .query_row(
                    &format!(
                        "SELECT {COLS} FROM memberships WHERE ledger_id = ?1 AND member_id = ?2"
                    ),
                    [ledger.to_hex(), member.to_hex()],
                    membership_row,
                )
                .optional()?)
        })
        .await
    }

    async fn ledger_memberships(&self, ledger: Id) -> Result<Vec<Membership>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLS} FROM memberships WHERE ledger_id = ?1 ORDER BY invited_at, member_id"
            ))?;
            let rows = stmt.query_map([ledger.to_hex()], membership_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn member_memberships(&self, member: Id) -> Result<Vec<Membership>> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLS} FROM memberships WHERE member_id = ?1 ORDER BY invited_at, ledger_id"
            ))?;
            let rows = stmt.query_map([member.to_hex()], membership_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await
    }

    async fn activate_membership(&self, ledger: Id, member: Id) -> Result<bool> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE memberships SET status = 'active'
                 WHERE ledger_id = ?1 AND member_id = ?2 AND status = 'invited'",
                [ledger.to_hex(), member.to_hex()],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn set_membership_role(&self, ledger: Id, member: Id, role: Role) -> Result<bool> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE memberships SET role = ?3 WHERE ledger_id = ?1 AND member_id = ?2",
                params![ledger.to_hex(), member.to_hex(), role.as_str()],
            )?;
            Ok(n == 1)
        })
        .await
    }

    async fn delete_membership(
        &self,
        ledger: Id,
        member: Id,
        status: Option<MembershipStatus>,
    ) -> Result<bool> {
        self.write(move |tx| {
            let n = tx.execute(
                "DELETE FROM memberships
                 WHERE ledger_id = ?1 AND member_id = ?2 AND (?3 IS NULL OR status = ?3)",
                params![ledger.to_hex(), member.to_hex(), status.map(|s| s.as_str())],
            )?;
            Ok(n == 1)
        })
        .await
    }
}
