// Amounts as people type them, read exactly (no JS numbers): the twin of the core's
// `money::typed` (crates/finance-core/src/money/typed.rs). Both run the same table,
// tests/fixtures/amount-entry-cases.json, so the form accepts what the core would and sends the
// same minor units.
//
// The grammar: blanks around; a leading "-", "−" or "+" or parentheses; whole digits, optionally
// grouped by threes with the non-decimal separator, a space, a no-break or thin space, or an
// apostrophe; a decimal separator and at most the currency's minor digits. The user's decimal
// separator is read first; when that reading fails only because of where the *other* separator
// stands ("12,30" typed with a dot locale, "1.234,56" likewise), the other one is the decimal
// separator. A reading that fails for another reason is not retried: "1,234" in a comma locale
// has three decimals and is refused, never read as 1234.

export type DecimalSeparator = "dot" | "comma";

const GROUPING = [" ", "\u00a0", "\u202f", "'"];
const MAX_AMOUNT_MINOR = "999999999999";
const MAX_WHOLE_DIGITS = 15;

export interface TypedAmountRules {
  /** ISO code, for messages such as "EUR allows at most 2 decimal places". */
  currency?: string | undefined;
  /** Balances: zero allowed. */
  allowZero?: boolean | undefined;
  /** Balances: bounded by 15 whole digits only, not by the largest single amount. */
  noMaximum?: boolean | undefined;
}

/** A typed amount, read: its sign and its exact canonical magnitude ("1234.50"; "1234" for JPY). */
export interface TypedAmount {
  negative: boolean;
  magnitude: string;
}

export type TypedAmountResult = { ok: true; value: TypedAmount } | { ok: false; reason: string };

interface Refusal {
  reason: string;
  separatorOnly: boolean;
}

const charOf = (d: DecimalSeparator): string => (d === "dot" ? "." : ",");
const otherOf = (d: DecimalSeparator): DecimalSeparator => (d === "dot" ? "comma" : "dot");
const allDigits = (s: string): boolean => /^[0-9]+$/.test(s);

/** An amount like the ones the user types: "12.30", "12,30", "1200" (no minor digits). */
export function amountExample(decimal: DecimalSeparator, digits: number): string {
  return digits <= 0 ? "1200" : `12${charOf(decimal)}${"3".padEnd(digits, "0")}`;
}

function readWritten(raw: string, decimal: DecimalSeparator, digits: number, rules: TypedAmountRules): TypedAmount | Refusal {
  const s = raw.trim();
  const like = `must be a number like ${amountExample(decimal, digits)}`;
  if (s === "") return { reason: "is required", separatorOnly: false };
  let negative = false;
  let body = s;
  if (body.startsWith("(") && body.endsWith(")")) {
    negative = true;
    body = body.slice(1, -1).trim();
  }
  if (body.startsWith("-") || body.startsWith("\u2212")) {
    if (negative) return { reason: like, separatorOnly: false };
    negative = true;
    body = body.slice(1);
  } else if (body.startsWith("+")) {
    if (negative) return { reason: like, separatorOnly: false };
    body = body.slice(1);
  }
  const dec = charOf(decimal);
  const other = charOf(otherOf(decimal));
  const wrongSeparator: Refusal = { reason: like, separatorOnly: true };
  const at = body.indexOf(dec);
  const whole = at === -1 ? body : body.slice(0, at);
  const frac = at === -1 ? null : body.slice(at + 1);
  if (frac !== null) {
    if (frac.includes(dec)) {
      return whole.includes(other) || frac.includes(other) ? wrongSeparator : { reason: like, separatorOnly: false };
    }
    if (frac.includes(other)) return wrongSeparator;
    if (frac === "" || !allDigits(frac)) return { reason: like, separatorOnly: false };
  }
  let wholeDigits = whole;
  const sep = [...whole].find((c) => c === other || GROUPING.includes(c));
  if (sep !== undefined) {
    const groups = whole.split(sep);
    const first = groups[0] ?? "";
    const ok = groups.every((g) => /^[0-9]*$/.test(g)) && first.length >= 1 && first.length <= 3 && groups.slice(1).every((g) => g.length === 3);
    if (!ok) {
      return whole.includes(other) && frac === null
        ? { reason: like, separatorOnly: true }
        : { reason: like, separatorOnly: false };
    }
    wholeDigits = groups.join("");
  }
  if (wholeDigits === "" || !allDigits(wholeDigits)) return { reason: like, separatorOnly: false };
  const fraction = frac ?? "";
  const isZero = /^0*$/.test(wholeDigits) && /^0*$/.test(fraction);
  if (isZero && !rules.allowZero) return { reason: "must be greater than zero", separatorOnly: false };
  if (fraction !== "") {
    if (digits <= 0) return { reason: rules.currency ? `${rules.currency} has no decimal places` : "must be a whole number", separatorOnly: false };
    if (fraction.length > digits) {
      const unit = `decimal place${digits === 1 ? "" : "s"}`;
      return { reason: rules.currency ? `${rules.currency} allows at most ${digits} ${unit}` : `allows at most ${digits} ${unit}`, separatorOnly: false };
    }
  }
  const significant = wholeDigits.replace(/^0+/, "");
  if (significant.length > MAX_WHOLE_DIGITS) return { reason: "is too large", separatorOnly: false };
  const minor = (significant + fraction.padEnd(Math.max(digits, 0), "0")).replace(/^0+/, "");
  if (!rules.noMaximum && (minor.length > MAX_AMOUNT_MINOR.length || (minor.length === MAX_AMOUNT_MINOR.length && minor > MAX_AMOUNT_MINOR))) {
    return { reason: "is too large", separatorOnly: false };
  }
  const wholeOut = significant === "" ? "0" : significant;
  const magnitude = digits > 0 ? `${wholeOut}.${fraction.padEnd(digits, "0")}` : wholeOut;
  return { negative: negative && !isZero, magnitude };
}

const isRefusal = (r: TypedAmount | Refusal): r is Refusal => "reason" in r;

/** Read an amount as typed, the user's decimal separator `preferred` first (see the module docs). */
export function parseTypedAmount(raw: string, preferred: DecimalSeparator, digits: number, rules: TypedAmountRules = {}): TypedAmountResult {
  const first = readWritten(raw, preferred, digits, rules);
  if (!isRefusal(first)) return { ok: true, value: first };
  if (!first.separatorOnly) return { ok: false, reason: first.reason };
  const second = readWritten(raw, otherOf(preferred), digits, rules);
  if (!isRefusal(second)) return { ok: true, value: second };
  // The second reading's own rule (decimal places, size) says more; its "not a number" does not.
  const shapeOnly = second.reason === `must be a number like ${amountExample(otherOf(preferred), digits)}`;
  return { ok: false, reason: second.separatorOnly || shapeOnly ? first.reason : second.reason };
}

/** The signed canonical decimal of a read amount ("-12.30"), as the IPC carries amounts. */
export function canonicalOf(a: TypedAmount): string {
  return a.negative ? `-${a.magnitude}` : a.magnitude;
}

/**
 * The exact decimal to send for what was typed: canonical when it reads, else the text unchanged
 * (the form's checks refuse it first; the server would refuse it too, naming the field).
 */
export function typedToCanonical(raw: string, preferred: DecimalSeparator, digits: number, rules: TypedAmountRules = {}): string {
  const r = parseTypedAmount(raw, preferred, digits, rules);
  return r.ok ? canonicalOf(r.value) : raw.trim();
}

/** A canonical decimal ("1234.50", "-3") as the user types it: their decimal separator, no grouping. */
export function canonicalToTyped(canonical: string, decimal: DecimalSeparator): string {
  return decimal === "comma" ? canonical.replace(".", ",") : canonical;
}
