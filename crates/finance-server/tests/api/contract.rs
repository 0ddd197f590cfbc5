//! Every desktop command (the list in `src-tauri/src/contract.rs`) is either
//! served by a route — named here, and checked to be in the OpenAPI document
//! with the command's name as its `operationId` — or classified desktop-only
//! or pending with a reason. A command in no table, or in two, fails; so does
//! a table entry that is no command. Scans the source, like the core's
//! isolation tables.

use std::collections::BTreeSet;

/// Commands the server serves: (command, "METHOD /path" under /api/v1).
const SERVED: &[(&str, &str)] = &[
    ("register", "POST /auth/register"),
    ("login", "POST /auth/login"),
    ("logout", "POST /auth/logout"),
    ("change_password", "POST /auth/password"),
    ("delete_my_account", "DELETE /me"),
    ("currency_usage", "GET /me/currency-usage"),
    ("change_currency", "PUT /me/currency"),
    ("list_categories", "GET /categories"),
    ("add_category", "POST /categories"),
    ("rename_category", "PATCH /categories/{id}"),
    ("delete_category", "DELETE /categories/{id}"),
    ("category_usage", "GET /categories/{id}/usage"),
    ("list_accounts", "GET /accounts"),
    ("add_account", "POST /accounts"),
    ("update_account", "PUT /accounts/{id}"),
    ("set_account_archived", "PUT /accounts/{id}/archived"),
    ("account_usage", "GET /accounts/{id}/usage"),
    ("remove_account", "DELETE /accounts/{id}"),
    ("list_budgets", "GET /budgets"),
    ("add_budget", "POST /budgets"),
    ("update_budget", "PUT /budgets/{id}"),
    ("delete_budget", "DELETE /budgets/{id}"),
    ("list_transactions", "POST /transactions/search"),
    ("get_transaction", "GET /transactions/{id}"),
    ("add_transaction", "POST /transactions"),
    ("update_transaction", "PUT /transactions/{id}"),
    ("delete_transaction", "DELETE /transactions/{id}"),
    ("get_transfer", "GET /transfers/{id}"),
    ("add_transfer", "POST /transfers"),
    ("update_transfer", "PUT /transfers/{id}"),
    ("delete_transfer", "DELETE /transfers/{id}"),
    ("summary", "GET /reports/summary"),
    ("dashboard", "GET /dashboard"),
    ("report", "GET /reports"),
    ("net_worth_series", "GET /reports/net-worth"),
    ("household", "GET /household"),
    ("invite_member", "POST /household/members"),
    ("set_member_role", "PUT /household/members/{memberId}/role"),
    ("remove_member", "DELETE /household/members/{memberId}"),
    ("accept_invitation", "POST /invitations/{ledgerId}/accept"),
    ("decline_invitation", "POST /invitations/{ledgerId}/decline"),
    ("leave_ledger", "DELETE /ledgers/{ledgerId}/membership"),
    ("import_preview", "POST /imports/preview"),
    ("import_commit", "POST /imports/commit"),
    ("restore_backup", "POST /backup/restore"),
    ("account_register", "GET /accounts/{id}/register"),
    ("set_cleared", "PUT /accounts/{id}/cleared"),
    (
        "reconciliation_rows",
        "GET /accounts/{id}/reconciliation/rows",
    ),
    (
        "reconciliation_preview",
        "POST /accounts/{id}/reconciliation/preview",
    ),
    (
        "finish_reconciliation",
        "POST /accounts/{id}/reconciliation",
    ),
    (
        "convert_to_transfer",
        "POST /transactions/{id}/convert-to-transfer",
    ),
    ("list_schedules", "GET /schedules"),
    ("add_schedule", "POST /schedules"),
    ("update_schedule", "PUT /schedules/{id}"),
    ("set_schedule_paused", "PUT /schedules/{id}/paused"),
    ("delete_schedule", "DELETE /schedules/{id}"),
    ("post_due_schedules", "POST /schedules/post-due"),
    ("upcoming_schedules", "GET /schedules/upcoming"),
    ("post_occurrence_now", "POST /schedules/{id}/post-now"),
    ("skip_occurrence", "POST /schedules/{id}/skip"),
    (
        "schedule_from_transaction",
        "GET /transactions/{id}/schedule-draft",
    ),
    ("account_forecast", "GET /accounts/{id}/forecast"),
    ("transaction_totals", "POST /transactions/totals"),
    ("bulk_set_category", "POST /transactions/bulk/category"),
    ("bulk_move_to_account", "POST /transactions/bulk/account"),
    ("bulk_mark_cleared", "POST /transactions/bulk/cleared"),
    ("bulk_delete", "POST /transactions/bulk/delete"),
    ("undo_bulk_delete", "POST /transactions/bulk/undo-delete"),
    ("list_rules", "GET /rules"),
    ("add_rule", "POST /rules"),
    ("update_rule", "PUT /rules/{id}"),
    ("set_rule_enabled", "PUT /rules/{id}/enabled"),
    ("delete_rule", "DELETE /rules/{id}"),
    ("reorder_rules", "PUT /rules/order"),
    ("suggest_descriptions", "GET /suggestions"),
    ("suggest_for", "GET /suggestions/form"),
    ("rule_from_transaction", "GET /transactions/{id}/rule-draft"),
    ("apply_rules_preview", "POST /rules/apply/preview"),
    ("apply_rules", "POST /rules/apply"),
];

/// Commands that only make sense in the desktop app: (command, why).
const DESKTOP_ONLY: &[(&str, &str)] = &[
    (
        "startup",
        "the app's start-up state (store, keyring, kept session)",
    ),
    (
        "retry_mongo",
        "the desktop chooses its store; the server's is configured",
    ),
    (
        "use_local_store",
        "the desktop chooses its store; the server's is configured",
    ),
    (
        "set_mongodb_uri",
        "store choice in Settings; the server's store is configured",
    ),
    (
        "clear_mongodb_uri",
        "store choice in Settings; the server's store is configured",
    ),
    (
        "check_server",
        "the desktop's choice of a server; a server is one",
    ),
    (
        "set_server",
        "the desktop's choice of a server; a server is one",
    ),
    ("open_config_dir", "opens a folder on the desktop"),
    ("ui_ready", "start-up measurement of the webview"),
    (
        "switch_ledger",
        "the desktop keeps the ledger in hand; a server call names it per request (the Finance-Ledger header)",
    ),
    (
        "export_csv",
        "OS save dialog; the server streams the file (POST /transactions/export)",
    ),
    (
        "import_open",
        "OS open dialog; the server describes an upload (POST /imports/inspect)",
    ),
    (
        "import_open_path",
        "end-to-end builds only: opens a local path",
    ),
    (
        "import_save_rejects",
        "OS save dialog; the server answers the lines as CSV (POST /imports/rejects)",
    ),
    (
        "import_discard",
        "the server keeps no upload (the client sends the file with each step): nothing to discard",
    ),
    (
        "backup_now",
        "OS save dialog; the server streams the file (GET /backup)",
    ),
    (
        "restore_open",
        "OS open dialog; the server's restore takes the file as its body",
    ),
    (
        "auto_backups",
        "the desktop's automatic backups of its embedded store",
    ),
    (
        "run_auto_backup",
        "the desktop's automatic backups of its embedded store",
    ),
    (
        "set_auto_backup_keep",
        "the desktop's automatic backups of its embedded store",
    ),
    (
        "copy_to_mongodb",
        "moves the desktop's store; the server's is configured",
    ),
    (
        "copy_to_this_computer",
        "moves the desktop's store; the server's is configured",
    ),
];

/// Commands whose route is not written yet: (command, what it waits for).
const PENDING: &[(&str, &str)] = &[];

/// The command names in `ipc_commands!` (lines `area::name(`).
fn commands() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../src-tauri/src/contract.rs"
    );
    let text = std::fs::read_to_string(path).expect("read src-tauri/src/contract.rs");
    let start = text
        .find("macro_rules! ipc_commands")
        .expect("the command list");
    let end = start + text[start..].find("(@input)").expect("the end of the list");
    text[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('$'))
        .filter_map(|l| {
            let (area, rest) = l.split_once("::")?;
            let name = rest.split_once('(')?.0;
            let ok =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            (ok(area) && ok(name)).then(|| name.to_string())
        })
        .collect()
}

#[test]
fn every_command_is_served_or_classified() {
    let commands = commands();
    assert!(
        commands.len() >= 80,
        "the scan finds the command list ({} found)",
        commands.len()
    );
    let mut seen = BTreeSet::new();
    for name in SERVED
        .iter()
        .map(|e| e.0)
        .chain(DESKTOP_ONLY.iter().map(|e| e.0))
        .chain(PENDING.iter().map(|e| e.0))
    {
        assert!(seen.insert(name), "{name} is classified twice");
        assert!(
            commands.iter().any(|c| c == name),
            "{name} is classified but is no command"
        );
    }
    let unclassified: Vec<_> = commands
        .iter()
        .filter(|c| !seen.contains(c.as_str()))
        .collect();
    assert!(
        unclassified.is_empty(),
        "commands neither served nor classified (add a route, or a reason in tests/api/contract.rs): {unclassified:?}"
    );
}

#[test]
fn every_served_command_is_its_route_in_the_document() {
    assert!(SERVED.len() >= 9, "the served table is not empty");
    let doc = finance_server::document();
    for (command, route) in SERVED {
        let (method, path) = route.split_once(' ').expect("METHOD /path");
        let op = &doc["paths"][format!("/api/v1{path}")][method.to_lowercase()];
        assert_eq!(
            op["operationId"], *command,
            "{route} is documented as the operation {command}"
        );
    }
}

#[test]
fn every_served_command_has_a_client_call() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../finance-client/src");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("the client's sources") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            text.push_str(&std::fs::read_to_string(&path).expect("readable"));
        }
    }
    assert!(
        text.contains("pub async fn "),
        "the scan reads the client's calls"
    );
    let missing: Vec<_> = SERVED
        .iter()
        .map(|e| e.0)
        .filter(|c| !text.contains(&format!("pub async fn {c}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "served commands the desktop cannot call in server mode (add them to crates/finance-client): {missing:?}"
    );
}
