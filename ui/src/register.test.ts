// @vitest-environment happy-dom
// The register, transfers and refunds in the whole app against the canned backend
// (src/dev/mock-backend.ts): an account opens its register (running balances from
// account_register), the form's Transfer mode and Refund switch send exactly what the server
// needs, a transfer's leg edits and deletes the transfer, a reconciled row asks before it changes.
import { afterEach, describe, expect, it, vi } from "vitest";
import { $, args, calls, fill, need, refuse, rowWith, setUp, signedInAt, submit, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);
afterEach(() => localStorage.clear());

const accountId = (name: string): string =>
  Array.from(document.querySelectorAll<HTMLElement>(".account-item")).find((li) => li.querySelector(".account-name")?.textContent === name)?.dataset["id"] ?? "";
const headings = (): string[] => Array.from(document.querySelectorAll("#transactions-table th")).map((t) => t.textContent ?? "");

async function newEntry(mode: "expense" | "income" | "transfer"): Promise<HTMLFormElement> {
  (await need<HTMLButtonElement>("#new-transaction")).click();
  const form = await need<HTMLFormElement>("#transaction-form");
  form.querySelector<HTMLInputElement>(`#mode-${mode}`)?.click();
  return form;
}

describe("the register", () => {
  it("opens from the Accounts screen, filtered to the account, with a running balance per row", async () => {
    await signedInAt("accounts");
    await need(".account-item");
    const main = accountId("Main account");
    document.querySelector<HTMLButtonElement>(`.account-item[data-id="${main}"] [data-action=open]`)?.click();
    await until(() => headings().includes("Balance"), "the Balance column");
    expect(args("account_register")?.["input"], "the register command for that account, newest first").toMatchObject({ accountId: main, sort: "date_desc" });
    expect($<HTMLSelectElement>("#filter-account")?.value, "the account filter shows the account").toBe(main);
    const newest = rowWith("Big stock-up");
    expect(newest?.querySelector(".balance-col")?.textContent, "the balance after the newest row is the account's (opening 0 + salary − expenses)").toBe("€1,585.03");
    expect(text("#results-status")).toContain("Main account register");

    // Sorted by amount the rows have gaps in time: the plain list, no balances.
    fill(await need("#filter-form"), { sort: "amount_desc" });
    $<HTMLSelectElement>("#sort")?.dispatchEvent(new Event("change"));
    await until(() => !headings().includes("Balance"), "the plain list");
    expect(args("list_transactions")?.["input"], "the list keeps the account filter").toMatchObject({ accountId: main, sort: "amount_desc" });
  });

  it("toggles a row's cleared marker with set_cleared", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Big stock-up"), "rows");
    rowWith("Big stock-up")?.querySelector<HTMLButtonElement>("[data-action=toggle-cleared]")?.click();
    await until(() => rowWith("Big stock-up")?.dataset["status"] === "cleared", "cleared");
    expect(args("set_cleared")?.["input"]).toMatchObject({ ids: [rowWith("Big stock-up")?.dataset["id"]], cleared: true });
  });
});

describe("the transaction form", () => {
  it("adds a transfer between two different open accounts, under an idempotency key", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Big stock-up"), "rows");
    const form = await newEntry("transfer");
    expect(form.querySelector<HTMLElement>("[data-field=categoryId]")?.hidden, "no category in transfer mode").toBe(true);
    const from = form.querySelector<HTMLSelectElement>("[name=fromAccountId]");
    const offered = Array.from(from?.options ?? []).map((o) => o.textContent);
    expect(offered, "open accounts only").toEqual(["Choose an account…", "Main account", "Savings", "Visa"]);
    fill(form, { toAccountId: from?.value ?? "", amount: "100.00", date: "2025-03-10", description: "To savings" });
    submit(form);
    expect(text('[data-error-for="toAccountId"]'), "the same account on both sides is caught locally").toBe("To account must be a different account.");
    const savings = Array.from(from?.options ?? []).find((o) => o.textContent === "Savings")?.value ?? "";
    fill(form, { toAccountId: savings });
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    const input = args("add_transfer")?.["input"] as Record<string, unknown>;
    expect(input).toMatchObject({ fromAccountId: from?.value, toAccountId: savings, amount: "100.00", date: "2025-03-10", description: "To savings", note: null });
    expect(String(input["idempotencyKey"]), "one key per submission").toMatch(/^[0-9a-f-]{36}$/);
    await until(() => rowWith("To savings"), "the legs listed");
    const legs = Array.from(document.querySelectorAll<HTMLElement>("tr[data-id]")).filter((r) => r.textContent?.includes("To savings"));
    expect(legs.map((r) => r.querySelector(".chip")?.textContent).sort(), "each leg names the other account").toEqual(["Transfer from Main account", "Transfer to Savings"]);
    expect(legs.map((r) => r.querySelector(".amount")?.textContent).sort(), "out negative, in positive").toEqual(["-€100.00", "€100.00"]);
  });

  it("saves a refund as a negative expense and shows it as a refund, not a minus", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Big stock-up"), "rows");
    const form = await newEntry("expense");
    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    form.querySelector<HTMLInputElement>("#refund")?.click();
    fill(form, { amount: "15.50", categoryId: groceries, description: "Returned jar", date: "2025-03-10" });
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    expect(args("add_transaction")?.["input"], "the refund is sent negated, exactly").toMatchObject({ amount: "-15.50", categoryId: groceries });
    const row = await until(() => rowWith("Returned jar"), "the refund row");
    expect(row.querySelector(".amount")?.textContent, "marked as a refund, money in").toBe("Refund €15.50");
    expect(row.querySelector(".amount")?.classList.contains("refund")).toBe(true);

    row.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    const edit = await need<HTMLFormElement>("#transaction-form");
    expect([edit.querySelector<HTMLInputElement>("[name=amount]")?.value, edit.querySelector<HTMLInputElement>("#refund")?.checked], "the form shows the positive amount with Refund on").toEqual(["15.50", true]);
  });

  it("edits a transfer's leg as the transfer, and asks before changing a reconciled one", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Big stock-up"), "rows");
    let form = await newEntry("transfer");
    fill(form, { amount: "20.00", description: "Card payment", date: "2025-03-10" });
    submit(form);
    await until(() => rowWith("Card payment"), "the transfer");
    rowWith("Card payment")?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    form = await need<HTMLFormElement>("#transaction-form");
    expect(form.querySelector<HTMLInputElement>("#mode-transfer")?.checked, "a leg opens in transfer mode").toBe(true);
    expect(form.querySelector<HTMLInputElement>("#mode-expense")?.disabled, "and stays a transfer").toBe(true);
    refuse("update_transfer", "conflict", "the transfer is reconciled", "status");
    fill(form, { amount: "25.00" });
    submit(form);
    const ok = await need<HTMLButtonElement>('[data-testid="reconciled-dialog"] #confirm-ok');
    ok.click();
    await until(() => !$("#transaction-form"), "saved after the confirmation");
    expect(calls("update_transfer"), "sent again once confirmed").toBe(2);
    expect(args("update_transfer")?.["input"]).toMatchObject({ amount: "25.00", confirmReconciled: true });
  });

  it("converts an expense row into a transfer with another account", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Monthly pass"), "rows");
    const row = rowWith("Monthly pass");
    row?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    const form = await need<HTMLFormElement>("#transaction-form");
    form.querySelector<HTMLInputElement>("#mode-transfer")?.click();
    const from = form.querySelector<HTMLSelectElement>("[name=fromAccountId]");
    expect([from?.disabled, from?.selectedOptions[0]?.textContent], "an expense leaves its own account").toEqual([true, "Main account"]);
    expect(form.querySelector<HTMLInputElement>("[name=amount]")?.disabled, "the row's amount is kept").toBe(true);
    expect(text("#transaction-submit")).toBe("Convert to transfer");
    fill(form, { toAccountId: Array.from(form.querySelectorAll<HTMLOptionElement>("[name=toAccountId] option")).find((o) => o.textContent === "Visa")?.value ?? "" });
    submit(form);
    await until(() => !$("#transaction-form"), "converted");
    expect(args("convert_to_transfer")?.["input"]).toMatchObject({ id: row?.dataset["id"], confirmReconciled: false });
    await until(() => rowWith("Monthly pass")?.querySelector(".chip")?.textContent?.startsWith("Transfer"), "the row is now a leg");
  });

  it("deletes a transfer's leg as the whole transfer", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Big stock-up"), "rows");
    const form = await newEntry("transfer");
    fill(form, { amount: "20.00", description: "Cash", date: "2025-03-10" });
    submit(form);
    await until(() => rowWith("Cash"), "the transfer");
    rowWith("Cash")?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    (await need<HTMLButtonElement>('[data-testid="delete-transaction-dialog"] #confirm-ok')).click();
    await until(() => !rowWith("Cash"), "both legs gone");
    expect(calls("delete_transaction"), "not as a single row").toBe(0);
    expect(calls("delete_transfer")).toBe(1);
  });
});
