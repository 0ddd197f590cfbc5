import { describe, expect, it } from "vitest";
import type { AccountType, AccountView } from "../ipc-types";
import {
  accountName, ACCOUNT_TYPES, groupAccounts, initialAccountId, pickerAccounts, rememberAccount, rememberedAccount, showsAccountColumn, type KeyValueStore,
} from "./accounts";

let n = 0;
function account(name: string, type: AccountType, liability: boolean, archived = false, balance = "0.00"): AccountView {
  n += 1;
  return { id: `a${n}`, name, type, liability, openingBalance: "0.00", openingDate: "2025-01-01", note: null, archived, balance, clearedBalance: "0.00", transactions: 0, lastReconciled: null };
}

describe("groupAccounts", () => {
  const main = account("Main", "checking", false);
  const visa = account("Visa", "credit_card", true, false, "-250.00");
  const cash = account("Wallet", "cash", false);
  const joint = account("Joint", "checking", false);
  const car = account("Car loan", "loan", true, true, "-9000.00");
  const old = account("Old savings", "savings", false, true);

  it("puts open accounts under assets or liabilities by the server's flag, by type in display order, keeping the server's order within a type", () => {
    const g = groupAccounts([visa, cash, main, car, joint, old]);
    expect(g.assets.map((x) => [x.type, x.accounts.map((a) => a.name)]), "types in ACCOUNT_TYPES order; Wallet after checking; Main before Joint as listed").toEqual([
      ["checking", ["Main", "Joint"]],
      ["cash", ["Wallet"]],
    ]);
    expect(g.liabilities.map((x) => [x.label, x.accounts.map((a) => a.name)])).toEqual([["Credit card", ["Visa"]]]);
    expect(g.archived.map((a) => a.name), "archived accounts of either side are kept apart, in order").toEqual(["Car loan", "Old savings"]);
  });

  it("follows the server's liability flag, not a list of its own", () => {
    const odd = { ...account("Odd", "asset", true) };
    expect(groupAccounts([odd]).liabilities.map((x) => x.type), "whatever the server says is a liability is shown as one").toEqual(["asset"]);
  });

  it("leaves empty sides empty", () => {
    expect(groupAccounts([])).toEqual({ assets: [], liabilities: [], archived: [] });
  });

  it("labels every type once", () => {
    expect(new Set(ACCOUNT_TYPES.map((t) => t.type)).size, "seven types, none twice").toBe(7);
  });
});

describe("the transaction form's account", () => {
  const main = account("Main", "checking", false);
  const visa = account("Visa", "credit_card", true);
  const old = account("Old", "cash", false, true);
  const all = [old, main, visa];

  it("offers open accounts, and an edited transaction's own even when archived", () => {
    expect(pickerAccounts(all).map((a) => a.name)).toEqual(["Main", "Visa"]);
    expect(pickerAccounts(all, old.id).map((a) => a.name), "the form must show where the transaction is").toEqual(["Old", "Main", "Visa"]);
  });

  it("starts on the edited transaction's account, else the last one used if still open, else the first open one", () => {
    expect(initialAccountId(all, old.id, visa.id)).toBe(old.id);
    expect(initialAccountId(all, null, visa.id)).toBe(visa.id);
    expect(initialAccountId(all, undefined, old.id), "a remembered account archived since is not offered").toBe(main.id);
    expect(initialAccountId(all, null, "deleted-since")).toBe(main.id);
    expect(initialAccountId(all, null, null)).toBe(main.id);
    expect(initialAccountId([old], null, null), "no open account: none chosen").toBeNull();
  });

  it("remembers the last account per user, and survives storage that refuses", () => {
    const kept = new Map<string, string>();
    const store: KeyValueStore = { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => void kept.set(k, v) };
    expect(rememberedAccount(store, "u1")).toBeNull();
    rememberAccount(store, "u1", visa.id);
    rememberAccount(store, "u2", main.id);
    expect([rememberedAccount(store, "u1"), rememberedAccount(store, "u2")], "each user has their own").toEqual([visa.id, main.id]);
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => rememberAccount(broken, "u1", main.id), "a refused write is not an error").not.toThrow();
    expect(rememberedAccount(broken, "u1")).toBeNull();
    expect(rememberedAccount(null, "u1")).toBeNull();
  });
});

describe("transaction lists", () => {
  it("show the account column only when there are accounts to tell apart (archived ones count)", () => {
    const main = account("Main", "checking", false);
    expect(showsAccountColumn([main])).toBe(false);
    expect(showsAccountColumn([main, account("Old", "cash", false, true)])).toBe(true);
  });

  it("name an account by id, blank when unknown", () => {
    const main = account("Main", "checking", false);
    expect(accountName([main], main.id)).toBe("Main");
    expect(accountName([main], "gone")).toBe("");
  });
});
