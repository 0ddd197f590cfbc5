// @vitest-environment happy-dom
// Bulk edits and the filter panel in the whole app against the canned backend
// (src/dev/mock-backend.ts): rows are selected by box, click and shift-click, "select all N
// matching" sends the filter (never ids), the bulk bar's actions send one command each and the
// page and totals are fetched again, a delete's Undo sends its token with one key; the filter
// panel takes several categories, collapses (remembered) and shows the filter's totals.
import { afterEach, describe, expect, it, vi } from "vitest";
import { FILTERS_COLLAPSED_KEY } from "./screens/transactions";
import { $, args, backend, calls, invoked, need, rowIds, rowWith, setUp, signedInAt, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);
afterEach(() => localStorage.clear());

const box = (id: string): HTMLInputElement | null => document.querySelector<HTMLInputElement>(`tr[data-id="${id}"] input[data-action=select]`);
const click = (el: Element | null, shiftKey = false): void => void el?.dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey }));
const categoryId = (name: string): string => (backend.handle("list_categories") as { id: string; name: string }[]).find((c) => c.name === name)?.id ?? "";
const input = (cmd: string): Record<string, unknown> => (args(cmd)?.["input"] ?? {}) as Record<string, unknown>;

describe("bulk edits", () => {
  it("selects rows by box, click and shift-click, and re-categorises them in one call", async () => {
    await signedInAt("transactions");
    await until(() => rowIds().length > 4, "rows");
    await until(() => text("#filter-totals").includes("transactions"), "the totals line");
    const ids = rowIds();
    expect($("#bulk-bar")?.hidden, "no bar without a selection").toBe(true);
    click(box(ids[0] ?? ""));
    click(rowWith(text(`tr[data-id="${ids[2]}"] .desc`))?.querySelector(".desc") ?? null, true);
    await until(() => !$("#bulk-bar")?.hidden, "the bar");
    expect(text("#bulk-count"), "a shift-click selects the range").toBe("3 transactions selected.");
    expect(box(ids[1] ?? "")?.checked, "the row between is ticked").toBe(true);

    const dining = categoryId("Eating out");
    const select = await need<HTMLSelectElement>("#bulk-category");
    select.value = dining;
    const before = invoked.length;
    (await need<HTMLButtonElement>("#bulk-set-category")).click();
    await until(() => calls("bulk_set_category", before) === 1, "the command");
    expect(input("bulk_set_category"), "the selected ids and the category").toEqual({ selection: { ids: ids.slice(0, 3) }, categoryId: dining, confirmReconciled: false });
    await until(() => calls("list_transactions", before) > 0 && calls("transaction_totals", before) > 0, "page and totals fetched again");
    await until(() => $("#bulk-bar")?.hidden === true, "the selection is cleared after the write");
    expect(rowWith(text(`tr[data-id="${ids[0]}"] .desc`))?.textContent).toContain("Eating out");
  });

  it("selects every row matching the filter across pages and sends the filter, not ids", async () => {
    await signedInAt("transactions");
    const transport = categoryId("Transport");
    for (let i = 0; i < 60; i++) backend.handle("add_transaction", { input: { categoryId: transport, amount: `${i + 1}.00`, date: "2025-02-10", description: `Ticket ${i}`, note: null } });
    ($("#nav-dashboard") as HTMLButtonElement).click();
    ($("#nav-transactions") as HTMLButtonElement).click();
    await until(() => rowIds().length === 50, "a full page");
    await until(() => /6\d transactions/.test(text("#filter-totals")), "totals of every page");
    const pageBox = await need<HTMLInputElement>("#select-page");
    pageBox.checked = true;
    pageBox.dispatchEvent(new Event("change", { bubbles: true }));
    await until(() => text("#bulk-count") === "50 transactions selected.", "the page");
    const all = await need<HTMLButtonElement>("#bulk-select-all");
    expect(all.hidden, "more rows match than the page shows").toBe(false);
    all.click();
    await until(() => text("#bulk-count").startsWith("All "), "all matching");
    const before = invoked.length;
    (await need<HTMLButtonElement>("#bulk-mark-cleared")).click();
    await until(() => calls("bulk_mark_cleared", before) === 1, "the command");
    const sent = input("bulk_mark_cleared")["selection"] as Record<string, unknown>;
    expect(sent["ids"], "no ids are fetched or sent").toBeUndefined();
    expect(sent["filter"], "the list's own filter, from the first page").toMatchObject({ cursor: null, categoryIds: [] });
  });

  it("deletes the selection and undoes it with one key", async () => {
    await signedInAt("transactions");
    await until(() => rowIds().length > 2, "rows");
    const ids = rowIds();
    click(box(ids[0] ?? ""));
    click(box(ids[1] ?? ""));
    (await need<HTMLButtonElement>("#bulk-delete")).click();
    (await need<HTMLButtonElement>("#confirm-ok")).click();
    const undo = await need<HTMLButtonElement>("#bulk-undo");
    expect(undo.closest(".toast")?.textContent).toContain("2 transactions deleted");
    await until(() => !rowIds().includes(ids[0] ?? ""), "rows gone");
    expect(input("bulk_delete"), "the two ids, in one call").toEqual({ selection: { ids: ids.slice(0, 2) }, confirmReconciled: false });
    undo.click();
    await until(() => rowIds().includes(ids[0] ?? "") && rowIds().includes(ids[1] ?? ""), "rows back with their ids");
    const sent = input("undo_bulk_delete");
    expect(typeof sent["undoToken"], "the token of the delete, never rows").toBe("string");
    expect(String(sent["idempotencyKey"]).length, "a key per undo").toBeGreaterThan(15);
  });
});

describe("the filter panel", () => {
  it("takes several categories, collapses and remembers it", async () => {
    await signedInAt("transactions");
    await until(() => rowIds().length > 0, "rows");
    const select = await need<HTMLSelectElement>("#filter-category");
    expect(select.multiple, "several categories at once").toBe(true);
    const wanted = [categoryId("Groceries"), categoryId("Rent")];
    for (const o of Array.from(select.options)) o.selected = wanted.includes(o.value);
    const before = invoked.length;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await until(() => calls("list_transactions", before) > 0 && calls("transaction_totals", before) > 0, "list and totals asked");
    expect(input("list_transactions")["categoryIds"], "both categories go to the server").toEqual(wanted);
    expect(input("transaction_totals")["categoryIds"], "the totals are of the same filter").toEqual(wanted);

    const toggle = await need<HTMLButtonElement>("#toggle-filters");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    toggle.click();
    expect($("#filter-form")?.hidden, "collapsed").toBe(true);
    expect(localStorage.getItem(FILTERS_COLLAPSED_KEY), "remembered").toBe("1");
    expect(text("#filter-totals"), "the totals stay in sight").toContain("Net");
  });
});
