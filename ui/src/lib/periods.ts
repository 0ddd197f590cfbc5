// The Reports screen's periods as calendar date ranges ("YYYY-MM-DD", local dates, inclusive).
import { daysInMonth, parseIsoDate } from "./dates";

export type PeriodKind = "this_month" | "last_month" | "this_year" | "last_12_months" | "custom";

export const PERIOD_OPTIONS: readonly { value: PeriodKind; label: string }[] = [
  { value: "this_month", label: "This month" },
  { value: "last_month", label: "Last month" },
  { value: "this_year", label: "This year" },
  { value: "last_12_months", label: "Last 12 months" },
  { value: "custom", label: "Custom…" },
];

export interface DateRangeText {
  from: string;
  to: string;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
const iso = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m)}-${pad(d)}`;

/** The month `offset` months from (year, month), as [year, month 1–12]. */
export function addMonths(year: number, month: number, offset: number): [number, number] {
  const index = year * 12 + (month - 1) + offset;
  return [Math.floor(index / 12), (index % 12 + 12) % 12 + 1];
}

/** First and last day of a month. */
export function wholeMonth(year: number, month: number): DateRangeText {
  return { from: iso(year, month, 1), to: iso(year, month, daysInMonth(year, month)) };
}

/**
 * The range of a preset relative to `today` ("YYYY-MM-DD"). Whole months and years, so a report
 * of "this month" on the 3rd still covers the whole month (future days are simply empty).
 * "Last 12 months" is the current month and the 11 before it.
 */
export function periodRange(kind: Exclude<PeriodKind, "custom">, today: string): DateRangeText {
  const t = parseIsoDate(today);
  if (!t) throw new RangeError(`not a date: ${today}`);
  switch (kind) {
    case "this_month":
      return wholeMonth(t.year, t.month);
    case "last_month": {
      const [y, m] = addMonths(t.year, t.month, -1);
      return wholeMonth(y, m);
    }
    case "this_year":
      return { from: iso(t.year, 1, 1), to: iso(t.year, 12, 31) };
    case "last_12_months": {
      const [y, m] = addMonths(t.year, t.month, -11);
      return { from: iso(y, m, 1), to: wholeMonth(t.year, t.month).to };
    }
  }
}

/** A custom range's problem, or null when both are real dates and from ≤ to. */
export function customRangeProblem(from: string, to: string): { field: "from" | "to"; message: string } | null {
  if (!parseIsoDate(from)) return { field: "from", message: "From must be a date like 2024-01-31." };
  if (!parseIsoDate(to)) return { field: "to", message: "To must be a date like 2024-01-31." };
  if (from > to) return { field: "to", message: "To must be on or after From." };
  return null;
}

/** The whole month of a "YYYY-MM" key. */
export function monthKeyRange(key: string): DateRangeText | null {
  const m = /^(\d{4})-(\d{2})$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return wholeMonth(year, month);
}
