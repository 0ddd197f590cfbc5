// An in-memory stand-in for the Rust side, for `npm run dev:mock` (a plain browser, no Tauri)
// and for the UI's integration tests. It follows the IPC contract and the server's rules closely
// enough to exercise every screen; it is never part of a production build.
// URL switches in dev: ?mongo=down, ?keyring=missing, ?signedin=1, ?currency=JPY.
import type {
  BudgetState, BudgetView, CategoryKind, CategoryView, IpcError, Period, Profile, ReportView, StartupState, StoreInfo,
  TransactionListInput, TransactionPage, TransactionView,
} from "../ipc-types";
import { monthRange, parseIsoDate, todayLocal, toIsoDate } from "../lib/dates";
import { validateNewPassword } from "../lib/password";
import { validateAmount, validateCategoryName, validateDescription, validateEmail, validateNote, validatePersonName, validateUsername } from "../lib/validation";

export interface MockOptions {
  mongoDown?: boolean;
  keyringMissing?: boolean;
  signedIn?: boolean;
  currency?: string;
  digits?: number;
  /** "Today" for budgets and the dashboard (defaults to the real local date). */
  today?: () => string;
}

interface User extends Profile { password: string }
interface Category { id: string; userId: string; name: string; type: CategoryKind }
interface Budget { id: string; userId: string; categoryId: string; limit: bigint; period: Period }
interface Tx { id: string; userId: string; categoryId: string; amount: bigint; date: string; description: string; note: string | null; createdAt: string; updatedAt: string; seq: number }

const DIGITS: Record<string, number> = { JPY: 0, KRW: 0, ISK: 0, CLP: 0, KWD: 3, BHD: 3, OMR: 3, JOD: 3 };

class MockError extends Error {
  constructor(readonly ipc: IpcError) {
    super(ipc.message);
  }
}
const fail = (code: IpcError["code"], message: string, field: string | null = null, retryAfterSecs: number | null = null): never => {
  throw new MockError({ code, message, field, retryAfterSecs });
};
const check = (field: string, problem: string | null): void => {
  if (problem) fail("validation", problem, field);
};

function toMinor(s: string, digits: number): bigint {
  const [w = "0", f = ""] = s.trim().split(".");
  return BigInt(w + f.padEnd(digits, "0"));
}
function fromMinor(m: bigint, digits: number): string {
  const neg = m < 0n;
  const s = (neg ? -m : m).toString().padStart(digits + 1, "0");
  const body = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return neg ? `-${body}` : body;
}

export class MockBackend {
  private users: User[] = [];
  private categories: Category[] = [];
  private budgets: Budget[] = [];
  private txs: Tx[] = [];
  /** Idempotency keys of adds: `${userId} ${key}` → transaction id (as the real backend keeps them). */
  private addKeys = new Map<string, string>();
  private current: User | null = null;
  private nextId = 1;
  private seq = 0;
  private failures = 0;
  private store: StoreInfo | null;
  private mongoError: string | null;
  private readonly keyringError: string | null;
  private readonly today: () => string;

  constructor(private readonly opts: MockOptions = {}) {
    this.today = opts.today ?? (() => todayLocal());
    this.mongoError = opts.mongoDown ? "Server selection timed out after 5000 ms: mongodb://db.example:27017 is not reachable" : null;
    this.store = opts.mongoDown ? null : { kind: "sqlite", location: "/home/user/.local/share/finance/finance.sqlite3", fallback: false, configDir: "/home/user/.config/finance" };
    this.keyringError = opts.keyringMissing ? "No Secret Service (gnome-keyring or KWallet) is running on the session bus." : null;
    if (opts.signedIn) {
      const u = this.createUser({ username: "demo", password: "demo password 1", firstName: "Dana", lastName: "Demo", email: "demo@example.com", currency: opts.currency ?? "EUR" });
      this.current = u;
      this.seed(u);
    }
  }

  private id(): string {
    return (this.nextId++).toString(16).padStart(24, "0");
  }

  private digits(): number {
    return this.user().currencyDigits;
  }

  private user(): User {
    return this.current ?? fail("unauthorized", "you are not signed in, or your session has ended; please sign in");
  }

  private profile(u: User): Profile {
    const { password: _pw, ...p } = u;
    return p;
  }

  private createUser(input: { username: string; password: string; firstName: string; lastName: string; email: string; currency: string }): User {
    const currency = input.currency.trim() || "EUR";
    const u: User = {
      id: this.id(), username: input.username.trim().toLowerCase(), password: input.password, firstName: input.firstName.trim(), lastName: input.lastName.trim(),
      email: input.email.trim().toLowerCase(), currency, currencyDigits: this.opts.digits ?? DIGITS[currency] ?? 2,
    };
    this.users.push(u);
    for (const [name, type] of [["Salary", "income"], ["Other income", "income"], ["Groceries", "expense"], ["Rent", "expense"], ["Transport", "expense"], ["Eating out", "expense"]] as const) {
      this.categories.push({ id: this.id(), userId: u.id, name, type });
    }
    return u;
  }

  private seed(u: User): void {
    const cat = (name: string): string => this.categories.find((c) => c.userId === u.id && c.name === name)?.id ?? "";
    const d = u.currencyDigits;
    const amt = (s: string): bigint => toMinor(d === 0 ? s.split(".")[0] ?? "0" : s, d);
    const today = parseIsoDate(this.today());
    const day = (n: number): string => (today ? toIsoDate(new Date(today.year, today.month - 1, Math.max(1, Math.min(today.day, 28) - n))) : this.today());
    const rows: Array<[string, string, string, string | null, number]> = [
      ["Salary", "3200.00", "Monthly salary", null, 20],
      ["Rent", "1100.00", "Rent", "Paid by standing order", 19],
      ["Groceries", "84.37", "Weekly shop", null, 6],
      ["Groceries", "23.10", "Bakery & market", null, 3],
      ["Eating out", "46.50", "Dinner with friends", "Birthday", 2],
      ["Transport", "49.00", "Monthly pass", null, 1],
      ["Groceries", "312.00", "Big stock-up", null, 0],
    ];
    for (const [c, a, desc, note, ago] of rows) this.insertTx(u, { categoryId: cat(c), amount: amt(a), date: day(ago), description: desc, note });
    this.budgets.push({ id: this.id(), userId: u.id, categoryId: cat("Groceries"), limit: amt("400.00"), period: "monthly" });
    this.budgets.push({ id: this.id(), userId: u.id, categoryId: cat("Eating out"), limit: amt("60.00"), period: "monthly" });
    this.budgets.push({ id: this.id(), userId: u.id, categoryId: cat("Transport"), limit: amt("900.00"), period: "yearly" });
  }

  private insertTx(u: User, f: { categoryId: string; amount: bigint; date: string; description: string; note: string | null }): Tx {
    const now = new Date().toISOString();
    const t: Tx = { id: this.id(), userId: u.id, ...f, createdAt: now, updatedAt: now, seq: ++this.seq };
    this.txs.push(t);
    return t;
  }

  private startupState(): StartupState {
    return { version: "0.1.0-mock", store: this.store, user: this.current ? this.profile(this.current) : null, mongoError: this.mongoError, keyringError: this.keyringError };
  }

  private ownCategory(id: string, field = "categoryId"): Category {
    const c = this.categories.find((x) => x.id === id && x.userId === this.user().id);
    if (!id) fail("validation", "is required", field);
    return c ?? fail("not_found", "category not found");
  }

  private txView(t: Tx): TransactionView {
    const c = this.categories.find((x) => x.id === t.categoryId);
    return {
      id: t.id, categoryId: t.categoryId, categoryName: c?.name ?? "?", type: c?.type ?? "expense", amount: fromMinor(t.amount, this.digits()),
      date: t.date, description: t.description, note: t.note, createdAt: t.createdAt, updatedAt: t.updatedAt,
    };
  }

  private periodRange(p: Period): { from: string; to: string } {
    const t = parseIsoDate(this.today());
    if (!t) return monthRange(new Date());
    if (p === "monthly") return monthRange(this.today());
    if (p === "yearly") return { from: `${t.year}-01-01`, to: `${t.year}-12-31` };
    const d = new Date(t.year, t.month - 1, t.day);
    const monday = new Date(d);
    monday.setDate(d.getDate() - ((d.getDay() + 6) % 7));
    const sunday = new Date(monday);
    sunday.setDate(monday.getDate() + 6);
    return { from: toIsoDate(monday), to: toIsoDate(sunday) };
  }

  private budgetView(b: Budget): BudgetView {
    const { from, to } = this.periodRange(b.period);
    const spent = this.txs.filter((t) => t.userId === b.userId && t.categoryId === b.categoryId && t.date >= from && t.date <= to).reduce((s, t) => s + t.amount, 0n);
    const percent = b.limit === 0n ? 0 : Number((spent * 10000n) / b.limit) / 100;
    const state: BudgetState = spent > b.limit ? "over" : percent >= 80 ? "warning" : "ok";
    const d = this.digits();
    return {
      id: b.id, categoryId: b.categoryId, categoryName: this.categories.find((c) => c.id === b.categoryId)?.name ?? "?", limit: fromMinor(b.limit, d),
      period: b.period, periodStart: from, periodEnd: to, spent: fromMinor(spent, d), remaining: fromMinor(b.limit - spent, d), percent, state,
    };
  }

  private summary(from: string, to: string): { from: string; to: string; income: string; expense: string; net: string; count: number } {
    const uid = this.user().id;
    let income = 0n;
    let expense = 0n;
    let count = 0;
    for (const t of this.txs) {
      if (t.userId !== uid || t.date < from || t.date > to) continue;
      count += 1;
      if (this.categories.find((c) => c.id === t.categoryId)?.type === "income") income += t.amount;
      else expense += t.amount;
    }
    const d = this.digits();
    return { from, to, income: fromMinor(income, d), expense: fromMinor(expense, d), net: fromMinor(income - expense, d), count };
  }

  /** A report close to the Rust side's (budgets against the range, limit per period touched ≈ 1). */
  private report(from: string, to: string): ReportView {
    const uid = this.user().id;
    const d = this.digits();
    const mine = this.txs.filter((t) => t.userId === uid);
    const kindOf = (t: Tx): CategoryKind => this.categories.find((c) => c.id === t.categoryId)?.type ?? "expense";
    const inRange = mine.filter((t) => t.date >= from && t.date <= to);
    const sum = (list: Tx[]): bigint => list.reduce((s, t) => s + t.amount, 0n);
    const expenses = inRange.filter((t) => kindOf(t) === "expense");
    const totalExpense = sum(expenses);
    const groups = new Map<string, Tx[]>();
    for (const t of expenses) groups.set(t.categoryId, [...(groups.get(t.categoryId) ?? []), t]);
    const byCategory = [...groups.entries()]
      .map(([id, list]) => ({ id, amount: sum(list), count: list.length }))
      .sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0))
      .map((g) => ({
        categoryId: g.id, name: this.categories.find((c) => c.id === g.id)?.name ?? "?", amount: fromMinor(g.amount, d), count: g.count,
        basisPoints: totalExpense === 0n ? 0 : Number((g.amount * 10000n) / totalExpense),
      }));
    const end = parseIsoDate(to) ?? { year: 2025, month: 1, day: 1 };
    const monthly = Array.from({ length: 12 }, (_, i) => {
      const index = end.year * 12 + (end.month - 1) - 11 + i;
      const key = `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
      const list = mine.filter((t) => t.date.startsWith(key));
      const income = sum(list.filter((t) => kindOf(t) === "income"));
      const expense = sum(list.filter((t) => kindOf(t) === "expense"));
      return { month: key, income: fromMinor(income, d), expense: fromMinor(expense, d), net: fromMinor(income - expense, d) };
    });
    const freq = new Map<string, Tx[]>();
    for (const t of inRange) freq.set(t.description.toLowerCase(), [...(freq.get(t.description.toLowerCase()) ?? []), t]);
    return {
      from, to,
      totalIncome: fromMinor(sum(inRange.filter((t) => kindOf(t) === "income")), d),
      totalExpense: fromMinor(totalExpense, d),
      byCategory,
      monthly,
      budgets: this.budgets.filter((b) => b.userId === uid).map((b) => {
        const spent = sum(expenses.filter((t) => t.categoryId === b.categoryId));
        const state: BudgetState = spent > b.limit ? "over" : spent * 10n >= b.limit * 8n ? "warning" : "ok";
        return { budgetId: b.id, categoryId: b.categoryId, categoryName: this.categories.find((c) => c.id === b.categoryId)?.name ?? "?", period: b.period, limit: fromMinor(b.limit, d), spent: fromMinor(spent, d), state };
      }),
      largest: [...expenses].sort((a, b) => (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0)).slice(0, 10).map((t) => this.txView(t)),
      frequent: [...freq.values()].sort((a, b) => b.length - a.length).slice(0, 10).map((list) => ({ description: list[0]?.description ?? "", count: list.length, total: fromMinor(sum(list), d) })),
    };
  }

  private list(input: TransactionListInput): TransactionPage {
    const uid = this.user().id;
    const d = this.digits();
    if (input.from && input.to && input.to < input.from) fail("validation", "must not be before the start date", "to");
    const min = input.minAmount ? (check("minAmount", validateAmount(input.minAmount, d, { allowZero: true })), toMinor(input.minAmount, d)) : null;
    const max = input.maxAmount ? (check("maxAmount", validateAmount(input.maxAmount, d, { allowZero: true })), toMinor(input.maxAmount, d)) : null;
    if (min !== null && max !== null && max < min) fail("validation", "must not be less than the minimum", "maxAmount");
    const text = input.text?.toLowerCase() ?? null;
    const rows = this.txs.filter((t) => {
      if (t.userId !== uid) return false;
      if (input.from && t.date < input.from) return false;
      if (input.to && t.date > input.to) return false;
      if (input.categoryIds.length > 0 && !input.categoryIds.includes(t.categoryId)) return false;
      if (input.type && this.categories.find((c) => c.id === t.categoryId)?.type !== input.type) return false;
      if (text && !t.description.toLowerCase().includes(text) && !(t.note ?? "").toLowerCase().includes(text)) return false;
      if (min !== null && t.amount < min) return false;
      if (max !== null && t.amount > max) return false;
      return true;
    });
    const sort = input.sort ?? "date_desc";
    const cmp = (a: Tx, b: Tx): number => {
      const byDate = a.date < b.date ? -1 : a.date > b.date ? 1 : a.seq - b.seq;
      const byAmount = a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : byDate;
      switch (sort) {
        case "date_asc": return byDate;
        case "amount_desc": return -byAmount;
        case "amount_asc": return byAmount;
        default: return -byDate;
      }
    };
    rows.sort(cmp);
    const limit = Math.max(1, Math.min(input.limit ?? 50, 200));
    let offset = 0;
    if (input.cursor) {
      const m = /^o(\d+)$/.exec(input.cursor);
      if (!m) fail("validation", "is not a valid page cursor", "cursor");
      offset = Number(m?.[1] ?? 0);
    }
    const items = rows.slice(offset, offset + limit).map((t) => this.txView(t));
    return { items, nextCursor: offset + limit < rows.length ? `o${offset + limit}` : null };
  }

  private txFields(input: Record<string, unknown>): { categoryId: string; amount: bigint; date: string; description: string; note: string | null } {
    const s = (k: string): string => (typeof input[k] === "string" ? (input[k] as string) : "");
    const u = this.user();
    check("amount", validateAmount(s("amount"), u.currencyDigits, { currency: u.currency }));
    if (!parseIsoDate(s("date"))) fail("validation", s("date") ? "must be a date like 2024-01-31" : "is required", "date");
    this.ownCategory(s("categoryId"));
    check("description", validateDescription(s("description")));
    const note = typeof input["note"] === "string" ? (input["note"] as string) : null;
    check("note", validateNote(note ?? ""));
    return { categoryId: s("categoryId"), amount: toMinor(s("amount"), u.currencyDigits), date: s("date"), description: s("description").trim(), note: note?.trim() || null };
  }

  /** Handle one command the way the Rust side would; throws an IpcError-shaped object on failure. */
  handle(cmd: string, args?: Record<string, unknown>): unknown {
    try {
      return this.dispatch(cmd, (args?.["input"] ?? {}) as Record<string, unknown>);
    } catch (e) {
      if (e instanceof MockError) throw e.ipc;
      throw e;
    }
  }

  private dispatch(cmd: string, input: Record<string, unknown>): unknown {
    const s = (k: string): string => (typeof input[k] === "string" ? (input[k] as string) : "");
    const uid = (): string => this.user().id;
    switch (cmd) {
      case "startup":
        return this.startupState();
      case "retry_mongo":
        this.mongoError = null;
        this.store = { kind: "mongodb", location: "mongodb://db.example:27017/finance", fallback: false, configDir: "/home/user/.config/finance" };
        return this.startupState();
      case "use_local_store":
        this.mongoError = null;
        this.store = { kind: "sqlite", location: "/home/user/.local/share/finance/finance.sqlite3", fallback: true, configDir: "/home/user/.config/finance" };
        return this.startupState();
      case "register": {
        check("username", validateUsername(s("username")));
        check("password", validateNewPassword(s("password"), s("username")));
        check("firstName", validatePersonName(s("firstName")));
        check("lastName", validatePersonName(s("lastName")));
        check("email", validateEmail(s("email")));
        if (this.users.some((u) => u.username === s("username").trim().toLowerCase())) fail("conflict", "that username is taken", "username");
        if (this.users.some((u) => u.email === s("email").trim().toLowerCase())) fail("conflict", "that email is already registered", "email");
        this.current = this.createUser({ username: s("username"), password: s("password"), firstName: s("firstName"), lastName: s("lastName"), email: s("email"), currency: s("currency") });
        return this.profile(this.current);
      }
      case "login": {
        if (this.failures >= 5) fail("rate_limited", "too many failed attempts; try again in 5 minutes", null, 300);
        const u = this.users.find((x) => x.username === s("username").trim().toLowerCase() && x.password === s("password"));
        if (!u) {
          this.failures += 1;
          return fail("unauthorized", "wrong username or password");
        }
        this.failures = 0;
        this.current = u;
        return this.profile(u);
      }
      case "logout":
        this.current = null;
        return null;
      case "change_password": {
        const u = this.user();
        if (s("currentPassword") !== u.password) fail("validation", "is not your current password", "currentPassword");
        check("newPassword", validateNewPassword(s("newPassword"), u.username));
        if (s("newPassword") === u.password) fail("validation", "must differ from the current password", "newPassword");
        u.password = s("newPassword");
        return null;
      }
      case "set_mongodb_uri":
        if (!/^mongodb(\+srv)?:\/\//.test(s("uri").trim())) fail("validation", "must start with mongodb:// or mongodb+srv://", "uri");
        return null;
      case "clear_mongodb_uri":
      case "open_config_dir":
      case "ui_ready":
        return null;
      case "list_categories":
        return this.categories.filter((c) => c.userId === uid()).map(({ id, name, type }): CategoryView => ({ id, name, type })).sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
      case "add_category": {
        check("name", validateCategoryName(s("name")));
        const type = s("type");
        if (type !== "income" && type !== "expense") return fail("validation", "must be income or expense", "type");
        if (this.categories.some((c) => c.userId === uid() && c.name.toLowerCase() === s("name").trim().toLowerCase())) fail("conflict", "a category with that name already exists", "name");
        const c: Category = { id: this.id(), userId: uid(), name: s("name").trim(), type };
        this.categories.push(c);
        return { id: c.id, name: c.name, type: c.type };
      }
      case "rename_category": {
        const c = this.ownCategory(s("id"), "id");
        check("name", validateCategoryName(s("name")));
        if (this.categories.some((o) => o.userId === uid() && o.id !== c.id && o.name.toLowerCase() === s("name").trim().toLowerCase())) fail("conflict", "a category with that name already exists", "name");
        c.name = s("name").trim();
        return { id: c.id, name: c.name, type: c.type };
      }
      case "category_usage": {
        const c = this.ownCategory(s("id"), "id");
        return { transactions: this.txs.filter((t) => t.categoryId === c.id).length, budgets: this.budgets.filter((b) => b.categoryId === c.id).length };
      }
      case "delete_category": {
        const c = this.ownCategory(s("id"), "id");
        const used = this.txs.some((t) => t.categoryId === c.id) || this.budgets.some((b) => b.categoryId === c.id);
        const moveTo = typeof input["moveTo"] === "string" ? (input["moveTo"] as string) : null;
        if (used) {
          if (!moveTo) fail("conflict", "is in use; choose a category to move its transactions and budgets to", "moveTo");
          const target = this.ownCategory(moveTo ?? "", "moveTo");
          if (target.id === c.id) fail("validation", "must be a different category", "moveTo");
          if (target.type !== c.type) fail("validation", `must be another ${c.type} category`, "moveTo");
          for (const b of this.budgets.filter((x) => x.categoryId === c.id)) {
            if (this.budgets.some((o) => o.categoryId === target.id && o.period === b.period)) fail("conflict", "already has a budget for that period", "moveTo");
          }
          for (const t of this.txs) if (t.categoryId === c.id) t.categoryId = target.id;
          for (const b of this.budgets) if (b.categoryId === c.id) b.categoryId = target.id;
        }
        this.categories = this.categories.filter((x) => x.id !== c.id);
        return null;
      }
      case "list_budgets":
        return this.budgets.filter((b) => b.userId === uid()).map((b) => this.budgetView(b));
      case "add_budget":
      case "update_budget": {
        const existing = cmd === "update_budget" ? this.budgets.find((b) => b.id === s("id") && b.userId === uid()) ?? fail("not_found", "budget not found") : null;
        const c = this.ownCategory(s("categoryId"));
        if (c.type !== "expense") fail("validation", "must be an expense category", "categoryId");
        check("limit", validateAmount(s("limit"), this.digits(), { currency: this.user().currency }));
        const period = s("period");
        if (period !== "weekly" && period !== "monthly" && period !== "yearly") return fail("validation", "must be weekly, monthly or yearly", "period");
        if (this.budgets.some((b) => b.userId === uid() && b !== existing && b.categoryId === c.id && b.period === period)) fail("conflict", "this category already has a budget for that period", "period");
        const b: Budget = existing ?? { id: this.id(), userId: uid(), categoryId: c.id, limit: 0n, period };
        b.categoryId = c.id;
        b.limit = toMinor(s("limit"), this.digits());
        b.period = period;
        if (!existing) this.budgets.push(b);
        return this.budgetView(b);
      }
      case "delete_budget": {
        const before = this.budgets.length;
        this.budgets = this.budgets.filter((b) => !(b.id === s("id") && b.userId === uid()));
        if (before === this.budgets.length) fail("not_found", "budget not found");
        return null;
      }
      case "list_transactions":
        return this.list(input as unknown as TransactionListInput);
      case "get_transaction": {
        const t = this.txs.find((x) => x.id === s("id") && x.userId === uid()) ?? fail("not_found", "transaction not found");
        return this.txView(t);
      }
      case "add_transaction": {
        const key = s("idempotencyKey") ? `${uid()} ${s("idempotencyKey")}` : null;
        const seen = key ? this.addKeys.get(key) : undefined;
        if (seen !== undefined) return this.txView(this.txs.find((x) => x.id === seen) ?? fail("not_found", "transaction not found"));
        const t = this.insertTx(this.user(), this.txFields(input));
        if (key) this.addKeys.set(key, t.id);
        return this.txView(t);
      }
      case "update_transaction": {
        const t = this.txs.find((x) => x.id === s("id") && x.userId === uid()) ?? fail("not_found", "transaction not found");
        Object.assign(t, this.txFields(input), { updatedAt: new Date().toISOString() });
        return this.txView(t);
      }
      case "delete_transaction": {
        const t = this.txs.find((x) => x.id === s("id") && x.userId === uid()) ?? fail("not_found", "transaction not found");
        this.txs = this.txs.filter((x) => x !== t);
        return this.txView(t);
      }
      case "summary":
        if (!parseIsoDate(s("from"))) fail("validation", "must be a date like 2024-01-31", "from");
        if (!parseIsoDate(s("to"))) fail("validation", "must be a date like 2024-01-31", "to");
        return this.summary(s("from"), s("to"));
      case "dashboard": {
        const { from, to } = monthRange(this.today());
        const latest = this.list({ from: null, to: null, categoryIds: [], type: null, text: null, minAmount: null, maxAmount: null, sort: "date_desc", limit: 5, cursor: null }).items;
        return { month: this.summary(from, to), budgets: this.budgets.filter((b) => b.userId === uid()).map((b) => this.budgetView(b)), latest };
      }
      case "report":
        if (!parseIsoDate(s("from"))) fail("validation", "must be a date like 2024-01-31", "from");
        if (!parseIsoDate(s("to"))) fail("validation", "must be a date like 2024-01-31", "to");
        if (s("to") < s("from")) fail("validation", "must not be before the start date", "to");
        return this.report(s("from"), s("to"));
      case "export_csv":
        return { path: null, rows: 0 };
      case "import_open":
        return null;
      case "import_discard":
        return null;
      default:
        return fail("internal", `unknown command ${cmd}`);
    }
  }
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
  });
  const delay = Number(q.get("delay") ?? "150");
  mockIPC(async (cmd, args) => {
    await new Promise((r) => setTimeout(r, delay));
    return backend.handle(cmd, args as Record<string, unknown> | undefined);
  });
  console.info("[mock] in-memory backend installed; commands are not persisted");
  return backend;
}
