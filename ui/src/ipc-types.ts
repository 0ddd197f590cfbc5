// Generated from src-tauri/src/ipc.rs and error.rs by `./dev bindings`. Do not edit.
// A test (`bindings_are_fresh`) fails when this file is stale.

export type ErrorCode = "validation" | "not_found" | "conflict" | "unauthorized" | "rate_limited" | "unavailable" | "internal" | "keyring_unavailable";

export type IpcError = { code: ErrorCode, message: string, field: string | null, retryAfterSecs: number | null, };

export type Profile = { id: string, username: string, firstName: string, lastName: string, email: string, currency: string, currencyDigits: number, };

export type StoreInfo = { kind: "sqlite" | "mongodb", location: string, 
/**
 * True when MongoDB is configured but the local store was chosen for now.
 */
fallback: boolean, 
/**
 * Where the installed app reads its `.env`.
 */
configDir: string, };

export type StartupState = { version: string, store: StoreInfo | null, user: Profile | null, mongoError: string | null, keyringError: string | null, };

export type RegisterInput = { username: string, password: string, firstName: string, lastName: string, email: string, currency: string, };

export type LoginInput = { username: string, password: string, };

export type ChangePasswordInput = { currentPassword: string, newPassword: string, };

export type CategoryKind = "income" | "expense";

export type CategoryView = { id: string, name: string, type: CategoryKind, };

export type CategoryInput = { name: string, type: CategoryKind, };

export type RenameCategoryInput = { id: string, name: string, };

export type DeleteCategoryInput = { id: string, moveTo: string | null, };

export type CategoryUsageView = { transactions: number, budgets: number, };

export type Period = "weekly" | "monthly" | "yearly";

export type BudgetState = "ok" | "warning" | "over";

export type BudgetInput = { categoryId: string, limit: string, period: Period, };

export type UpdateBudgetInput = { id: string, categoryId: string, limit: string, period: Period, };

export type BudgetView = { id: string, categoryId: string, categoryName: string, limit: string, period: Period, periodStart: string, periodEnd: string, spent: string, remaining: string, percent: number, state: BudgetState, };

export type TransactionInput = { categoryId: string, amount: string, date: string, description: string, note: string | null, };

export type UpdateTransactionInput = { id: string, categoryId: string, amount: string, date: string, description: string, note: string | null, };

export type TransactionSort = "date_desc" | "date_asc" | "amount_desc" | "amount_asc";

export type TransactionListInput = { from: string | null, to: string | null, categoryIds: Array<string>, type: CategoryKind | null, text: string | null, minAmount: string | null, maxAmount: string | null, sort: TransactionSort | null, limit: number | null, cursor: string | null, };

export type TransactionView = { id: string, categoryId: string, categoryName: string, type: CategoryKind, amount: string, date: string, description: string, note: string | null, createdAt: string, updatedAt: string, };

export type TransactionPage = { items: Array<TransactionView>, nextCursor: string | null, };

export type IdInput = { id: string, };

export type SummaryInput = { from: string, to: string, };

export type SummaryView = { from: string, to: string, income: string, expense: string, net: string, count: number, };

export type Dashboard = { month: SummaryView, budgets: Array<BudgetView>, latest: Array<TransactionView>, };

export type MongoUriInput = { uri: string, };
