//! Transfers, refunds and reconciliation (accounts, phase 2): transfers move
//! balances and are never income, expense, budget spending or a category's;
//! a refund lowers its category's spending and adds to its account; a
//! reconciliation finishes only at a zero difference and then guards its
//! rows. Balances are checked against a recomputation from the rows after
//! every write (`accounts::recomputed`).

use finance_core::domain::{
    DateRange, EntryKind, NewTransfer, Period, Reconciliation, TransactionFilter, TransactionQuery,
    TxStatus,
};
use finance_core::{Currency, Id, rules};
use finance_testkit::{
    Harness, assert_err, d, import_settings, new_transfer, new_tx, new_tx_in, no_progress, now,
};

use super::accounts::{balances, cleared_balances, recomputed, same};

/// The user's rows of March 2024 (all of them in these scenarios).
async fn rows(h: &Harness, user: &finance_core::AuthUser, filter: TransactionFilter) -> usize {
    h.finance
        .transactions(user, &TransactionQuery::first_page(filter))
        .await
        .unwrap()
        .items
        .len()
}

pub async fn transfers_move_balances_but_are_never_income_or_expense(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Visa", "credit_card", "-250").await;
    let savings = h.add_account(&ann, "Savings", "savings", "0").await;
    let food = h.category(&ann, "Groceries").await;
    let budget = h.budget(&ann, food.id, "500", Period::Monthly).await;
    h.tx(&ann, food.id, "100", "2024-03-05", "Market").await;
    let month = DateRange::month_of(d("2024-03-01"));
    let report_before = h.finance.report(&ann, month, None).await.unwrap();
    let total_before: i64 = balances(h, &ann).await.values().map(|b| b.0).sum();

    let t = h
        .transfer(&ann, main.id, card.id, "250", "2024-03-10", "Card bill")
        .await;
    assert_eq!((t.from.account_id, t.to.account_id), (main.id, card.id));
    assert_eq!(
        (t.from.kind, t.to.kind),
        (EntryKind::TransferOut, EntryKind::TransferIn)
    );
    assert_eq!(t.from.transfer_id, Some(t.id));
    assert!(t.from.category_id.is_none() && t.to.category_id.is_none());
    assert_eq!(
        h.finance.transfer(&ann, t.id).await.unwrap(),
        t,
        "read back as written"
    );
    let b = balances(h, &ann).await;
    same("a transfer", b.clone(), recomputed(h, &ann).await);
    assert_eq!(b[&main.id].0, -10_000 - 25_000);
    assert_eq!(b[&card.id].0, 0, "the card's debt is paid");
    assert_eq!(
        b.values().map(|b| b.0).sum::<i64>(),
        total_before,
        "a transfer moves money between accounts: net worth is unchanged"
    );
    // Never income, expense, budget spending or a category's.
    let s = h.finance.summary(&ann, month).await.unwrap();
    assert_eq!(
        (s.income, s.expense, s.count),
        (0, 10_000, 1),
        "only the purchase counts"
    );
    let status = h
        .finance
        .budget_status(&ann, budget.id, d("2024-03-15"))
        .await
        .unwrap();
    assert_eq!(status.spent, 10_000, "a transfer is not budget spending");
    let report = h.finance.report(&ann, month, None).await.unwrap();
    assert_eq!(
        (
            &report.by_category,
            &report.monthly,
            report.total_income,
            report.total_expense
        ),
        (
            &report_before.by_category,
            &report_before.monthly,
            0,
            10_000
        ),
        "reports are as they were before the transfer"
    );
    assert!(
        report.frequent.iter().all(|f| f.description != "Card bill"),
        "a transfer is no frequent expense: {:?}",
        report.frequent
    );
    let usage = h.finance.category_usage(&ann, food.id).await.unwrap();
    assert_eq!(usage.transactions, 1);
    // The list shows both legs; category and type filters leave them out.
    assert_eq!(rows(h, &ann, TransactionFilter::default()).await, 3);
    let by_category = TransactionFilter {
        categories: vec![food.id],
        ..Default::default()
    };
    assert_eq!(rows(h, &ann, by_category).await, 1);
    let expenses = TransactionFilter {
        kind: Some(finance_testkit::EXPENSE),
        ..Default::default()
    };
    assert_eq!(rows(h, &ann, expenses).await, 1);

    // A leg is edited only as a transfer; an edit changes both legs at once.
    assert_err(
        h.finance
            .update_transaction(
                &ann,
                t.to.id,
                new_tx(food.id, "1", "2024-03-10", "x"),
                now(),
            )
            .await,
        "conflict",
        Some("kind"),
    );
    let edited = h
        .finance
        .update_transfer(
            &ann,
            t.id,
            new_transfer(main.id, savings.id, "300", "2024-03-11", "Saving"),
            false,
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        (edited.to.account_id, edited.to.amount.minor()),
        (savings.id, 30_000)
    );
    assert_eq!(edited.from.date, d("2024-03-11"));
    let b = balances(h, &ann).await;
    same("a transfer edit", b.clone(), recomputed(h, &ann).await);
    assert_eq!((b[&card.id].0, b[&savings.id].0), (-25_000, 30_000));

    // Refusals change nothing.
    let before = balances(h, &ann).await;
    assert_err(
        h.finance
            .add_transfer(
                &ann,
                new_transfer(main.id, Id::generate(), "5", "2024-03-12", "x"),
                now(),
            )
            .await,
        "not_found",
        None,
    );
    assert_err(
        h.finance
            .update_transfer(
                &ann,
                t.id,
                NewTransfer {
                    to_account: main.id,
                    ..new_transfer(main.id, savings.id, "5", "2024-03-12", "x")
                },
                false,
                now(),
            )
            .await,
        "validation",
        Some("toAccountId"),
    );
    assert_eq!(
        balances(h, &ann).await,
        before,
        "a refused transfer writes nothing"
    );

    // Deleting one leg deletes the transfer.
    h.finance
        .delete_transaction(&ann, edited.to.id)
        .await
        .unwrap();
    assert_err(h.finance.transfer(&ann, t.id).await, "not_found", None);
    assert_err(
        h.finance.transaction(&ann, edited.from.id).await,
        "not_found",
        None,
    );
    same(
        "a transfer delete",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    assert_eq!(rows(h, &ann, TransactionFilter::default()).await, 1);
}

pub async fn a_bank_line_becomes_a_transfer_and_stays_a_duplicate(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Visa", "credit_card", "-80").await;
    let csv =
        b"date,amount,description,category\n2024-03-10,-80,VISA payment,\n2024-03-11,-5,Coffee,\n";
    let imported = h
        .finance
        .import_commit(
            &ann,
            None,
            csv,
            &import_settings(),
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(imported.imported, 2);
    let page = h
        .finance
        .transactions(
            &ann,
            &TransactionQuery::first_page(TransactionFilter::default()),
        )
        .await
        .unwrap();
    let line = page
        .items
        .iter()
        .find(|t| t.description == "VISA payment")
        .unwrap()
        .clone();
    h.finance
        .set_cleared(&ann, main.id, &[line.id], true)
        .await
        .unwrap();
    let before = h
        .finance
        .summary(&ann, DateRange::month_of(line.date))
        .await
        .unwrap();

    let t = h
        .finance
        .convert_to_transfer(&ann, line.id, card.id, false, now())
        .await
        .unwrap();
    assert_eq!(
        (t.from.account_id, t.to.account_id),
        (main.id, card.id),
        "an expense leaves its account"
    );
    assert_eq!(
        (
            t.from.date,
            t.from.amount.minor(),
            t.from.description.as_str()
        ),
        (line.date, 8_000, "VISA payment")
    );
    assert_eq!(
        t.from.status,
        TxStatus::Cleared,
        "the bank line's leg keeps its status"
    );
    assert_err(
        h.finance.transaction(&ann, line.id).await,
        "not_found",
        None,
    );
    let after = h
        .finance
        .summary(&ann, DateRange::month_of(line.date))
        .await
        .unwrap();
    assert_eq!(
        after.expense,
        before.expense - 8_000,
        "it is no longer an expense"
    );
    let b = balances(h, &ann).await;
    same("a conversion", b.clone(), recomputed(h, &ann).await);
    assert_eq!((b[&main.id].0, b[&card.id].0), (-8_500, 0));
    // The same bank file again: the transfer's leg still matches its line.
    let plan = h
        .finance
        .import_plan(&ann, None, csv, &import_settings(), &[])
        .await
        .unwrap();
    assert_eq!(
        plan.duplicates, 2,
        "both lines are already here (one as a transfer)"
    );
    // A refund cannot be a transfer; a transfer leg cannot be converted again.
    assert_err(
        h.finance
            .convert_to_transfer(&ann, t.from.id, card.id, false, now())
            .await,
        "conflict",
        Some("kind"),
    );
    let coffee = page
        .items
        .iter()
        .find(|t| t.description == "Coffee")
        .unwrap();
    assert_err(
        h.finance
            .convert_to_transfer(&ann, coffee.id, main.id, false, now())
            .await,
        "validation",
        Some("toAccountId"),
    );
}

pub async fn a_transfer_with_a_key_is_applied_once(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let cash = h.add_account(&ann, "Wallet", "cash", "0").await;
    let key = finance_core::domain::IdempotencyKey::parse("idempotencyKey", "transfer-key-0000001")
        .unwrap();
    let new = new_transfer(main.id, cash.id, "40", "2024-03-01", "ATM");
    let first = h
        .finance
        .add_transfer_with_key(&ann, new.clone(), &key, now())
        .await
        .unwrap();
    let again = h
        .finance
        .add_transfer_with_key(&ann, new, &key, now())
        .await
        .unwrap();
    assert_eq!(first, again, "a replay returns the first transfer");
    assert_eq!(
        rows(h, &ann, TransactionFilter::default()).await,
        2,
        "two legs, once"
    );
    assert_err(
        h.finance
            .add_transfer_with_key(
                &ann,
                new_transfer(main.id, cash.id, "41", "2024-03-01", "ATM"),
                &key,
                now(),
            )
            .await,
        "conflict",
        Some("idempotencyKey"),
    );
}

pub async fn refunds_lower_spending_and_add_to_the_account(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let food = h.category(&ann, "Groceries").await;
    let salary = h.category(&ann, "Salary").await;
    let budget = h.budget(&ann, food.id, "100", Period::Monthly).await;
    let month = DateRange::month_of(d("2024-03-01"));
    h.tx(&ann, food.id, "80", "2024-03-02", "Market").await;
    let refund = h
        .tx(&ann, food.id, "-30", "2024-03-04", "Market refund")
        .await;
    assert_eq!(
        (refund.kind, refund.amount.minor()),
        (EntryKind::Expense, -3_000)
    );
    let s = h.finance.summary(&ann, month).await.unwrap();
    assert_eq!(
        (s.income, s.expense, s.count),
        (0, 5_000, 2),
        "a refund lowers spending, it is not income"
    );
    let status = h
        .finance
        .budget_status(&ann, budget.id, d("2024-03-15"))
        .await
        .unwrap();
    assert_eq!(
        (status.spent, status.remaining, status.percent),
        (5_000, 5_000, 50)
    );
    let report = h.finance.report(&ann, month, None).await.unwrap();
    assert_eq!(
        report
            .by_category
            .iter()
            .find(|c| c.category_id == food.id)
            .map(|c| c.amount),
        Some(5_000)
    );
    assert!(
        report.largest.iter().all(|t| t.amount.minor() > 0),
        "a refund is no largest expense"
    );
    let b = balances(h, &ann).await;
    same("a refund", b.clone(), recomputed(h, &ann).await);
    assert_eq!(b[&main.id].0, -5_000, "the refund came back to the account");
    // Income is never negative: not on an add, not by an edit into an income category.
    let before = balances(h, &ann).await;
    assert_err(
        h.finance
            .add_transaction(&ann, new_tx(salary.id, "-1", "2024-03-05", "x"), now())
            .await,
        "validation",
        Some("amount"),
    );
    assert_err(
        h.finance
            .update_transaction(
                &ann,
                refund.id,
                new_tx_in(main.id, salary.id, "-30", "2024-03-04", "x"),
                now(),
            )
            .await,
        "validation",
        Some("amount"),
    );
    assert_eq!(
        balances(h, &ann).await,
        before,
        "refused writes change nothing"
    );
    // More refunds than spending: the budget reads 0 % spent, never a negative bar.
    h.tx(&ann, food.id, "-100", "2024-03-06", "Returned all")
        .await;
    let status = h
        .finance
        .budget_status(&ann, budget.id, d("2024-03-15"))
        .await
        .unwrap();
    assert_eq!((status.spent, status.percent), (-5_000, 0));
}

pub async fn reconciliation_finishes_only_at_zero_and_guards_its_rows(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.add_account(&ann, "Giro", "checking", "1000").await;
    let other = h.main_account(&ann).await;
    let food = h.category(&ann, "Groceries").await;
    let salary = h.category(&ann, "Salary").await;
    let add = |cat: Id, amount: &'static str, date: &'static str| {
        let f = h.finance.clone();
        let ann = ann.clone();
        async move {
            f.add_transaction(&ann, new_tx_in(main.id, cat, amount, date, "row"), now())
                .await
                .unwrap()
        }
    };
    let groceries = add(food.id, "100", "2024-03-02").await;
    let pay = add(salary.id, "500", "2024-03-03").await;
    let late = add(food.id, "50", "2024-04-02").await;
    let out = h
        .transfer(&ann, main.id, other.id, "200", "2024-03-04", "To main")
        .await;
    let statement = Reconciliation {
        date: d("2024-03-31"),
        balance: 120_000,
    };
    let tickable = |through: &'static str| {
        let f = h.finance.clone();
        let ann = ann.clone();
        async move {
            let r = f
                .reconciliation_rows(&ann, main.id, d(through))
                .await
                .unwrap();
            assert!(!r.more, "a handful of rows is not more than the cap");
            r.rows.iter().map(|t| t.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        tickable("2024-03-31").await,
        vec![groceries.id, pay.id, out.from.id],
        "the dialog lists this account's rows through the statement date, oldest first: \
         not April's row, not the transfer's other leg"
    );

    let preview = h
        .finance
        .reconciliation_preview(&ann, main.id, statement, &[groceries.id, pay.id])
        .await
        .unwrap();
    assert_eq!(
        (preview.cleared_balance, preview.ticked, preview.difference),
        (100_000, 40_000, -20_000)
    );
    assert_err(
        h.finance
            .finish_reconciliation(&ann, main.id, statement, &[groceries.id, pay.id])
            .await,
        "conflict",
        Some("statementBalance"),
    );
    assert_eq!(
        h.finance.transaction(&ann, pay.id).await.unwrap().status,
        TxStatus::Uncleared,
        "a refused finish writes nothing"
    );
    for (ticked, field) in [(vec![late.id], "ids"), (vec![out.to.id], "ids")] {
        assert_err(
            h.finance
                .finish_reconciliation(&ann, main.id, statement, &ticked)
                .await,
            "validation",
            Some(field),
        );
    }
    let ticked = [groceries.id, pay.id, out.from.id];
    let preview = h
        .finance
        .reconciliation_preview(&ann, main.id, statement, &ticked)
        .await
        .unwrap();
    assert_eq!(preview.difference, 0);
    let account = h
        .finance
        .finish_reconciliation(&ann, main.id, statement, &ticked)
        .await
        .unwrap();
    assert_eq!(
        account.last_reconciled,
        Some(statement),
        "the account remembers the statement"
    );
    assert_eq!(
        tickable("2024-03-31").await,
        Vec::<Id>::new(),
        "reconciled rows are not offered again"
    );
    assert_eq!(
        tickable("2024-04-30").await,
        vec![late.id],
        "the next statement offers what is left"
    );
    for id in ticked {
        assert_eq!(
            h.finance.transaction(&ann, id).await.unwrap().status,
            TxStatus::Reconciled
        );
    }
    assert_eq!(
        h.finance.transaction(&ann, late.id).await.unwrap().status,
        TxStatus::Uncleared
    );
    assert_eq!(
        h.finance.transfer(&ann, out.id).await.unwrap().to.status,
        TxStatus::Uncleared,
        "only this account's leg"
    );
    assert_eq!(
        h.store
            .cleared_balance(ann.id(), main.id, None)
            .await
            .unwrap(),
        120_000
    );
    // Reconciled rows change only when confirmed.
    assert_err(
        h.finance
            .update_transaction(
                &ann,
                pay.id,
                new_tx(salary.id, "501", "2024-03-03", "row"),
                now(),
            )
            .await,
        "conflict",
        Some("status"),
    );
    assert_err(
        h.finance.delete_transaction(&ann, groceries.id).await,
        "conflict",
        Some("status"),
    );
    assert_err(
        h.finance.delete_transfer(&ann, out.id, false).await,
        "conflict",
        Some("status"),
    );
    assert_err(
        h.finance.set_cleared(&ann, main.id, &[pay.id], false).await,
        "validation",
        Some("ids"),
    );
    let edited = h
        .finance
        .update_transaction_confirmed(
            &ann,
            pay.id,
            new_tx(salary.id, "501", "2024-03-03", "row"),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        (edited.amount.minor(), edited.status),
        (50_100, TxStatus::Reconciled)
    );
    // Cleared status alone.
    assert_eq!(
        h.finance
            .set_cleared(&ann, main.id, &[late.id], true)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        h.finance
            .set_cleared(&ann, main.id, &[late.id], true)
            .await
            .unwrap(),
        0,
        "already cleared"
    );
    assert_eq!(
        h.store
            .cleared_balance(ann.id(), main.id, None)
            .await
            .unwrap(),
        120_100 - 5_000
    );
    assert_err(
        h.finance
            .set_cleared(&ann, other.id, &[late.id], true)
            .await,
        "validation",
        Some("ids"),
    );
    same(
        "reconciliation",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    let (stored, expected) = cleared_balances(h, &ann).await;
    assert_eq!(
        stored, expected,
        "the list's cleared balances after a reconciliation"
    );
    assert_eq!(
        stored[&main.id],
        120_100 - 5_000,
        "the list agrees with the reconcile dialog's cleared balance"
    );
}

/// A small deterministic generator (no dependency): the same sequence on both stores.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

pub async fn balances_equal_a_recomputation_after_random_writes(h: &Harness) {
    let ann = h.user("ann").await;
    let accounts = [
        h.main_account(&ann).await.id,
        h.add_account(&ann, "Visa", "credit_card", "-100").await.id,
        h.add_account(&ann, "Wallet", "cash", "20").await.id,
    ];
    let cats = [
        h.category(&ann, "Groceries").await,
        h.category(&ann, "Salary").await,
    ];
    let mut rng = Lcg(0x5eed);
    let mut rows: Vec<Id> = Vec::new();
    let mut transfers: Vec<Id> = Vec::new();
    for step in 0..60 {
        let account = accounts[rng.below(3) as usize];
        let cat = &cats[rng.below(2) as usize];
        let amount = format!("{}.{:02}", 1 + rng.below(300), rng.below(100));
        let date = format!("2024-0{}-{:02}", 1 + rng.below(3), 1 + rng.below(28));
        match rng.below(7) {
            0 | 1 => {
                let t = h
                    .finance
                    .add_transaction(&ann, new_tx_in(account, cat.id, &amount, &date, "r"), now())
                    .await
                    .unwrap();
                rows.push(t.id);
            }
            2 => {
                // A refund (expense categories only).
                let t = h
                    .finance
                    .add_transaction(
                        &ann,
                        new_tx_in(account, cats[0].id, &format!("-{amount}"), &date, "refund"),
                        now(),
                    )
                    .await
                    .unwrap();
                rows.push(t.id);
            }
            3 => {
                let to = accounts[(rng.below(2) as usize
                    + 1
                    + accounts.iter().position(|a| *a == account).unwrap())
                    % 3];
                let t = h
                    .finance
                    .add_transfer(
                        &ann,
                        new_transfer(account, to, &amount, &date, "move"),
                        now(),
                    )
                    .await
                    .unwrap();
                transfers.push(t.id);
            }
            4 if !rows.is_empty() => {
                let id = rows[rng.below(rows.len() as u64) as usize];
                h.finance
                    .update_transaction(
                        &ann,
                        id,
                        new_tx_in(account, cat.id, &amount, &date, "edited"),
                        now(),
                    )
                    .await
                    .unwrap();
            }
            5 if !transfers.is_empty() => {
                let id = transfers[rng.below(transfers.len() as u64) as usize];
                let to = accounts[(accounts.iter().position(|a| *a == account).unwrap() + 1) % 3];
                h.finance
                    .update_transfer(
                        &ann,
                        id,
                        new_transfer(account, to, &amount, &date, "moved"),
                        false,
                        now(),
                    )
                    .await
                    .unwrap();
            }
            6 if !rows.is_empty() => {
                let id = rows.swap_remove(rng.below(rows.len() as u64) as usize);
                h.finance.delete_transaction(&ann, id).await.unwrap();
            }
            _ if !transfers.is_empty() => {
                let id = transfers.swap_remove(rng.below(transfers.len() as u64) as usize);
                h.finance.delete_transfer(&ann, id, false).await.unwrap();
            }
            _ => {}
        }
        if step % 3 == 0 && !rows.is_empty() {
            // Clear (or unclear) a row: the list's cleared balances follow.
            let t = h
                .finance
                .transaction(&ann, rows[rng.below(rows.len() as u64) as usize])
                .await
                .unwrap();
            h.finance
                .set_cleared(&ann, t.account_id, &[t.id], step % 2 == 0)
                .await
                .unwrap();
        }
        same(
            &format!("random write {step}"),
            balances(h, &ann).await,
            recomputed(h, &ann).await,
        );
        let (stored, expected) = cleared_balances(h, &ann).await;
        assert_eq!(
            stored, expected,
            "after random write {step}: each cleared balance is the opening balance plus \
             the signed sum of its cleared and reconciled transactions"
        );
    }
    let total: i64 = balances(h, &ann).await.values().map(|b| b.0).sum();
    assert_eq!(
        total,
        recomputed(h, &ann).await.values().map(|b| b.0).sum::<i64>(),
        "net worth is the sum of the balances"
    );
    let _ = rules::balance_effect;
    let _ = Currency::EUR;
}
