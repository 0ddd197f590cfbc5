//! The store contract suite: every scenario runs against both backends.
//!
//! Tests are named `sqlite::<scenario>` and `mongo::<scenario>` so the backend
//! is visible in the output. The MongoDB half needs a real MongoDB-wire server
//! at `FINANCE_TEST_MONGODB_URI` (the test command starts SecantusDB); without
//! it the `mongo::` tests fail loudly rather than skip.
//!
//! * [`support`] — the [`support::Harness`]: a fresh store per test (a temp
//!   file, or a uniquely named MongoDB database that is dropped afterwards),
//!   and helpers to register users and build inputs.
//! * [`scenarios`] — the scenarios, each an `async fn(&Harness)`.

mod scenarios;
mod support;

/// Generate one test per scenario and backend.
macro_rules! contract {
    ($($module:ident :: $name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let h = crate::support::Harness::sqlite().await;
                    crate::scenarios::$module::$name(&h).await;
                    h.finish().await;
                }
            )*
        }
        mod mongo {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let h = crate::support::Harness::mongo(stringify!($name)).await;
                    crate::scenarios::$module::$name(&h).await;
                    h.finish().await;
                }
            )*
        }
    };
}

contract! {
    accounts::register_creates_user_with_default_categories,
    accounts::register_rejects_taken_username_and_email_case_insensitively,
    accounts::register_validation_names_the_field,
    accounts::login_issues_a_token_that_authenticates,
    accounts::unknown_user_and_wrong_password_are_indistinguishable,
    accounts::logout_revokes_the_token_everywhere,
    accounts::expired_and_foreign_tokens_are_refused,
    accounts::throttle_locks_after_five_failures_with_growing_delay,
    accounts::throttle_survives_a_restart,
    accounts::successful_login_clears_failures,
    accounts::change_password_revokes_other_sessions,
    accounts::delete_account_removes_everything_and_its_tokens,
    categories::add_list_and_rename,
    categories::names_are_unique_per_kind_ignoring_case,
    categories::delete_unused_category,
    categories::delete_used_category_requires_a_target,
    categories::delete_moves_transactions_and_budgets_atomically,
    categories::move_target_must_be_same_kind_and_own,
    budgets::budget_crud_and_rules,
    budgets::budget_status_thresholds,
    budgets::budget_periods_at_boundaries,
    transactions::add_get_edit_delete,
    transactions::kind_follows_category_on_edit,
    transactions::filters_combine,
    transactions::pagination_is_stable_with_equal_dates,
    transactions::pagination_by_amount_with_ties,
    transactions::summaries_at_period_boundaries,
    isolation::other_users_ids_are_not_found_and_nothing_changes,
    isolation::lists_and_summaries_see_only_own_rows,
    reports::report_totals_and_month_boundaries,
    reports::report_uses_current_category_names,
    reports::report_of_an_empty_period,
    reports::report_budget_limits_scale_with_the_range,
    csv::csv_round_trip,
    csv::csv_malformed_files_save_nothing,
    csv::csv_duplicates_flagged_and_skipped,
    csv::csv_duplicates_follow_edits_and_deletes,
    csv::csv_unknown_categories_must_be_mapped,
    csv::csv_import_is_atomic,
    idempotency::add_with_a_key_is_applied_once,
    idempotency::concurrent_adds_with_one_key_write_one_row,
    idempotency::import_with_a_key_is_applied_once,
    idempotency::failed_bulk_write_records_no_key,
}

/// Documents written before `dupKey` existed get one when the store is opened,
/// so imports still find them as duplicates (MongoDB only: SQLite keeps no
/// stored key; its duplicate check walks the date index).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_documents_without_a_duplicate_key_get_one_on_open() {
    use mongodb::bson::doc;
    let h = support::Harness::mongo("legacy_dup_keys").await;
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    for (amount, desc) in [("12.50", "Bakery"), ("3", "Coffee")] {
        h.finance
            .add_transaction(
                &ann,
                support::new_tx(food.id, amount, "2024-01-05", desc),
                support::now(),
            )
            .await
            .unwrap();
    }
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    let txs = db.collection::<mongodb::bson::Document>("transactions");
    let unset = txs
        .update_many(doc! {}, doc! { "$unset": { "dupKey": "" } })
        .await
        .unwrap();
    assert_eq!(unset.modified_count, 2, "the store wrote a dupKey on both");

    let reopened = h.restarted().await;
    let missing = txs.count_documents(doc! { "dupKey": null }).await.unwrap();
    assert_eq!(missing, 0, "opening the store gives every document its key");
    let text = "date,amount,description,category\n2024-01-05,-12.50,bakery,\n2024-01-05,-3,COFFEE,\n2024-01-05,-4,Tea,\n";
    let settings = finance_core::csv_io::sniff_csv(text.as_bytes())
        .unwrap()
        .guess;
    let plan = reopened
        .import_plan(&ann, text.as_bytes(), &settings, &[])
        .await
        .unwrap();
    let flags: Vec<bool> = plan.rows.iter().map(|r| r.duplicate).collect();
    assert_eq!(flags, [true, true, false]);
    h.finish().await;
}

/// Timing of a 100,000-row import on SQLite against a raw prepared-INSERT loop
/// in one transaction (run with `--ignored --nocapture`; prints both).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "timing measurement; run on demand"]
async fn sqlite_import_100k_rows_vs_raw_insert_loop() {
    use std::time::Instant;
    let h = support::Harness::sqlite().await;
    let ann = h.user("ann").await;
    let mut text = String::from("date,amount,description,category\n");
    for i in 0..100_000u32 {
        text.push_str(&format!(
            "2023-{:02}-{:02},-{}.{:02},Shop number {},Groceries\n",
            i % 12 + 1,
            i % 28 + 1,
            i % 500 + 1,
            i % 100,
            i
        ));
    }
    let settings = finance_core::csv_io::sniff_csv(text.as_bytes())
        .unwrap()
        .guess;
    let started = Instant::now();
    let s = h
        .finance
        .import_commit(
            &ann,
            text.as_bytes(),
            &settings,
            &[],
            true,
            support::now(),
            &|_, _| {},
        )
        .await
        .unwrap();
    let import = started.elapsed();
    assert_eq!(s.imported, 100_000);

    // The baseline: the same rows through one prepared INSERT in one transaction.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raw.sqlite3");
    let raw_store = finance_core::store::sqlite::SqliteStore::open(&path)
        .await
        .unwrap();
    drop(raw_store);
    let food = h.category(&ann, "Groceries").await;
    let (uid, cid) = (ann.id().to_hex(), food.id.to_hex());
    let raw = tokio::task::spawn_blocking(move || {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let started = Instant::now();
        let tx = conn.transaction().unwrap();
        {
            let mut stmt = tx
                .prepare(
                    "INSERT INTO transactions (id, user_id, category_id, kind, amount, date,
                     description, note, created_at, updated_at, search_text)
                     VALUES (?1, ?2, ?3, 'expense', ?4, ?5, ?6, NULL, 0, 0, ?7)",
                )
                .unwrap();
            for i in 0..100_000u32 {
                let date = format!("2023-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
                let desc = format!("Shop number {i}");
                stmt.execute(rusqlite::params![
                    finance_core::Id::generate().to_hex(),
                    uid,
                    cid,
                    i64::from(i % 500 + 1) * 100 + i64::from(i % 100),
                    date,
                    desc,
                    desc.to_lowercase()
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
        started.elapsed()
    })
    .await
    .unwrap();
    println!(
        "100k rows: import_commit {import:?}, raw prepared INSERT loop {raw:?}, ratio {:.2}",
        import.as_secs_f64() / raw.as_secs_f64()
    );
    h.finish().await;
}
