//! Balances over time: the transaction list filtered to one account, the
//! balance on a date, the register's running balances (page 1, deep pages,
//! a day split over two pages, both directions), net worth now and month by
//! month — each compared with a recomputation from the listed rows — and a
//! property-style run of random writes across three accounts.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use finance_core::domain::{
    Account, AccountDraft, Category, CategoryKind, NetWorth, Transaction, TransactionFilter,
    TransactionQuery, TransactionSort,
};
use finance_core::{AuthUser, Id, rules};
use finance_testkit::{Harness, assert_err, assert_not_found, d, new_tx_in, now};

/// Every row of `account`, in register order (date, then id), through the
/// list itself (pages of 500).
async fn register_rows(h: &Harness, user: &AuthUser, account: Id) -> Vec<Transaction> {
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let query = TransactionQuery::new(
            TransactionFilter::default().with_account(Some(account)),
            TransactionSort::DateAsc,
            Some(500),
            after.as_deref(),
        )
        .expect("a valid query");
        let page = h.finance.transactions(user, &query).await.expect("a page");
        rows.extend(page.items);
        match page.next {
            Some(next) => after = Some(next.encode()),
            None => return rows,
        }
    }
}

/// The balance after each of `rows` (register order), recomputed here: the
/// opening balance from its date on, plus every row so far.
fn expected_running(account: &Account, rows: &[Transaction]) -> Vec<i64> {
    let mut sum = 0i64;
    rows.iter()
        .map(|t| {
            sum += rules::balance_effect(t.kind, t.amount.minor());
            sum + opening_on(account, t.date)
        })
        .collect()
}

/// The opening balance's part at the end of `date`, written out here rather
/// than taken from the rule under test.
fn opening_on(account: &Account, date: NaiveDate) -> i64 {
    if date >= account.opening_date {
        account.opening_balance
    } else {
        0
    }
}

/// An account's balance at the end of `date`, recomputed from its rows.
fn expected_on(account: &Account, rows: &[Transaction], date: NaiveDate) -> i64 {
    opening_on(account, date)
        + rows
            .iter()
            .filter(|t| t.date <= date)
            .map(|t| rules::balance_effect(t.kind, t.amount.minor()))
            .sum::<i64>()
}

/// Read the whole register of `account` page by page (`limit` rows, `sort`,
/// `filter` on top of the account) and check every page's running balances
/// against the recomputation; returns how many pages were read.
async fn check_register(
    h: &Harness,
    user: &AuthUser,
    account: &Account,
    all: &[Transaction],
    sort: TransactionSort,
    limit: u32,
    range: (Option<NaiveDate>, Option<NaiveDate>),
) -> usize {
    let expected: HashMap<Id, i64> = all
        .iter()
        .zip(expected_running(account, all))
        .map(|(t, b)| (t.id, b))
        .collect();
    let mut filter = TransactionFilter::default().with_account(Some(account.id));
    (filter.from, filter.to) = range;
    let in_range = all
        .iter()
        .filter(|t| range.0.is_none_or(|f| t.date >= f) && range.1.is_none_or(|to| t.date <= to))
        .count();
    let (mut after, mut pages, mut seen) = (None, 0, 0);
    loop {
        let query = TransactionQuery::new(filter.clone(), sort, Some(limit), after.as_deref())
            .expect("a valid query");
        let page = h
            .finance
            .account_register(user, &query)
            .await
            .expect("a register page");
        pages += 1;
        let balances = page
            .balances
            .as_ref()
            .expect("one account by date: running balances");
        assert_eq!(balances.len(), page.items.len(), "one balance per row");
        for (t, b) in page.items.iter().zip(balances) {
            assert_eq!(
                Some(b),
                expected.get(&t.id),
                "{sort:?}, {limit} a page, page {pages}: the balance after {} on {} is the \
                 opening balance (from its date) plus every row up to it in (date, id) order",
                t.description,
                t.date
            );
        }
        seen += page.items.len();
        match page.next {
            Some(next) => after = Some(next.encode()),
            None => break,
        }
    }
    assert_eq!(
        seen, in_range,
        "the register lists each of the account's rows once"
    );
    pages
}

fn draft(name: &str, kind: &str, opening: &str, date: &str) -> AccountDraft {
    AccountDraft {
        name: name.into(),
        kind: kind.into(),
        opening_balance: opening.into(),
        opening_date: date.into(),
        note: None,
    }
}

async fn account(h: &Harness, user: &AuthUser, d: AccountDraft) -> Account {
    let new = d.validate(user.currency()).expect("a valid account");
    h.finance
        .add_account(user, new, now())
        .await
        .expect("add account")
}

async fn add(
    h: &Harness,
    user: &AuthUser,
    account: Id,
    cat: &Category,
    amount: &str,
    date: &str,
) -> Transaction {
    h.finance
        .add_transaction(user, new_tx_in(account, cat.id, amount, date, "row"), now())
        .await
        .expect("add transaction")
}

pub async fn the_list_filters_by_account_and_refuses_anyone_elses(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let food = h.category(&ann, "Groceries").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "0").await;
    for (i, date) in ["2024-01-03", "2024-01-03", "2024-01-04", "2024-01-02"]
        .iter()
        .enumerate()
    {
        add(h, &ann, card.id, &food, &format!("{}", i + 1), date).await;
        add(h, &ann, main.id, &food, "9", date).await;
    }
    let only = |account: Id, sort, after: Option<String>| {
        TransactionQuery::new(
            TransactionFilter::default().with_account(Some(account)),
            sort,
            Some(3),
            after.as_deref(),
        )
        .expect("a valid query")
    };
    let f = &h.finance;
    for sort in [TransactionSort::DateDesc, TransactionSort::AmountAsc] {
        let first = f
            .transactions(&ann, &only(card.id, sort, None))
            .await
            .unwrap();
        let next = first.next.expect("4 card rows make two pages of 3");
        let second = f
            .transactions(&ann, &only(card.id, sort, Some(next.encode())))
            .await
            .unwrap();
        let rows: Vec<_> = first.items.iter().chain(&second.items).collect();
        assert_eq!(rows.len(), 4, "{sort:?}: the card's 4 rows, no more");
        assert!(
            rows.iter().all(|t| t.account_id == card.id),
            "{sort:?}: only the card's rows"
        );
        assert!(second.next.is_none(), "{sort:?}: keyset paging ends");
    }

    // Another user's account, and a missing one, answer NotFound alike —
    // never an empty list — in every operation that takes an account.
    let bobs = h.main_account(&bob).await;
    for id in [bobs.id, Id::generate()] {
        let q = only(id, TransactionSort::DateDesc, None);
        assert_not_found(f.transactions(&ann, &q).await);
        assert_not_found(f.account_register(&ann, &q).await);
        assert_not_found(f.account_balance_on(&ann, id, d("2024-01-31")).await);
        let mut out = Vec::new();
        assert_not_found(
            f.export_csv(
                &ann,
                TransactionFilter::default().with_account(Some(id)),
                &mut out,
            )
            .await,
        );
        assert!(out.is_empty(), "nothing exported");
    }
    assert_err(
        f.account_register(
            &ann,
            &TransactionQuery::first_page(TransactionFilter::default()),
        )
        .await,
        "validation",
        Some("accountId"),
    );
}

pub async fn balance_on_a_date_counts_the_opening_from_its_date(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let acc = account(h, &ann, draft("Checking", "checking", "100", "2024-01-10")).await;
    let f = &h.finance;
    add(h, &ann, acc.id, &food, "10", "2024-01-05").await;
    add(h, &ann, acc.id, &pay, "5", "2024-01-10").await;
    add(h, &ann, acc.id, &food, "2", "2024-01-20").await;
    add(h, &ann, acc.id, &food, "3", "2024-01-20").await;
    add(h, &ann, acc.id, &pay, "50", "2024-02-01").await;
    let on = |date: &str| f.account_balance_on(&ann, acc.id, d(date));
    for (date, expected, why) in [
        (
            "2024-01-04",
            0,
            "before any row and before the opening date: nothing",
        ),
        ("2024-01-05", -1_000, "a row before the opening date counts"),
        ("2024-01-09", -1_000, "the opening balance is not there yet"),
        (
            "2024-01-10",
            10_000 - 1_000 + 500,
            "from the opening date on",
        ),
        ("2024-01-20", 9_500 - 500, "both rows of the day"),
        ("2024-01-31", 9_000, "no rows since"),
        ("2024-02-01", 14_000, "the February income"),
        ("2200-12-31", 14_000, "the last date the app accepts"),
        ("1900-01-01", 0, "the first date"),
    ] {
        assert_eq!(on(date).await.unwrap(), expected, "on {date}: {why}");
    }
    let now_balance = f
        .account_balances(&ann)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.account.id == acc.id)
        .expect("the account is listed")
        .balance;
    assert_eq!(
        on("2200-12-31").await.unwrap(),
        now_balance,
        "after every row, the balance on a date is the current balance"
    );
}

pub async fn running_balances_hold_on_every_page_and_across_split_days(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let acc = account(h, &ann, draft("Checking", "checking", "250", "2024-01-03")).await;
    let other = h.main_account(&ann).await;
    // 4 days × 5 rows (income and expense), and rows of another account
    // between them that must not count.
    for day in 1..=4 {
        for i in 0..5 {
            let (cat, amount) = if i % 2 == 0 {
                (&food, format!("{}.{:02}", day + i, i * 7))
            } else {
                (&pay, format!("{}", 10 * i + day))
            };
            add(h, &ann, acc.id, cat, &amount, &format!("2024-01-0{day}")).await;
        }
        add(h, &ann, other.id, &pay, "1000", &format!("2024-01-0{day}")).await;
    }
    let all = register_rows(h, &ann, acc.id).await;
    assert_eq!(all.len(), 20);
    // Pages of 3 and 7 split days (5 rows each) over two pages, in both
    // directions; pages of 1 make the deepest pages.
    for sort in [TransactionSort::DateAsc, TransactionSort::DateDesc] {
        for limit in [1, 3, 7, 500] {
            let pages = check_register(h, &ann, &acc, &all, sort, limit, (None, None)).await;
            assert_eq!(pages, 20usize.div_ceil(limit as usize).max(1));
        }
        // A date range keeps the rows consecutive: balances still count
        // everything before the range.
        check_register(
            h,
            &ann,
            &acc,
            &all,
            sort,
            2,
            (Some(d("2024-01-02")), Some(d("2024-01-03"))),
        )
        .await;
    }
    let last = expected_running(&acc, &all);
    assert_eq!(
        last.last().copied(),
        Some(
            h.finance
                .account_balances(&ann)
                .await
                .unwrap()
                .into_iter()
                .find(|b| b.account.id == acc.id)
                .unwrap()
                .balance
        ),
        "the last row's running balance is the account's balance"
    );

    // Criteria that leave gaps between the rows, or an amount order: rows,
    // no running balances. An empty register: no rows, no balances to show.
    let ann = &ann;
    let register = |filter: TransactionFilter, sort| {
        let q = TransactionQuery::new(filter, sort, Some(5), None).unwrap();
        async move { h.finance.account_register(ann, &q).await.unwrap() }
    };
    let on_acc = TransactionFilter::default().with_account(Some(acc.id));
    let by_kind = TransactionFilter {
        kind: Some(CategoryKind::Income),
        ..on_acc.clone()
    };
    let page = register(by_kind, TransactionSort::DateAsc).await;
    assert_eq!(page.items.len(), 5);
    assert_eq!(page.balances, None, "a kind filter: no running balances");
    let page = register(on_acc.clone(), TransactionSort::AmountDesc).await;
    assert_eq!(page.items.len(), 5);
    assert_eq!(page.balances, None, "an amount order: no running balances");
    let empty = TransactionFilter {
        from: Some(d("2025-01-01")),
        ..on_acc
    };
    let page = register(empty, TransactionSort::DateDesc).await;
    assert!(page.items.is_empty());
    assert_eq!(page.balances, Some(vec![]));
}

pub async fn net_worth_now_and_month_by_month(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let bob_pay = h.category(&bob, "Salary").await;
    let main = h.main_account(&ann).await; // opens 2024-03-15 with 0
    let savings = account(h, &ann, draft("Savings", "savings", "1000", "2024-01-01")).await;
    let card = account(h, &ann, draft("Card", "credit_card", "-50", "2023-12-01")).await;
    let loan = account(h, &ann, draft("Loan", "loan", "-2000", "2024-02-15")).await;
    add(h, &ann, main.id, &pay, "2500", "2024-01-31").await;
    add(h, &ann, main.id, &food, "100", "2024-02-01").await;
    add(h, &ann, card.id, &food, "40", "2023-12-20").await;
    add(h, &ann, card.id, &pay, "90", "2024-03-02").await;
    add(h, &ann, loan.id, &pay, "100", "2024-03-31").await;
    add(h, &ann, savings.id, &pay, "10", "2024-05-01").await;
    h.finance
        .set_account_archived(&ann, loan.id, true)
        .await
        .unwrap();
    h.finance
        .add_transaction(
            &bob,
            new_tx_in(
                h.main_account(&bob).await.id,
                bob_pay.id,
                "777",
                "2024-01-15",
                "bob",
            ),
            now(),
        )
        .await
        .unwrap();
    let f = &h.finance;

    let series = f
        .net_worth_series(&ann, d("2023-11-20"), d("2024-04-02"))
        .await
        .unwrap();
    let w = |assets: i64, liabilities: i64| NetWorth {
        assets,
        liabilities,
        net: assets + liabilities,
    };
    let months: Vec<_> = series.iter().map(|m| m.month).collect();
    assert_eq!(
        months,
        [
            "2023-11-01",
            "2023-12-01",
            "2024-01-01",
            "2024-02-01",
            "2024-03-01",
            "2024-04-01"
        ]
        .map(d),
        "whole months, oldest first"
    );
    let worth: Vec<_> = series.iter().map(|m| m.worth).collect();
    assert_eq!(
        worth,
        [
            w(0, 0),
            w(0, -5_000 - 4_000),
            w(100_000 + 250_000, -9_000),
            w(100_000 + 240_000, -9_000 - 200_000),
            w(100_000 + 240_000, -9_000 + 9_000 - 200_000 + 10_000),
            w(100_000 + 240_000, -190_000),
        ],
        "each month-end: openings from their dates, rows up to the day, the archived loan \
         included, bob's row never"
    );
    // Each month's figure is the sum of the accounts' balances on its last day.
    for m in &series {
        let end = m.month.with_day(1).unwrap() + chrono::Months::new(1) - chrono::Days::new(1);
        let mut sum = 0;
        for a in [&main, &savings, &card, &loan] {
            sum += f.account_balance_on(&ann, a.id, end).await.unwrap();
        }
        assert_eq!(
            m.worth.net, sum,
            "{}: net worth = Σ balances on {end}",
            m.month
        );
    }
    assert_eq!(
        f.net_worth(&ann).await.unwrap(),
        w(100_000 + 240_000 + 1_000, -190_000),
        "now: every row, every opening balance, archived accounts too"
    );
    assert_eq!(
        f.net_worth(&bob).await.unwrap(),
        w(77_700, 0),
        "bob's net worth is his own"
    );

    assert_err(
        f.net_worth_series(&ann, d("2024-03-01"), d("2024-02-29"))
            .await,
        "validation",
        Some("to"),
    );
    assert_err(
        f.net_worth_series(&ann, d("1950-01-01"), d("2000-01-01"))
            .await,
        "validation",
        Some("from"),
    );
    assert_eq!(
        f.net_worth_series(&ann, d("1950-01-31"), d("1999-12-01"))
            .await
            .unwrap()
            .len(),
        600,
        "600 months is the most a series covers"
    );
}

/// A small deterministic generator (xorshift), so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

pub async fn random_writes_keep_every_balance_equal_to_a_recomputation(h: &Harness) {
    let ann = h.user("ann").await;
    let cats = [
        h.category(&ann, "Groceries").await,
        h.category(&ann, "Rent").await,
        h.category(&ann, "Salary").await,
    ];
    let accounts = [
        h.main_account(&ann).await,
        account(h, &ann, draft("Card", "credit_card", "-50", "2024-01-05")).await,
        account(h, &ann, draft("Savings", "savings", "1000", "2024-01-20")).await,
    ];
    let f = &h.finance;
    let seed = 0x5EED_0014_u64;
    let mut rng = Rng(seed);
    let mut live: Vec<Id> = Vec::new();
    for step in 0..70 {
        let date = format!("2024-01-{:02}", 1 + rng.below(28));
        let amount = format!("{}.{:02}", 1 + rng.below(300), rng.below(100));
        let acc = accounts[rng.below(3) as usize].id;
        let cat = cats[rng.below(3) as usize].id;
        match (rng.below(10), live.is_empty()) {
            (0..=5, _) | (_, true) => {
                let t = f
                    .add_transaction(&ann, new_tx_in(acc, cat, &amount, &date, "r"), now())
                    .await
                    .unwrap_or_else(|e| panic!("seed {seed:#x}, step {step}: add: {e:?}"));
                live.push(t.id);
            }
            (6..=7, false) => {
                let id = live[rng.below(live.len() as u64) as usize];
                f.update_transaction(&ann, id, new_tx_in(acc, cat, &amount, &date, "e"), now())
                    .await
                    .unwrap_or_else(|e| panic!("seed {seed:#x}, step {step}: edit: {e:?}"));
            }
            _ => {
                let id = live.swap_remove(rng.below(live.len() as u64) as usize);
                f.delete_transaction(&ann, id)
                    .await
                    .unwrap_or_else(|e| panic!("seed {seed:#x}, step {step}: delete: {e:?}"));
            }
        }
    }

    let balances: HashMap<Id, i64> = f
        .account_balances(&ann)
        .await
        .unwrap()
        .into_iter()
        .map(|b| (b.account.id, b.balance))
        .collect();
    let mut listed = 0;
    let mut month_ends = HashMap::new();
    for a in &accounts {
        let rows = register_rows(h, &ann, a.id).await;
        listed += rows.len();
        let all_rows: i64 = rows
            .iter()
            .map(|t| rules::balance_effect(t.kind, t.amount.minor()))
            .sum();
        assert_eq!(
            balances[&a.id],
            a.opening_balance + all_rows,
            "seed {seed:#x}: {}'s balance is its opening plus its rows",
            a.name
        );
        for date in [
            "2023-12-31",
            "2024-01-01",
            "2024-01-04",
            "2024-01-05",
            "2024-01-13",
            "2024-01-19",
            "2024-01-20",
            "2024-01-28",
            "2024-02-01",
        ] {
            let date = d(date);
            assert_eq!(
                f.account_balance_on(&ann, a.id, date).await.unwrap(),
                expected_on(a, &rows, date),
                "seed {seed:#x}: {} on {date}",
                a.name
            );
        }
        for (sort, limit) in [
            (TransactionSort::DateAsc, 4),
            (TransactionSort::DateDesc, 4),
            (TransactionSort::DateDesc, 7),
        ] {
            check_register(h, &ann, a, &rows, sort, limit, (None, None)).await;
        }
        for month_end in ["2023-12-31", "2024-01-31"] {
            *month_ends.entry(month_end).or_insert(0) += expected_on(a, &rows, d(month_end));
        }
    }
    assert_eq!(listed, live.len(), "every live row is in one account");
    let series = f
        .net_worth_series(&ann, d("2023-12-01"), d("2024-01-01"))
        .await
        .unwrap();
    assert_eq!(
        series.iter().map(|m| m.worth.net).collect::<Vec<_>>(),
        [month_ends["2023-12-31"], month_ends["2024-01-31"]],
        "seed {seed:#x}: net worth per month = Σ recomputed balances at the month's end"
    );
}
