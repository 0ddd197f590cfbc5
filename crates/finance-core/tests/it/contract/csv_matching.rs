//! CSV import matching: which file rows are duplicates of stored or earlier
//! rows, and how the file's category names map to the user's categories.
//!
//! Invariants checked: a duplicate is the same date, amount, kind and
//! description (trimmed, ignoring case) as a row of the same user, and the
//! check follows every edit and delete; a commit needs every unknown category
//! mapped to a target of the right kind, and refused commits write nothing.

use finance_core::AuthUser;
use finance_core::csv_io::{CategoryMapping, CategoryTarget};
use finance_core::domain::CategoryName;

use finance_testkit::{EXPENSE, Harness, INCOME, assert_err, import_settings, no_progress, now};

use super::csv::{add, count, plan};

pub async fn csv_duplicates_flagged_and_skipped(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    add(h, &ann, food.id, "12.50", "2024-01-05", "Bakery", None).await;
    let text = "date,amount,description,category\n\
                2024-01-05,-12.50, BAKERY ,groceries\n\
                2024-01-05,12.50,Bakery,\n\
                2024-01-06,-3,Coffee,\n\
                2024-01-06,-3.00,coffee,Other\n\
                2024-01-07,-3,Coffee,\n";
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    let flags: Vec<bool> = p.sample.iter().map(|r| r.duplicate).collect();
    assert_eq!(
        flags,
        [true, false, false, true, false],
        "only rows equal to a stored row or an earlier file row (trimmed, ignoring case, same kind) are duplicates"
    );
    assert_eq!(p.duplicates, 2, "the plan counts the flagged rows");
    let s = h
        .finance
        .import_commit(
            &ann,
            None,
            text.as_bytes(),
            &import_settings(),
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (s.imported, s.skipped_duplicates, s.created_categories),
        (3, 2, 0),
        "skipping duplicates imports the other 3"
    );
    assert_eq!(
        count(h, &ann).await,
        4,
        "1 stored before plus the 3 imported"
    );
    // Now every row repeats a stored one; importing anyway keeps them all.
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    assert_eq!(
        p.duplicates, 5,
        "after that import every file row repeats a stored one"
    );
    let s = h
        .finance
        .import_commit(
            &ann,
            None,
            text.as_bytes(),
            &import_settings(),
            &[],
            false,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (s.imported, s.skipped_duplicates),
        (5, 0),
        "without skipping, all 5 are imported again"
    );
    assert_eq!(count(h, &ann).await, 9, "4 before plus 5");
}

/// The duplicate check looks stored rows up by their duplicate key: the key
/// must follow every edit (amount, description, kind through the category),
/// vanish with a delete, and never match another user's rows.
pub async fn csv_duplicates_follow_edits_and_deletes(h: &Harness) {
    use finance_testkit::new_tx;
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let food = h.category(&ann, "Groceries").await;
    let pay = h.category(&ann, "Salary").await;
    let bob_food = h.category(&bob, "Groceries").await;
    let dup = |text: &'static str, user: AuthUser| async move {
        let text = format!("date,amount,description,category\n{text}\n");
        let p = plan(h, &user, &text, &import_settings(), &[]).await;
        p.sample[0].duplicate
    };
    let stored = h
        .finance
        .add_transaction(
            &ann,
            new_tx(food.id, "12.50", "2024-01-05", "Bakery"),
            now(),
        )
        .await
        .unwrap();
    h.finance
        .add_transaction(
            &bob,
            new_tx(bob_food.id, "12.50", "2024-01-05", "Bakery"),
            now(),
        )
        .await
        .unwrap();
    assert!(
        dup("2024-01-05,-12.50,bakery,", ann.clone()).await,
        "stored row not found"
    );

    // Edit amount and description: the old values no longer match, the new ones do,
    // and bob's identical row does not make ann's old values a duplicate.
    h.finance
        .update_transaction(
            &ann,
            stored.id,
            new_tx(food.id, "13", "2024-01-05", "Bread"),
            now(),
        )
        .await
        .unwrap();
    assert!(
        !dup("2024-01-05,-12.50,Bakery,", ann.clone()).await,
        "key not updated on edit, or bob's row matched"
    );
    assert!(
        dup("2024-01-05,-13.00, BREAD ,", ann.clone()).await,
        "edited row not found"
    );
    assert!(
        dup("2024-01-05,-12.50,Bakery,", bob.clone()).await,
        "bob's own row not found"
    );

    // Move it to an income category: the kind is part of the key.
    h.finance
        .update_transaction(
            &ann,
            stored.id,
            new_tx(pay.id, "13", "2024-01-05", "Bread"),
            now(),
        )
        .await
        .unwrap();
    assert!(
        !dup("2024-01-05,-13.00,Bread,", ann.clone()).await,
        "kind change not in the key"
    );
    assert!(
        dup("2024-01-05,13.00,Bread,", ann.clone()).await,
        "income row not found"
    );

    h.finance.delete_transaction(&ann, stored.id).await.unwrap();
    assert!(
        !dup("2024-01-05,13.00,Bread,", ann.clone()).await,
        "deleted row still matches"
    );
}

pub async fn csv_unknown_categories_must_be_mapped(h: &Harness) {
    let ann = h.user("ann").await;
    let other = h.category(&ann, "Other").await;
    let salary = h.category(&ann, "Salary").await;
    let food = h.category(&ann, "Groceries").await;
    // "Other" was deleted: rows without a category bring it back.
    h.finance
        .delete_category(&ann, other.id, None)
        .await
        .unwrap();
    let text = "date,amount,description,category\n\
                2024-01-05,-10,Food,Pets\n\
                2024-01-06,-11,Toy, pets \n\
                2024-01-07,100,Ticket,Lottery\n\
                2024-01-08,-5,Misc,\n\
                2024-01-09,-6,Veg,GROCERIES\n";
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    assert_eq!(
        p.unknown_categories,
        [
            ("Pets".to_string(), EXPENSE),
            ("Lottery".to_string(), INCOME)
        ],
        "each unknown name once (matched trimmed, ignoring case), with the kind of its rows"
    );
    let cats: Vec<&str> = p.sample.iter().map(|r| r.category.as_str()).collect();
    assert_eq!(
        cats,
        ["Pets", "Pets", "Lottery", "Other", "Groceries"],
        "rows keep the file's category names; a blank one falls back to Other; a known one takes the stored spelling"
    );
    assert_err(
        h.finance
            .import_commit(
                &ann,
                None,
                text.as_bytes(),
                &import_settings(),
                &[],
                true,
                now(),
                &no_progress,
            )
            .await,
        "validation",
        Some("categories"),
    );
    let pets = CategoryMapping {
        csv_name: "PETS".into(),
        kind: EXPENSE,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", "Animals").unwrap(),
            kind: EXPENSE,
        },
    };
    // Only one of the two mapped: still refused, nothing written.
    assert_err(
        h.finance
            .import_commit(
                &ann,
                None,
                text.as_bytes(),
                &import_settings(),
                std::slice::from_ref(&pets),
                true,
                now(),
                &no_progress,
            )
            .await,
        "validation",
        Some("categories"),
    );
    // A target of the wrong kind is refused.
    let wrong = CategoryMapping {
        csv_name: "Lottery".into(),
        kind: INCOME,
        target: CategoryTarget::Existing(food.id),
    };
    assert_err(
        h.finance
            .import_plan(
                &ann,
                None,
                text.as_bytes(),
                &import_settings(),
                &[pets.clone(), wrong],
            )
            .await,
        "validation",
        Some("categories"),
    );
    assert_eq!(
        count(h, &ann).await,
        0,
        "refused commits and plans write nothing"
    );
    let lottery = CategoryMapping {
        csv_name: "lottery".into(),
        kind: INCOME,
        target: CategoryTarget::Existing(salary.id),
    };
    let maps = [pets, lottery];
    let p = plan(h, &ann, text, &import_settings(), &maps).await;
    let cats: Vec<&str> = p.sample.iter().map(|r| r.category.as_str()).collect();
    assert_eq!(
        cats,
        ["Animals", "Animals", "Salary", "Other", "Groceries"],
        "mapped names resolve to their targets"
    );
    let s = h
        .finance
        .import_commit(
            &ann,
            None,
            text.as_bytes(),
            &import_settings(),
            &maps,
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (s.imported, s.created_categories),
        (5, 2),
        "5 rows imported; Animals and the deleted Other created"
    );
    let animals = h.category(&ann, "Animals").await;
    let new_other = h.category(&ann, "Other").await;
    assert_eq!(
        (animals.kind, new_other.kind),
        (EXPENSE, EXPENSE),
        "both created categories are expense categories, from their rows"
    );
    assert_eq!(
        h.finance
            .category_usage(&ann, animals.id)
            .await
            .unwrap()
            .transactions,
        2,
        "both Pets rows went to the created Animals"
    );
    assert_eq!(
        h.finance
            .category_usage(&ann, salary.id)
            .await
            .unwrap()
            .transactions,
        1,
        "the Lottery row went to the existing Salary"
    );
    // Mapping does not rename: the CSV names still match no category, so a
    // second plan lists them again; the file's "Other" now exists.
    let p = plan(h, &ann, text, &import_settings(), &[]).await;
    assert_eq!(
        p.unknown_categories.len(),
        2,
        "Pets and Lottery still match no category"
    );
    assert_eq!(
        p.sample[3].category, "Other",
        "blank categories now resolve to the recreated Other"
    );
    assert_eq!(p.duplicates, 5, "every row was just imported");
}
