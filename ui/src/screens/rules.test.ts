// @vitest-environment happy-dom
// The Rules screen, "Apply rules to existing transactions", "Create rule…" on a transaction and the
// form's suggestion, against the canned backend (which matches nothing itself: suggestions and
// apply previews are queued here as the server would answer them).
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FormSuggestionView, RulesApplicationView } from "../ipc-types";
import { $, args, backend, calls, fill, need, rowWith, settle, setUp, signedInAt, submit, text, until } from "../dev/ui-harness";
import { acceptSuggestion } from "./suggestion";

vi.mock("@tauri-apps/api/core", async () => (await import("../dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("../app")).startApp);

const ruleNames = (): string[] => Array.from(document.querySelectorAll(".rule-row .rule-name")).map((e) => e.textContent ?? "");

async function addRule(values: Record<string, string>): Promise<void> {
  (await need<HTMLButtonElement>("#new-rule")).click();
  const form = await need<HTMLFormElement>("#rule-form");
  fill(form, values);
  submit(form);
  await until(() => !$("#rule-form"), "rule dialog closed");
}

describe("rules", () => {
  it("adds rules, keeps their order, moves, disables and deletes them", async () => {
    await signedInAt("rules");
    await until(() => text("#rule-list").includes("No rules yet"), "empty list");
    await addRule({ descriptionText: "tesco", descriptionMatch: "startsWith" });
    await addRule({ name: "Fuel", descriptionText: "shell", amountMin: "10", amountMax: "50" });
    expect(args("add_rule")?.["input"]).toMatchObject({ name: "Fuel", descriptionMatch: "contains", descriptionText: "shell", amountMin: "10", amountMax: "50", rename: null, enabled: true });
    expect(ruleNames()).toEqual(["Description contains “tesco”", "Fuel"]);
    expect(text(".rule-row:nth-child(2) .rule-text"), "conditions in words").toContain("amount €10.00–€50.00");

    $<HTMLButtonElement>(".rule-row:nth-child(2) [data-action=up]")?.click();
    await until(() => ruleNames()[0] === "Fuel", "moved up");
    expect((args("reorder_rules")?.["input"] as { ids: string[] }).ids).toHaveLength(2);
    expect($<HTMLButtonElement>(".rule-row:nth-child(1) [data-action=up]")?.disabled, "the first cannot move up").toBe(true);

    const enable = $<HTMLInputElement>(".rule-row:nth-child(1) [data-action=enable]");
    if (!enable) throw new Error("no switch");
    enable.checked = false;
    enable.dispatchEvent(new Event("change"));
    await until(() => $(".rule-row.disabled"), "shown disabled");
    expect(args("set_rule_enabled")?.["input"]).toMatchObject({ enabled: false });

    $<HTMLButtonElement>(".rule-row:nth-child(1) [data-action=delete]")?.click();
    await until(() => ruleNames().length === 1, "deleted");
    expect(calls("delete_rule")).toBe(1);
  });

  it("shows what applying the rules would change before applying them", async () => {
    await signedInAt("rules");
    const preview: RulesApplicationView = {
      count: 2, more: false, applied: 0, skippedTransfer: 0, skippedReconciled: 1, skippedKind: 3,
      rows: [
        { transactionId: "t1", date: "2025-03-01", amount: "12.30", ruleName: "Market", description: "MARKET 1", newDescription: "Market", categoryName: "Other", newCategoryName: "Groceries", note: null, newNote: null },
        { transactionId: "t2", date: "2025-03-02", amount: "7.70", ruleName: "Market", description: "market 2", newDescription: "Market", categoryName: "Other", newCategoryName: "Groceries", note: null, newNote: null },
      ],
    };
    backend.respondOnce("apply_rules_preview", { value: preview });
    backend.respondOnce("apply_rules", { value: { ...preview, applied: 2 } });
    (await need<HTMLButtonElement>("#apply-rules")).click();
    await need("#apply-rules-table");
    expect(text("#apply-rules-count")).toBe("2 transactions would change.");
    expect(document.querySelectorAll("#apply-rules-table tbody tr")).toHaveLength(2);
    expect(text("#apply-rules-table tbody tr")).toContain("MARKET 1 → Market");
    expect(text("[data-testid=apply-rules-dialog]"), "skipped rows are said").toContain("3 where the rule's category is of the other kind");
    expect(calls("apply_rules"), "nothing is applied before the confirmation").toBe(0);
    (await need<HTMLButtonElement>("#apply-rules-confirm")).click();
    await until(() => !$("#apply-rules-table"), "dialog closed");
    expect(calls("apply_rules")).toBe(1);
  });
});

describe("the transaction form", () => {
  it("suggests as the description is typed, and Use (or acceptSuggestion) fills the form", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Weekly shop"), "rows");
    (await need<HTMLButtonElement>("#new-transaction")).click();
    const form = await need<HTMLFormElement>("#transaction-form");
    const groceries = Array.from(form.querySelectorAll<HTMLOptionElement>("option")).find((o) => o.textContent === "Groceries")?.value ?? "";
    const suggestion: FormSuggestionView = {
      source: "learned", ruleId: null, ruleName: null, categoryId: groceries, categoryName: "Groceries",
      description: "Tesco", note: null, amount: "23.10", type: "expense",
    };
    expect(acceptSuggestion(form), "nothing to accept yet").toBe(false);
    backend.respondOnce("suggest_for", { value: suggestion });
    fill(form, { description: "tes" });
    await until(() => !$<HTMLElement>("#description-suggestion")?.hidden, "suggestion shown", 3000);
    expect(args("suggest_for")?.["input"]).toMatchObject({ description: "tes", type: "expense" });
    expect(text("#description-suggestion")).toContain("Tesco · Groceries · €23.10 (last time)");
    expect(acceptSuggestion(form)).toBe(true);
    expect(form.querySelector<HTMLInputElement>("[name=description]")?.value).toBe("Tesco");
    expect(form.querySelector<HTMLSelectElement>("[name=categoryId]")?.value).toBe(groceries);
    expect(form.querySelector<HTMLInputElement>("[name=amount]")?.value).toBe("23.10");
    expect($<HTMLElement>("#description-suggestion")?.hidden, "accepted: hidden").toBe(true);
    expect(acceptSuggestion(form), "accepted once").toBe(false);
  });

  it("creates a rule from a transaction, pre-filled from it", async () => {
    await signedInAt("transactions");
    await until(() => rowWith("Weekly shop"), "rows");
    rowWith("Weekly shop")?.querySelector<HTMLButtonElement>("[data-action=edit]")?.click();
    await need("#transaction-form");
    (await need<HTMLButtonElement>("#rule-from-transaction")).click();
    const form = await need<HTMLFormElement>("#rule-form");
    expect($("#transaction-form"), "the transaction dialog is closed").toBeNull();
    expect(form.querySelector<HTMLInputElement>("[name=descriptionText]")?.value).toBe("Weekly shop");
    expect(form.querySelector<HTMLSelectElement>("[name=type]")?.value).toBe("expense");
    submit(form);
    await until(() => !$("#rule-form"), "saved");
    await settle();
    expect(args("add_rule")?.["input"]).toMatchObject({ descriptionText: "Weekly shop", descriptionMatch: "contains" });
  });
});
