// What screens get from the app: the signed-in session, navigation and a few app-wide actions.
import type { CategoryView, Profile, StartupState } from "./ipc-types";
import type { MoneyFormatter } from "./lib/money";

export type Route = "dashboard" | "transactions" | "reports" | "categories" | "budgets" | "settings";

export const ROUTES: readonly { route: Route; label: string }[] = [
  { route: "dashboard", label: "Dashboard" },
  { route: "transactions", label: "Transactions" },
  { route: "reports", label: "Reports" },
  { route: "categories", label: "Categories" },
  { route: "budgets", label: "Budgets" },
  { route: "settings", label: "Settings" },
];

export interface Session {
  profile: Profile;
  startup: StartupState;
  /** Locale for numbers and dates (the webview's), undefined = runtime default. */
  locale: string | undefined;
  money: MoneyFormatter;
}

export interface NavigateOptions {
  /** After rendering, open the new-transaction dialog (Transactions only). */
  openNew?: boolean;
  /** After rendering, focus the search field (Transactions only). */
  focusSearch?: boolean;
  /** Open Transactions with these filters (e.g. from a report: a category and a period). */
  filters?: TransactionFilterPreset;
}

/** Filters another screen can open Transactions with. */
export interface TransactionFilterPreset {
  from?: string;
  to?: string;
  categoryId?: string;
  type?: "income" | "expense";
}

export interface AppContext {
  session: Session;
  navigate: (route: Route, opts?: NavigateOptions) => void;
  /** Back to the login screen, optionally with a notice. */
  signOut: (notice?: string) => void;
}

export interface Screen {
  el: HTMLElement;
  dispose?: () => void;
  openNew?: () => void;
  focusSearch?: () => void;
  /** Show these filters (Transactions only). */
  setFilters?: (f: TransactionFilterPreset) => void;
}

export function categoriesOfKind(categories: readonly CategoryView[], kind: CategoryView["type"]): CategoryView[] {
  return categories.filter((c) => c.type === kind).sort((a, b) => a.name.localeCompare(b.name));
}
