import { describe, expect, it } from "vitest";
import { compareRows, placeRow, type Row } from "./transaction-page";

const id = (n: number): string => n.toString(16).padStart(24, "0");
const row = (n: number, date: string, amount: string): Row => ({ id: id(n), date, amount });
const ids = (rows: readonly Row[] | null): number[] | null => rows && rows.map((r) => parseInt(r.id, 16));
const open = { hasPrevious: false, hasNext: false };

describe("compareRows", () => {
  it("orders by the sort key, then by id in the same direction, as the server does", () => {
    const a = row(1, "2025-03-01", "9.00");
    const b = row(2, "2025-03-01", "10.00");
    expect(compareRows(a, b, "date_desc"), "same date: the larger id comes first when descending").toBeGreaterThan(0);
    expect(compareRows(a, b, "date_asc"), "same date: the smaller id comes first when ascending").toBeLessThan(0);
    expect(compareRows(a, b, "amount_desc"), "10.00 > 9.00 exactly, not as text").toBeGreaterThan(0);
    expect(compareRows(a, b, "amount_asc"), "9.00 first when ascending").toBeLessThan(0);
    expect(compareRows(row(1, "2025-03-01", "10.0"), row(2, "2025-03-01", "10.00"), "amount_asc"), "equal amounts fall back to the id").toBeLessThan(0);
  });
});

describe("placeRow", () => {
  const page = [row(9, "2025-03-10", "5.00"), row(7, "2025-03-05", "5.00"), row(5, "2025-03-01", "5.00")];

  it("inserts a new row where it sorts, even past the page's limit", () => {
    expect(ids(placeRow(page, row(20, "2025-03-05", "1.00"), "date_desc", open)), "a new id goes first among rows of its date").toEqual([9, 20, 7, 5]);
    expect(ids(placeRow(page, row(20, "2025-03-11", "1.00"), "date_desc", { hasPrevious: false, hasNext: true })), "the newest on page 1 goes on top").toEqual([20, 9, 7, 5]);
    expect(ids(placeRow([], row(20, "2025-03-11", "1.00"), "date_desc", open)), "an empty list gets its first row").toEqual([20]);
  });

  it("moves an edited row, or keeps it in place when its key did not change", () => {
    expect(ids(placeRow(page, row(7, "2025-03-05", "99.00"), "date_desc", open)), "same date: same place").toEqual([9, 7, 5]);
    expect(ids(placeRow(page, row(7, "2025-02-01", "5.00"), "date_desc", open)), "an older date moves it down").toEqual([9, 5, 7]);
    expect(ids(placeRow(page, row(5, "2025-03-12", "5.00"), "date_desc", open)), "a newer date moves it up").toEqual([5, 9, 7]);
  });

  it("leaves out a row that belongs to a later page, and defers to the server before the first row", () => {
    expect(ids(placeRow(page, row(20, "2025-01-01", "1.00"), "date_desc", { hasPrevious: false, hasNext: true })), "older than the page, with more pages after").toEqual([9, 7, 5]);
    expect(ids(placeRow(page, row(7, "2025-01-01", "1.00"), "date_desc", { hasPrevious: false, hasNext: true })), "an edit that moves it to a later page removes it here").toEqual([9, 5]);
    expect(placeRow(page, row(20, "2025-03-11", "1.00"), "date_desc", { hasPrevious: true, hasNext: false }), "before the first row of page 2: maybe page 1").toBeNull();
    expect(ids(placeRow([...page].reverse(), row(20, "2025-03-11", "1.00"), "date_asc", open)), "ascending: the newest date goes last").toEqual([5, 7, 9, 20]);
  });
});
