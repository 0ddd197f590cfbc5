// @vitest-environment happy-dom
// Accounts in the whole app against the canned backend (src/dev/mock-backend.ts): the Accounts
// screen (groups, totals, archive, add, delete with a move), the transaction form's account picker
// and its memory, the Account column of Transactions, and the Dashboard's net worth. The mock sums
// nothing: the totals shown are its canned figures, as the server's would be shown.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AccountsView } from "./ipc-types";
import { $, args, backend, boot, calls, fill, need, refuse, rowWith, settle, setUp, signedInAt, submit, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);
afterEach(() => localStorage.clear());

/** The account item named `name` on the Accounts screen. */
const item = (name: string): HTMLElement | undefined =>
  Array.from(document.querySelectorAll<HTMLElement>(".account-item")).find((li) => li.querySelector(".account-name")?.textContent === name);
const idOf = (name: string): string => item(name)?.dataset["id"] ?? "";
const names = (sel: string): string[] => Array.from(document.querySelectorAll(`${sel} .account-name`)).map((n) => n.textContent ?? "");

describe("the Accounts screen", () => {
  it("groups open accounts by type under assets and liabilities, archived ones collapsed, with the server's totals", async () => {
    await signedInAt("accounts");
    await need("#net-worth");
    expect(text("#accounts-assets"), "assets as the server summed them").toBe("€6,585.03");
    expect(text("#accounts-liabilities")).toBe("-€250.00");
    expect(text("#net-worth"), "net worth as the server summed it (archived accounts included)").toBe("€6,335.03");
    expect(names("#asset-accounts"), "checking before savings").toEqual(["Main account", "Savings"]);
    expect(Array.from(document.querySelectorAll("#asset-accounts .account-group-title")).map((t) => t.textContent)).toEqual(["Checking", "Savings"]);
    expect(names("#liability-accounts")).toEqual(["Visa"]);
    expect(item("Visa")?.querySelector(".account-balance")?.textContent, "a liability's balance is shown signed").toBe("-€250.00");
    const archived = await need<HTMLDetailsElement>("#archived-accounts");
    expect(archived.open, "the archived group starts collapsed").toBe(false);
    expect(names("#archived-accounts"), "archived accounts are apart").toEqual(["Old wallet"]);
    expect(item("Main account")?.textContent, "each account says how many transactions it holds").toContain("7 transactions");
  });

  it("adds an account with a signed opening balance sent exactly as typed, checked locally first", async () => {
    await signedInAt("accounts");
    (await need<HTMLButtonElement>("#new-account")).click();
    const form = await need<HTMLFormElement>("#account-form");
    expect(form.querySelector<HTMLInputElement>("[name=openingDate]")?.value, "the opening date defaults to a date (today)").toMatch(/^\d{4}-\d{2}-\d{2}$/);
    fill(form, { name: "Amex", type: "credit_card", openingBalance: "-12.345", openingDate: "2025-01-01" });
    submit(form);
    expect(text('[data-error-for="openingBalance"]'), "too many decimals is caught before sending").toBe("EUR allows at most 2 decimal places.");
    expect(calls("add_account"), "nothing sent").toBe(0);

    refuse("add_account", "conflict", "an account with this name already exists", "name");
    fill(form, { openingBalance: "-1200.50" });
    submit(form);
    await until(() => text('[data-error-for="name"]'), "the server's refusal");
    expect(text('[data-error-for="name"]'), "the server's conflict shows under the name").toBe("Name an account with this name already exists.");

    submit(form);
    await until(() => !$("#account-form"), "dialog closed");
    expect(args("add_account")?.["input"], "the balance string goes to the server as typed, never through a number").toEqual({
      name: "Amex", type: "credit_card", openingBalance: "-1200.50", openingDate: "2025-01-01", note: null,
    });
    await until(() => item("Amex"), "the new account");
    expect(names("#liability-accounts"), "shown where the answer puts it").toEqual(["Visa", "Amex"]);
    expect(calls("list_accounts"), "the write's answer is shown without fetching the list again").toBe(1);
  });

  it("archives and unarchives, keeping the account in the list the server answered", async () => {
    await signedInAt("accounts");
    await need("#net-worth");
    item("Savings")?.querySelector<HTMLButtonElement>("[data-action=archive]")?.click();
    await until(() => names("#archived-accounts").includes("Savings"), "Savings archived");
    expect(args("set_account_archived")?.["input"]).toEqual({ id: idOf("Savings"), archived: true });
    expect(names("#asset-accounts")).toEqual(["Main account"]);
    item("Savings")?.querySelector<HTMLButtonElement>("[data-action=unarchive]")?.click();
    await until(() => names("#asset-accounts").includes("Savings"), "Savings back");
    expect(args("set_account_archived")?.["input"]).toMatchObject({ archived: false });
  });

  it("deletes an unused account after confirmation, and shows the server's refusal in the dialog", async () => {
    await signedInAt("accounts");
    await need("#net-worth");
    const visa = idOf("Visa");
    item("Visa")?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    await need("[data-testid=delete-account-dialog]");
    expect(text("[data-testid=delete-account-dialog]"), "it says nothing is lost").toContain("holds no transactions");
    refuse("remove_account", "validation", "your last account cannot be deleted", "account");
    (await need<HTMLButtonElement>("#confirm-ok")).click();
    await until(() => text("[data-testid=delete-account-dialog] [role=alert]"), "the refusal");
    expect(text("[data-testid=delete-account-dialog] [role=alert]")).toContain("last account cannot be deleted");
    (await need<HTMLButtonElement>("#confirm-ok")).click();
    await until(() => !item("Visa"), "Visa gone");
    expect(args("remove_account")?.["input"]).toEqual({ id: visa, moveTo: null });
  });

  it("asks where a used account's transactions go, then deletes it with that move", async () => {
    await signedInAt("accounts");
    await need("#net-worth");
    const main = idOf("Main account");
    const savings = idOf("Savings");
    item("Main account")?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    const form = await need<HTMLFormElement>("#delete-account-form");
    expect(args("account_usage")?.["input"], "the usage is asked first").toEqual({ id: main });
    expect(form.textContent, "the count is named").toContain("holds 7 transactions");
    const offered = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).map((o) => o.textContent);
    expect(offered, "every other account, archived ones last").toEqual(["Choose an account…", "Savings", "Visa", "Old wallet"]);
    submit(form);
    expect(text('[data-error-for="moveTo"]'), "a target is required").toBe("Choose the account to move them to.");
    expect(calls("remove_account")).toBe(0);
    fill(form, { moveTo: savings });
    submit(form);
    await until(() => !item("Main account"), "Main account gone");
    expect(args("remove_account")?.["input"]).toEqual({ id: main, moveTo: savings });
    expect(item("Savings")?.textContent, "the moved transactions are in Savings now").toContain("7 transactions");
  });

  it("deletes a used account with its transactions when the person chooses to", async () => {
    await signedInAt("accounts");
    await need("#net-worth");
    const main = idOf("Main account");
    item("Main account")?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    const form = await need<HTMLFormElement>("#delete-account-form");
    const del = form.querySelector<HTMLInputElement>("input[name=rows][value=delete]") as HTMLInputElement;
    expect(form.querySelector<HTMLInputElement>("input[name=rows][value=move]")?.checked, "moving is the default: nothing is lost").toBe(true);
    del.checked = true;
    del.dispatchEvent(new Event("change", { bubbles: true }));
    expect(form.querySelector<HTMLElement>("[data-field=moveTo]")?.hidden, "no target to choose when deleting").toBe(true);
    expect(text("#delete-account-submit")).toBe("Delete account and 7 transactions");
    submit(form);
    await until(() => !item("Main account"), "Main account gone");
    expect(args("remove_account")?.["input"], "asked to delete the rows, not to move them").toEqual({ id: main, moveTo: null, deleteTransactions: true });
  });

  it("says how many transfers between the two accounts a move removes", async () => {
    await signedInAt("accounts");
    await need("#net-worth");
    const savings = idOf("Savings");
    const visa = idOf("Visa");
    backend.respondOnce("account_usage", { value: { transactions: 7, transfers: [{ accountId: savings, transfers: 2 }] } });
    item("Main account")?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    const form = await need<HTMLFormElement>("#delete-account-form");
    const note = () => form.querySelector<HTMLElement>("[data-testid=delete-account-transfers]");
    expect(note()?.hidden, "no target chosen yet: nothing to say").toBe(true);
    fill(form, { moveTo: savings });
    expect(note()?.hidden).toBe(false);
    expect(note()?.textContent, "the count and both names").toBe("2 transfers between “Main account” and “Savings” will be removed (both sides).");
    fill(form, { moveTo: visa });
    expect(note()?.hidden, "none with Visa").toBe(true);
  });
});

describe("the transaction form's account picker", () => {
  it("offers the open accounts, starts on the first, sends the chosen one and remembers it per user", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Rent"), "rows");
    (await need<HTMLButtonElement>("#new-transaction")).click();
    let form = await need<HTMLFormElement>("#transaction-form");
    const picker = form.querySelector<HTMLSelectElement>("[name=accountId]");
    const options = Array.from(picker?.options ?? []).map((o) => o.textContent);
    expect(options, "archived accounts are not offered").toEqual(["Main account", "Savings", "Visa"]);
    expect(picker?.selectedOptions[0]?.textContent, "nothing remembered yet: the first open account").toBe("Main account");
    const visa = Array.from(picker?.options ?? []).find((o) => o.textContent === "Visa")?.value ?? "";
    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    fill(form, { amount: "40.00", accountId: visa, categoryId: groceries, description: "Shoes" });
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    expect(args("add_transaction")?.["input"], "the chosen account is sent").toMatchObject({ accountId: visa, description: "Shoes" });

    (await need<HTMLButtonElement>("#new-transaction")).click();
    form = await need<HTMLFormElement>("#transaction-form");
    expect(form.querySelector<HTMLSelectElement>("[name=accountId]")?.value, "the last account used is the default").toBe(visa);
    const profile = (backend.handle("startup") as { user: { id: string } }).user;
    expect(localStorage.getItem(`finance.lastAccount.${profile.id}`), "kept on this computer under the user's id").toBe(visa);
  });

  it("shows an edited transaction's own account, even when archived", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Rent"), "rows");
    const rentId = rowWith("Rent")?.dataset["id"] ?? "";
    const accounts = backend.handle("list_accounts") as AccountsView;
    const old = accounts.accounts.find((a) => a.name === "Old wallet")?.id ?? "";
    const rent = backend.handle("get_transaction", { input: { id: rentId } }) as Record<string, unknown>;
    backend.respondOnce("get_transaction", { value: { ...rent, accountId: old } });
    rowWith("Rent")?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    const form = await need<HTMLFormElement>("#transaction-form");
    const picker = form.querySelector<HTMLSelectElement>("[name=accountId]");
    expect(picker?.value, "the transaction's account is selected").toBe(old);
    expect(picker?.selectedOptions[0]?.textContent).toBe("Old wallet (archived)");
    submit(form);
    await until(() => !$("#transaction-form"), "dialog closed");
    expect(args("update_transaction")?.["input"], "saving keeps it there").toMatchObject({ id: rentId, accountId: old });
  });

  it("restores an undone delete into the account it was in", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Rent"), "rows");
    rowWith("Rent")?.querySelector<HTMLButtonElement>("[data-action=delete]")?.click();
    (await need<HTMLButtonElement>("#confirm-ok")).click();
    (await need<HTMLButtonElement>("#undo")).click();
    await until(() => calls("add_transaction") === 1, "the undo");
    expect(args("add_transaction")?.["input"]?.["accountId" as never], "not the default account: its own").toBeTruthy();
  });
});

describe("accounts elsewhere", () => {
  it("Transactions shows an Account column when there is more than one account", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Rent")?.querySelector(".account-col"), "the account column");
    expect(Array.from(document.querySelectorAll("#transactions-table th")).map((t) => t.textContent)).toContain("Account");
    expect(rowWith("Rent")?.querySelector(".account-col")?.textContent).toBe("Main account");
  });

  it("a user with one account sees no Account column", async () => {
    boot();
    (await need<HTMLButtonElement>("#show-register")).click();
    const form = await need<HTMLFormElement>("#register-form");
    fill(form, { username: "solo", password: "a long passphrase 7", confirmPassword: "a long passphrase 7", firstName: "So", lastName: "Lo", email: "solo@example.com" });
    submit(form);
    (await need<HTMLButtonElement>("#nav-transactions")).click();
    await until(() => text("#transactions-table tbody").includes("No transactions yet"), "the empty list");
    await settle();
    expect(Array.from(document.querySelectorAll("#transactions-table th")).map((t) => t.textContent)).not.toContain("Account");
    expect($("#transactions-table .empty")?.getAttribute("colspan"), "the empty row spans the columns shown (selection box, date, status, description, category, amount, actions)").toBe("7");
  });

  it("the Dashboard shows net worth and the open accounts' balances", async () => {
    boot({ signedIn: true });
    await need("#dash-net-worth");
    expect(text("#dash-net-worth")).toBe("€6,335.03");
    expect(Array.from(document.querySelectorAll("#dash-account-list li")).map((li) => li.textContent)).toEqual([
      "Main account€1,585.03", "Savings€5,000.00", "Visa-€250.00",
    ]);
  });
});
