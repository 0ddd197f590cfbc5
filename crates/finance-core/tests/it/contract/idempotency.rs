//! Idempotency keys on adds and imports: a replay returns the first result and
//! writes nothing; the same key with another request is a conflict; keys are per user.

use finance_core::csv_io::{CategoryMapping, CategoryTarget};
use finance_core::domain::{CategoryName, IdempotencyKey, Transaction};
use finance_core::{AuthUser, Id};

use finance_testkit::{
    EXPENSE, Harness, all_time, assert_err, d, import_settings, new_tx, no_progress, now,
};

fn key(s: &str) -> IdempotencyKey {
    IdempotencyKey::parse("idempotencyKey", s).expect("valid key")
}

async fn count(h: &Harness, user: &AuthUser) -> (u64, i64) {
    let s = h.finance.summary(user, all_time()).await.unwrap();
    (s.count, s.expense + s.income)
}

pub async fn add_with_a_key_is_applied_once(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let food = h.category(&ann, "Groceries").await.id;
    let k = key("0f8fad5b-d9cb-469f-a165-70867728950e");
    let first = h
        .finance
        .add_transaction_with_key(
            &ann,
            new_tx(food, "12.34", "2024-03-01", "Bread"),
            &k,
            now(),
        )
        .await
        .unwrap();
    // The replay (even at another instant) returns the same row and writes nothing.
    let later = now() + chrono::TimeDelta::minutes(5);
    for _ in 0..3 {
        let again = h
            .finance
            .add_transaction_with_key(
                &ann,
                new_tx(food, "12.34", "2024-03-01", "Bread"),
                &k,
                later,
            )
            .await
            .unwrap();
        assert_eq!(again, first, "a replay returns the first result");
    }
    assert_eq!(
        count(h, &ann).await,
        (1, 1234),
        "replays wrote nothing: one row of 12.34"
    );

    // The same key with another request: a typed conflict, nothing written.
    for other in [
        new_tx(food, "12.35", "2024-03-01", "Bread"),
        new_tx(food, "12.34", "2024-03-02", "Bread"),
        new_tx(food, "12.34", "2024-03-01", "Bread!"),
        new_tx(
            h.category(&ann, "Transport").await.id,
            "12.34",
            "2024-03-01",
            "Bread",
        ),
    ] {
        assert_err(
            h.finance
                .add_transaction_with_key(&ann, other, &k, now())
                .await,
            "conflict",
            Some("idempotencyKey"),
        );
    }
    assert_eq!(
        count(h, &ann).await,
        (1, 1234),
        "conflicting requests wrote nothing"
    );

    // Keys are per user: Bob's use of the same key is his own add.
    let bob_food = h.category(&bob, "Groceries").await.id;
    let bobs = h
        .finance
        .add_transaction_with_key(
            &bob,
            new_tx(bob_food, "1.00", "2024-03-01", "Milk"),
            &k,
            now(),
        )
        .await
        .unwrap();
    assert_ne!(
        bobs.id, first.id,
        "bob's add under the same key is a new row"
    );
    assert_eq!(count(h, &bob).await, (1, 100), "bob has his one row");
    assert_eq!(
        count(h, &ann).await,
        (1, 1234),
        "ann's rows are unchanged by bob's add"
    );

    // A failed add records no key: the same key works once the input is fixed.
    let k2 = key("second-key-abcdefgh");
    assert_err(
        h.finance
            .add_transaction_with_key(
                &ann,
                new_tx(Id::generate(), "5", "2024-03-01", "x"),
                &k2,
                now(),
            )
            .await,
        "not_found",
        None,
    );
    assert!(
        h.store
            .idempotency_record(ann.id(), k2.as_str())
            .await
            .unwrap()
            .is_none(),
        "a failed add records no key"
    );
    let fixed = h
        .finance
        .add_transaction_with_key(&ann, new_tx(food, "5", "2024-03-01", "x"), &k2, now())
        .await
        .unwrap();
    assert_eq!(
        count(h, &ann).await,
        (2, 1734),
        "the fixed add is written under the key"
    );

    // A replay after the row was deleted does not bring it back.
    h.finance.delete_transaction(&ann, fixed.id).await.unwrap();
    assert_err(
        h.finance
            .add_transaction_with_key(&ann, new_tx(food, "5", "2024-03-01", "x"), &k2, now())
            .await,
        "not_found",
        None,
    );
    assert_eq!(
        count(h, &ann).await,
        (1, 1234),
        "a replay after the delete does not bring the row back"
    );
}

pub async fn concurrent_adds_with_one_key_write_one_row(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await.id;
    let k = key("race-race-race-race-1");
    let mut calls = Vec::new();
    for _ in 0..8 {
        let f = h.finance.clone();
        let (ann, k) = (ann.clone(), k.clone());
        calls.push(tokio::spawn(async move {
            f.add_transaction_with_key(&ann, new_tx(food, "3.00", "2024-03-01", "Race"), &k, now())
                .await
        }));
    }
    let mut ids: Vec<Transaction> = Vec::new();
    for c in calls {
        ids.push(c.await.unwrap().expect("every racer gets the one row"));
    }
    assert!(ids.iter().all(|t| t.id == ids[0].id), "one row for one key");
    assert_eq!(
        count(h, &ann).await,
        (1, 300),
        "8 concurrent adds with one key wrote one row"
    );
}

pub async fn import_with_a_key_is_applied_once(h: &Harness) {
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let csv = "date,amount,description,category\n\
               2024-03-01,-10.00,Shop,Groceries\n\
               2024-03-02,-2.50,Bus,Pets\n\
               2024-03-03,100.00,Pay,Salary\n";
    let maps = [CategoryMapping {
        csv_name: "pets".into(),
        kind: EXPENSE,
        target: CategoryTarget::Create {
            name: CategoryName::parse("name", "Pets").unwrap(),
            kind: EXPENSE,
        },
    }];
    let k = key("import-key-0000000001");
    let commit = |who: &AuthUser, text: &'static str, skip: bool, k: IdempotencyKey| {
        let f = h.finance.clone();
        let who = who.clone();
        let maps = maps.clone();
        async move {
            f.import_commit_with_key(
                &who,
                None,
                text.as_bytes(),
                &import_settings(),
                &maps,
                skip,
                Some(&k),
                now(),
                &no_progress,
            )
            .await
        }
    };
    let first = commit(&ann, csv, true, k.clone()).await.unwrap();
    assert_eq!(
        (
            first.imported,
            first.skipped_duplicates,
            first.created_categories
        ),
        (3, 0, 1),
        "3 rows imported, Pets created"
    );
    let categories = h.finance.categories(&ann).await.unwrap();
    // Replays return the first summary (not "3 duplicates skipped") and write nothing.
    for _ in 0..2 {
        assert_eq!(
            commit(&ann, csv, true, k.clone()).await.unwrap(),
            first,
            "a replay returns the first summary"
        );
    }
    assert_eq!(
        count(h, &ann).await,
        (3, 1000 + 250 + 10000),
        "replays wrote no rows"
    );
    assert_eq!(
        h.finance.categories(&ann).await.unwrap(),
        categories,
        "replays created no categories"
    );

    // Another request under the same key: conflict, nothing written.
    let other = "date,amount,description,category\n2024-03-05,-1.00,Gum,Groceries\n";
    assert_err(
        commit(&ann, other, true, k.clone()).await,
        "conflict",
        Some("idempotencyKey"),
    );
    assert_err(
        commit(&ann, csv, false, k.clone()).await,
        "conflict",
        Some("idempotencyKey"),
    );
    // A key used by an import cannot be reused by an add either.
    let food = h.category(&ann, "Groceries").await.id;
    assert_err(
        h.finance
            .add_transaction_with_key(&ann, new_tx(food, "1", "2024-03-01", "x"), &k, now())
            .await,
        "conflict",
        Some("idempotencyKey"),
    );
    assert_eq!(
        count(h, &ann).await,
        (3, 11250),
        "conflicting requests under the key wrote nothing"
    );

    // Bob's import under the same key is his own.
    let bobs = commit(&bob, csv, true, k.clone()).await.unwrap();
    assert_eq!(
        bobs, first,
        "bob's import under the same key returns his own summary, equal to ann's"
    );
    assert_eq!(
        count(h, &bob).await,
        (3, 11250),
        "bob's import wrote his 3 rows"
    );

    // A refused import records no key; the corrected file then imports under it.
    let k2 = key("import-key-0000000002");
    let bad = "date,amount,description,category\n2024-03-05,abc,Gum,Groceries\n";
    assert_err(
        commit(&ann, bad, true, k2.clone()).await,
        "validation",
        Some("file"),
    );
    assert!(
        h.store
            .idempotency_record(ann.id(), k2.as_str())
            .await
            .unwrap()
            .is_none(),
        "a refused import records no key"
    );
    let good = commit(&ann, other, true, k2.clone()).await.unwrap();
    assert_eq!(good.imported, 1, "the corrected file imports its one row");
    assert_eq!(
        count(h, &ann).await,
        (4, 11350),
        "ann has the first import's 3 rows plus the corrected one"
    );

    // Deleting the account deletes its keys.
    h.finance
        .delete_account(
            &bob,
            &finance_core::domain::user::Password::for_login(finance_testkit::PASSWORD),
        )
        .await
        .unwrap();
    assert!(
        h.store
            .idempotency_record(bob.id(), k.as_str())
            .await
            .unwrap()
            .is_none(),
        "deleting an account deletes its idempotency keys"
    );
}

pub async fn failed_bulk_write_records_no_key(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let record = finance_core::store::IdempotencyRecord {
        key: "bulk-key-00000000001".into(),
        fingerprint: "f".into(),
        result: "1,0,0".into(),
        created_at: now(),
    };
    let main = h.main_account(&ann).await.id;
    let row = |id: Id| Transaction {
        id,
        user_id: ann.id(),
        account_id: main,
        category_id: Some(food.id),
        kind: EXPENSE.into(),
        amount: finance_core::Amount::parse("amount", "1", finance_core::Currency::EUR)
            .unwrap()
            .into(),
        status: finance_core::domain::TxStatus::Uncleared,
        transfer_id: None,
        bank_id: None,
        date: d("2024-03-01"),
        description: "x".into(),
        note: None,
        created_at: now(),
        updated_at: now(),
    };
    let same = Id::generate();
    let result = h
        .store
        .insert_transactions(
            ann.id(),
            &[],
            &vec![row(same), row(Id::generate()), row(same)],
            &no_progress,
            Some(&record),
        )
        .await;
    assert!(result.is_err(), "{result:?}");
    assert!(
        h.store
            .idempotency_record(ann.id(), &record.key)
            .await
            .unwrap()
            .is_none(),
        "a failed bulk write records no key"
    );
    assert_eq!(
        count(h, &ann).await,
        (0, 0),
        "a failed bulk write writes no row"
    );
    // The key is free; a second write with it is a conflict on the key.
    h.store
        .insert_transactions(
            ann.id(),
            &[],
            &vec![row(Id::generate())],
            &no_progress,
            Some(&record),
        )
        .await
        .unwrap();
    assert_err(
        h.store
            .insert_transactions(
                ann.id(),
                &[],
                &vec![row(Id::generate())],
                &no_progress,
                Some(&record),
            )
            .await,
        "conflict",
        Some("idempotencyKey"),
    );
    assert_eq!(
        count(h, &ann).await,
        (1, 100),
        "only the first write under the key is stored"
    );
    assert_eq!(
        h.store
            .idempotency_record(ann.id(), &record.key)
            .await
            .unwrap(),
        Some(record),
        "the key's record is the one written"
    );
}
