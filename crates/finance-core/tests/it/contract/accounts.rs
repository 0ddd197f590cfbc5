//! Accounts: registration's "Main account", add / edit / archive, name
//! uniqueness, the default account, delete refusals and moves, and balances
//! (opening balance + the signed sum of the account's transactions) after
//! every kind of write, recomputed from the transactions themselves.

use std::collections::HashMap;

use finance_core::domain::{
    AccountDraft, AccountType, MAIN_ACCOUNT_NAME, TransactionFilter, TransactionQuery,
    TransactionSort, TxStatus,
};
use finance_core::{AuthUser, Currency, Error, Id, rules};
use finance_testkit::{Harness, assert_err, import_settings, new_tx, new_tx_in, no_progress, now};

/// Every account's balance and count as the store sums them.
pub(super) async fn balances(h: &Harness, user: &AuthUser) -> HashMap<Id, (i64, u64)> {
    h.finance
        .account_balances(user)
        .await
        .expect("account balances")
        .into_iter()
        .map(|b| (b.account.id, (b.balance, b.transactions)))
        .collect()
}

/// The same, recomputed here from every transaction and the opening balances.
pub(super) async fn recomputed(h: &Harness, user: &AuthUser) -> HashMap<Id, (i64, u64)> {
    let mut out: HashMap<Id, (i64, u64)> = h
        .finance
        .accounts(user)
        .await
        .expect("accounts")
        .into_iter()
        .map(|a| (a.id, (a.opening_balance, 0)))
        .collect();
    let mut after = None;
    loop {
        let query = TransactionQuery::new(
            TransactionFilter::default(),
            TransactionSort::DateDesc,
            Some(500),
            after.as_deref(),
        )
        .expect("a valid query");
        let page = h.finance.transactions(user, &query).await.expect("a page");
        for t in &page.items {
            let slot = out
                .get_mut(&t.account_id)
                .expect("every transaction is in one of the user's accounts");
            slot.0 += rules::balance_effect(t.kind, t.amount.minor());
            slot.1 += 1;
        }
        match page.next {
            Some(next) => after = Some(next.encode()),
            None => return out,
        }
    }
}

/// Every account's cleared balance as the store sums it, and as recomputed
/// here (opening balance + the effects of its cleared and reconciled rows).
pub(super) async fn cleared_balances(
    h: &Harness,
    user: &AuthUser,
) -> (HashMap<Id, i64>, HashMap<Id, i64>) {
    let listed = h
        .finance
        .account_balances(user)
        .await
        .expect("account balances");
    let stored = listed
        .iter()
        .map(|b| (b.account.id, b.cleared_balance))
        .collect();
    let mut expected: HashMap<Id, i64> = listed
        .iter()
        .map(|b| (b.account.id, b.account.opening_balance))
        .collect();
    let query = TransactionQuery::new(
        TransactionFilter::default(),
        TransactionSort::DateDesc,
        Some(500),
        None,
    )
    .expect("a valid query");
    let page = h.finance.transactions(user, &query).await.expect("a page");
    assert!(page.next.is_none(), "a small test history fits one page");
    for t in page
        .items
        .iter()
        .filter(|t| t.status != TxStatus::Uncleared)
    {
        *expected
            .get_mut(&t.account_id)
            .expect("one of the user's accounts") +=
            rules::balance_effect(t.kind, t.amount.minor());
    }
    (stored, expected)
}

#[track_caller]
pub(super) fn same(what: &str, stored: HashMap<Id, (i64, u64)>, expected: HashMap<Id, (i64, u64)>) {
    assert_eq!(
        stored, expected,
        "after {what}: each balance is the opening balance plus the signed sum of its transactions"
    );
}

fn draft(name: &str, kind: &str, opening: &str) -> AccountDraft {
    AccountDraft {
        name: name.into(),
        kind: kind.into(),
        opening_balance: opening.into(),
        opening_date: "2024-01-01".into(),
        note: None,
    }
}

pub async fn registration_gives_a_main_account_and_accounts_are_managed(h: &Harness) {
    let ann = h.user("ann").await;
    let listed = h.finance.account_balances(&ann).await.unwrap();
    assert_eq!(listed.len(), 1, "registration creates exactly one account");
    let main = &listed[0];
    assert_eq!(main.account.name, MAIN_ACCOUNT_NAME);
    assert_eq!(main.account.kind, AccountType::Checking);
    assert_eq!(main.account.currency, Currency::EUR, "the user's currency");
    assert_eq!((main.balance, main.transactions), (0, 0));

    let card = h.add_account(&ann, "Visa", "credit_card", "-120.50").await;
    assert!(card.kind.is_liability());
    assert_eq!(card.opening_balance, -12_050);
    assert!(
        card.position > main.account.position,
        "a new account goes after the others"
    );
    let names: Vec<_> = h
        .finance
        .accounts(&ann)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, [MAIN_ACCOUNT_NAME, "Visa"], "listed by position");

    // Names are unique per user ignoring case, on add and on rename.
    let clash = draft("  VISA ", "cash", "0")
        .validate(Currency::EUR)
        .unwrap();
    assert_err(
        h.finance.add_account(&ann, clash.clone(), now()).await,
        "conflict",
        Some("name"),
    );
    assert_err(
        h.finance
            .update_account(&ann, main.account.id, clash.clone())
            .await,
        "conflict",
        Some("name"),
    );
    let bob = h.user("bob").await;
    h.finance
        .add_account(&bob, clash, now())
        .await
        .expect("another user may use the same name");

    let edited = h
        .finance
        .update_account(
            &ann,
            card.id,
            draft("Visa gold", "credit_card", "-10")
                .validate(Currency::EUR)
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.opening_balance),
        ("Visa gold", -1000)
    );
    assert_eq!(h.finance.account(&ann, card.id).await.unwrap(), edited);
    let archived = h
        .finance
        .set_account_archived(&ann, card.id, true)
        .await
        .unwrap();
    assert!(archived.archived);
    let balances = h.finance.account_balances(&ann).await.unwrap();
    assert_eq!(
        balances
            .iter()
            .find(|b| b.account.id == card.id)
            .unwrap()
            .balance,
        -1000,
        "an archived account still has (and reports) its balance"
    );
    assert!(
        !h.finance
            .set_account_archived(&ann, card.id, false)
            .await
            .unwrap()
            .archived
    );
}

pub async fn a_transaction_without_an_account_goes_to_the_default_one(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let main = h.main_account(&ann).await;
    let cash = h.add_account(&ann, "Cash", "cash", "0").await;
    let t = h.tx(&ann, food.id, "3.00", "2024-03-01", "Bread").await;
    assert_eq!(t.account_id, main.id, "the first open account by position");
    h.finance
        .set_account_archived(&ann, main.id, true)
        .await
        .unwrap();
    let t = h.tx(&ann, food.id, "3.00", "2024-03-01", "Milk").await;
    assert_eq!(t.account_id, cash.id, "archived accounts are skipped");
    let chosen = h
        .finance
        .add_transaction(
            &ann,
            new_tx_in(
                main.id,
                food.id,
                "1.00",
                "2024-03-02",
                "Into the archived one",
            ),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(
        chosen.account_id, main.id,
        "an archived account may still be chosen explicitly"
    );
    // An edit without an account keeps the transaction where it is.
    let edited = h
        .finance
        .update_transaction(
            &ann,
            chosen.id,
            new_tx(food.id, "2.00", "2024-03-02", "x"),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(edited.account_id, main.id);
    h.finance
        .set_account_archived(&ann, cash.id, true)
        .await
        .unwrap();
    assert_err(
        h.finance
            .add_transaction(&ann, new_tx(food.id, "1", "2024-03-01", "x"), now())
            .await,
        "validation",
        Some("accountId"),
    );
}

pub async fn balances_follow_every_kind_of_write(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let pay = h.category(&ann, "Salary").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "-50.00").await;
    let savings = h.add_account(&ann, "Savings", "savings", "1000").await;
    same(
        "opening",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    assert_eq!(balances(h, &ann).await[&card.id], (-5000, 0));

    // Adds, into each account.
    let f = &h.finance;
    let salary = f
        .add_transaction(
            &ann,
            new_tx_in(main.id, pay.id, "2500", "2024-03-01", "Pay"),
            now(),
        )
        .await
        .unwrap();
    let bread = h.tx(&ann, food.id, "3.20", "2024-03-02", "Bread").await;
    let dinner = f
        .add_transaction(
            &ann,
            new_tx_in(card.id, food.id, "45.10", "2024-03-02", "Dinner"),
            now(),
        )
        .await
        .unwrap();
    same("adds", balances(h, &ann).await, recomputed(h, &ann).await);
    assert_eq!(
        balances(h, &ann).await[&main.id],
        (250_000 - 320, 2),
        "income adds, expense subtracts"
    );
    assert_eq!(balances(h, &ann).await[&card.id], (-5000 - 4510, 1));

    // An edit that changes the amount, then one that changes the account too.
    f.update_transaction(
        &ann,
        bread.id,
        new_tx(food.id, "4.00", "2024-03-02", "Bread"),
        now(),
    )
    .await
    .unwrap();
    same(
        "an amount edit",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    f.update_transaction(
        &ann,
        dinner.id,
        new_tx_in(savings.id, food.id, "40.00", "2024-03-03", "Dinner"),
        now(),
    )
    .await
    .unwrap();
    same(
        "an account edit",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    assert_eq!(
        balances(h, &ann).await[&card.id],
        (-5000, 0),
        "the card is back to its opening"
    );
    assert_eq!(balances(h, &ann).await[&savings.id], (100_000 - 4000, 1));

    // A delete.
    f.delete_transaction(&ann, salary.id).await.unwrap();
    same(
        "a delete",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );

    // An import (into the default account, the main one).
    let csv = "date,amount,description,category\n\
               2024-03-04,-10.00,Lunch,Groceries\n\
               2024-03-05,200.00,Refund,Salary\n\
               2024-03-05,-700.00,March,Rent\n";
    let summary = f
        .import_commit(
            &ann,
            None,
            csv.as_bytes(),
            &import_settings(),
            &[],
            false,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(summary.imported, 3);
    same(
        "an import",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    assert_eq!(
        balances(h, &ann).await[&main.id],
        (-400 - 1000 + 20_000 - 70_000, 4)
    );

    // A category move leaves every balance as it was.
    let before = balances(h, &ann).await;
    f.delete_category(&ann, rent.id, Some(food.id))
        .await
        .unwrap();
    assert_eq!(
        balances(h, &ann).await,
        before,
        "a category move changes no balance"
    );
    same(
        "a category move",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );

    // An account delete that moves its transactions.
    let moved_in = before[&savings.id].0 - 100_000;
    f.remove_account(&ann, savings.id, Some(card.id))
        .await
        .unwrap();
    same(
        "an account delete with a move",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    assert_eq!(
        balances(h, &ann).await[&card.id],
        (-5000 + moved_in, 1),
        "the moved transactions count in the target; the deleted opening balance is gone"
    );
    assert_err(f.account(&ann, savings.id).await, "not_found", None);
}

pub async fn account_deletes_refuse_what_would_lose_data(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let main = h.main_account(&ann).await;
    assert_err(
        h.finance.remove_account(&ann, main.id, None).await,
        "validation",
        Some("account"),
    );
    let cash = h.add_account(&ann, "Cash", "cash", "0").await;
    h.tx(&ann, food.id, "3.00", "2024-03-01", "Bread").await;
    let e = h
        .finance
        .remove_account(&ann, main.id, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Conflict { field, .. } if field == "account"),
        "a used account needs a move target: {e:?}"
    );
    assert!(
        e.to_string().contains("1 transaction"),
        "the count is named: {e}"
    );
    assert_err(
        h.finance.remove_account(&ann, main.id, Some(main.id)).await,
        "validation",
        Some("moveTo"),
    );
    assert_err(
        h.finance
            .remove_account(&ann, main.id, Some(Id::generate()))
            .await,
        "validation",
        Some("moveTo"),
    );
    assert_eq!(
        balances(h, &ann).await[&main.id],
        (-300, 1),
        "the refusals changed nothing"
    );
    assert_eq!(
        (
            h.finance
                .account_usage(&ann, main.id)
                .await
                .unwrap()
                .transactions,
            h.finance
                .account_usage(&ann, cash.id)
                .await
                .unwrap()
                .transactions
        ),
        (1, 0),
        "the usage the UI asks before a delete counts each account's transactions"
    );
    assert_err(
        h.finance.account_usage(&ann, Id::generate()).await,
        "not_found",
        None,
    );
    h.finance
        .remove_account(&ann, cash.id, None)
        .await
        .expect("an unused account goes");
    assert_err(
        h.finance.remove_account(&ann, main.id, None).await,
        "validation",
        Some("account"),
    );
}

pub async fn a_delete_with_a_move_removes_the_transfers_between_the_two(h: &Harness) {
    let ann = h.user("ann").await;
    let f = &h.finance;
    let food = h.category(&ann, "Groceries").await;
    let main = h.main_account(&ann).await;
    let savings = h.add_account(&ann, "Savings", "savings", "100").await;
    let card = h.add_account(&ann, "Card", "credit_card", "-50").await;
    f.add_transaction(
        &ann,
        new_tx_in(savings.id, food.id, "12.50", "2024-03-01", "Bread"),
        now(),
    )
    .await
    .unwrap();
    let out = h
        .transfer(&ann, savings.id, main.id, "200", "2024-03-02", "To main")
        .await;
    let back = h
        .transfer(&ann, main.id, savings.id, "30", "2024-03-03", "Back")
        .await;
    let kept = h
        .transfer(&ann, savings.id, card.id, "40", "2024-03-04", "Card bill")
        .await;
    h.transfer(&ann, main.id, card.id, "5", "2024-03-05", "Main to card")
        .await;

    let usage = f.account_usage(&ann, savings.id).await.unwrap();
    assert_eq!(
        (
            usage.transactions,
            usage.transfers.len(),
            usage.transfers_with(main.id),
            usage.transfers_with(card.id)
        ),
        (4, 2, 2, 1),
        "the usage names, per other account, the transfers a move there removes: {usage:?}"
    );
    assert_eq!(
        f.account_usage(&ann, account_without_transfers(h, &ann).await)
            .await
            .unwrap()
            .transfers,
        vec![],
        "an account without transfers has none to remove"
    );

    // Another user's account is NotFound, as usage and as a delete.
    let bob = h.user("bob").await;
    let bobs = h.main_account(&bob).await;
    h.add_account(&bob, "Spare", "cash", "0").await;
    assert_err(f.account_usage(&bob, savings.id).await, "not_found", None);
    assert_err(
        f.remove_account(&bob, savings.id, Some(bobs.id)).await,
        "not_found",
        None,
    );
    assert_eq!(
        f.account_usage(&ann, savings.id).await.unwrap(),
        usage,
        "the refused deletes changed nothing"
    );

    f.remove_account(&ann, savings.id, Some(main.id))
        .await
        .expect("a delete moving into an account it has transfers with");
    same(
        "an account delete with a move",
        balances(h, &ann).await,
        recomputed(h, &ann).await,
    );
    assert_eq!(
        balances(h, &ann).await[&main.id],
        (-1250 - 4000 - 500, 3),
        "Main holds the bread and the outgoing legs of the two card transfers; \
         the transfers between Savings and Main are gone, both legs"
    );
    for gone in [out.id, back.id] {
        assert_err(f.transfer(&ann, gone).await, "not_found", None);
    }
    let kept = f.transfer(&ann, kept.id).await.unwrap();
    assert_eq!(
        (kept.from.account_id, kept.to.account_id),
        (main.id, card.id),
        "a transfer with a third account moves with the rest"
    );
    let mut legs: HashMap<Id, Vec<Id>> = HashMap::new();
    let query = TransactionQuery::new(
        TransactionFilter::default(),
        TransactionSort::DateDesc,
        Some(500),
        None,
    )
    .unwrap();
    for t in f.transactions(&ann, &query).await.unwrap().items {
        if let Some(transfer) = t.transfer_id {
            legs.entry(transfer).or_default().push(t.account_id);
        }
    }
    assert_eq!(legs.len(), 2, "two transfers are left: {legs:?}");
    for (transfer, accounts) in &legs {
        assert!(
            accounts.len() == 2 && accounts[0] != accounts[1],
            "no transfer has both legs in one account: {transfer:?} {accounts:?}"
        );
    }
    assert_eq!(
        f.account_usage(&ann, main.id).await.unwrap().transfers,
        vec![(card.id, 2)],
        "Main's transfers are now only with the card"
    );
}

/// A new account of `user` holding one transaction and no transfer.
async fn account_without_transfers(h: &Harness, user: &AuthUser) -> Id {
    let cash = h.add_account(user, "Cash", "cash", "0").await;
    let cat = h.category(user, "Groceries").await;
    h.finance
        .add_transaction(
            user,
            new_tx_in(cash.id, cat.id, "1", "2024-01-01", "x"),
            now(),
        )
        .await
        .unwrap();
    cash.id
}

/// "Delete them": the account goes with its rows and both legs of each of
/// its transfers; every other balance and total stays what its rows say.
pub async fn a_delete_with_its_transactions_removes_them_and_its_transfers(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Visa", "credit_card", "-100").await;
    let food = h.category(&ann, "Groceries").await;
    h.tx(&ann, food.id, "10", "2024-03-01", "In main").await;
    h.finance
        .add_transaction(
            &ann,
            new_tx_in(card.id, food.id, "40", "2024-03-02", "Shoes"),
            now(),
        )
        .await
        .unwrap();
    let t = h
        .transfer(&ann, main.id, card.id, "25", "2024-03-03", "Card bill")
        .await;
    let bob = h.user("bob").await;
    assert_err(
        h.finance
            .remove_account_and_transactions(&bob, card.id)
            .await,
        "not_found",
        None,
    );
    let deleted = h
        .finance
        .remove_account_and_transactions(&ann, card.id)
        .await
        .unwrap();
    assert_eq!(deleted, 3, "the shoes and both legs of the card bill");
    let b = balances(h, &ann).await;
    assert_eq!(b.len(), 1, "only Main account is left");
    assert_eq!(
        b[&main.id],
        (-1_000, 1),
        "Main keeps its own row; the transfer's leg went with the card"
    );
    assert_eq!(b, recomputed(h, &ann).await, "balances equal their rows");
    let s = h
        .finance
        .summary(
            &ann,
            finance_core::domain::DateRange::month_of(finance_testkit::d("2024-03-01")),
        )
        .await
        .unwrap();
    assert_eq!(
        (s.expense, s.count),
        (1_000, 1),
        "the card's purchase is gone from the totals"
    );
    assert_err(h.finance.transfer(&ann, t.id).await, "not_found", None);
    assert_err(
        h.finance
            .remove_account_and_transactions(&ann, main.id)
            .await,
        "validation",
        Some("account"),
    );
    assert_eq!(balances(h, &ann).await.len(), 1, "the last account stays");
}
