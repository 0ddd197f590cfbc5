import { describe, expect, it } from "vitest";
import type { RuleInput } from "../ipc-types";
import { categorySource, describeActions, describeConditions, moved, ruleInputFrom } from "./rules";

const blank: RuleInput = {
  name: "", enabled: true, descriptionMatch: null, descriptionText: null, amountMin: null, amountMax: null,
  accountId: null, type: null, categoryId: null, rename: null, note: null,
};
const money = (a: string): string => `€${a}`;

describe("rules in words", () => {
  it("names every condition that is set, and only those", () => {
    expect(describeConditions({ ...blank, descriptionMatch: "startsWith", descriptionText: "REWE" }, () => "", money)).toBe("Description starts with “REWE”");
    const all = { ...blank, descriptionMatch: "equals" as const, descriptionText: "Tesco", amountMin: "10.00", amountMax: "20.00", accountId: "a1", type: "expense" as const };
    expect(describeConditions(all, (id) => (id === "a1" ? "Visa card" : "?"), money)).toBe("Description is “Tesco” · amount €10.00–€20.00 · in Visa card · expense");
    expect(describeConditions({ ...blank, amountMin: "5.00", amountMax: "5.00" }, () => "", money)).toBe("amount €5.00");
    expect(describeConditions({ ...blank, amountMax: "5.00" }, () => "", money)).toBe("amount ≤ €5.00");
  });

  it("names the actions", () => {
    expect(describeActions({ ...blank, categoryId: "c", categoryName: "Groceries", rename: "Tesco" })).toBe("→ Groceries · rename to “Tesco”");
  });
});

describe("moving a rule", () => {
  it("swaps it with its neighbour and refuses to move past either end", () => {
    expect(moved(["a", "b", "c"], "b", -1)).toEqual(["b", "a", "c"]);
    expect(moved(["a", "b", "c"], "b", 1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b", "c"], "a", -1)).toBeNull();
    expect(moved(["a", "b", "c"], "c", 1)).toBeNull();
    expect(moved(["a"], "x", 1)).toBeNull();
  });
});

describe("the rule form", () => {
  it("sends blanks as null and a match only with a text", () => {
    const values = { name: " ", enabled: false, descriptionMatch: "equals", descriptionText: "  ", amountMin: "", amountMax: " 3 ", accountId: "", type: "x", categoryId: "c1", rename: "", note: "" };
    expect(ruleInputFrom(values)).toEqual({ ...blank, enabled: false, amountMax: "3", categoryId: "c1" });
    expect(ruleInputFrom({ ...values, descriptionText: "Shell", type: "income" })).toMatchObject({ descriptionMatch: "equals", descriptionText: "Shell", type: "income" });
  });

  it("labels where an imported row's category came from", () => {
    expect(categorySource({ ruleName: "Fuel", learned: false })).toBe("rule: Fuel");
    expect(categorySource({ ruleName: null, learned: true })).toBe("learned");
    expect(categorySource({ ruleName: null, learned: false })).toBeNull();
  });
});
