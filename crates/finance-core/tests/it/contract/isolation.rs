//! Isolation: another user's ids behave exactly like missing ones, and nothing of theirs changes.

use finance_core::domain::{
    CategoryName, DateRange, NewBudget, Period, TransactionFilter, TransactionQuery,
};
use finance_core::{Amount, Currency, Id};

use finance_testkit::{Harness, assert_err, assert_not_found, d, new_tx, now};

pub async fn other_users_ids_are_not_found_and_nothing_changes(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let bob_cat = h.category(&bob, "Groceries").await;
    let bob_other = h.category(&bob, "Rent").await;
    let bob_tx = h
        .tx(&bob, bob_cat.id, "42.00", "2024-03-01", "Bob's shopping")
        .await;
    let bob_budget = h.budget(&bob, bob_cat.id, "100", Period::Monthly).await;
    let ann_cat = h.category(&ann, "Groceries").await;
    let ann_tx = h.tx(&ann, ann_cat.id, "1.00", "2024-03-01", "Ann's").await;
    let limit = Amount::parse("limit", "5", Currency::EUR).unwrap();
    let f = &h.finance;

    // Every id-taking operation: Bob's id answers exactly as a missing id does.
    for id in [bob_tx.id, Id::generate()] {
        assert_not_found(f.transaction(&ann, id).await);
        assert_not_found(
            f.update_transaction(&ann, id, new_tx(ann_cat.id, "1", "2024-03-01", "x"), now())
                .await,
        );
        assert_not_found(f.delete_transaction(&ann, id).await);
    }
    for id in [bob_cat.id, Id::generate()] {
        assert_not_found(
            f.rename_category(&ann, id, CategoryName::parse("name", "Mine").unwrap())
                .await,
        );
        assert_not_found(f.category_usage(&ann, id).await);
        assert_not_found(f.delete_category(&ann, id, None).await);
        assert_not_found(f.delete_category(&ann, id, Some(ann_cat.id)).await);
        // Using Bob's category in Ann's writes.
        assert_not_found(
            f.add_transaction(&ann, new_tx(id, "1", "2024-03-01", "x"), now())
                .await,
        );
        assert_not_found(
            f.update_transaction(&ann, ann_tx.id, new_tx(id, "1", "2024-03-01", "x"), now())
                .await,
        );
        assert_not_found(
            f.add_budget(
                &ann,
                NewBudget {
                    category_id: id,
                    limit,
                    period: Period::Weekly,
                },
                now(),
            )
            .await,
        );
    }
    for id in [bob_budget.id, Id::generate()] {
        assert_not_found(
            f.update_budget(
                &ann,
                id,
                NewBudget {
                    category_id: ann_cat.id,
                    limit,
                    period: Period::Weekly,
                },
            )
            .await,
        );
        assert_not_found(f.delete_budget(&ann, id).await);
        assert_not_found(f.budget_status(&ann, id, d("2024-03-01")).await);
    }
    // Bob's account in Ann's balance reads and as her list's and report's account filter.
    for id in [h.main_account(&bob).await.id, Id::generate()] {
        assert_not_found(f.account_balance_on(&ann, id, d("2024-03-01")).await);
        let theirs =
            TransactionQuery::first_page(TransactionFilter::default().with_account(Some(id)));
        assert_not_found(f.account_register(&ann, &theirs).await);
        assert_not_found(f.transactions(&ann, &theirs).await);
        assert_not_found(
            f.report(&ann, DateRange::month_of(d("2024-03-01")), Some(id))
                .await,
        );
    }
    // Moving Ann's category into Bob's is refused as an unknown target.
    assert_err(
        f.delete_category(&ann, ann_cat.id, Some(bob_other.id))
            .await,
        "validation",
        Some("moveTo"),
    );

    // Bob's data is exactly as before.
    assert_eq!(
        f.transaction(&bob, bob_tx.id).await.unwrap(),
        bob_tx,
        "bob's transaction is unchanged"
    );
    assert_eq!(
        h.store.category(bob.id(), bob_cat.id).await.unwrap(),
        bob_cat,
        "bob's category is unchanged"
    );
    assert_eq!(
        h.store.budget(bob.id(), bob_budget.id).await.unwrap(),
        bob_budget,
        "bob's budget is unchanged"
    );
    assert_eq!(
        f.categories(&bob).await.unwrap().len(),
        10,
        "bob still has his 10 categories"
    );
    assert_eq!(
        f.transaction(&ann, ann_tx.id).await.unwrap(),
        ann_tx,
        "Ann's own row untouched by refused edits"
    );
}

pub async fn lists_and_summaries_see_only_own_rows(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let bob_cat = h.category(&bob, "Groceries").await;
    let ann_cat = h.category(&ann, "Groceries").await;
    for i in 0..5 {
        h.tx(
            &bob,
            bob_cat.id,
            "10",
            &format!("2024-03-0{}", i + 1),
            "Bob",
        )
        .await;
    }
    h.budget(&bob, bob_cat.id, "20", Period::Monthly).await;
    h.tx(&ann, ann_cat.id, "3", "2024-03-02", "Ann").await;
    let f = &h.finance;

    let page = f
        .transactions(
            &ann,
            &TransactionQuery::first_page(TransactionFilter::default()),
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "ann sees her one row only");
    assert!(
        page.items.iter().all(|t| t.user_id == ann.id()),
        "every listed row is ann's"
    );
    let by_bobs_cat = TransactionFilter {
        categories: vec![bob_cat.id],
        ..Default::default()
    };
    assert!(
        f.transactions(&ann, &TransactionQuery::first_page(by_bobs_cat))
            .await
            .unwrap()
            .items
            .is_empty(),
        "filtering by bob's category shows ann nothing"
    );
    let s = f
        .summary(&ann, DateRange::month_of(d("2024-03-01")))
        .await
        .unwrap();
    assert_eq!(
        (s.expense, s.count),
        (300, 1),
        "ann's summary counts her one 3.00 row only"
    );
    let worth = f.net_worth(&ann).await.unwrap();
    assert_eq!(
        (worth.assets, worth.liabilities),
        (-300, 0),
        "ann's net worth counts her 3.00 expense only"
    );
    let series = f
        .net_worth_series(&ann, d("2024-02-01"), d("2024-03-01"))
        .await
        .unwrap();
    assert_eq!(
        series.iter().map(|m| m.worth.net).collect::<Vec<_>>(),
        [0, -300],
        "ann's month-end net worth sees none of bob's rows"
    );
    assert!(
        f.budgets(&ann).await.unwrap().is_empty(),
        "ann has no budgets; bob's are not listed"
    );
    assert!(
        f.budget_statuses(&ann, d("2024-03-01"))
            .await
            .unwrap()
            .is_empty(),
        "ann has no budget statuses; bob's are not listed"
    );
    assert!(
        f.categories(&ann)
            .await
            .unwrap()
            .iter()
            .all(|c| c.user_id == ann.id()),
        "every listed category is ann's"
    );
    let spent = h
        .store
        .expense_by_category(
            ann.id(),
            None,
            &[bob_cat.id],
            d("2024-03-01"),
            d("2024-03-31"),
        )
        .await
        .unwrap();
    assert_eq!(
        spent.get(&bob_cat.id).copied().unwrap_or(0),
        0,
        "ann's spending in bob's category is nothing"
    );
}
