//! Roles, generated rather than hand-picked (in the style of `isolation.rs`):
//! every `pub async fn` of `Finance` in `src/ops/` is listed in
//! [`OPERATIONS`] with the permission it requires (or as taking no signed-in
//! user), and a source scan fails on an operation missing from the table, on
//! one whose first statement is not `user.require(Permission::…)?`, and on
//! one requiring another permission than the table says.
//!
//! The table is then run op × role × store: the ledger's owner, an editor and
//! a viewer act on one ledger; each operation succeeds (or gives the one
//! answer its fixture calls for, never `Forbidden`) when the role allows its
//! permission ([`Role::allows`]) and is `Forbidden` otherwise, changing
//! nothing. Membership checks: a removed member is refused on their next
//! call, another ledger's ids stay `NotFound`, a member never reaches a
//! third ledger.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU32, Ordering};

use finance_core::csv_io::{CategoryMapping, CategoryTarget};
use finance_core::domain::{
    Account, AccountDraft, Budget, Category, CategoryKind, CategoryName, DateRange, IdempotencyKey,
    NewBudget, Password, Period, Permission, Reconciliation, Role, RuleCandidate, RuleDraft,
    Schedule, ScheduleDraft, Selection, Transaction, TransactionFilter, TransactionQuery, Transfer,
};
use finance_core::{AuthUser, Currency, Error, Finance, Id};
use finance_testkit::{
    Harness, d, import_settings, new_transfer, new_tx, new_tx_in, no_progress, now,
};

use Access::{Needs, NoUser};
use Permission::{ManageMembers, OwnLedger, Read, Write};

mod calls;
use calls::*;

/// What an operation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    /// It takes an `AuthUser` and first requires this permission.
    Needs(Permission),
    /// It takes no signed-in user (it makes one, or none is needed).
    NoUser,
}

/// Every operation of `Finance` and what it needs. Read = every role;
/// Write = editor and owner; ManageMembers and OwnLedger = the owner only.
/// The steps of a write workflow (an import's plan and rejects, a
/// reconciliation's rows and preview, a rules preview, the drafts made from
/// a transaction) need Write: they exist only to make that write. The
/// operations on one's own memberships and profile need only Read: they act
/// on the person, never on the ledger in hand.
const OPERATIONS: &[(&str, Access)] = &[
    // users.rs
    ("register", NoUser),
    ("login", NoUser),
    ("authenticate", NoUser),
    ("authenticate_on", NoUser),
    ("logout", NoUser),
    ("profile", Needs(Read)),
    ("currency_usage", Needs(Read)),
    ("change_currency", Needs(OwnLedger)),
    ("change_password", Needs(OwnLedger)),
    ("delete_account", Needs(OwnLedger)),
    // mod.rs
    ("holds_other_accounts", NoUser),
    // members.rs
    ("invite_member", Needs(ManageMembers)),
    ("invitations", Needs(Read)),
    ("accept_invitation", Needs(Read)),
    ("decline_invitation", Needs(Read)),
    ("ledgers", Needs(Read)),
    ("members", Needs(Read)),
    ("set_member_role", Needs(ManageMembers)),
    ("remove_member", Needs(ManageMembers)),
    ("leave_ledger", Needs(Read)),
    // backup.rs
    ("backup_to", Needs(OwnLedger)),
    ("restore_from", Needs(OwnLedger)),
    ("restore_new_user", NoUser),
    ("copy_user_to", Needs(OwnLedger)),
    // accounts.rs
    ("accounts", Needs(Read)),
    ("account_balances", Needs(Read)),
    ("account_usage", Needs(Read)),
    ("account", Needs(Read)),
    ("add_account", Needs(Write)),
    ("update_account", Needs(Write)),
    ("set_account_archived", Needs(Write)),
    ("remove_account_and_transactions", Needs(Write)),
    ("remove_account", Needs(Write)),
    // balances.rs
    ("account_balance_on", Needs(Read)),
    ("account_register", Needs(Read)),
    ("net_worth", Needs(Read)),
    ("net_worth_series", Needs(Read)),
    // budgets.rs
    ("budgets", Needs(Read)),
    ("add_budget", Needs(Write)),
    ("update_budget", Needs(Write)),
    ("delete_budget", Needs(Write)),
    ("budget_statuses", Needs(Read)),
    ("budget_status", Needs(Read)),
    // bulk.rs
    ("transaction_totals", Needs(Read)),
    ("bulk_set_category", Needs(Write)),
    ("bulk_move_to_account", Needs(Write)),
    ("bulk_mark_cleared", Needs(Write)),
    ("bulk_delete", Needs(Write)),
    ("restore_deleted", Needs(Write)),
    // categories.rs
    ("categories", Needs(Read)),
    ("category", Needs(Read)),
    ("add_category", Needs(Write)),
    ("rename_category", Needs(Write)),
    ("category_usage", Needs(Read)),
    ("delete_category", Needs(Write)),
    // csv.rs
    ("export_csv", Needs(Read)),
    ("import_plan", Needs(Write)),
    ("import_rejects", Needs(Write)),
    ("import_commit", Needs(Write)),
    ("import_commit_with_key", Needs(Write)),
    // reconcile.rs
    ("set_cleared", Needs(Write)),
    ("reconciliation_rows", Needs(Write)),
    ("reconciliation_preview", Needs(Write)),
    ("finish_reconciliation", Needs(Write)),
    // reports.rs
    ("report", Needs(Read)),
    // rules.rs
    ("rules", Needs(Read)),
    ("add_rule", Needs(Write)),
    ("update_rule", Needs(Write)),
    ("set_rule_enabled", Needs(Write)),
    ("delete_rule", Needs(Write)),
    ("reorder_rules", Needs(Write)),
    ("suggest", Needs(Read)),
    ("suggest_for", Needs(Read)),
    ("rule_from_transaction", Needs(Write)),
    ("apply_rules_preview", Needs(Write)),
    ("apply_rules", Needs(Write)),
    // schedules.rs
    ("schedules", Needs(Read)),
    ("schedule", Needs(Read)),
    ("add_schedule", Needs(Write)),
    ("edit_schedule", Needs(Write)),
    ("set_schedule_paused", Needs(Write)),
    ("delete_schedule", Needs(Write)),
    ("post_due", Needs(Write)),
    ("upcoming", Needs(Read)),
    ("post_occurrence_now", Needs(Write)),
    ("skip_occurrence", Needs(Write)),
    ("schedule_from_transaction", Needs(Write)),
    ("forecast", Needs(Read)),
    // transactions.rs
    ("add_transaction", Needs(Write)),
    ("add_transaction_with_key", Needs(Write)),
    ("transaction", Needs(Read)),
    ("update_transaction", Needs(Write)),
    ("update_transaction_confirmed", Needs(Write)),
    ("delete_transaction", Needs(Write)),
    ("delete_transaction_confirmed", Needs(Write)),
    ("transactions", Needs(Read)),
    ("summary", Needs(Read)),
    // transfers.rs
    ("add_transfer", Needs(Write)),
    ("add_transfer_with_key", Needs(Write)),
    ("transfer", Needs(Read)),
    ("update_transfer", Needs(Write)),
    ("delete_transfer", Needs(Write)),
    ("convert_to_transfer", Needs(Write)),
];

/// Every `pub async fn` of `src/ops/`: its name → the permission its first
/// statement requires (`Some("Read")`, …), `None` for one taking no
/// `&AuthUser`, or `Some("<missing>")` for one taking an `AuthUser` whose
/// first statement is not a `require` call.
fn scanned_operations() -> BTreeMap<String, Option<String>> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ops"));
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read src/ops") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read source");
        for (i, _) in text.match_indices("pub async fn ") {
            let rest = &text[i + "pub async fn ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let (signature, body) = rest.split_once('{').expect("a body");
            let required = if signature.contains("&AuthUser") {
                let first = body.trim_start();
                Some(
                    first
                        .strip_prefix("user.require(Permission::")
                        .and_then(|r| r.split_once(")?;"))
                        .map_or("<missing>".to_string(), |(p, _)| p.to_string()),
                )
            } else {
                None
            };
            assert!(
                found.insert(name.clone(), required).is_none(),
                "two operations called {name}"
            );
        }
    }
    found
}

#[test]
fn every_operation_requires_the_permission_of_the_table() {
    let found = scanned_operations();
    // Guard against a scan that passes by finding nothing.
    assert!(
        found.len() >= 90,
        "the scan found too few operations ({}): {found:?}",
        found.len()
    );
    for p in ["Read", "Write", "ManageMembers", "OwnLedger"] {
        assert!(
            found.values().any(|r| r.as_deref() == Some(p)),
            "the scan found no operation requiring {p}: it is not reading the sources right"
        );
    }
    let table: BTreeMap<&str, Access> = OPERATIONS.iter().copied().collect();
    assert_eq!(
        table.len(),
        OPERATIONS.len(),
        "an operation is listed twice"
    );
    let mut problems = Vec::new();
    for (name, required) in &found {
        let listed = table.get(name.as_str());
        let scanned = match required.as_deref() {
            None => Some(NoUser),
            Some("Read") => Some(Needs(Read)),
            Some("Write") => Some(Needs(Write)),
            Some("ManageMembers") => Some(Needs(ManageMembers)),
            Some("OwnLedger") => Some(Needs(OwnLedger)),
            Some(_) => None,
        };
        match (listed, scanned) {
            (None, _) => problems.push(format!("{name} is not in the roles table")),
            (_, None) => problems.push(format!(
                "{name} takes an AuthUser but does not start with user.require(Permission::…)?"
            )),
            (Some(l), Some(s)) if *l != s => problems.push(format!(
                "{name} requires {s:?} in the code but {l:?} in the table"
            )),
            _ => {}
        }
    }
    for name in table.keys() {
        if !found.contains_key(*name) {
            problems.push(format!("the table lists {name}, which no longer exists"));
        }
    }
    assert!(problems.is_empty(), "roles table problems: {problems:#?}");
}

/// The ledger every role acts on, and what its operations need.
struct Ledger {
    owner: AuthUser,
    main: Account,
    savings: Account,
    food: Category,
    budget: Budget,
    tx: Transaction,
    transfer: Transfer,
    schedule: Schedule,
    rule: finance_core::domain::Rule,
    /// Someone who owns a third ledger and invites the acting person.
    third: AuthUser,
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// A name not used before in this run.
fn fresh(prefix: &str) -> String {
    format!("{prefix} {}", SEQ.fetch_add(1, Ordering::Relaxed))
}

fn key() -> IdempotencyKey {
    IdempotencyKey::parse(
        "idempotencyKey",
        &format!("roles-key-{:08}", SEQ.fetch_add(1, Ordering::Relaxed)),
    )
    .unwrap()
}

async fn own_username(f: &Finance, own: &AuthUser) -> String {
    f.profile(own).await.unwrap().username
}

/// Sign `username` in on `ledger`: the token and the person on that ledger.
async fn on_ledger(h: &Harness, username: &str, ledger: Id) -> (String, AuthUser) {
    let (token, _) = h.login(username).await;
    let user = h
        .finance
        .authenticate_on(&token, Some(ledger), now())
        .await
        .expect("an active member acts on the ledger");
    (token, user)
}

/// Make `username` an active member of `owner`'s ledger with `role`; answers
/// them on their own ledger.
async fn member(h: &Harness, owner: &AuthUser, username: &str, role: Role) -> AuthUser {
    let own = h.user(username).await;
    h.finance
        .invite_member(owner, username, role, now())
        .await
        .expect("invite");
    h.finance
        .accept_invitation(&own, owner.ledger())
        .await
        .expect("accept");
    own
}

async fn ledger(h: &Harness) -> Ledger {
    let owner = h.user("olga").await;
    let food = h.category(&owner, "Groceries").await;
    let main = h.main_account(&owner).await;
    let savings = h.add_account(&owner, "Savings", "savings", "0").await;
    let f = &h.finance;
    Ledger {
        budget: h.budget(&owner, food.id, "100", Period::Monthly).await,
        tx: h.tx(&owner, food.id, "12.00", "2024-03-01", "Market").await,
        transfer: h
            .transfer(
                &owner,
                main.id,
                savings.id,
                "50",
                "2024-03-02",
                "To savings",
            )
            .await,
        schedule: f
            .add_schedule(&owner, schedule_draft(main.id, food.id), now())
            .await
            .unwrap(),
        rule: f
            .add_rule(&owner, rule_draft(food.id), now())
            .await
            .unwrap(),
        third: h.user("thea").await,
        owner,
        main,
        savings,
        food,
    }
}

pub async fn every_operation_answers_per_role_on_a_shared_ledger(h: &Harness) {
    let l = ledger(h).await;
    let f = &h.finance;
    let ed_own = member(h, &l.owner, "eddie", Role::Editor).await;
    let vi_own = member(h, &l.owner, "vivi", Role::Viewer).await;
    // The ledger's currency, not the member's own.
    f.change_currency(&ed_own, Currency::parse("currency", "USD").unwrap())
        .await
        .unwrap();
    let (_, ed) = on_ledger(h, "eddie", l.owner.ledger()).await;
    let (_, vi) = on_ledger(h, "vivi", l.owner.ledger()).await;
    assert_eq!(
        (ed.id(), ed.ledger(), ed.role(), ed.currency()),
        (ed_own.id(), l.owner.id(), Role::Editor, Currency::EUR),
        "a member acts as themselves on the owner's ledger, in its currency"
    );
    let mut checked = BTreeSet::new();
    for (role, who, own) in [
        (Role::Owner, &l.owner, &l.owner),
        (Role::Editor, &ed, &ed_own),
        (Role::Viewer, &vi, &vi_own),
    ] {
        assert_eq!(who.role(), role);
        for (op, access) in OPERATIONS {
            let Needs(permission) = *access else {
                continue;
            };
            let allowed = role.allows(permission);
            let mut snap = (!allowed).then(String::new);
            let outcome = call(op, f, who, own, &l, &mut snap).await;
            match (allowed, outcome) {
                (true, Ok(())) => {}
                (true, Err(e)) => panic!("{role:?} may {op} ({permission:?}) but got {e:?}"),
                (false, Err(Error::Forbidden { message })) => {
                    assert!(
                        message.contains(role.as_str()),
                        "the refusal names the role: {message}"
                    );
                    assert_eq!(
                        snapshot(f, &l.owner).await,
                        snap.unwrap(),
                        "a refused {op} by a {role:?} changed the ledger"
                    );
                }
                (false, other) => {
                    panic!(
                        "{role:?} may not {op} ({permission:?}): expected Forbidden, got {other:?}"
                    )
                }
            }
            checked.insert((role, *op));
        }
    }
    let needing = OPERATIONS.iter().filter(|(_, a)| *a != NoUser).count();
    assert_eq!(
        checked.len(),
        3 * needing,
        "every operation ran for every role"
    );
}

pub async fn a_removed_member_is_refused_at_once_and_keeps_their_own_ledger(h: &Harness) {
    let f = &h.finance;
    let olga = h.user("olga").await;
    let food = h.category(&olga, "Groceries").await;
    let tx = h.tx(&olga, food.id, "1", "2024-03-01", "Olga's").await;
    let ed_own = member(h, &olga, "eddie", Role::Editor).await;
    let (token, ed) = on_ledger(h, "eddie", olga.ledger()).await;
    f.transaction(&ed, tx.id)
        .await
        .expect("a member reads the ledger");
    f.remove_member(&olga, ed.id()).await.unwrap();
    // The same session, on the next call: that ledger is gone for them.
    let again = f.authenticate_on(&token, Some(olga.ledger()), now()).await;
    assert!(
        matches!(again, Err(Error::NotFound { .. })),
        "a removed member's session is refused on the ledger: {again:?}"
    );
    let own = f
        .authenticate(&token, now())
        .await
        .expect("their own ledger still works");
    assert_eq!((own.ledger(), own.role()), (ed_own.id(), Role::Owner));
    f.accounts(&own).await.expect("their own data");
    assert_eq!(f.ledgers(&own).await.unwrap().len(), 1);
    // A member who leaves is refused the same way.
    member(h, &olga, "vivi", Role::Viewer).await;
    let (vi_token, vi) = on_ledger(h, "vivi", olga.ledger()).await;
    f.leave_ledger(&vi, olga.ledger()).await.unwrap();
    assert!(matches!(
        f.authenticate_on(&vi_token, Some(olga.ledger()), now())
            .await,
        Err(Error::NotFound { .. })
    ));
    // An invitation not accepted gives no access either.
    let (gus_token, _) = {
        h.register("gus").await;
        h.login("gus").await
    };
    f.invite_member(&olga, "gus", Role::Editor, now())
        .await
        .unwrap();
    assert!(matches!(
        f.authenticate_on(&gus_token, Some(olga.ledger()), now())
            .await,
        Err(Error::NotFound { .. })
    ));
}

pub async fn other_ledgers_ids_stay_not_found_and_no_third_ledger_is_reached(h: &Harness) {
    let f = &h.finance;
    let olga = h.user("olga").await;
    let ed_own = member(h, &olga, "eddie", Role::Editor).await;
    let thea = h.user("thea").await;
    let theas_food = h.category(&thea, "Groceries").await;
    let theas_tx = h
        .tx(&thea, theas_food.id, "1", "2024-03-01", "Thea's")
        .await;
    let eds_food = h.category(&ed_own, "Groceries").await;
    let eds_tx = h.tx(&ed_own, eds_food.id, "1", "2024-03-01", "Ed's").await;
    let (token, ed) = on_ledger(h, "eddie", olga.ledger()).await;
    // On olga's ledger, thea's ids and ed's own are another ledger's: NotFound.
    for id in [theas_tx.id, eds_tx.id] {
        assert!(matches!(
            f.transaction(&ed, id).await,
            Err(Error::NotFound { .. })
        ));
        assert!(matches!(
            f.delete_transaction(&ed, id).await,
            Err(Error::NotFound { .. })
        ));
    }
    for c in [theas_food.id, eds_food.id] {
        assert!(matches!(
            f.add_transaction(&ed, new_tx(c, "1", "2024-03-02", "x"), now())
                .await,
            Err(Error::NotFound { .. }) | Err(Error::Validation { .. })
        ));
    }
    // A ledger ed is no member of, or one that does not exist: NotFound.
    for ledger in [thea.id(), Id::generate()] {
        let r = f.authenticate_on(&token, Some(ledger), now()).await;
        assert!(
            matches!(r, Err(Error::NotFound { .. })),
            "a member never reaches a third ledger: {r:?}"
        );
    }
    // Olga's members cannot act on their members' own ledgers through her.
    assert!(matches!(
        f.set_member_role(&olga, thea.id(), Role::Viewer).await,
        Err(Error::NotFound { .. })
    ));
    // Nothing of thea's changed.
    assert_eq!(f.transaction(&thea, theas_tx.id).await.unwrap(), theas_tx);
    // Granting ownership is refused; inviting oneself or a member twice names the field.
    for (who, role, field) in [
        ("eddie", Role::Owner, "role"),
        ("olga", Role::Viewer, "username"),
        ("nobody", Role::Viewer, "username"),
    ] {
        let e = f.invite_member(&olga, who, role, now()).await.unwrap_err();
        assert_eq!(e.field(), Some(field), "{who} as {role:?}: {e:?}");
    }
    let e = f
        .invite_member(&olga, "eddie", Role::Viewer, now())
        .await
        .unwrap_err();
    assert_eq!(
        (e.code().as_str(), e.field()),
        ("conflict", Some("username"))
    );
    let e = f
        .set_member_role(&olga, ed.id(), Role::Owner)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("role"));
}
