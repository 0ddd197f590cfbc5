//! Households on both stores: inviting, accepting, declining, listing,
//! re-roling, removing and leaving, with the answers each refusal gives.

use finance_core::Error;
use finance_core::domain::{MembershipStatus, Role};
use finance_testkit::{Harness, assert_err, now};

pub async fn members_are_invited_accept_and_are_managed_by_the_owner(h: &Harness) {
    let f = &h.finance;
    let olga = h.user("olga").await;
    let eddie = h.user("eddie").await;
    let vivi = h.user("vivi").await;

    // Invitations, oldest first, seen by the invitee only.
    let first = f
        .invite_member(&olga, "  EDDIE ", Role::Editor, now())
        .await
        .expect("usernames are matched like at log-in");
    assert_eq!(
        (
            first.member,
            first.role,
            first.status,
            first.username.as_str()
        ),
        (eddie.id(), Role::Editor, MembershipStatus::Invited, "eddie")
    );
    // A second later: the order is the invitations', not the ids'.
    let later = now() + chrono::TimeDelta::seconds(1);
    f.invite_member(&olga, "vivi", Role::Viewer, later)
        .await
        .unwrap();
    let waiting = f.invitations(&eddie).await.unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(
        (waiting[0].ledger, waiting[0].username.as_str()),
        (olga.id(), "olga"),
        "an invitation names the inviting owner"
    );
    assert!(f.invitations(&olga).await.unwrap().is_empty());
    let listed = f.members(&olga).await.unwrap();
    let roles: Vec<_> = listed
        .iter()
        .map(|m| (m.member, m.role, m.status))
        .collect();
    assert_eq!(
        roles,
        [
            (olga.id(), Role::Owner, MembershipStatus::Active),
            (eddie.id(), Role::Editor, MembershipStatus::Invited),
            (vivi.id(), Role::Viewer, MembershipStatus::Invited),
        ],
        "the owner first, then members in invitation order"
    );

    // An invitation gives no access until accepted; accepting twice is NotFound.
    let (eddie_token, _) = h.login("eddie").await;
    assert!(matches!(
        f.authenticate_on(&eddie_token, Some(olga.id()), now())
            .await,
        Err(Error::NotFound { .. })
    ));
    let access = f.accept_invitation(&eddie, olga.id()).await.unwrap();
    assert_eq!(
        (access.ledger, access.role, access.owner_username.as_str()),
        (olga.id(), Role::Editor, "olga")
    );
    assert_err(
        f.accept_invitation(&eddie, olga.id()).await,
        "not_found",
        None,
    );
    let ledgers: Vec<_> = f
        .ledgers(&eddie)
        .await
        .unwrap()
        .iter()
        .map(|l| (l.ledger, l.role))
        .collect();
    assert_eq!(
        ledgers,
        [(eddie.id(), Role::Owner), (olga.id(), Role::Editor)],
        "one's own ledger first, then the ones one is a member of"
    );
    let on_olga = f
        .authenticate_on(&eddie_token, Some(olga.id()), now())
        .await
        .unwrap();
    assert_eq!(
        f.members(&on_olga).await.unwrap().len(),
        3,
        "any member may read the member list"
    );

    // Declining removes the invitation; declining again is NotFound.
    f.decline_invitation(&vivi, olga.id()).await.unwrap();
    assert_err(
        f.decline_invitation(&vivi, olga.id()).await,
        "not_found",
        None,
    );
    assert!(f.invitations(&vivi).await.unwrap().is_empty());

    // The owner changes roles (never to owner) and removes members.
    let changed = f
        .set_member_role(&olga, eddie.id(), Role::Viewer)
        .await
        .unwrap();
    assert_eq!(changed.role, Role::Viewer);
    let on_olga = f
        .authenticate_on(&eddie_token, Some(olga.id()), now())
        .await
        .unwrap();
    assert_eq!(on_olga.role(), Role::Viewer, "the new role applies at once");
    assert_err(
        f.set_member_role(&olga, eddie.id(), Role::Owner).await,
        "validation",
        Some("role"),
    );
    assert_err(
        f.set_member_role(&olga, vivi.id(), Role::Editor).await,
        "not_found",
        None,
    );
    assert_err(f.remove_member(&olga, vivi.id()).await, "not_found", None);
    assert_err(
        f.leave_ledger(&olga, olga.id()).await,
        "validation",
        Some("ledger"),
    );
    f.remove_member(&olga, eddie.id()).await.unwrap();
    assert_err(f.leave_ledger(&eddie, olga.id()).await, "not_found", None);
    assert_eq!(
        f.members(&olga).await.unwrap().len(),
        1,
        "only the owner left"
    );

    // Invited again after removal: a fresh invitation, then leaving.
    f.invite_member(&olga, "eddie", Role::Editor, now())
        .await
        .unwrap();
    assert_err(
        f.invite_member(&olga, "eddie", Role::Viewer, now()).await,
        "conflict",
        Some("username"),
    );
    f.accept_invitation(&eddie, olga.id()).await.unwrap();
    f.leave_ledger(&eddie, olga.id()).await.unwrap();
    assert_eq!(f.ledgers(&eddie).await.unwrap().len(), 1);
}
