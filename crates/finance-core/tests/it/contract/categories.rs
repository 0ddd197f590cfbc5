//! Categories: add, list, rename, delete and move.

use finance_core::domain::{CategoryName, Period, TransactionFilter, TransactionQuery};

use finance_testkit::{EXPENSE, Harness, INCOME, assert_err, assert_not_found, now};

fn name(s: &str) -> CategoryName {
    CategoryName::parse("name", s).unwrap()
}

pub async fn add_list_and_rename(h: &Harness) {
    let ann = h.user("ann").await;
    let pets = h
        .finance
        .add_category(&ann, name("  Pets "), EXPENSE, now())
        .await
        .unwrap();
    assert_eq!(pets.name, "Pets", "the name is stored trimmed");
    assert_eq!(
        pets.kind, EXPENSE,
        "the category has the kind it was added with"
    );
    assert_eq!(
        h.store.category(ann.id(), pets.id).await.unwrap(),
        pets,
        "the stored category is the one returned"
    );
    let renamed = h
        .finance
        .rename_category(&ann, pets.id, name("Animals"))
        .await
        .unwrap();
    assert_eq!(
        (renamed.id, renamed.name.as_str(), renamed.kind),
        (pets.id, "Animals", EXPENSE),
        "a rename keeps the id and the kind"
    );
    // Renaming to a different case of its own name is allowed.
    h.finance
        .rename_category(&ann, pets.id, name("ANIMALS"))
        .await
        .unwrap();
    let cats = h.finance.categories(&ann).await.unwrap();
    assert_eq!(cats.len(), 11, "10 default categories plus the added one");
    let names: Vec<_> = cats
        .iter()
        .filter(|c| c.kind == EXPENSE)
        .map(|c| c.name.to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "expense categories are listed by name");
    assert_not_found(
        h.finance
            .rename_category(&ann, finance_core::Id::generate(), name("X"))
            .await,
    );
}

pub async fn names_are_unique_per_kind_ignoring_case(h: &Harness) {
    let ann = h.user("ann").await;
    assert_err(
        h.finance
            .add_category(&ann, name("groceries"), EXPENSE, now())
            .await,
        "conflict",
        Some("name"),
    );
    // The same name is fine for the other kind, and for another user.
    h.finance
        .add_category(&ann, name("Groceries"), INCOME, now())
        .await
        .unwrap();
    let bob = h.user("bob").await;
    h.finance
        .add_category(&bob, name("Pets"), EXPENSE, now())
        .await
        .unwrap();
    h.finance
        .add_category(&ann, name("Pets"), EXPENSE, now())
        .await
        .unwrap();
    let rent = h.category(&ann, "Rent").await;
    assert_err(
        h.finance.rename_category(&ann, rent.id, name("PETS")).await,
        "conflict",
        Some("name"),
    );
    assert_eq!(
        h.category(&ann, "Rent").await.name,
        "Rent",
        "a refused rename changes nothing"
    );
}

pub async fn delete_unused_category(h: &Harness) {
    let ann = h.user("ann").await;
    let pets = h
        .finance
        .add_category(&ann, name("Pets"), EXPENSE, now())
        .await
        .unwrap();
    let usage = h.finance.category_usage(&ann, pets.id).await.unwrap();
    assert!(
        !usage.is_used(),
        "a new category has no transactions or budgets"
    );
    h.finance
        .delete_category(&ann, pets.id, None)
        .await
        .unwrap();
    assert_not_found(h.store.category(ann.id(), pets.id).await);
    assert_not_found(h.finance.delete_category(&ann, pets.id, None).await);
}

pub async fn delete_used_category_requires_a_target(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    h.tx(&ann, food.id, "3.00", "2024-03-01", "Apples").await;
    h.budget(&ann, food.id, "100", Period::Monthly).await;
    let usage = h.finance.category_usage(&ann, food.id).await.unwrap();
    assert_eq!(
        (usage.transactions, usage.budgets),
        (1, 1),
        "usage counts the one transaction and the one budget"
    );
    let err = h
        .finance
        .delete_category(&ann, food.id, None)
        .await
        .unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.field()),
        ("conflict", Some("category")),
        "deleting a used category without a target is a conflict on the category"
    );
    assert!(
        err.to_string().contains("1 transaction and 1 budget"),
        "{err}"
    );
    assert_eq!(
        h.store.category(ann.id(), food.id).await.unwrap(),
        food,
        "nothing deleted"
    );
}

pub async fn delete_moves_transactions_and_budgets_atomically(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let out = h.category(&ann, "Eating out").await;
    for i in 1..=3 {
        h.tx(&ann, food.id, "2.00", &format!("2024-03-0{i}"), "Snack")
            .await;
    }
    let kept = h.tx(&ann, out.id, "9.00", "2024-03-02", "Pizza").await;
    let moved_budget = h.budget(&ann, food.id, "50", Period::Weekly).await;
    h.budget(&ann, food.id, "200", Period::Monthly).await;
    let target_monthly = h.budget(&ann, out.id, "80", Period::Monthly).await;

    h.finance
        .delete_category(&ann, food.id, Some(out.id))
        .await
        .unwrap();

    assert_not_found(h.store.category(ann.id(), food.id).await);
    let filter = TransactionFilter {
        categories: vec![out.id],
        ..Default::default()
    };
    let page = h
        .finance
        .transactions(&ann, &TransactionQuery::first_page(filter))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 4, "the 3 moved plus the 1 already there");
    assert!(
        page.items.iter().any(|t| t.id == kept.id),
        "the target's own transaction is still there"
    );
    let budgets = h.finance.budgets(&ann).await.unwrap();
    assert_eq!(
        budgets.len(),
        2,
        "weekly moved; the monthly clash was dropped"
    );
    let weekly = budgets
        .iter()
        .find(|b| b.id == moved_budget.id)
        .expect("weekly budget kept");
    assert_eq!(
        weekly.category_id, out.id,
        "the moved weekly budget now points at the target"
    );
    let monthly = budgets
        .iter()
        .find(|b| b.period == Period::Monthly)
        .unwrap();
    assert_eq!(
        monthly, &target_monthly,
        "the target's own budget is untouched"
    );
    let summary = h
        .finance
        .summary(
            &ann,
            finance_core::domain::DateRange::month_of(finance_testkit::d("2024-03-01")),
        )
        .await
        .unwrap();
    assert_eq!(
        (summary.expense, summary.count),
        (1500, 4),
        "totals unchanged by the move"
    );
}

pub async fn move_target_must_be_same_kind_and_own(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let food = h.category(&ann, "Groceries").await;
    let salary = h.category(&ann, "Salary").await;
    let bobs = h.category(&bob, "Rent").await;
    let t = h.tx(&ann, food.id, "4.00", "2024-03-01", "Eggs").await;
    assert_err(
        h.finance
            .delete_category(&ann, food.id, Some(salary.id))
            .await,
        "validation",
        Some("moveTo"),
    );
    assert_err(
        h.finance
            .delete_category(&ann, food.id, Some(bobs.id))
            .await,
        "validation",
        Some("moveTo"),
    );
    assert_err(
        h.finance
            .delete_category(&ann, food.id, Some(food.id))
            .await,
        "validation",
        Some("moveTo"),
    );
    // All refused: the category and its transaction are untouched.
    assert_eq!(
        h.finance.transaction(&ann, t.id).await.unwrap().category_id,
        Some(food.id),
        "the transaction still points at its category"
    );
    assert!(
        h.store.category(ann.id(), food.id).await.is_ok(),
        "the category still exists"
    );
}
