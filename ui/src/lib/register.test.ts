import { describe, expect, it } from "vitest";
import {
  accountEffect, amountClass, amountToSend, categoryLabel, formAmount, isReconciledConflict, isRefund, modeOf, otherAccount, registerInput, statusMarker, transferAccountProblem,
  type ListFilters,
} from "./register";

const filters = (f: Partial<ListFilters> = {}): ListFilters => ({ accountId: "a1", from: "", to: "", categoryIds: [], type: "", text: "", minAmount: "", maxAmount: "", sort: "date_desc", ...f });

describe("a row's amount", () => {
  it("is its effect on the account, a refund reading positive rather than as minus a minus", () => {
    expect(accountEffect({ type: "expense", amount: "40.00" })).toBe("-40.00");
    expect(accountEffect({ type: "expense", amount: "-15.50" })).toBe("15.50");
    expect(accountEffect({ type: "income", amount: "3200.00" })).toBe("3200.00");
    expect(accountEffect({ type: "transfer_out", amount: "100.00" })).toBe("-100.00");
    expect(accountEffect({ type: "transfer_in", amount: "100.00" })).toBe("100.00");
  });

  it("keeps every digit of amounts beyond a double's precision", () => {
    expect(accountEffect({ type: "expense", amount: "90071992547409.93" })).toBe("-90071992547409.93");
  });

  it("is classed so a refund is not coloured as spending", () => {
    expect(isRefund({ type: "expense", amount: "-1.00" })).toBe(true);
    expect(isRefund({ type: "income", amount: "1.00" })).toBe(false);
    expect([amountClass({ type: "expense", amount: "-1.00" }), amountClass({ type: "expense", amount: "1.00" }), amountClass({ type: "transfer_in", amount: "1.00" })]).toEqual(["refund", "expense", "transfer"]);
  });
});

describe("categoryLabel", () => {
  const name = (id: string): string => ({ a1: "Main account", a2: "Savings" })[id] ?? "?";
  it("names the other account of a transfer's leg, in its direction", () => {
    expect(categoryLabel({ type: "transfer_out", categoryName: "", transferAccountId: "a2" }, name)).toBe("Transfer to Savings");
    expect(categoryLabel({ type: "transfer_in", categoryName: "", transferAccountId: "a1" }, name)).toBe("Transfer from Main account");
    expect(categoryLabel({ type: "transfer_in", categoryName: "", transferAccountId: null }, name)).toBe("Transfer from another account");
    expect(categoryLabel({ type: "expense", categoryName: "Groceries", transferAccountId: null }, name)).toBe("Groceries");
  });
});

describe("isReconciledConflict", () => {
  it("is the conflict on status only", () => {
    expect(isReconciledConflict({ code: "conflict", field: "status" })).toBe(true);
    expect(isReconciledConflict({ code: "conflict", field: "name" })).toBe(false);
    expect(isReconciledConflict({ code: "validation", field: "status" })).toBe(false);
  });
});

describe("statusMarker", () => {
  it("has a symbol and an accessible name per status", () => {
    expect(["uncleared", "cleared", "reconciled"].map((s) => statusMarker(s as "cleared").label)).toEqual(["Not cleared", "Cleared", "Reconciled"]);
  });
});

describe("registerInput", () => {
  it("applies to one account sorted by date, with dates kept", () => {
    expect(registerInput(filters({ from: "2024-01-01", sort: "date_asc" }), "c1", 50)).toEqual({ accountId: "a1", from: "2024-01-01", sort: "date_asc", limit: 50, cursor: "c1" });
    expect(registerInput(filters(), null, 50)).toEqual({ accountId: "a1", sort: "date_desc", limit: 50 });
  });

  it("does not apply when rows would have gaps or the order is by amount (no running balance then)", () => {
    expect(registerInput(filters({ accountId: "" }), null, 50)).toBeNull();
    expect(registerInput(filters({ sort: "amount_desc" }), null, 50)).toBeNull();
    for (const f of [{ categoryIds: ["c"] }, { type: "expense" }, { text: "rent" }, { minAmount: "1" }, { maxAmount: "2" }]) {
      expect(registerInput(filters(f), null, 50)).toBeNull();
    }
  });
});

describe("the form's modes and amounts", () => {
  it("opens a leg in transfer mode and other rows in their kind", () => {
    expect([modeOf("transfer_out"), modeOf("transfer_in"), modeOf("expense"), modeOf("income")]).toEqual(["transfer", "transfer", "expense", "income"]);
  });

  it("shows a refund as its positive amount with the Refund switch on, and sends it negated exactly", () => {
    expect(formAmount({ type: "expense", amount: "-15.50" })).toEqual({ amount: "15.50", refund: true });
    expect(formAmount({ type: "expense", amount: "15.50" })).toEqual({ amount: "15.50", refund: false });
    expect(amountToSend(" 15.50 ", true)).toBe("-15.50");
    expect(amountToSend("15.50", false)).toBe("15.50");
    expect(amountToSend("90071992547409.93", true)).toBe("-90071992547409.93");
  });
});

describe("transfer accounts", () => {
  it("start with a different account on the other side", () => {
    expect(otherAccount([{ id: "a1" }, { id: "a2" }], "a1")).toBe("a2");
    expect(otherAccount([{ id: "a1" }], "a1")).toBe("");
  });

  it("needs two different accounts", () => {
    expect(transferAccountProblem("", "a2")?.field).toBe("fromAccountId");
    expect(transferAccountProblem("a1", "a1")).toEqual({ field: "toAccountId", message: "must be a different account" });
    expect(transferAccountProblem("a1", "a2")).toBeNull();
  });
});
