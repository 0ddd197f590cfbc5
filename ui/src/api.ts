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
  ArchiveAccountInput,
  BudgetInput,
  BulkAccountInput,
  BulkCategoryInput,
  BulkDeleteInput,
  BulkDeleted,
  BulkOutcome,
  BulkSelectionInput,
  TransactionTotalsView,
  UndoBulkDeleteInput,
  BudgetView,
  CategoryInput,
  CategoryUsageView,
  CategoryView,
  ChangePasswordInput,
  ClearMongoUriInput,
  ConvertToTransferInput,
  Dashboard,
  DeleteCategoryInput,
  DeleteTransactionInput,
  DeleteTransferInput,
  ExportCsvInput,
  ExportCsvResult,
  FileIdInput,
  IdInput,
  ImportCommitInput,
  ImportFileView,
  ImportOpenPathInput,
  ImportPreviewInput,
  ImportPreviewView,
  ImportProgress,
  ImportSummaryView,
  LoginInput,
  MongoUriInput,
  NetWorthMonthView,
  NetWorthSeriesInput,
  Profile,
  ReconcileInput,
  ReconciledView,
  ReconciliationPreviewView,
  ReconciliationRowsInput,
  ReconciliationRowsView,
  RegisterInput,
  RemoveAccountInput,
  RenameCategoryInput,
  ReportInput,
  ReportView,
  SetClearedInput,
  SignOutOutcome,
  StartupState,
  SummaryInput,
  SummaryView,
  TransactionInput,
  TransactionListInput,
  TransactionPage,
  TransactionView,
  TransferInput,
  TransferView,
  UpdateAccountInput,
  UpdateBudgetInput,
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
  "set_mongodb_uri",
  "clear_mongodb_uri",
  "open_config_dir",
  "ui_ready",
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
  "import_commit",
  "import_discard",
  "transaction_totals",
  "bulk_set_category",
  "bulk_move_to_account",
  "bulk_mark_cleared",
  "bulk_delete",
  "undo_bulk_delete",
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
  /** Saves the URI for the next start and signs out (the password is needed while signed in). */
  setMongodbUri: (input: MongoUriInput): Promise<SignOutOutcome> => call("set_mongodb_uri", input),
  /** Uses the local store from the next start and signs out (the password is needed while signed in). */
  clearMongodbUri: (input: ClearMongoUriInput): Promise<SignOutOutcome> => call("clear_mongodb_uri", input),
  openConfigDir: (): Promise<void> => call("open_config_dir"),
  /** Tell the Rust side the first screen is interactive (for start-up measurements). */
  uiReady: (): Promise<void> => call("ui_ready"),

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
  listBudgets: (): Promise<Array<BudgetView>> => call("list_budgets"),
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
  dashboard: (): Promise<Dashboard> => call("dashboard"),
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
  importCommit: (input: ImportCommitInput): Promise<ImportSummaryView> => call("import_commit", input),
  importDiscard: (input: FileIdInput): Promise<void> => call("import_discard", input),

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

  // events
  /** Follow `import-progress` events; resolves to a function that stops listening. */
  onImportProgress: (handler: (payload: ImportProgress) => void): Promise<() => void> => listenTo<ImportProgress>("import-progress", handler),
} as const;

export type Api = typeof api;
