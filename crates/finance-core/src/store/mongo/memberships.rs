//! [`Memberships`] on MongoDB: the `memberships` collection.
//!
//! Invariants:
//! * one document per (ledgerId, memberId): the unique index
//!   `membership_unique` makes a second invitation `Conflict { field:
//!   "username" }` (`errors::conflict_for`);
//! * a member's memberships are read through `membership_member`;
//! * `delete_user` deletes a user's memberships both ways in its transaction;
//! * every change is one single-document write (atomic without a transaction).

use futures::TryStreamExt;
use mongodb::bson::oid::ObjectId;
use mongodb::bson::{DateTime as BsonDateTime, Document, doc};
use serde::{Deserialize, Serialize};

use super::docs::{id_of, oid, time_from_bson, time_to_bson};
use super::errors::corrupt;
use crate::domain::{Membership, MembershipStatus, Role};
use crate::error::Result;
use crate::id::Id;
use crate::store::Memberships;

/// A stored membership.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MembershipDoc {
    ledger_id: ObjectId,
    member_id: ObjectId,
    role: String,
    status: String,
    invited_at: BsonDateTime,
}

fn to_doc(m: &Membership) -> MembershipDoc {
    MembershipDoc {
        ledger_id: oid(m.ledger),
        member_id: oid(m.member),
        role: m.role.as_str().to_string(),
        status: m.status.as_str().to_string(),
        invited_at: time_to_bson(m.invited_at),
    }
}

fn from_doc(d: MembershipDoc) -> Result<Membership> {
    Ok(Membership {
        ledger: id_of(&d.ledger_id),
        member: id_of(&d.member_id),
        role: Role::parse("role", &d.role).map_err(|_| corrupt("membership role"))?,
        status: MembershipStatus::parse(&d.status).ok_or_else(|| corrupt("membership status"))?,
        invited_at: time_from_bson(d.invited_at)?,
    })
}

fn one(ledger: Id, member: Id) -> Document {
    doc! { "ledgerId": oid(ledger), "memberId": oid(member) }
}

bounded_impl! {
    impl Memberships for MongoStore {
        async fn insert_membership(&self, m: &Membership) -> Result<()> {
            self.memberships.insert_one(to_doc(m)).await?;
            Ok(())
        }

        async fn membership(&self, ledger: Id, member: Id) -> Result<Option<Membership>> {
            let found = self.memberships.find_one(one(ledger, member)).await?;
            Ok(found.map(from_doc).transpose()?)
        }

        async fn ledger_memberships(&self, ledger: Id) -> Result<Vec<Membership>> {
            let docs: Vec<MembershipDoc> = self
                .memberships
                .find(doc! { "ledgerId": oid(ledger) })
                .sort(doc! { "invitedAt": 1, "memberId": 1 })
                .await?
                .try_collect()
                .await?;
            Ok(docs.into_iter().map(from_doc).collect::<Result<_>>()?)
        }

        async fn member_memberships(&self, member: Id) -> Result<Vec<Membership>> {
            let docs: Vec<MembershipDoc> = self
                .memberships
                .find(doc! { "memberId": oid(member) })
                .sort(doc! { "invitedAt": 1, "ledgerId": 1 })
                .await?
                .try_collect()
                .await?;
            Ok(docs.into_iter().map(from_doc).collect::<Result<_>>()?)
        }

        async fn activate_membership(&self, ledger: Id, member: Id) -> Result<bool> {
            let mut filter = one(ledger, member);
            filter.insert("status", MembershipStatus::Invited.as_str());
            let r = self
                .memberships
                .update_one(filter, doc! { "$set": { "status": MembershipStatus::Active.as_str() } })
                .await?;
            Ok(r.matched_count == 1)
        }

        async fn set_membership_role(&self, ledger: Id, member: Id, role: Role) -> Result<bool> {
            let r = self
                .memberships
                .update_one(one(ledger, member), doc! { "$set": { "role": role.as_str() } })
                .await?;
            Ok(r.matched_count == 1)
        }

        async fn delete_membership(
            &self,
            ledger: Id,
            member: Id,
            status: Option<MembershipStatus>,
        ) -> Result<bool> {
            let mut filter = one(ledger, member);
            if let Some(status) = status {
                filter.insert("status", status.as_str());
            }
            let r = self.memberships.delete_one(filter).await?;
            Ok(r.deleted_count == 1)
        }
    }
}
