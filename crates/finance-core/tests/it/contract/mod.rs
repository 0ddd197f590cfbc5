//! The store contract: every scenario runs against both stores.
//!
//! [`finance_testkit::both_stores!`] makes each `module::scenario` below two
//! tests, `contract::sqlite::<scenario>` and `contract::mongo::<scenario>`, so
//! the store is visible in the output and a filter picks one store. Each
//! scenario is an `async fn(&Harness)` in its module (users, accounts, categories,
//! budgets, transactions, isolation, reports, csv, csv_accounts, csv_matching, bulk, idempotency,
//! members)
//! and gets a fresh store. Checks that only one store needs (MongoDB's stored duplicate
//! keys) are plain tests here, named after their store.
//!
//! Invariants: a scenario sees only the public `Finance` API and the `Store`
//! contract, never a store's private shapes (except through
//! `Harness::raw_mongo`, for documents a store would never write); the same
//! scenario must pass on both stores unchanged. The MongoDB half needs
//! `FINANCE_TEST_MONGODB_URI` and fails loudly without it.

mod account_deletion;
mod accounts;
mod backup;
mod backup_moves;
mod balances;
mod bank_import;
mod budgets;
mod bulk;
mod bulk_edits;
mod categories;
mod csv;
mod csv_accounts;
mod csv_files;
mod csv_matching;
mod csv_partial;
mod currency;
mod idempotency;
mod isolation;
mod members;
mod races;
mod races_accounts;
mod reports;
mod rules;
mod schedules;
mod totals;
mod transactions;
mod transfers;
mod users;

finance_testkit::both_stores! {
    users::register_creates_user_with_default_categories,
    users::register_rejects_taken_username_and_email_case_insensitively,
    users::register_validation_names_the_field,
    users::login_issues_a_token_that_authenticates,
    users::unknown_user_and_wrong_password_are_indistinguishable,
    users::logout_revokes_the_token_everywhere,
    users::expired_and_foreign_tokens_are_refused,
    users::throttle_locks_after_five_failures_with_growing_delay,
    users::throttle_survives_a_restart,
    users::successful_login_clears_failures,
    users::throttle_ignores_the_callers_clock,
    users::throttle_keeps_no_rows_for_unknown_usernames,
    users::concurrent_guesses_get_only_the_free_attempts,
    users::change_password_is_throttled_like_login,
    users::change_password_revokes_other_sessions,
    users::delete_account_removes_everything_and_its_tokens,
    account_deletion::deleting_an_account_leaves_nothing_of_the_user,
    users::count_users_stops_at_the_limit,
    accounts::registration_gives_a_main_account_and_accounts_are_managed,
    accounts::a_transaction_without_an_account_goes_to_the_default_one,
    accounts::balances_follow_every_kind_of_write,
    accounts::account_deletes_refuse_what_would_lose_data,
    accounts::a_delete_with_a_move_removes_the_transfers_between_the_two,
    accounts::a_delete_with_its_transactions_removes_them_and_its_transfers,
    balances::the_list_filters_by_account_and_refuses_anyone_elses,
    balances::balance_on_a_date_counts_the_opening_from_its_date,
    balances::running_balances_hold_on_every_page_and_across_split_days,
    balances::net_worth_now_and_month_by_month,
    balances::random_writes_keep_every_balance_equal_to_a_recomputation,
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
    transactions::a_page_names_exactly_its_rows_categories,
    transactions::pagination_by_amount_with_ties,
    transactions::summaries_at_period_boundaries,
    isolation::other_users_ids_are_not_found_and_nothing_changes,
    isolation::lists_and_summaries_see_only_own_rows,
    reports::report_totals_and_month_boundaries,
    reports::report_uses_current_category_names,
    reports::report_of_an_empty_period,
    reports::report_budget_limits_scale_with_the_range,
    reports::report_filtered_to_one_account,
    reports::report_of_the_main_account_counts_rows_without_an_account,
    csv::csv_round_trip,
    csv::csv_malformed_files_save_nothing,
    csv::csv_export_neutralises_formulas,
    csv_accounts::csv_import_goes_into_the_chosen_account,
    csv_accounts::csv_account_column_names_the_account_per_row,
    csv_accounts::csv_money_back_in_an_expense_category_is_a_refund,
    csv_accounts::csv_export_round_trips_exactly,
    csv_accounts::csv_transfers_in_an_export_import_as_transfers,
    csv_accounts::csv_previous_versions_export_still_imports,
    csv_matching::csv_duplicates_flagged_and_skipped,
    csv_matching::csv_duplicates_follow_edits_and_deletes,
    csv_matching::csv_unknown_categories_must_be_mapped,
    csv_files::csv_bank_exports_import_as_previewed,
    csv_files::csv_plans_of_hostile_files_stay_small,
    csv::csv_import_is_atomic,
    csv_partial::csv_import_can_skip_rows_with_errors,
    csv_partial::csv_lines_left_out_can_be_saved_to_fix,
    currency::currency_changes_only_while_no_amount_is_recorded,
    bulk::bulk_write_failing_in_a_later_chunk_writes_nothing,
    bulk::import_of_more_than_one_chunk_stores_every_row_once,
    idempotency::add_with_a_key_is_applied_once,
    idempotency::concurrent_adds_with_one_key_write_one_row,
    idempotency::import_with_a_key_is_applied_once,
    idempotency::failed_bulk_write_records_no_key,
    races::category_delete_races_writes_that_reference_it,
    races_accounts::account_delete_races_writes_that_reference_it,
    transfers::transfers_move_balances_but_are_never_income_or_expense,
    transfers::a_bank_line_becomes_a_transfer_and_stays_a_duplicate,
    transfers::a_transfer_with_a_key_is_applied_once,
    transfers::refunds_lower_spending_and_add_to_the_account,
    transfers::reconciliation_finishes_only_at_zero_and_guards_its_rows,
    transfers::balances_equal_a_recomputation_after_random_writes,
    totals::maximal_amounts_add_up_exactly,
    totals::totals_beyond_the_largest_are_a_validation_error,
    schedules::schedules_are_managed_and_scoped_to_their_user,
    schedules::missed_month_ends_and_leap_days_post_once,
    schedules::transfers_reminders_pauses_and_ends,
    schedules::concurrent_clients_post_each_occurrence_once,
    schedules::years_of_missed_days_are_posted_in_bounded_calls,
    rules::rules_keep_their_order_and_the_first_enabled_match_wins,
    rules::another_users_rules_and_references_are_not_found,
    rules::applying_rules_to_existing_rows_is_one_write_and_sums_stay_exact,
    rules::deleting_a_category_or_account_never_leaves_a_rule_naming_it,
    rules::a_bank_file_without_categories_gets_rules_then_learned_then_other,
    rules::suggestions_come_from_the_users_most_recent_rows,
    bulk_edits::filter_totals_count_what_the_filter_shows,
    bulk_edits::bulk_recategorise_keeps_every_sum_exact,
    bulk_edits::bulk_move_clear_delete_and_undo_keep_every_sum_exact,
    bank_import::bank_statement_imported_again_is_all_duplicates,
    bank_import::bank_rows_repeat_rows_typed_in_by_hand,
    bank_import::bank_ids_are_per_user_and_account,
    bank_import::bank_statement_ending_balance_is_compared_after_import,
    bank_import::bank_rows_get_rules_and_other_currencies_are_refused,
    bank_import::bank_ids_are_unique_per_account_in_the_store,
    backup::a_backup_restores_exactly_into_an_empty_user,
    backup::refused_files_write_nothing,
    backup::a_user_with_data_is_refused,
    backup::a_version_1_file_still_restores,
    backup::a_full_fidelity_backup_creates_the_user_again,
    members::members_are_invited_accept_and_are_managed_by_the_owner,
}

/// Documents written before `dupKey` existed get one when the store is opened,
/// so imports still find them as duplicates (MongoDB only: SQLite keeps no
/// stored key; its duplicate check walks the date index).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_documents_without_a_duplicate_key_get_one_on_open() {
    use mongodb::bson::doc;
    let h = finance_testkit::Harness::mongo("legacy_dup_keys").await;
    let ann = h.user("ann").await;
    let food = h.category(&ann, "Groceries").await;
    for (amount, desc) in [("12.50", "Bakery"), ("3", "Coffee")] {
        h.finance
            .add_transaction(
                &ann,
                finance_testkit::new_tx(food.id, amount, "2024-01-05", desc),
                finance_testkit::now(),
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
        .import_plan(&ann, None, text.as_bytes(), &settings, &[])
        .await
        .unwrap();
    let flags: Vec<bool> = plan.sample.iter().map(|r| r.duplicate).collect();
    assert_eq!(
        flags,
        [true, true, false],
        "the two stored rows (case-insensitive) are duplicates, the new one is not"
    );
    h.finish().await;
}

/// Throttle documents of earlier versions (kept for every typed username, with
/// locks from desktops' clocks, and no `lastFailureAt`) are deleted when the
/// store is opened; current ones stay (MongoDB only: SQLite's migration 4 does
/// the same, tested in `store/sqlite/schema.rs`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_throttle_documents_of_earlier_versions_go_on_open() {
    use mongodb::bson::{DateTime, doc};
    let h = finance_testkit::Harness::mongo("legacy_throttle").await;
    h.register("ann").await;
    let _ = h
        .finance
        .login(
            "ann",
            &finance_core::domain::user::Password::for_login("wrong-password"),
            finance_testkit::now(),
        )
        .await;
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    let throttle = db.collection::<mongodb::bson::Document>("loginThrottle");
    throttle
        .insert_many([
            doc! { "_id": "ghost", "failures": 3_i64 },
            doc! { "_id": "nobody", "failures": 12_i64, "lockedUntil": DateTime::from_millis(4_102_444_800_000) },
        ])
        .await
        .unwrap();
    assert_eq!(throttle.count_documents(doc! {}).await.unwrap(), 3);

    let _reopened = h.restarted().await;
    let left: Vec<String> = throttle
        .distinct("_id", doc! {})
        .await
        .unwrap()
        .into_iter()
        .filter_map(|id| id.as_str().map(String::from))
        .collect();
    assert_eq!(
        left,
        ["ann"],
        "opening the store keeps the current document and drops the earlier versions' ones"
    );
    h.finish().await;
}

/// Data from before accounts (no `accounts` documents, transactions without
/// `accountId`) is migrated when the store is opened: each user gets "Main
/// account" (id = the user's id) holding all their transactions; a migration
/// interrupted half-way (some rows still without `accountId`) is finished by
/// the next open; opening again changes nothing (MongoDB only: SQLite's
/// migration 5 is tested in `store/sqlite/schema.rs` and `tests/it/migration`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mongo_data_from_before_accounts_is_migrated_on_open() {
    use mongodb::bson::{Document, doc};
    let h = finance_testkit::Harness::mongo("legacy_accounts").await;
    let ann = h.user("ann").await;
    let bob = h.user("bob").await;
    let food = h.category(&ann, "Groceries").await;
    let bob_food = h.category(&bob, "Groceries").await;
    for (amount, day) in [
        ("12.50", "2024-01-05"),
        ("3", "2024-01-06"),
        ("7", "2024-02-01"),
    ] {
        h.tx(&ann, food.id, amount, day, "Bakery").await;
    }
    h.tx(&bob, bob_food.id, "9", "2024-01-05", "Bakery").await;
    let db = h.raw_mongo().await.expect("a MongoDB harness");
    let accounts = db.collection::<Document>("accounts");
    let txs = db.collection::<Document>("transactions");
    let legacy = || async {
        accounts.delete_many(doc! {}).await.unwrap();
        txs.update_many(
            doc! {},
            doc! { "$unset": { "accountId": "", "status": "" } },
        )
        .await
        .unwrap();
    };
    let check = |finance: finance_core::Finance| {
        let (ann, bob) = (ann.clone(), bob.clone());
        async move {
            for (user, count, balance) in [(&ann, 3, -2250), (&bob, 1, -900)] {
                let listed = finance.account_balances(user).await.unwrap();
                assert_eq!(listed.len(), 1, "one account per user: {listed:?}");
                let main = &listed[0];
                assert_eq!(
                    main.account.id,
                    user.id(),
                    "the migrated account has the user's id"
                );
                assert_eq!(main.account.name, finance_core::domain::MAIN_ACCOUNT_NAME);
                assert_eq!(
                    (main.balance, main.transactions),
                    (balance, count),
                    "every transaction is in it and its balance is the signed sum"
                );
            }
        }
    };
    legacy().await;
    check(h.restarted().await).await;
    assert_eq!(
        txs.count_documents(doc! { "accountId": null })
            .await
            .unwrap(),
        0,
        "no transaction is left without an account"
    );
    // Interrupted half-way: the accounts exist, some rows have no accountId yet.
    txs.update_many(
        doc! { "amount": { "$gte": 700_i64 } },
        doc! { "$unset": { "accountId": "" } },
    )
    .await
    .unwrap();
    check(h.restarted().await).await;
    check(h.restarted().await).await;
    assert_eq!(
        accounts.count_documents(doc! {}).await.unwrap(),
        2,
        "opening again adds nothing"
    );
    h.finish().await;
}
