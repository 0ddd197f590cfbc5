// @vitest-environment happy-dom
// End-to-end behaviour of the UI against the in-memory backend (src/dev/mock-backend.ts).
import { afterEach, describe, expect, it, vi } from "vitest";
import { MockBackend, type MockOptions } from "./dev/mock-backend";
import type { IpcError } from "./ipc-types";

let backend: MockBackend;
/** When set, the next matching command fails with this error instead of reaching the backend. */
let override: { cmd: string; error: IpcError } | null = null;
/** Every command invoked, with its arguments. */
const invoked: { cmd: string; args: Record<string, unknown> | undefined }[] = [];
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (cmd: string, args?: Record<string, unknown>) => {
    invoked.push({ cmd, args });
    await Promise.resolve();
    if (override && override.cmd === cmd) {
      const e = override.error;
      override = null;
      throw e;
    }
    return backend.handle(cmd, args);
  },
}));

const { startApp } = await import("./app");

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  stop = null;
  override = null;
  document.body.replaceChildren();
  delete document.body.dataset["ready"];
});

function boot(opts: MockOptions = {}): void {
  backend = new MockBackend({ today: () => "2025-03-15", ...opts });
  document.body.replaceChildren();
  const root = document.createElement("div");
  root.id = "app";
  document.body.appendChild(root);
  stop = startApp({ root, locale: "en-US" });
}

async function until<T>(probe: () => T | null | undefined | false, what = "condition", ms = 2000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const $ = <T extends Element = HTMLElement>(sel: string): T | null => document.querySelector<T>(sel);
const need = <T extends Element = HTMLElement>(sel: string): Promise<T> => until(() => $<T>(sel), sel);
const text = (sel: string): string => ($(sel)?.textContent ?? "").trim();

function fill(form: Element, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const el = form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[name="${name}"]`);
    if (!el) throw new Error(`no input ${name}`);
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
}
function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
}
function key(k: string, target: EventTarget = document.body): void {
  target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
}
async function signedInAt(route: string): Promise<void> {
  boot({ signedIn: true });
  await need("#nav-dashboard");
  (await need<HTMLButtonElement>(`#nav-${route}`)).click();
  await need(`[data-screen="${route}"]`);
}

describe("start-up", () => {
  it("shows Starting… at once, then the login screen, and marks the body ready", async () => {
    boot({ keyringMissing: true });
    expect(text("#app")).toContain("Starting…");
    await need("#login-form");
    expect(document.body.dataset["ready"]).toBe("true");
    expect(text("#keyring-error")).toContain("No Secret Service");
    expect(document.activeElement).toBe($("#login-form input[name=username]"));
  });

  it("explains an unreachable MongoDB and can continue on the local store", async () => {
    boot({ mongoDown: true });
    await need("#mongo-error");
    expect(document.body.dataset["ready"]).toBe("true");
    expect(text("#mongo-error-detail")).toMatch(/not reachable/);
    (await need<HTMLButtonElement>("#use-local-store")).click();
    await need("#login-form");
    expect(text("#fallback-notice")).toMatch(/local store/);
  });

  it("retries MongoDB", async () => {
    boot({ mongoDown: true });
    (await need<HTMLButtonElement>("#retry-mongo")).click();
    await need("#login-form");
  });
});

describe("registration and sign-in", () => {
  it("validates locally, shows server errors by field, then signs in", async () => {
    boot();
    (await need<HTMLButtonElement>("#show-register")).click();
    const form = await need<HTMLFormElement>("#register-form");
    expect(form.querySelector<HTMLSelectElement>("[name=currency]")?.value).toBe("EUR");
    fill(form, { username: "alice", password: "a long passphrase 7", confirmPassword: "different", firstName: "Alice", lastName: "Smith", email: "alice@example.com" });
    expect(form.querySelector("[data-testid=password-strength]")?.getAttribute("data-score")).not.toBe("0");
    submit(form);
    expect(text('[data-error-for="confirmPassword"]')).toBe("Confirm password does not match the password.");
    expect(form.querySelector("[name=confirmPassword]")?.getAttribute("aria-invalid")).toBe("true");

    override = { cmd: "register", error: { code: "conflict", message: "that email is already registered", field: "email", retryAfterSecs: null } };
    fill(form, { confirmPassword: "a long passphrase 7" });
    submit(form);
    await until(() => text('[data-error-for="email"]'), "email error");
    expect(text('[data-error-for="email"]')).toBe("Email that email is already registered.");
    expect(text('[data-error-for="confirmPassword"]')).toBe("");

    submit(form);
    await need("#nav-dashboard");
    expect(text("#user-name")).toBe("Alice Smith");
    await need("#month-income");
    expect(text("#month-net")).toBe("€0.00");
  });

  it("shows refused credentials and rate limiting in the form alert", async () => {
    boot();
    const form = await need<HTMLFormElement>("#login-form");
    fill(form, { username: "nobody", password: "wrong password" });
    submit(form);
    await until(() => text("#login-form [data-form-error]"), "alert");
    expect(text("#login-form [data-form-error]")).toBe("Wrong username or password.");
    expect(form.querySelector<HTMLInputElement>("[name=password]")?.value).toBe("");

    override = { cmd: "login", error: { code: "rate_limited", message: "too many failed attempts; try again in 5 minutes", field: null, retryAfterSecs: 300 } };
    fill(form, { password: "again" });
    submit(form);
    await until(() => text("#login-form [data-form-error]").includes("5 minutes"), "rate limit");
  });

  it("sends the app back to login when the session ends anywhere", async () => {
    await signedInAt("settings");
    backend.handle("logout");
    (await need<HTMLButtonElement>("#nav-budgets")).click();
    await need("#login-form");
    expect(text("#auth-notice")).toMatch(/session has ended/);
  });

  it("logs out from Settings", async () => {
    await signedInAt("settings");
    (await need<HTMLButtonElement>("#logout")).click();
    await need("#login-form");
    expect(text("#auth-notice")).toMatch(/signed out/);
  });
});

describe("dashboard", () => {
  it("shows the month's figures and budget bars capped at 100%", async () => {
    boot({ signedIn: true });
    await need("#month-income");
    expect(text("#month-income")).toBe("€3,200.00");
    expect(text("#month-expense")).toBe("€1,614.97");
    expect(text("#month-net")).toBe("€1,585.03");
    const over = await need('[data-budget-state="over"]');
    const bar = over.querySelector<HTMLElement>("[role=progressbar]");
    expect(bar?.getAttribute("aria-valuenow")).toBe("105");
    expect(bar?.classList.contains("over")).toBe(true);
    expect(bar?.querySelector<HTMLElement>(".progress-fill")?.style.width).toBe("100%");
    expect(over.textContent).toContain("€19.47 over");
    expect(document.querySelectorAll('[data-budget-state="ok"]').length).toBe(2);
    expect(document.querySelectorAll("#latest-transactions li").length).toBe(5);
  });
});

describe("transactions", () => {
  it("adds a transaction with inline validation and always shows server field errors", async () => {
    await signedInAt("transactions");
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "rows");
    (await need<HTMLButtonElement>("#new-transaction")).click();
    const form = await need<HTMLFormElement>("#transaction-form");
    const dialog = form.closest("[role=dialog]");
    expect(dialog?.getAttribute("aria-modal")).toBe("true");
    expect(document.activeElement).toBe(form.querySelector("[name=amount]"));
    expect(form.querySelector<HTMLInputElement>("[name=date]")?.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Array.from(form.querySelectorAll("optgroup")).map((g) => g.getAttribute("label"))).toEqual(["Income", "Expense"]);

    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    fill(form, { amount: "12.345", categoryId: groceries, description: "Apples", date: "2025-03-14" });
    submit(form);
    expect(text('[data-error-for="amount"]')).toBe("EUR allows at most 2 decimal places.");

    override = { cmd: "add_transaction", error: { code: "validation", message: "must not be more than a year ahead", field: "date", retryAfterSecs: null } };
    fill(form, { amount: "12.30" });
    submit(form);
    await until(() => text('[data-error-for="date"]'), "server date error");
    expect(text('[data-error-for="date"]')).toBe("Date must not be more than a year ahead.");
    expect($("#transaction-form")).not.toBeNull();

    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    await until(() => Array.from(document.querySelectorAll("tr[data-id]")).some((r) => r.textContent?.includes("Apples")), "new row");
    const row = Array.from(document.querySelectorAll("tr[data-id]")).find((r) => r.textContent?.includes("Apples"));
    expect(row?.querySelector(".amount")?.textContent).toBe("-€12.30");
    expect(row?.querySelector(".amount")?.classList.contains("expense")).toBe(true);
  });

  it("retries an add after an unavailable error with the same idempotency key, and a new add with a new one", async () => {
    await signedInAt("transactions");
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "rows");
    const keys = (): unknown[] =>
      invoked.filter((c) => c.cmd === "add_transaction").map((c) => (c.args?.["input"] as Record<string, unknown>)["idempotencyKey"]);
    invoked.length = 0;
    (await need<HTMLButtonElement>("#new-transaction")).click();
    let form = await need<HTMLFormElement>("#transaction-form");
    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    fill(form, { amount: "4.20", categoryId: groceries, description: "Pears", date: "2025-03-14" });
    override = { cmd: "add_transaction", error: { code: "unavailable", message: "the database is unavailable", field: null, retryAfterSecs: null } };
    submit(form);
    await until(() => keys().length === 1 && (form.querySelector("[role=alert]")?.textContent ?? "") !== "", "unavailable shown");
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    const [first, retry] = keys();
    expect(typeof first).toBe("string");
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry).toBe(first);
    await until(() => document.querySelectorAll("tr[data-id]").length === 8, "one new row");

    (await need<HTMLButtonElement>("#new-transaction")).click();
    form = await need<HTMLFormElement>("#transaction-form");
    fill(form, { amount: "4.20", categoryId: groceries, description: "Pears", date: "2025-03-14" });
    submit(form);
    await until(() => !$("#transaction-form"), "second dialog closed");
    expect(keys()).toHaveLength(3);
    expect(keys()[2]).not.toBe(first);
    await until(() => document.querySelectorAll("tr[data-id]").length === 9, "a second row");
  });

  it("deletes after confirmation and restores with Undo", async () => {
    await signedInAt("transactions");
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "rows");
    const row = Array.from(document.querySelectorAll<HTMLElement>("tr[data-id]")).find((r) => r.textContent?.includes("Dinner with friends"));
    row?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    (await need<HTMLButtonElement>("#confirm-ok")).click();
    const undo = await need<HTMLButtonElement>("#undo");
    expect(undo.closest(".toast")?.textContent).toContain("Transaction deleted");
    await until(() => document.querySelectorAll("tr[data-id]").length === 6, "row gone");
    undo.click();
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "row back");
    const restored = Array.from(document.querySelectorAll<HTMLElement>("tr[data-id]")).find((r) => r.textContent?.includes("Dinner with friends"));
    expect(restored?.textContent).toContain("Birthday");
    expect(restored?.dataset["id"]).not.toBe(row?.dataset["id"]);
  });

  it("filters and pages with a cursor stack", async () => {
    boot({ signedIn: true });
    await need("#nav-transactions");
    for (let i = 0; i < 60; i++) {
      const cat = (backend.handle("list_categories") as { id: string; name: string }[]).find((c) => c.name === "Transport")?.id;
      backend.handle("add_transaction", { input: { categoryId: cat, amount: `${i + 1}.00`, date: "2025-02-10", description: `Ticket ${i}`, note: null } });
    }
    ($("#nav-transactions") as HTMLButtonElement).click();
    await until(() => document.querySelectorAll("tr[data-id]").length === 50, "first page");
    const next = await need<HTMLButtonElement>("#next-page");
    const prev = await need<HTMLButtonElement>("#prev-page");
    expect(prev.disabled).toBe(true);
    await until(() => !next.disabled, "next enabled");
    next.click();
    await until(() => document.querySelectorAll("tr[data-id]").length === 17, "second page");
    expect(text("#page-indicator")).toBe("Page 2");
    expect(next.disabled).toBe(true);
    prev.click();
    await until(() => document.querySelectorAll("tr[data-id]").length === 50, "back to first");
    expect(text("#page-indicator")).toBe("Page 1");

    const filters = await need<HTMLFormElement>("#filter-form");
    fill(filters, { text: "ticket 1", minAmount: "15" });
    submit(filters);
    // "ticket 1" matches Ticket 1 and Ticket 10–19 (amounts 2 and 11–20); ≥ 15 leaves Ticket 14–19.
    await until(() => document.querySelectorAll("tr[data-id]").length === 6, "filtered");
    expect(text("#page-indicator")).toBe("Page 1");
    expect(next.disabled).toBe(true);
  });

  it("shows filter errors under the filter input", async () => {
    await signedInAt("transactions");
    const filters = await need<HTMLFormElement>("#filter-form");
    fill(filters, { minAmount: "1.234" });
    submit(filters);
    expect(text('[data-error-for="minAmount"]')).toBe("EUR allows at most 2 decimal places.");
    fill(filters, { minAmount: "50", maxAmount: "10" });
    submit(filters);
    await until(() => text('[data-error-for="maxAmount"]'), "server error");
    expect(text('[data-error-for="maxAmount"]')).toBe("Max amount must not be less than the minimum.");
  });
});

describe("keyboard and dialogs", () => {
  it("N opens a new transaction, Esc closes it and focus returns; / focuses search", async () => {
    boot({ signedIn: true });
    const navBudgets = await need<HTMLButtonElement>("#nav-budgets");
    navBudgets.focus();
    key("n", navBudgets);
    const form = await need<HTMLFormElement>("#transaction-form");
    expect($('[data-screen="transactions"]')).not.toBeNull();
    key("Escape", document.activeElement ?? form);
    await until(() => !$("#transaction-form"), "closed");
    key("/");
    await until(() => document.activeElement === $("#search"), "search focused");
    // Typing in an input never triggers shortcuts.
    key("n", $("#search") as HTMLElement);
    expect($("#transaction-form")).toBeNull();
  });

  it("traps Tab inside a dialog and restores focus on close", async () => {
    await signedInAt("transactions");
    const opener = await need<HTMLButtonElement>("#new-transaction");
    opener.focus();
    opener.click();
    const dialog = await need<HTMLElement>("[role=dialog]");
    const submitBtn = dialog.querySelector<HTMLButtonElement>("#transaction-submit");
    submitBtn?.focus();
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(dialog.querySelector(".dialog-close"));
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", shiftKey: true, bubbles: true, cancelable: true }));
    expect(document.activeElement).toBe(submitBtn);
    ($("#transaction-cancel") as HTMLButtonElement).click();
    expect(document.activeElement).toBe(opener);
  });
});

describe("categories and budgets", () => {
  it("requires a same-type target when deleting a used category", async () => {
    await signedInAt("categories");
    const item = await until(() => Array.from(document.querySelectorAll<HTMLElement>("#expense-categories li")).find((li) => li.textContent?.includes("Eating out")), "item");
    item.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    const form = await need<HTMLFormElement>("#delete-category-form");
    expect(form.textContent).toContain("1 transaction and 1 budget");
    const options = Array.from(form.querySelectorAll<HTMLOptionElement>("[name=moveTo] option")).map((o) => o.textContent);
    expect(options).toEqual(["Choose an expense category…", "Groceries", "Rent", "Transport"]);
    submit(form);
    expect(text('[data-error-for="moveTo"]')).toMatch(/Choose/);
    const rent = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Rent")?.value ?? "";
    fill(form, { moveTo: rent });
    submit(form);
    await until(() => !$("#delete-category-form"), "closed");
    await until(() => !text("#expense-categories").includes("Eating out"), "gone");
  });

  it("adds a budget and shows its bar", async () => {
    await signedInAt("budgets");
    await until(() => document.querySelectorAll("[data-budget-state]").length === 3, "budgets");
    (await need<HTMLButtonElement>("#new-budget")).click();
    const form = await need<HTMLFormElement>("#budget-form");
    const rent = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Rent")?.value ?? "";
    expect(Array.from(form.querySelectorAll("[name=categoryId] option")).some((o) => o.textContent === "Salary")).toBe(false);
    fill(form, { categoryId: rent, limit: "1000", period: "monthly" });
    submit(form);
    await until(() => document.querySelectorAll("[data-budget-state]").length === 4, "new budget");
    const bar = Array.from(document.querySelectorAll<HTMLElement>("[data-budget-state]")).find((b) => b.textContent?.includes("Rent"));
    expect(bar?.dataset["budgetState"]).toBe("over");
  });
});

describe("reports", () => {
  it("shows a period's totals and tables, an empty state, and drills down into Transactions", async () => {
    await signedInAt("reports");
    await need("#report-body[data-loaded]");
    const period = await need<HTMLSelectElement>("#report-period");
    period.value = "custom";
    period.dispatchEvent(new Event("change", { bubbles: true }));
    ($<HTMLInputElement>("#report-from") as HTMLInputElement).value = "2025-03-01";
    ($<HTMLInputElement>("#report-to") as HTMLInputElement).value = "2025-03-31";
    submit(await need<HTMLFormElement>("#report-period-form"));
    await need('#report-body[data-loaded="2025-03-01..2025-03-31"]');
    expect(text("#report-income")).toBe("€3,200.00");
    expect(text("#report-expense")).toBe("€1,614.97");
    expect(text("#report-net")).toBe("€1,585.03");
    const rows = document.querySelectorAll<HTMLTableRowElement>("#report-categories tbody tr");
    expect(rows.length).toBeGreaterThan(0);
    expect(document.querySelector("#report-donut")?.getAttribute("role")).toBe("img");
    expect(document.querySelector("#report-donut")?.getAttribute("aria-label")).toContain("Spending by category");
    expect(document.querySelectorAll("#report-monthly tbody tr").length).toBe(12);
    expect(rows[0]?.cells[3]?.textContent).toMatch(/%$/);

    // A category row opens Transactions with that category and the period.
    const id = rows[0]?.dataset["categoryId"] ?? "";
    rows[0]?.querySelector("button")?.click();
    await need('[data-screen="transactions"]');
    await until(() => $<HTMLSelectElement>("#filter-category")?.value === id, "the category filter");
    expect($<HTMLInputElement>("#filter-from")?.value).toBe("2025-03-01");
    expect($<HTMLInputElement>("#filter-to")?.value).toBe("2025-03-31");
    expect(text("#export-csv")).toBe("Export CSV");

    // An empty period: a friendly empty state, no chart of nothing.
    (await need<HTMLButtonElement>("#nav-reports")).click();
    const p2 = await need<HTMLSelectElement>("#report-period");
    p2.value = "custom";
    p2.dispatchEvent(new Event("change", { bubbles: true }));
    ($<HTMLInputElement>("#report-from") as HTMLInputElement).value = "2019-01-01";
    ($<HTMLInputElement>("#report-to") as HTMLInputElement).value = "2019-01-31";
    submit(await need<HTMLFormElement>("#report-period-form"));
    await need('#report-body[data-loaded="2019-01-01..2019-01-31"] #report-empty');
    expect($("#report-donut")).toBeNull();
  });
});
