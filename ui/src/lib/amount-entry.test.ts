import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { canonicalToTyped, parseTypedAmount, typedToCanonical, type DecimalSeparator } from "./amount-entry";

interface Case {
  input: string;
  decimal: DecimalSeparator;
  currency: string;
  expect: string | null;
}

// The table the core's money::typed tests run too: the two readers must agree on every row.
const table = JSON.parse(readFileSync(fileURLToPath(new URL("../../../tests/fixtures/amount-entry-cases.json", import.meta.url)), "utf8")) as Case[];
const DIGITS: Record<string, number> = { EUR: 2, JPY: 0, KWD: 3 };

describe("parseTypedAmount: the table shared with the core", () => {
  it("is not empty", () => expect(table.length).toBeGreaterThanOrEqual(40));
  for (const c of table) {
    it(`${JSON.stringify(c.input)} with a ${c.decimal} decimal in ${c.currency} → ${c.expect ?? "refused"}`, () => {
      const digits = DIGITS[c.currency];
      expect(digits, `a currency the test knows: ${c.currency}`).toBeDefined();
      const r = parseTypedAmount(c.input, c.decimal, digits ?? 2, { currency: c.currency });
      const got = r.ok ? `${r.value.negative ? "-" : ""}${r.value.magnitude}` : null;
      expect(got, r.ok ? "read" : `refused: ${r.reason}`).toBe(c.expect);
    });
  }
});

/** A small seeded generator (mulberry32): the property below is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function group(whole: string, sep: string): string {
  let out = "";
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) out += sep;
    out += whole[i];
  }
  return out;
}

describe("parseTypedAmount: properties", () => {
  it("reads back any amount written the way either locale writes it, grouped or not", () => {
    const next = rng(20261130);
    for (let i = 0; i < 5000; i++) {
      // 1 to 12 digits of minor units: up to the largest single amount.
      const len = 1 + Math.floor(next() * 12);
      let minor = String(1 + Math.floor(next() * 9));
      while (minor.length < len) minor += String(Math.floor(next() * 10));
      const whole = minor.length > 2 ? minor.slice(0, -2) : "0";
      const frac = minor.padStart(3, "0").slice(-2);
      const comma = next() < 0.5;
      const grouped = next() < 0.5;
      const negative = next() < 0.3;
      const sep = comma ? "." : ",";
      const text = `${negative ? "-" : ""}${grouped ? group(whole, sep) : whole}${comma ? "," : "."}${frac}`;
      const r = parseTypedAmount(text, comma ? "comma" : "dot", 2);
      expect(r.ok, text).toBe(true);
      if (r.ok) {
        expect(r.value.magnitude, text).toBe(`${whole}.${frac}`);
        expect(r.value.negative, text).toBe(negative);
      }
    }
  });

  it("round-trips a canonical amount through the form's text in both locales", () => {
    for (const canonical of ["1234.50", "0.01", "999999999.99"]) {
      for (const d of ["dot", "comma"] as const) {
        expect(typedToCanonical(canonicalToTyped(canonical, d), d, 2)).toBe(canonical);
      }
    }
  });

  it("keeps balances' rules: zero and no maximum when asked", () => {
    expect(parseTypedAmount("0", "dot", 2, { allowZero: true })).toEqual({ ok: true, value: { negative: false, magnitude: "0.00" } });
    expect(parseTypedAmount("-0,00", "comma", 2, { allowZero: true })).toEqual({ ok: true, value: { negative: false, magnitude: "0.00" } });
    expect(parseTypedAmount("12.345.678.901.234,5", "comma", 2, { noMaximum: true }).ok).toBe(true);
    expect(parseTypedAmount("12.345.678.901.234,5", "comma", 2).ok).toBe(false);
  });
});
