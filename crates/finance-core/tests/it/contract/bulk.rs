//! The bulk write reads its rows chunk by chunk ([`ImportRows`]) inside one
//! database transaction.
//!
//! Invariants checked: a failure in a later chunk (the rows' source failing,
//! a missing category, a repeated id) leaves nothing written — no row, no new
//! category, no idempotency key — after earlier chunks went in; a successful
//! write stores every chunk and reports progress up to the total; an import
//! larger than one chunk stores every row once.

use std::sync::Mutex;

use finance_core::domain::{Category, Transaction};
use finance_core::store::{IMPORT_CHUNK_ROWS, IdempotencyRecord, ImportRows, RowChunks};
use finance_core::{Amount, AuthUser, Error, Id};
use finance_testkit::{EXPENSE, Harness, assert_err, import_settings, no_progress, now};

use super::csv::count;

/// Rows handed to the store in the given chunks (each smaller than the
/// store's chunk size), then, with `fail_after`, an error instead of the rest.
struct Chunks {
    chunks: Vec<Vec<Transaction>>,
    fail_after: Option<usize>,
}

impl ImportRows for Chunks {
    fn total(&self) -> u64 {
        self.chunks.iter().map(|c| c.len() as u64).sum()
    }

    fn row_chunks(&self, size: usize) -> RowChunks<'_> {
        assert!(
            self.chunks.iter().all(|c| c.len() <= size),
            "the test's chunks must fit the store's chunk size {size}"
        );
        let good = self.fail_after.unwrap_or(self.chunks.len());
        let failure = self
            .fail_after
            .map(|_| Err(Error::validation("file", "the rows' source failed")));
        Box::new(
            self.chunks[..good]
                .iter()
                .map(|c| Ok(c.clone()))
                .chain(failure),
        )
    }
}

fn row(user: &AuthUser, account: Id, category: Id, id: Id) -> Transaction {
    Transaction {
        id,
        user_id: user.id(),
        account_id: account,
        category_id: Some(category),
        kind: EXPENSE.into(),
        amount: Amount::from_minor("amount", 100).unwrap().into(),
        status: finance_core::domain::TxStatus::Uncleared,
        transfer_id: None,
        bank_id: None,
        date: finance_testkit::d("2024-01-01"),
        description: "Row".into(),
        note: None,
        created_at: now(),
        updated_at: now(),
    }
}

pub async fn bulk_write_failing_in_a_later_chunk_writes_nothing(h: &Harness) {
    let ann = h.user("ann").await;
    let main = h.main_account(&ann).await.id;
    let food = h.category(&ann, "Groceries").await;
    let before = h.finance.categories(&ann).await.unwrap();
    let category = Category {
        id: Id::generate(),
        user_id: ann.id(),
        name: "Brand new".into(),
        kind: EXPENSE,
        created_at: now(),
    };
    let record = IdempotencyRecord {
        key: "bulk-key-1".into(),
        fingerprint: "f".into(),
        result: "0,0,0".into(),
        created_at: now(),
    };
    let first_id = Id::generate();
    let good = |n: usize| -> Vec<Transaction> {
        (0..n)
            .map(|i| {
                let cat = if i == 0 { category.id } else { food.id };
                row(&ann, main, cat, Id::generate())
            })
            .collect()
    };
    let mut first = good(300);
    first[1].id = first_id;
    let second_with = |bad: Transaction| {
        let mut rows = good(50);
        rows.push(bad);
        rows
    };
    let cases: Vec<(&str, Chunks)> = vec![
        (
            "the rows' source failing after the first chunk",
            Chunks {
                chunks: vec![first.clone()],
                fail_after: Some(1),
            },
        ),
        (
            "a missing category in the second chunk",
            Chunks {
                chunks: vec![
                    first.clone(),
                    second_with(row(&ann, main, Id::generate(), Id::generate())),
                ],
                fail_after: None,
            },
        ),
        (
            "a row of the second chunk repeating an id of the first",
            Chunks {
                chunks: vec![
                    first.clone(),
                    second_with(row(&ann, main, food.id, first_id)),
                ],
                fail_after: None,
            },
        ),
        (
            "a row of another user in the third chunk",
            Chunks {
                chunks: vec![first.clone(), good(10), {
                    let mut r = row(&ann, main, food.id, Id::generate());
                    r.user_id = Id::generate();
                    vec![r]
                }],
                fail_after: None,
            },
        ),
    ];
    for (what, rows) in &cases {
        let result = h
            .store
            .insert_transactions(
                ann.id(),
                std::slice::from_ref(&category),
                rows,
                &no_progress,
                Some(&record),
            )
            .await;
        assert!(result.is_err(), "{what} must fail the write: {result:?}");
        assert_eq!(count(h, &ann).await, 0, "{what}: no row is left");
        assert_eq!(
            h.finance.categories(&ann).await.unwrap(),
            before,
            "{what}: no new category is left"
        );
        assert!(
            h.store
                .idempotency_record(ann.id(), &record.key)
                .await
                .unwrap()
                .is_none(),
            "{what}: no idempotency key is left"
        );
    }
    // The same chunks without the failure: all of them, the key once, progress to the total.
    let rows = Chunks {
        chunks: vec![first, good(10), good(1)],
        fail_after: None,
    };
    let seen = Mutex::new(Vec::new());
    let written = h
        .store
        .insert_transactions(
            ann.id(),
            std::slice::from_ref(&category),
            &rows,
            &|done, total| seen.lock().unwrap().push((done, total)),
            Some(&record),
        )
        .await
        .unwrap();
    assert_eq!(written, 311, "every chunk is written");
    assert_eq!(count(h, &ann).await, 311, "every chunk is stored");
    let seen = seen.into_inner().unwrap();
    assert_eq!(
        seen.last(),
        Some(&(311, 311)),
        "the last progress report is the total: {seen:?}"
    );
    assert_err(
        h.store
            .insert_transactions(
                ann.id(),
                &[],
                &Vec::<Transaction>::new(),
                &no_progress,
                Some(&record),
            )
            .await,
        "conflict",
        Some("idempotencyKey"),
    );
}

pub async fn import_of_more_than_one_chunk_stores_every_row_once(h: &Harness) {
    let ann = h.user("ann").await;
    let rows = IMPORT_CHUNK_ROWS + 7;
    let mut text = String::from("date,amount,description,category,note\n");
    for i in 0..rows {
        // Every 1000th row repeats the one before it (a duplicate to skip); one new category.
        let n = if i % 1000 == 999 { i - 1 } else { i };
        let category = if n % 2 == 0 { "Groceries" } else { "Chunked" };
        text.push_str(&format!("2024-01-01,-1.00,Row {n},{category},note {n}\n"));
    }
    let mappings = [finance_core::csv_io::CategoryMapping {
        csv_name: "Chunked".into(),
        kind: EXPENSE,
        target: finance_core::csv_io::CategoryTarget::Create {
            name: finance_core::domain::CategoryName::parse("name", "Chunked").unwrap(),
            kind: EXPENSE,
        },
    }];
    let settings = finance_core::csv_io::ImportSettings {
        note: Some(4),
        ..import_settings()
    };
    let seen = Mutex::new(Vec::new());
    let summary = h
        .finance
        .import_commit(
            &ann,
            None,
            text.as_bytes(),
            &settings,
            &mappings,
            true,
            now(),
            &|done, total| seen.lock().unwrap().push((done, total)),
        )
        .await
        .unwrap();
    let duplicates = (rows / 1000) as u64;
    assert_eq!(
        (
            summary.imported,
            summary.skipped_duplicates,
            summary.created_categories
        ),
        (rows as u64 - duplicates, duplicates, 1),
        "the second read writes exactly what the first pass decided"
    );
    assert_eq!(
        count(h, &ann).await,
        summary.imported,
        "every row stored once, across chunk borders"
    );
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0)
            && seen.last() == Some(&(summary.imported, summary.imported)),
        "progress only grows, up to the total"
    );
    // Importing the same file again finds every row a duplicate of a stored one.
    let again = h
        .finance
        .import_commit(
            &ann,
            None,
            text.as_bytes(),
            &settings,
            &[],
            true,
            now(),
            &no_progress,
        )
        .await
        .unwrap();
    assert_eq!(
        (again.imported, again.skipped_duplicates),
        (0, rows as u64),
        "a re-import skips every row"
    );
}
