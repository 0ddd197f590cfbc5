// How numbers and typed dates look: the webview's locale unless the user chose otherwise in
// Settings (kept per user on this computer, in localStorage). A choice gives the locale amounts are
// formatted in (grouping, decimal mark, the currency sign's place: "€7,620.00" / "7.620,00 €"), the
// decimal separator typed amounts are read with first (lib/amount-entry.ts), and the typed date
// format of the forms (lib/date-entry.ts).

import type { DecimalSeparator } from "./amount-entry";
import { DATE_ENTRY_FORMATS, type DateEntryFormat } from "./date-entry";
import type { KeyValueStore } from "./accounts";

/** The number formats offered, each by the locale that writes it. */
export const NUMBER_FORMATS = [
  { id: "auto", label: "As the system (automatic)", locale: null },
  { id: "en", label: "1,234.56 (English)", locale: "en-US" },
  { id: "de", label: "1.234,56 (German)", locale: "de-DE" },
  { id: "fr", label: "1 234,56 (French)", locale: "fr-FR" },
  { id: "ch", label: "1’234.56 (Swiss)", locale: "de-CH" },
] as const;
export type NumberFormatId = (typeof NUMBER_FORMATS)[number]["id"];

export interface FormatChoice {
  number: NumberFormatId;
  /** A typed date format, or "auto" for the locale's order. */
  date: DateEntryFormat | "auto";
}

export const AUTOMATIC: FormatChoice = { number: "auto", date: "auto" };

/** What screens use. */
export interface Formats {
  /** The locale numbers (and amounts) are formatted in; undefined = the runtime's default. */
  numberLocale: string | undefined;
  /** Typed amounts are read with this decimal separator first. */
  decimal: DecimalSeparator;
  /** Dates are typed (and shown in date fields) in this format. */
  dateEntry: DateEntryFormat;
}

/** The decimal separator `locale` writes ("," for de-DE). */
export function decimalOf(locale: string | undefined): DecimalSeparator {
  try {
    const mark = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value;
    return mark === "," ? "comma" : "dot";
  } catch {
    return "dot";
  }
}

/** The typed date format closest to how `locale` writes a numeric date. */
export function dateEntryOf(locale: string | undefined): DateEntryFormat {
  try {
    const parts = new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(new Date(2025, 11, 31, 12));
    const order = parts.filter((p) => p.type === "year" || p.type === "month" || p.type === "day").map((p) => p.type[0]).join("");
    const literal = parts.find((p) => p.type === "literal")?.value.trim() ?? "";
    if (order === "ymd") return "YYYY-MM-DD";
    if (order === "mdy") return "MM/DD/YYYY";
    if (order === "dmy") return literal === "/" ? "DD/MM/YYYY" : "DD.MM.YYYY";
  } catch {
    // an unusable locale: the unambiguous ISO form
  }
  return "YYYY-MM-DD";
}

/** The formats a choice means in `systemLocale` (the webview's). */
export function resolveFormats(choice: FormatChoice, systemLocale: string | undefined): Formats {
  const picked = NUMBER_FORMATS.find((f) => f.id === choice.number)?.locale ?? null;
  const numberLocale = picked ?? systemLocale;
  return {
    numberLocale,
    decimal: decimalOf(numberLocale),
    dateEntry: choice.date === "auto" ? dateEntryOf(systemLocale) : choice.date,
  };
}

const KEY = "finance.formats.";

/** The user's choice on this computer (automatic when none, unreadable or unknown). */
export function loadFormatChoice(store: KeyValueStore | null, userId: string): FormatChoice {
  try {
    const raw = store?.getItem(KEY + userId);
    if (!raw) return AUTOMATIC;
    const v = JSON.parse(raw) as Partial<Record<keyof FormatChoice, unknown>>;
    const number = NUMBER_FORMATS.find((f) => f.id === v.number)?.id ?? "auto";
    const date = (DATE_ENTRY_FORMATS as readonly unknown[]).includes(v.date) ? (v.date as DateEntryFormat) : "auto";
    return { number, date };
  } catch {
    return AUTOMATIC;
  }
}

/** Keep the user's choice (nothing happens when storage is unavailable). */
export function saveFormatChoice(store: KeyValueStore | null, userId: string, choice: FormatChoice): void {
  try {
    store?.setItem(KEY + userId, JSON.stringify(choice));
  } catch {
    // storage full or disabled: the choice lasts until the app closes
  }
}
