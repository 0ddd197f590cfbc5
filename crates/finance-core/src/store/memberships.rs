//! [`Memberships`]: who may act on whose ledger (see `domain::membership`).
//!
//! Invariants both stores keep (the contract suite runs every scenario on both):
//! * one row per (ledger, member): a second invitation of the same person is
//!   `Conflict { field: "username" }` (the SQLite primary key, MongoDB's
//!   unique index `membership_unique`);
//! * the owner's own membership is implicit and never stored;
//! * deleting a user deletes every membership they are in, on either side
//!   (`Users::delete_user`, in the same transaction);
//! * every change is one statement on one row: all or nothing.

use async_trait::async_trait;

use crate::domain::{Membership, MembershipStatus, Role};
use crate::error::Result;
use crate::id::Id;

/// Memberships of people in other people's ledgers.
#[async_trait]
pub trait Memberships: Send + Sync {
    /// Store a new membership (an invitation). `Conflict { field: "username" }`
    /// when the member already has one on the ledger.
    async fn insert_membership(&self, membership: &Membership) -> Result<()>;
    /// The membership of `member` on `ledger`, if any (invited or active).
    async fn membership(&self, ledger: Id, member: Id) -> Result<Option<Membership>>;
    /// Every membership on `ledger`, oldest invitation first.
    async fn ledger_memberships(&self, ledger: Id) -> Result<Vec<Membership>>;
    /// Every membership of `member` on other ledgers, oldest invitation first.
    async fn member_memberships(&self, member: Id) -> Result<Vec<Membership>>;
    /// Turn `member`'s invitation on `ledger` into an active membership.
    /// `false` when there is no invitation (none at all, or already active).
    async fn activate_membership(&self, ledger: Id, member: Id) -> Result<bool>;
    /// Set `member`'s role on `ledger`; `false` when there is no membership.
    async fn set_membership_role(&self, ledger: Id, member: Id, role: Role) -> Result<bool>;
    /// Delete `member`'s membership on `ledger` (only one in `status` when
    /// given); `false` when there was none.
    async fn delete_membership(
        &self,
        ledger: Id,
        member: Id,
        status: Option<MembershipStatus>,
    ) -> Result<bool>;
}
