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

fn schedule_draft(account: Id, category: Id) -> finance_core::domain::NewSchedule {
    ScheduleDraft {
        account_id: account.to_hex(),
        category_id: Some(category.to_hex()),
        amount: "1".into(),
        description: "Rent".into(),
        frequency: "monthly".into(),
        start_date: "2024-01-01".into(),
        mode: "post".into(),
        ..ScheduleDraft::default()
    }
    .validate(Currency::EUR)
    .unwrap()
}

fn rule_draft(category: Id) -> finance_core::domain::NewRule {
    RuleDraft {
        enabled: true,
        description_text: Some("market".into()),
        category_id: Some(category.to_hex()),
        ..RuleDraft::default()
    }
    .validate(Currency::EUR)
    .unwrap()
}

fn account_draft(name: &str) -> finance_core::domain::NewAccount {
    AccountDraft {
        name: name.into(),
        kind: "cash".into(),
        opening_balance: "0".into(),
        opening_date: "2024-01-01".into(),
        note: None,
    }
    .validate(Currency::EUR)
    .unwrap()
}

/// Everything of the ledger, to compare before and after a refused call.
async fn snapshot(f: &Finance, owner: &AuthUser) -> String {
    let page = f
        .transactions(
            owner,
            &TransactionQuery::new(
                TransactionFilter::default(),
                Default::default(),
                Some(500),
                None,
            )
            .unwrap(),
        )
        .await
        .unwrap();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        f.schedules(owner).await.unwrap(),
        f.rules(owner).await.unwrap(),
        f.account_balances(owner).await.unwrap(),
        f.categories(owner).await.unwrap(),
        f.budgets(owner).await.unwrap(),
        page.items,
        f.profile(owner).await.unwrap(),
        f.members(owner).await.unwrap(),
    )
}

/// `Ok` when `r` is the error with `code` this fixture calls for; a
/// `Forbidden` (or anything else) passes through to fail the check.
fn answered<T: std::fmt::Debug>(
    r: finance_core::Result<T>,
    code: &str,
) -> finance_core::Result<()> {
    match r {
        Err(e) if e.code().as_str() == code => Ok(()),
        Err(e) => Err(e),
        Ok(v) => panic!("expected the fixture's {code}, got {v:?}"),
    }
}

/// Call `op` as `who` (acting on the ledger), `own` being the same person on
/// their own ledger. Prerequisites are made by the ledger's owner first.
/// When `snap` is wanted (`Some`), take the ledger's snapshot now: after
/// the prerequisites, right before the call that is checked.
async fn mark(f: &Finance, owner: &AuthUser, snap: &mut Option<String>) {
    if snap.is_some() {
        *snap = Some(snapshot(f, owner).await);
    }
}

async fn call(
    op: &str,
    f: &Finance,
    who: &AuthUser,
    own: &AuthUser,
    l: &Ledger,
    snap: &mut Option<String>,
) -> finance_core::Result<()> {
    let o = &l.owner;
    mark(f, o, snap).await;
    let today = d("2024-03-31");
    let year = DateRange::new(d("2024-01-01"), d("2024-12-31")).unwrap();
    let fresh_tx = || async {
        f.add_transaction(o, new_tx(l.food.id, "1", "2024-03-05", "Fresh"), now())
            .await
            .unwrap()
    };
    let fresh_category = || async {
        f.add_category(
            o,
            CategoryName::parse("name", &fresh("Cat")).unwrap(),
            CategoryKind::Expense,
            now(),
        )
        .await
        .unwrap()
    };
    let fresh_account = || async {
        f.add_account(o, account_draft(&fresh("Acc")), now())
            .await
            .unwrap()
    };
    let fresh_schedule = || async {
        f.add_schedule(o, schedule_draft(l.main.id, l.food.id), now())
            .await
            .unwrap()
    };
    let csv = b"date,amount,description,category\n2024-03-01,-1,Imported,Groceries\n";
    let maps = [CategoryMapping {
        csv_name: "Groceries".into(),
        kind: CategoryKind::Expense,
        target: CategoryTarget::Existing(l.food.id),
    }];
    let settings = import_settings();
    let invite_me = || async {
        f.invite_member(&l.third, &own_username(f, own).await, Role::Viewer, now())
            .await
            .unwrap();
    };
    match op {
        "profile" => f.profile(who).await.map(drop),
        "currency_usage" => f.currency_usage(who).await.map(drop),
        "change_currency" => f.change_currency(who, Currency::EUR).await.map(drop),
        "change_password" => answered(
            f.change_password(
                who,
                &Password::for_login("not-the-password"),
                "another-password-123",
            )
            .await,
            "validation",
        ),
        "delete_account" => answered(
            f.delete_account(who, &Password::for_login("not-the-password"))
                .await,
            "validation",
        ),
        "invite_member" => {
            let guest = fresh("guest").replace(' ', "");
            finance_testkit::register(f, &guest).await;
            f.invite_member(who, &guest, Role::Viewer, now())
                .await
                .map(drop)
        }
        "invitations" => f.invitations(who).await.map(drop),
        "accept_invitation" => {
            invite_me().await;
            let r = f.accept_invitation(who, l.third.id()).await.map(drop);
            let _ = f.leave_ledger(own, l.third.id()).await;
            r
        }
        "decline_invitation" => {
            invite_me().await;
            let r = f.decline_invitation(who, l.third.id()).await;
            mark(f, o, snap).await;
            let _ = f.decline_invitation(own, l.third.id()).await;
            r
        }
        "leave_ledger" => {
            invite_me().await;
            f.accept_invitation(own, l.third.id()).await.unwrap();
            let r = f.leave_ledger(who, l.third.id()).await;
            mark(f, o, snap).await;
            let _ = f.leave_ledger(own, l.third.id()).await;
            r
        }
        "ledgers" => f.ledgers(who).await.map(drop),
        "members" => f.members(who).await.map(drop),
        "set_member_role" | "remove_member" => {
            let spare = fresh("spare").replace(' ', "");
            finance_testkit::register(f, &spare).await;
            let m = f
                .invite_member(o, &spare, Role::Viewer, now())
                .await
                .unwrap();
            mark(f, o, snap).await;
            if op == "set_member_role" {
                f.set_member_role(who, m.member, Role::Editor)
                    .await
                    .map(drop)
            } else {
                f.remove_member(who, m.member).await
            }
        }
        "backup_to" => f
            .backup_to(who, std::io::Cursor::new(Vec::new()), None, now())
            .await
            .map(drop),
        "restore_from" => {
            let (file, _) = f
                .backup_to(o, std::io::Cursor::new(Vec::new()), None, now())
                .await
                .unwrap();
            let mut file = file;
            file.set_position(0);
            // The ledger holds data: a restore into it is refused as a conflict.
            answered(f.restore_from(who, file, None).await, "conflict")
        }
        "copy_user_to" => {
            let scratch = tempfile::tempdir().unwrap();
            // The same store already holds the username.
            answered(
                f.copy_user_to(who, f, scratch.path(), now()).await,
                "conflict",
            )
        }
        "accounts" => f.accounts(who).await.map(drop),
        "account_balances" => f.account_balances(who).await.map(drop),
        "account_usage" => f.account_usage(who, l.main.id).await.map(drop),
        "account" => f.account(who, l.main.id).await.map(drop),
        "add_account" => f
            .add_account(who, account_draft(&fresh("Acc")), now())
            .await
            .map(drop),
        "update_account" => {
            let a = fresh_account().await;
            mark(f, o, snap).await;
            f.update_account(who, a.id, account_draft(&fresh("Renamed")))
                .await
                .map(drop)
        }
        "set_account_archived" => f
            .set_account_archived(who, l.savings.id, false)
            .await
            .map(drop),
        "remove_account_and_transactions" => {
            let a = fresh_account().await;
            mark(f, o, snap).await;
            f.remove_account_and_transactions(who, a.id).await.map(drop)
        }
        "remove_account" => {
            let a = fresh_account().await;
            mark(f, o, snap).await;
            f.remove_account(who, a.id, None).await
        }
        "account_balance_on" => f.account_balance_on(who, l.main.id, today).await.map(drop),
        "account_register" => {
            let q = TransactionQuery::first_page(
                TransactionFilter::default().with_account(Some(l.main.id)),
            );
            f.account_register(who, &q).await.map(drop)
        }
        "net_worth" => f.net_worth(who).await.map(drop),
        "net_worth_series" => f
            .net_worth_series(who, d("2024-01-01"), today)
            .await
            .map(drop),
        "budgets" => f.budgets(who).await.map(drop),
        "add_budget" => {
            let c = fresh_category().await;
            mark(f, o, snap).await;
            let limit = finance_core::Amount::parse("limit", "5", Currency::EUR).unwrap();
            f.add_budget(
                who,
                NewBudget {
                    category_id: c.id,
                    limit,
                    period: Period::Weekly,
                },
                now(),
            )
            .await
            .map(drop)
        }
        "update_budget" => {
            let limit = finance_core::Amount::parse("limit", "150", Currency::EUR).unwrap();
            f.update_budget(
                who,
                l.budget.id,
                NewBudget {
                    category_id: l.food.id,
                    limit,
                    period: Period::Monthly,
                },
            )
            .await
            .map(drop)
        }
        "delete_budget" => {
            let c = fresh_category().await;
            mark(f, o, snap).await;
            let limit = finance_core::Amount::parse("limit", "5", Currency::EUR).unwrap();
            let b = f
                .add_budget(
                    o,
                    NewBudget {
                        category_id: c.id,
                        limit,
                        period: Period::Weekly,
                    },
                    now(),
                )
                .await
                .unwrap();
            mark(f, o, snap).await;
            f.delete_budget(who, b.id).await
        }
        "budget_statuses" => f.budget_statuses(who, today).await.map(drop),
        "budget_status" => f.budget_status(who, l.budget.id, today).await.map(drop),
        "transaction_totals" => f
            .transaction_totals(who, &TransactionFilter::default())
            .await
            .map(drop),
        "bulk_set_category" | "bulk_move_to_account" | "bulk_mark_cleared" | "bulk_delete" => {
            let t = fresh_tx().await;
            mark(f, o, snap).await;
            let sel = Selection::ids(vec![t.id]).unwrap();
            match op {
                "bulk_set_category" => f
                    .bulk_set_category(who, &sel, l.food.id, true, now())
                    .await
                    .map(drop),
                "bulk_move_to_account" => f
                    .bulk_move_to_account(who, &sel, l.savings.id, true, now())
                    .await
                    .map(drop),
                "bulk_mark_cleared" => f.bulk_mark_cleared(who, &sel, now()).await.map(drop),
                _ => f.bulk_delete(who, &sel, true).await.map(drop),
            }
        }
        "restore_deleted" => {
            let t = fresh_tx().await;
            mark(f, o, snap).await;
            let rows = f
                .bulk_delete(o, &Selection::ids(vec![t.id]).unwrap(), true)
                .await
                .unwrap();
            mark(f, o, snap).await;
            f.restore_deleted(who, &rows, &key(), now()).await.map(drop)
        }
        "categories" => f.categories(who).await.map(drop),
        "category" => f.category(who, l.food.id).await.map(drop),
        "add_category" => f
            .add_category(
                who,
                CategoryName::parse("name", &fresh("Cat")).unwrap(),
                CategoryKind::Income,
                now(),
            )
            .await
            .map(drop),
        "rename_category" => {
            let c = fresh_category().await;
            mark(f, o, snap).await;
            f.rename_category(
                who,
                c.id,
                CategoryName::parse("name", &fresh("Renamed")).unwrap(),
            )
            .await
            .map(drop)
        }
        "category_usage" => f.category_usage(who, l.food.id).await.map(drop),
        "delete_category" => {
            let c = fresh_category().await;
            mark(f, o, snap).await;
            f.delete_category(who, c.id, None).await
        }
        "export_csv" => f
            .export_csv(who, TransactionFilter::default(), &mut Vec::new())
            .await
            .map(drop),
        "import_plan" => f
            .import_plan(who, None, csv, &settings, &maps)
            .await
            .map(drop),
        "import_rejects" => f
            .import_rejects(who, None, csv, &settings, &maps, Vec::new())
            .await
            .map(drop),
        "import_commit" => f
            .import_commit(
                who,
                Some(l.savings.id),
                csv,
                &settings,
                &maps,
                false,
                now(),
                &no_progress,
            )
            .await
            .map(drop),
        "import_commit_with_key" => f
            .import_commit_with_key(
                who,
                Some(l.savings.id),
                csv,
                &settings,
                &maps,
                false,
                Some(&key()),
                now(),
                &no_progress,
            )
            .await
            .map(drop),
        "set_cleared" => {
            let t = fresh_tx().await;
            mark(f, o, snap).await;
            f.set_cleared(who, l.main.id, &[t.id], true).await.map(drop)
        }
        "reconciliation_rows" => f.reconciliation_rows(who, l.main.id, today).await.map(drop),
        "reconciliation_preview" => f
            .reconciliation_preview(
                who,
                l.main.id,
                Reconciliation {
                    date: today,
                    balance: 0,
                },
                &[],
            )
            .await
            .map(drop),
        "finish_reconciliation" => {
            // An empty account opening at 0: a statement of 0 reconciles.
            let a = fresh_account().await;
            mark(f, o, snap).await;
            f.finish_reconciliation(
                who,
                a.id,
                Reconciliation {
                    date: today,
                    balance: 0,
                },
                &[],
            )
            .await
            .map(drop)
        }
        "report" => f.report(who, year, None).await.map(drop),
        "rules" => f.rules(who).await.map(drop),
        "add_rule" => f
            .add_rule(who, rule_draft(l.food.id), now())
            .await
            .map(drop),
        "update_rule" => f
            .update_rule(who, l.rule.id, rule_draft(l.food.id))
            .await
            .map(drop),
        "set_rule_enabled" => f.set_rule_enabled(who, l.rule.id, true).await.map(drop),
        "delete_rule" => {
            let r = f.add_rule(o, rule_draft(l.food.id), now()).await.unwrap();
            mark(f, o, snap).await;
            f.delete_rule(who, r.id).await
        }
        "reorder_rules" => {
            let ids: Vec<Id> = f
                .rules(o)
                .await
                .unwrap()
                .iter()
                .rev()
                .map(|r| r.id)
                .collect();
            f.reorder_rules(who, &ids).await.map(drop)
        }
        "suggest" => f.suggest(who, "mar").await.map(drop),
        "suggest_for" => f
            .suggest_for(
                who,
                RuleCandidate {
                    description: "Market",
                    amount: Some(100),
                    account: None,
                    kind: None,
                },
            )
            .await
            .map(drop),
        "rule_from_transaction" => f.rule_from_transaction(who, l.tx.id).await.map(drop),
        "apply_rules_preview" => f
            .apply_rules_preview(who, TransactionFilter::default())
            .await
            .map(drop),
        "apply_rules" => f
            .apply_rules(who, TransactionFilter::default(), now())
            .await
            .map(drop),
        "schedules" => f.schedules(who).await.map(drop),
        "schedule" => f.schedule(who, l.schedule.id).await.map(drop),
        "add_schedule" => f
            .add_schedule(who, schedule_draft(l.main.id, l.food.id), now())
            .await
            .map(drop),
        "edit_schedule" => f
            .edit_schedule(
                who,
                l.schedule.id,
                schedule_draft(l.main.id, l.food.id),
                now(),
            )
            .await
            .map(drop),
        "set_schedule_paused" => f
            .set_schedule_paused(who, l.schedule.id, false, now())
            .await
            .map(drop),
        "delete_schedule" => {
            let s = fresh_schedule().await;
            mark(f, o, snap).await;
            f.delete_schedule(who, s.id).await
        }
        "post_due" => f.post_due(who, d("2024-01-15"), now()).await.map(drop),
        "upcoming" => f.upcoming(who, today, 30).await.map(drop),
        "post_occurrence_now" => {
            let s = fresh_schedule().await;
            mark(f, o, snap).await;
            f.post_occurrence_now(who, s.id, d("2024-01-01"), now())
                .await
                .map(drop)
        }
        "skip_occurrence" => {
            let s = fresh_schedule().await;
            mark(f, o, snap).await;
            f.skip_occurrence(who, s.id, d("2024-01-01"))
                .await
                .map(drop)
        }
        "schedule_from_transaction" => f.schedule_from_transaction(who, l.tx.id).await.map(drop),
        "forecast" => f.forecast(who, l.main.id, today, 30).await.map(drop),
        "add_transaction" => f
            .add_transaction(who, new_tx(l.food.id, "2", "2024-03-06", "Added"), now())
            .await
            .map(drop),
        "add_transaction_with_key" => f
            .add_transaction_with_key(
                who,
                new_tx(l.food.id, "2", "2024-03-06", "Added"),
                &key(),
                now(),
            )
            .await
            .map(drop),
        "transaction" => f.transaction(who, l.tx.id).await.map(drop),
        "update_transaction" | "update_transaction_confirmed" => {
            let t = fresh_tx().await;
            mark(f, o, snap).await;
            let change = new_tx_in(l.savings.id, l.food.id, "3", "2024-03-07", "Edited");
            if op == "update_transaction" {
                f.update_transaction(who, t.id, change, now())
                    .await
                    .map(drop)
            } else {
                f.update_transaction_confirmed(who, t.id, change, now())
                    .await
                    .map(drop)
            }
        }
        "delete_transaction" => {
            let t = fresh_tx().await;
            mark(f, o, snap).await;
            f.delete_transaction(who, t.id).await
        }
        "delete_transaction_confirmed" => {
            let t = fresh_tx().await;
            mark(f, o, snap).await;
            f.delete_transaction_confirmed(who, t.id).await
        }
        "transactions" => f
            .transactions(
                who,
                &TransactionQuery::first_page(TransactionFilter::default()),
            )
            .await
            .map(drop),
        "summary" => f.summary(who, year).await.map(drop),
        "add_transfer" => f
            .add_transfer(
                who,
                new_transfer(l.main.id, l.savings.id, "5", "2024-03-08", "Move"),
                now(),
            )
            .await
            .map(drop),
        "add_transfer_with_key" => f
            .add_transfer_with_key(
                who,
                new_transfer(l.main.id, l.savings.id, "5", "2024-03-08", "Move"),
                &key(),
                now(),
            )
            .await
            .map(drop),
        "transfer" => f.transfer(who, l.transfer.id).await.map(drop),
        "update_transfer" | "delete_transfer" => {
            let t = f
                .add_transfer(
                    o,
                    new_transfer(l.main.id, l.savings.id, "5", "2024-03-08", "Move"),
                    now(),
                )
                .await
                .unwrap();
            mark(f, o, snap).await;
            if op == "update_transfer" {
                f.update_transfer(
                    who,
                    t.id,
                    new_transfer(l.savings.id, l.main.id, "6", "2024-03-09", "Back"),
                    true,
                    now(),
                )
                .await
                .map(drop)
            } else {
                f.delete_transfer(who, t.id, true).await
            }
        }
        "convert_to_transfer" => {
            let t = fresh_tx().await;
            mark(f, o, snap).await;
            f.convert_to_transfer(who, t.id, l.savings.id, true, now())
                .await
                .map(drop)
        }
        other => panic!("no call written for {other}"),
    }
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
