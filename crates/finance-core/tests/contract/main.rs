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
}
