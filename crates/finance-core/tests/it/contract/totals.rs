//! Totals of maximal amounts: summaries, reports, budget statuses (the
//! dashboard is a month's summary, the budget statuses and a page) either
//! answer exactly or refuse with `Validation { field: "period" }` — never
//! `Internal`, never a wrapped or rounded number.
//!
//! A total beyond `i64` needs about 9.2 million transactions of the largest
//! amount; [`Harness::oversized_tx`] stores a few rows with amounts beyond
//! the per-transaction cap below the service instead, which gives the
//! database the same sums to add up.

use finance_core::domain::{BudgetStatus, Category, DateRange, Period, Summary};
use finance_core::money::MAX_AMOUNT_MINOR;
use finance_core::{AuthUser, Error, Result};

use finance_testkit::{Harness, d, import_settings, new_tx, no_progress, now};

fn range(from: &str, to: &str) -> DateRange {
    DateRange::new(d(from), d(to)).unwrap()
}

async fn summary(h: &Harness, user: &AuthUser, from: &str, to: &str) -> Result<Summary> {
    h.finance.summary(user, range(from, to)).await
}

/// The import of `csv` (the test format) for `user`.
async fn import(h: &Harness, user: &AuthUser, csv: &str) -> Result<u64> {
    h.finance
        .import_commit(
            user,
            None,
            csv.as_bytes(),
            &import_settings(),
            &[],
            false,
            now(),
            &no_progress,
        )
        .await
        .map(|s| s.imported)
}

/// The largest amount as the CSV writes it (EUR, two minor digits).
const MAX_TEXT: &str = "9999999999.99";

pub async fn maximal_amounts_add_up_exactly(h: &Harness) {
    const ROWS: i64 = 1000;
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let budget = h.budget(&ann, food.id, "100", Period::Monthly).await;
    let mut csv = String::from("date,amount,description,category\n");
    for i in 0..ROWS {
        let day = 1 + i % 28;
        csv.push_str(&format!("2024-03-{day:02},-{MAX_TEXT},Big {i},Groceries\n"));
        csv.push_str(&format!("2024-03-{day:02},{MAX_TEXT},Pay {i},Salary\n"));
    }
    assert_eq!(import(h, &ann, &csv).await.unwrap(), 2 * ROWS as u64);
    let total = ROWS * MAX_AMOUNT_MINOR;

    let s = summary(h, &ann, "2024-03-01", "2024-03-31").await.unwrap();
    assert_eq!(
        (s.income, s.expense, s.count),
        (total, total, 2 * ROWS as u64),
        "the month's summary (the dashboard's) is exact"
    );
    let r = h
        .finance
        .report(&ann, range("2024-03-01", "2024-03-31"), None)
        .await
        .unwrap();
    assert_eq!((r.total_income, r.total_expense), (total, total));
    assert_eq!(
        r.by_category
            .iter()
            .map(|c| (c.name.as_str(), c.amount))
            .collect::<Vec<_>>(),
        [("Groceries", total)],
        "spending by category is exact"
    );
    let march = r
        .monthly
        .iter()
        .find(|m| m.month == d("2024-03-01"))
        .unwrap();
    assert_eq!(
        (march.income, march.expense),
        (total, total),
        "the trend's month"
    );
    assert!(
        r.frequent.iter().all(|f| f.total == MAX_AMOUNT_MINOR),
        "description totals: {:?}",
        r.frequent
    );
    assert_eq!(r.budgets[0].spent, total, "the report's budget spending");
    let statuses = h
        .finance
        .budget_statuses(&ann, d("2024-03-15"))
        .await
        .unwrap();
    assert_eq!(
        statuses[0].spent, total,
        "the budget status (the dashboard's)"
    );
    let status: BudgetStatus = h
        .finance
        .budget_status(&ann, budget.id, d("2024-03-15"))
        .await
        .unwrap();
    assert_eq!(
        (status.spent, status.remaining),
        (total, 10_000 - total),
        "one budget's status"
    );
}

/// `result` is `Validation { field: "period" }`, saying why.
fn too_large<T: std::fmt::Debug>(what: &str, result: Result<T>) {
    match result {
        Err(Error::Validation { field, .. }) if field == "period" => {}
        other => panic!(
            "{what}: a total beyond the largest is Validation {{ field: \"period\" }}, got {other:?}"
        ),
    }
}

pub async fn totals_beyond_the_largest_are_a_validation_error(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let budget = h.budget(&ann, food.id, "100", Period::Monthly).await;
    // Two rows of 2^62 on two days: each day's sum fits in i64, the month's does not.
    let half = 1_i64 << 62;
    for day in ["2024-03-10", "2024-03-11"] {
        h.oversized_tx(&ann, &pay, half, day, "bonus").await;
        h.oversized_tx(&ann, &food, half, day, "rent").await;
    }
    too_large(
        "the month's summary",
        summary(h, &ann, "2024-03-01", "2024-03-31").await,
    );
    too_large(
        "the report",
        h.finance
            .report(&ann, range("2024-03-01", "2024-03-31"), None)
            .await,
    );
    too_large(
        "the budget statuses",
        h.finance.budget_statuses(&ann, d("2024-03-15")).await,
    );
    too_large(
        "a budget's status",
        h.finance
            .budget_status(&ann, budget.id, d("2024-03-15"))
            .await,
    );
    let day = summary(h, &ann, "2024-03-10", "2024-03-10").await.unwrap();
    assert_eq!(
        (day.income, day.expense),
        (half, half),
        "a shorter period whose total fits answers exactly"
    );
    let april = h
        .finance
        .budget_statuses(&ann, d("2024-04-15"))
        .await
        .unwrap();
    assert_eq!(april[0].spent, 0, "another period answers");

    // Writes into a day whose sum is near the largest: each is refused
    // (`Validation` on its field) or stored, and then the total is exact or
    // refused — never a wrong total or Internal.
    let bob = h.user("bob").await;
    let food = h.category(&bob, "Groceries").await;
    let budget = h.budget(&bob, food.id, "100", Period::Monthly).await;
    let treats: Category = h
        .finance
        .add_category(
            &bob,
            finance_core::domain::CategoryName::parse("name", "Treats").unwrap(),
            food.kind,
            now(),
        )
        .await
        .unwrap();
    let near = i64::MAX - MAX_AMOUNT_MINOR / 2;
    h.oversized_tx(&bob, &food, near, "2024-04-02", "rent")
        .await;
    let tea = h.tx(&bob, food.id, "1.00", "2024-04-03", "tea").await;
    // The cake is in another account: the near-largest row already fills the
    // main account's day (whose signed sum would pass i64), and this scenario
    // is about the category's sums.
    let card = h.add_account(&bob, "Card", "credit_card", "0").await;
    h.finance
        .add_transaction(
            &bob,
            finance_testkit::new_tx_in(card.id, treats.id, MAX_TEXT, "2024-04-02", "cake"),
            now(),
        )
        .await
        .expect("add the cake");
    let max = new_tx(food.id, MAX_TEXT, "2024-04-02", "rent");
    let csv = format!("date,amount,description,category\n2024-04-02,-{MAX_TEXT},rent,Groceries\n");
    // Groceries' April spending, and what each write adds to it when stored.
    let mut spent = i128::from(near) + 100;
    let max128 = i128::from(MAX_AMOUNT_MINOR);
    let writes: [(&str, i128, Result<()>); 4] = [
        (
            "an add",
            max128,
            h.finance
                .add_transaction(&bob, max.clone(), now())
                .await
                .map(drop),
        ),
        ("an import", max128, import(h, &bob, &csv).await.map(drop)),
        (
            "an edit",
            max128 - 100,
            h.finance
                .update_transaction(&bob, tea.id, max, now())
                .await
                .map(drop),
        ),
        (
            "a category move",
            max128,
            h.finance
                .delete_category(&bob, treats.id, Some(food.id))
                .await,
        ),
    ];
    for (what, adds, result) in writes {
        match result {
            Ok(()) => spent += adds,
            Err(Error::Validation { field, .. })
                if ["amount", "file", "moveTo"].contains(&field.as_str()) => {}
            Err(e) => panic!(
                "{what} past the largest day total: stored, or refused as Validation on its \
                 field; got {e:?}"
            ),
        }
    }
    let status = h
        .finance
        .budget_status(&bob, budget.id, d("2024-04-15"))
        .await;
    match i64::try_from(spent) {
        Ok(exact) => assert_eq!(
            status.expect("a total that fits answers").spent,
            exact,
            "the budget's spending is exact"
        ),
        Err(_) => too_large("the budget's spending past the largest", status),
    }
}
