// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { axisNumber, barLineChart, donutChart, limitBarChart, niceTicks, ringSegmentPath } from "./charts";

describe("chart geometry", () => {
  it("nice ticks cover the range, include zero and step by 1, 2, 2.5 or 5 × 10^n", () => {
    expect(niceTicks(0, 95), "0 to 100 in steps of 25").toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(-30, 70), "a negative minimum goes below zero").toEqual([-50, -25, 0, 25, 50, 75]);
    expect(niceTicks(0, 0), "an empty range still has an axis").toEqual([0, 0.25, 0.5, 0.75, 1]);
    const t = niceTicks(0, 1234567);
    expect(t[0], "starts at zero").toBe(0);
    expect(t[t.length - 1] ?? 0, "ends at or above the maximum").toBeGreaterThanOrEqual(1234567);
    expect(niceTicks(Number.NaN, 5), "garbage in, a usable axis out").toEqual([0, 1]);
  });

  it("a ring segment is one closed path; a whole ring is two halves", () => {
    const quarter = ringSegmentPath(100, 100, 50, 90, 0, 0.25);
    expect(quarter, "starts at 12 o'clock on the outer radius").toMatch(/^M100 10A90 90 0 0 1 190 100L150 100A50 50 0 0 0 100 50Z$/);
    expect(ringSegmentPath(100, 100, 50, 90, 0, 0.75), "more than half a turn takes the large arc").toContain("A90 90 0 1 1");
    expect(ringSegmentPath(100, 100, 50, 90, 0, 1).match(/Z/g)?.length, "a full ring cannot be one arc").toBe(2);
  });

  it("axis numbers are whole, and compact from 10,000 up", () => {
    expect(axisNumber(2500, "en-US")).toBe("2,500");
    expect(axisNumber(150000, "en-US")).toBe("150K");
    expect(axisNumber(-12.4, "en-US")).toBe("-12");
  });
});

describe("charts", () => {
  it("a donut is an image with its summary, one slice per positive part, and drills down on click", () => {
    let opened = 0;
    const el = donutChart({
      id: "d",
      label: "Spending by category: Rent 80%",
      parts: [
        { value: 80, colour: 0, title: "Rent: €80.00 (80.0%)", onClick: () => (opened += 1) },
        { value: 20, colour: 1, title: "Other (3): €20.00 (20.0%)" },
        { value: 0, colour: 2, title: "nothing" },
      ],
    });
    const root = el.querySelector("svg");
    expect(root?.getAttribute("role"), "an image for assistive technology").toBe("img");
    expect(root?.getAttribute("aria-label"), "labelled by its summary").toContain("Rent 80%");
    const slices = el.querySelectorAll("path.slice");
    expect(slices.length, "zero parts are not drawn").toBe(2);
    expect(slices[0]?.querySelector("title")?.textContent, "each slice says what it is").toBe("Rent: €80.00 (80.0%)");
    expect(slices[1]?.classList.contains("clickable"), "a part without a drill-down is not clickable").toBe(false);
    slices[0]?.dispatchEvent(new Event("click"));
    expect(opened, "a click on a slice drills down").toBe(1);
  });

  it("bars with a line: a bar per non-zero value, a point per group, a clickable hit area per group", () => {
    let month = "";
    const el = barLineChart({
      id: "m",
      label: "Income and expense",
      groups: ["Jan", "Feb", "Mar"].map((label) => ({ label, title: `${label} totals`, onClick: () => (month = label) })),
      bars: [
        { name: "Income", className: "income", values: [100, 0, 50] },
        { name: "Expense", className: "expense", values: [40, 30, 90] },
      ],
      line: { name: "Net", className: "net", values: [60, -30, -40] },
    });
    expect(el.querySelectorAll("rect.bar").length, "zero bars are not drawn").toBe(5);
    expect(el.querySelectorAll("circle.dot").length, "a net point per month").toBe(3);
    const hits = el.querySelectorAll("rect.hit");
    expect(hits.length, "one hit area per month").toBe(3);
    hits[1]?.dispatchEvent(new Event("click"));
    expect(month, "a click on a month drills down into it").toBe("Feb");
    const negative = Array.from(el.querySelectorAll("text.tick")).some((t) => t.textContent?.startsWith("-"));
    expect(negative, "a negative net puts the axis below zero").toBe(true);
  });

  it("limit bars: the spent bar and the limit outline per row", () => {
    const el = limitBarChart({
      id: "b",
      label: "Budgets",
      rows: [
        { label: "Groceries", value: 120, limit: 100, className: "over", title: "Groceries: spent €120.00 of €100.00" },
        { label: "Rent", value: 0, limit: 900, className: "ok", title: "Rent: spent €0.00 of €900.00" },
      ],
    });
    expect(el.querySelectorAll("rect.bar.over").length, "the over-budget row's bar").toBe(1);
    expect(el.querySelectorAll("rect.limit").length, "a limit outline per row").toBe(2);
    expect(el.querySelector("svg")?.getAttribute("viewBox"), "the height grows with the rows").toBe("0 0 720 120");
  });
});
