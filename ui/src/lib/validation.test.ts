import { describe, expect, it } from "vitest";
import { amountPattern, blankToNull, validateAccountName, validateAmount, validateBalance, validateDescription, validateEmail, validateNote, validateUsername } from "./validation";

describe("amountPattern", () => {
  it("allows up to N decimals, and no dot at all for zero-digit currencies", () => {
    expect(amountPattern(2).test("12.30")).toBe(true);
    expect(amountPattern(2).test("12.305")).toBe(false);
    expect(amountPattern(2).test("12.")).toBe(false);
    expect(amountPattern(0).test("1200")).toBe(true);
    expect(amountPattern(0).test("1200.0")).toBe(false);
    expect(amountPattern(3).test("1.234")).toBe(true);
  });
});

describe("validateAmount", () => {
  it("requires a value", () => {
    expect(validateAmount("", 2)).toBe("is required");
    expect(validateAmount("   ", 2)).toBe("is required");
  });
  it("accepts valid amounts per currency digits, trimming spaces like the server", () => {
    expect(validateAmount("12.30", 2)).toBeNull();
    expect(validateAmount(" 12.3 ", 2)).toBeNull();
    expect(validateAmount("1200", 0)).toBeNull();
    expect(validateAmount("1.234", 3)).toBeNull();
  });
  it("rejects too many decimals with the currency's rule", () => {
    expect(validateAmount("12.345", 2, { currency: "EUR" })).toBe("EUR allows at most 2 decimal places");
    expect(validateAmount("1.5", 0, { currency: "JPY" })).toBe("JPY has no decimal places");
    expect(validateAmount("1.5", 0)).toBe("must be a whole number");
  });
  it("rejects a minus unless allowed, exponents and other junk", () => {
    expect(validateAmount("-1", 2)).toBe("must be greater than zero");
    expect(validateAmount("-1", 2, { allowNegative: true })).toBeNull();
    for (const bad of ["1e3", "abc", "12.", ".5", "1,2,3", "1 00"]) {
      expect(validateAmount(bad, 2), bad).toBe("must be a number like 12.30");
    }
    expect(validateAmount("abc", 2, { decimal: "comma" })).toBe("must be a number like 12,30");
    expect(validateAmount("x", 0)).toBe("must be a number like 1200");
  });
  it("accepts amounts as people type them: a decimal comma, grouping, a plus", () => {
    for (const ok of ["1,50", "+3", "1 000", "1,234.56", "1.234,56"]) expect(validateAmount(ok, 2), ok).toBeNull();
    expect(validateAmount("1,234", 2, { decimal: "comma", currency: "EUR" }), "a German 1,234 has three decimals").toBe("EUR allows at most 2 decimal places");
  });
  it("requires more than zero unless zero is allowed (filters)", () => {
    expect(validateAmount("0", 2)).toBe("must be greater than zero");
    expect(validateAmount("0.00", 2)).toBe("must be greater than zero");
    expect(validateAmount("0.00", 2, { allowZero: true })).toBeNull();
  });
  it("enforces the server's maximum of 999 999 999 999 minor units exactly", () => {
    expect(validateAmount("9999999999.99", 2)).toBeNull();
    expect(validateAmount("10000000000.00", 2)).toBe("is too large");
    expect(validateAmount("999999999999", 0)).toBeNull();
    expect(validateAmount("1000000000000", 0)).toBe("is too large");
    expect(validateAmount("0000000000000000001.00", 2)).toBeNull();
    expect(validateAmount("1234567890123456", 2)).toBe("is too large");
  });
});

describe("text fields", () => {
  it("description: 1–200 characters after trimming", () => {
    expect(validateDescription("  ")).toBe("is required");
    expect(validateDescription("a".repeat(200))).toBeNull();
    expect(validateDescription("a".repeat(201))).toBe("must be at most 200 characters");
    expect(validateDescription("é".repeat(200))).toBeNull();
    expect(validateDescription("line\nbreak")).toBe("must not contain control characters");
  });
  it("note: optional, at most 1000 characters, newlines allowed", () => {
    expect(validateNote("")).toBeNull();
    expect(validateNote("first\nsecond")).toBeNull();
    expect(validateNote("n".repeat(1001))).toBe("must be at most 1000 characters");
    expect(blankToNull("   ")).toBeNull();
    expect(blankToNull(" x ")).toBe("x");
  });
  it("username and email follow the server's shape", () => {
    expect(validateUsername("Al")).toBe("must be 3 to 32 characters long");
    expect(validateUsername("Alice.Smith")).toBeNull();
    expect(validateUsername("alice smith")).toMatch(/may contain only/);
    expect(validateEmail("name@example.com")).toBeNull();
    expect(validateEmail("name@example")).toMatch(/email address/);
    expect(validateEmail("")).toBe("is required");
  });
});

describe("validateBalance (an account's opening balance)", () => {
  it("accepts blank (zero), zero, and signed decimals exactly as the server parses them", () => {
    for (const ok of ["", "  ", "0", "0.00", "-250.00", " -250.5 ", "1234.56", "-999999999999999.99"]) {
      expect(validateBalance(ok, 2, { currency: "EUR" }), ok).toBeNull();
    }
    expect(validateBalance("-1200", 0, { currency: "JPY" })).toBeNull();
  });
  it("names the problem as the server would", () => {
    expect(validateBalance("-12.345", 2, { currency: "EUR" })).toBe("EUR allows at most 2 decimal places");
    expect(validateBalance("-1.5", 0, { currency: "JPY" })).toBe("JPY has no decimal places");
    for (const bad of ["--5", "-", "+-5", "5-", "1,5,0", "abc"]) {
      expect(validateBalance(bad, 2), bad).toMatch(/^must be a number like/);
    }
    expect(validateBalance("-1000000000000000", 2), "16 whole digits: beyond what the server accepts").toBe("is too large");
  });
  it("is not bounded by the largest single amount (balances add up)", () => {
    expect(validateAmount("10000000000.00", 2), "a single amount above 999,999,999,999 minor units is refused").toBe("is too large");
    expect(validateBalance("-10000000000.00", 2), "an opening balance may be larger").toBeNull();
  });
});

describe("validateAccountName", () => {
  it("is 1 to 60 characters after trimming", () => {
    expect(validateAccountName("  ")).toBe("is required");
    expect(validateAccountName("Visa")).toBeNull();
    expect(validateAccountName("n".repeat(60))).toBeNull();
    expect(validateAccountName("n".repeat(61))).toBe("must be at most 60 characters");
  });
});
