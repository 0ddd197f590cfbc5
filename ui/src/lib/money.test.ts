import { afterEach, describe, expect, it } from "vitest";
import {
  absDecimal,
  compareDecimal,
  formatAmount,
  formatDecimalByParts,
  intlFormatsStringsExactly,
  isNegative,
  negateDecimal,
  parseDecimal,
  setIntlStringSupportForTests,
} from "./money";

// Intl output uses no-break spaces in some locales; compare on normal spaces.
const norm = (s: string): string => s.replace(/[\u00a0\u202f]/g, " ");

afterEach(() => setIntlStringSupportForTests(null));

describe("parseDecimal", () => {
  it("splits sign, whole and fraction digits and drops leading zeros", () => {
    expect(parseDecimal("0012.30")).toEqual({ negative: false, whole: "12", fraction: "30" });
    expect(parseDecimal("-5.00")).toEqual({ negative: true, whole: "5", fraction: "00" });
    expect(parseDecimal("1200")).toEqual({ negative: false, whole: "1200", fraction: "" });
  });
  it("treats negative zero as zero", () => {
    expect(parseDecimal("-0.00")?.negative).toBe(false);
  });
  it("rejects anything that is not a plain decimal", () => {
    for (const bad of ["", "1e3", "1,5", "12.", ".5", "+1", "NaN", "1 000"]) expect(parseDecimal(bad)).toBeNull();
  });
});

describe("sign helpers", () => {
  it("negates and takes absolute values as strings", () => {
    expect(negateDecimal("12.30")).toBe("-12.30");
    expect(negateDecimal("-5.00")).toBe("5.00");
    expect(negateDecimal("0.00")).toBe("0.00");
    expect(absDecimal("-5.00")).toBe("5.00");
    expect(isNegative("-0.01")).toBe(true);
    expect(isNegative("0.00")).toBe(false);
  });
  it("compares exactly beyond double precision", () => {
    expect(compareDecimal("9007199254740993", "9007199254740992")).toBe(1);
    expect(compareDecimal("0.10", "0.1")).toBe(0);
    expect(compareDecimal("-2", "1")).toBe(-1);
    expect(compareDecimal("-2", "-10")).toBe(1);
    expect(compareDecimal("x", "1")).toBeNull();
  });
});

describe("formatAmount", () => {
  it("formats EUR with two decimals in several locales", () => {
    expect(formatAmount("12.30", "EUR", { locale: "en-US", digits: 2 })).toBe("€12.30");
    expect(norm(formatAmount("1234.5", "EUR", { locale: "de-DE", digits: 2 }))).toBe("1.234,50 €");
    expect(norm(formatAmount("1234567.5", "EUR", { locale: "fr-FR", digits: 2 }))).toBe("1 234 567,50 €");
  });
  it("formats JPY without decimals and KWD with three", () => {
    expect(formatAmount("1200", "JPY", { locale: "en-US", digits: 0 })).toBe("¥1,200");
    expect(norm(formatAmount("1.234", "KWD", { locale: "en-US", digits: 3 }))).toBe("KWD 1.234");
    expect(norm(formatAmount("7", "KWD", { locale: "en-US", digits: 3 }))).toBe("KWD 7.000");
  });
  it("shows a negative net with a minus sign", () => {
    expect(formatAmount("-5.00", "EUR", { locale: "en-US", digits: 2 })).toBe("-€5.00");
    expect(norm(formatAmount("-1234.50", "EUR", { locale: "de-DE", digits: 2 }))).toBe("-1.234,50 €");
  });
  it("is exact for amounts a double cannot hold and never rounds extra digits away", () => {
    expect(formatAmount("90071992547409.93", "EUR", { locale: "en-US", digits: 2 })).toBe("€90,071,992,547,409.93");
    expect(formatAmount("0.105", "EUR", { locale: "en-US", digits: 2 })).toBe("€0.105");
  });
  it("uses the currency's default digits when none are given", () => {
    expect(formatAmount("3", "EUR", { locale: "en-US" })).toBe("€3.00");
    expect(formatAmount("3", "JPY", { locale: "en-US" })).toBe("¥3");
  });
  it("shows invalid input or an unknown currency without throwing", () => {
    expect(formatAmount("abc", "EUR", { locale: "en-US" })).toBe("abc EUR");
    expect(formatAmount("12.30", "NOT-A-CODE", { locale: "en-US", digits: 2 })).toBe("12.30 NOT-A-CODE");
  });
  it("takes the manual path when the engine cannot format strings, with the same result", () => {
    setIntlStringSupportForTests(false);
    expect(formatAmount("90071992547409.93", "EUR", { locale: "en-US", digits: 2 })).toBe("€90,071,992,547,409.93");
    expect(formatAmount("-5.00", "EUR", { locale: "en-US", digits: 2 })).toBe("-€5.00");
    expect(formatAmount("1200", "JPY", { locale: "en-US", digits: 0 })).toBe("¥1,200");
    expect(norm(formatAmount("1.234", "KWD", { locale: "en-US", digits: 3 }))).toBe("KWD 1.234");
  });
});

describe("formatDecimalByParts (fallback) agrees with native string formatting", () => {
  const cases: Array<[string, string, number, string]> = [
    ["en-US", "EUR", 2, "1234567.5"],
    ["de-DE", "EUR", 2, "-1234.56"],
    ["fr-FR", "EUR", 2, "987654321.09"],
    ["de-CH", "CHF", 2, "-1234.5"],
    ["ja-JP", "JPY", 0, "1200"],
    ["en-GB", "KWD", 3, "-0.125"],
    ["ar-EG", "EGP", 2, "1234.5"],
    ["nl-NL", "EUR", 2, "-42"],
    ["en-US", "USD", 2, "0.5"],
  ];
  it.each(cases)("%s %s %s", (locale, currency, digits, amount) => {
    expect(intlFormatsStringsExactly()).toBe(true); // Node 20 supports it; the reference below relies on it
    const parsed = parseDecimal(amount);
    if (!parsed) throw new Error("bad case");
    const max = Math.max(digits, parsed.fraction.length);
    const nf = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: max });
    expect(formatDecimalByParts(nf, parsed, digits)).toBe(nf.format(amount as Intl.StringNumericLiteral));
  });
});
