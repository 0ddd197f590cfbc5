import { describe, expect, it } from "vitest";
import type { TransactionListInput } from "../ipc-types";
import { MAX_SELECTED_IDS, RowSelection } from "./selection";

const page = ["a", "b", "c", "d", "e"];
const filter: TransactionListInput = { from: "2024-03-01", to: null, categoryIds: ["food", "rent"], type: null, text: null, minAmount: null, maxAmount: null, sort: "date_desc", limit: 50, cursor: "d.2024-03-02.x" };

describe("RowSelection", () => {
  it("flips a row on a click and selects a range on shift-click, both ways", () => {
    const s = new RowSelection();
    expect(s.mode).toBe("none");
    s.click("b", page, false);
    s.click("d", page, true);
    expect(s.request(), "b to d, the anchor's state (selected)").toEqual({ ids: ["b", "c", "d"] });
    s.click("a", page, true);
    expect(s.request(), "a shift-click upwards from the new anchor d").toEqual({ ids: ["b", "c", "d", "a"] });
    s.click("c", page, false);
    expect(s.isSelected("c")).toBe(false);
    s.click("e", page, true);
    expect(s.request(), "the anchor c is now unselected: the range c..e is unselected").toEqual({ ids: ["b", "a"] });
  });

  it("keeps explicit ids across pages and toggles a whole page", () => {
    const s = new RowSelection();
    s.click("a", page, false);
    const next = ["f", "g"];
    expect(s.togglePage(next)).toBe(true);
    expect(s.count(0)).toBe(3);
    expect(s.pageState(page)).toBe("some");
    expect(s.pageState(next)).toBe("all");
    s.togglePage(next);
    expect(s.request(), "a second toggle of a full page unselects it").toEqual({ ids: ["a"] });
  });

  it("selects everything matching the filter without ids, and leaves that mode on a click", () => {
    const s = new RowSelection();
    s.click("a", page, false);
    s.selectAllMatching(filter);
    expect(s.mode).toBe("all-matching");
    expect(s.count(1234), "the count is the filter's total").toBe(1234);
    expect(s.isSelected("zzz"), "rows on other pages are selected too").toBe(true);
    expect(s.request(), "the filter from the first page (no cursor), never ids").toEqual({ filter: { ...filter, cursor: null } });
    s.click("c", page, false);
    expect(s.mode).toBe("ids");
    expect(s.request(), "the page's rows stay, the clicked one is off").toEqual({ ids: ["a", "b", "d", "e"] });
    s.clear();
    expect(s.request()).toBeNull();
  });

  it("refuses to pass the server's bound on explicit ids", () => {
    const s = new RowSelection();
    const many = Array.from({ length: MAX_SELECTED_IDS }, (_, i) => `id${i}`);
    expect(s.togglePage(many)).toBe(true);
    expect(s.click("one-more", ["one-more"], false), "one past the bound: offer select-all-matching instead").toBe(false);
    expect(s.count(0)).toBe(MAX_SELECTED_IDS);
    s.drop(["id0", "id1"]);
    expect(s.count(0)).toBe(MAX_SELECTED_IDS - 2);
  });
});
