import { describe, expect, it } from "vitest";
import type { AccountView, NetWorthMonthView } from "../ipc-types";
import { keptAccountChoice, latestNetWorth, netWorthRange, netWorthSeries, netWorthSummary, reportAccountOptions } from "./report-accounts";

const account = (id: string, name: string, archived = false, transactions = 0): AccountView => ({
  id, name, type: "checking", liability: false, openingBalance: "0.00", openingDate: "2024-01-01", note: null, balance: "0.00", clearedBalance: "0.00", archived, transactions, lastReconciled: null,
});

const month = (m: string, assets: string, liabilities: string, net: string): NetWorthMonthView => ({ month: m, assets, liabilities, net });

describe("the report's account filter", () => {
  it("offers every account, the open ones in the server's order, then archived ones that hold rows", () => {
    const accounts = [account("a", "Main"), account("old", "Old bank", true, 12), account("b", "Card"), account("empty", "Closed", true, 0)];
    expect(reportAccountOptions(accounts), "an archived account without rows would only show an empty report").toEqual([
      { value: "", label: "All accounts" },
      { value: "a", label: "Main" },
      { value: "b", label: "Card" },
      { value: "old", label: "Old bank (archived)" },
    ]);
    expect(reportAccountOptions([]), "no accounts yet: every account only").toEqual([{ value: "", label: "All accounts" }]);
  });

  it("keeps the chosen account while it is offered, else falls back to every account", () => {
    const options = reportAccountOptions([account("a", "Main"), account("b", "Card")]);
    expect(keptAccountChoice(options, "b")).toBe("b");
    expect(keptAccountChoice(options, "gone"), "a deleted account").toBe("");
    expect(keptAccountChoice(options, "")).toBe("");
  });
});

describe("the net-worth chart", () => {
  it("covers the 12 whole months ending with the report's last month", () => {
    expect(netWorthRange("2025-03-31")).toEqual({ from: "2024-04-01", to: "2025-03-31" });
    expect(netWorthRange("2024-12-15"), "any day of the month").toEqual({ from: "2024-01-01", to: "2024-12-31" });
    expect(netWorthRange("2024-02-01"), "leap February's last day").toEqual({ from: "2023-03-01", to: "2024-02-29" });
    expect(() => netWorthRange("soon")).toThrow(RangeError);
  });

  it("draws from the exact strings, and summarises the first and last month with the server's amounts", () => {
    const months = [month("2025-01", "1000.00", "0.00", "1000.00"), month("2025-02", "1200.50", "-300.25", "900.25")];
    const s = netWorthSeries(months, "en-US");
    expect(s.assets).toEqual([1000, 1200.5]);
    expect(s.liabilities, "liabilities stay negative (what is owed)").toEqual([0, -300.25]);
    expect(s.net).toEqual([1000, 900.25]);
    expect(s.hasLiabilities).toBe(true);
    expect(netWorthSeries([month("2025-01", "5.00", "0.00", "5.00")]).hasLiabilities, "no liability accounts: no liabilities bars").toBe(false);
    expect(latestNetWorth(months)?.net, "the latest value is the server's string").toBe("900.25");
    expect(latestNetWorth([])).toBeNull();
    const money = (a: string): string => `€${a}`;
    const summary = netWorthSummary(months, money, "en-US");
    expect(summary).toContain("Jan 2025: €1000.00");
    expect(summary).toContain("Feb 2025: €900.25 (assets €1200.50, liabilities €-300.25)");
    expect(netWorthSummary([], money)).toBe("No months to show.");
  });
});
