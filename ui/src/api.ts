// Generated from src-tauri/src/contract.rs by `./dev bindings`. Do not edit.
// A test (`bindings_are_fresh`) fails when this file is stale.
// The hand-written half (error normalisation, the session-ended hook, event listening)
// is ./ipc-call.ts.
import type {
  AccountChoiceView,
  BudgetInput,
  BudgetView,
  CategoryInput,
  CategoryUsageView,
  CategoryView,
  ChangePasswordInput,
  ClearMongoUriInput,
  Dashboard,
  DeleteCategoryInput,
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
  Profile,
  RegisterInput,
  RenameCategoryInput,
  ReportInput,
  ReportView,
  SignOutOutcome,
  StartupState,
  SummaryInput,
  SummaryView,
  TransactionInput,
  TransactionListInput,
  TransactionPage,
  TransactionView,
  UpdateBudgetInput,
  UpdateTransactionInput,
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
  "summary",
  "dashboard",
  "report",
  "export_csv",
  "import_open",
  "import_open_path",
  "import_preview",
  "import_commit",
  "import_discard",
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
  /** The user's accounts (archived ones marked), for the import wizard's picker. */
  listAccounts: (): Promise<Array<AccountChoiceView>> => call("list_accounts"),

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
  deleteTransaction: (input: IdInput): Promise<TransactionView> => call("delete_transaction", input),

  // reports
  summary: (input: SummaryInput): Promise<SummaryView> => call("summary", input),
  dashboard: (): Promise<Dashboard> => call("dashboard"),
  report: (input: ReportInput): Promise<ReportView> => call("report", input),

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

  // events
  /** Follow `import-progress` events; resolves to a function that stops listening. */
  onImportProgress: (handler: (payload: ImportProgress) => void): Promise<() => void> => listenTo<ImportProgress>("import-progress", handler),
} as const;

export type Api = typeof api;
