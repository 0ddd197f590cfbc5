//! Bulk edits of the transaction list and the totals of a filter: after
//! every bulk action (re-categorise, move, mark cleared, delete, undo) every
//! sum the stores keep — balances and cleared balances, the report's
//! category, month and description sums, budget spending, summaries and
//! the filter totals — equals a recomputation from the rows themselves
//! ([`check_sums`]); refused actions (another user's ids, the wrong kind,
//! transfer legs, reconciled rows without confirmation) change nothing.

use std::collections::HashMap;

use finance_core::domain::{
    EntryKind, IdempotencyKey, Period, Reconciliation, Selection, Transaction, TransactionFilter,
    TransactionQuery, TransactionSort, TxStatus,
};
use finance_core::{AuthUser, ErrorCode, Id};
use finance_testkit::{Harness, all_time, assert_err, d, new_tx_in, now};

use super::accounts::{balances, cleared_balances, recomputed, same};

/// Every row of the user, page by page (500 a page).
async fn all_rows(h: &Harness, user: &AuthUser, filter: TransactionFilter) -> Vec<Transaction> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let query = TransactionQuery::new(
            filter.clone(),
            TransactionSort::DateDesc,
            Some(500),
            after.as_deref(),
        )
        .expect("a valid query");
        let page = h.finance.transactions(user, &query).await.expect("a page");
        out.extend(page.items);
        match page.next {
            Some(next) => after = Some(next.encode()),
            None => return out,
        }
    }
}

/// Income, expense and count of `rows` as the filter totals define them.
fn totals_of(rows: &[Transaction]) -> (i64, i64, u64) {
    let sum = |kind: EntryKind| -> i64 {
        rows.iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.amount.minor())
            .sum()
    };
    (
        sum(EntryKind::Income),
        sum(EntryKind::Expense),
        rows.len() as u64,
    )
}

/// Every sum the store keeps equals a recomputation from the user's rows.
async fn check_sums(h: &Harness, user: &AuthUser, what: &str) {
    let f = &h.finance;
    same(what, balances(h, user).await, recomputed(h, user).await);
    let (stored, expected) = cleared_balances(h, user).await;
    assert_eq!(stored, expected, "after {what}: cleared balances");
    let rows = all_rows(h, user, TransactionFilter::default()).await;
    let (income, expense, count) = totals_of(&rows);

    let totals = f
        .transaction_totals(user, &TransactionFilter::default())
        .await
        .unwrap();
    assert_eq!(
        (totals.income, totals.expense, totals.net, totals.count),
        (income, expense, income - expense, count),
        "after {what}: the filter totals of everything"
    );
    let summary = f.summary(user, all_time()).await.unwrap();
    assert_eq!(
        (summary.income, summary.expense),
        (income, expense),
        "after {what}: the summary (transfer legs in neither)"
    );
    let report = f.report(user, all_time(), None).await.unwrap();
    assert_eq!(
        (report.total_income, report.total_expense),
        (income, expense),
        "after {what}: the report's totals"
    );
    let mut by_category: HashMap<Id, (i64, u64)> = HashMap::new();
    for t in rows.iter().filter(|t| t.kind == EntryKind::Expense) {
        let slot = by_category.entry(t.category_id.unwrap()).or_default();
        slot.0 += t.amount.minor();
        slot.1 += 1;
    }
    let reported: HashMap<Id, (i64, u64)> = report
        .by_category
        .iter()
        .map(|c| (c.category_id, (c.amount, c.count)))
        .collect();
    assert_eq!(
        reported, by_category,
        "after {what}: spending per category (refunds lower it)"
    );
    for freq in &report.frequent {
        let key = freq.description.to_lowercase();
        let same_key: Vec<&Transaction> = rows
            .iter()
            .filter(|t| !t.kind.is_transfer() && t.description.to_lowercase() == key)
            .collect();
        assert_eq!(
            (freq.count, freq.total),
            (
                same_key.len() as u64,
                same_key.iter().map(|t| t.amount.minor()).sum::<i64>()
            ),
            "after {what}: the description sums of {key:?}"
        );
    }
    for status in f.budget_statuses(user, d("2024-03-15")).await.unwrap() {
        let spent: i64 = rows
            .iter()
            .filter(|t| {
                t.kind == EntryKind::Expense
                    && t.category_id == Some(status.budget.category_id)
                    && status.period.contains(t.date)
            })
            .map(|t| t.amount.minor())
            .sum();
        assert_eq!(status.spent, spent, "after {what}: a budget's spending");
    }
}

/// Reconcile the user's `account` through 2024-03-31 with `ticked` cleared
/// first, at whatever its cleared balance then is.
async fn reconcile(h: &Harness, user: &AuthUser, account: Id, ticked: &[Id]) {
    let probe = Reconciliation {
        date: d("2024-03-31"),
        balance: 0,
    };
    let preview = h
        .finance
        .reconciliation_preview(user, account, probe, ticked)
        .await
        .unwrap();
    let statement = Reconciliation {
        balance: preview.cleared_with_ticked,
        ..probe
    };
    h.finance
        .finish_reconciliation(user, account, statement, ticked)
        .await
        .unwrap();
}

fn ids(rows: &[&Transaction]) -> Selection {
    Selection::ids(rows.iter().map(|t| t.id).collect()).unwrap()
}

fn key(n: u32) -> IdempotencyKey {
    IdempotencyKey::parse("idempotencyKey", &format!("undo-key-{n:08}-abcdef")).unwrap()
}

pub async fn filter_totals_count_what_the_filter_shows(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "0").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let pay = h.category(&ann, "Salary").await;
    let f = &h.finance;
    let add = |acc: Id, cat: Id, amount: &'static str, date: &'static str, desc: &'static str| {
        f.add_transaction(&ann, new_tx_in(acc, cat, amount, date, desc), now())
    };
    add(main.id, pay.id, "2500", "2024-03-01", "Pay")
        .await
        .unwrap();
    add(main.id, food.id, "40.10", "2024-03-02", "Market")
        .await
        .unwrap();
    add(card.id, food.id, "-5.05", "2024-03-03", "Market refund")
        .await
        .unwrap();
    add(card.id, rent.id, "900", "2024-03-04", "Rent")
        .await
        .unwrap();
    add(main.id, rent.id, "900", "2024-04-04", "Rent")
        .await
        .unwrap();
    h.transfer(&ann, main.id, card.id, "100", "2024-03-10", "Pay card")
        .await;
    let bob_food = h.category(&bob, "Groceries").await;
    h.tx(&bob, bob_food.id, "77", "2024-03-02", "Market").await;

    let cases: Vec<(&str, TransactionFilter)> = vec![
        ("everything", TransactionFilter::default()),
        (
            "two categories",
            TransactionFilter::new(None, None, vec![food.id, rent.id], None, None, None, None)
                .unwrap(),
        ),
        (
            "March",
            TransactionFilter::new(
                Some(d("2024-03-01")),
                Some(d("2024-03-31")),
                vec![],
                None,
                None,
                None,
                None,
            )
            .unwrap(),
        ),
        (
            "the card",
            TransactionFilter::default().with_account(Some(card.id)),
        ),
        (
            "text",
            TransactionFilter::new(None, None, vec![], None, Some("market"), None, None).unwrap(),
        ),
    ];
    for (what, filter) in cases {
        let rows = all_rows(h, &ann, filter.clone()).await;
        let (income, expense, count) = totals_of(&rows);
        let totals = f.transaction_totals(&ann, &filter).await.unwrap();
        assert_eq!(
            (totals.income, totals.expense, totals.net, totals.count),
            (income, expense, income - expense, count),
            "{what}: the totals of exactly the rows the list shows"
        );
    }
    let all = f
        .transaction_totals(&ann, &TransactionFilter::default())
        .await
        .unwrap();
    assert_eq!(
        (all.income, all.expense, all.count),
        (250_000, 4010 - 505 + 90_000 + 90_000, 7),
        "a refund lowers expense; both transfer legs count in `count` only; bob's row is not ann's"
    );
    let foreign = TransactionFilter::default().with_account(Some(h.main_account(&bob).await.id));
    assert_eq!(
        f.transaction_totals(&ann, &foreign)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound,
        "another user's account is not found, as in the list"
    );
}

pub async fn bulk_recategorise_keeps_every_sum_exact(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "0").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let pay = h.category(&ann, "Salary").await;
    let dining = h.category(&ann, "Eating out").await;
    h.budget(&ann, dining.id, "200", Period::Monthly).await;
    h.budget(&ann, food.id, "300", Period::Monthly).await;
    let f = &h.finance;
    let mut market = Vec::new();
    for i in 0..60 {
        let acc = if i % 2 == 0 { main.id } else { card.id };
        let amount = if i % 7 == 3 { "-2.50" } else { "12.34" };
        let day = format!("2024-03-{:02}", 1 + i % 28);
        market.push(
            f.add_transaction(&ann, new_tx_in(acc, food.id, amount, &day, "Market"), now())
                .await
                .unwrap(),
        );
    }
    let rent_row = h.tx(&ann, rent.id, "900", "2024-03-04", "Rent").await;
    let salary = h.tx(&ann, pay.id, "2500", "2024-03-01", "Pay").await;
    let transfer = h
        .transfer(&ann, main.id, card.id, "100", "2024-03-10", "Pay card")
        .await;
    let bob_food = h.category(&bob, "Groceries").await;
    let bob_row = h.tx(&bob, bob_food.id, "77", "2024-03-02", "Market").await;
    check_sums(h, &ann, "the setup").await;

    // Explicit ids: two market rows and the rent go to Dining.
    let n = f
        .bulk_set_category(
            &ann,
            &ids(&[&market[0], &market[3], &rent_row]),
            dining.id,
            false,
            now(),
        )
        .await
        .unwrap();
    assert_eq!(n, 3);
    let moved = f.transaction(&ann, market[3].id).await.unwrap();
    assert_eq!(
        (moved.category_id, moved.kind, moved.amount),
        (Some(dining.id), EntryKind::Expense, market[3].amount),
        "only the category changes (a refund stays a refund)"
    );
    check_sums(h, &ann, "a re-categorise by ids").await;

    // Refusals change nothing.
    let before = all_rows(h, &ann, TransactionFilter::default()).await;
    let refusals = [
        (
            ids(&[&market[1], &salary]),
            dining.id,
            ErrorCode::Validation,
            Some("categoryId"),
        ),
        (
            Selection::ids(vec![market[1].id, transfer.from.id]).unwrap(),
            dining.id,
            ErrorCode::Validation,
            Some("selection"),
        ),
        (
            ids(&[&market[1], &bob_row]),
            dining.id,
            ErrorCode::NotFound,
            None,
        ),
        (ids(&[&market[1]]), bob_food.id, ErrorCode::NotFound, None),
    ];
    for (selection, target, code, field) in refusals {
        let e = f
            .bulk_set_category(&ann, &selection, target, true, now())
            .await
            .unwrap_err();
        assert_eq!((e.code(), e.field()), (code, field), "{selection:?}: {e:?}");
    }
    assert_eq!(
        all_rows(h, &ann, TransactionFilter::default()).await,
        before,
        "a refused bulk action writes nothing"
    );
    assert_eq!(
        h.finance.transaction(&bob, bob_row.id).await.unwrap(),
        bob_row,
        "another user's row is untouched"
    );

    // A reconciled row needs the user's confirmation.
    reconcile(h, &ann, card.id, &[market[1].id]).await;
    assert_err(
        f.bulk_set_category(&ann, &ids(&[&market[1]]), dining.id, false, now())
            .await,
        "conflict",
        Some("status"),
    );
    f.bulk_set_category(&ann, &ids(&[&market[1]]), dining.id, true, now())
        .await
        .unwrap();
    assert_eq!(
        f.transaction(&ann, market[1].id).await.unwrap().status,
        TxStatus::Reconciled,
        "a confirmed change keeps the row reconciled"
    );
    check_sums(h, &ann, "a confirmed re-categorise of a reconciled row").await;

    // Everything matching a filter, across pages (more rows than a page).
    let filter =
        TransactionFilter::new(None, None, vec![food.id], None, Some("market"), None, None)
            .unwrap();
    let matching = all_rows(h, &ann, filter.clone()).await.len() as u64;
    assert!(matching > 50, "more than one page of the list");
    let n = f
        .bulk_set_category(
            &ann,
            &Selection::Filter(filter.clone()),
            dining.id,
            false,
            now(),
        )
        .await
        .unwrap();
    assert_eq!(n, matching, "every matching row, not just the first page");
    assert_eq!(all_rows(h, &ann, filter).await.len(), 0);
    check_sums(h, &ann, "a re-categorise by filter").await;
    assert_eq!(
        h.finance.transaction(&bob, bob_row.id).await.unwrap(),
        bob_row,
        "a filter selection never reaches another user's rows"
    );
}

pub async fn bulk_move_clear_delete_and_undo_keep_every_sum_exact(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "-50").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    h.budget(&ann, food.id, "300", Period::Monthly).await;
    let f = &h.finance;
    let mut rows = Vec::new();
    for (i, (cat, amount)) in [
        (food.id, "10"),
        (food.id, "-3.30"),
        (pay.id, "1200"),
        (food.id, "45.67"),
        (food.id, "8"),
    ]
    .into_iter()
    .enumerate()
    {
        let day = format!("2024-03-{:02}", 2 + i);
        rows.push(
            f.add_transaction(&ann, new_tx_in(main.id, cat, amount, &day, "Shop"), now())
                .await
                .unwrap(),
        );
    }
    let transfer = h
        .transfer(&ann, main.id, card.id, "100", "2024-03-10", "Pay card")
        .await;
    let bob_row = h
        .tx(
            &bob,
            h.category(&bob, "Groceries").await.id,
            "7",
            "2024-03-02",
            "x",
        )
        .await;
    check_sums(h, &ann, "the setup").await;

    // Move to the card.
    let n = f
        .bulk_move_to_account(
            &ann,
            &ids(&[&rows[0], &rows[1], &rows[2]]),
            card.id,
            false,
            now(),
        )
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        f.transaction(&ann, rows[2].id).await.unwrap().account_id,
        card.id
    );
    check_sums(h, &ann, "a move").await;
    assert_err(
        f.bulk_move_to_account(
            &ann,
            &Selection::ids(vec![rows[3].id, transfer.to.id]).unwrap(),
            main.id,
            true,
            now(),
        )
        .await,
        "validation",
        Some("selection"),
    );
    assert_eq!(
        f.transaction(&ann, transfer.to.id)
            .await
            .unwrap()
            .account_id,
        card.id,
        "a transfer leg never moves in bulk (its legs could end in one account)"
    );
    assert_eq!(
        f.bulk_move_to_account(
            &ann,
            &ids(&[&rows[3]]),
            h.main_account(&bob).await.id,
            true,
            now()
        )
        .await
        .unwrap_err()
        .code(),
        ErrorCode::NotFound,
        "another user's account is not a target"
    );

    // Mark cleared: by filter (the card), reconciled rows stay reconciled.
    let card_rows = TransactionFilter::default().with_account(Some(card.id));
    let n = f
        .bulk_mark_cleared(&ann, &Selection::Filter(card_rows.clone()), now())
        .await
        .unwrap();
    assert_eq!(n, 4, "three moved rows and the transfer's incoming leg");
    let n = f
        .bulk_mark_cleared(&ann, &Selection::Filter(card_rows), now())
        .await
        .unwrap();
    assert_eq!(n, 0, "nothing left to clear");
    check_sums(h, &ann, "mark cleared").await;

    // Delete a row and one leg of the transfer: both legs go; undo restores all.
    let before = all_rows(h, &ann, TransactionFilter::default()).await;
    let selection = Selection::ids(vec![rows[4].id, transfer.from.id]).unwrap();
    let deleted = f.bulk_delete(&ann, &selection, false).await.unwrap();
    let mut gone: Vec<Id> = deleted.iter().map(|t| t.id).collect();
    gone.sort();
    let mut expected = vec![rows[4].id, transfer.from.id, transfer.to.id];
    expected.sort();
    assert_eq!(gone, expected, "the transfer goes whole");
    assert_eq!(
        f.transaction(&ann, transfer.to.id)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
    check_sums(h, &ann, "a delete").await;
    let restored = f
        .restore_deleted(&ann, &deleted, &key(1), now())
        .await
        .unwrap();
    assert_eq!(restored, 3);
    assert_eq!(
        all_rows(h, &ann, TransactionFilter::default()).await,
        before,
        "undo brings back exactly the same rows (ids, statuses, transfer)"
    );
    check_sums(h, &ann, "an undo").await;
    assert_eq!(
        f.restore_deleted(&ann, &deleted, &key(1), now())
            .await
            .unwrap(),
        3,
        "a retried undo with its key is answered, not applied again"
    );
    assert_err(
        f.restore_deleted(&ann, &deleted, &key(2), now()).await,
        "conflict",
        Some("ids"),
    );
    assert_eq!(
        all_rows(h, &ann, TransactionFilter::default()).await,
        before
    );
    assert_eq!(
        f.restore_deleted(&bob, &deleted, &key(3), now())
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound,
        "rows are restored only to their user"
    );

    // Reconciled rows are deleted only when confirmed; another user's id fails the whole delete.
    reconcile(h, &ann, card.id, &[]).await;
    let before = all_rows(h, &ann, TransactionFilter::default()).await;
    assert_err(
        f.bulk_delete(&ann, &ids(&[&rows[0]]), false).await,
        "conflict",
        Some("status"),
    );
    assert_eq!(
        f.bulk_delete(&ann, &ids(&[&rows[3], &bob_row]), true)
            .await
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
    assert_eq!(
        all_rows(h, &ann, TransactionFilter::default()).await,
        before
    );
    let all = Selection::Filter(TransactionFilter::default());
    let deleted = f.bulk_delete(&ann, &all, true).await.unwrap();
    assert_eq!(
        deleted.len(),
        before.len(),
        "everything matching, confirmed"
    );
    check_sums(h, &ann, "deleting everything").await;
    f.restore_deleted(&ann, &deleted, &key(4), now())
        .await
        .unwrap();
    check_sums(h, &ann, "undoing it").await;
    assert_eq!(
        f.transaction(&bob, bob_row.id).await.unwrap(),
        bob_row,
        "another user's row is untouched"
    );
}
