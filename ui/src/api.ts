// The ONE module that talks to the Rust side. Every command takes a single argument named `input`
// (except the no-argument ones) and rejects with an IpcError; anything else is normalised to
// { code: "internal" }. An `unauthorized` rejection outside the sign-in forms ends the session in the UI.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type {
  BudgetInput,
  BudgetView,
  CategoryInput,
  CategoryUsageView,
  CategoryView,
  ChangePasswordInput,
  Dashboard,
  DeleteCategoryInput,
  ExportCsvInput,
  ExportCsvResult,
  FileIdInput,
  ImportCommitInput,
  ImportFileView,
  ImportOpenPathInput,
  ImportPreviewInput,
  ImportPreviewView,
  ImportProgress,
  ImportSummaryView,
  IdInput,
  IpcError,
  LoginInput,
  MongoUriInput,
  Profile,
  RegisterInput,
  RenameCategoryInput,
  ReportInput,
  ReportView,
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
import { toIpcError } from "./lib/errors";

/** Commands where `unauthorized` means "wrong credentials", not "session ended". */
const SIGN_IN_COMMANDS: ReadonlySet<string> = new Set(["login", "register", "startup", "retry_mongo", "use_local_store", "logout"]);

type UnauthorizedHandler = (err: IpcError, command: string) => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Register what to do when the session has ended (the app shows the login screen). */
export function onUnauthorized(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

async function call<T>(command: string, input?: unknown): Promise<T> {
  try {
    return input === undefined ? await invoke<T>(command) : await invoke<T>(command, { input });
  } catch (raw) {
    const err = toIpcError(raw);
    if (err.code === "unauthorized" && !SIGN_IN_COMMANDS.has(command) && err.field === null) {
      unauthorizedHandler?.(err, command);
    }
    throw err;
  }
}

export const api = {
  startup: (): Promise<StartupState> => call("startup"),
  retryMongo: (): Promise<StartupState> => call("retry_mongo"),
  useLocalStore: (): Promise<StartupState> => call("use_local_store"),

  register: (input: RegisterInput): Promise<Profile> => call("register", input),
  login: (input: LoginInput): Promise<Profile> => call("login", input),
  logout: (): Promise<void> => call("logout"),
  changePassword: (input: ChangePasswordInput): Promise<void> => call("change_password", input),

  setMongodbUri: (input: MongoUriInput): Promise<void> => call("set_mongodb_uri", input),
  clearMongodbUri: (): Promise<void> => call("clear_mongodb_uri"),
  openConfigDir: (): Promise<void> => call("open_config_dir"),
  /** Tell the Rust side the first screen is interactive (for start-up measurements). */
  uiReady: (): Promise<void> => call("ui_ready"),

  listCategories: (): Promise<CategoryView[]> => call("list_categories"),
  addCategory: (input: CategoryInput): Promise<CategoryView> => call("add_category", input),
  renameCategory: (input: RenameCategoryInput): Promise<CategoryView> => call("rename_category", input),
  categoryUsage: (input: IdInput): Promise<CategoryUsageView> => call("category_usage", input),
  deleteCategory: (input: DeleteCategoryInput): Promise<void> => call("delete_category", input),

  listBudgets: (): Promise<BudgetView[]> => call("list_budgets"),
  addBudget: (input: BudgetInput): Promise<BudgetView> => call("add_budget", input),
  updateBudget: (input: UpdateBudgetInput): Promise<BudgetView> => call("update_budget", input),
  deleteBudget: (input: IdInput): Promise<void> => call("delete_budget", input),

  listTransactions: (input: TransactionListInput): Promise<TransactionPage> => call("list_transactions", input),
  getTransaction: (input: IdInput): Promise<TransactionView> => call("get_transaction", input),
  addTransaction: (input: TransactionInput): Promise<TransactionView> => call("add_transaction", input),
  updateTransaction: (input: UpdateTransactionInput): Promise<TransactionView> => call("update_transaction", input),
  deleteTransaction: (input: IdInput): Promise<TransactionView> => call("delete_transaction", input),

  summary: (input: SummaryInput): Promise<SummaryView> => call("summary", input),
  dashboard: (): Promise<Dashboard> => call("dashboard"),
  report: (input: ReportInput): Promise<ReportView> => call("report", input),

  /** Opens the OS save dialog (from Rust); `path` is null when the person cancelled. */
  exportCsv: (input: ExportCsvInput): Promise<ExportCsvResult> => call("export_csv", input),
  /** Opens the OS open dialog (from Rust); null when cancelled. The file stays on the Rust side. */
  importOpen: (): Promise<ImportFileView | null> => call("import_open"),
  /** End-to-end builds only: open a file by path (refused by every other build). */
  importOpenPath: (input: ImportOpenPathInput): Promise<ImportFileView | null> => call("import_open_path", input),
  importPreview: (input: ImportPreviewInput): Promise<ImportPreviewView> => call("import_preview", input),
  importCommit: (input: ImportCommitInput): Promise<ImportSummaryView> => call("import_commit", input),
  importDiscard: (input: FileIdInput): Promise<void> => call("import_discard", input),
  /** Follow `import-progress` events; resolves to a function that stops listening. */
  onImportProgress: (handler: (p: ImportProgress) => void): Promise<() => void> => listen<ImportProgress>("import-progress", (ev) => handler(ev.payload)),
} as const;

export type Api = typeof api;
