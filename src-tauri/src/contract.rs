//! The IPC contract, written once: [`ipc_commands!`](crate::ipc_commands) lists
//! every command with its area, input and output types, and every other
//! artefact is produced from that list:
//!
//! * the Tauri handler (`ipc_commands!(handler)`, used by [`handler!`](crate::handler)),
//! * the TypeScript declarations `ui/src/ipc-types.ts` ([`types_module`]): every
//!   type the commands and events reach (ts-rs declarations, found by walking the
//!   types' dependencies), plus `ERROR_CODES` from [`ErrorCode::ALL`],
//! * the typed wrappers `ui/src/api.ts` ([`api_module`]): one function per command
//!   and per event, calling the hand-written `ui/src/ipc-call.ts`.
//!
//! Invariants: a command is registered, declared and callable from the UI exactly
//! when it is in the list; `bindings_are_fresh` (tests/commands.rs) fails when a
//! generated file differs from [`generated_files`]. Why a macro of our own and not
//! tauri-specta: `docs/ipc-contract.md`.

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet};

use ts_rs::{Config, TS, TypeVisitor};

use crate::error::{ApiError, ErrorCode};
use finance_api::types::ImportProgress;

/// Every IPC command, once: `area::name(Input) -> Output;` (no input: `()`),
/// doc comments becoming the wrappers' JSDoc. `area` is the module in
/// `commands/` and `finance_api::types`. Expand with a mode: `handler` (the
/// `tauri::generate_handler!` list) or `specs` (a `Vec<CommandSpec>`).
#[macro_export]
macro_rules! ipc_commands {
    ($mode:ident) => {
        $crate::ipc_commands! { @$mode
            session::startup() -> StartupState;
            /// Try the configured MongoDB store again.
            session::retry_mongo() -> StartupState;
            /// Use the embedded store for this run although MongoDB is configured.
            session::use_local_store() -> StartupState;
            session::register(RegisterInput) -> Profile;
            session::login(LoginInput) -> Profile;
            /// Signs out on this computer; `sessionEnded` is false when the store could not
            /// confirm (the session is ended there when it is next reachable).
            session::logout() -> SignOutOutcome;
            session::change_password(ChangePasswordInput) -> ();
            /// Deletes the account and all its data (password required), then signs out.
            session::delete_my_account(DeleteAccountInput) -> ();
            /// Work in another household ledger (one is a member of) or one's own (`null`)
            /// from the next call on; answers the profile with that ledger and its currency.
            session::switch_ledger(LedgerIdInput) -> Profile;
            /// What holds amounts in the user's currency (it can change only while nothing does).
            session::currency_usage() -> CurrencyUsageView;
            /// Change the currency while no amount is recorded in it; answers the profile.
            session::change_currency(CurrencyInput) -> Profile;
            /// Saves the URI for the next start and signs out (the password is needed while signed in).
            session::set_mongodb_uri(MongoUriInput) -> SignOutOutcome;
            /// Uses the local store from the next start and signs out (the password is needed while signed in).
            session::clear_mongodb_uri(ClearMongoUriInput) -> SignOutOutcome;
            /// What a Finance server says about itself and the certificate it presents
            /// (nothing is trusted or sent but a request for its health).
            session::check_server(ServerUrlInput) -> ServerCheckView;
            /// Use a Finance server from the next start (with the certificate fingerprint the
            /// user confirmed, unless an authority vouches for it); signs out (the password is
            /// needed while signed in).
            session::set_server(ServerChoiceInput) -> SignOutOutcome;
            session::open_config_dir() -> ();
            /// Tell the Rust side the first screen is interactive (for start-up measurements).
            session::ui_ready() -> ();
            /// The ledger in hand with its members, the ledgers one can switch to, one's invitations.
            members::household() -> HouseholdView;
            /// Household writes answer the whole household as it stands after the write.
            members::invite_member(InviteMemberInput) -> HouseholdView;
            members::set_member_role(SetMemberRoleInput) -> HouseholdView;
            members::remove_member(MemberIdInput) -> HouseholdView;
            members::accept_invitation(LedgerIdInput) -> HouseholdView;
            members::decline_invitation(LedgerIdInput) -> HouseholdView;
            /// Leaves a ledger one is a member of (this computer works in one's own again).
            members::leave_ledger(LedgerIdInput) -> HouseholdView;
            /// Every account (archived ones too) with its balance, and the totals.
            accounts::list_accounts() -> AccountsView;
            /// Account writes answer the whole list as it stands after the write.
            accounts::add_account(AccountInput) -> AccountsView;
            accounts::update_account(UpdateAccountInput) -> AccountsView;
            accounts::set_account_archived(ArchiveAccountInput) -> AccountsView;
            accounts::account_usage(IdInput) -> AccountUsageView;
            /// Deletes an account; with `moveTo` its transactions move there first.
            accounts::remove_account(RemoveAccountInput) -> AccountsView;
            categories::list_categories() -> Vec<CategoryView>;
            categories::add_category(CategoryInput) -> CategoryView;
            categories::rename_category(RenameCategoryInput) -> CategoryView;
            categories::category_usage(IdInput) -> CategoryUsageView;
            categories::delete_category(DeleteCategoryInput) -> ();
            /// Each budget's status in its period containing `date` (today when absent).
            budgets::list_budgets(BudgetListInput) -> Vec<BudgetView>;
            budgets::add_budget(BudgetInput) -> BudgetView;
            budgets::update_budget(UpdateBudgetInput) -> BudgetView;
            budgets::delete_budget(IdInput) -> ();
            transactions::list_transactions(TransactionListInput) -> TransactionPage;
            transactions::get_transaction(IdInput) -> TransactionView;
            transactions::add_transaction(TransactionInput) -> TransactionView;
            transactions::update_transaction(UpdateTransactionInput) -> TransactionView;
            /// Deletes and returns the transaction as it was (for undo).
            transactions::delete_transaction(DeleteTransactionInput) -> TransactionView;
            /// One account's rows in date order, each with the account's balance just after it.
            register::account_register(AccountRegisterInput) -> AccountRegisterPage;
            transfers::get_transfer(IdInput) -> TransferView;
            /// Moves money between two of the user's accounts (never income or expense).
            transfers::add_transfer(TransferInput) -> TransferView;
            transfers::update_transfer(UpdateTransferInput) -> TransferView;
            /// Deletes both legs and returns the transfer as it was (for undo).
            transfers::delete_transfer(DeleteTransferInput) -> TransferView;
            /// Replaces an income or expense row (a bank line) by a transfer with another account.
            transfers::convert_to_transfer(ConvertToTransferInput) -> TransferView;
            /// Marks rows of one account cleared or uncleared; answers how many changed.
            transfers::set_cleared(SetClearedInput) -> u32;
            /// The rows the reconcile dialog lists (not reconciled yet, through the statement date).
            transfers::reconciliation_rows(ReconciliationRowsInput) -> ReconciliationRowsView;
            /// The reconcile dialog's live figures.
            transfers::reconciliation_preview(ReconcileInput) -> ReconciliationPreviewView;
            /// Refused (`conflict` on `statementBalance`) unless the difference is zero.
            transfers::finish_reconciliation(ReconcileInput) -> ReconciledView;
            reports::summary(SummaryInput) -> SummaryView;
            /// The month containing `date` (this month when absent); balances are today's.
            reports::dashboard(DashboardInput) -> Dashboard;
            /// With `accountId`, every part counts only that account's rows.
            reports::report(ReportInput) -> ReportView;
            /// Net worth at the end of each month (every account, archived ones too), oldest first.
            reports::net_worth_series(NetWorthSeriesInput) -> Vec<NetWorthMonthView>;
            /// Opens the OS save dialog (from Rust); `path` is null when the person cancelled.
            csv::export_csv(ExportCsvInput) -> ExportCsvResult;
            /// Opens the OS open dialog (from Rust); null when cancelled. The file stays on the Rust side.
            csv::import_open() -> Option<ImportFileView>;
            /// End-to-end builds only: open a file by path (refused by every other build).
            csv::import_open_path(ImportOpenPathInput) -> Option<ImportFileView>;
            csv::import_preview(ImportPreviewInput) -> ImportPreviewView;
            /// Saves the lines the import with these settings leaves out (line, problem, cells) where the user chooses.
            csv::import_save_rejects(ImportPreviewInput) -> ExportCsvResult;
            csv::import_commit(ImportCommitInput) -> ImportSummaryView;
            csv::import_discard(FileIdInput) -> ();
            /// Opens the OS save dialog (from Rust) and writes a backup of everything there;
            /// a passphrase encrypts it and adds the password (a full backup). `path` is null when cancelled.
            backup::backup_now(BackupNowInput) -> BackupResult;
            /// Opens the OS open dialog (from Rust); null when cancelled. The file stays on the Rust side.
            backup::restore_open() -> Option<RestoreFileView>;
            /// Restores the chosen file into the signed-in user, who must hold nothing yet.
            backup::restore_backup(RestoreInput) -> RestoreResult;
            /// The automatic daily backups of the embedded store (newest first).
            backup::auto_backups() -> AutoBackupsView;
            /// After sign-in: writes today's automatic backup (embedded store) unless there is one.
            backup::run_auto_backup() -> AutoBackupsView;
            backup::set_auto_backup_keep(AutoBackupKeepInput) -> AutoBackupsView;
            /// Copies everything to the MongoDB at `uri`, checks the copy, then uses it from the next start (signs out).
            backup::copy_to_mongodb(MongoUriInput) -> SignOutOutcome;
            /// Copies everything from MongoDB to this computer, checks it, then uses it from the next start (signs out).
            backup::copy_to_this_computer(ClearMongoUriInput) -> SignOutOutcome;
            /// Every schedule (recurring transaction) with its next date.
            schedules::list_schedules() -> Vec<ScheduleView>;
            schedules::add_schedule(ScheduleFields) -> ScheduleView;
            schedules::update_schedule(UpdateScheduleInput) -> ScheduleView;
            schedules::set_schedule_paused(PauseScheduleInput) -> ScheduleView;
            schedules::delete_schedule(IdInput) -> ();
            /// Posts every due occurrence once (after sign-in, and when the date rolls over).
            schedules::post_due_schedules() -> PostDueView;
            /// Occurrences not yet handled through today + `days` (30), overdue reminders first.
            schedules::upcoming_schedules(UpcomingInput) -> Vec<OccurrenceView>;
            /// Posts a schedule's next occurrence now (refused for any other one).
            schedules::post_occurrence_now(OccurrenceInput) -> ScheduleView;
            /// Skips a schedule's next occurrence: it is never posted.
            schedules::skip_occurrence(OccurrenceInput) -> ScheduleView;
            /// The schedule form pre-filled from a transaction ("Repeat this…").
            schedules::schedule_from_transaction(IdInput) -> ScheduleFields;
            /// An account's projected balance for each day through today + `days` (90).
            schedules::account_forecast(ForecastInput) -> Vec<ForecastDayView>;
            /// Income, expense, net and count of everything the list's filter shows (sort and page ignored).
            bulk::transaction_totals(TransactionListInput) -> TransactionTotalsView;
            /// Re-categorises the selected rows (all of the category's kind, no transfer) in one write.
            bulk::bulk_set_category(BulkCategoryInput) -> BulkOutcome;
            /// Moves the selected rows (no transfer) to another account in one write.
            bulk::bulk_move_to_account(BulkAccountInput) -> BulkOutcome;
            /// Marks the selected uncleared rows cleared (reconciled ones stay reconciled).
            bulk::bulk_mark_cleared(BulkSelectionInput) -> BulkOutcome;
            /// Deletes the selected rows (both legs of each transfer); `undoToken` undoes it.
            bulk::bulk_delete(BulkDeleteInput) -> BulkDeleted;
            /// Puts back exactly what a bulk delete removed, at most once per idempotency key.
            bulk::undo_bulk_delete(UndoBulkDeleteInput) -> BulkOutcome;
            /// The user's rules in order; rule writes answer the list after the write.
            rules::list_rules() -> Vec<RuleView>;
            rules::add_rule(RuleInput) -> Vec<RuleView>;
            rules::update_rule(UpdateRuleInput) -> Vec<RuleView>;
            rules::set_rule_enabled(SetRuleEnabledInput) -> Vec<RuleView>;
            rules::delete_rule(IdInput) -> Vec<RuleView>;
            /// `ids`: every one of the user's rules once, in the new order.
            rules::reorder_rules(ReorderRulesInput) -> Vec<RuleView>;
            /// The user's most recent row of each description starting with the prefix.
            rules::suggest_descriptions(SuggestInput) -> Vec<LearnedSuggestionView>;
            /// The form's suggestion: the first matching rule, else the user's history.
            rules::suggest_for(SuggestForInput) -> Option<FormSuggestionView>;
            /// A rule form pre-filled from one of the user's transactions.
            rules::rule_from_transaction(IdInput) -> RuleInput;
            /// What applying the rules to the filtered transactions would change (writes nothing).
            rules::apply_rules_preview(ApplyRulesInput) -> RulesApplicationView;
            /// Applies them in one store transaction.
            rules::apply_rules(ApplyRulesInput) -> RulesApplicationView;
        }
    };
    (@input) => { () };
    (@input $input:ty) => { $input };
    (@handler $( $(#[doc = $doc:literal])* $area:ident :: $name:ident ( $($input:ty)? ) -> $output:ty; )*) => {
        ::tauri::generate_handler![ $( $crate::commands::$area::$name ),* ]
    };
    (@specs $( $(#[doc = $doc:literal])* $area:ident :: $name:ident ( $($input:ty)? ) -> $output:ty; )*) => {{
        #[allow(unused_imports)]
        use ::finance_api::types::*;
        ::std::vec![ $(
            $crate::contract::CommandSpec::new::<$crate::ipc_commands!(@input $($input)?), $output>(
                ::std::stringify!($area),
                ::std::stringify!($name),
                &[$($doc),*],
            )
        ),* ]
    }};
}

/// The name of the event [`ImportProgress`] is sent as.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";

/// One type of the contract, kept as functions of its Rust type.
#[derive(Clone, Copy)]
struct TypeRef {
    id: TypeId,
    name: fn(&Config) -> String,
    /// Declare the type and everything it reaches.
    declare: fn(&mut Declarations),
    /// The exported names that appear in its TypeScript name (`Array<X>` → X).
    names: fn(&mut Names),
}

impl TypeRef {
    fn of<T: TS + 'static>() -> TypeRef {
        TypeRef {
            id: TypeId::of::<T>(),
            name: T::name,
            declare: |d| d.visit::<T>(),
            names: |n| n.visit::<T>(),
        }
    }

    fn is_unit(&self) -> bool {
        self.id == TypeId::of::<()>()
    }
}

/// One command of [`ipc_commands!`](crate::ipc_commands).
pub struct CommandSpec {
    /// The module in `commands/` and `finance_api::types`.
    pub area: &'static str,
    /// The command's name (snake_case, as invoked).
    pub name: &'static str,
    docs: &'static [&'static str],
    input: TypeRef,
    output: TypeRef,
}

impl CommandSpec {
    /// A command taking `I` (`()`: no input) and answering `O`.
    pub fn new<I: TS + 'static, O: TS + 'static>(
        area: &'static str,
        name: &'static str,
        docs: &'static [&'static str],
    ) -> CommandSpec {
        CommandSpec {
            area,
            name,
            docs,
            input: TypeRef::of::<I>(),
            output: TypeRef::of::<O>(),
        }
    }

    /// Whether the command takes an `input` argument.
    pub fn takes_input(&self) -> bool {
        !self.input.is_unit()
    }
}

/// One event the app emits to the webview.
pub struct EventSpec {
    /// The event's name.
    pub name: &'static str,
    /// The wrapper's name in `api.ts`.
    pub listener: &'static str,
    docs: &'static str,
    payload: TypeRef,
}

/// Every command, in list order.
pub fn commands() -> Vec<CommandSpec> {
    crate::ipc_commands!(specs)
}

/// Every event.
pub fn events() -> Vec<EventSpec> {
    vec![EventSpec {
        name: IMPORT_PROGRESS_EVENT,
        listener: "onImportProgress",
        docs: "Follow `import-progress` events; resolves to a function that stops listening.",
        payload: TypeRef::of::<ImportProgress>(),
    }]
}

/// Types declared although no command returns them directly.
fn other_types() -> [TypeRef; 1] {
    // Every command rejects with an ApiError (which reaches ErrorCode).
    [TypeRef::of::<ApiError>()]
}

/// Collects the declarations of every exportable type reached, once each,
/// keyed by name so the generated file's order never depends on the order
/// the types happen to be visited in (the staleness test compares bytes).
struct Declarations {
    cfg: Config,
    out: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() {
            // Built-ins and wrappers (Vec, Option): declare what they hold.
            T::visit_generics(self);
            return;
        }
        let name = T::name(&self.cfg);
        if !self.out.contains_key(&name) {
            self.out.insert(name, T::decl(&self.cfg));
            T::visit_dependencies(self);
        }
    }
}

/// Collects the exported type names a type's TypeScript name mentions.
struct Names(BTreeSet<String>, Config);

impl TypeVisitor for Names {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            self.0.insert(T::name(&self.1));
        } else {
            T::visit_generics(self);
        }
    }
}

const HEADER: &str = "// Generated from src-tauri/src/contract.rs by `./dev bindings`. Do not edit.\n\
                      // A test (`bindings_are_fresh`) fails when this file is stale.\n";

/// `ui/src/ipc-types.ts`: every type the contract reaches, and the error codes.
pub fn types_module() -> String {
    let mut d = Declarations {
        cfg: Config::default(),
        out: BTreeMap::new(),
    };
    for c in commands() {
        (c.input.declare)(&mut d);
        (c.output.declare)(&mut d);
    }
    for e in events() {
        (e.payload.declare)(&mut d);
    }
    for t in other_types() {
        (t.declare)(&mut d);
    }
    let mut out = String::from(HEADER);
    for decl in d.out.into_values() {
        out.push_str("\nexport ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    let codes: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| serde_json::to_string(c).unwrap_or_default())
        .collect();
    out.push_str(&format!(
        "\n/** Every ErrorCode, in the order of the Rust enum. */\nexport const ERROR_CODES: readonly ErrorCode[] = [{}];\n",
        codes.join(", ")
    ));
    out
}

fn ts_name(t: &TypeRef, cfg: &Config) -> String {
    if t.is_unit() {
        "void".into()
    } else {
        (t.name)(cfg)
    }
}

/// `snake_case` → `camelCase`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in name.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn jsdoc(out: &mut String, docs: &[&str]) {
    let lines: Vec<&str> = docs.iter().map(|d| d.trim()).collect();
    if !lines.is_empty() {
        out.push_str(&format!("  /** {} */\n", lines.join(" ")));
    }
}

/// `ui/src/api.ts`: one typed wrapper per command and per event.
pub fn api_module() -> String {
    let cfg = Config::default();
    let commands = commands();
    let events = events();
    let mut names = Names(BTreeSet::new(), Config::default());
    for c in &commands {
        (c.input.names)(&mut names);
        (c.output.names)(&mut names);
    }
    for e in &events {
        (e.payload.names)(&mut names);
    }
    let mut out = String::from(HEADER);
    out.push_str(
        "// The hand-written half (error normalisation, the session-ended hook, event listening)\n\
         // is ./ipc-call.ts.\n",
    );
    out.push_str("import type {\n");
    for n in &names.0 {
        out.push_str(&format!("  {n},\n"));
    }
    out.push_str("} from \"./ipc-types\";\n");
    out.push_str("import { call, listenTo } from \"./ipc-call\";\n\n");
    out.push_str("export { onUnauthorized } from \"./ipc-call\";\n\n");
    out.push_str("/** Every IPC command the app registers, in the order of the Rust list. */\n");
    out.push_str("export const COMMANDS = [\n");
    for c in &commands {
        out.push_str(&format!("  \"{}\",\n", c.name));
    }
    out.push_str("] as const;\n\nexport type CommandName = (typeof COMMANDS)[number];\n\n");
    out.push_str("export const api = {\n");
    let mut area = "";
    for c in &commands {
        if c.area != area {
            if !area.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("  // {}\n", c.area));
            area = c.area;
        }
        jsdoc(&mut out, c.docs);
        let output = ts_name(&c.output, &cfg);
        if c.takes_input() {
            out.push_str(&format!(
                "  {}: (input: {}): Promise<{output}> => call(\"{}\", input),\n",
                camel(c.name),
                ts_name(&c.input, &cfg),
                c.name
            ));
        } else {
            out.push_str(&format!(
                "  {}: (): Promise<{output}> => call(\"{}\"),\n",
                camel(c.name),
                c.name
            ));
        }
    }
    out.push_str("\n  // events\n");
    for e in &events {
        jsdoc(&mut out, &[e.docs]);
        let payload = ts_name(&e.payload, &cfg);
        out.push_str(&format!(
            "  {}: (handler: (payload: {payload}) => void): Promise<() => void> => listenTo<{payload}>(\"{}\", handler),\n",
            e.listener, e.name
        ));
    }
    out.push_str("} as const;\n\nexport type Api = typeof api;\n");
    out
}

/// Every generated file (path from the repository root) with the content it must have.
pub fn generated_files() -> Vec<(&'static str, String)> {
    vec![
        ("ui/src/ipc-types.ts", types_module()),
        ("ui/src/api.ts", api_module()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_unique_and_snake_case() {
        let list = commands();
        let names: BTreeSet<&str> = list.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), list.len(), "a command is listed twice");
        for n in names {
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{n}");
        }
    }

    #[test]
    fn camel_case_names() {
        assert_eq!(camel("import_open_path"), "importOpenPath");
        assert_eq!(camel("startup"), "startup");
    }
}
