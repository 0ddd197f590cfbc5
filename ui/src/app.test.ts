// @vitest-environment happy-dom
// End-to-end behaviour of the UI against the canned in-memory backend (src/dev/mock-backend.ts).
// The mock enforces no server rule: where a test needs the server to refuse something, it queues
// that refusal (`refuse`) and checks what the UI makes of it.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BudgetView, TransactionPage } from "./ipc-types";
import { $, args, backend, boot, calls, fill, invoked, key, need, refuse, rowIds, rowWith, settle, setUp, signedInAt, submit, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);

describe("start-up", () => {
  it("shows Starting… at once, then the login screen, and marks the body ready", async () => {
    boot({ keyringMissing: true });
    expect(text("#app"), "something shows before start-up answers").toContain("Starting…");
    await need("#login-form");
    expect(document.body.dataset["ready"], "the body is marked ready for start-up measurements").toBe("true");
    expect(text("#keyring-error"), "a missing keyring is explained on the login screen").toContain("No Secret Service");
    expect(document.activeElement, "the username field has focus").toBe($("#login-form input[name=username]"));
  });

  it("explains an unreachable MongoDB and can continue on the local store", async () => {
    boot({ mongoDown: true });
    await need("#mongo-error");
    expect(document.body.dataset["ready"], "the error screen is a ready first screen too").toBe("true");
    expect(text("#mongo-error-detail"), "the server's detail is shown").toMatch(/not reachable/);
    (await need<HTMLButtonElement>("#use-local-store")).click();
    await need("#login-form");
    expect(text("#fallback-notice"), "the login screen says the local store is in use").toMatch(/local store/);
  });

  it("retries MongoDB: a refused retry stays on the error screen, a successful one signs in on MongoDB", async () => {
    boot({ mongoDown: true });
    const retry = await need<HTMLButtonElement>("#retry-mongo");
    refuse("retry_mongo", "unavailable", "the database is unavailable");
    retry.click();
    await until(() => text("#mongo-error [role=alert]"), "the refusal");
    expect(text("#mongo-error [role=alert]"), "the refused retry is explained").toMatch(/unavailable/i);
    expect($("#login-form"), "no sign-in while MongoDB is still down").toBeNull();
    await until(() => !retry.disabled, "retry enabled again");

    retry.click();
    await need("#login-form");
    expect(calls("retry_mongo"), "each click asks the Rust side to retry once").toBe(2);
    expect(calls("use_local_store"), "a retry never falls back to the local store").toBe(0);
    expect($("#mongo-error"), "the error screen is gone").toBeNull();
    expect($("#fallback-notice"), "on MongoDB, not the local store: no fallback notice").toBeNull();
  });
});

describe("registration and sign-in", () => {
  it("validates locally, shows server errors by field, then signs in", async () => {
    boot();
    (await need<HTMLButtonElement>("#show-register")).click();
    const form = await need<HTMLFormElement>("#register-form");
    expect(form.querySelector<HTMLSelectElement>("[name=currency]")?.value, "EUR is the default currency").toBe("EUR");
    fill(form, { username: "alice", password: "a long passphrase 7", confirmPassword: "different", firstName: "Alice", lastName: "Smith", email: "alice@example.com" });
    expect(form.querySelector("[data-testid=password-strength]")?.getAttribute("data-score"), "the strength meter reacts to the password").not.toBe("0");
    submit(form);
    expect(text('[data-error-for="confirmPassword"]'), "checked locally before sending").toBe("Confirm password does not match the password.");
    expect(form.querySelector("[name=confirmPassword]")?.getAttribute("aria-invalid"), "the invalid field is marked for assistive technology").toBe("true");

    refuse("register", "conflict", "that email is already registered", "email");
    fill(form, { confirmPassword: "a long passphrase 7" });
    submit(form);
    await until(() => text('[data-error-for="email"]'), "email error");
    expect(text('[data-error-for="email"]'), "the server's conflict shows under the field it names").toBe("Email that email is already registered.");
    expect(text('[data-error-for="confirmPassword"]'), "the earlier local error is gone").toBe("");

    submit(form);
    await need("#nav-dashboard");
    expect(text("#user-name"), "signed in as the registered person").toBe("Alice Smith");
    await need("#month-income");
    expect(text("#month-net"), "a new user's month is empty").toBe("€0.00");
  });

  it("shows refused credentials and rate limiting in the form alert", async () => {
    boot();
    const form = await need<HTMLFormElement>("#login-form");
    fill(form, { username: "nobody", password: "wrong password" });
    refuse("login", "unauthorized", "wrong username or password");
    submit(form);
    await until(() => text("#login-form [data-form-error]"), "alert");
    expect(text("#login-form [data-form-error]"), "refused credentials are said in the form alert").toBe("Wrong username or password.");
    expect(form.querySelector<HTMLInputElement>("[name=password]")?.value, "the password is cleared after a refusal").toBe("");
    expect($("#login-form"), "a refusal at sign-in is not an ended session: still on the form").not.toBeNull();

    refuse("login", "rate_limited", "too many failed attempts; try again in 5 minutes", null, 300);
    fill(form, { password: "again" });
    submit(form);
    await until(() => text("#login-form [data-form-error]").includes("5 minutes"), "rate limit");
    expect($("#nav-dashboard"), "rate limited: not signed in").toBeNull();
  });

  it("sends the app back to login when the session ends anywhere", async () => {
    await signedInAt("settings");
    refuse("list_budgets", "unauthorized", "you are not signed in, or your session has ended; please sign in");
    (await need<HTMLButtonElement>("#nav-budgets")).click();
    await need("#login-form");
    expect(text("#auth-notice"), "the ended session is explained").toMatch(/session has ended/);
  });

  it("shows a rate-limited password change in the form alert, as at sign-in", async () => {
    await signedInAt("settings");
    const form = await need<HTMLFormElement>("#password-form");
    fill(form, { currentPassword: "a guess 1234", newPassword: "brand-new-pass-7", confirmPassword: "brand-new-pass-7" });
    refuse("change_password", "rate_limited", "too many failed attempts; try again in 30 seconds", null, 30);
    submit(form);
    await until(() => text("#password-form [data-form-error]"), "alert");
    expect(text("#password-form [data-form-error]"), "the lock and its wait are said in the form alert").toBe("Too many failed attempts; try again in 30 seconds.");
    expect($("[data-screen=settings]"), "a throttled change is not an ended session: still on Settings").not.toBeNull();
  });

  it("logs out from Settings", async () => {
    await signedInAt("settings");
    (await need<HTMLButtonElement>("#logout")).click();
    await need("#login-form");
    expect(text("#auth-notice"), "the logout is confirmed").toMatch(/signed out/);
  });
});

describe("navigation", () => {
  it("a new screen replaces the old one with its data in, once, when the answer is fast", async () => {
    await signedInAt("dashboard");
    await need('[data-screen="dashboard"] .dashboard[aria-busy="false"]');
    const main = await need("#main");
    const seen: string[] = [];
    const watch = new MutationObserver(() => {
      const screen = main.querySelector<HTMLElement>("[data-screen]");
      seen.push(`${screen?.dataset["screen"] ?? "none"}:${main.querySelectorAll("tbody tr[data-id]").length > 0 ? "rows" : "empty"}`);
    });
    watch.observe(main, { childList: true, subtree: true });
    (await need<HTMLButtonElement>("#nav-transactions")).click();
    await need('[data-screen="transactions"] tbody tr[data-id]');
    watch.disconnect();
    expect(seen.filter((s) => s.startsWith("transactions")), "the list never showed empty first").not.toContain("transactions:empty");
    expect(document.activeElement?.textContent, "focus moves to the new screen's heading").toBe("Transactions");
  });

  it("keeps the old screen while the answer is on its way, then shows the new one loading", async () => {
    await signedInAt("dashboard");
    const handle = backend.handle.bind(backend);
    let release: () => void = () => undefined;
    backend.handle = (cmd, args) =>
      cmd === "list_transactions" ? new Promise((resolve) => (release = () => resolve(handle(cmd, args)))) : handle(cmd, args);
    (await need<HTMLButtonElement>("#nav-transactions")).click();
    expect($("#nav-transactions")?.getAttribute("aria-current"), "the navigation marks the new place at once").toBe("page");
    await settle();
    expect($('[data-screen="dashboard"]'), "the dashboard stays a moment while the list is on its way").not.toBeNull();
    await need('[data-screen="transactions"] .table-wrap[aria-busy="true"]');
    expect($('[data-screen="dashboard"]'), "a slow answer: the new screen shows loading").toBeNull();
    release();
    await need('[data-screen="transactions"] .table-wrap[aria-busy="false"] tbody tr[data-id]');
  });
});

describe("dashboard", () => {
  it("shows the month's figures and budget bars capped at 100%", async () => {
    boot({ signedIn: true });
    await need("#month-income");
    expect(text("#month-income"), "the month's income as the server sent it").toBe("€3,200.00");
    expect(text("#month-expense"), "the month's expense").toBe("€1,614.97");
    expect(text("#month-net"), "the month's net").toBe("€1,585.03");
    const over = await need('[data-budget-state="over"]');
    const bar = over.querySelector<HTMLElement>("[role=progressbar]");
    expect(bar?.getAttribute("aria-valuenow"), "the real percent is exposed, rounded").toBe("105");
    expect(bar?.classList.contains("over"), "the bar is styled as over").toBe(true);
    expect(bar?.querySelector<HTMLElement>(".progress-fill")?.style.width, "the fill is capped at 100%").toBe("100%");
    expect(over.textContent, "the overspend is said in words").toContain("€19.47 over");
    expect(document.querySelectorAll('[data-budget-state="ok"]').length, "the other two budgets are on track").toBe(2);
    expect(document.querySelectorAll("#latest-transactions li").length, "the five latest transactions").toBe(5);
  });
});

describe("transactions", () => {
  it("adds a transaction with inline validation and always shows server field errors", async () => {
    await signedInAt("transactions");
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "rows");
    (await need<HTMLButtonElement>("#new-transaction")).click();
    const form = await need<HTMLFormElement>("#transaction-form");
    const dialog = form.closest("[role=dialog]");
    expect(dialog?.getAttribute("aria-modal"), "the dialog is modal").toBe("true");
    expect(document.activeElement, "the amount field has focus").toBe(form.querySelector("[name=amount]"));
    expect(form.querySelector<HTMLInputElement>("[name=date]")?.value, "the date defaults to today, typed the en-US way").toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(form.querySelector<HTMLInputElement>("#mode-expense")?.checked, "a new entry starts as an expense").toBe(true);
    const offered = (): string[] => Array.from(form.querySelectorAll<HTMLOptionElement>("[name=categoryId] option")).map((o) => o.textContent ?? "");
    expect(offered(), "expense mode offers the expense categories").toEqual(["Choose a category…", "Eating out", "Groceries", "Rent", "Transport"]);
    form.querySelector<HTMLInputElement>("#mode-income")?.click();
    expect(offered(), "income mode offers the income categories").toEqual(["Choose a category…", "Other income", "Salary"]);
    form.querySelector<HTMLInputElement>("#mode-expense")?.click();

    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    fill(form, { amount: "12.345", categoryId: groceries, description: "Apples", date: "2025-03-14" });
    submit(form);
    expect(text('[data-error-for="amount"]'), "checked locally before sending").toBe("EUR allows at most 2 decimal places.");

    expect(calls("add_transaction"), "a local validation error sends nothing").toBe(0);
    refuse("add_transaction", "validation", "must not be more than a year ahead", "date");
    fill(form, { amount: "12.30" });
    submit(form);
    await until(() => text('[data-error-for="date"]'), "server date error");
    expect(text('[data-error-for="date"]'), "the server's date error shows under the date").toBe("Date must not be more than a year ahead.");
    expect($("#transaction-form"), "the dialog stays open after a refusal").not.toBeNull();

    const before = invoked.length;
    const idsBefore = rowIds();
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    await until(() => rowWith("Apples"), "new row");
    const row = rowWith("Apples");
    expect(row?.querySelector(".amount")?.textContent, "an expense shows with a minus").toBe("-€12.30");
    expect(row?.querySelector(".amount")?.classList.contains("expense"), "and is classed for colour").toBe(true);
    expect(calls("list_transactions", before), "the returned transaction is shown without fetching the page again").toBe(0);
    const at = rowIds().indexOf(row?.dataset["id"] ?? "");
    const transportAt = idsBefore.indexOf(rowWith("Monthly pass")?.dataset["id"] ?? "");
    expect(at, "placed where the server lists it: dated the 14th, newer than the other row of the 14th").toBe(transportAt);
    expect(text("#results-status"), "the status counts the new row").toBe("Page 1: 8 transactions.");
  });

  it("replaces an edited row in place, and moves it when its date changes", async () => {
    await signedInAt("transactions");
    await until(() => rowIds().length === 7, "rows");
    const order = rowIds();
    const shop = rowWith("Weekly shop");
    const before = invoked.length;
    shop?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    let form = await need<HTMLFormElement>("#transaction-form");
    expect(form.querySelector<HTMLInputElement>("[name=amount]")?.value, "the dialog shows the stored amount").toBe("84.37");
    fill(form, { amount: "90.00" });
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    await until(() => rowWith("Weekly shop")?.querySelector(".amount")?.textContent === "-€90.00", "the new amount");
    expect(rowIds(), "same date: the row keeps its place").toEqual(order);
    expect(calls("list_transactions", before), "the returned row replaces the old one without a reload").toBe(0);

    rowWith("Weekly shop")?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    form = await need<HTMLFormElement>("#transaction-form");
    fill(form, { date: "2025-03-15" });
    submit(form);
    // The 15th already has "Big stock-up", added later (a larger id): the server lists it first.
    await until(() => rowIds()[1] === shop?.dataset["id"], "moved up to the 15th");
    expect(rowIds()[0], "the later-added row of the same date stays first").toBe(rowWith("Big stock-up")?.dataset["id"]);
    expect(calls("list_transactions", before), "moved without a reload").toBe(0);
  });

  it("retries an add after an unavailable error with the same idempotency key, and a new add with a new one", async () => {
    await signedInAt("transactions");
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "rows");
    const keys = (): unknown[] =>
      invoked.filter((c) => c.cmd === "add_transaction").map((c) => (c.args?.["input"] as Record<string, unknown>)["idempotencyKey"]);
    (await need<HTMLButtonElement>("#new-transaction")).click();
    let form = await need<HTMLFormElement>("#transaction-form");
    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    fill(form, { amount: "4.20", categoryId: groceries, description: "Pears", date: "2025-03-14" });
    refuse("add_transaction", "unavailable", "the database is unavailable");
    submit(form);
    await until(() => keys().length === 1 && (form.querySelector("[role=alert]")?.textContent ?? "") !== "", "unavailable shown");
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    const [first, retry] = keys();
    expect(first, "the add carries a UUID key").toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(retry, "the retry of the same add sends the same key").toBe(first);
    await until(() => document.querySelectorAll("tr[data-id]").length === 8, "one new row");

    (await need<HTMLButtonElement>("#new-transaction")).click();
    form = await need<HTMLFormElement>("#transaction-form");
    fill(form, { amount: "4.20", categoryId: groceries, description: "Pears", date: "2025-03-14" });
    submit(form);
    await until(() => !$("#transaction-form"), "second dialog closed");
    expect(keys(), "one call per submission").toHaveLength(3);
    expect(keys()[2], "a new add gets a new key").not.toBe(first);
    await until(() => document.querySelectorAll("tr[data-id]").length === 9, "a second row");
  });

  it("deletes after confirmation and restores with Undo", async () => {
    await signedInAt("transactions");
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "rows");
    const order = rowIds();
    const row = rowWith("Dinner with friends");
    const before = invoked.length;
    row?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    (await need<HTMLButtonElement>("#confirm-ok")).click();
    const undo = await need<HTMLButtonElement>("#undo");
    expect(undo.closest(".toast")?.textContent, "the toast offers the undo").toContain("Transaction deleted");
    await until(() => document.querySelectorAll("tr[data-id]").length === 6, "row gone");
    expect(calls("delete_transaction", before), "deleted once").toBe(1);
    undo.click();
    await until(() => document.querySelectorAll("tr[data-id]").length === 7, "row back");
    const restored = rowWith("Dinner with friends");
    expect(restored?.textContent, "the note is restored too").toContain("Birthday");
    expect(restored?.dataset["id"], "the undo re-adds it: a new id").not.toBe(row?.dataset["id"]);
    expect(rowIds().indexOf(restored?.dataset["id"] ?? ""), "back in its place").toBe(order.indexOf(row?.dataset["id"] ?? ""));
    expect(calls("list_transactions", before), "delete and undo update the page without fetching it").toBe(0);
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
    expect(prev.disabled, "no previous page on page 1").toBe(true);
    await until(() => !next.disabled, "next enabled");
    next.click();
    await until(() => document.querySelectorAll("tr[data-id]").length === 17, "second page");
    expect(text("#page-indicator"), "the page indicator follows").toBe("Page 2");
    expect(next.disabled, "no next page on the last page").toBe(true);
    prev.click();
    await until(() => document.querySelectorAll("tr[data-id]").length === 50, "back to first");
    expect(text("#page-indicator"), "back on page 1").toBe("Page 1");

    const filters = await need<HTMLFormElement>("#filter-form");
    // Filtering is the server's: the test answers the filtered request with a canned page.
    const all = backend.handle("list_transactions", { input: { limit: 200, cursor: null } }) as TransactionPage;
    const matching: TransactionPage = { items: all.items.filter((t) => /^Ticket 1[4-9]$/.test(t.description)), nextCursor: null };
    backend.respondOnce("list_transactions", { value: matching });
    const before = invoked.length;
    fill(filters, { text: "ticket 1", minAmount: "15" });
    submit(filters);
    await until(() => document.querySelectorAll("tr[data-id]").length === 6, "filtered");
    const sent = invoked.slice(before).filter((c) => c.cmd === "list_transactions").map((c) => c.args?.["input"] as Record<string, unknown>);
    expect(sent, "one request for the filtered first page").toHaveLength(1);
    expect(sent[0], "the filters go to the server, from page 1").toMatchObject({ text: "ticket 1", minAmount: "15.00", maxAmount: null, cursor: null, limit: 50 });
    expect(text("#page-indicator"), "a new filter starts at page 1").toBe("Page 1");
    expect(next.disabled, "no next page in the answer: Next is off").toBe(true);
  });

  it("shows filter errors under the filter input", async () => {
    await signedInAt("transactions");
    const filters = await need<HTMLFormElement>("#filter-form");
    const before = invoked.length;
    fill(filters, { minAmount: "1.234" });
    submit(filters);
    expect(text('[data-error-for="minAmount"]'), "checked locally").toBe("EUR allows at most 2 decimal places.");
    await settle();
    expect(calls("list_transactions", before), "an invalid filter is not sent").toBe(0);
    refuse("list_transactions", "validation", "must not be less than the minimum", "maxAmount");
    fill(filters, { minAmount: "50", maxAmount: "10" });
    submit(filters);
    await until(() => text('[data-error-for="maxAmount"]'), "server error");
    expect(text('[data-error-for="maxAmount"]'), "the server's refusal shows under its input").toBe("Max amount must not be less than the minimum.");
  });
});

describe("keyboard and dialogs", () => {
  it("N opens a new transaction, Esc closes it and focus returns; / focuses search", async () => {
    boot({ signedIn: true });
    const navBudgets = await need<HTMLButtonElement>("#nav-budgets");
    navBudgets.focus();
    key("n", navBudgets);
    const form = await need<HTMLFormElement>("#transaction-form");
    expect($('[data-screen="transactions"]'), "N goes to Transactions").not.toBeNull();
    key("Escape", document.activeElement ?? form);
    await until(() => !$("#transaction-form"), "closed");
    key("/");
    await until(() => document.activeElement === $("#search"), "search focused");
    // Typing in an input never triggers shortcuts (the dialog would open after a few ticks).
    key("n", $("#search") as HTMLElement);
    await settle();
    expect($("#transaction-form"), "N typed into the search box is text, not a shortcut").toBeNull();
    expect(document.activeElement, "focus stays in the search box").toBe($("#search"));
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
    expect(document.activeElement, "Tab from the last control wraps to the first").toBe(dialog.querySelector(".dialog-close"));
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Tab", shiftKey: true, bubbles: true, cancelable: true }));
    expect(document.activeElement, "Shift+Tab from the first wraps to the last").toBe(submitBtn);
    ($("#transaction-cancel") as HTMLButtonElement).click();
    expect(document.activeElement, "focus returns to the button that opened the dialog").toBe(opener);
  });
});

describe("categories and budgets", () => {
  it("asks for a same-type target when deleting a used category, and shows the server's refusal of one", async () => {
    await signedInAt("categories");
    const item = await until(() => Array.from(document.querySelectorAll<HTMLElement>("#expense-categories li")).find((li) => li.textContent?.includes("Eating out")), "item");
    item.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    const form = await need<HTMLFormElement>("#delete-category-form");
    expect(form.textContent, "the usage the server counted").toContain("1 transaction and 1 budget");
    const options = Array.from(form.querySelectorAll<HTMLOptionElement>("[name=moveTo] option")).map((o) => o.textContent);
    expect(options, "only the other expense categories are offered").toEqual(["Choose an expense category…", "Groceries", "Rent", "Transport"]);
    const before = invoked.length;
    submit(form);
    expect(text('[data-error-for="moveTo"]'), "a target is required before asking the server").toMatch(/Choose/);
    expect(calls("delete_category", before), "nothing sent without a target").toBe(0);

    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    refuse("delete_category", "conflict", "already has a budget for that period", "moveTo");
    fill(form, { moveTo: groceries });
    submit(form);
    await until(() => text('[data-error-for="moveTo"]').includes("budget"), "the refusal");
    expect(text('[data-error-for="moveTo"]'), "the server's refusal shows under the target").toBe("Move them to already has a budget for that period.");
    expect($("#delete-category-form"), "the dialog stays open to choose again").not.toBeNull();
    expect(text("#expense-categories"), "nothing deleted").toContain("Eating out");

    const rent = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Rent")?.value ?? "";
    fill(form, { moveTo: rent });
    submit(form);
    await until(() => !$("#delete-category-form"), "closed");
    await until(() => !text("#expense-categories").includes("Eating out"), "gone");
    expect(invoked.slice(before).filter((c) => c.cmd === "delete_category").map((c) => c.args?.["input"]), "the second try sends the new target")
      .toEqual([{ id: item.dataset["id"], moveTo: groceries }, { id: item.dataset["id"], moveTo: rent }]);
  });

  it("fetches categories once per session, and category writes keep every screen current", async () => {
    await signedInAt("transactions");
    await until(() => rowIds().length === 7, "rows");
    for (const route of ["categories", "budgets", "transactions", "categories"]) {
      (await need<HTMLButtonElement>(`#nav-${route}`)).click();
      await need(`[data-screen="${route}"]`);
    }
    const form = await need<HTMLFormElement>("#category-form");
    await until(() => text("#expense-categories").includes("Rent"), "the lists");
    fill(form, { name: "Books", type: "expense" });
    submit(form);
    await until(() => text("#expense-categories").includes("Books"), "the added category");
    const rename = Array.from(document.querySelectorAll<HTMLElement>("#expense-categories li")).find((li) => li.textContent?.includes("Rent"));
    rename?.querySelector<HTMLButtonElement>("[data-action=rename]")?.click();
    const renameForm = await need<HTMLFormElement>("#rename-category-form");
    fill(renameForm, { name: "Housing" });
    submit(renameForm);
    await until(() => text("#expense-categories").includes("Housing"), "the renamed category");

    (await need<HTMLButtonElement>("#nav-budgets")).click();
    (await need<HTMLButtonElement>("#new-budget")).click();
    const budgetForm = await need<HTMLFormElement>("#budget-form");
    const offered = Array.from(budgetForm.querySelectorAll("[name=categoryId] option")).map((o) => o.textContent);
    expect(offered, "the budget editor offers the added and renamed categories").toEqual(expect.arrayContaining(["Books", "Housing"]));
    expect(offered, "and not the old name").not.toContain("Rent");
    expect(calls("list_categories"), "one fetch for the whole session").toBe(1);
  });

  it("adds a budget, showing the bar the server returned, and edits one in place", async () => {
    await signedInAt("budgets");
    await until(() => document.querySelectorAll("[data-budget-state]").length === 3, "budgets");
    (await need<HTMLButtonElement>("#new-budget")).click();
    const form = await need<HTMLFormElement>("#budget-form");
    const rent = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Rent")?.value ?? "";
    expect(Array.from(form.querySelectorAll("[name=categoryId] option")).some((o) => o.textContent === "Salary"), "budgets are offered on expense categories only").toBe(false);
    const returned: BudgetView = {
      id: "b0000000000000000000rent", categoryId: rent, categoryName: "Rent", limit: "1000.00", period: "monthly", periodStart: "2025-03-01", periodEnd: "2025-03-31",
      spent: "1100.00", remaining: "-100.00", percent: 110, state: "over",
    };
    backend.respondOnce("add_budget", { value: returned });
    const before = invoked.length;
    fill(form, { categoryId: rent, limit: "1000", period: "monthly" });
    submit(form);
    await until(() => document.querySelectorAll("[data-budget-state]").length === 4, "new budget");
    const bars = Array.from(document.querySelectorAll<HTMLElement>("[data-budget-state]"));
    expect(bars[3]?.dataset["id"], "the new budget goes last, as the server lists them").toBe(returned.id);
    expect(bars[3]?.dataset["budgetState"], "the state the server worked out").toBe("over");
    expect(bars[3]?.textContent, "and its figures").toContain("€100.00 over");
    expect(invoked.slice(before).find((c) => c.cmd === "add_budget")?.args?.["input"], "the form's values are sent, the amount as an exact decimal").toEqual({ categoryId: rent, limit: "1000.00", period: "monthly" });
    expect(calls("list_budgets", before), "no reload after the add").toBe(0);

    const first = bars[0];
    first?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    const edit = await need<HTMLFormElement>("#budget-form");
    fill(edit, { limit: "500" });
    submit(edit);
    await until(() => document.querySelector<HTMLElement>("[data-budget-state]")?.textContent?.includes("of €500.00"), "the edited limit");
    expect(document.querySelector<HTMLElement>("[data-budget-state]")?.dataset["id"], "the edited bar keeps its place").toBe(first?.dataset["id"]);
    expect(document.querySelectorAll("[data-budget-state]").length, "still four budgets").toBe(4);
    expect(calls("list_budgets", before), "no reload after the edit").toBe(0);
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
    expect(text("#report-income"), "the report's income").toBe("€3,200.00");
    expect(text("#report-expense"), "the report's expense").toBe("€1,614.97");
    expect(text("#report-net"), "the net is worked out exactly from the two").toBe("€1,585.03");
    const rows = document.querySelectorAll<HTMLTableRowElement>("#report-categories tbody tr");
    expect(rows.length, "a row per category with spending").toBeGreaterThan(0);
    expect(document.querySelector("#report-donut")?.getAttribute("role"), "the chart is an image for assistive technology").toBe("img");
    expect(document.querySelector("#report-donut")?.getAttribute("aria-label"), "with a summary as its label").toContain("Spending by category");
    expect(document.querySelectorAll("#report-monthly tbody tr").length, "twelve months in the trend table").toBe(12);
    expect(rows[0]?.cells[3]?.textContent, "the share is shown as a percentage").toMatch(/%$/);

    // A category row opens Transactions with that category and the period.
    const id = rows[0]?.dataset["categoryId"] ?? "";
    rows[0]?.querySelector("button")?.click();
    await need('[data-screen="transactions"]');
    await until(() => $<HTMLSelectElement>("#filter-category")?.value === id, "the category filter");
    expect($<HTMLInputElement>("#filter-from")?.value, "the period's start").toBe("2025-03-01");
    expect($<HTMLInputElement>("#filter-to")?.value, "the period's end").toBe("2025-03-31");
    expect(text("#export-csv"), "a filtered list exports as filtered").toBe("Export CSV");

    // An empty period: a friendly empty state, no chart of nothing.
    (await need<HTMLButtonElement>("#nav-reports")).click();
    const p2 = await need<HTMLSelectElement>("#report-period");
    p2.value = "custom";
    p2.dispatchEvent(new Event("change", { bubbles: true }));
    ($<HTMLInputElement>("#report-from") as HTMLInputElement).value = "2019-01-01";
    ($<HTMLInputElement>("#report-to") as HTMLInputElement).value = "2019-01-31";
    submit(await need<HTMLFormElement>("#report-period-form"));
    await need('#report-body[data-loaded="2019-01-01..2019-01-31"] #report-empty');
    expect($("#report-donut"), "no chart of nothing").toBeNull();
  });

  it("filters every part of the report to one account and charts net worth over every account", async () => {
    await signedInAt("reports");
    await need("#report-body[data-loaded]");
    const period = await need<HTMLSelectElement>("#report-period");
    period.value = "custom";
    period.dispatchEvent(new Event("change", { bubbles: true }));
    ($<HTMLInputElement>("#report-from") as HTMLInputElement).value = "2025-03-01";
    ($<HTMLInputElement>("#report-to") as HTMLInputElement).value = "2025-03-31";
    submit(await need<HTMLFormElement>("#report-period-form"));
    await need('#report-body[data-loaded="2025-03-01..2025-03-31"] #report-net-worth-chart');
    expect(args("net_worth_series")?.["input"], "the 12 months ending with the report's").toEqual({ from: "2024-04-01", to: "2025-03-31" });
    expect(text("#report-net-worth"), "the latest month's net worth, the server's exact figure").toBe("€6,335.03");
    expect($("#report-net-worth-chart")?.getAttribute("aria-label"), "the chart's summary").toContain("Net worth at the end of each month");
    expect(document.querySelectorAll("#report-net-worth-table tbody tr").length, "the same twelve months as the trend").toBe(12);
    expect($("#report-net-worth-note"), "no note while the report shows every account").toBeNull();
    const select = await need<HTMLSelectElement>("#report-account");
    await until(() => select.options.length > 1, "the accounts in the filter");
    expect(Array.from(select.options).map((o) => o.text), "the open accounts; the archived one without rows is left out").toEqual(["All accounts", "Main account", "Savings", "Visa"]);
    const savings = Array.from(select.options).find((o) => o.text === "Savings")?.value ?? "";
    const before = invoked.length;
    select.value = savings;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await need(`#report-body[data-account="${savings}"]`);
    expect(args("report")?.["input"], "the report is asked for that account").toMatchObject({ accountId: savings });
    expect(calls("net_worth_series", before), "net worth does not depend on the account: not asked again").toBe(0);
    expect(text("#report-range"), "the account is named under the title").toContain("Savings");
    expect(text("#report-expense"), "the account's own figures (none in the demo)").toBe("€0.00");
    expect($("#report-net-worth-note"), "the chart says it still counts every account").not.toBeNull();
    select.value = "";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await need('#report-body[data-account=""]');
    expect(args("report")?.["input"], "every account again: no accountId").not.toHaveProperty("accountId");
    expect(text("#report-expense"), "every account's expense").toBe("€1,614.97");
  });
});
