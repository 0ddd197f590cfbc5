// The Reports screen's account filter and its net-worth chart, as pure data.
//
// Invariants:
// - The filter offers "All accounts" (the empty value: the server's `accountId` absent), then the
//   open accounts in the server's order, then archived accounts that still hold transactions
//   (their rows are in every "All accounts" report, so they can be looked at alone); an archived
//   account without rows would only ever show an empty report and is left out.
// - Net worth is over every account (assets and liabilities apart, archived accounts too): it
//   is the server's sum, never one worked out here. The chart covers the same 12 months as the
//   income-and-expense trend beside it (the 12 months ending with the report's last month).
// - Amounts stay the server's exact decimal strings for text; numbers are for drawing only.
import type { AccountView, NetWorthMonthView } from "../ipc-types";
import { addMonths, wholeMonth, type DateRangeText } from "./periods";
import { chartNumber, monthLabel } from "./report-shape";
import { parseIsoDate } from "./dates";

export interface AccountOption {
  /** The account's id; "" for every account. */
  value: string;
  label: string;
}

export const ALL_ACCOUNTS: AccountOption = { value: "", label: "All accounts" };

/** The account filter's choices (see the invariants above). */
export function reportAccountOptions(accounts: readonly AccountView[]): AccountOption[] {
  const open = accounts.filter((a) => !a.archived).map((a) => ({ value: a.id, label: a.name }));
  const archived = accounts.filter((a) => a.archived && a.transactions > 0).map((a) => ({ value: a.id, label: `${a.name} (archived)` }));
  return [ALL_ACCOUNTS, ...open, ...archived];
}

/** The choice to keep after the list changed: `chosen` while still offered, else every account. */
export function keptAccountChoice(options: readonly AccountOption[], chosen: string): string {
  return options.some((o) => o.value === chosen) ? chosen : ALL_ACCOUNTS.value;
}

/** The months of the net-worth chart: the 12 whole months ending with `to`'s month. */
export function netWorthRange(to: string, months = 12): DateRangeText {
  const t = parseIsoDate(to);
  if (!t) throw new RangeError(`not a date: ${to}`);
  const [y, m] = addMonths(t.year, t.month, -(months - 1));
  return { from: wholeMonth(y, m).from, to: wholeMonth(t.year, t.month).to };
}

export interface NetWorthSeries {
  labels: string[];
  assets: number[];
  liabilities: number[];
  net: number[];
  /** Whether any month has a liability balance (else the chart shows no liabilities bars). */
  hasLiabilities: boolean;
}

/** The series for drawing (numbers for geometry only). */
export function netWorthSeries(months: readonly NetWorthMonthView[], locale?: string): NetWorthSeries {
  const liabilities = months.map((m) => chartNumber(m.liabilities));
  return {
    labels: months.map((m) => monthLabel(m.month, locale)),
    assets: months.map((m) => chartNumber(m.assets)),
    liabilities,
    net: months.map((m) => chartNumber(m.net)),
    hasLiabilities: liabilities.some((v) => v !== 0),
  };
}

/** The last month of the series (the net worth at the end of the report's last month), if any. */
export function latestNetWorth(months: readonly NetWorthMonthView[]): NetWorthMonthView | null {
  return months[months.length - 1] ?? null;
}

/** A one-sentence summary of the net-worth chart for its aria-label. */
export function netWorthSummary(months: readonly NetWorthMonthView[], money: (a: string) => string, locale?: string): string {
  const first = months[0];
  const last = latestNetWorth(months);
  if (!first || !last) return "No months to show.";
  return `Net worth at the end of each month from ${monthLabel(first.month, locale)} to ${monthLabel(last.month, locale)}, over every account. ${monthLabel(first.month, locale)}: ${money(first.net)}. ${monthLabel(last.month, locale)}: ${money(last.net)} (assets ${money(last.assets)}, liabilities ${money(last.liabilities)}). The table below lists every month.`;
}
