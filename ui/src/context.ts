// What screens get from the app: the signed-in session (with its category and account caches),
// navigation and a few app-wide actions.
import type { AccountView, CategoryView, Profile, StartupState } from "./ipc-types";
import { resolveFormats, type FormatChoice, type Formats } from "./lib/formats";
import { moneyFormatter, type MoneyFormatter } from "./lib/money";

export type Route = "dashboard" | "transactions" | "accounts" | "reports" | "categories" | "budgets" | "settings" | "schedules" | "rules";

export const ROUTES: readonly { route: Route; label: string }[] = [
  { route: "dashboard", label: "Dashboard" },
  { route: "transactions", label: "Transactions" },
  { route: "accounts", label: "Accounts" },
  { route: "reports", label: "Reports" },
  { route: "categories", label: "Categories" },
  { route: "budgets", label: "Budgets" },
  { route: "schedules", label: "Schedules" },
  { route: "rules", label: "Rules" },
  { route: "settings", label: "Settings" },
];

export interface Session {
  profile: Profile;
  startup: StartupState;
  /** Locale for dates and words (the webview's), undefined = runtime default. */
  locale: string | undefined;
  /** How numbers look and how amounts and dates are typed (the locale's, or the user's choice in Settings). */
  formats: Formats;
  /** Formats amounts in the user's currency and number format. */
  money: MoneyFormatter;
  /** The signed-in user's categories, fetched once and kept up to date by category writes. */
  categories: CategoryCache;
  /** The signed-in user's accounts (for pickers and names), kept like the categories. */
  accounts: AccountCache;
}

/** A session's formats and money formatter for a format choice (at sign-in, and when Settings change it). */
export function sessionFormats(profile: Pick<Profile, "currency" | "currencyDigits">, choice: FormatChoice, systemLocale: string | undefined): Pick<Session, "formats" | "money"> {
  const formats = resolveFormats(choice, systemLocale);
  return { formats, money: moneyFormatter(profile.currency, profile.currencyDigits, formats.numberLocale) };
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
  /** One account's rows (sorted by date: its register, with running balances). */
  accountId?: string;
}

export interface AppContext {
  session: Session;
  navigate: (route: Route, opts?: NavigateOptions) => void;
  /** Back to the login screen, optionally with a notice. */
  signOut: (notice?: string) => void;
  /** Show the app again for `profile`, after a switch to another household ledger. */
  workIn: (profile: Profile) => void;
}

export interface Screen {
  el: HTMLElement;
  /**
   * Settles when the screen first shows its data (or its error). The shell keeps the previous
   * screen up until then (at most SHOW_WAIT_MS), so a fast answer is laid out and painted once,
   * with its data, instead of once empty and once more filled.
   */
  ready?: Promise<void>;
  dispose?: () => void;
  openNew?: () => void;
  focusSearch?: () => void;
  /** Show these filters (Transactions only). */
  setFilters?: (f: TransactionFilterPreset) => void;
}

export function categoriesOfKind(categories: readonly CategoryView[], kind: CategoryView["type"]): CategoryView[] {
  return categories.filter((c) => c.type === kind).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A list of the signed-in user's records (categories, accounts), shared by every screen of one
 * session.
 *
 * Invariants:
 * - At most one fetch (`list_categories`, `list_accounts`) is in flight; every caller of `get()`
 *   shares it.
 * - The list is fetched once per session, and again only after `invalidate()`: screens never
 *   re-fetch it on render.
 * - Writes keep it current: a screen that adds or renames a category `put`s the returned
 *   `CategoryView`, one that deletes a category `remove`s it; an account write answers the whole
 *   list, which is `set`; anything that may create categories elsewhere (a CSV import) calls
 *   `invalidate()`.
 * - A failed fetch is not kept: the next `get()` tries again.
 * - It lives in the `Session`, so signing out (or in as someone else) starts a new, empty cache.
 *   Writes made elsewhere (another device on the same MongoDB) show after the next sign-in or
 *   write of the same kind here.
 */
export class ListCache<T extends { id: string }> {
  private list: Promise<T[]> | null = null;

  constructor(private readonly fetch: () => Promise<T[]>) {}

  /** The records (a copy the caller may keep), from the cache or one shared fetch. */
  async get(): Promise<T[]> {
    return [...(await (this.list ?? this.keep(this.fetch())))];
  }

  /** After an add or rename: insert the returned record, or replace the one with its id. */
  put(c: T): void {
    this.update((list) => [...list.filter((x) => x.id !== c.id), c]);
  }

  /** After a write or a fetch that answered the whole list: keep it as it is. */
  set(list: readonly T[]): void {
    this.list = Promise.resolve([...list]);
  }

  /** After a delete. */
  remove(id: string): void {
    this.update((list) => list.filter((x) => x.id !== id));
  }

  /** Forget the list; the next `get()` fetches it again. */
  invalidate(): void {
    this.list = null;
  }

  private keep(pending: Promise<T[]>): Promise<T[]> {
    this.list = pending;
    pending.catch(() => {
      if (this.list === pending) this.list = null;
    });
    return pending;
  }

  private update(change: (list: T[]) => T[]): void {
    // Not loaded yet: nothing to change, the first fetch returns the list with the write in it.
    // A fetch in flight is changed when it lands (whether it saw the write or not, the result is
    // the same: `put` replaces by id and `remove` filters by id).
    if (this.list) this.keep(this.list.then(change));
  }
}

/** The signed-in user's categories (`list_categories`). */
export class CategoryCache extends ListCache<CategoryView> {}

/**
 * The signed-in user's accounts, archived ones too (`list_accounts`), for the transaction form's
 * picker and the account names in lists. Their balances are as of the last fetch or account write:
 * screens that show balances (Accounts, Dashboard) fetch them and `set` what they got.
 */
export class AccountCache extends ListCache<AccountView> {}
