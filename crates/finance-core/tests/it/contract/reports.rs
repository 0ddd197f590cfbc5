//! Reports: hand-computed totals for every part, month boundaries, current
//! category names, empty periods, budget limit scaling, and every part
//! filtered to one account (transfers never in it; another user's account
//! is `NotFound`).

use finance_core::domain::{BudgetState, DateRange, MonthTotals, Period, Report};
use finance_core::{AuthUser, Id};

use finance_testkit::{Harness, assert_not_found, d, new_tx_in, now};

async fn report(h: &Harness, user: &AuthUser, from: &str, to: &str) -> Report {
    h.finance
        .report(user, DateRange::new(d(from), d(to)).unwrap(), None)
        .await
        .unwrap()
}

fn month(m: &str, income: i64, expense: i64, count: u64) -> MonthTotals {
    MonthTotals {
        month: d(&format!("{m}-01")),
        income,
        expense,
        count,
    }
}

fn names(r: &Report) -> Vec<(&str, i64, u64)> {
    r.by_category
        .iter()
        .map(|c| (c.name.as_str(), c.amount, c.count))
        .collect()
}

pub async fn report_totals_and_month_boundaries(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let out = h.category(&ann, "Eating out").await;
    let pay = h.category(&ann, "Salary").await;
    h.tx(&ann, food.id, "99", "2023-12-31", "Market").await;
    h.tx(&ann, food.id, "10.00", "2024-01-31", "Market").await;
    h.tx(&ann, food.id, "20.00", "2024-02-01", "market ").await;
    h.tx(&ann, food.id, "5.55", "2024-02-29", "MARKET").await;
    h.tx(&ann, rent.id, "800", "2024-02-15", "Rent Feb").await;
    h.tx(&ann, out.id, "30", "2024-12-31", "Dinner").await;
    h.tx(&ann, pay.id, "2500", "2024-02-29", "Pay").await;
    h.tx(&ann, pay.id, "2500", "2024-12-31", "pay").await;
    h.tx(&ann, food.id, "77", "2025-01-01", "Market").await;
    // Another user's rows never count.
    let bob = h.user("bob").await;
    let bob_food = h.category(&bob, "Groceries").await;
    h.tx(&bob, bob_food.id, "5000", "2024-02-01", "Market")
        .await;

    let r = report(h, &ann, "2024-01-31", "2024-12-31").await;
    assert_eq!(
        r.total_expense,
        1000 + 2000 + 555 + 80_000 + 3000,
        "expenses from 31 Jan to 31 Dec, neither the day before nor the day after, nor bob's"
    );
    assert_eq!(r.total_income, 500_000, "both salaries in the range");
    assert_eq!(
        names(&r),
        [
            ("Rent", 80_000, 1),
            ("Groceries", 3555, 3),
            ("Eating out", 3000, 1)
        ],
        "spending by category, largest first"
    );
    assert_eq!(r.monthly.len(), 12, "the trend always has 12 months");
    let mut want: Vec<MonthTotals> = (1..=12)
        .map(|m| month(&format!("2024-{m:02}"), 0, 0, 0))
        .collect();
    want[0] = month("2024-01", 0, 1000, 1);
    want[1] = month("2024-02", 250_000, 2000 + 555 + 80_000, 4);
    want[11] = month("2024-12", 250_000, 3000, 2);
    assert_eq!(
        r.monthly, want,
        "the 12 months ending with the range's last month, empty months included"
    );
    let largest: Vec<(i64, &str)> = r
        .largest
        .iter()
        .map(|t| (t.amount.minor(), t.description.as_str()))
        .collect();
    assert_eq!(
        largest,
        [
            (80_000, "Rent Feb"),
            (3000, "Dinner"),
            (2000, "market"),
            (1000, "Market"),
            (555, "MARKET")
        ],
        "the largest expenses, largest first"
    );
    let frequent: Vec<(&str, u64, i64)> = r
        .frequent
        .iter()
        .map(|f| (f.description.as_str(), f.count, f.total))
        .collect();
    assert_eq!(
        frequent,
        [
            ("MARKET", 3, 3555),
            ("pay", 2, 500_000),
            ("Rent Feb", 1, 80_000),
            ("Dinner", 1, 3000)
        ],
        "descriptions grouped ignoring case and surrounding space, most frequent first, shown as last written"
    );
    assert!(r.budgets.is_empty(), "ann has no budgets");

    // A leap-month range: the trend still shows 12 whole months ending in February.
    let r = report(h, &ann, "2024-02-01", "2024-02-29").await;
    assert_eq!(
        (r.total_expense, r.total_income),
        (82_555, 250_000),
        "February only: 4 expenses and 1 salary"
    );
    assert_eq!(
        r.monthly.first().unwrap().month,
        d("2023-03-01"),
        "the trend starts 11 months before February 2024"
    );
    assert_eq!(
        r.monthly[9],
        month("2023-12", 0, 9900, 1),
        "December 2023 holds the row of its last day"
    );
    assert_eq!(
        r.monthly[10],
        month("2024-01", 0, 1000, 1),
        "January 2024 holds the row of its last day"
    );
    assert_eq!(
        r.monthly[11],
        month("2024-02", 250_000, 82_555, 4),
        "February 2024 holds the leap day"
    );
    assert_eq!(r.largest.len(), 3, "February has 3 expenses");
    // Ties in count are ordered by total.
    assert_eq!(
        r.frequent[0].description, "MARKET",
        "the February market rows are the most frequent description"
    );
    assert_eq!(r.frequent[0].count, 2, "two February market rows");
}

pub async fn report_uses_current_category_names(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let out = h.category(&ann, "Eating out").await;
    h.tx(&ann, food.id, "10", "2024-03-01", "Shop").await;
    h.tx(&ann, out.id, "4", "2024-03-02", "Cafe").await;
    let snacks = h
        .finance
        .add_category(
            &ann,
            finance_core::domain::CategoryName::parse("name", "Snacks").unwrap(),
            finance_core::domain::CategoryKind::Expense,
            finance_testkit::now(),
        )
        .await
        .unwrap();
    h.tx(&ann, snacks.id, "7", "2024-03-03", "Crisps").await;
    h.budget(&ann, food.id, "100", Period::Monthly).await;
    h.finance
        .rename_category(
            &ann,
            food.id,
            finance_core::domain::CategoryName::parse("name", "Food").unwrap(),
        )
        .await
        .unwrap();
    h.finance
        .delete_category(&ann, snacks.id, Some(out.id))
        .await
        .unwrap();
    let r = report(h, &ann, "2024-03-01", "2024-03-31").await;
    assert_eq!(
        names(&r),
        [("Eating out", 1100, 2), ("Food", 1000, 1)],
        "spending under the current names: Snacks moved into Eating out, Groceries renamed Food"
    );
    assert_eq!(
        r.by_category[1].category_id, food.id,
        "Food is the renamed Groceries"
    );
    assert_eq!(r.budgets.len(), 1, "the one budget is in the report");
    assert_eq!(
        r.budgets[0].category_name, "Food",
        "the budget shows its category's current name"
    );
    assert_eq!(
        r.budgets[0].spent, 1000,
        "the budget counts the renamed category's spending"
    );
}

pub async fn report_of_an_empty_period(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    h.tx(&ann, food.id, "10", "2024-03-01", "Shop").await;
    h.budget(&ann, food.id, "100", Period::Weekly).await;
    let r = report(h, &ann, "2031-01-01", "2031-01-31").await;
    assert_eq!(
        (r.total_expense, r.total_income),
        (0, 0),
        "nothing in January 2031"
    );
    assert!(
        r.by_category.is_empty() && r.largest.is_empty() && r.frequent.is_empty(),
        "an empty period has no categories, largest or frequent rows"
    );
    assert_eq!(r.monthly.len(), 12, "the trend still has 12 months");
    assert!(
        r.monthly
            .iter()
            .all(|m| (m.income, m.expense, m.count) == (0, 0, 0)),
        "every month of the trend is empty"
    );
    assert_eq!(
        r.monthly[0].month,
        d("2030-02-01"),
        "the trend starts 11 months before January 2031"
    );
    assert_eq!(
        r.monthly[11].month,
        d("2031-01-01"),
        "the trend ends with the range's month"
    );
    // January 2031 touches five ISO weeks (Mon 30 Dec 2030 .. Sun 2 Feb 2031).
    let b = &r.budgets[0];
    assert_eq!(
        (b.limit, b.spent, b.state),
        (50_000, 0, BudgetState::Ok),
        "a 100 weekly budget over five weeks is 500, nothing spent"
    );
    // A user with nothing at all.
    let bob = h.user("bob").await;
    let r = report(h, &bob, "2024-01-01", "2024-12-31").await;
    assert_eq!(
        r.monthly.len(),
        12,
        "a user with no data still gets a 12-month trend"
    );
    assert!(
        r.budgets.is_empty() && r.by_category.is_empty(),
        "a user with no data has no budgets or categories in the report"
    );
}

pub async fn report_budget_limits_scale_with_the_range(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let monthly = h.budget(&ann, food.id, "100", Period::Monthly).await;
    let weekly = h.budget(&ann, food.id, "30", Period::Weekly).await;
    let yearly = h.budget(&ann, rent.id, "2000", Period::Yearly).await;
    h.tx(&ann, food.id, "500", "2024-01-30", "Before").await;
    h.tx(&ann, food.id, "100", "2024-01-31", "Shop").await;
    h.tx(&ann, food.id, "150", "2024-03-01", "Shop").await;
    h.tx(&ann, rent.id, "1000", "2024-02-10", "Rent").await;
    // Wed 31 Jan .. Fri 1 Mar 2024: 3 months, 5 weeks, 1 year.
    let r = report(h, &ann, "2024-01-31", "2024-03-01").await;
    let got: Vec<(Id, i64, i64, BudgetState)> = r
        .budgets
        .iter()
        .map(|b| (b.budget.id, b.limit, b.spent, b.state))
        .collect();
    assert_eq!(
        got,
        [
            (monthly.id, 30_000, 25_000, BudgetState::Warning),
            (weekly.id, 15_000, 25_000, BudgetState::Over),
            (yearly.id, 200_000, 100_000, BudgetState::Ok),
        ],
        "limits scale by the periods the range touches; spending is the range's"
    );
    assert_eq!(
        r.budgets[2].category_name, "Rent",
        "the yearly budget is on Rent"
    );
}

/// The report of one account, and its rows as the report sees them.
async fn account_report(h: &Harness, user: &AuthUser, from: &str, to: &str, account: Id) -> Report {
    h.finance
        .report(user, DateRange::new(d(from), d(to)).unwrap(), Some(account))
        .await
        .unwrap()
}

fn largest(r: &Report) -> Vec<(i64, &str)> {
    r.largest
        .iter()
        .map(|t| (t.amount.minor(), t.description.as_str()))
        .collect()
}

fn frequent(r: &Report) -> Vec<(&str, u64, i64)> {
    r.frequent
        .iter()
        .map(|f| (f.description.as_str(), f.count, f.total))
        .collect()
}

pub async fn report_filtered_to_one_account(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "0").await;
    let empty = h.add_account(&ann, "Cash", "cash", "0").await;
    let food = h.category(&ann, "Groceries").await;
    let out = h.category(&ann, "Eating out").await;
    let rent = h.category(&ann, "Rent").await;
    let pay = h.category(&ann, "Salary").await;
    let add =
        |account: Id, cat: Id, amount: &'static str, date: &'static str, desc: &'static str| {
            let (f, ann) = (&h.finance, &ann);
            async move {
                f.add_transaction(ann, new_tx_in(account, cat, amount, date, desc), now())
                    .await
                    .expect("add transaction")
            }
        };
    // Main: pay, groceries twice (spelled "MARKET" last), February's rent.
    add(main.id, pay.id, "2500", "2024-03-01", "Pay").await;
    add(main.id, food.id, "10.00", "2024-03-05", "Market").await;
    add(main.id, food.id, "10.00", "2024-03-25", "MARKET").await;
    add(main.id, rent.id, "800", "2024-02-15", "Rent").await;
    // Card: groceries spelled "market", dinner, a refund.
    add(card.id, food.id, "30.00", "2024-03-06", "market").await;
    add(card.id, out.id, "45", "2024-03-10", "Dinner").await;
    add(card.id, food.id, "-5", "2024-03-12", "Market refund").await;
    // Paying the card from main: a transfer, in neither account's report.
    h.transfer(&ann, main.id, card.id, "100", "2024-03-20", "Card bill")
        .await;
    h.budget(&ann, food.id, "100", Period::Monthly).await;
    // Bob's rows, in his own account, never count.
    let bob = h.user("bob").await;
    let bob_food = h.category(&bob, "Groceries").await;
    h.tx(&bob, bob_food.id, "5000", "2024-03-06", "market")
        .await;

    let r = account_report(h, &ann, "2024-03-01", "2024-03-31", card.id).await;
    assert_eq!(
        (r.total_income, r.total_expense),
        (0, 3000 + 4500 - 500),
        "the card's March: two expenses less the refund; the transfer in is not income"
    );
    assert_eq!(
        names(&r),
        [("Eating out", 4500, 1), ("Groceries", 2500, 2)],
        "the card's spending by category, the refund netted in Groceries"
    );
    let mut want: Vec<MonthTotals> = (4..=12)
        .map(|m| month(&format!("2023-{m:02}"), 0, 0, 0))
        .chain((1..=3).map(|m| month(&format!("2024-{m:02}"), 0, 0, 0)))
        .collect();
    want[11] = month("2024-03", 0, 7000, 3);
    assert_eq!(
        r.monthly, want,
        "the card's trend: March only (February's rent is main's; no transfer leg)"
    );
    assert_eq!(
        (r.budgets.len(), r.budgets[0].spent),
        (1, 2500),
        "the Groceries budget against the card's Groceries spending"
    );
    assert_eq!(
        largest(&r),
        [(4500, "Dinner"), (3000, "market")],
        "the card's largest expenses: no refund, no transfer leg"
    );
    assert_eq!(
        frequent(&r),
        [
            ("Dinner", 1, 4500),
            ("market", 1, 3000),
            ("Market refund", 1, -500)
        ],
        "the card's descriptions, spelled as in the card (main's later \"MARKET\" is not)"
    );

    let r = account_report(h, &ann, "2024-03-01", "2024-03-31", main.id).await;
    assert_eq!(
        (r.total_income, r.total_expense),
        (250_000, 2000),
        "main's March: the pay and two groceries; the transfer out is not expense"
    );
    assert_eq!(names(&r), [("Groceries", 2000, 2)], "main's spending");
    assert_eq!(
        (r.monthly[10].clone(), r.monthly[11].clone()),
        (
            month("2024-02", 0, 80_000, 1),
            month("2024-03", 250_000, 2000, 3)
        ),
        "main's trend: February's rent, March's pay and groceries"
    );
    assert_eq!(
        r.budgets[0].spent, 2000,
        "the budget against main's groceries"
    );
    assert_eq!(
        largest(&r),
        [(1000, "MARKET"), (1000, "Market")],
        "main's largest expenses (equal amounts by id, latest added first)"
    );
    assert_eq!(
        frequent(&r),
        [("MARKET", 2, 2000), ("Pay", 1, 250_000)],
        "main's descriptions: the groceries grouped, spelled as last written"
    );

    // The two accounts' reports add up to the whole report.
    let all = report(h, &ann, "2024-03-01", "2024-03-31").await;
    assert_eq!(
        (all.total_income, all.total_expense),
        (250_000, 9000),
        "every account: the same rows, once each"
    );
    assert_eq!(
        frequent(&all)[0],
        ("MARKET", 3, 5000),
        "every account: the groceries of both accounts in one group"
    );

    // An account without rows: an empty report, the budget at nothing spent.
    let r = account_report(h, &ann, "2024-01-01", "2024-12-31", empty.id).await;
    assert!(
        (r.total_income, r.total_expense) == (0, 0)
            && r.by_category.is_empty()
            && r.largest.is_empty()
            && r.frequent.is_empty()
            && r.monthly.iter().all(|m| m.count == 0),
        "nothing in the cash account: {r:?}"
    );
    assert_eq!(
        r.budgets[0].spent, 0,
        "the budget is listed with nothing spent"
    );

    // An archived account still has its report.
    h.finance
        .set_account_archived(&ann, card.id, true)
        .await
        .unwrap();
    let r = account_report(h, &ann, "2024-03-01", "2024-03-31", card.id).await;
    assert_eq!(
        r.total_expense, 7000,
        "an archived account's rows still count"
    );

    // Another user's account, or a missing one: NotFound, never an empty report.
    let march = DateRange::month_of(d("2024-03-01"));
    for id in [h.main_account(&bob).await.id, Id::generate()] {
        assert_not_found(h.finance.report(&ann, march, Some(id)).await);
    }
}

/// A MongoDB document without `accountId` (written by a release before
/// accounts, not yet migrated) is in the Main account, as balances count it;
/// on SQLite every row has its account and the scenario checks the same report.
pub async fn report_of_the_main_account_counts_rows_without_an_account(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await;
    let card = h.add_account(&ann, "Card", "credit_card", "0").await;
    let food = h.category(&ann, "Groceries").await;
    let legacy = h.tx(&ann, food.id, "12", "2024-03-02", "Bakery").await;
    h.finance
        .add_transaction(
            &ann,
            new_tx_in(card.id, food.id, "30", "2024-03-03", "Shop"),
            now(),
        )
        .await
        .unwrap();
    assert_eq!(legacy.account_id, main.id, "added to the Main account");
    if let Some(db) = h.raw_mongo().await {
        use mongodb::bson::{Document, doc, oid::ObjectId};
        let unset = db
            .collection::<Document>("transactions")
            .update_one(
                doc! { "_id": ObjectId::from_bytes(legacy.id.bytes()) },
                doc! { "$unset": { "accountId": "" } },
            )
            .await
            .unwrap();
        assert_eq!(unset.modified_count, 1, "the row now has no accountId");
    }
    let ann = &ann;
    let month = |account| async move {
        h.finance
            .report(ann, DateRange::month_of(d("2024-03-01")), account)
            .await
            .unwrap()
    };
    let (r_main, r_card, r_all) = (
        month(Some(main.id)).await,
        month(Some(card.id)).await,
        month(None).await,
    );
    assert_eq!(
        (
            r_main.total_expense,
            r_main.largest.len(),
            r_main.frequent.len()
        ),
        (1200, 1, 1),
        "the row without an account is the Main account's"
    );
    assert_eq!(r_card.total_expense, 3000, "the card has its own row only");
    assert_eq!(r_all.total_expense, 4200, "every account: both rows");
}
