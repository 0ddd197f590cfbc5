//! The server over real HTTP on loopback, on both stores: each scenario in
//! the modules below is an `async fn(&Srv)` run twice by [`both_stores!`]
//! (`sqlite::name` on a temp folder, `mongo::name` on a fresh database of the
//! MongoDB-wire server at `FINANCE_TEST_MONGODB_URI`, which fails loudly when
//! unset, as the core's contract tests do). Plain tests cover what does not
//! depend on the store (TLS, the OpenAPI document, the contract scan).
//!
//! Invariants: a test talks to the server only over HTTP (reqwest), through
//! the same `ServerConfig` and `AppState::open` the binary uses; each server
//! has its own data folder or database.

mod api {
    pub mod auth;
    pub mod bulk;
    pub mod categories;
    pub mod client;
    pub mod client_files;
    pub mod contract;
    pub mod errors;
    pub mod files;
    pub mod files_out;
    pub mod hardening;
    pub mod harness;
    pub mod households;
    pub mod ledger;
    pub mod logs;
    pub mod openapi;
    pub mod people;
    pub mod register;
    pub mod rules;
    pub mod scale_out;
    pub mod schedules;
    pub mod tls;
}

both_stores! {
    auth::register_login_me_logout,
    auth::change_password_ends_the_other_sessions,
    auth::login_throttling_answers_429_with_retry_after,
    auth::deleting_the_account_ends_its_sessions,
    categories::categories_round_trip,
    client::the_client_round_trips_every_area,
    client_files::the_client_drives_the_file_routes,
    categories::another_users_ids_answer_not_found,
    errors::errors_have_one_shape_and_their_status,
    hardening::security_headers_and_request_ids,
    hardening::cors_is_closed_by_default,
    hardening::bodies_past_the_limit_are_refused,
    ledger::accounts_budgets_and_transactions,
    households::ledgers_roles_and_removal,
    files::fixtures_import_through_the_wizard,
    files::refusals_name_what_is_wrong,
    files::a_viewer_cannot_import_or_back_up,
    files_out::the_export_streams_every_row,
    files_out::a_backup_restores_into_an_empty_ledger,
    register::register_and_reconciliation,
    schedules::schedules_round_trip,
    bulk::bulk_edits_and_undo,
    rules::rules_round_trip,
}
