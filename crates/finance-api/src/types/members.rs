//! Households: the ledgers one can act on, a ledger's members, invitations.
//!
//! Invariants: every household write answers the whole [`HouseholdView`] as it
//! stands after the write (like account writes answer the account list); ids
//! are the ledger's owner's user id and the member's user id.

use finance_core::Id;
use finance_core::domain::{LedgerAccess, MemberView, MembershipStatus, Role};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A role on a ledger: the owner (its creator), an editor, a viewer (reads only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoleView {
    Owner,
    Editor,
    Viewer,
}

impl From<Role> for RoleView {
    fn from(r: Role) -> RoleView {
        match r {
            Role::Owner => RoleView::Owner,
            Role::Editor => RoleView::Editor,
            Role::Viewer => RoleView::Viewer,
        }
    }
}

impl From<RoleView> for Role {
    fn from(r: RoleView) -> Role {
        match r {
            RoleView::Owner => Role::Owner,
            RoleView::Editor => Role::Editor,
            RoleView::Viewer => Role::Viewer,
        }
    }
}

/// A ledger one can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LedgerView {
    /// The ledger's id (its owner's user id).
    pub id: String,
    pub owner_name: String,
    pub owner_username: String,
    /// My role on it (`owner` for my own).
    pub role: RoleView,
    /// Its amounts' currency (the owner's).
    pub currency: String,
    /// True for my own ledger.
    pub own: bool,
}

impl LedgerView {
    pub fn new(a: &LedgerAccess, me: Id) -> LedgerView {
        LedgerView {
            id: a.ledger.to_hex(),
            owner_name: a.owner_name.clone(),
            owner_username: a.owner_username.clone(),
            role: a.role.into(),
            currency: a.currency.code().to_string(),
            own: a.ledger == me,
        }
    }
}

/// A member of the ledger in hand, or someone invited to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MemberRowView {
    pub member_id: String,
    pub username: String,
    pub display_name: String,
    pub role: RoleView,
    /// False while the invitation waits for an answer.
    pub active: bool,
    /// RFC 3339.
    pub invited_at: String,
}

impl From<&MemberView> for MemberRowView {
    fn from(m: &MemberView) -> MemberRowView {
        MemberRowView {
            member_id: m.member.to_hex(),
            username: m.username.clone(),
            display_name: m.display_name.clone(),
            role: m.role.into(),
            active: m.status == MembershipStatus::Active,
            invited_at: m.invited_at.to_rfc3339(),
        }
    }
}

/// An invitation waiting for my answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InvitationView {
    pub ledger_id: String,
    pub owner_username: String,
    pub owner_name: String,
    pub role: RoleView,
    /// RFC 3339.
    pub invited_at: String,
}

impl From<&MemberView> for InvitationView {
    fn from(m: &MemberView) -> InvitationView {
        InvitationView {
            ledger_id: m.ledger.to_hex(),
            owner_username: m.username.clone(),
            owner_name: m.display_name.clone(),
            role: m.role.into(),
            invited_at: m.invited_at.to_rfc3339(),
        }
    }
}

/// Settings → Household: the ledger in hand, the ledgers I can switch to,
/// the ledger's members (when I may see them) and my invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HouseholdView {
    pub active: LedgerView,
    pub ledgers: Vec<LedgerView>,
    pub members: Vec<MemberRowView>,
    pub invitations: Vec<InvitationView>,
}

/// Invite someone by username to the ledger in hand (owner only).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InviteMemberInput {
    pub username: String,
    /// `editor` or `viewer`.
    pub role: RoleView,
}

/// Change a member's role on the ledger in hand (owner only).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct SetMemberRoleInput {
    pub member_id: String,
    pub role: RoleView,
}

/// A member of the ledger in hand.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MemberIdInput {
    pub member_id: String,
}

/// A ledger (an invitation's, one to leave or to switch to; `null` = my own).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LedgerIdInput {
    pub ledger_id: Option<String>,
}

impl LedgerIdInput {
    /// The ledger named, if any.
    pub fn ledger(&self) -> Result<Option<Id>, finance_core::Error> {
        self.ledger_id
            .as_deref()
            .map(|s| Id::parse("ledgerId", s))
            .transpose()
    }

    /// The ledger named; `Validation { field: "ledgerId" }` when none is.
    pub fn required(&self) -> Result<Id, finance_core::Error> {
        self.ledger()?
            .ok_or_else(|| finance_core::Error::validation("ledgerId", "is required"))
    }
}
