//! Reports: hand-computed totals for every part, month boundaries, current
//! category names, empty periods and budget limit scaling.

use finance_core::domain::{BudgetState, DateRange, MonthTotals, Period, Report};
use finance_core::{AuthUser, Id};

use finance_testkit::{Harness, d};

async fn report(h: &Harness, user: &AuthUser, from: &str, to: &str) -> Report {
    h.finance
        .report(user, DateRange::new(d(from), d(to)).unwrap())
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
