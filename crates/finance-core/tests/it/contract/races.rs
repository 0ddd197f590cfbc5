//! Races between deleting a category and the writes that reference it.
//!
//! SQLite serialises writes and its foreign keys refuse a dangling reference;
//! on MongoDB each of these writes and the delete run in transactions that
//! both write the category's document, so the server's write-conflict
//! detection makes one of them lose (it is retried, or answers a clear
//! error). Either way, after any interleaving every transaction and budget
//! points at an existing category and the report answers.

use std::collections::HashSet;
use std::time::Duration;

use finance_core::domain::{
    Category, CategoryName, IdempotencyKey, NewBudget, Period, TransactionFilter, TransactionQuery,
};
use finance_core::{Amount, AuthUser, Currency, Error, Id, Result};
use finance_testkit::{EXPENSE, Harness, all_time, import_settings, new_tx, no_progress, now};

/// Rounds per kind of write (each round races one write with one delete).
const ROUNDS: u32 = 12;

/// The writes raced against a delete of the category they reference.
#[derive(Clone, Copy, Debug)]
enum Write {
    /// An add, without and with an idempotency key.
    Add,
    AddWithKey,
    /// An edit moving an existing transaction into the category.
    Edit,
    /// A budget added on the category, and one moved onto it.
    AddBudget,
    UpdateBudget,
    /// A CSV import whose rows name the category.
    Import,
    /// Deleting another category, moving its rows into this one.
    MoveInto,
}

const WRITES: [Write; 7] = [
    Write::Add,
    Write::AddWithKey,
    Write::Edit,
    Write::AddBudget,
    Write::UpdateBudget,
    Write::Import,
    Write::MoveInto,
];

fn name(s: &str) -> CategoryName {
    CategoryName::parse("name", s).expect("valid test name")
}

async fn category(h: &Harness, user: &AuthUser, label: &str) -> Category {
    h.finance
        .add_category(user, name(label), EXPENSE, now())
        .await
        .expect("add category")
}

/// What an outcome of a raced call may be: done, or a clear refusal —
/// never `Internal`.
fn check(what: &str, write: Write, round: u32, result: &Result<()>) {
    match result {
        Ok(())
        | Err(Error::NotFound { .. })
        | Err(Error::Conflict { .. })
        | Err(Error::Unavailable { .. }) => {}
        // An import that finds the category gone has an unknown category; a
        // move finds its target gone.
        Err(Error::Validation { field, .. }) if field == "categories" || field == "moveTo" => {}
        Err(e) => panic!(
            "{write:?} round {round}: the {what} failed with {e:?}; a race must end in a result or a clear error"
        ),
    }
}

pub async fn category_delete_races_writes_that_reference_it(h: &Harness) {
    let ann = h.user("ann").await;
    let stays = category(h, &ann, "Stays").await;
    let mut deleted = 0;
    // Races where the write and the delete of its category both succeeded.
    let mut both = Vec::new();
    for round in 0..ROUNDS {
        for (w, write) in WRITES.into_iter().enumerate() {
            let doomed = category(h, &ann, &format!("Doomed {round} {w}")).await;
            // What the write needs beside the category, made before the race.
            let moved = h.tx(&ann, stays.id, "2.00", "2024-01-03", "moved").await;
            let other = category(h, &ann, &format!("Other {round} {w}")).await;
            let budget = h.budget(&ann, other.id, "10", Period::Yearly).await;
            h.tx(&ann, other.id, "4.00", "2024-01-04", "other's").await;
            let key = IdempotencyKey::parse("key", &Id::generate().to_hex()).expect("key");
            let csv = format!(
                "date,amount,description,category\n2024-01-05,-3.00,imported,Doomed {round} {w}\n"
            );
            // Vary which side reaches the database first.
            let (write_delay, delete_delay) = match round % 3 {
                0 => (0, 0),
                1 => (0, 1),
                _ => (1, 0),
            };
            let writing = async {
                tokio::time::sleep(Duration::from_millis(write_delay)).await;
                match write {
                    Write::Add => h
                        .finance
                        .add_transaction(
                            &ann,
                            new_tx(doomed.id, "1.00", "2024-01-02", "add"),
                            now(),
                        )
                        .await
                        .map(drop),
                    Write::AddWithKey => h
                        .finance
                        .add_transaction_with_key(
                            &ann,
                            new_tx(doomed.id, "1.00", "2024-01-02", "keyed"),
                            &key,
                            now(),
                        )
                        .await
                        .map(drop),
                    Write::Edit => h
                        .finance
                        .update_transaction(
                            &ann,
                            moved.id,
                            new_tx(doomed.id, "2.00", "2024-01-03", "moved"),
                            now(),
                        )
                        .await
                        .map(drop),
                    Write::AddBudget => h
                        .finance
                        .add_budget(
                            &ann,
                            NewBudget {
                                category_id: doomed.id,
                                limit: Amount::parse("limit", "10", Currency::EUR).unwrap(),
                                period: Period::Monthly,
                            },
                            now(),
                        )
                        .await
                        .map(drop),
                    Write::UpdateBudget => h
                        .finance
                        .update_budget(
                            &ann,
                            budget.id,
                            NewBudget {
                                category_id: doomed.id,
                                limit: budget.limit,
                                period: budget.period,
                            },
                        )
                        .await
                        .map(drop),
                    Write::Import => h
                        .finance
                        .import_commit(
                            &ann,
                            None,
                            csv.as_bytes(),
                            &import_settings(),
                            &[],
                            false,
                            now(),
                            &no_progress,
                        )
                        .await
                        .map(drop),
                    Write::MoveInto => {
                        h.finance
                            .delete_category(&ann, other.id, Some(doomed.id))
                            .await
                    }
                }
            };
            let deleting = async {
                tokio::time::sleep(Duration::from_millis(delete_delay)).await;
                h.finance.delete_category(&ann, doomed.id, None).await
            };
            let (wrote, removed) = tokio::join!(writing, deleting);
            check("write", write, round, &wrote);
            check("delete", write, round, &removed);
            if wrote.is_ok() && removed.is_ok() {
                both.push(format!("{write:?} round {round}"));
            }
            deleted += u32::from(removed.is_ok());
        }
    }
    assert!(
        deleted > 0,
        "no delete won a race: the scenario never tried the dangerous order"
    );
    assert_no_dangling_references(h, &ann).await;
    assert!(
        both.is_empty(),
        "the write and the delete of its category both succeeded in {} races: {both:?}",
        both.len()
    );
}

/// Every transaction and budget of `user` points at one of their categories,
/// and the report and budget statuses over all their data answer.
async fn assert_no_dangling_references(h: &Harness, user: &AuthUser) {
    let categories: HashSet<Id> = h
        .finance
        .categories(user)
        .await
        .expect("categories")
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut query = TransactionQuery::first_page(TransactionFilter::default());
    query.limit = finance_core::domain::transaction::MAX_PAGE_SIZE;
    let mut dangling = Vec::new();
    loop {
        let page = h
            .finance
            .transactions(user, &query)
            .await
            .expect("list transactions");
        dangling.extend(
            page.items
                .iter()
                .filter(|t| t.category_id.is_none_or(|c| !categories.contains(&c)))
                .map(|t| t.description.clone()),
        );
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    let budgets = h.finance.budgets(user).await.expect("budgets");
    let orphans = budgets
        .iter()
        .filter(|b| !categories.contains(&b.category_id))
        .count();
    let report = h.finance.report(user, all_time(), None).await.err();
    let statuses = h
        .finance
        .budget_statuses(user, finance_testkit::d("2024-01-15"))
        .await
        .err();
    assert!(
        dangling.is_empty() && orphans == 0 && report.is_none() && statuses.is_none(),
        "references to deleted categories: {} transactions {dangling:?}, {orphans} budgets; \
         report error {report:?}, budget status error {statuses:?}",
        dangling.len()
    );
}
