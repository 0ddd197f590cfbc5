// Calendar dates as "YYYY-MM-DD" strings in the user's local time zone (never UTC conversions).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

const pad2 = (n: number): string => String(n).padStart(2, "0");
const pad4 = (n: number): string => String(n).padStart(4, "0");

/** Local calendar date of `d` as "YYYY-MM-DD" (not toISOString(), which is UTC). */
export function toIsoDate(d: Date): string {
  return `${pad4(d.getFullYear())}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Today in the local time zone. */
export function todayLocal(now: Date = new Date()): string {
  return toIsoDate(now);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(year, month, 0).getDate();
}

/** Parse a strict "YYYY-MM-DD" that names a real day; null otherwise. */
export function parseIsoDate(s: string): CalendarDate | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(s: string): boolean {
  return parseIsoDate(s) !== null;
}

/** First and last day of the month containing `date` (a Date, or an ISO date string). */
export function monthRange(date: Date | string = new Date()): { from: string; to: string } {
  let year: number;
  let month: number;
  if (typeof date === "string") {
    const p = parseIsoDate(date);
    if (!p) throw new RangeError(`not a date: ${date}`);
    year = p.year;
    month = p.month;
  } else {
    year = date.getFullYear();
    month = date.getMonth() + 1;
  }
  return {
    from: `${pad4(year)}-${pad2(month)}-01`,
    to: `${pad4(year)}-${pad2(month)}-${pad2(daysInMonth(year, month))}`,
  };
}

/** A local Date at noon of an ISO date (noon keeps DST shifts from changing the day). */
function localNoon(iso: string): Date | null {
  const p = parseIsoDate(iso);
  return p ? new Date(p.year, p.month - 1, p.day, 12) : null;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A date formatter for a locale and options, made once and reused: `toLocaleDateString` builds
 * one on every call (~0.2 ms each in WebKitGTK, 9 ms for a page of 50 rows; a reused one ~4 µs).
 */
export function dateFormat(locale: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${JSON.stringify(opts)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts);
    dateFormats.set(key, f);
  }
  return f;
}

/** "2025-03-07" → "Mar 7, 2025" (en-US) / "7 mars 2025" (fr); the input itself if invalid. */
export function formatDate(iso: string, locale?: string): string {
  const d = localNoon(iso);
  if (!d) return iso;
  return dateFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(d);
}

/** "2025-03-01" → "March 2025". */
export function formatMonth(iso: string, locale?: string): string {
  const d = localNoon(iso);
  if (!d) return iso;
  return dateFormat(locale, { year: "numeric", month: "long" }).format(d);
}

/** A date range for display, e.g. "Mar 1 – Mar 31, 2025". */
export function formatDateRange(from: string, to: string, locale?: string): string {
  const a = localNoon(from);
  const b = localNoon(to);
  if (!a || !b) return `${from} – ${to}`;
  const dtf = dateFormat(locale, { year: "numeric", month: "short", day: "numeric" });
  if (typeof dtf.formatRange === "function") return dtf.formatRange(a, b);
  return `${dtf.format(a)} – ${dtf.format(b)}`;
}
