// A stand-in for the Rust side, for `npm run dev:mock` (a plain browser, no Tauri) and the UI's
// integration tests (src/app.test.ts). In the style of Tauri's `mockIPC` it is a table of one
// handler per command, `(input) => response`, answering with canned values shaped by the IPC
// contract (ipc-types.ts). It is never part of a production build (main.ts imports it only in
// mode "mock").
//
// Invariants:
// - No server rules. Nothing is validated or refused, and nothing is worked out by the server's
//   rules: sign-in checks, field validation, the category-delete "move to" rules, budgets on
//   expense categories only, list filters and sorting, totals, budget progress and reports are
//   all Rust's (crates/finance-core, where their tests live). Figures are canned: the demo's month,
//   budgets, report and account totals are fixed numbers, a budget a write returns has nothing
//   spent, and an account's balance is its opening balance until a test queues another answer.
// - A test that needs a refusal or a particular answer queues it with `respondOnce(cmd, outcome)`;
//   queued outcomes are used first, in order, one per call of that command.
// - The only state is what lets every screen show something and follow the person's writes: who
//   is signed in, and the accounts, categories, budgets and transactions, which grow, change and
//   shrink with the writes (a transaction or budget shows its category's current name; deleting a
//   category or an account moves what used it to `moveTo`, when given; a transaction added
//   without an account goes to the first open one). A transfer is kept as its two legs (rows with
//   `leg` set and no category); a register's running balances are the account's opening balance
//   plus the rows' effects, summed in minor units (a dev approximation: every row counts, whatever
//   its date against the opening date).
// URL switches in dev: ?signedin=1 (the demo user), ?mongo=down, ?keyring=missing,
// ?config=bad (a refused configuration), ?shared=1 (MongoDB with other accounts),
// ?currency=JPY, ?delay=ms (before each answer; 150 by default).
import type {
  AccountRegisterPage, AccountType, AccountView, AccountsView, BudgetView, CategoryKind, CategoryView, CurrencyUsageView, Dashboard, HouseholdView, LedgerView, MemberRowView, EntryKind, ApiError, NetWorthMonthView, Period, Profile,
  ReconciledView, ReconciliationPreviewView, ReconciliationRowsView, ReportView, SignOutOutcome, StartupState, StoreInfo, SummaryView, TransactionPage, TransactionView,
  TransferView, RuleInput, RuleView, RulesApplicationView,
} from "../ipc-types";
import { monthRange, parseIsoDate, todayLocal, toIsoDate } from "../lib/dates";
import { MockSchedules } from "./mock-schedules";

export interface MockOptions {
  mongoDown?: boolean;
  /** Start-up reports this refused configuration (and nothing else). */
  configError?: string;
  /** The MongoDB database holds other accounts (the shared-database notice). */
  sharedDatabase?: boolean;
  keyringMissing?: boolean;
  /** Start signed in as the demo user. */
  signedIn?: boolean;
  /** The demo user's currency (EUR by default). */
  currency?: string;
  /** "Today" for the demo's dates (defaults to the real local date). */
  today?: () => string;
}

/** What a queued command answers: a value, or a rejection with an ApiError. */
export type Outcome = { value: unknown } | { error: ApiError };

/** `p` (without its ledger) working in its own ledger, as a sign-in answers it. */
export function withOwnLedger(p: Omit<Profile, "ledger">): Profile {
  const ledger: LedgerView = { id: p.id, ownerName: `${p.firstName} ${p.lastName}`.trim(), ownerUsername: p.username, role: "owner", currency: p.currency, own: true };
  return { ...p, ledger };
}

export function ipcError(code: ApiError["code"], message: string, field: string | null = null, retryAfterSecs: number | null = null): ApiError {
  return { code, message, field, retryAfterSecs };
}

type Input = Record<string, unknown>;
type Handler = (input: Input) => unknown;
/** A transaction as kept here; its view adds the category's current name and kind (a leg's kind is `leg`). */
type Tx = Omit<TransactionView, "categoryName" | "type" | "transferAccountId"> & { leg: "transfer_out" | "transfer_in" | null };
/** A budget as kept here; its view adds the category's current name. */
type Budget = Omit<BudgetView, "categoryName">;
/** An account as kept here; its view adds its transaction count and last reconciliation. */
type Account = Omit<AccountView, "transactions" | "lastReconciled" | "clearedBalance">;
/** The canned answer of whether a type is a liability (the server's rule is `AccountType::is_liability`). */
const LIABILITY_TYPES: readonly AccountType[] = ["credit_card", "loan", "liability"];
/** The demo's accounts: name, type, opening balance, canned balance, archived. */
const DEMO_ACCOUNTS: readonly [string, AccountType, string, string, boolean][] = [
  ["Main account", "checking", "0.00", "1585.03", false],
  ["Savings", "savings", "5000.00", "5000.00", false],
  ["Visa", "credit_card", "-250.00", "-250.00", false],
  ["Old wallet", "cash", "0.00", "0.00", true],
];
/** The demo's account totals as the server would sum them (assets, liabilities, net worth). */
const DEMO_TOTALS = { assets: "6585.03", liabilities: "-250.00", netWorth: "6335.03" } as const;

const DEFAULT_CATEGORIES: readonly [string, CategoryKind][] = [
  ["Salary", "income"], ["Other income", "income"], ["Groceries", "expense"], ["Rent", "expense"], ["Transport", "expense"], ["Eating out", "expense"],
];
/** The demo's transactions, newest first: category, amount, description, note, days before today. */
const DEMO_TRANSACTIONS: readonly [string, string, string, string | null, number][] = [
  ["Groceries", "312.00", "Big stock-up", null, 0],
  ["Transport", "49.00", "Monthly pass", null, 1],
  ["Eating out", "46.50", "Dinner with friends", "Birthday", 2],
  ["Groceries", "23.10", "Bakery & market", null, 3],
  ["Groceries", "84.37", "Weekly shop", null, 6],
  ["Rent", "1100.00", "Rent", "Paid by standing order", 19],
  ["Salary", "3200.00", "Monthly salary", null, 20],
];
/** The demo's budgets with canned progress: category, period, limit, spent, remaining, percent, state. */
const DEMO_BUDGETS: readonly [string, Period, string, string, string, number, BudgetView["state"]][] = [
  ["Groceries", "monthly", "400.00", "419.47", "-19.47", 104.87, "over"],
  ["Eating out", "monthly", "60.00", "46.50", "13.50", 77.5, "ok"],
  ["Transport", "yearly", "900.00", "49.00", "851.00", 5.44, "ok"],
];
/** The demo's month as the server would sum it (income, expense, net). */
const DEMO_MONTH = { income: "3200.00", expense: "1614.97", net: "1585.03" } as const;
const MONGO_DOWN = "Server selection timed out after 5000 ms: mongodb://db.example:27017 is not reachable";
const NO_KEYRING = "No Secret Service (gnome-keyring or KWallet) is running on the session bus.";
const CONFIG_DIR = "/home/user/.config/finance";

/** A canned "12.30"-style figure in a currency with `digits` decimals. */
function inDigits(amount: string, digits: number): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  return digits === 0 ? whole : `${whole}.${fraction.padEnd(digits, "0").slice(0, digits)}`;
}

/** Decimal places of a currency, as the engine knows them (the server has its own ISO table). */
function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export class MockBackend {
  private profile: Profile;
  private members: MemberRowView[] = [];
  private signedIn: boolean;
  private store: StoreInfo | null;
  private mongoError: string | null;
  private readonly keyringError: string | null;
  private readonly configError: string | null;
  private readonly sharedDatabase: boolean;
  private readonly today: string;
  private categories: CategoryView[] = [];
  private accounts: Account[] = [];
  /** The canned account totals (the demo's, or zeros for a new user). */
  private totals: Omit<AccountsView, "accounts"> = { assets: "0", liabilities: "0", netWorth: "0" };
  private budgets: Budget[] = [];
  private txs: Tx[] = [];
  /** Rules as kept here, in their order (a view adds the category's current name). */
  private rules: Omit<RuleView, "categoryName" | "position">[] = [];
  /** Each account's last reconciliation. */
  private readonly reconciled = new Map<string, ReconciledView>();
  /** The dashboard's month figures (the demo's, or zeros for a new user). */
  private month: SummaryView;
  private readonly queued = new Map<string, Outcome[]>();
  private nextId = 1;
  private readonly commands: Readonly<Record<string, Handler>>;

  constructor(opts: MockOptions = {}) {
    this.today = (opts.today ?? (() => todayLocal()))();
    this.mongoError = opts.mongoDown ? MONGO_DOWN : null;
    this.store = opts.mongoDown ? null : this.storeInfo(opts.sharedDatabase ? "mongodb" : "sqlite", false);
    this.keyringError = opts.keyringMissing ? NO_KEYRING : null;
    this.configError = opts.configError ?? null;
    this.sharedDatabase = opts.sharedDatabase ?? false;
    const currency = opts.currency ?? "EUR";
    this.profile = withOwnLedger({ id: this.id(), username: "demo", firstName: "Dana", lastName: "Demo", email: "demo@example.com", currency, currencyDigits: currencyDigits(currency) });
    this.signedIn = opts.signedIn ?? false;
    this.month = this.zeroMonth();
    this.seedDemo();
    this.commands = this.handlers();
  }

  /** The next call of `cmd` answers `outcome` instead of its handler (queued in order). */
  respondOnce(cmd: string, outcome: Outcome): void {
    this.queued.set(cmd, [...(this.queued.get(cmd) ?? []), outcome]);
  }

  /** Answer one command as `invoke(cmd, args)` would; throws an ApiError on failure. */
  handle(cmd: string, args?: Record<string, unknown>): unknown {
    const next = this.queued.get(cmd)?.shift();
    if (next) {
      if ("error" in next) throw next.error;
      return next.value;
    }
    const handler = this.commands[cmd];
    if (!handler) throw ipcError("internal", `unknown command ${cmd}`);
    return handler((args?.["input"] ?? {}) as Input);
  }

  private handlers(): Record<string, Handler> {
    const none = (): null => null;
    return {
      startup: () => this.startupState(),
      retry_mongo: () => this.connected(this.storeInfo("mongodb", false)),
      use_local_store: () => this.connected(this.storeInfo("sqlite", true)),
      register: (i) => this.register(i),
      // Any credentials sign in as the demo user (refusals are queued by tests).
      login: () => ((this.signedIn = true), this.profile),
      logout: () => this.signOut(),
      change_password: none,
      delete_my_account: () => ((this.signedIn = false), null),
      currency_usage: () => this.currencyUsage(),
      change_currency: (i) => {
        if (!this.currencyUsage().canChange) throw ipcError("conflict", "transactions already hold amounts in this currency", "currency");
        const currency = str(i, "currency");
        this.profile = withOwnLedger({ ...this.profile, currency, currencyDigits: currencyDigits(currency) });
        return this.profile;
      },
      // The store changes at the next start; the session ends now.
      set_mongodb_uri: () => this.signOut(),
      clear_mongodb_uri: () => this.signOut(),
      // A server on this computer over plain http (no certificate to confirm).
      check_server: (i) => ({ url: str(i, "url"), version: "0.1.0-mock", encrypted: false, fingerprint: null, publiclyTrusted: false }),
      set_server: () => this.signOut(),
      open_config_dir: none,
      ui_ready: none,
      // One ledger (the demo user's own): members can be invited, re-roled and removed.
      switch_ledger: (i) => {
        if (i["ledgerId"] != null && i["ledgerId"] !== this.profile.id) throw ipcError("not_found", "ledger not found");
        return this.profile;
      },
      household: () => this.household(),
      invite_member: (i) => {
        const username = str(i, "username").trim().toLowerCase();
        if (username === "" || username === this.profile.username) throw ipcError("validation", "no account has that username", "username");
        if (this.members.some((m) => m.username === username)) throw ipcError("conflict", "is already a member or invited", "username");
        this.members.push({ memberId: this.id(), username, displayName: username, role: str(i, "role") === "editor" ? "editor" : "viewer", active: false, invitedAt: new Date().toISOString() });
        return this.household();
      },
      set_member_role: (i) => {
        const m = this.members.find((x) => x.memberId === str(i, "memberId"));
        if (!m) throw ipcError("not_found", "member not found");
        m.role = str(i, "role") === "editor" ? "editor" : "viewer";
        return this.household();
      },
      remove_member: (i) => ((this.members = this.members.filter((x) => x.memberId !== str(i, "memberId"))), this.household()),
      accept_invitation: () => { throw ipcError("not_found", "invitation not found"); },
      decline_invitation: () => { throw ipcError("not_found", "invitation not found"); },
      leave_ledger: () => { throw ipcError("validation", "you own this ledger and cannot leave it", "ledger"); },

      list_accounts: () => this.accountsView(),
      add_account: (i) => (this.accounts.push({ id: this.id(), ...this.accountFields(i), archived: false }), this.accountsView()),
      update_account: (i) => (Object.assign(this.find(this.accounts, str(i, "id"), "account"), this.accountFields(i)), this.accountsView()),
      set_account_archived: (i) => ((this.find(this.accounts, str(i, "id"), "account").archived = i["archived"] === true), this.accountsView()),
      // The mock keeps no transfers, so there are none between accounts.
      account_usage: (i) => ({ transactions: this.txs.filter((t) => t.accountId === this.find(this.accounts, str(i, "id"), "account").id).length, transfers: [] }),
      remove_account: (i) => this.removeAccount(str(i, "id"), typeof i["moveTo"] === "string" ? i["moveTo"] : null, i["deleteTransactions"] === true),

      set_cleared: (i) => this.setCleared(i),
      reconciliation_rows: (i): ReconciliationRowsView => {
        this.find(this.accounts, str(i, "accountId"), "account");
        const rows = this.txs
          .filter((t) => t.accountId === str(i, "accountId") && t.date <= str(i, "through") && t.status !== "reconciled")
          .sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1));
        return { rows: rows.map((t) => this.txView(t)), more: false };
      },
      reconciliation_preview: (i) => this.reconcile(i, false),
      finish_reconciliation: (i) => this.reconcile(i, true),

      list_categories: () => this.categories.map((c) => ({ ...c })),
      add_category: (i) => this.keep(this.categories, { id: this.id(), name: str(i, "name"), type: str(i, "type") === "income" ? "income" : "expense" }),
      rename_category: (i) => ({ ...Object.assign(this.find(this.categories, str(i, "id"), "category"), { name: str(i, "name") }) }),
      category_usage: (i) => ({ transactions: this.txs.filter((t) => t.categoryId === str(i, "id")).length, budgets: this.budgets.filter((b) => b.categoryId === str(i, "id")).length }),
      delete_category: (i) => this.deleteCategory(str(i, "id"), typeof i["moveTo"] === "string" ? i["moveTo"] : null),

      list_budgets: () => this.budgets.map((b) => this.budgetView(b)),
      add_budget: (i) => this.budgetView(this.keep(this.budgets, this.freshBudget(this.id(), i))),
      update_budget: (i) => {
        const b = this.find(this.budgets, str(i, "id"), "budget");
        return this.budgetView(Object.assign(b, this.freshBudget(b.id, i)));
      },
      delete_budget: (i) => ((this.budgets = this.without(this.budgets, str(i, "id"), "budget")), null),

      list_transactions: (i) => this.page(i),
      get_transaction: (i) => this.txView(this.find(this.txs, str(i, "id"), "transaction")),
      add_transaction: (i) => this.txView(this.keep(this.txs, this.txFields(this.id(), i), true)),
      update_transaction: (i) => {
        const t = this.find(this.txs, str(i, "id"), "transaction");
        return this.txView(Object.assign(t, this.txFields(t.id, i, t), { createdAt: t.createdAt }));
      },
      delete_transaction: (i) => {
        const t = this.find(this.txs, str(i, "id"), "transaction");
        this.txs = this.without(this.txs, t.id, "transaction");
        return this.txView(t);
      },

      account_register: (i) => this.registerPage(i),
      get_transfer: (i) => this.transferView(str(i, "id")),
      add_transfer: (i) => this.addTransfer(i),
      update_transfer: (i) => this.updateTransfer(i),
      delete_transfer: (i) => {
        const view = this.transferView(str(i, "id"));
        this.txs = this.txs.filter((t) => t.transferId !== view.id);
        return view;
      },
      convert_to_transfer: (i) => {
        const row = this.find(this.txs, str(i, "id"), "transaction");
        const out = this.txView(row).type === "expense";
        this.txs = this.without(this.txs, row.id, "transaction");
        const other = str(i, "otherAccountId");
        return this.addTransfer({ ...row, fromAccountId: out ? row.accountId : other, toAccountId: out ? other : row.accountId });
      },

      summary: (i) => ({ ...this.month, from: str(i, "from"), to: str(i, "to") }),
      dashboard: (i): Dashboard => ({ month: this.monthOf(str(i, "date")), accounts: this.accountsView(), budgets: this.budgets.map((b) => this.budgetView(b)), latest: this.txs.slice(0, 5).map((t) => this.txView(t)) }),
      report: (i) => this.report(str(i, "from"), str(i, "to"), str(i, "accountId")),
      net_worth_series: (i) => this.netWorthSeries(str(i, "from"), str(i, "to")),

      export_csv: () => ({ path: null, rows: 0 }),
      import_open: none,
      import_discard: none,
      // Backups: the mock writes no files (a cancelled dialog); no automatic backups.
      backup_now: () => ({ path: null, transactions: 0 }),
      restore_open: none,
      auto_backups: () => ({ available: true, keep: 7, backups: [] }),
      run_auto_backup: () => ({ available: true, keep: 7, backups: [] }),
      set_auto_backup_keep: (i) => ({ available: true, keep: Number(i["keep"]), backups: [] }),

      ...new MockSchedules(this.today).handlers(
        (id) => this.txView(this.find(this.txs, id, "transaction")),
        (id) => this.find(this.accounts, id, "account").openingBalance,
      ),
      transaction_totals: () => this.filterTotals(),
      bulk_set_category: (i) => this.bulkUpdate(i, (t) => (t.categoryId = str(i, "categoryId"))),
      bulk_move_to_account: (i) => this.bulkUpdate(i, (t) => (t.accountId = str(i, "accountId"))),
      bulk_mark_cleared: (i) => this.bulkUpdate(i, (t) => t.status === "uncleared" && (t.status = "cleared")),
      bulk_delete: (i) => this.bulkDelete(i),
      undo_bulk_delete: (i) => this.undoBulkDelete(i),
      // Rules are kept and ordered; matching, suggestions and applying are the server's (canned: none).
      list_rules: () => this.ruleViews(),
      add_rule: (i) => (this.rules.push({ ...ruleFields(i), id: this.id() }), this.ruleViews()),
      update_rule: (i) => (Object.assign(this.find(this.rules, str(i, "id"), "rule"), ruleFields(i)), this.ruleViews()),
      set_rule_enabled: (i) => ((this.find(this.rules, str(i, "id"), "rule").enabled = i["enabled"] === true), this.ruleViews()),
      delete_rule: (i) => ((this.rules = this.without(this.rules, str(i, "id"), "rule")), this.ruleViews()),
      reorder_rules: (i) => {
        const ids = Array.isArray(i["ids"]) ? (i["ids"] as string[]) : [];
        this.rules = ids.map((id) => this.find(this.rules, id, "rule"));
        return this.ruleViews();
      },
      suggest_descriptions: () => [],
      suggest_for: none,
      rule_from_transaction: (i): RuleInput => {
        const t = this.txView(this.find(this.txs, str(i, "id"), "transaction"));
        const kind = t.type === "income" || t.type === "expense" ? t.type : null;
        return { ...EMPTY_RULE, enabled: true, descriptionMatch: "contains", descriptionText: t.description, type: kind, categoryId: t.categoryId || null };
      },
      apply_rules_preview: (): RulesApplicationView => ({ ...NO_CHANGES }),
      apply_rules: (): RulesApplicationView => ({ ...NO_CHANGES }),
    };
  }

  /** Deleted rows by undo token, and the keys of undos already done (their count). */
  private undos = new Map<string, Tx[]>();
  private undone = new Map<string, number>();

  /** The rows a bulk selection names: its ids, or (the mock filters nothing) every row. */
  private selected(i: Input): Tx[] {
    const sel = (i["selection"] ?? {}) as Input;
    if (!Array.isArray(sel["ids"])) return [...this.txs];
    const ids = sel["ids"].filter((x): x is string => typeof x === "string");
    return ids.map((id) => this.find(this.txs, id, "transaction"));
  }

  private bulkUpdate(i: Input, change: (t: Tx) => unknown): { changed: number } {
    let changed = 0;
    for (const t of this.selected(i)) if (change(t) !== false) changed += 1;
    return { changed };
  }

  private bulkDelete(i: Input): { deleted: number; undoToken: string | null } {
    const picked = this.selected(i);
    const transfers = new Set(picked.map((t) => t.transferId).filter((x): x is string => x !== null));
    const gone = this.txs.filter((t) => picked.includes(t) || (t.transferId !== null && transfers.has(t.transferId)));
    this.txs = this.txs.filter((t) => !gone.includes(t));
    if (gone.length === 0) return { deleted: 0, undoToken: null };
    const token = this.id();
    this.undos.set(token, gone);
    return { deleted: gone.length, undoToken: token };
  }

  private undoBulkDelete(i: Input): { changed: number } {
    const key = str(i, "idempotencyKey");
    const done = this.undone.get(key);
    if (done !== undefined) return { changed: done };
    const rows = this.undos.get(str(i, "undoToken"));
    if (!rows) throw ipcError("not_found", "there is nothing to undo any more", "undoToken");
    this.undos.delete(str(i, "undoToken"));
    this.txs.push(...rows);
    this.undone.set(key, rows.length);
    return { changed: rows.length };
  }

  /** Income, expense, net and count of every row (the mock filters nothing). */
  private filterTotals(): { income: string; expense: string; net: string; count: number } {
    const d = this.profile.currencyDigits;
    let income = 0n;
    let expense = 0n;
    for (const t of this.txs) {
      const view = this.txView(t);
      if (view.type === "income") income += toMinor(view.amount, d);
      if (view.type === "expense") expense += toMinor(view.amount, d);
    }
    return { income: fromMinor(income, d), expense: fromMinor(expense, d), net: fromMinor(income - expense, d), count: this.txs.length };
  }

  private id(): string {
    return (this.nextId++).toString(16).padStart(24, "0");
  }

  private storeInfo(kind: StoreInfo["kind"], fallback: boolean): StoreInfo {
    const location = kind === "mongodb" ? "mongodb://db.example:27017/finance" : "/home/user/.local/share/finance/finance.sqlite3";
    return { kind, location, fallback, configDir: CONFIG_DIR };
  }

  private startupState(): StartupState {
    if (this.configError) {
      return { version: "0.1.0-mock", store: null, user: null, mongoError: null, keyringError: null, configError: this.configError, sharedDatabase: false };
    }
    return {
      version: "0.1.0-mock", store: this.store, user: this.signedIn ? this.profile : null, mongoError: this.mongoError, keyringError: this.keyringError,
      configError: null, sharedDatabase: this.sharedDatabase && this.store?.kind === "mongodb",
    };
  }

  private signOut(): SignOutOutcome {
    this.signedIn = false;
    return { sessionEnded: true };
  }

  private connected(store: StoreInfo): StartupState {
    this.mongoError = null;
    this.store = store;
    return this.startupState();
  }

  private zeroMonth(): SummaryView {
    const zero = inDigits("0", this.profile.currencyDigits);
    return { ...monthRange(this.today), income: zero, expense: zero, net: zero, count: 0 };
  }

  /** A new user: the input echoed as the profile, the default categories, nothing else. */
  private register(i: Input): Profile {
    const currency = str(i, "currency") || "EUR";
    this.profile = withOwnLedger({ id: this.id(), username: str(i, "username"), firstName: str(i, "firstName"), lastName: str(i, "lastName"), email: str(i, "email"), currency, currencyDigits: currencyDigits(currency) });
    this.members = [];
    this.categories = DEFAULT_CATEGORIES.map(([name, type]) => ({ id: this.id(), name, type }));
    const zero = inDigits("0", this.profile.currencyDigits);
    this.accounts = [{ id: this.id(), name: "Main account", type: "checking", liability: false, openingBalance: zero, openingDate: this.today, note: null, archived: false, balance: zero }];
    this.totals = { assets: zero, liabilities: zero, netWorth: zero };
    this.budgets = [];
    this.txs = [];
    this.month = this.zeroMonth();
    this.signedIn = true;
    return this.profile;
  }

  private seedDemo(): void {
    this.categories = DEFAULT_CATEGORIES.map(([name, type]) => ({ id: this.id(), name, type }));
    const d = this.profile.currencyDigits;
    const cat = (name: string): string => this.categories.find((c) => c.name === name)?.id ?? "";
    const today = parseIsoDate(this.today) ?? { year: 2025, month: 1, day: 28 };
    // Every demo date falls in this month, so the canned month figures hold.
    const daysAgo = (n: number): string => toIsoDate(new Date(today.year, today.month - 1, Math.max(1, Math.min(today.day, 28) - n)));
    const now = new Date().toISOString();
    this.accounts = DEMO_ACCOUNTS.map(([name, type, opening, balance, archived]) => ({
      id: this.id(), name, type, liability: LIABILITY_TYPES.includes(type), openingBalance: inDigits(opening, d), openingDate: `${this.today.slice(0, 4)}-01-01`, note: null, archived, balance: inDigits(balance, d),
    }));
    this.totals = { assets: inDigits(DEMO_TOTALS.assets, d), liabilities: inDigits(DEMO_TOTALS.liabilities, d), netWorth: inDigits(DEMO_TOTALS.netWorth, d) };
    const main = this.accounts[0]?.id ?? "";
    const ids = DEMO_TRANSACTIONS.map(() => this.id()).reverse(); // the newest row has the largest id
    this.txs = DEMO_TRANSACTIONS.map(([c, amount, description, note, ago], n) => ({
      id: ids[n] ?? this.id(), accountId: main, categoryId: cat(c), amount: inDigits(amount, d), date: daysAgo(ago), description, note, status: ago > 5 ? "cleared" : "uncleared", transferId: null, leg: null, createdAt: now, updatedAt: now,
    }));
    this.budgets = DEMO_BUDGETS.map(([c, period, limit, spent, remaining, percent, state]) => ({
      id: this.id(), categoryId: cat(c), period, ...this.span(period), limit: inDigits(limit, d), spent: inDigits(spent, d), remaining: inDigits(remaining, d), percent, state,
    }));
    this.month = { ...monthRange(this.today), income: inDigits(DEMO_MONTH.income, d), expense: inDigits(DEMO_MONTH.expense, d), net: inDigits(DEMO_MONTH.net, d), count: DEMO_TRANSACTIONS.length };
  }

  /** Canned period dates around today: this month, this year, or the 7 days from today. */
  private span(period: Period): { periodStart: string; periodEnd: string } {
    const t = parseIsoDate(this.today) ?? { year: 2025, month: 1, day: 1 };
    if (period === "yearly") return { periodStart: `${t.year}-01-01`, periodEnd: `${t.year}-12-31` };
    if (period === "weekly") return { periodStart: this.today, periodEnd: toIsoDate(new Date(t.year, t.month - 1, t.day + 6)) };
    const { from, to } = monthRange(this.today);
    return { periodStart: from, periodEnd: to };
  }

  /** A budget as a write answers it: the input, with nothing spent yet. */
  private freshBudget(id: string, i: Input): Budget {
    const period: Period = str(i, "period") === "weekly" || str(i, "period") === "yearly" ? (str(i, "period") as Period) : "monthly";
    const limit = str(i, "limit");
    return { id, categoryId: str(i, "categoryId"), period, ...this.span(period), limit, spent: inDigits("0", this.profile.currencyDigits), remaining: limit, percent: 0, state: "ok" };
  }

  private txFields(id: string, i: Input, kept?: Tx): Tx {
    const now = new Date().toISOString();
    const note = typeof i["note"] === "string" ? i["note"] : null;
    const accountId = str(i, "accountId") || kept?.accountId || (this.accounts.find((a) => !a.archived)?.id ?? "");
    return { id, accountId, categoryId: str(i, "categoryId"), amount: str(i, "amount"), date: str(i, "date"), description: str(i, "description"), note, status: kept?.status ?? "uncleared", transferId: null, leg: null, createdAt: now, updatedAt: now };
  }

  private category(id: string): CategoryView | undefined {
    return this.categories.find((c) => c.id === id);
  }

  private txView(t: Tx): TransactionView {
    const { leg, ...kept } = t;
    if (leg) {
      const other = this.txs.find((o) => o.transferId === t.transferId && o.id !== t.id);
      return { ...kept, categoryName: "", type: leg, transferAccountId: other?.accountId ?? null };
    }
    const c = this.category(t.categoryId);
    return { ...kept, categoryName: c?.name ?? "?", type: c?.type ?? "expense", transferAccountId: null };
  }

  /** The legs of transfer `id` (out, in), or not_found. */
  private legs(id: string): [Tx, Tx] {
    const from = this.txs.find((t) => t.transferId === id && t.leg === "transfer_out");
    const to = this.txs.find((t) => t.transferId === id && t.leg === "transfer_in");
    if (!from || !to) throw ipcError("not_found", "transfer not found");
    return [from, to];
  }

  private transferView(id: string): TransferView {
    const [from, to] = this.legs(id);
    return {
      id, fromAccountId: from.accountId, toAccountId: to.accountId, fromLegId: from.id, toLegId: to.id, amount: from.amount, date: from.date,
      description: from.description, note: from.note, fromStatus: from.status, toStatus: to.status,
    };
  }

  /** The transfer form's fields onto a leg. */
  private legFields(i: Input, leg: "transfer_out" | "transfer_in"): Pick<Tx, "accountId" | "amount" | "date" | "description" | "note" | "updatedAt"> {
    return {
      accountId: str(i, leg === "transfer_out" ? "fromAccountId" : "toAccountId"), amount: str(i, "amount"), date: str(i, "date"), description: str(i, "description"),
      note: typeof i["note"] === "string" ? i["note"] : null, updatedAt: new Date().toISOString(),
    };
  }

  private addTransfer(i: Input): TransferView {
    const transferId = this.id();
    const now = new Date().toISOString();
    for (const leg of ["transfer_in", "transfer_out"] as const) {
      this.txs.unshift({ id: this.id(), categoryId: "", status: "uncleared", transferId, leg, createdAt: now, ...this.legFields(i, leg) });
    }
    return this.transferView(transferId);
  }

  private updateTransfer(i: Input): TransferView {
    const [from, to] = this.legs(str(i, "id"));
    Object.assign(from, this.legFields(i, "transfer_out"));
    Object.assign(to, this.legFields(i, "transfer_in"));
    return this.transferView(str(i, "id"));
  }

  /** One account's rows (as kept, newest write first), each with the running balance after it. */
  private registerPage(i: Input): AccountRegisterPage {
    const account = this.find(this.accounts, str(i, "accountId"), "account");
    const rows = this.txs.filter((t) => t.accountId === account.id).map((t) => this.txView(t));
    const ascending = [...rows].sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1));
    const digits = this.profile.currencyDigits;
    const balances = new Map<string, string>();
    let minor = toMinor(account.openingBalance, digits);
    for (const t of ascending) {
      minor += (EFFECT_SIGN[t.type] ?? 1n) * toMinor(t.amount, digits);
      balances.set(t.id, fromMinor(minor, digits));
    }
    const ordered = str(i, "sort") === "date_asc" ? ascending : ascending.reverse();
    const limit = typeof i["limit"] === "number" && i["limit"] > 0 ? i["limit"] : 50;
    const offset = Number(/^o(\d+)$/.exec(str(i, "cursor"))?.[1] ?? 0);
    const items = ordered.slice(offset, offset + limit).map((t) => ({ ...t, balance: balances.get(t.id) ?? "0" }));
    return { items, nextCursor: offset + limit < ordered.length ? `o${offset + limit}` : null };
  }

  /** What holds amounts in the currency (the demo: its transactions, budgets and opening balances). */
  private household(): HouseholdView {
    return { active: this.profile.ledger, ledgers: [this.profile.ledger], members: this.members.map((m) => ({ ...m })), invitations: [] };
  }

  private currencyUsage(): CurrencyUsageView {
    const balances = this.accounts.filter((a) => !/^-?0*(\.0*)?$/.test(a.openingBalance)).length;
    const usage = { transactions: this.txs.length, budgets: this.budgets.length, balances, schedules: 0, rules: 0 };
    return { ...usage, canChange: usage.transactions + usage.budgets + usage.balances === 0 };
  }

  /** The dashboard's month: the canned figures for this month, another month's range with its row count (no sums). */
  private monthOf(date: string): SummaryView {
    const range = monthRange(date === "" ? this.today : date);
    if (range.from === monthRange(this.today).from) return this.month;
    const zero = inDigits("0", this.profile.currencyDigits);
    const count = this.txs.filter((t) => t.date >= range.from && t.date <= range.to).length;
    return { from: range.from, to: range.to, income: zero, expense: zero, net: zero, count };
  }

  private ruleViews(): RuleView[] {
    return this.rules.map((r, position) => ({ ...r, position, categoryName: (r.categoryId && this.category(r.categoryId)?.name) || "" }));
  }

  private budgetView(b: Budget): BudgetView {
    return { ...b, categoryName: this.category(b.categoryId)?.name ?? "?" };
  }

  /** An account's form fields as the server would keep them; a new account's balance is its opening balance. */
  private accountFields(i: Input): Omit<Account, "id" | "archived"> {
    const type = (str(i, "type") || "checking") as AccountType;
    const opening = str(i, "openingBalance") || inDigits("0", this.profile.currencyDigits);
    const note = typeof i["note"] === "string" ? i["note"] : null;
    return { name: str(i, "name"), type, liability: LIABILITY_TYPES.includes(type), openingBalance: opening, openingDate: str(i, "openingDate"), note, balance: opening };
  }

  private accountsView(): AccountsView {
    return {
      accounts: this.accounts.map((a) => ({
        ...a,
        transactions: this.txs.filter((t) => t.accountId === a.id).length,
        clearedBalance: fromMinor(this.clearedMinor(a, null), this.profile.currencyDigits),
        lastReconciled: this.reconciled.get(a.id) ?? null,
      })),
      ...this.totals,
    };
  }

  private setCleared(i: Input): number {
    const account = this.find(this.accounts, str(i, "accountId"), "account");
    const ids = Array.isArray(i["ids"]) ? i["ids"].filter((x): x is string => typeof x === "string") : [];
    const rows = ids.map((id) => this.find(this.txs, id, "transaction"));
    if (rows.some((t) => t.accountId !== account.id || t.status === "reconciled")) throw ipcError("validation", "Ids a transaction is in another account or reconciled", "ids");
    for (const t of rows) t.status = i["cleared"] === true ? "cleared" : "uncleared";
    return rows.length;
  }

  /** A row's effect on its account's balance, in minor units. */
  private effect(t: Tx): bigint {
    const view = this.txView(t);
    return EFFECT_SIGN[view.type] * toMinor(view.amount, this.profile.currencyDigits);
  }

  /** The account's opening balance plus its cleared and reconciled rows (through a date, if given). */
  private clearedMinor(account: Account, through: string | null): bigint {
    const rows = this.txs.filter((t) => t.accountId === account.id && t.status !== "uncleared" && (through === null || t.date <= through));
    return toMinor(account.openingBalance, this.profile.currencyDigits) + rows.reduce((s, t) => s + this.effect(t), 0n);
  }

  /**
   * The reconcile dialog's figures, summed exactly in minor units like the server's: the opening
   * balance plus cleared rows through the statement date, plus the ticked ones. Finishing at a
   * zero difference marks them reconciled; otherwise it is refused like the server refuses it.
   */
  private reconcile(i: Input, finish: boolean): ReconciliationPreviewView | ReconciledView {
    const account = this.find(this.accounts, str(i, "accountId"), "account");
    const digits = this.profile.currencyDigits;
    const through = str(i, "statementDate");
    const ticked = new Set(Array.isArray(i["ticked"]) ? i["ticked"].filter((x): x is string => typeof x === "string") : []);
    const mine = this.txs.filter((t) => t.accountId === account.id && t.date <= through);
    const cleared = this.clearedMinor(account, through);
    const tickedSum = mine.filter((t) => ticked.has(t.id) && t.status === "uncleared").reduce((s, t) => s + this.effect(t), 0n);
    const difference = toMinor(str(i, "statementBalance"), digits) - (cleared + tickedSum);
    if (!finish) {
      return { clearedBalance: fromMinor(cleared, digits), ticked: fromMinor(tickedSum, digits), clearedWithTicked: fromMinor(cleared + tickedSum, digits), difference: fromMinor(difference, digits), balanced: difference === 0n };
    }
    if (difference !== 0n) throw ipcError("conflict", `Statement balance is off by ${fromMinor(difference, digits)}`, "statementBalance");
    for (const t of mine) if (ticked.has(t.id) || t.status === "cleared") t.status = "reconciled";
    const done = { accountId: account.id, statementDate: through, statementBalance: inDigits(str(i, "statementBalance"), digits) };
    this.reconciled.set(account.id, done);
    return done;
  }

  private removeAccount(id: string, moveTo: string | null, deleteRows = false): AccountsView {
    this.accounts = this.without(this.accounts, id, "account");
    if (deleteRows) {
      // Its rows, and both legs of its transfers.
      const transfers = new Set(this.txs.filter((t) => t.accountId === id && t.transferId).map((t) => t.transferId));
      this.txs = this.txs.filter((t) => t.accountId !== id && !(t.transferId && transfers.has(t.transferId)));
    }
    if (moveTo) for (const t of this.txs) if (t.accountId === id) t.accountId = moveTo;
    return this.accountsView();
  }

  private deleteCategory(id: string, moveTo: string | null): null {
    this.categories = this.without(this.categories, id, "category");
    if (moveTo) {
      for (const t of this.txs) if (t.categoryId === id) t.categoryId = moveTo;
      for (const b of this.budgets) if (b.categoryId === id) b.categoryId = moveTo;
    }
    return null;
  }

  /** The stored transactions in the order kept (newest write first), `limit` at a time; filters are not applied. */
  private page(i: Input): TransactionPage {
    const limit = typeof i["limit"] === "number" && i["limit"] > 0 ? i["limit"] : 50;
    const offset = Number(/^o(\d+)$/.exec(str(i, "cursor"))?.[1] ?? 0);
    const items = this.txs.slice(offset, offset + limit).map((t) => this.txView(t));
    return { items, nextCursor: offset + limit < this.txs.length ? `o${offset + limit}` : null };
  }

  /**
   * The demo's canned report when the range holds today (where its transactions are), else an
   * empty one. Filtered to an account: the canned report for the first account, an empty one for
   * the others (an unknown account is `not_found`, as the server answers).
   */
  private report(from: string, to: string, accountId: string): ReportView {
    const d = this.profile.currencyDigits;
    const zero = inDigits("0", d);
    const ofFirst = accountId === "" || this.find(this.accounts, accountId, "account") === this.accounts[0];
    const demo = ofFirst && this.txs.length > 0 && from <= this.today && this.today <= to;
    const end = parseIsoDate(to) ?? parseIsoDate(this.today) ?? { year: 2025, month: 1, day: 1 };
    const thisMonth = this.today.slice(0, 7);
    const monthly = Array.from({ length: 12 }, (_, n) => {
      const month = toIsoDate(new Date(end.year, end.month - 12 + n, 1)).slice(0, 7);
      const shown = demo && month === thisMonth;
      return { month, income: shown ? this.month.income : zero, expense: shown ? this.month.expense : zero, net: shown ? this.month.net : zero };
    });
    if (!demo) return { from, to, totalIncome: zero, totalExpense: zero, byCategory: [], monthly, budgets: [], largest: [], frequent: [] };
    const cat = (name: string): string => this.categories.find((c) => c.name === name)?.id ?? "";
    const spending: [string, string, number, number][] = [["Rent", "1100.00", 1, 6811], ["Groceries", "419.47", 3, 2597], ["Transport", "49.00", 1, 303], ["Eating out", "46.50", 1, 289]];
    const expenses = this.txs.map((t) => this.txView(t)).filter((t) => t.type === "expense");
    return {
      from, to, totalIncome: this.month.income, totalExpense: this.month.expense,
      byCategory: spending.map(([name, amount, count, basisPoints]) => ({ categoryId: cat(name), name, amount: inDigits(amount, d), count, basisPoints })),
      monthly,
      budgets: this.budgets.map((b) => ({ budgetId: b.id, categoryId: b.categoryId, categoryName: this.budgetView(b).categoryName, period: b.period, limit: b.limit, spent: b.spent, state: b.state })),
      largest: expenses.slice(0, 10),
      frequent: expenses.slice(0, 3).map((t) => ({ description: t.description, count: 1, total: t.amount })),
    };
  }

  /** Net worth per month from `from`'s through `to`'s: the canned totals in every month (nothing is summed here). */
  private netWorthSeries(from: string, to: string): NetWorthMonthView[] {
    const start = parseIsoDate(from);
    const end = parseIsoDate(to);
    if (!start || !end) throw ipcError("validation", "must be a date like 2024-01-31", start ? "to" : "from");
    const count = (end.year - start.year) * 12 + (end.month - start.month) + 1;
    return Array.from({ length: Math.max(0, Math.min(600, count)) }, (_, n) => ({
      month: toIsoDate(new Date(start.year, start.month - 1 + n, 1)).slice(0, 7),
      assets: this.totals.assets,
      liabilities: this.totals.liabilities,
      net: this.totals.netWorth,
    }));
  }

  private keep<T>(list: T[], item: T, first = false): T {
    if (first) list.unshift(item);
    else list.push(item);
    return item;
  }

  private find<T extends { id: string }>(list: readonly T[], id: string, what: string): T {
    const found = list.find((x) => x.id === id);
    if (!found) throw ipcError("not_found", `${what} not found`);
    return found;
  }

  private without<T extends { id: string }>(list: readonly T[], id: string, what: string): T[] {
    this.find(list, id, what);
    return list.filter((x) => x.id !== id);
  }
}

/** A row's effect on its account's balance, by kind (the server's rule is `rules::balance_effect`). */
const EFFECT_SIGN: Readonly<Record<EntryKind, bigint>> = { income: 1n, expense: -1n, transfer_out: -1n, transfer_in: 1n };

/** "12.30" → 1230n at `digits` decimals (dev figures only). */
function toMinor(amount: string, digits: number): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) return 0n;
  const v = BigInt((m[2] ?? "0") + (m[3] ?? "").padEnd(digits, "0").slice(0, digits));
  return m[1] ? -v : v;
}

function fromMinor(minor: bigint, digits: number): string {
  const neg = minor < 0n;
  const s = (neg ? -minor : minor).toString().padStart(digits + 1, "0");
  const body = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return neg ? `-${body}` : body;
}

const EMPTY_RULE: RuleInput = {
  name: "", enabled: true, descriptionMatch: null, descriptionText: null, amountMin: null, amountMax: null,
  accountId: null, type: null, categoryId: null, rename: null, note: null,
};

const NO_CHANGES: RulesApplicationView = { count: 0, rows: [], skippedTransfer: 0, skippedReconciled: 0, skippedKind: 0, more: false, applied: 0 };

/** A rule form's fields as kept (blank text is null). */
function ruleFields(i: Input): RuleInput {
  const text = (k: string): string | null => (typeof i[k] === "string" && (i[k] as string).trim() !== "" ? (i[k] as string).trim() : null);
  const match = text("descriptionMatch");
  const type = text("type");
  return {
    name: text("name") ?? (text("descriptionText") ? `Description contains “${text("descriptionText") ?? ""}”` : "Rule"),
    enabled: i["enabled"] !== false,
    descriptionMatch: match === "contains" || match === "startsWith" || match === "equals" ? match : text("descriptionText") ? "contains" : null,
    descriptionText: text("descriptionText"),
    amountMin: text("amountMin"),
    amountMax: text("amountMax"),
    accountId: text("accountId"),
    type: type === "income" || type === "expense" ? type : null,
    categoryId: text("categoryId"),
    rename: text("rename"),
    note: text("note"),
  };
}

function str(input: Input, key: string): string {
  const v = input[key];
  return typeof v === "string" ? v : "";
}

/** Dev mode: route every invoke() to a MockBackend configured from the page URL. */
export async function installMockBackend(): Promise<MockBackend> {
  const { mockIPC } = await import("@tauri-apps/api/mocks");
  const q = new URLSearchParams(window.location.search);
  const backend = new MockBackend({
    mongoDown: q.get("mongo") === "down",
    keyringMissing: q.get("keyring") === "missing",
    signedIn: q.get("signedin") === "1",
    currency: q.get("currency") ?? "EUR",
    sharedDatabase: q.get("shared") === "1",
    ...(q.get("config") === "bad" ? { configError: "FINANCE_JWT_SECRET is 14 bytes long; it must be at least 32 bytes (256 bits)." } : {}),
  });
  const delay = Number(q.get("delay") ?? "150");
  mockIPC(async (cmd, args) => {
    await new Promise((r) => setTimeout(r, delay));
    return backend.handle(cmd, args as Record<string, unknown> | undefined);
  });
  console.info("[mock] canned in-memory backend installed; nothing is validated or persisted");
  return backend;
}
