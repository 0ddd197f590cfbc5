//! The roles table's fixtures and its one dispatcher: [`call`] runs one
//! operation of the table as `user` on the shared ledger (with the drafts and
//! ids the fixture holds), and [`snapshot`] / [`mark`] read what a refused call
//! must have left unchanged.

use super::*;

pub(super) fn schedule_draft(account: Id, category: Id) -> finance_core::domain::NewSchedule {
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

pub(super) fn rule_draft(category: Id) -> finance_core::domain::NewRule {
    RuleDraft {
        enabled: true,
        description_text: Some("market".into()),
        category_id: Some(category.to_hex()),
        ..RuleDraft::default()
    }
    .validate(Currency::EUR)
    .unwrap()
}

pub(super) fn account_draft(name: &str) -> finance_core::domain::NewAccount {
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
pub(super) async fn snapshot(f: &Finance, owner: &AuthUser) -> String {
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
pub(super) fn answered<T: std::fmt::Debug>(
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
pub(super) async fn mark(f: &Finance, owner: &AuthUser, snap: &mut Option<String>) {
    if snap.is_some() {
        *snap = Some(snapshot(f, owner).await);
    }
}

pub(super) async fn call(
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
