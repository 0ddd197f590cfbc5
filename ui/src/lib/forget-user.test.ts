import { describe, expect, it } from "vitest";
import { forgetUserOnThisComputer, type ForgettableStore } from "./forget-user";

function memory(entries: Record<string, string>): ForgettableStore & { keys: () => string[] } {
  const m = new Map(Object.entries(entries));
  return {
    get length() {
      return m.size;
    },
    key: (i: number) => [...m.keys()][i] ?? null,
    removeItem: (k: string) => void m.delete(k),
    keys: () => [...m.keys()].sort(),
  };
}

describe("forgetUserOnThisComputer", () => {
  it("removes the deleted user's entries and nobody else's", () => {
    const store = memory({
      "finance.lastAccount.u1": "a1",
      "finance.formats.u1": "{}",
      "finance.lastAccount.u2": "a2",
      "finance.transactions.filtersCollapsed": "1",
      "other.app.u1": "x",
    });
    expect(forgetUserOnThisComputer(store, "u1")).toBe(2);
    expect(store.keys()).toEqual(["finance.lastAccount.u2", "finance.transactions.filtersCollapsed", "other.app.u1"]);
  });

  it("does not take an id that only ends like the user's", () => {
    const store = memory({ "finance.formats.xu1": "{}" });
    expect(forgetUserOnThisComputer(store, "u1")).toBe(0);
    expect(store.keys()).toEqual(["finance.formats.xu1"]);
  });

  it("never throws when storage refuses", () => {
    const broken: ForgettableStore = {
      get length(): number {
        throw new Error("SecurityError");
      },
      key: () => null,
      removeItem: () => undefined,
    };
    expect(forgetUserOnThisComputer(broken, "u1")).toBe(0);
    expect(forgetUserOnThisComputer(null, "u1")).toBe(0);
  });
});
