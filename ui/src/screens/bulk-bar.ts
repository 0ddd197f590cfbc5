// The Transactions screen's bulk bar: shown while rows are selected (lib/selection.ts), it says
// how many, offers "select all N matching the filter" (across pages) and the four actions —
// change category, move to account, mark cleared, delete with Undo. Each action is one command
// (one store transaction on the server); reconciled rows are asked about first, as single edits
// are; a delete's Undo puts back exactly what it removed, at most once (one idempotency key per
// undo, reused only to retry it).
import { api } from "../api";
import type { Session } from "../context";
import type { AccountView, BulkDeleted, BulkSelection, CategoryView } from "../ipc-types";
import { describeError, toApiError } from "../lib/errors";
import { newIdempotencyKey } from "../lib/idempotency";
import { isReconciledConflict } from "../lib/register";
import type { RowSelection } from "../lib/selection";
import { withBusy } from "../ui/busy";
import { confirmDialog } from "../ui/dialog";
import { h } from "../ui/dom";
import { buildOptions, selectField } from "../ui/form";
import { toast } from "../ui/toast";
import { groupedCategoryOptions } from "./common";

export const BULK_UNDO_MS = 8000;

export interface BulkBarOptions {
  session: Session;
  selection: RowSelection;
  /** The page's row ids, in order. */
  pageIds: () => string[];
  /** How many rows the filter matches (its totals' count), or null before they are known. */
  matching: () => number | null;
  /** The list input of the filter on screen (what "all matching" selects). */
  filterInput: () => Parameters<RowSelection["selectAllMatching"]>[0];
  /** The selection changed (the screen redraws its boxes). */
  onSelection: () => void;
  /** Rows changed on the server: the screen fetches the page and the totals again. */
  onWritten: () => void;
}

export interface BulkBar {
  el: HTMLElement;
  /** Redraw from the selection. */
  update: () => void;
  /** New category and account lists for the pickers. */
  setChoices: (categories: readonly CategoryView[], accounts: readonly AccountView[]) => void;
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? "" : "s"}`;

/** Send with `confirmReconciled: false`; on the reconciled conflict ask, then send confirmed. */
async function askingReconciled<T>(send: (confirmReconciled: boolean) => Promise<T>, doing: string): Promise<T | null> {
  try {
    return await send(false);
  } catch (e) {
    if (!isReconciledConflict(toApiError(e))) throw e;
    const ok = await confirmDialog({
      title: "Change reconciled transactions?",
      message: [h("p", null, toApiError(e).message), h("p", null, `${doing} can make those accounts disagree with their bank statements.`)],
      confirmLabel: "Change them",
      testId: "reconciled-dialog",
    });
    return ok ? send(true) : null;
  }
}

export function bulkBar(opts: BulkBarOptions): BulkBar {
  const { selection } = opts;
  const count = h("strong", { id: "bulk-count" });
  const allMatching = h("button", { type: "button", class: "link", id: "bulk-select-all" });
  const clear = h("button", { type: "button", class: "link", id: "bulk-clear-selection" }, "Clear selection");
  const category = selectField({ name: "bulkCategory", label: "Category", id: "bulk-category", options: [] });
  const account = selectField({ name: "bulkAccount", label: "Account", id: "bulk-account", options: [] });
  const setCategory = h("button", { type: "button", class: "secondary", id: "bulk-set-category" }, "Change category");
  const move = h("button", { type: "button", class: "secondary", id: "bulk-move" }, "Move");
  const cleared = h("button", { type: "button", class: "secondary", id: "bulk-mark-cleared" }, "Mark cleared");
  const del = h("button", { type: "button", class: "danger", id: "bulk-delete" }, "Delete");
  const el = h(
    "div",
    { class: "bulk-bar card", id: "bulk-bar", role: "toolbar", "aria-label": "Bulk actions on the selected transactions", hidden: true },
    h("p", { class: "bulk-summary", role: "status", "aria-live": "polite" }, count, " ", allMatching, " ", clear),
    h("div", { class: "bulk-actions" }, category.wrapper, setCategory, account.wrapper, move, cleared, del),
  );

  const selected = (): number => selection.count(opts.matching() ?? 0);
  const request = (): BulkSelection | null => selection.request();

  function update(): void {
    const mode = selection.mode;
    el.hidden = mode === "none";
    if (mode === "none") return;
    const n = selected();
    const matching = opts.matching();
    count.textContent = mode === "all-matching" ? `All ${plural(n, "transaction")} matching the filter selected.` : `${plural(n, "transaction")} selected.`;
    const page = opts.pageIds();
    const offerAll = mode === "ids" && matching !== null && matching > n && selection.pageState(page) === "all";
    allMatching.hidden = !offerAll;
    if (offerAll) allMatching.textContent = `Select all ${matching} matching the filter`;
  }

  allMatching.addEventListener("click", () => {
    selection.selectAllMatching(opts.filterInput());
    opts.onSelection();
    update();
  });
  clear.addEventListener("click", () => {
    selection.clear();
    opts.onSelection();
    update();
  });

  /** Run one action on the selection; `done` says what happened, from the count. */
  async function act(button: HTMLButtonElement, run: (s: BulkSelection) => Promise<number | null>, done: (n: number) => string): Promise<void> {
    const s = request();
    if (!s) return;
    await withBusy(button, async () => {
      try {
        const n = await run(s);
        if (n === null) return;
        toast(done(n), { kind: "success" });
        selection.clear();
        opts.onSelection();
        update();
        opts.onWritten();
      } catch (e) {
        toast(describeError(toApiError(e)), { kind: "error" });
      }
    });
  }

  setCategory.addEventListener("click", () => {
    const categoryId = category.control.value;
    const name = category.control.selectedOptions[0]?.textContent ?? "";
    if (!categoryId) return void toast("Choose the category first.", { kind: "error" });
    void act(
      setCategory,
      async (s) => (await askingReconciled((confirmReconciled) => api.bulkSetCategory({ selection: s, categoryId, confirmReconciled }), "Changing them"))?.changed ?? null,
      (n) => `${plural(n, "transaction")} moved to ${name}`,
    );
  });
  move.addEventListener("click", () => {
    const accountId = account.control.value;
    const name = account.control.selectedOptions[0]?.textContent ?? "";
    if (!accountId) return void toast("Choose the account first.", { kind: "error" });
    void act(
      move,
      async (s) => (await askingReconciled((confirmReconciled) => api.bulkMoveToAccount({ selection: s, accountId, confirmReconciled }), "Moving them"))?.changed ?? null,
      (n) => `${plural(n, "transaction")} moved to ${name}`,
    );
  });
  cleared.addEventListener("click", () => {
    void act(cleared, async (s) => (await api.bulkMarkCleared({ selection: s })).changed, (n) => `${plural(n, "transaction")} marked cleared`);
  });
  del.addEventListener("click", () => void remove());

  async function remove(): Promise<void> {
    const s = request();
    if (!s) return;
    const n = selected();
    const result: { outcome: BulkDeleted | null } = { outcome: null };
    const ok = await confirmDialog({
      title: `Delete ${plural(n, "transaction")}?`,
      message: [
        h("p", null, `This deletes ${n === 1 ? "the selected transaction" : `the ${n} selected transactions`}; a transfer goes with both its sides.`),
        h("p", { class: "muted small" }, "You can undo this for a few seconds."),
      ],
      confirmLabel: "Delete",
      danger: true,
      testId: "bulk-delete-dialog",
      returnFocus: del,
      action: async () => {
        result.outcome = await askingReconciled((confirmReconciled) => api.bulkDelete({ selection: s, confirmReconciled }), "Deleting them");
      },
    });
    const gone = result.outcome;
    if (!ok || !gone) return;
    selection.clear();
    opts.onSelection();
    update();
    opts.onWritten();
    const token = gone.undoToken;
    if (!token) return void toast("Nothing was deleted.", { kind: "info" });
    // One key per undo: a retry (after "unavailable") cannot put the rows back twice.
    const idempotencyKey = newIdempotencyKey();
    toast(`${plural(gone.deleted, "transaction")} deleted`, {
      timeout: BULK_UNDO_MS,
      action: {
        label: "Undo",
        id: "bulk-undo",
        onClick: async () => {
          try {
            const back = await api.undoBulkDelete({ undoToken: token, idempotencyKey });
            toast(`${plural(back.changed, "transaction")} restored`, { kind: "success" });
          } catch (e) {
            toast(`Could not restore them: ${describeError(toApiError(e))}`, { kind: "error" });
          }
          opts.onWritten();
        },
      },
    });
  }

  function setChoices(categories: readonly CategoryView[], accounts: readonly AccountView[]): void {
    buildOptions(category.control, [{ value: "", label: "Choose…" }, ...groupedCategoryOptions(categories)], category.control.value);
    const open = accounts.filter((a) => !a.archived);
    buildOptions(account.control, [{ value: "", label: "Choose…" }, ...open.map((a) => ({ value: a.id, label: a.name }))], account.control.value);
    account.wrapper.hidden = open.length < 2;
    move.hidden = open.length < 2;
  }

  update();
  return { el, update, setChoices };
}
