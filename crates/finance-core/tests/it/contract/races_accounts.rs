//! Races between deleting an account and the writes that put transactions
//! into it (as `races` does for categories).
//!
//! SQLite serialises writes and its foreign key refuses a transaction whose
//! account is gone; on MongoDB each write and the delete run in transactions
//! that both write the account's document (`lock_accounts`), so one of them
//! loses and is retried or answers a clear error. After any interleaving,
//! every transaction is in an existing account and the balances add up.

use std::collections::HashSet;
use std::time::Duration;

use finance_core::domain::{TransactionFilter, TransactionQuery};
use finance_core::{Error, Id, Result};
use finance_testkit::{Harness, new_tx_in, now};

/// Rounds per kind of write (each round races one write with one delete).
const ROUNDS: u32 = 8;

#[derive(Clone, Copy, Debug)]
enum Write {
    /// An add into the account.
    Add,
    /// An edit moving an existing transaction into the account.
    Edit,
    /// Deleting another account, moving its transactions into this one.
    MoveInto,
}

fn check(what: &str, write: Write, round: u32, result: &Result<()>) {
    match result {
        Ok(())
        | Err(Error::NotFound { .. })
        | Err(Error::Conflict { .. })
        | Err(Error::Unavailable { .. }) => {}
        Err(Error::Validation { field, .. }) if field == "moveTo" => {}
        Err(e) => panic!(
            "{write:?} round {round}: the {what} failed with {e:?}; a race must end in a result or a clear error"
        ),
    }
}

pub async fn account_delete_races_writes_that_reference_it(h: &Harness) {
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    let main = h.main_account(&ann).await;
    let mut deleted = 0;
    let mut both = Vec::new();
    for round in 0..ROUNDS {
        for (w, write) in [Write::Add, Write::Edit, Write::MoveInto]
            .into_iter()
            .enumerate()
        {
            let doomed = h
                .add_account(&ann, &format!("Doomed {round} {w}"), "cash", "0")
                .await;
            let other = h
                .add_account(&ann, &format!("Other {round} {w}"), "cash", "0")
                .await;
            let moved = h.tx(&ann, food.id, "2.00", "2024-01-03", "moved").await;
            h.finance
                .add_transaction(
                    &ann,
                    new_tx_in(other.id, food.id, "4.00", "2024-01-04", "other's"),
                    now(),
                )
                .await
                .expect("a row in the other account");
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
                            new_tx_in(doomed.id, food.id, "1.00", "2024-01-02", "add"),
                            now(),
                        )
                        .await
                        .map(drop),
                    Write::Edit => h
                        .finance
                        .update_transaction(
                            &ann,
                            moved.id,
                            new_tx_in(doomed.id, food.id, "2.00", "2024-01-03", "moved"),
                            now(),
                        )
                        .await
                        .map(drop),
                    Write::MoveInto => {
                        h.finance
                            .remove_account(&ann, other.id, Some(doomed.id))
                            .await
                    }
                }
            };
            let deleting = async {
                tokio::time::sleep(Duration::from_millis(delete_delay)).await;
                h.finance.remove_account(&ann, doomed.id, None).await
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
    let accounts = h
        .finance
        .account_balances(&ann)
        .await
        .expect("balances answer");
    let ids: HashSet<Id> = accounts.iter().map(|b| b.account.id).collect();
    let mut query = TransactionQuery::first_page(TransactionFilter::default());
    query.limit = finance_core::domain::transaction::MAX_PAGE_SIZE;
    let (mut count, mut dangling) = (0u64, Vec::new());
    loop {
        let page = h.finance.transactions(&ann, &query).await.expect("a page");
        count += page.items.len() as u64;
        dangling.extend(
            page.items
                .iter()
                .filter(|t| !ids.contains(&t.account_id))
                .map(|t| t.description.clone()),
        );
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert!(
        dangling.is_empty(),
        "transactions in deleted accounts: {dangling:?}"
    );
    assert_eq!(
        accounts.iter().map(|b| b.transactions).sum::<u64>(),
        count,
        "the balances count every transaction once"
    );
    assert!(ids.contains(&main.id));
    assert!(
        both.is_empty(),
        "the write and the delete of its account both succeeded in {} races: {both:?}",
        both.len()
    );
}
