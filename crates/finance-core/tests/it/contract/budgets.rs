//! Budgets: rules, status thresholds and period boundaries.

use finance_core::domain::{BudgetState, NewBudget, Period};
use finance_core::{Amount, Id};

use finance_testkit::{Harness, assert_err, assert_not_found, d, now};

fn limit(s: &str) -> Amount {
    Amount::parse("limit", s, finance_core::Currency::EUR).unwrap()
}

pub async fn budget_crud_and_rules(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let rent = h.category(&ann, "Rent").await;
    let salary = h.category(&ann, "Salary").await;
    let b = h.budget(&ann, food.id, "300", Period::Monthly).await;
    assert_eq!(
        h.store.budget(ann.id(), b.id).await.unwrap(),
        b,
        "the stored budget is the one returned"
    );
    // One budget per (category, period); another period is fine.
    let dup = NewBudget {
        category_id: food.id,
        limit: limit("10"),
        period: Period::Monthly,
    };
    assert_err(
        h.finance.add_budget(&ann, dup, now()).await,
        "conflict",
        Some("period"),
    );
    h.budget(&ann, food.id, "80", Period::Weekly).await;
    // Expense categories only, and only the user's own.
    let on_income = NewBudget {
        category_id: salary.id,
        limit: limit("10"),
        period: Period::Yearly,
    };
    assert_err(
        h.finance.add_budget(&ann, on_income, now()).await,
        "validation",
        Some("categoryId"),
    );
    let missing = NewBudget {
        category_id: Id::generate(),
        limit: limit("10"),
        period: Period::Yearly,
    };
    assert_not_found(h.finance.add_budget(&ann, missing, now()).await);

    let edited = h
        .finance
        .update_budget(
            &ann,
            b.id,
            NewBudget {
                category_id: rent.id,
                limit: limit("950.50"),
                period: Period::Yearly,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (
            edited.id,
            edited.category_id,
            edited.limit.minor(),
            edited.period
        ),
        (b.id, rent.id, 95_050, Period::Yearly),
        "the edit changes category, limit and period, and keeps the id"
    );
    assert_eq!(
        edited.created_at, b.created_at,
        "an edit keeps the creation time"
    );
    // An edit that would clash is refused and changes nothing.
    let clash = NewBudget {
        category_id: food.id,
        limit: limit("1"),
        period: Period::Weekly,
    };
    assert_err(
        h.finance.update_budget(&ann, b.id, clash).await,
        "conflict",
        Some("period"),
    );
    assert_eq!(
        h.store.budget(ann.id(), b.id).await.unwrap(),
        edited,
        "a refused edit leaves the stored budget as last edited"
    );
    h.finance.delete_budget(&ann, b.id).await.unwrap();
    assert_not_found(h.finance.delete_budget(&ann, b.id).await);
    assert_eq!(
        h.finance.budgets(&ann).await.unwrap().len(),
        1,
        "only the weekly Groceries budget is left after the delete"
    );
}

pub async fn budget_status_thresholds(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let fun = h.category(&ann, "Entertainment").await;
    let health = h.category(&ann, "Health").await;
    let salary = h.category(&ann, "Salary").await;
    h.budget(&ann, food.id, "100", Period::Monthly).await;
    h.budget(&ann, fun.id, "100", Period::Monthly).await;
    h.budget(&ann, health.id, "100", Period::Monthly).await;
    h.tx(&ann, food.id, "79.99", "2024-03-10", "Shop").await;
    h.tx(&ann, fun.id, "50.00", "2024-03-01", "Cinema").await;
    h.tx(&ann, fun.id, "30.00", "2024-03-31", "Concert").await;
    h.tx(&ann, health.id, "100.01", "2024-03-05", "Dentist")
        .await;
    // Outside the month, or income: not counted.
    h.tx(&ann, food.id, "500", "2024-02-29", "Last month").await;
    h.tx(&ann, food.id, "500", "2024-04-01", "Next month").await;
    h.tx(&ann, salary.id, "3000", "2024-03-10", "Pay").await;

    let statuses = h
        .finance
        .budget_statuses(&ann, d("2024-03-15"))
        .await
        .unwrap();
    let by_cat = |id| {
        statuses
            .iter()
            .find(|s| s.budget.category_id == id)
            .unwrap()
    };
    let f = by_cat(food.id);
    assert_eq!(
        (f.spent, f.remaining, f.percent, f.state),
        (7_999, 2_001, 79, BudgetState::Ok),
        "79.99 of 100: under 80 % is Ok"
    );
    assert_eq!(
        (f.period.from(), f.period.to()),
        (d("2024-03-01"), d("2024-03-31")),
        "a monthly period on 15 March is 1-31 March"
    );
    let e = by_cat(fun.id);
    assert_eq!(
        (e.spent, e.percent, e.state),
        (8_000, 80, BudgetState::Warning),
        "80.00 of 100 (first and last day of the month): 80 % is Warning"
    );
    let o = by_cat(health.id);
    assert_eq!(
        (o.spent, o.remaining, o.state),
        (10_001, -1, BudgetState::Over),
        "100.01 of 100 is Over, with a negative remainder"
    );
    let single = h
        .finance
        .budget_status(&ann, f.budget.id, d("2024-03-15"))
        .await
        .unwrap();
    assert_eq!(&single, f, "the single status equals the one in the list");
}

pub async fn budget_periods_at_boundaries(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let weekly = h.budget(&ann, food.id, "10", Period::Weekly).await;
    let monthly = h.budget(&ann, food.id, "10", Period::Monthly).await;
    let yearly = h.budget(&ann, food.id, "10", Period::Yearly).await;
    // Leap day (Thursday), the Sunday ending its week, the next Monday, year end and new year.
    for (date, amount) in [
        ("2024-02-25", "1.00"),  // Sunday before the leap-day week
        ("2024-02-26", "2.00"),  // Monday starting it
        ("2024-02-29", "4.00"),  // leap day
        ("2024-03-03", "8.00"),  // Sunday ending it
        ("2024-03-04", "16.00"), // next Monday
        ("2023-12-31", "32.00"), // year end
        ("2024-01-01", "64.00"), // new year
    ] {
        h.tx(&ann, food.id, amount, date, "Boundary").await;
    }
    let spent = |date: &str, id: Id| {
        let date = d(date);
        let finance = h.finance.clone();
        let ann = ann.clone();
        async move { finance.budget_status(&ann, id, date).await.unwrap().spent }
    };
    assert_eq!(
        spent("2024-02-29", weekly.id).await,
        1_400,
        "Mon 26 Feb – Sun 3 Mar"
    );
    assert_eq!(
        spent("2024-03-04", weekly.id).await,
        1_600,
        "Mon 4 Mar - Sun 10 Mar"
    );
    assert_eq!(
        spent("2024-02-25", weekly.id).await,
        100,
        "Mon 19 Feb - Sun 25 Feb"
    );
    assert_eq!(
        spent("2024-02-29", monthly.id).await,
        700,
        "25, 26 and 29 Feb"
    );
    assert_eq!(
        spent("2024-03-31", monthly.id).await,
        2_400,
        "March holds only the 3 Mar and 4 Mar rows"
    );
    assert_eq!(
        spent("2023-12-31", monthly.id).await,
        3_200,
        "December 2023 holds only its last day"
    );
    assert_eq!(spent("2024-06-30", yearly.id).await, 9_500, "all of 2024");
    assert_eq!(
        spent("2023-01-01", yearly.id).await,
        3_200,
        "all of 2023 is its last day"
    );
    // The week of 1 Jan 2024 (a Monday) holds only that day; 31 Dec 2023's week is the one before.
    assert_eq!(
        spent("2024-01-01", weekly.id).await,
        6_400,
        "Mon 1 Jan - Sun 7 Jan 2024"
    );
    assert_eq!(
        spent("2023-12-31", weekly.id).await,
        3_200,
        "Mon 25 Dec - Sun 31 Dec 2023"
    );
}
