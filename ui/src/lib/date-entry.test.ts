import { describe, expect, it } from "vitest";
import { dateEntryExample, DATE_ENTRY_FORMATS, formatDateForEntry, minusIsTyping, parseTypedDate, stepDate } from "./date-entry";

const TODAY = "2025-03-15";

describe("parseTypedDate", () => {
  it("reads a full date in each format and ISO in every format", () => {
    expect(parseTypedDate("31.12.2024", "DD.MM.YYYY", TODAY)).toBe("2024-12-31");
    expect(parseTypedDate("31/12/2024", "DD/MM/YYYY", TODAY)).toBe("2024-12-31");
    expect(parseTypedDate("12/31/2024", "MM/DD/YYYY", TODAY)).toBe("2024-12-31");
    expect(parseTypedDate("2024-12-31", "YYYY-MM-DD", TODAY)).toBe("2024-12-31");
    for (const f of DATE_ENTRY_FORMATS) expect(parseTypedDate("2024-02-29", f, TODAY), f).toBe("2024-02-29");
  });

  it("fills a short date in from today, in the format's day/month order", () => {
    expect(parseTypedDate("7", "DD.MM.YYYY", TODAY)).toBe("2025-03-07");
    expect(parseTypedDate("7.1", "DD.MM.YYYY", TODAY)).toBe("2025-01-07");
    expect(parseTypedDate("1/7", "MM/DD/YYYY", TODAY)).toBe("2025-01-07");
    expect(parseTypedDate("01-07", "YYYY-MM-DD", TODAY)).toBe("2025-01-07");
    expect(parseTypedDate("7.1.24", "DD.MM.YYYY", TODAY)).toBe("2024-01-07");
  });

  it("refuses what names no real day", () => {
    for (const bad of ["", "32", "29.2.2025", "31/4/2025", "0.1.2025", "1.13.2025", "abc", "1.1.1.1", "123", "7,1", "2025-02-30"]) {
      expect(parseTypedDate(bad, "DD.MM.YYYY", TODAY), bad).toBeNull();
    }
    expect(parseTypedDate("2/29/2025", "MM/DD/YYYY", TODAY)).toBeNull();
    expect(parseTypedDate("2/29/2024", "MM/DD/YYYY", TODAY)).toBe("2024-02-29");
  });

  it("reads back every date it formats, in every format", () => {
    for (const f of DATE_ENTRY_FORMATS) {
      for (let d = "2023-12-25"; d <= "2024-03-05"; d = stepDate(d, 1)) {
        expect(parseTypedDate(formatDateForEntry(d, f), f, TODAY), `${d} in ${f}`).toBe(d);
      }
    }
  });
});

describe("stepDate", () => {
  it("crosses month, year and leap days by whole calendar days", () => {
    expect(stepDate("2024-02-28", 1)).toBe("2024-02-29");
    expect(stepDate("2024-02-29", 1)).toBe("2024-03-01");
    expect(stepDate("2025-01-01", -1)).toBe("2024-12-31");
    // The days around European and American DST changes are still one day apart.
    expect(stepDate("2025-03-30", 1)).toBe("2025-03-31");
    expect(stepDate("2025-11-02", -1)).toBe("2025-11-01");
  });
});

describe("the minus key", () => {
  it("is typed while an ISO date is incomplete, and steps the date otherwise", () => {
    expect(minusIsTyping("2025", "YYYY-MM-DD")).toBe(true);
    expect(minusIsTyping("2025-03-07", "YYYY-MM-DD")).toBe(false);
    expect(minusIsTyping("07.03.2025", "DD.MM.YYYY")).toBe(false);
  });
  it("shows an example of each format", () => {
    expect(dateEntryExample("DD.MM.YYYY")).toBe("31.12.2025");
    expect(dateEntryExample("MM/DD/YYYY")).toBe("12/31/2025");
  });
});
