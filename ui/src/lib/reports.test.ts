import { describe, expect, it } from "vitest";
import type { CategorySpendingView, ImportSettings, MonthTotalsView } from "../ipc-types";
import { columnLabels, formFromSettings, importCount, settingsFromForm, type MappingForm } from "./import-form";
import { addMonths, customRangeProblem, monthKeyRange, periodRange } from "./periods";
import { budgetSeries, chartNumber, donutSlices, isEmptyPeriod, monthlySeries, percentText, shortMonth, sumDecimals } from "./report-shape";

describe("period ranges", () => {
  it("this month covers the whole month, with the right last day", () => {
    expect(periodRange("this_month", "2024-02-10")).toEqual({ from: "2024-02-01", to: "2024-02-29" }); // leap year
    expect(periodRange("this_month", "2023-02-28")).toEqual({ from: "2023-02-01", to: "2023-02-28" });
    expect(periodRange("this_month", "2100-02-01")).toEqual({ from: "2100-02-01", to: "2100-02-28" }); // not a leap year
    expect(periodRange("this_month", "2000-02-01")).toEqual({ from: "2000-02-01", to: "2000-02-29" }); // leap year
    expect(periodRange("this_month", "2025-04-30")).toEqual({ from: "2025-04-01", to: "2025-04-30" });
  });
  it("last month steps over year ends and from long months into short ones", () => {
    expect(periodRange("last_month", "2025-01-15")).toEqual({ from: "2024-12-01", to: "2024-12-31" });
    expect(periodRange("last_month", "2024-03-31")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(periodRange("last_month", "2025-03-31")).toEqual({ from: "2025-02-01", to: "2025-02-28" });
  });
  it("this year and the last 12 whole months", () => {
    expect(periodRange("this_year", "2025-06-01")).toEqual({ from: "2025-01-01", to: "2025-12-31" });
    expect(periodRange("last_12_months", "2025-03-15")).toEqual({ from: "2024-04-01", to: "2025-03-31" });
    expect(periodRange("last_12_months", "2024-12-31")).toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(periodRange("last_12_months", "2025-02-28")).toEqual({ from: "2024-03-01", to: "2025-02-28" });
  });
  it("month arithmetic and month keys", () => {
    expect(addMonths(2025, 1, -1)).toEqual([2024, 12]);
    expect(addMonths(2025, 12, 1)).toEqual([2026, 1]);
    expect(addMonths(2025, 3, -27)).toEqual([2022, 12]);
    expect(monthKeyRange("2024-02")).toEqual({ from: "2024-02-01", to: "2024-02-29" });
    expect(monthKeyRange("2024-13")).toBeNull();
    expect(monthKeyRange("nope")).toBeNull();
  });
  it("custom ranges must be real dates in order", () => {
    expect(customRangeProblem("2024-01-01", "2024-01-31")).toBeNull();
    expect(customRangeProblem("2024-01-01", "2024-01-01")).toBeNull();
    expect(customRangeProblem("2023-02-29", "2024-01-31")?.field).toBe("from");
    expect(customRangeProblem("2024-01-01", "")?.field).toBe("to");
    expect(customRangeProblem("2024-02-01", "2024-01-31")).toEqual({ field: "to", message: "To must be on or after From." });
  });
});

describe("report shaping", () => {
  it("basis points as percent text", () => {
    expect(percentText(1234, "en-US")).toBe("12.3%");
    expect(percentText(10000, "en-US")).toBe("100.0%");
    expect(percentText(0, "en-US")).toBe("0.0%");
    expect(percentText(5, "en-US")).toBe("0.1%");
    expect(percentText(-3, "en-US")).toBe("0.0%");
    expect(percentText(3333, "de-DE")).toBe("33,3\u00a0%");
  });
  it("exact decimal sums and chart numbers", () => {
    expect(sumDecimals(["0.10", "0.20", "1000000000.05"], 2)).toBe("1000000000.35");
    expect(sumDecimals(["12.30", "-20.00"], 2)).toBe("-7.70");
    expect(sumDecimals(["5", "7"], 0)).toBe("12");
    expect(sumDecimals([], 2)).toBe("0.00");
    expect(chartNumber("12.30")).toBe(12.3);
    expect(chartNumber("-5.5")).toBe(-5.5);
    expect(chartNumber("junk")).toBe(0);
    expect(isEmptyPeriod("0.00", "0.00")).toBe(true);
    expect(isEmptyPeriod("0.00", "0.01")).toBe(false);
  });
  const cat = (name: string, amount: string, bp: number): CategorySpendingView => ({ categoryId: `id-${name}`, name, amount, count: 1, basisPoints: bp });
  it("donut slices: largest first, the tail merged into Other with an exact sum", () => {
    const rows = [cat("A", "10.00", 1000), cat("B", "40.00", 4000), cat("C", "20.00", 2000), cat("D", "15.00", 1500), cat("E", "15.00", 1500), cat("Z", "0.00", 0)];
    const all = donutSlices(rows, 2, 8);
    expect(all.map((s) => s.label)).toEqual(["B", "C", "D", "E", "A"]);
    const merged = donutSlices(rows, 2, 3);
    expect(merged.map((s) => [s.label, s.amount, s.basisPoints, s.categoryId])).toEqual([
      ["B", "40.00", 4000, "id-B"],
      ["C", "20.00", 2000, "id-C"],
      ["Other (3)", "40.00", 4000, null],
    ]);
  });
  it("monthly and budget series", () => {
    const months: MonthTotalsView[] = [
      { month: "2024-12", income: "100.00", expense: "40.50", net: "59.50" },
      { month: "2025-01", income: "0.00", expense: "10.00", net: "-10.00" },
    ];
    const s = monthlySeries(months, "en-US");
    expect(s.keys).toEqual(["2024-12", "2025-01"]);
    expect(s.labels).toEqual(["Dec 2024", "Jan 2025"]);
    expect(s.income).toEqual([100, 0]);
    expect(s.expense).toEqual([40.5, 10]);
    expect(s.net).toEqual([59.5, -10]);
    const b = budgetSeries([{ budgetId: "b", categoryId: "c", categoryName: "Food", period: "monthly", limit: "300.00", spent: "320.10", state: "over" }]);
    expect(b).toEqual({ labels: ["Food"], spent: [320.1], limit: [300], states: ["over"] });
  });
});

describe("import mapping form", () => {
  const guess: ImportSettings = { delimiter: ";", hasHeader: true, date: 0, amount: { kind: "single", column: 2 }, description: 1, category: 3, note: null, type: null, dateFormat: "DD.MM.YYYY", decimal: "comma", account: null, transfer: null };
  it("round-trips the guess", () => {
    const f = formFromSettings(guess);
    expect(f).toMatchObject({ delimiter: ";", date: "0", amountMode: "single", amount: "2", description: "1", category: "3", note: "" });
    expect(settingsFromForm(f, 4)).toEqual({ settings: guess, problems: [] });
  });
  it("debit and credit columns", () => {
    const f: MappingForm = { ...formFromSettings(guess), amountMode: "debit_credit", debit: "2", credit: "4", category: "" };
    expect(settingsFromForm(f, 5).settings).toEqual({ ...guess, amount: { kind: "debit_credit", debit: 2, credit: 4 }, category: null });
    expect(settingsFromForm({ ...f, credit: "2" }, 5).problems).toEqual([{ field: "credit", message: "Debit and credit must be different columns." }]);
    expect(settingsFromForm({ ...f, credit: "" }, 5).problems.map((p) => p.field)).toEqual(["credit"]);
  });
  it("names every missing or clashing field", () => {
    const f: MappingForm = { ...formFromSettings(guess), date: "", description: "2", dateFormat: "YYYYMMDD", decimal: "x" };
    const r = settingsFromForm(f, 4);
    expect(r.settings).toBeNull();
    expect(r.problems.map((p) => p.field).sort()).toEqual(["date", "dateFormat", "decimal", "description"]);
    expect(settingsFromForm({ ...formFromSettings(guess), amount: "7" }, 4).problems.map((p) => p.field)).toEqual(["amount"]);
    expect(settingsFromForm({ ...formFromSettings(guess), delimiter: "" }, 4).problems.map((p) => p.field)).toEqual(["delimiter"]);
    expect(settingsFromForm({ ...formFromSettings(guess), type: "3" }, 4).problems.map((p) => p.field)).toEqual(["type"]);
    expect(settingsFromForm({ ...formFromSettings(guess), account: "3" }, 4).problems.map((p) => p.field), "the account column is one more column").toEqual(["account"]);
    const own = { ...guess, account: 0, date: 3, category: null, transfer: null };
    expect(settingsFromForm(formFromSettings(own), 4).settings, "an account column round-trips").toEqual(own);
    expect(settingsFromForm({ ...formFromSettings(guess), category: "", type: "3" }, 4).settings?.type).toBe(3);
  });
  it("column labels and the count to import", () => {
    expect(columnLabels(["Date", "Text"], ["2024-01-01", "Milk"], true)).toEqual(["1: Date", "2: Text"]);
    expect(columnLabels(null, ["2024-01-01", "A very long description that goes on"], false)).toEqual(["Column 1: 2024-01-01", "Column 2: A very long description…"]);
    expect(columnLabels(["Date", "Text"], ["2024-01-01", "Milk"], false)).toEqual(["Column 1: Date", "Column 2: Text"]);
    expect(importCount(20, 3, true)).toBe(17);
    expect(importCount(20, 3, false)).toBe(20);
    expect(importCount(2, 3, true)).toBe(0);
  });
});

describe("axis labels", () => {
  it("a month key as the short month name; anything else unchanged", () => {
    expect(shortMonth("2025-03", "en-US"), "March").toBe("Mar");
    expect(shortMonth("2025-13x", "en-US"), "not a month key").toBe("2025-13x");
  });
});
