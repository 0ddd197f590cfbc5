// Which rows of the transaction list are selected, for the bulk bar: explicit ids (a box, a
// click, shift-click for a range on the page, "select this page"), or "every row matching the
// filter" across pages, which the server applies inside its write (the ids are never fetched).
// Pure logic, no DOM: the screen renders from `isSelected`, `count` and `request`.
// Invariants: explicit ids are at most MAX_SELECTED_IDS (the server's bound; beyond it the UI
// offers "select all matching"); a filter change clears the selection (the rows it named may no
// longer be shown); the all-matching mode always goes with the filter it was chosen under.
import type { BulkSelection, TransactionListInput } from "../ipc-types";

/** The server's bound on explicit ids (`MAX_SELECTED_IDS` in the core). */
export const MAX_SELECTED_IDS = 10_000;

export type SelectionMode = "none" | "ids" | "all-matching";

export class RowSelection {
  private ids = new Set<string>();
  private anchor: string | null = null;
  private allMatching: TransactionListInput | null = null;

  get mode(): SelectionMode {
    if (this.allMatching) return "all-matching";
    return this.ids.size > 0 ? "ids" : "none";
  }

  isSelected(id: string): boolean {
    return this.allMatching !== null || this.ids.has(id);
  }

  /** How many rows are selected; `matching` is the filter's row count (from its totals). */
  count(matching: number): number {
    return this.allMatching ? matching : this.ids.size;
  }

  /**
   * A click on a row's box (or the row). Without shift: the row flips and becomes the anchor.
   * With shift: every row from the anchor to it, in `order` (the page as shown), takes the
   * anchor's state. Leaves the all-matching mode (it becomes the page's explicit ids first).
   * Returns false when the click would pass MAX_SELECTED_IDS (nothing changes).
   */
  click(id: string, order: readonly string[], shift: boolean): boolean {
    if (this.allMatching) {
      this.allMatching = null;
      this.ids = new Set(order);
    }
    const from = this.anchor === null ? -1 : order.indexOf(this.anchor);
    const to = order.indexOf(id);
    if (shift && from >= 0 && to >= 0) {
      const on = this.ids.has(order[from] ?? "");
      const range = order.slice(Math.min(from, to), Math.max(from, to) + 1);
      const next = new Set(this.ids);
      for (const r of range) {
        if (on) next.add(r);
        else next.delete(r);
      }
      if (next.size > MAX_SELECTED_IDS) return false;
      this.ids = next;
    } else if (this.ids.has(id)) {
      this.ids.delete(id);
    } else {
      if (this.ids.size >= MAX_SELECTED_IDS) return false;
      this.ids.add(id);
    }
    this.anchor = id;
    return true;
  }

  /** The page's box in the heading: select every row of the page, or (all selected) none of them. */
  togglePage(order: readonly string[]): boolean {
    const all = order.length > 0 && order.every((id) => this.isSelected(id));
    if (this.allMatching) this.allMatching = null;
    const next = new Set(this.ids);
    for (const id of order) {
      if (all) next.delete(id);
      else next.add(id);
    }
    if (next.size > MAX_SELECTED_IDS) return false;
    this.ids = next;
    return true;
  }

  /** Whether every row of the page is selected (the heading box's state). */
  pageState(order: readonly string[]): "all" | "some" | "none" {
    const n = order.filter((id) => this.isSelected(id)).length;
    if (n === 0) return "none";
    return n === order.length ? "all" : "some";
  }

  /** Every row matching `filter`, across pages. */
  selectAllMatching(filter: TransactionListInput): void {
    this.allMatching = { ...filter, cursor: null };
    this.ids.clear();
    this.anchor = null;
  }

  clear(): void {
    this.ids.clear();
    this.allMatching = null;
    this.anchor = null;
  }

  /** Forget rows that are gone (after a delete). */
  drop(ids: readonly string[]): void {
    for (const id of ids) this.ids.delete(id);
  }

  /** The selection as the bulk commands take it (null when nothing is selected). */
  request(): BulkSelection | null {
    if (this.allMatching) return { filter: this.allMatching };
    if (this.ids.size === 0) return null;
    return { ids: [...this.ids] };
  }
}
