import { describe, expect, it } from "vitest";
import { daysInMonth, formatDate, formatDateRange, formatMonth, isIsoDate, monthRange, parseIsoDate, toIsoDate, todayLocal } from "./dates";

describe("todayLocal", () => {
  it("uses the local calendar date, not UTC", () => {
    // 23:30 local on 31 Dec: toISOString() could already say next year in zones east of UTC.
    const lateEvening = new Date(2024, 11, 31, 23, 30);
    expect(todayLocal(lateEvening)).toBe("2024-12-31");
    const earlyMorning = new Date(2025, 0, 1, 0, 15);
    expect(todayLocal(earlyMorning)).toBe("2025-01-01");
  });
  it("pads months, days and small years", () => {
    expect(toIsoDate(new Date(2025, 2, 7))).toBe("2025-03-07");
    const d = new Date(2025, 0, 1);
    d.setFullYear(999);
    expect(toIsoDate(d)).toBe("0999-01-01");
  });
});

describe("parseIsoDate", () => {
  it("accepts real days only", () => {
    expect(parseIsoDate("2024-02-29")).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate("2023-02-29")).toBeNull();
    expect(parseIsoDate("2024-13-01")).toBeNull();
    expect(parseIsoDate("2024-04-31")).toBeNull();
    expect(parseIsoDate("2024-4-01")).toBeNull();
    expect(parseIsoDate("2024-04-01T00:00:00Z")).toBeNull();
    expect(isIsoDate("2024-12-31")).toBe(true);
  });
});

describe("monthRange", () => {
  it("gives the first and last day of the month", () => {
    expect(monthRange("2024-02-10")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(monthRange("2023-02-28")).toEqual({ from: "2023-02-01", to: "2023-02-28" });
    expect(monthRange("2025-12-31")).toEqual({ from: "2025-12-01", to: "2025-12-31" });
    expect(monthRange(new Date(2025, 3, 30, 23, 59))).toEqual({ from: "2025-04-01", to: "2025-04-30" });
  });
  it("rejects an invalid date string", () => {
    expect(() => monthRange("2025-02-30")).toThrow(RangeError);
  });
  it("knows month lengths", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2024, m))).toEqual([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
  });
});

describe("display formatting", () => {
  it("formats a calendar date without shifting the day", () => {
    expect(formatDate("2025-03-01", "en-US")).toBe("Mar 1, 2025");
    expect(formatDate("2025-12-31", "en-US")).toBe("Dec 31, 2025");
    expect(formatDate("not a date", "en-US")).toBe("not a date");
  });
  it("formats a month and a range", () => {
    expect(formatMonth("2025-11-01", "en-US")).toBe("November 2025");
    expect(formatDateRange("2025-03-01", "2025-03-31", "en-US").replace(/\s/g, " ")).toBe("Mar 1 – 31, 2025");
  });
});
