//! The operation bodies on a real SQLite store, without Tauri: they take the
//! clock from the edge (`Cx`), scope every id by the caller, and refuse bad
//! input naming the field before anything is written. (The command tests in
//! `tests/commands*` drive the same bodies through the desktop's commands.)

use chrono::NaiveDate;
use finance_api::ops::{Cx, accounts, budgets, bulk, categories, reports, transactions, transfers};
use finance_api::types::{
    AccountInput, AccountTypeView, BudgetInput, BudgetListInput, CategoryInput, CategoryKindView,
    DashboardInput, IdInput, PeriodView, SetClearedInput, TransactionFields, TransactionInput,
    UpdateAccountInput,
};
use finance_api::{ApiError, ErrorCode};
use finance_core::AuthUser;
use finance_testkit::Harness;
use finance_testkit::fixtures::now;

/// A day the machine's clock cannot be on while these tests run.
fn long_ago() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 3, 15).expect("valid date")
}

fn cx(h: &Harness, user: &AuthUser) -> Cx {
    Cx {
        finance: h.finance.clone(),
        user: user.clone(),
        now: now(),
        today: long_ago(),
    }
}

fn expense(name: &str) -> CategoryInput {
    CategoryInput {
        name: name.into(),
        kind: CategoryKindView::Expense,
    }
}

fn spend(category_id: &str, amount: &str, date: &str) -> TransactionInput {
    TransactionInput {
        fields: TransactionFields {
            account_id: None,
            category_id: category_id.into(),
            amount: amount.into(),
            date: date.into(),
            description: "Market".into(),
            note: None,
        },
        idempotency_key: None,
    }
}

fn assert_code<T: std::fmt::Debug>(r: Result<T, ApiError>, code: ErrorCode, field: Option<&str>) {
    let e = r.expect_err("the call must be refused");
    assert_eq!(
        (e.code, e.field.as_deref()),
        (code, field),
        "refused with the wrong code or field: {e:?}"
    );
}

#[tokio::test]
async fn the_current_period_and_the_dashboard_month_are_cx_today_not_the_clock() {
    let h = Harness::sqlite().await;
    let alice = h.user("alice").await;
    let cx = cx(&h, &alice);
    let food = categories::add_category(&cx, expense("Food"))
        .await
        .unwrap();
    let budget = budgets::add_budget(
        &cx,
        BudgetInput {
            category_id: food.id.clone(),
            limit: "100.00".into(),
            period: PeriodView::Monthly,
        },
    )
    .await
    .unwrap();
    // Read from the clock, the period would be this month, not March 2020.
    assert_eq!(
        (budget.period_start.as_str(), budget.period_end.as_str()),
        ("2020-03-01", "2020-03-31"),
        "a new budget's status is for the period holding cx.today"
    );
    let t = transactions::add_transaction(&cx, spend(&food.id, "12.34", "2020-03-02"))
        .await
        .unwrap();

    let d = reports::dashboard(&cx, DashboardInput::default())
        .await
        .unwrap();
    assert_eq!(
        (d.month.from.as_str(), d.month.to.as_str()),
        ("2020-03-01", "2020-03-31"),
        "without a date the dashboard shows cx.today's month"
    );
    assert_eq!(
        d.month.expense, t.amount,
        "the month's spending is the one row"
    );
    assert_eq!(d.budgets.len(), 1);
    assert_eq!(
        d.budgets[0].spent, t.amount,
        "the dashboard's budgets are as of cx.today, so March's spending counts"
    );
    let listed = budgets::list_budgets(&cx, BudgetListInput { date: None })
        .await
        .unwrap();
    assert_eq!(
        listed[0].period_start, "2020-03-01",
        "the list's default day is cx.today"
    );
    h.finish().await;
}

#[tokio::test]
async fn another_users_ids_answer_not_found_and_change_nothing() {
    let h = Harness::sqlite().await;
    let alice = h.user("alice").await;
    let bob = h.user("bob").await;
    let (a, b) = (cx(&h, &alice), cx(&h, &bob));
    let food = categories::add_category(&a, expense("Food")).await.unwrap();
    let t = transactions::add_transaction(&a, spend(&food.id, "5.00", "2020-03-02"))
        .await
        .unwrap();
    let budget = budgets::add_budget(
        &a,
        BudgetInput {
            category_id: food.id.clone(),
            limit: "50.00".into(),
            period: PeriodView::Monthly,
        },
    )
    .await
    .unwrap();

    let id = |id: &str| IdInput { id: id.into() };
    assert_code(
        transactions::get_transaction(&b, id(&t.id)).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        accounts::account_usage(&b, id(&t.account_id)).await,
        ErrorCode::NotFound,
        None,
    );
    assert_code(
        budgets::delete_budget(&b, id(&budget.id)).await,
        ErrorCode::NotFound,
        None,
    );
    // Bob's own list is empty, and Alice's budget is still there.
    let bobs = budgets::list_budgets(&b, BudgetListInput { date: None })
        .await
        .unwrap();
    assert!(
        bobs.is_empty(),
        "bob sees none of alice's budgets: {bobs:?}"
    );
    let alices = budgets::list_budgets(&a, BudgetListInput { date: None })
        .await
        .unwrap();
    assert_eq!(alices.len(), 1, "bob's delete removed nothing of alice's");
    h.finish().await;
}

#[tokio::test]
async fn bad_input_is_refused_naming_its_field() {
    let h = Harness::sqlite().await;
    let alice = h.user("alice").await;
    let cx = cx(&h, &alice);
    let before = accounts::list_accounts(&cx, ()).await.unwrap();
    let main = before.accounts[0].id.clone();

    assert_code(
        transfers::set_cleared(
            &cx,
            SetClearedInput {
                account_id: "not-an-id".into(),
                ids: vec![],
                cleared: true,
            },
        )
        .await,
        ErrorCode::Validation,
        Some("accountId"),
    );
    assert_code(
        transfers::set_cleared(
            &cx,
            SetClearedInput {
                account_id: main,
                ids: vec!["nope".into()],
                cleared: true,
            },
        )
        .await,
        ErrorCode::Validation,
        Some("ids"),
    );
    assert_code(
        bulk::undo_key(""),
        ErrorCode::Validation,
        Some("idempotencyKey"),
    );
    let mut change = UpdateAccountInput {
        id: "zz".into(),
        fields: AccountInput {
            name: "Renamed".into(),
            kind: AccountTypeView::Checking,
            opening_balance: "0.00".into(),
            opening_date: "2020-01-01".into(),
            note: None,
        },
    };
    assert_code(
        accounts::update_account(&cx, change.clone()).await,
        ErrorCode::Validation,
        Some("id"),
    );
    change.id = before.accounts[0].id.clone();
    change.fields.name = String::new();
    assert_code(
        accounts::update_account(&cx, change).await,
        ErrorCode::Validation,
        Some("name"),
    );
    let after = accounts::list_accounts(&cx, ()).await.unwrap();
    assert_eq!(
        after.accounts[0].name, before.accounts[0].name,
        "a refused update changes nothing"
    );
    h.finish().await;
}
