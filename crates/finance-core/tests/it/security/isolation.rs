//! Isolation, generated rather than hand-picked: every user-scoped operation of
//! `Finance` is listed below in exactly one table, and a test fails when a new
//! operation is added without being classified (it scans the crate's sources).
//! Acting with another user's ids must answer `NotFound` (or the `Validation`
//! of an unknown reference) and change nothing of theirs.

use std::collections::BTreeSet;

use finance_core::domain::{
    Account, AccountDraft, Budget, Category, CategoryName, DateRange, IdempotencyKey, NewBudget,
    Period, Reconciliation, Schedule, ScheduleDraft, Transaction, TransactionFilter,
    TransactionQuery, Transfer,
};
use finance_core::domain::{NewRule, Role, Rule, RuleCandidate, RuleDraft};
use finance_core::{Amount, AuthUser, Currency, Error, Finance, Id};

use finance_testkit::{Harness, d, import_settings, new_transfer, new_tx, new_tx_in, now};

/// Operations that take ids of accounts, categories, budgets or transactions.
const ID_OPERATIONS: &[&str] = &[
    "account",
    "account_usage",
    "update_account",
    "set_account_archived",
    "remove_account",
    "remove_account_and_transactions",
    "account_balance_on",
    "account_register",
    "transaction",
    "update_transaction",
    "update_transaction_confirmed",
    "delete_transaction",
    "delete_transaction_confirmed",
    "add_transaction",
    "add_transaction_with_key",
    "add_transfer",
    "add_transfer_with_key",
    "transfer",
    "update_transfer",
    "delete_transfer",
    "convert_to_transfer",
    "set_cleared",
    "reconciliation_preview",
    "finish_reconciliation",
    "reconciliation_rows",
    "category",
    "rename_category",
    "category_usage",
    "delete_category",
    "add_budget",
    "update_budget",
    "delete_budget",
    "budget_status",
    "import_plan",
    "import_commit",
    "import_commit_with_key",
    "import_rejects",
    "schedule",
    "add_schedule",
    "edit_schedule",
    "set_schedule_paused",
    "delete_schedule",
    "post_occurrence_now",
    "skip_occurrence",
    "schedule_from_transaction",
    "forecast",
    "add_rule",
    "update_rule",
    "set_rule_enabled",
    "delete_rule",
    "reorder_rules",
    "rule_from_transaction",
    "apply_rules_preview",
    "apply_rules",
    "transaction_totals",
    "bulk_set_category",
    "bulk_move_to_account",
    "bulk_mark_cleared",
    "bulk_delete",
    "restore_deleted",
    "accept_invitation",
    "decline_invitation",
    "leave_ledger",
    "set_member_role",
    "remove_member",
];

/// Operations that list or total a user's data (checked to see only their own rows).
const LIST_OPERATIONS: &[&str] = &[
    "accounts",
    "account_balances",
    "net_worth",
    "net_worth_series",
    "categories",
    "budgets",
    "budget_statuses",
    "transactions",
    "summary",
    "report",
    "export_csv",
    "backup_to",
    "schedules",
    "post_due",
    "upcoming",
    "rules",
    "suggest",
    "suggest_for",
    "invitations",
    "ledgers",
    "members",
];

/// Operations on the signed-in user's own account, which take no ids of others.
const SELF_OPERATIONS: &[&str] = &[
    "profile",
    "currency_usage",
    "change_currency",
    "change_password",
    "delete_account",
    // Restores write only into the signed-in user (refused unless empty);
    // the file's ids are checked against the whole store (Conflict).
    "restore_from",
    "copy_user_to",
    "add_category",
    "add_account",
    // Invites into the signed-in user's own ledger, by username.
    "invite_member",
];

/// Every `pub async fn name(&self, user: &AuthUser, …)` in the crate's sources.
fn user_scoped_operations() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
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
                let signature = rest.split('{').next().unwrap_or("");
                if signature.contains("&AuthUser") {
                    found.insert(name);
                }
            }
        }
    }
    found
}

#[test]
fn every_user_scoped_operation_is_classified() {
    let classified: BTreeSet<String> = ID_OPERATIONS
        .iter()
        .chain(LIST_OPERATIONS)
        .chain(SELF_OPERATIONS)
        .map(|s| s.to_string())
        .collect();
    let found = user_scoped_operations();
    assert!(
        found.len() >= 20,
        "the scan found too few operations: {found:?}"
    );
    let missing: Vec<_> = found.difference(&classified).collect();
    assert!(
        missing.is_empty(),
        "new user-scoped operations must be added to the isolation tables: {missing:?}"
    );
    let stale: Vec<_> = classified.difference(&found).collect();
    assert!(
        stale.is_empty(),
        "the isolation tables list operations that no longer exist: {stale:?}"
    );
}

/// What the victim owns.
struct Victim {
    account: Account,
    savings: Account,
    transfer: Transfer,
    category: Category,
    other_category: Category,
    budget: Budget,
    tx: Transaction,
    rule: Rule,
    schedule: Schedule,
    /// The victim's ledger (their user id).
    ledger: Id,
    /// An active member of the victim's ledger.
    member: Id,
}

/// A monthly schedule draft of `amount` in `category` from `account` (or
/// a transfer to `to`), from 2024-01-01.
fn schedule_draft(account: Id, category: Option<Id>, to: Option<Id>) -> ScheduleDraft {
    ScheduleDraft {
        account_id: account.to_hex(),
        category_id: category.map(|c| c.to_hex()),
        to_account_id: to.map(|a| a.to_hex()),
        amount: "1".into(),
        description: "Rent".into(),
        frequency: "monthly".into(),
        start_date: "2024-01-01".into(),
        mode: "post".into(),
        ..ScheduleDraft::default()
    }
}

/// Everything of the victim's, to compare before and after.
async fn snapshot(f: &Finance, user: &AuthUser) -> String {
    let page = f
        .transactions(
            user,
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
        f.members(user).await.unwrap(),
        f.schedules(user).await.unwrap(),
        f.rules(user).await.unwrap(),
        f.account_balances(user).await.unwrap(),
        f.categories(user).await.unwrap(),
        f.budgets(user).await.unwrap(),
        page.items,
        f.profile(user).await.unwrap()
    )
}

/// A rule "description contains victim" setting `category`, on `account` when given.
fn rule_draft(category: Option<Id>, account: Option<Id>) -> NewRule {
    RuleDraft {
        enabled: true,
        description_text: Some("victim".into()),
        category_id: category.map(|c| c.to_hex()),
        account_id: account.map(|a| a.to_hex()),
        ..RuleDraft::default()
    }
    .validate(Currency::EUR)
    .unwrap()
}

#[track_caller]
fn refused<T: std::fmt::Debug>(op: &str, r: finance_core::Result<T>) {
    match r {
        Err(Error::NotFound { .. }) => {}
        Err(Error::Validation { ref field, .. }) if field == "moveTo" => {}
        other => panic!("{op} with another user's id: expected NotFound, got {other:?}"),
    }
}

async fn attempt(op: &str, f: &Finance, me: &AuthUser, mine: &Category, v: &Victim) {
    let limit = Amount::parse("limit", "5", Currency::EUR).unwrap();
    let name = CategoryName::parse("name", "Mine now").unwrap();
    let my_account = f.accounts(me).await.unwrap()[0].id;
    let account_change = AccountDraft {
        name: "Mine now".into(),
        kind: "cash".into(),
        opening_balance: "5".into(),
        opening_date: "2024-01-01".into(),
        note: None,
    }
    .validate(Currency::EUR)
    .unwrap();
    match op {
        "account" => refused(op, f.account(me, v.account.id).await),
        "account_usage" => refused(op, f.account_usage(me, v.account.id).await),
        "update_account" => refused(op, f.update_account(me, v.account.id, account_change).await),
        "set_account_archived" => {
            refused(op, f.set_account_archived(me, v.account.id, true).await);
        }
        "remove_account" => {
            refused(op, f.remove_account(me, v.account.id, None).await);
            refused(
                op,
                f.remove_account(me, v.account.id, Some(my_account)).await,
            );
            refused(
                op,
                f.remove_account(me, my_account, Some(v.account.id)).await,
            );
        }
        "account_balance_on" => {
            refused(
                op,
                f.account_balance_on(me, v.account.id, d("2024-03-01"))
                    .await,
            );
        }
        "account_register" => {
            // The victim's account as the list filter: NotFound, never an
            // empty page — in the register, the plain list, the export and
            // the report (`report` is listed with the listings; its account
            // filter is checked here, with the others).
            let theirs = TransactionFilter::default().with_account(Some(v.account.id));
            let query = TransactionQuery::first_page(theirs.clone());
            refused(op, f.account_register(me, &query).await);
            refused(op, f.transactions(me, &query).await);
            refused(op, f.export_csv(me, theirs, &mut Vec::new()).await);
            let year = DateRange::new(d("2024-01-01"), d("2024-12-31")).unwrap();
            for account in [v.account.id, v.savings.id] {
                refused(op, f.report(me, year, Some(account)).await);
            }
        }
        "transaction" => refused(op, f.transaction(me, v.tx.id).await),
        "update_transaction" => {
            refused(
                op,
                f.update_transaction(me, v.tx.id, new_tx(mine.id, "1", "2024-03-01", "x"), now())
                    .await,
            );
            // My own transaction moved into the victim's account.
            let own = f
                .add_transaction(me, new_tx(mine.id, "1", "2024-03-01", "own"), now())
                .await
                .unwrap();
            refused(
                op,
                f.update_transaction(
                    me,
                    own.id,
                    new_tx_in(v.account.id, mine.id, "1", "2024-03-01", "x"),
                    now(),
                )
                .await,
            );
            f.delete_transaction(me, own.id).await.unwrap();
        }
        "update_transaction_confirmed" => refused(
            op,
            f.update_transaction_confirmed(
                me,
                v.tx.id,
                new_tx(mine.id, "1", "2024-03-01", "x"),
                now(),
            )
            .await,
        ),
        "delete_transaction" => refused(op, f.delete_transaction(me, v.tx.id).await),
        "delete_transaction_confirmed" => {
            refused(op, f.delete_transaction_confirmed(me, v.tx.id).await);
            refused(
                op,
                f.delete_transaction_confirmed(me, v.transfer.to.id).await,
            );
        }
        "add_transfer" | "add_transfer_with_key" => {
            for (from, to) in [(my_account, v.account.id), (v.account.id, my_account)] {
                let new = new_transfer(from, to, "1", "2024-03-01", "x");
                let r = if op == "add_transfer" {
                    f.add_transfer(me, new, now()).await
                } else {
                    let key =
                        IdempotencyKey::parse("idempotencyKey", "isolation-key-000004").unwrap();
                    f.add_transfer_with_key(me, new, &key, now()).await
                };
                refused(op, r);
            }
        }
        "transfer" => refused(op, f.transfer(me, v.transfer.id).await),
        "update_transfer" => {
            let my_spare = f.accounts(me).await.unwrap()[1].id;
            refused(
                op,
                f.update_transfer(
                    me,
                    v.transfer.id,
                    new_transfer(my_account, my_spare, "1", "2024-03-01", "x"),
                    true,
                    now(),
                )
                .await,
            );
            // My own transfer pointed at the victim's account.
            let own = f
                .add_transfer(
                    me,
                    new_transfer(my_account, my_spare, "1", "2024-03-01", "own"),
                    now(),
                )
                .await
                .unwrap();
            refused(
                op,
                f.update_transfer(
                    me,
                    own.id,
                    new_transfer(my_account, v.savings.id, "1", "2024-03-01", "x"),
                    true,
                    now(),
                )
                .await,
            );
            f.delete_transfer(me, own.id, false).await.unwrap();
        }
        "delete_transfer" => refused(op, f.delete_transfer(me, v.transfer.id, true).await),
        "convert_to_transfer" => {
            refused(
                op,
                f.convert_to_transfer(me, v.tx.id, my_account, true, now())
                    .await,
            );
            let own = f
                .add_transaction(me, new_tx(mine.id, "1", "2024-03-01", "own"), now())
                .await
                .unwrap();
            refused(
                op,
                f.convert_to_transfer(me, own.id, v.account.id, true, now())
                    .await,
            );
            f.delete_transaction(me, own.id).await.unwrap();
        }
        "remove_account_and_transactions" => {
            refused(
                op,
                f.remove_account_and_transactions(me, v.account.id).await,
            );
        }
        "set_cleared" => {
            refused(op, f.set_cleared(me, v.account.id, &[], true).await);
            refused(op, f.set_cleared(me, my_account, &[v.tx.id], true).await);
        }
        "reconciliation_rows" => {
            refused(
                op,
                f.reconciliation_rows(me, v.account.id, d("2024-12-31"))
                    .await,
            );
        }
        "reconciliation_preview" | "finish_reconciliation" => {
            let statement = Reconciliation {
                date: d("2024-12-31"),
                balance: 0,
            };
            for (account, ticked) in [(v.account.id, vec![]), (my_account, vec![v.tx.id])] {
                if op == "reconciliation_preview" {
                    refused(
                        op,
                        f.reconciliation_preview(me, account, statement, &ticked)
                            .await,
                    );
                } else {
                    refused(
                        op,
                        f.finish_reconciliation(me, account, statement, &ticked)
                            .await,
                    );
                }
            }
        }
        "add_transaction" => {
            refused(
                op,
                f.add_transaction(me, new_tx(v.category.id, "1", "2024-03-01", "x"), now())
                    .await,
            );
            refused(
                op,
                f.add_transaction(
                    me,
                    new_tx_in(v.account.id, mine.id, "1", "2024-03-01", "x"),
                    now(),
                )
                .await,
            );
        }
        "add_transaction_with_key" => {
            refused(
                op,
                f.add_transaction_with_key(
                    me,
                    new_tx(v.category.id, "1", "2024-03-01", "x"),
                    &IdempotencyKey::parse("idempotencyKey", "isolation-key-000001").unwrap(),
                    now(),
                )
                .await,
            );
            refused(
                op,
                f.add_transaction_with_key(
                    me,
                    new_tx_in(v.account.id, mine.id, "1", "2024-03-01", "x"),
                    &IdempotencyKey::parse("idempotencyKey", "isolation-key-000003").unwrap(),
                    now(),
                )
                .await,
            );
        }
        "rename_category" => refused(op, f.rename_category(me, v.category.id, name).await),
        "category" => refused(op, f.category(me, v.category.id).await),
        "category_usage" => refused(op, f.category_usage(me, v.category.id).await),
        "delete_category" => {
            refused(op, f.delete_category(me, v.category.id, None).await);
            refused(
                op,
                f.delete_category(me, v.category.id, Some(mine.id)).await,
            );
            refused(
                op,
                f.delete_category(me, mine.id, Some(v.other_category.id))
                    .await,
            );
        }
        "add_budget" => refused(
            op,
            f.add_budget(
                me,
                NewBudget {
                    category_id: v.category.id,
                    limit,
                    period: Period::Weekly,
                },
                now(),
            )
            .await,
        ),
        "update_budget" => refused(
            op,
            f.update_budget(
                me,
                v.budget.id,
                NewBudget {
                    category_id: mine.id,
                    limit,
                    period: Period::Weekly,
                },
            )
            .await,
        ),
        "delete_budget" => refused(op, f.delete_budget(me, v.budget.id).await),
        "budget_status" => refused(op, f.budget_status(me, v.budget.id, d("2024-03-01")).await),
        "import_plan" | "import_commit" | "import_commit_with_key" | "import_rejects" => {
            use finance_core::csv_io::{CategoryMapping, CategoryTarget};
            let settings = import_settings();
            // A mapping to the victim's category, into my own account.
            let theirs = b"date,amount,description,category\n2024-03-01,-1,x,Theirs\n";
            let maps = [CategoryMapping {
                csv_name: "Theirs".into(),
                kind: v.category.kind,
                target: CategoryTarget::Existing(v.category.id),
            }];
            // Import into another user's account (my own category).
            let mine_csv = b"date,amount,description,category\n2024-03-01,-1,x,Mine\n";
            let my_maps = [CategoryMapping {
                csv_name: "Mine".into(),
                kind: mine.kind,
                target: CategoryTarget::Existing(mine.id),
            }];
            let tries: [(Option<Id>, &[u8], &[CategoryMapping]); 2] = [
                (None, theirs, &maps),
                (Some(v.account.id), mine_csv, &my_maps),
            ];
            for (i, (account, csv, maps)) in tries.into_iter().enumerate() {
                if op == "import_plan" {
                    refused(op, f.import_plan(me, account, csv, &settings, maps).await);
                } else if op == "import_rejects" {
                    refused(
                        op,
                        f.import_rejects(me, account, csv, &settings, maps, Vec::new())
                            .await,
                    );
                } else if op == "import_commit_with_key" {
                    let key = IdempotencyKey::parse(
                        "idempotencyKey",
                        &format!("isolation-key-00000{}", 2 + 5 * i),
                    )
                    .unwrap();
                    refused(
                        op,
                        f.import_commit_with_key(
                            me,
                            account,
                            csv,
                            &settings,
                            maps,
                            false,
                            Some(&key),
                            now(),
                            &|_, _| {},
                        )
                        .await,
                    );
                } else {
                    refused(
                        op,
                        f.import_commit(
                            me,
                            account,
                            csv,
                            &settings,
                            maps,
                            false,
                            now(),
                            &|_, _| {},
                        )
                        .await,
                    );
                }
            }
            // A bank statement into another user's account (same path, no settings).
            let statement = finance_core::csv_io::statement_for_tests::encode(
                &finance_core::bank::StatementFile {
                    format: finance_core::bank::BankFormat::Ofx,
                    account_hint: None,
                    currency: None,
                    ending_balance: None,
                    entries: vec![finance_core::bank::BankEntry {
                        date: d("2024-03-01"),
                        amount: -100,
                        payee: "x".into(),
                        memo: String::new(),
                        bank_id: Some("FIT-1".into()),
                    }],
                },
            );
            let bank = finance_core::csv_io::ImportSource::Bank { qif_dates: None };
            let theirs = Some(v.account.id);
            match op {
                "import_plan" => {
                    refused(op, f.import_plan(me, theirs, &statement, bank, &[]).await)
                }
                "import_commit" => refused(
                    op,
                    f.import_commit(me, theirs, &statement, bank, &[], false, now(), &|_, _| {})
                        .await,
                ),
                _ => {}
            }
        }
        "schedule" => refused(op, f.schedule(me, v.schedule.id).await),
        "add_schedule" | "edit_schedule" => {
            // My schedule naming the victim's account, transfer target or category.
            for draft in [
                schedule_draft(v.account.id, Some(mine.id), None),
                schedule_draft(my_account, Some(v.category.id), None),
                schedule_draft(my_account, None, Some(v.savings.id)),
            ] {
                let new = draft.validate(Currency::EUR).unwrap();
                if op == "add_schedule" {
                    refused(op, f.add_schedule(me, new, now()).await);
                } else {
                    let own = f
                        .add_schedule(
                            me,
                            schedule_draft(my_account, Some(mine.id), None)
                                .validate(Currency::EUR)
                                .unwrap(),
                            now(),
                        )
                        .await
                        .unwrap();
                    refused(op, f.edit_schedule(me, own.id, new, now()).await);
                    f.delete_schedule(me, own.id).await.unwrap();
                }
            }
            let mine_new = schedule_draft(my_account, Some(mine.id), None)
                .validate(Currency::EUR)
                .unwrap();
            if op == "edit_schedule" {
                refused(
                    op,
                    f.edit_schedule(me, v.schedule.id, mine_new, now()).await,
                );
            }
        }
        "set_schedule_paused" => {
            refused(
                op,
                f.set_schedule_paused(me, v.schedule.id, true, now()).await,
            );
        }
        "delete_schedule" => refused(op, f.delete_schedule(me, v.schedule.id).await),
        "post_occurrence_now" => refused(
            op,
            f.post_occurrence_now(me, v.schedule.id, d("2024-01-01"), now())
                .await,
        ),
        "skip_occurrence" => {
            refused(
                op,
                f.skip_occurrence(me, v.schedule.id, d("2024-01-01")).await,
            );
        }
        "schedule_from_transaction" => {
            refused(op, f.schedule_from_transaction(me, v.tx.id).await);
            refused(
                op,
                f.schedule_from_transaction(me, v.transfer.from.id).await,
            );
        }
        "forecast" => refused(op, f.forecast(me, v.account.id, d("2024-03-01"), 30).await),
        "add_rule" | "update_rule" => {
            // The victim's category or account in a rule of mine, or my rule on the victim's.
            let theirs_category = rule_draft(Some(v.category.id), None);
            let theirs_account = rule_draft(Some(mine.id), Some(v.account.id));
            for new in [theirs_category, theirs_account] {
                if op == "add_rule" {
                    refused(op, f.add_rule(me, new, now()).await);
                } else {
                    refused(
                        op,
                        f.update_rule(me, v.rule.id, rule_draft(Some(mine.id), None))
                            .await,
                    );
                    let own = f
                        .add_rule(me, rule_draft(Some(mine.id), None), now())
                        .await
                        .unwrap();
                    refused(op, f.update_rule(me, own.id, new).await);
                    f.delete_rule(me, own.id).await.unwrap();
                }
            }
        }
        "set_rule_enabled" => refused(op, f.set_rule_enabled(me, v.rule.id, false).await),
        "delete_rule" => refused(op, f.delete_rule(me, v.rule.id).await),
        "reorder_rules" => refused(op, f.reorder_rules(me, &[v.rule.id]).await),
        "rule_from_transaction" => refused(op, f.rule_from_transaction(me, v.tx.id).await),
        "apply_rules_preview" | "apply_rules" => {
            let theirs = TransactionFilter::default().with_account(Some(v.account.id));
            // A rule of mine that would match the victim's row.
            let own = f
                .add_rule(me, rule_draft(Some(mine.id), None), now())
                .await
                .unwrap();
            if op == "apply_rules" {
                refused(op, f.apply_rules(me, theirs, now()).await);
            } else {
                refused(op, f.apply_rules_preview(me, theirs).await);
            }
            let all = f
                .apply_rules(me, TransactionFilter::default(), now())
                .await
                .unwrap();
            assert_eq!(all.count, 0, "{op} found another user's rows");
            f.delete_rule(me, own.id).await.unwrap();
        }
        "transaction_totals" => {
            let theirs = TransactionFilter::default().with_account(Some(v.account.id));
            refused(op, f.transaction_totals(me, &theirs).await);
        }
        "bulk_set_category" | "bulk_move_to_account" | "bulk_mark_cleared" | "bulk_delete" => {
            use finance_core::domain::Selection;
            let own = f
                .add_transaction(me, new_tx(mine.id, "1", "2024-03-01", "own"), now())
                .await
                .unwrap();
            let theirs = Selection::ids(vec![own.id, v.tx.id, v.transfer.to.id]).unwrap();
            let mine_only = Selection::ids(vec![own.id]).unwrap();
            let their_account =
                Selection::Filter(TransactionFilter::default().with_account(Some(v.account.id)));
            for selection in [&theirs, &their_account] {
                let r = match op {
                    "bulk_set_category" => {
                        f.bulk_set_category(me, selection, mine.id, true, now())
                            .await
                    }
                    "bulk_move_to_account" => {
                        f.bulk_move_to_account(me, selection, my_account, true, now())
                            .await
                    }
                    "bulk_mark_cleared" => f.bulk_mark_cleared(me, selection, now()).await,
                    _ => f
                        .bulk_delete(me, selection, true)
                        .await
                        .map(|d| d.len() as u64),
                };
                refused(op, r);
            }
            // My own rows into the victim's category or account.
            match op {
                "bulk_set_category" => refused(
                    op,
                    f.bulk_set_category(me, &mine_only, v.category.id, true, now())
                        .await,
                ),
                "bulk_move_to_account" => refused(
                    op,
                    f.bulk_move_to_account(me, &mine_only, v.account.id, true, now())
                        .await,
                ),
                _ => {}
            }
            f.delete_transaction(me, own.id).await.unwrap();
        }
        "restore_deleted" => {
            let key = IdempotencyKey::parse("idempotencyKey", "isolation-key-000011").unwrap();
            let mut stolen = v.tx.clone();
            stolen.id = Id::generate();
            refused(
                op,
                f.restore_deleted(me, std::slice::from_ref(&v.tx), &key, now())
                    .await,
            );
            refused(
                op,
                f.restore_deleted(me, &[stolen.clone()], &key, now()).await,
            );
            // My own row naming the victim's category, or account.
            let mut forged = stolen;
            forged.user_id = me.id();
            forged.account_id = my_account;
            refused(
                op,
                f.restore_deleted(me, &[forged.clone()], &key, now()).await,
            );
            forged.category_id = Some(mine.id);
            forged.account_id = v.account.id;
            refused(op, f.restore_deleted(me, &[forged], &key, now()).await);
        }
        "accept_invitation" => refused(op, f.accept_invitation(me, v.ledger).await),
        "decline_invitation" => refused(op, f.decline_invitation(me, v.ledger).await),
        "leave_ledger" => refused(op, f.leave_ledger(me, v.ledger).await),
        "set_member_role" => refused(op, f.set_member_role(me, v.member, Role::Editor).await),
        "remove_member" => refused(op, f.remove_member(me, v.member).await),
        other => panic!("no attempt written for {other}"),
    }
}

/// Make `username` an active viewer of `owner`'s ledger; answers their id.
async fn invited_member(h: &Harness, owner: &AuthUser, username: &str) -> Id {
    let member = h.user(username).await;
    h.finance
        .invite_member(owner, username, Role::Viewer, now())
        .await
        .unwrap();
    h.finance
        .accept_invitation(&member, owner.ledger())
        .await
        .unwrap();
    member.id()
}

pub async fn every_id_taking_operation_answers_not_found_for_another_users_ids(h: &Harness) {
    let me = h.user("mallory").await;
    let victim_user = h.user("victim").await;
    let category = h.category(&victim_user, "Groceries").await;
    let account = h.main_account(&victim_user).await;
    let savings = h.add_account(&victim_user, "Savings", "savings", "0").await;
    let schedule = h
        .finance
        .add_schedule(
            &victim_user,
            schedule_draft(account.id, Some(category.id), None)
                .validate(Currency::EUR)
                .unwrap(),
            now(),
        )
        .await
        .unwrap();
    let victim = Victim {
        transfer: h
            .transfer(
                &victim_user,
                account.id,
                savings.id,
                "50",
                "2024-03-02",
                "To savings",
            )
            .await,
        account,
        savings,
        other_category: h.category(&victim_user, "Rent").await,
        budget: h
            .budget(&victim_user, category.id, "100", Period::Monthly)
            .await,
        tx: h
            .tx(&victim_user, category.id, "12.00", "2024-03-01", "Victim's")
            .await,
        schedule,
        rule: h
            .finance
            .add_rule(&victim_user, rule_draft(Some(category.id), None), now())
            .await
            .unwrap(),
        ledger: victim_user.ledger(),
        member: invited_member(h, &victim_user, "helper").await,
        category,
    };
    let mine = h.category(&me, "Groceries").await;
    h.add_account(&me, "Spare", "cash", "0").await;
    let before = snapshot(&h.finance, &victim_user).await;
    for op in ID_OPERATIONS {
        attempt(op, &h.finance, &me, &mine, &victim).await;
    }
    assert_eq!(
        snapshot(&h.finance, &victim_user).await,
        before,
        "the victim's data changed"
    );
}

pub async fn every_listing_sees_only_its_own_rows(h: &Harness) {
    let me = h.user("mallory").await;
    let victim = h.user("victim").await;
    let cat = h.category(&victim, "Groceries").await;
    h.budget(&victim, cat.id, "100", Period::Monthly).await;
    let their_account = h.main_account(&victim).await;
    let their_schedule = h
        .finance
        .add_schedule(
            &victim,
            schedule_draft(their_account.id, Some(cat.id), None)
                .validate(Currency::EUR)
                .unwrap(),
            now(),
        )
        .await
        .unwrap();
    for i in 1..=9 {
        h.tx(
            &victim,
            cat.id,
            "10.00",
            &format!("2024-03-0{i}"),
            "Victim's",
        )
        .await;
    }
    let f = &h.finance;
    f.add_rule(&victim, rule_draft(Some(cat.id), None), now())
        .await
        .unwrap();
    invited_member(h, &victim, "helper").await;
    // An invitation waiting for someone else.
    h.user("pending").await;
    f.invite_member(&victim, "pending", Role::Editor, now())
        .await
        .unwrap();
    let month = DateRange::month_of(d("2024-03-01"));
    for op in LIST_OPERATIONS {
        let leaked = match *op {
            "accounts" => f
                .accounts(&me)
                .await
                .unwrap()
                .iter()
                .any(|a| a.user_id != me.id()),
            "account_balances" => f
                .account_balances(&me)
                .await
                .unwrap()
                .iter()
                .any(|b| b.account.user_id != me.id() || b.balance != 0 || b.transactions != 0),
            "net_worth" => f.net_worth(&me).await.unwrap() != Default::default(),
            "net_worth_series" => f
                .net_worth_series(&me, d("2024-01-01"), d("2024-12-31"))
                .await
                .unwrap()
                .iter()
                .any(|m| m.worth != Default::default()),
            "categories" => f
                .categories(&me)
                .await
                .unwrap()
                .iter()
                .any(|c| c.user_id != me.id()),
            "budgets" => !f.budgets(&me).await.unwrap().is_empty(),
            "budget_statuses" => !f
                .budget_statuses(&me, d("2024-03-01"))
                .await
                .unwrap()
                .is_empty(),
            "transactions" => {
                let all = TransactionFilter {
                    categories: vec![cat.id],
                    ..Default::default()
                };
                !f.transactions(
                    &me,
                    &TransactionQuery::first_page(TransactionFilter::default()),
                )
                .await
                .unwrap()
                .items
                .is_empty()
                    || !f
                        .transactions(&me, &TransactionQuery::first_page(all))
                        .await
                        .unwrap()
                        .items
                        .is_empty()
            }
            "summary" => f.summary(&me, month).await.unwrap().count != 0,
            "report" => {
                // Every account of mine, and my one account.
                let mine = f.accounts(&me).await.unwrap()[0].id;
                let mut leaked = false;
                for account in [None, Some(mine)] {
                    let r = f.report(&me, month, account).await.unwrap();
                    leaked |= r.total_expense != 0
                        || !r.by_category.is_empty()
                        || !r.budgets.is_empty()
                        || !r.largest.is_empty()
                        || !r.frequent.is_empty()
                        || r.monthly.iter().any(|m| m.count != 0);
                }
                leaked
            }
            "export_csv" => {
                let mut out = Vec::new();
                let all = TransactionFilter {
                    categories: vec![cat.id],
                    ..Default::default()
                };
                f.export_csv(&me, TransactionFilter::default(), &mut out)
                    .await
                    .unwrap()
                    != 0
                    || f.export_csv(&me, all, &mut out).await.unwrap() != 0
            }
            "schedules" => !f.schedules(&me).await.unwrap().is_empty(),
            "backup_to" => {
                // Everything in my file is mine: no transactions, and no
                // more records than my own accounts, categories, budgets,
                // schedules and rules.
                let (_, summary) = f
                    .backup_to(&me, std::io::Cursor::new(Vec::new()), None, now())
                    .await
                    .unwrap();
                let mine = f.accounts(&me).await.unwrap().len()
                    + f.categories(&me).await.unwrap().len()
                    + f.budgets(&me).await.unwrap().len()
                    + f.schedules(&me).await.unwrap().len()
                    + f.rules(&me).await.unwrap().len();
                summary.transactions != 0 || summary.records != mine as u64
            }
            "post_due" => {
                let summary = f.post_due(&me, d("2024-03-31"), now()).await.unwrap();
                summary.total_posted() != 0
                    || !summary.reminders.is_empty()
                    || f.schedule(&victim, their_schedule.id)
                        .await
                        .unwrap()
                        .handled_through
                        .is_some()
            }
            "upcoming" => !f
                .upcoming(&me, d("2024-03-01"), 30)
                .await
                .unwrap()
                .is_empty(),
            "rules" => !f.rules(&me).await.unwrap().is_empty(),
            "suggest" => !f.suggest(&me, "vict").await.unwrap().is_empty(),
            "suggest_for" => f
                .suggest_for(
                    &me,
                    RuleCandidate {
                        description: "Victim's",
                        amount: Some(1000),
                        account: None,
                        kind: None,
                    },
                )
                .await
                .unwrap()
                .is_some(),
            "invitations" => !f.invitations(&me).await.unwrap().is_empty(),
            "ledgers" => f
                .ledgers(&me)
                .await
                .unwrap()
                .iter()
                .any(|l| l.ledger != me.id()),
            "members" => f
                .members(&me)
                .await
                .unwrap()
                .iter()
                .any(|m| m.ledger != me.id() || m.member != me.id()),
            other => panic!("no listing check written for {other}"),
        };
        assert!(!leaked, "{op} showed another user's data");
    }
    let _ = Id::generate();
}
