//! Moving a user between stores (`Finance::copy_user_to`): SQLite → MongoDB
//! and back, everything equal and signed in with the same password; a copy
//! that fails leaves no half-copy on the target and the source untouched.
//! Plus the round-trip property: random data → backup → restore into a user
//! of another store → every record equal (SQLite, modest case count).

use std::io::Cursor;

use finance_testkit::{Harness, assert_err, login, new_tx_in, now};
use proptest::prelude::*;

use super::backup::{BANK_ROWS, ann_with_everything, snapshot};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_copy_from_sqlite_to_mongodb_and_back() {
    let local = Harness::sqlite().await;
    let ann = ann_with_everything(&local).await;
    let before = snapshot(&local.finance, &ann).await;
    let scratch = tempfile::tempdir().unwrap();

    let remote = Harness::mongo("copy_there_and_back").await;
    let (copy, summary) = local
        .finance
        .copy_user_to(&ann, &remote.finance, scratch.path(), now())
        .await
        .expect("copy to MongoDB");
    assert_eq!(copy.username, "ann");
    assert_eq!(summary.transactions, 6 + BANK_ROWS);
    let (_, ann_remote) = login(&remote.finance, "ann").await;
    assert_eq!(
        snapshot(&remote.finance, &ann_remote).await,
        before,
        "MongoDB holds everything, and ann signs in there with her password"
    );
    assert_eq!(
        snapshot(&local.finance, &ann).await,
        before,
        "the source is only read"
    );
    assert_eq!(
        std::fs::read_dir(scratch.path()).unwrap().count(),
        0,
        "the scratch file is gone"
    );

    // And back, to a new computer.
    let other = Harness::sqlite().await;
    remote
        .finance
        .copy_user_to(&ann_remote, &other.finance, scratch.path(), now())
        .await
        .expect("copy back to SQLite");
    let (_, ann_back) = login(&other.finance, "ann").await;
    assert_eq!(snapshot(&other.finance, &ann_back).await, before);
    remote.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_a_failed_copy_leaves_no_half_copy() {
    use mongodb::bson::doc;
    let local = Harness::sqlite().await;
    let ann = ann_with_everything(&local).await;
    let before = snapshot(&local.finance, &ann).await;
    let scratch = tempfile::tempdir().unwrap();
    let remote = Harness::mongo("copy_fails").await;

    // Taken username: refused before anything is written.
    remote.register("ann").await;
    let taken = local
        .finance
        .copy_user_to(&ann, &remote.finance, scratch.path(), now())
        .await
        .unwrap_err();
    assert!(
        matches!(taken.field(), Some("username" | "email")),
        "a taken username is a conflict naming it: {taken:?}"
    );

    // Records of the same ids already on the target (an earlier copy whose
    // user document alone was removed): the copy fails while writing, and
    // the user it made is deleted again.
    let db = remote.raw_mongo().await.unwrap();
    db.collection::<mongodb::bson::Document>("users")
        .delete_many(doc! {})
        .await
        .unwrap();
    db.collection::<mongodb::bson::Document>("accounts")
        .delete_many(doc! {})
        .await
        .unwrap();
    let orphan_main = before
        .accounts
        .iter()
        .find(|a| a.name == "Card")
        .unwrap()
        .id;
    db.collection::<mongodb::bson::Document>("accounts")
        .insert_one(doc! {
            "_id": mongodb::bson::oid::ObjectId::from_bytes(orphan_main.bytes()),
            "userId": mongodb::bson::oid::ObjectId::new(),
            "name": "Leftover", "nameKey": "leftover", "kind": "checking", "currency": "EUR",
            "openingBalance": 0_i64, "openingDate": mongodb::bson::DateTime::now(),
            "archived": false, "position": 0, "createdAt": mongodb::bson::DateTime::now(),
        })
        .await
        .unwrap();
    assert_err(
        local
            .finance
            .copy_user_to(&ann, &remote.finance, scratch.path(), now())
            .await,
        "conflict",
        Some("file"),
    );
    assert!(
        remote
            .store
            .user_by_username("ann")
            .await
            .unwrap()
            .is_none(),
        "no half-copied user stays on the target"
    );
    let left = db
        .collection::<mongodb::bson::Document>("transactions")
        .count_documents(doc! {})
        .await
        .unwrap();
    assert_eq!(left, 0, "none of the copy's rows stay on the target");
    assert_eq!(
        snapshot(&local.finance, &ann).await,
        before,
        "the source is untouched"
    );
    remote.finish().await;
}

/// Writes `tests/fixtures/backup/v1.financebackup` (run once, by hand, when
/// format 1 was current: `cargo test -p finance-core --test it --
/// --ignored write_the_v1_backup_fixture`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes the committed fixture"]
async fn write_the_v1_backup_fixture() {
    let h = Harness::sqlite().await;
    let ann = ann_with_everything(&h).await;
    let (file, _) = h
        .finance
        .backup_to(&ann, Cursor::new(Vec::new()), None, now())
        .await
        .unwrap();
    let path = std::path::Path::new(super::backup::V1_FIXTURE);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, file.into_inner()).unwrap();
}

/// One generated row: account 0–2, income or expense category, signed
/// cents, a day in 2020–2027, a description.
fn rows() -> impl Strategy<Value = Vec<(usize, bool, i64, u32, String)>> {
    proptest::collection::vec(
        (
            0usize..3,
            any::<bool>(),
            1i64..2_000_000,
            0u32..2900,
            "[a-zA-Z][a-zA-Z0-9 äöüé€🥐,.'\"-]{0,29}",
        ),
        0..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn random_data_round_trips_through_a_backup(rows in rows(), refunds in any::<u8>()) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let h = Harness::sqlite().await;
            let ann = h.user("ann").await;
            let accounts = [
                h.main_account(&ann).await.id,
                h.add_account(&ann, "Savings", "savings", "12.34").await.id,
                h.add_account(&ann, "Card", "credit_card", "-99").await.id,
            ];
            let income = h.category(&ann, "Salary").await.id;
            let expense = h.category(&ann, "Groceries").await.id;
            let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
            for (i, (account, is_income, cents, day, desc)) in rows.iter().enumerate() {
                // Some expenses are refunds (negative).
                let negative = !is_income && (refunds >> (i % 8)) & 1 == 1;
                let minor = if negative { -cents } else { *cents };
                let amount = format!(
                    "{}{}.{:02}",
                    if minor < 0 { "-" } else { "" },
                    minor.abs() / 100,
                    minor.abs() % 100
                );
                let date = (start + chrono::Days::new(u64::from(*day))).to_string();
                let cat = if *is_income { income } else { expense };
                h.finance
                    .add_transaction(&ann, new_tx_in(accounts[*account], cat, &amount, &date, desc.trim()), now())
                    .await
                    .unwrap();
            }
            let before = snapshot(&h.finance, &ann).await;
            let (file, _) = h
                .finance
                .backup_to(&ann, Cursor::new(Vec::new()), None, now())
                .await
                .unwrap();
            let other = Harness::sqlite().await;
            let bob = other.user("bob").await;
            other
                .finance
                .restore_from(&bob, Cursor::new(file.into_inner()), None)
                .await
                .unwrap();
            let after = snapshot(&other.finance, &bob).await;
            assert_eq!(after, before, "every record comes back equal");
        });
    }
}
