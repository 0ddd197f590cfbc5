// Dates as people type them in the transaction form, in the format they chose (Settings) or their
// locale's: "31.12.2025", "12/31/2025", "2025-12-31". Short forms fill in from today: "7" is the
// 7th of this month, "7.3" (or "3/7" month-first) the 7th of March this year, a two-digit year is
// this century's. ISO dates are always accepted. "+" and "-" step a day forward or back
// (`stepDate`; the form decides when the key means that rather than a typed "-").
// Calendar maths only: no time zones, no Date arithmetic across DST.

import { daysInMonth, parseIsoDate } from "./dates";

/** The typed date formats offered (the same names as the CSV import's date formats). */
export const DATE_ENTRY_FORMATS = ["YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY"] as const;
export type DateEntryFormat = (typeof DATE_ENTRY_FORMATS)[number];

const pad2 = (n: number): string => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number): string => `${String(y).padStart(4, "0")}-${pad2(m)}-${pad2(d)}`;

interface Layout {
  sep: string;
  order: readonly ("y" | "m" | "d")[];
}

function layout(format: DateEntryFormat): Layout {
  switch (format) {
    case "YYYY-MM-DD":
      return { sep: "-", order: ["y", "m", "d"] };
    case "DD.MM.YYYY":
      return { sep: ".", order: ["d", "m", "y"] };
    case "DD/MM/YYYY":
      return { sep: "/", order: ["d", "m", "y"] };
    case "MM/DD/YYYY":
      return { sep: "/", order: ["m", "d", "y"] };
  }
}

/** "2025-12-31" shown for typing in `format`; the input itself when it is not a date. */
export function formatDateForEntry(isoDate: string, format: DateEntryFormat): string {
  const p = parseIsoDate(isoDate);
  if (!p) return isoDate;
  const { sep, order } = layout(format);
  return order.map((k) => (k === "y" ? String(p.year).padStart(4, "0") : pad2(k === "m" ? p.month : p.day))).join(sep);
}

/**
 * Read a typed date (see the module docs) as an ISO date, or null when it names no real day.
 * `today` (ISO) fills in a missing month or year.
 */
export function parseTypedDate(text: string, format: DateEntryFormat, today: string): string | null {
  const t = text.trim();
  if (t === "") return null;
  if (parseIsoDate(t)) return t;
  const now = parseIsoDate(today);
  if (!now) return null;
  const { order } = layout(format);
  // Any of . / - as the separator: people type what their fingers know.
  const parts = t.split(/[./-]/);
  if (parts.some((p) => !/^\d{1,4}$/.test(p))) return null;
  let y = now.year;
  let m = now.month;
  let d: number;
  if (parts.length === 1) {
    d = Number(parts[0]);
    if ((parts[0] ?? "").length > 2) return null;
  } else if (parts.length === 2) {
    // Day and month in the format's order (a year-first format types month then day).
    const dayFirst = order.indexOf("d") < order.indexOf("m");
    d = Number(dayFirst ? parts[0] : parts[1]);
    m = Number(dayFirst ? parts[1] : parts[0]);
    if (parts.some((p) => p.length > 2)) return null;
  } else if (parts.length === 3) {
    const at = (k: "y" | "m" | "d"): string => parts[order.indexOf(k)] ?? "";
    const ys = at("y");
    if (at("m").length > 2 || at("d").length > 2) return null;
    if (ys.length === 2) y = 2000 + Number(ys);
    else if (ys.length === 4) y = Number(ys);
    else return null;
    m = Number(at("m"));
    d = Number(at("d"));
  } else {
    return null;
  }
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return iso(y, m, d);
}

/** The ISO date `days` calendar days after (or before) `isoDate`; the input when it is not a date. */
export function stepDate(isoDate: string, days: number): string {
  const p = parseIsoDate(isoDate);
  if (!p) return isoDate;
  // Noon UTC: whole days only, no local-time DST effects.
  const t = Date.UTC(p.year, p.month - 1, p.day, 12) + days * 86_400_000;
  const n = new Date(t);
  return iso(n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate());
}

/** Whether a "-" typed into `text` is part of the date (an ISO format still being typed). */
export function minusIsTyping(text: string, format: DateEntryFormat): boolean {
  return format === "YYYY-MM-DD" && parseIsoDate(text.trim()) === null;
}

/** What `format` looks like, for a placeholder or a message ("DD.MM.YYYY" → "31.12.2025"). */
export function dateEntryExample(format: DateEntryFormat): string {
  return formatDateForEntry("2025-12-31", format);
}
