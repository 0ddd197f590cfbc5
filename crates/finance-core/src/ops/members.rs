//! Households: invite people to one's ledger with a role, accept or decline
//! an invitation, list the ledgers one can act on and a ledger's members,
//! change a member's role, remove a member, leave a ledger.
//!
//! Invariants (the rules are in `domain::membership`):
//! * only the owner manages members ([`Permission::ManageMembers`]): invite,
//!   change a role, remove (an invitation not yet accepted too);
//! * any member may read the ledger's member list ([`Permission::Read`]): who
//!   else sees the data is part of what they see;
//! * the operations on one's *own* memberships (my invitations, accept,
//!   decline, my ledgers, leave) act on the person ([`AuthUser::id`]), never
//!   on the ledger in hand, so they need only [`Permission::Read`], which
//!   every role holds;
//! * a member's role is editor or viewer: the ledger's creator is its only
//!   owner, and ownership is never granted (`Validation { field: "role" }`);
//! * a ledger, invitation or member that is not there — or not one's own to
//!   see — is `NotFound`, like every other id of another ledger;
//! * an invitation by username says whether that username has an account
//!   (`Validation { field: "username" }`), as registration already does;
//! * memberships are not part of a backup or a copy to another store (they
//!   name other people's accounts, which the target may not hold): a restored
//!   ledger starts with no members.

use chrono::{DateTime, Utc};

use super::{AuthUser, Finance, millis};
use crate::domain::{
    LedgerAccess, MemberView, Membership, MembershipStatus, Permission, Role, User, Username,
};
use crate::error::{Error, Result};
use crate::id::Id;
use crate::store::UserRecord;

fn display_name(u: &User) -> String {
    format!("{} {}", u.first_name, u.last_name)
        .trim()
        .to_string()
}

/// `m` as listed, `who` being the user it shows (the member, or the ledger's owner).
fn view(m: &Membership, who: &User) -> MemberView {
    MemberView {
        ledger: m.ledger,
        member: m.member,
        username: who.username.clone(),
        display_name: display_name(who),
        role: m.role,
        status: m.status,
        invited_at: m.invited_at,
    }
}

fn access(owner: &User, role: Role) -> LedgerAccess {
    LedgerAccess {
        ledger: owner.id,
        owner_name: display_name(owner),
        owner_username: owner.username.clone(),
        role,
        currency: owner.currency,
    }
}

impl Finance {
    async fn user_record(&self, id: Id) -> Result<Option<UserRecord>> {
        self.store.user_by_id(id).await
    }

    /// Invite the person with `username` to the ledger in hand with `role`
    /// (editor or viewer; owner only). An unknown username or oneself is
    /// `Validation { field: "username" }`; someone already a member or
    /// invited is `Conflict { field: "username" }`; `owner` is
    /// `Validation { field: "role" }`.
    pub async fn invite_member(
        &self,
        user: &AuthUser,
        username: &str,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<MemberView> {
        user.require(Permission::ManageMembers)?;
        let role = Role::for_member("role", role)?;
        let key = Username::parse(username)
            .map(|u| u.as_str().to_string())
            .unwrap_or_else(|_| username.trim().to_lowercase());
        if key.is_empty() {
            return Err(Error::validation("username", "is required"));
        }
        let invitee = self
            .store
            .user_by_username(&key)
            .await?
            .ok_or_else(|| Error::validation("username", "no account has that username"))?;
        if invitee.user.id == user.ledger() {
            return Err(Error::validation(
                "username",
                "you own this ledger: invite someone else",
            ));
        }
        let membership = Membership {
            ledger: user.ledger(),
            member: invitee.user.id,
            role,
            status: MembershipStatus::Invited,
            invited_at: millis(now),
        };
        self.store.insert_membership(&membership).await?;
        tracing::info!(ledger = %user.ledger(), member = %invitee.user.id, role = role.as_str(), "member invited");
        Ok(view(&membership, &invitee.user))
    }

    /// The invitations waiting for the signed-in person, with the inviting
    /// owner's username and name.
    pub async fn invitations(&self, user: &AuthUser) -> Result<Vec<MemberView>> {
        user.require(Permission::Read)?;
        let mut out = Vec::new();
        for m in self.store.member_memberships(user.id()).await? {
            if m.status != MembershipStatus::Invited {
                continue;
            }
            if let Some(owner) = self.user_record(m.ledger).await? {
                out.push(view(&m, &owner.user));
            }
        }
        Ok(out)
    }

    /// Accept the invitation to `ledger`; `NotFound { what: "invitation" }`
    /// when there is none. Answers the ledger as [`Finance::ledgers`] lists it.
    pub async fn accept_invitation(&self, user: &AuthUser, ledger: Id) -> Result<LedgerAccess> {
        user.require(Permission::Read)?;
        let not_found = || Error::NotFound { what: "invitation" };
        let invited = self
            .store
            .membership(ledger, user.id())
            .await?
            .filter(|m| m.status == MembershipStatus::Invited)
            .ok_or_else(not_found)?;
        let owner = self.user_record(ledger).await?.ok_or_else(not_found)?;
        if !self.store.activate_membership(ledger, user.id()).await? {
            return Err(not_found());
        }
        tracing::info!(%ledger, member = %user.id(), "invitation accepted");
        Ok(access(&owner.user, invited.role))
    }

    /// Decline the invitation to `ledger`; `NotFound { what: "invitation" }` when there is none.
    pub async fn decline_invitation(&self, user: &AuthUser, ledger: Id) -> Result<()> {
        user.require(Permission::Read)?;
        if !self
            .store
            .delete_membership(ledger, user.id(), Some(MembershipStatus::Invited))
            .await?
        {
            return Err(Error::NotFound { what: "invitation" });
        }
        tracing::info!(%ledger, member = %user.id(), "invitation declined");
        Ok(())
    }

    /// The ledgers the signed-in person can act on: their own first (as
    /// owner), then those they are an active member of, with the owner's
    /// name and their role.
    pub async fn ledgers(&self, user: &AuthUser) -> Result<Vec<LedgerAccess>> {
        user.require(Permission::Read)?;
        let me = self
            .user_record(user.id())
            .await?
            .ok_or_else(Error::unauthorized)?;
        let mut out = vec![access(&me.user, Role::Owner)];
        for m in self.store.member_memberships(user.id()).await? {
            if m.status != MembershipStatus::Active {
                continue;
            }
            if let Some(owner) = self.user_record(m.ledger).await? {
                out.push(access(&owner.user, m.role));
            }
        }
        Ok(out)
    }

    /// The members of the ledger in hand: its owner first (implicit, never
    /// stored), then every member and invitation. Any member may read it:
    /// who else sees the ledger is part of what they see.
    pub async fn members(&self, user: &AuthUser) -> Result<Vec<MemberView>> {
        user.require(Permission::Read)?;
        let owner = self
            .user_record(user.ledger())
            .await?
            .ok_or(Error::NotFound { what: "ledger" })?;
        let mut out = vec![MemberView {
            ledger: owner.user.id,
            member: owner.user.id,
            username: owner.user.username.clone(),
            display_name: display_name(&owner.user),
            role: Role::Owner,
            status: MembershipStatus::Active,
            invited_at: owner.user.created_at,
        }];
        for m in self.store.ledger_memberships(user.ledger()).await? {
            if let Some(member) = self.user_record(m.member).await? {
                out.push(view(&m, &member.user));
            }
        }
        Ok(out)
    }

    /// Change `member`'s role on the ledger in hand (owner only; editor or
    /// viewer). `NotFound { what: "member" }` when they are not a member.
    pub async fn set_member_role(
        &self,
        user: &AuthUser,
        member: Id,
        role: Role,
    ) -> Result<MemberView> {
        user.require(Permission::ManageMembers)?;
        let role = Role::for_member("role", role)?;
        let not_found = || Error::NotFound { what: "member" };
        if !self
            .store
            .set_membership_role(user.ledger(), member, role)
            .await?
        {
            return Err(not_found());
        }
        let m = self
            .store
            .membership(user.ledger(), member)
            .await?
            .ok_or_else(not_found)?;
        let who = self.user_record(member).await?.ok_or_else(not_found)?;
        tracing::info!(ledger = %user.ledger(), %member, role = role.as_str(), "member role changed");
        Ok(view(&m, &who.user))
    }

    /// Remove `member` (or their invitation) from the ledger in hand (owner
    /// only): their next call on it is refused. `NotFound { what: "member" }`
    /// when they are not a member.
    pub async fn remove_member(&self, user: &AuthUser, member: Id) -> Result<()> {
        user.require(Permission::ManageMembers)?;
        if !self
            .store
            .delete_membership(user.ledger(), member, None)
            .await?
        {
            return Err(Error::NotFound { what: "member" });
        }
        tracing::info!(ledger = %user.ledger(), %member, "member removed");
        Ok(())
    }

    /// Leave `ledger`, of which the signed-in person is an active member.
    /// One's own ledger cannot be left (`Validation { field: "ledger" }`: delete
    /// the account instead); any other is `NotFound { what: "ledger" }` unless
    /// one is a member.
    pub async fn leave_ledger(&self, user: &AuthUser, ledger: Id) -> Result<()> {
        user.require(Permission::Read)?;
        if ledger == user.id() {
            return Err(Error::validation(
                "ledger",
                "you own this ledger and cannot leave it",
            ));
        }
        if !self
            .store
            .delete_membership(ledger, user.id(), Some(MembershipStatus::Active))
            .await?
        {
            return Err(Error::NotFound { what: "ledger" });
        }
        tracing::info!(%ledger, member = %user.id(), "left a ledger");
        Ok(())
    }
}
