//! Households over IPC, with two app instances on one store (two devices):
//! switching needs an accepted membership, the profile then carries the
//! ledger and its currency, the role is enforced, what is the person's own
//! (the password) stays on their own ledger, and a member removed on the
//! other device is refused on their next call and back on their own ledger.

use serde_json::{Value, json};

use super::{TestApp, category_id, register, unique_service};

fn login(app: &TestApp, username: &str, password: &str) -> Value {
    app.call(
        "login",
        Some(json!({"username": username, "password": password})),
    )
    .unwrap_or_else(|e| panic!("{username} signs in: {e}"))
}

fn rows(app: &TestApp) -> usize {
    app.call("list_transactions", Some(json!({"limit": 50})))
        .expect("the list")["items"]
        .as_array()
        .expect("items")
        .len()
}

#[test]
fn members_switch_ledgers_within_their_role_and_lose_them_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let owner_device = TestApp::launch(dir.path(), &unique_service());
    let member_device = TestApp::launch(dir.path(), &unique_service());
    owner_device.call("startup", None).unwrap();
    member_device.call("startup", None).unwrap();

    register(&member_device, "mia").unwrap();
    let owner = register(&owner_device, "otto").unwrap();
    owner_device
        .call("change_currency", Some(json!({"currency": "JPY"})))
        .expect("a new user may change the currency");
    let food = category_id(&owner_device, "Groceries");
    owner_device
        .call(
            "add_transaction",
            Some(json!({"categoryId": food, "amount": "1200", "date": "2024-03-01", "description": "Ramen", "note": null})),
        )
        .expect("the owner adds");
    let ledger = owner["id"].clone();

    let err = member_device
        .call("switch_ledger", Some(json!({"ledgerId": ledger})))
        .expect_err("not a member yet");
    assert_eq!(
        err["code"], "not_found",
        "a stranger's ledger is not found: {err}"
    );

    let house = owner_device
        .call(
            "invite_member",
            Some(json!({"username": "mia", "role": "editor"})),
        )
        .expect("the owner invites");
    assert!(
        house["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["username"] == "mia" && m["active"] == false),
        "mia is listed as invited: {house}"
    );
    let err = member_device
        .call("switch_ledger", Some(json!({"ledgerId": ledger})))
        .expect_err("an invitation is not a membership");
    assert_eq!(err["code"], "not_found", "{err}");
    member_device
        .call("accept_invitation", Some(json!({"ledgerId": ledger})))
        .expect("mia accepts");

    let profile = member_device
        .call("switch_ledger", Some(json!({"ledgerId": ledger})))
        .expect("a member switches");
    assert_eq!(
        (
            profile["username"].as_str(),
            profile["currency"].as_str(),
            profile["ledger"]["role"].as_str(),
            profile["ledger"]["own"].as_bool()
        ),
        (Some("mia"), Some("JPY"), Some("editor"), Some(false)),
        "the person is mia; the amounts are otto's ledger's, in yen: {profile}"
    );
    assert_eq!(rows(&member_device), 1, "mia sees otto's row");
    let food = category_id(&member_device, "Groceries");
    member_device
        .call(
            "add_transaction",
            Some(json!({"categoryId": food, "amount": "300", "date": "2024-03-02", "description": "Tea", "note": null})),
        )
        .expect("an editor writes");
    let err = member_device
        .call(
            "invite_member",
            Some(json!({"username": "otto", "role": "viewer"})),
        )
        .expect_err("an editor manages no members");
    assert_eq!(err["code"], "forbidden", "{err}");
    member_device
        .call(
            "change_password",
            Some(json!({"currentPassword": "tulip-river-93", "newPassword": "tulip-river-93-new"})),
        )
        .expect("the password is mia's own, whichever ledger she works in");
    assert_eq!(rows(&owner_device), 2, "otto sees mia's row");

    let house = owner_device
        .call("household", None)
        .expect("the owner's household");
    let mia = house["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "mia")
        .unwrap_or_else(|| panic!("mia listed: {house}"))["memberId"]
        .clone();
    owner_device
        .call("remove_member", Some(json!({"memberId": mia})))
        .expect("the owner removes mia");

    let err = member_device
        .call("list_transactions", Some(json!({"limit": 50})))
        .expect_err("removed: the next call is refused");
    assert_eq!(
        (err["code"].as_str(), err["field"].as_str()),
        (Some("not_found"), Some("ledger")),
        "{err}"
    );
    assert_eq!(rows(&member_device), 0, "back on mia's own, empty ledger");
    let me = member_device
        .call("switch_ledger", Some(json!({"ledgerId": null})))
        .expect("one's own ledger");
    assert_eq!(me["ledger"]["own"], true, "{me}");
    assert_eq!(me["currency"], "EUR", "mia's own currency: {me}");

    member_device.call("logout", None).expect("sign out");
    let again = login(&member_device, "mia", "tulip-river-93-new");
    assert_eq!(
        again["ledger"]["own"], true,
        "a new sign-in works in one's own ledger"
    );
}
