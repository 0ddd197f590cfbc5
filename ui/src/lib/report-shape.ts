// Shaping report data for charts and tables. Amounts stay exact decimal strings for text; charts
// get plain numbers only for drawing geometry (bar heights, slice angles), never for display.
import type { BudgetActualView, CategorySpendingView, MonthTotalsView } from "../ipc-types";
import { dateFormat } from "./dates";
import { parseDecimal } from "./money";

const percentFormats = new Map<string, Intl.NumberFormat>();

/** Basis points (1/100 %) as a percentage text, e.g. 1234 → "12.3%" (en-US), one decimal. */
export function percentText(basisPoints: number, locale?: string): string {
  const bp = Number.isFinite(basisPoints) ? Math.max(0, Math.round(basisPoints)) : 0;
  let nf = percentFormats.get(locale ?? "");
  if (!nf) {
    nf = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
    percentFormats.set(locale ?? "", nf);
  }
  return nf.format(bp / 10000);
}

/** A decimal amount string as a number for drawing (NaN-safe: invalid → 0). */
export function chartNumber(amount: string): number {
  const p = parseDecimal(amount);
  if (!p) return 0;
  const n = Number(`${p.whole}.${p.fraction || "0"}`);
  return Number.isFinite(n) ? (p.negative ? -n : n) : 0;
}

/** Exact sum of decimal strings with `digits` fraction digits (BigInt minor units). */
export function sumDecimals(amounts: readonly string[], digits: number): string {
  let total = 0n;
  for (const a of amounts) {
    const p = parseDecimal(a);
    if (!p) continue;
    const frac = p.fraction.padEnd(digits, "0").slice(0, digits);
    const minor = BigInt(`${p.whole}${frac}` || "0");
    total += p.negative ? -minor : minor;
  }
  const neg = total < 0n;
  const s = (neg ? -total : total).toString().padStart(digits + 1, "0");
  const body = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return neg ? `-${body}` : body;
}

export interface DonutSlice {
  /** Null for the merged "Other" slice (not clickable). */
  categoryId: string | null;
  label: string;
  amount: string;
  value: number;
  basisPoints: number;
}

/**
 * Category spending as donut slices, largest first: the top `maxSlices - 1` categories and,
 * when there are more, one "Other" slice with the exact sum and share of the rest.
 */
export function donutSlices(rows: readonly CategorySpendingView[], digits: number, maxSlices = 8): DonutSlice[] {
  const sorted = [...rows].filter((r) => chartNumber(r.amount) > 0).sort((a, b) => chartNumber(b.amount) - chartNumber(a.amount) || a.name.localeCompare(b.name));
  const slice = (r: CategorySpendingView): DonutSlice => ({ categoryId: r.categoryId, label: r.name, amount: r.amount, value: chartNumber(r.amount), basisPoints: r.basisPoints });
  if (sorted.length <= maxSlices) return sorted.map(slice);
  const head = sorted.slice(0, maxSlices - 1).map(slice);
  const rest = sorted.slice(maxSlices - 1);
  const amount = sumDecimals(rest.map((r) => r.amount), digits);
  head.push({ categoryId: null, label: `Other (${rest.length})`, amount, value: chartNumber(amount), basisPoints: rest.reduce((s, r) => s + r.basisPoints, 0) });
  return head;
}

export interface MonthlySeries {
  keys: string[];
  labels: string[];
  income: number[];
  expense: number[];
  net: number[];
}

/** "2025-03" → "Mar 2025" in the locale. */
export function monthLabel(key: string, locale?: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return key;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, 15, 12);
  return dateFormat(locale, { month: "short", year: "numeric" }).format(d);
}

/** "2025-03" → "Mar" in the locale (an axis label; the year goes on a line of its own). */
export function shortMonth(key: string, locale?: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return key;
  return dateFormat(locale, { month: "short" }).format(new Date(Number(m[1]), Number(m[2]) - 1, 15, 12));
}

export function monthlySeries(months: readonly MonthTotalsView[], locale?: string): MonthlySeries {
  return {
    keys: months.map((m) => m.month),
    labels: months.map((m) => monthLabel(m.month, locale)),
    income: months.map((m) => chartNumber(m.income)),
    expense: months.map((m) => chartNumber(m.expense)),
    net: months.map((m) => chartNumber(m.net)),
  };
}

export interface BudgetSeries {
  labels: string[];
  spent: number[];
  limit: number[];
  states: BudgetActualView["state"][];
}

export function budgetSeries(budgets: readonly BudgetActualView[]): BudgetSeries {
  return {
    labels: budgets.map((b) => b.categoryName),
    spent: budgets.map((b) => chartNumber(b.spent)),
    limit: budgets.map((b) => chartNumber(b.limit)),
    states: budgets.map((b) => b.state),
  };
}

/** True when a period has nothing to chart: no income, no expense in it. */
export function isEmptyPeriod(totalIncome: string, totalExpense: string): boolean {
  return chartNumber(totalIncome) === 0 && chartNumber(totalExpense) === 0;
}

/** A one-sentence summary of the category donut for its aria-label. */
export function donutSummary(slices: readonly DonutSlice[], money: (a: string) => string, locale?: string): string {
  if (slices.length === 0) return "No spending in this period.";
  const parts = slices.slice(0, 3).map((s) => `${s.label} ${money(s.amount)} (${percentText(s.basisPoints, locale)})`);
  return `Spending by category, ${slices.length} slice${slices.length === 1 ? "" : "s"}. Largest: ${parts.join("; ")}. The table below lists every category.`;
}

/** A one-sentence summary of the monthly chart for its aria-label. */
export function monthlySummary(months: readonly MonthTotalsView[], money: (a: string) => string, locale?: string): string {
  if (months.length === 0) return "No months to show.";
  const first = months[0];
  const last = months[months.length - 1];
  const withData = months.filter((m) => chartNumber(m.income) !== 0 || chartNumber(m.expense) !== 0).length;
  return `Income and expense per month from ${monthLabel(first?.month ?? "", locale)} to ${monthLabel(last?.month ?? "", locale)}; ${withData} of ${months.length} months have transactions. ${monthLabel(last?.month ?? "", locale)}: income ${money(last?.income ?? "0")}, expense ${money(last?.expense ?? "0")}, net ${money(last?.net ?? "0")}. The table below lists every month.`;
}
