// @vitest-environment happy-dom
// Fast, locale-correct entry against the canned backend: amounts typed as people type them (a
// decimal comma, grouping, a minus for a refund) go to the server as exact decimals; Settings'
// formats change how amounts show and how dates are typed; "Save and add another" (Ctrl+Enter)
// keeps the date, account and category; "+" / "-" step the date.
import { afterEach, describe, expect, it, vi } from "vitest";
import { $, args, backend, calls, fill, invoked, need, settle, setUp, signedInAt, submit, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);
afterEach(() => localStorage.clear());

const sentAdds = (): Record<string, unknown>[] =>
  invoked.filter((c) => c.cmd === "add_transaction").map((c) => c.args?.["input"] as Record<string, unknown>);

async function newTransaction(): Promise<HTMLFormElement> {
  (await need<HTMLButtonElement>("#new-transaction")).click();
  return need<HTMLFormElement>("#transaction-form");
}

function optionValue(form: HTMLFormElement, label: string): string {
  return Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === label)?.value ?? "";
}

function ctrlEnter(target: Element): void {
  target.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
}

describe("typed amounts", () => {
  it("reads a decimal comma and grouping in an English locale and sends the exact decimal", async () => {
    await signedInAt("transactions");
    const form = await newTransaction();
    fill(form, { amount: "1,234.5", categoryId: optionValue(form, "Groceries"), description: "Grouped" });
    submit(form);
    await until(() => !$("#transaction-form"), "the dialog closed after the add");
    expect(sentAdds()[0]?.["amount"], "grouping dropped, two decimals: minor units exactly").toBe("1234.50");

    const again = await newTransaction();
    fill(again, { amount: "4,5", categoryId: optionValue(again, "Groceries"), description: "Comma" });
    submit(again);
    await until(() => !$("#transaction-form"), "the dialog closed after the add");
    expect(sentAdds()[1]?.["amount"], "a lone comma that cannot group thousands is the decimal").toBe("4.50");
  });

  it("turns a typed minus on an expense into a refund, and refuses it on income", async () => {
    await signedInAt("transactions");
    const form = await newTransaction();
    fill(form, { amount: "-12,30", categoryId: optionValue(form, "Groceries"), description: "Returned shoes" });
    form.querySelector<HTMLInputElement>("[name=amount]")?.dispatchEvent(new Event("blur"));
    expect(form.querySelector<HTMLInputElement>("#refund")?.checked, "the Refund switch shows what the minus meant").toBe(true);
    expect(form.querySelector<HTMLInputElement>("[name=amount]")?.value, "the amount keeps its digits, without the sign").toBe("12,30");
    submit(form);
    await until(() => !$("#transaction-form"), "the dialog closed after the add");
    expect(sentAdds()[0]?.["amount"], "a refund is a negative expense").toBe("-12.30");

    const income = await newTransaction();
    income.querySelector<HTMLInputElement>("#mode-income")?.click();
    fill(income, { amount: "-5", categoryId: optionValue(income, "Salary"), description: "Minus income" });
    submit(income);
    expect(text('[data-error-for="amount"]'), "income cannot be negative").toBe("Amount must be greater than zero.");
    expect(calls("add_transaction"), "nothing more was sent").toBe(1);
  });
});

describe("Settings → Formats", () => {
  it("shows amounts the German way and reads typed amounts and dates in that format", async () => {
    await signedInAt("settings");
    fill(await need("#settings-formats + .row, section[aria-labelledby=settings-formats]"), { numberFormat: "de", dateFormat: "DD.MM.YYYY" });
    expect(text("#format-example").replace(/\s/g, " "), "the example follows the choice").toContain("7.620,00 €");
    expect(text("#format-example"), "and the typed date format").toContain("31.12.2025");

    (await need<HTMLButtonElement>("#nav-transactions")).click();
    await need('[data-screen="transactions"]');
    await until(() => document.querySelectorAll("tr[data-id]").length > 0, "rows");
    const form = await newTransaction();
    expect(form.querySelector<HTMLInputElement>("[name=date]")?.value, "today, typed the chosen way").toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    fill(form, { amount: "1.234,56", date: "7.3.2025", categoryId: optionValue(form, "Groceries"), description: "German" });
    submit(form);
    await until(() => !$("#transaction-form"), "the dialog closed after the add");
    expect(sentAdds()[0], "exact decimal and ISO date on the wire").toMatchObject({ amount: "1234.56", date: "2025-03-07" });
    const row = Array.from(document.querySelectorAll<HTMLElement>("tr[data-id]")).find((r) => r.textContent?.includes("German"));
    expect(row?.querySelector(".amount")?.textContent?.replace(/\s/g, " "), "the list shows grouping the German way").toBe("-1.234,56 €");

    const german = await newTransaction();
    fill(german, { amount: "1,234", categoryId: optionValue(german, "Groceries"), description: "Three decimals" });
    submit(german);
    expect(text('[data-error-for="amount"]'), "a German 1,234 has three decimals: refused, not read as 1234").toBe("EUR allows at most 2 decimal places.");
  });

  it("keeps the choice for the next sign-in on this computer", async () => {
    await signedInAt("settings");
    fill(await need("section[aria-labelledby=settings-formats]"), { numberFormat: "fr" });
    await signedInAt("dashboard");
    await settle();
    expect(($<HTMLSelectElement>("#format-number") ?? null), "the dashboard has no format field").toBeNull();
    (await need<HTMLButtonElement>("#nav-settings")).click();
    expect((await need<HTMLSelectElement>("#format-number")).value, "the choice was kept").toBe("fr");
  });
});

describe("the transaction form's keyboard flow", () => {
  it("Save and add another (Ctrl+Enter) keeps date, account and category and empties the rest", async () => {
    await signedInAt("transactions");
    const form = await newTransaction();
    const groceries = optionValue(form, "Groceries");
    fill(form, { amount: "12,30", date: "2025-03-10", categoryId: groceries, description: "Corner shop", note: "milk" });
    ctrlEnter(form.querySelector("[name=description]") as Element);
    await until(() => calls("add_transaction") === 1, "the first add");
    await until(() => text("#transaction-added").startsWith("1 added"), "the count of added entries");
    expect($("#transaction-form"), "the dialog stays open for the next one").not.toBeNull();
    const value = (name: string): string => form.querySelector<HTMLInputElement>(`[name=${name}]`)?.value ?? "";
    expect([value("amount"), value("description"), value("note")], "amount, description and note are emptied").toEqual(["", "", ""]);
    expect(value("categoryId"), "the category is kept").toBe(groceries);
    expect(value("date"), "the date is kept as typed").toBe("2025-03-10");
    expect(document.activeElement, "the amount has focus for the next receipt").toBe(form.querySelector("[name=amount]"));

    fill(form, { amount: "3", description: "Corner shop" });
    ($<HTMLButtonElement>("#transaction-save-another") as HTMLButtonElement).click();
    await until(() => calls("add_transaction") === 2, "the second add");
    const [first, second] = sentAdds();
    expect(second, "the second add has the kept fields").toMatchObject({ amount: "3.00", date: "2025-03-10", categoryId: groceries, note: null });
    expect(first?.["idempotencyKey"], "each entry is its own add").not.toBe(second?.["idempotencyKey"]);
    await until(() => text("#transaction-added").startsWith("2 added"), "two added");
    const rows = Array.from(document.querySelectorAll<HTMLElement>("tr[data-id]")).filter((r) => r.textContent?.includes("Corner shop"));
    expect(rows.length, "both rows are in the list behind the dialog").toBe(2);
  });

  it("steps the date with + and -, across a month end", async () => {
    await signedInAt("transactions");
    const form = await newTransaction();
    const date = form.querySelector<HTMLInputElement>("[name=date]") as HTMLInputElement;
    fill(form, { date: "2025-02-28" });
    date.dispatchEvent(new KeyboardEvent("keydown", { key: "+", bubbles: true, cancelable: true }));
    expect(date.value, "a day forward").toBe("03/01/2025");
    date.dispatchEvent(new KeyboardEvent("keydown", { key: "-", bubbles: true, cancelable: true }));
    date.dispatchEvent(new KeyboardEvent("keydown", { key: "-", bubbles: true, cancelable: true }));
    expect(date.value, "two days back").toBe("02/27/2025");
    expect(args("add_transaction"), "stepping sends nothing").toBeUndefined();
  });
});

describe("‹ previous / next ›", () => {
  it("steps the dashboard and the budgets through months and back to this one", async () => {
    await signedInAt("dashboard");
    await need("#month-income");
    const thisMonth = text("#dashboard-month-label");
    ($<HTMLButtonElement>("#dashboard-month-prev") as HTMLButtonElement).click();
    await until(() => calls("dashboard") === 2, "the previous month asked for");
    const asked = args("dashboard")?.["input"] as { date?: string };
    expect(asked.date, "the first day of the month before this one").toMatch(/^\d{4}-\d{2}-01$/);
    expect(text("#dashboard-month-label"), "the label names the month shown").not.toBe(thisMonth);
    expect(($<HTMLButtonElement>("#dashboard-month-today") as HTMLButtonElement).hidden, "a way back to this month").toBe(false);
    ($<HTMLButtonElement>("#dashboard-month-today") as HTMLButtonElement).click();
    await until(() => calls("dashboard") === 3, "this month again");
    expect(args("dashboard")?.["input"], "this month: no date").toEqual({});
    expect(text("#dashboard-month-label")).toBe(thisMonth);

    (await need<HTMLButtonElement>("#nav-budgets")).click();
    await need("#budgets-month-prev");
    const before = calls("list_budgets");
    ($<HTMLButtonElement>("#budgets-month-prev") as HTMLButtonElement).click();
    ($<HTMLButtonElement>("#budgets-month-prev") as HTMLButtonElement).click();
    await until(() => calls("list_budgets") === before + 2, "two steps back");
    const date = (args("list_budgets")?.["input"] as { date?: string }).date ?? "";
    expect(date, "the periods containing the last day of the month shown").toMatch(/^\d{4}-\d{2}-(28|29|30|31)$/);
  });
});

describe("Settings → the currency", () => {
  it("says why the currency is fixed once amounts are recorded in it", async () => {
    await signedInAt("settings");
    const fixed = await need("#currency-fixed");
    expect(fixed.textContent, "the demo's transactions hold amounts").toMatch(/^Your amounts are kept in EUR \(\d+ transactions, \d+ budgets and \d+ account balances?\), so the currency cannot change/);
    expect($("#currency-change"), "no way to change it").toBeNull();
  });

  it("lists what holds amounts in plain words", async () => {
    const { currencyFixedReason } = await import("./screens/settings-currency");
    expect(currencyFixedReason({ transactions: 1, budgets: 0, balances: 0, schedules: 0, rules: 0, canChange: false }, "EUR")).toContain("(1 transaction), so");
    expect(currencyFixedReason({ transactions: 0, budgets: 2, balances: 1, schedules: 0, rules: 0, canChange: false }, "JPY")).toContain("(2 budgets and 1 account balance), so");
  });
});

describe("the suggestion in the keyboard flow", () => {
  it("takes the suggestion on Enter in the description, then Ctrl+Enter adds it and the next one starts clean", async () => {
    await signedInAt("transactions");
    const form = await newTransaction();
    const groceries = optionValue(form, "Groceries");
    const suggestion = { source: "learned", ruleId: null, ruleName: null, categoryId: groceries, categoryName: "Groceries", description: "Corner Shop", note: null, amount: "4.20", type: "expense" };
    backend.respondOnce("suggest_for", { value: suggestion });
    fill(form, { amount: "3,50", description: "Cor" });
    await until(() => text("#description-suggestion").includes("Corner Shop"), "the suggestion shows");
    const description = form.querySelector<HTMLInputElement>("[name=description]") as HTMLInputElement;
    const enter = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
    description.dispatchEvent(enter);
    expect(enter.defaultPrevented, "Enter took the suggestion instead of submitting").toBe(true);
    expect(description.value, "the description is the suggestion's").toBe("Corner Shop");
    expect(form.querySelector<HTMLInputElement>("[name=amount]")?.value, "a typed amount is kept").toBe("3,50");
    expect(calls("add_transaction"), "nothing was added by that Enter").toBe(0);
    ctrlEnter(description);
    await until(() => calls("add_transaction") === 1, "the add");
    expect(sentAdds()[0], "the suggested description and category, the typed amount").toMatchObject({ description: "Corner Shop", categoryId: groceries, amount: "3.50" });
    await until(() => ($("#description-suggestion") as HTMLElement | null)?.hidden === true, "the suggestion is gone for the next entry");
    const again = new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true });
    description.dispatchEvent(again);
    expect(again.defaultPrevented, "no suggestion: Enter keeps its meaning").toBe(false);
  });
});
