//! Households: a **ledger** is what one user owns (its key is that user's id,
//! `userId` in every table and collection); a **membership** grants another
//! user a [`Role`] on it. This file holds the one rule of what each role may
//! do ([`Role::allows`]); `ops` applies it once, at the start of every
//! operation (`AuthUser::require`).
//!
//! Invariants:
//! * the ledger's creator is its only [`Role::Owner`]; that membership is
//!   implicit and never stored, so a ledger with no members has no rows;
//! * a stored membership's role is [`Role::Editor`] or [`Role::Viewer`]
//!   (an owner cannot hand ownership to a member: ownership decides whose
//!   password, profile and backups the ledger's are, so it stays with the
//!   person who created it);
//! * a membership is `Invited` until the invitee accepts (`Active`); only an
//!   active membership lets its member act on the ledger.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::id::Id;

/// What an operation needs of the person acting on a ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read the ledger's data (lists, totals, reports, exports).
    Read,
    /// Change the ledger's data (accounts, categories, budgets,
    /// transactions, imports, schedules, rules).
    Write,
    /// Invite, re-role and remove the ledger's members.
    ManageMembers,
    /// What only the person whose ledger it is may do: their profile's
    /// currency, password, deleting the account, backing up and restoring it.
    OwnLedger,
}

/// A person's role on a ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Reads and reports only.
    Viewer,
    /// Reads and changes the data; cannot manage members.
    Editor,
    /// Everything: the ledger's creator.
    Owner,
}

impl Role {
    /// The one rule: viewer = Read; editor = Read + Write; owner = all.
    pub fn allows(self, permission: Permission) -> bool {
        match self {
            Role::Owner => true,
            Role::Editor => matches!(permission, Permission::Read | Permission::Write),
            Role::Viewer => permission == Permission::Read,
        }
    }

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// Parse a stored or wire name.
    pub fn parse(field: &str, s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "owner" => Ok(Role::Owner),
            "editor" => Ok(Role::Editor),
            "viewer" => Ok(Role::Viewer),
            _ => Err(Error::validation(
                field,
                "must be \"owner\", \"editor\" or \"viewer\"",
            )),
        }
    }

    /// A role that may be granted to a member (editor or viewer); `owner` is
    /// refused with `Validation { field }` (see the module docs).
    pub fn for_member(field: &str, role: Role) -> Result<Role> {
        match role {
            Role::Owner => Err(Error::validation(
                field,
                "a ledger has one owner, its creator: a member is an editor or a viewer",
            )),
            other => Ok(other),
        }
    }

    /// What a refused `permission` says to this role.
    pub(crate) fn refusal(self, permission: Permission) -> String {
        let role = self.as_str();
        match permission {
            Permission::Read => format!("a {role} cannot read this ledger"),
            Permission::Write => format!("a {role} can only read this ledger"),
            Permission::ManageMembers => {
                format!("a {role} cannot manage this ledger's members; only its owner can")
            }
            Permission::OwnLedger => format!(
                "only the owner can do this on their own ledger; a {role} can switch to their own ledger"
            ),
        }
    }
}

/// Whether an invitation was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MembershipStatus {
    Invited,
    Active,
}

impl MembershipStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Invited => "invited",
            MembershipStatus::Active => "active",
        }
    }

    /// Parse a stored name.
    pub fn parse(s: &str) -> Option<MembershipStatus> {
        match s {
            "invited" => Some(MembershipStatus::Invited),
            "active" => Some(MembershipStatus::Active),
            _ => None,
        }
    }
}

/// A stored membership: `member` has `role` on the ledger of `ledger`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Membership {
    /// The ledger (its owner's user id).
    pub ledger: Id,
    /// The member's user id.
    pub member: Id,
    /// Editor or viewer.
    pub role: Role,
    pub status: MembershipStatus,
    pub invited_at: DateTime<Utc>,
}

/// A ledger one can act on, as listed by `Finance::ledgers`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerAccess {
    /// The ledger (its owner's user id).
    pub ledger: Id,
    /// The owner's display name ("First Last").
    pub owner_name: String,
    /// The owner's username.
    pub owner_username: String,
    /// My role on it (`Owner` for my own).
    pub role: Role,
    /// Amounts on it are in this currency (the owner's).
    pub currency: crate::money::Currency,
}

/// A member of a ledger, or an invitation to it, as listed by
/// `Finance::members` and `Finance::invitations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberView {
    pub ledger: Id,
    pub member: Id,
    /// The member's username (for `members`), or the ledger owner's (for `invitations`).
    pub username: String,
    /// The matching display name ("First Last").
    pub display_name: String,
    pub role: Role,
    pub status: MembershipStatus,
    pub invited_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_exactly_their_permissions() {
        use Permission::*;
        let all = [Read, Write, ManageMembers, OwnLedger];
        let allowed = |r: Role| all.iter().filter(|p| r.allows(**p)).count();
        assert_eq!(allowed(Role::Owner), 4, "an owner may do everything");
        assert_eq!(allowed(Role::Editor), 2, "an editor reads and writes");
        assert!(Role::Editor.allows(Write) && !Role::Editor.allows(ManageMembers));
        assert_eq!(allowed(Role::Viewer), 1, "a viewer only reads");
        assert!(Role::Viewer.allows(Read));
        for r in [Role::Owner, Role::Editor, Role::Viewer] {
            assert_eq!(Role::parse("role", r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("role", "admin").is_err());
        assert!(Role::for_member("role", Role::Owner).is_err());
    }
}
