// Where a transaction a write just returned goes on the page of the Transactions table, so the
// screen can show an add, edit or undo without fetching the page again.
//
// Invariants:
// - The order is the server's: the sort key (date, or the exact decimal amount) in the sort's
//   direction, then the id in the same direction (ids are 24 lower-case hex digits on both
//   stores, so comparing the strings compares the ids).
// - A page is "the rows after its cursor, up to the next page's cursor" (keyset pagination):
//   a row that sorts inside the page belongs on it even if the page then holds one more row
//   than the limit, and a row that sorts after the last row of a page with a next page belongs
//   to a later page.
// - Filters are not checked here (whether a row matches is the server's rule): callers place
//   rows only in an unfiltered list and fetch the page again otherwise.
import type { TransactionSort, TransactionView } from "../ipc-types";
import { compareDecimal } from "./money";

export type Row = Pick<TransactionView, "id" | "date" | "amount">;

/** Negative when `a` comes before `b` in the list sorted by `sort`. */
export function compareRows(a: Row, b: Row, sort: TransactionSort): number {
  const byKey = sort === "date_desc" || sort === "date_asc" ? cmp(a.date, b.date) : (compareDecimal(a.amount, b.amount) ?? 0);
  const ascending = sort === "date_asc" || sort === "amount_asc";
  const order = byKey !== 0 ? byKey : cmp(a.id, b.id);
  return ascending ? order : -order;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface PageBounds {
  /** There are pages before this one. */
  hasPrevious: boolean;
  /** There are pages after this one. */
  hasNext: boolean;
}

/**
 * The page's rows with `t` placed where the server would list it (replacing the row with its id,
 * if any): inserted when it sorts inside the page, left out when it sorts after the page's last
 * row and a next page exists. Null when only the server can say (it sorts before the first row
 * of a page with pages before it): fetch the page again.
 */
export function placeRow<T extends Row>(rows: readonly T[], t: T, sort: TransactionSort, bounds: PageBounds): T[] | null {
  const others = rows.filter((r) => r.id !== t.id);
  const at = others.findIndex((r) => compareRows(t, r, sort) < 0);
  const index = at === -1 ? others.length : at;
  if (index === 0 && bounds.hasPrevious) return null;
  if (index === others.length && bounds.hasNext) return others;
  return [...others.slice(0, index), t, ...others.slice(index)];
}
