import { describe, expect, it } from "vitest";
import { amountPattern, blankToNull, validateAmount, validateDescription, validateEmail, validateNote, validateUsername } from "./validation";

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
  it("rejects signs, separators, exponents and other junk", () => {
    expect(validateAmount("-1", 2)).toBe("must be greater than zero");
    for (const bad of ["1,50", "1e3", "abc", "12.", ".5", "+3", "1 000"]) {
      expect(validateAmount(bad, 2)).toBe("must be a number like 12.30");
    }
    expect(validateAmount("x", 0)).toBe("must be a number like 1200");
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
