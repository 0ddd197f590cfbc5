// Generated from src-tauri/src/contract.rs by `./dev bindings`. Do not edit.
// A test (`bindings_are_fresh`) fails when this file is stale.
// The hand-written half (error normalisation, the session-ended hook, event listening)
// is ./ipc-call.ts.
import type {
  AccountInput,
  AccountRegisterInput,
  AccountRegisterPage,
  AccountUsageView,
  AccountsView,
  ApplyRulesInput,
  ArchiveAccountInput,
  AutoBackupKeepInput,
  AutoBackupsView,
  BackupNowInput,
  BackupResult,
  BudgetInput,
  BudgetListInput,
  BudgetView,
  BulkAccountInput,
  BulkCategoryInput,
  BulkDeleteInput,
  BulkDeleted,
  BulkOutcome,
  BulkSelectionInput,
  CategoryInput,
  CategoryUsageView,
  CategoryView,
  ChangePasswordInput,
  ClearMongoUriInput,
  ConvertToTransferInput,
  CurrencyInput,
  CurrencyUsageView,
  Dashboard,
  DashboardInput,
  DeleteAccountInput,
  DeleteCategoryInput,
  DeleteTransactionInput,
  DeleteTransferInput,
  ExportCsvInput,
  ExportCsvResult,
  FileIdInput,
  ForecastDayView,
  ForecastInput,
  FormSuggestionView,
  HouseholdView,
  IdInput,
  ImportCommitInput,
  ImportFileView,
  ImportOpenPathInput,
  ImportPreviewInput,
  ImportPreviewView,
  ImportProgress,
  ImportSummaryView,
  InviteMemberInput,
  LearnedSuggestionView,
  LedgerIdInput,
  LoginInput,
  MemberIdInput,
  MongoUriInput,
  NetWorthMonthView,
  NetWorthSeriesInput,
  OccurrenceInput,
  OccurrenceView,
  PauseScheduleInput,
  PostDueView,
  Profile,
  ReconcileInput,
  ReconciledView,
  ReconciliationPreviewView,
  ReconciliationRowsInput,
  ReconciliationRowsView,
  RegisterInput,
  RemoveAccountInput,
  RenameCategoryInput,
  ReorderRulesInput,
  ReportInput,
  ReportView,
  RestoreFileView,
  RestoreInput,
  RestoreResult,
  RuleInput,
  RuleView,
  RulesApplicationView,
  ScheduleFields,
  ScheduleView,
  ServerCheckView,
  ServerChoiceInput,
  ServerUrlInput,
  SetClearedInput,
  SetMemberRoleInput,
  SetRuleEnabledInput,
  SignOutOutcome,
  StartupState,
  SuggestForInput,
  SuggestInput,
  SummaryInput,
  SummaryView,
  TransactionInput,
  TransactionListInput,
  TransactionPage,
  TransactionTotalsView,
  TransactionView,
  TransferInput,
  TransferView,
  UndoBulkDeleteInput,
  UpcomingInput,
  UpdateAccountInput,
  UpdateBudgetInput,
  UpdateRuleInput,
  UpdateScheduleInput,
  UpdateTransactionInput,
  UpdateTransferInput,
} from "./ipc-types";
import { call, listenTo } from "./ipc-call";

export { onUnauthorized } from "./ipc-call";

/** Every IPC command the app registers, in the order of the Rust list. */
export const COMMANDS = [
  "startup",
  "retry_mongo",
  "use_local_store",
  "register",
  "login",
  "logout",
  "change_password",
  "delete_my_account",
  "switch_ledger",
  "currency_usage",
  "change_currency",
  "set_mongodb_uri",
  "clear_mongodb_uri",
  "check_server",
  "set_server",
  "open_config_dir",
  "ui_ready",
  "household",
  "invite_member",
  "set_member_role",
  "remove_member",
  "accept_invitation",
  "decline_invitation",
  "leave_ledger",
  "list_accounts",
  "add_account",
  "update_account",
  "set_account_archived",
  "account_usage",
  "remove_account",
  "list_categories",
  "add_category",
  "rename_category",
  "category_usage",
  "delete_category",
  "list_budgets",
  "add_budget",
  "update_budget",
  "delete_budget",
  "list_transactions",
  "get_transaction",
  "add_transaction",
  "update_transaction",
  "delete_transaction",
  "account_register",
  "get_transfer",
  "add_transfer",
  "update_transfer",
  "delete_transfer",
  "convert_to_transfer",
  "set_cleared",
  "reconciliation_rows",
  "reconciliation_preview",
  "finish_reconciliation",
  "summary",
  "dashboard",
  "report",
  "net_worth_series",
  "export_csv",
  "import_open",
  "import_open_path",
  "import_preview",
  "import_save_rejects",
  "import_commit",
  "import_discard",
  "backup_now",
  "restore_open",
  "restore_backup",
  "auto_backups",
  "run_auto_backup",
  "set_auto_backup_keep",
  "copy_to_mongodb",
  "copy_to_this_computer",
  "list_schedules",
  "add_schedule",
  "update_schedule",
  "set_schedule_paused",
  "delete_schedule",
  "post_due_schedules",
  "upcoming_schedules",
  "post_occurrence_now",
  "skip_occurrence",
  "schedule_from_transaction",
  "account_forecast",
  "transaction_totals",
  "bulk_set_category",
  "bulk_move_to_account",
  "bulk_mark_cleared",
  "bulk_delete",
  "undo_bulk_delete",
  "list_rules",
  "add_rule",
  "update_rule",
  "set_rule_enabled",
  "delete_rule",
  "reorder_rules",
  "suggest_descriptions",
  "suggest_for",
  "rule_from_transaction",
  "apply_rules_preview",
  "apply_rules",
] as const;

export type CommandName = (typeof COMMANDS)[number];

export const api = {
  // session
  startup: (): Promise<StartupState> => call("startup"),
  /** Try the configured MongoDB store again. */
  retryMongo: (): Promise<StartupState> => call("retry_mongo"),
  /** Use the embedded store for this run although MongoDB is configured. */
  useLocalStore: (): Promise<StartupState> => call("use_local_store"),
  register: (input: RegisterInput): Promise<Profile> => call("register", input),
  login: (input: LoginInput): Promise<Profile> => call("login", input),
  /** Signs out on this computer; `sessionEnded` is false when the store could not confirm (the session is ended there when it is next reachable). */
  logout: (): Promise<SignOutOutcome> => call("logout"),
  changePassword: (input: ChangePasswordInput): Promise<void> => call("change_password", input),
  /** Deletes the account and all its data (password required), then signs out. */
  deleteMyAccount: (input: DeleteAccountInput): Promise<void> => call("delete_my_account", input),
  /** Work in another household ledger (one is a member of) or one's own (`null`) from the next call on; answers the profile with that ledger and its currency. */
  switchLedger: (input: LedgerIdInput): Promise<Profile> => call("switch_ledger", input),
  /** What holds amounts in the user's currency (it can change only while nothing does). */
  currencyUsage: (): Promise<CurrencyUsageView> => call("currency_usage"),
  /** Change the currency while no amount is recorded in it; answers the profile. */
  changeCurrency: (input: CurrencyInput): Promise<Profile> => call("change_currency", input),
  /** Saves the URI for the next start and signs out (the password is needed while signed in). */
  setMongodbUri: (input: MongoUriInput): Promise<SignOutOutcome> => call("set_mongodb_uri", input),
  /** Uses the local store from the next start and signs out (the password is needed while signed in). */
  clearMongodbUri: (input: ClearMongoUriInput): Promise<SignOutOutcome> => call("clear_mongodb_uri", input),
  /** What a Finance server says about itself and the certificate it presents (nothing is trusted or sent but a request for its health). */
  checkServer: (input: ServerUrlInput): Promise<ServerCheckView> => call("check_server", input),
  /** Use a Finance server from the next start (with the certificate fingerprint the user confirmed, unless an authority vouches for it); signs out (the password is needed while signed in). */
  setServer: (input: ServerChoiceInput): Promise<SignOutOutcome> => call("set_server", input),
  openConfigDir: (): Promise<void> => call("open_config_dir"),
  /** Tell the Rust side the first screen is interactive (for start-up measurements). */
  uiReady: (): Promise<void> => call("ui_ready"),

  // members
  /** The ledger in hand with its members, the ledgers one can switch to, one's invitations. */
  household: (): Promise<HouseholdView> => call("household"),
  /** Household writes answer the whole household as it stands after the write. */
  inviteMember: (input: InviteMemberInput): Promise<HouseholdView> => call("invite_member", input),
  setMemberRole: (input: SetMemberRoleInput): Promise<HouseholdView> => call("set_member_role", input),
  removeMember: (input: MemberIdInput): Promise<HouseholdView> => call("remove_member", input),
  acceptInvitation: (input: LedgerIdInput): Promise<HouseholdView> => call("accept_invitation", input),
  declineInvitation: (input: LedgerIdInput): Promise<HouseholdView> => call("decline_invitation", input),
  /** Leaves a ledger one is a member of (this computer works in one's own again). */
  leaveLedger: (input: LedgerIdInput): Promise<HouseholdView> => call("leave_ledger", input),

  // accounts
  /** Every account (archived ones too) with its balance, and the totals. */
  listAccounts: (): Promise<AccountsView> => call("list_accounts"),
  /** Account writes answer the whole list as it stands after the write. */
  addAccount: (input: AccountInput): Promise<AccountsView> => call("add_account", input),
  updateAccount: (input: UpdateAccountInput): Promise<AccountsView> => call("update_account", input),
  setAccountArchived: (input: ArchiveAccountInput): Promise<AccountsView> => call("set_account_archived", input),
  accountUsage: (input: IdInput): Promise<AccountUsageView> => call("account_usage", input),
  /** Deletes an account; with `moveTo` its transactions move there first. */
  removeAccount: (input: RemoveAccountInput): Promise<AccountsView> => call("remove_account", input),

  // categories
  listCategories: (): Promise<Array<CategoryView>> => call("list_categories"),
  addCategory: (input: CategoryInput): Promise<CategoryView> => call("add_category", input),
  renameCategory: (input: RenameCategoryInput): Promise<CategoryView> => call("rename_category", input),
  categoryUsage: (input: IdInput): Promise<CategoryUsageView> => call("category_usage", input),
  deleteCategory: (input: DeleteCategoryInput): Promise<void> => call("delete_category", input),

  // budgets
  /** Each budget's status in its period containing `date` (today when absent). */
  listBudgets: (input: BudgetListInput): Promise<Array<BudgetView>> => call("list_budgets", input),
  addBudget: (input: BudgetInput): Promise<BudgetView> => call("add_budget", input),
  updateBudget: (input: UpdateBudgetInput): Promise<BudgetView> => call("update_budget", input),
  deleteBudget: (input: IdInput): Promise<void> => call("delete_budget", input),

  // transactions
  listTransactions: (input: TransactionListInput): Promise<TransactionPage> => call("list_transactions", input),
  getTransaction: (input: IdInput): Promise<TransactionView> => call("get_transaction", input),
  addTransaction: (input: TransactionInput): Promise<TransactionView> => call("add_transaction", input),
  updateTransaction: (input: UpdateTransactionInput): Promise<TransactionView> => call("update_transaction", input),
  /** Deletes and returns the transaction as it was (for undo). */
  deleteTransaction: (input: DeleteTransactionInput): Promise<TransactionView> => call("delete_transaction", input),

  // register
  /** One account's rows in date order, each with the account's balance just after it. */
  accountRegister: (input: AccountRegisterInput): Promise<AccountRegisterPage> => call("account_register", input),

  // transfers
  getTransfer: (input: IdInput): Promise<TransferView> => call("get_transfer", input),
  /** Moves money between two of the user's accounts (never income or expense). */
  addTransfer: (input: TransferInput): Promise<TransferView> => call("add_transfer", input),
  updateTransfer: (input: UpdateTransferInput): Promise<TransferView> => call("update_transfer", input),
  /** Deletes both legs and returns the transfer as it was (for undo). */
  deleteTransfer: (input: DeleteTransferInput): Promise<TransferView> => call("delete_transfer", input),
  /** Replaces an income or expense row (a bank line) by a transfer with another account. */
  convertToTransfer: (input: ConvertToTransferInput): Promise<TransferView> => call("convert_to_transfer", input),
  /** Marks rows of one account cleared or uncleared; answers how many changed. */
  setCleared: (input: SetClearedInput): Promise<number> => call("set_cleared", input),
  /** The rows the reconcile dialog lists (not reconciled yet, through the statement date). */
  reconciliationRows: (input: ReconciliationRowsInput): Promise<ReconciliationRowsView> => call("reconciliation_rows", input),
  /** The reconcile dialog's live figures. */
  reconciliationPreview: (input: ReconcileInput): Promise<ReconciliationPreviewView> => call("reconciliation_preview", input),
  /** Refused (`conflict` on `statementBalance`) unless the difference is zero. */
  finishReconciliation: (input: ReconcileInput): Promise<ReconciledView> => call("finish_reconciliation", input),

  // reports
  summary: (input: SummaryInput): Promise<SummaryView> => call("summary", input),
  /** The month containing `date` (this month when absent); balances are today's. */
  dashboard: (input: DashboardInput): Promise<Dashboard> => call("dashboard", input),
  /** With `accountId`, every part counts only that account's rows. */
  report: (input: ReportInput): Promise<ReportView> => call("report", input),
  /** Net worth at the end of each month (every account, archived ones too), oldest first. */
  netWorthSeries: (input: NetWorthSeriesInput): Promise<Array<NetWorthMonthView>> => call("net_worth_series", input),

  // csv
  /** Opens the OS save dialog (from Rust); `path` is null when the person cancelled. */
  exportCsv: (input: ExportCsvInput): Promise<ExportCsvResult> => call("export_csv", input),
  /** Opens the OS open dialog (from Rust); null when cancelled. The file stays on the Rust side. */
  importOpen: (): Promise<ImportFileView | null> => call("import_open"),
  /** End-to-end builds only: open a file by path (refused by every other build). */
  importOpenPath: (input: ImportOpenPathInput): Promise<ImportFileView | null> => call("import_open_path", input),
  importPreview: (input: ImportPreviewInput): Promise<ImportPreviewView> => call("import_preview", input),
  /** Saves the lines the import with these settings leaves out (line, problem, cells) where the user chooses. */
  importSaveRejects: (input: ImportPreviewInput): Promise<ExportCsvResult> => call("import_save_rejects", input),
  importCommit: (input: ImportCommitInput): Promise<ImportSummaryView> => call("import_commit", input),
  importDiscard: (input: FileIdInput): Promise<void> => call("import_discard", input),

  // backup
  /** Opens the OS save dialog (from Rust) and writes a backup of everything there; a passphrase encrypts it and adds the password (a full backup). `path` is null when cancelled. */
  backupNow: (input: BackupNowInput): Promise<BackupResult> => call("backup_now", input),
  /** Opens the OS open dialog (from Rust); null when cancelled. The file stays on the Rust side. */
  restoreOpen: (): Promise<RestoreFileView | null> => call("restore_open"),
  /** Restores the chosen file into the signed-in user, who must hold nothing yet. */
  restoreBackup: (input: RestoreInput): Promise<RestoreResult> => call("restore_backup", input),
  /** The automatic daily backups of the embedded store (newest first). */
  autoBackups: (): Promise<AutoBackupsView> => call("auto_backups"),
  /** After sign-in: writes today's automatic backup (embedded store) unless there is one. */
  runAutoBackup: (): Promise<AutoBackupsView> => call("run_auto_backup"),
  setAutoBackupKeep: (input: AutoBackupKeepInput): Promise<AutoBackupsView> => call("set_auto_backup_keep", input),
  /** Copies everything to the MongoDB at `uri`, checks the copy, then uses it from the next start (signs out). */
  copyToMongodb: (input: MongoUriInput): Promise<SignOutOutcome> => call("copy_to_mongodb", input),
  /** Copies everything from MongoDB to this computer, checks it, then uses it from the next start (signs out). */
  copyToThisComputer: (input: ClearMongoUriInput): Promise<SignOutOutcome> => call("copy_to_this_computer", input),

  // schedules
  /** Every schedule (recurring transaction) with its next date. */
  listSchedules: (): Promise<Array<ScheduleView>> => call("list_schedules"),
  addSchedule: (input: ScheduleFields): Promise<ScheduleView> => call("add_schedule", input),
  updateSchedule: (input: UpdateScheduleInput): Promise<ScheduleView> => call("update_schedule", input),
  setSchedulePaused: (input: PauseScheduleInput): Promise<ScheduleView> => call("set_schedule_paused", input),
  deleteSchedule: (input: IdInput): Promise<void> => call("delete_schedule", input),
  /** Posts every due occurrence once (after sign-in, and when the date rolls over). */
  postDueSchedules: (): Promise<PostDueView> => call("post_due_schedules"),
  /** Occurrences not yet handled through today + `days` (30), overdue reminders first. */
  upcomingSchedules: (input: UpcomingInput): Promise<Array<OccurrenceView>> => call("upcoming_schedules", input),
  /** Posts a schedule's next occurrence now (refused for any other one). */
  postOccurrenceNow: (input: OccurrenceInput): Promise<ScheduleView> => call("post_occurrence_now", input),
  /** Skips a schedule's next occurrence: it is never posted. */
  skipOccurrence: (input: OccurrenceInput): Promise<ScheduleView> => call("skip_occurrence", input),
  /** The schedule form pre-filled from a transaction ("Repeat this…"). */
  scheduleFromTransaction: (input: IdInput): Promise<ScheduleFields> => call("schedule_from_transaction", input),
  /** An account's projected balance for each day through today + `days` (90). */
  accountForecast: (input: ForecastInput): Promise<Array<ForecastDayView>> => call("account_forecast", input),

  // bulk
  /** Income, expense, net and count of everything the list's filter shows (sort and page ignored). */
  transactionTotals: (input: TransactionListInput): Promise<TransactionTotalsView> => call("transaction_totals", input),
  /** Re-categorises the selected rows (all of the category's kind, no transfer) in one write. */
  bulkSetCategory: (input: BulkCategoryInput): Promise<BulkOutcome> => call("bulk_set_category", input),
  /** Moves the selected rows (no transfer) to another account in one write. */
  bulkMoveToAccount: (input: BulkAccountInput): Promise<BulkOutcome> => call("bulk_move_to_account", input),
  /** Marks the selected uncleared rows cleared (reconciled ones stay reconciled). */
  bulkMarkCleared: (input: BulkSelectionInput): Promise<BulkOutcome> => call("bulk_mark_cleared", input),
  /** Deletes the selected rows (both legs of each transfer); `undoToken` undoes it. */
  bulkDelete: (input: BulkDeleteInput): Promise<BulkDeleted> => call("bulk_delete", input),
  /** Puts back exactly what a bulk delete removed, at most once per idempotency key. */
  undoBulkDelete: (input: UndoBulkDeleteInput): Promise<BulkOutcome> => call("undo_bulk_delete", input),

  // rules
  /** The user's rules in order; rule writes answer the list after the write. */
  listRules: (): Promise<Array<RuleView>> => call("list_rules"),
  addRule: (input: RuleInput): Promise<Array<RuleView>> => call("add_rule", input),
  updateRule: (input: UpdateRuleInput): Promise<Array<RuleView>> => call("update_rule", input),
  setRuleEnabled: (input: SetRuleEnabledInput): Promise<Array<RuleView>> => call("set_rule_enabled", input),
  deleteRule: (input: IdInput): Promise<Array<RuleView>> => call("delete_rule", input),
  /** `ids`: every one of the user's rules once, in the new order. */
  reorderRules: (input: ReorderRulesInput): Promise<Array<RuleView>> => call("reorder_rules", input),
  /** The user's most recent row of each description starting with the prefix. */
  suggestDescriptions: (input: SuggestInput): Promise<Array<LearnedSuggestionView>> => call("suggest_descriptions", input),
  /** The form's suggestion: the first matching rule, else the user's history. */
  suggestFor: (input: SuggestForInput): Promise<FormSuggestionView | null> => call("suggest_for", input),
  /** A rule form pre-filled from one of the user's transactions. */
  ruleFromTransaction: (input: IdInput): Promise<RuleInput> => call("rule_from_transaction", input),
  /** What applying the rules to the filtered transactions would change (writes nothing). */
  applyRulesPreview: (input: ApplyRulesInput): Promise<RulesApplicationView> => call("apply_rules_preview", input),
  /** Applies them in one store transaction. */
  applyRules: (input: ApplyRulesInput): Promise<RulesApplicationView> => call("apply_rules", input),

  // events
  /** Follow `import-progress` events; resolves to a function that stops listening. */
  onImportProgress: (handler: (payload: ImportProgress) => void): Promise<() => void> => listenTo<ImportProgress>("import-progress", handler),
} as const;

export type Api = typeof api;
