import { describe, expect, it } from "vitest";
import { formatAmount } from "./money";
import { AUTOMATIC, dateEntryOf, decimalOf, loadFormatChoice, resolveFormats, saveFormatChoice } from "./formats";

const norm = (s: string): string => s.replace(/[\u00a0\u202f]/g, " ");

function memory(): Pick<Storage, "getItem" | "setItem"> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe("formats", () => {
  it("follow the system locale when automatic", () => {
    expect(resolveFormats(AUTOMATIC, "de-DE")).toEqual({ numberLocale: "de-DE", decimal: "comma", dateEntry: "DD.MM.YYYY" });
    expect(resolveFormats(AUTOMATIC, "en-US")).toEqual({ numberLocale: "en-US", decimal: "dot", dateEntry: "MM/DD/YYYY" });
    expect(resolveFormats(AUTOMATIC, "en-GB").dateEntry).toBe("DD/MM/YYYY");
    expect(resolveFormats(AUTOMATIC, "sv-SE").dateEntry).toBe("YYYY-MM-DD");
  });

  it("override the system locale when chosen, and amounts show with grouping", () => {
    const german = resolveFormats({ number: "de", date: "YYYY-MM-DD" }, "en-US");
    expect(german).toEqual({ numberLocale: "de-DE", decimal: "comma", dateEntry: "YYYY-MM-DD" });
    expect(norm(formatAmount("7620.00", "EUR", { locale: german.numberLocale, digits: 2 }))).toBe("7.620,00 €");
    const english = resolveFormats({ number: "en", date: "auto" }, "de-DE");
    expect(norm(formatAmount("7620.00", "EUR", { locale: english.numberLocale, digits: 2 }))).toBe("€7,620.00");
    expect(english.dateEntry).toBe("DD.MM.YYYY");
  });

  it("are kept per user, and an unreadable or unknown choice is automatic", () => {
    const store = memory();
    saveFormatChoice(store, "u1", { number: "fr", date: "DD/MM/YYYY" });
    expect(loadFormatChoice(store, "u1")).toEqual({ number: "fr", date: "DD/MM/YYYY" });
    expect(loadFormatChoice(store, "u2")).toEqual(AUTOMATIC);
    store.data.set("finance.formats.u3", "{not json");
    expect(loadFormatChoice(store, "u3")).toEqual(AUTOMATIC);
    store.data.set("finance.formats.u4", JSON.stringify({ number: "xx", date: "YY" }));
    expect(loadFormatChoice(store, "u4")).toEqual(AUTOMATIC);
    expect(loadFormatChoice(null, "u1")).toEqual(AUTOMATIC);
  });

  it("fall back to a dot and ISO dates for a locale Intl cannot use", () => {
    expect(decimalOf("not a locale!")).toBe("dot");
    expect(dateEntryOf("not a locale!")).toBe("YYYY-MM-DD");
  });
});
