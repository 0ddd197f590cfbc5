// Exact formatting of decimal amount strings. Amounts are never turned into JS numbers:
// Intl.NumberFormat.format() accepts decimal strings exactly in modern engines
// (Intl.NumberFormat v3); elsewhere the string is laid into the locale's pattern by hand.

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface ParsedDecimal {
  negative: boolean;
  /** Integer digits without leading zeros ("0" for zero). */
  whole: string;
  /** Fraction digits exactly as given (may be ""). */
  fraction: string;
}

/** Parse "12.30", "-5.00", "1200" into sign and digit strings; null when not a plain decimal. */
export function parseDecimal(input: string): ParsedDecimal | null {
  const m = DECIMAL.exec(input.trim());
  if (!m) return null;
  const whole = (m[2] ?? "").replace(/^0+(?=\d)/, "");
  const fraction = m[3] ?? "";
  const isZero = /^0*$/.test(whole) && /^0*$/.test(fraction);
  return { negative: m[1] === "-" && !isZero, whole, fraction };
}

/** True when the decimal string is below zero (e.g. a negative net). */
export function isNegative(amount: string): boolean {
  return parseDecimal(amount)?.negative ?? false;
}

/** The absolute value of a decimal string, as a string. */
export function absDecimal(amount: string): string {
  const trimmed = amount.trim();
  return trimmed.startsWith("-") ? trimmed.slice(1) : trimmed;
}

/** Negate a decimal string ("12.30" → "-12.30", "-5" → "5"); zero stays unsigned. */
export function negateDecimal(amount: string): string {
  const p = parseDecimal(amount);
  if (!p) return amount;
  const body = p.fraction ? `${p.whole}.${p.fraction}` : p.whole;
  const isZero = /^0*$/.test(p.whole) && /^0*$/.test(p.fraction);
  if (isZero) return body;
  return p.negative ? body : `-${body}`;
}

/** Compare two non-negative-or-negative decimal strings exactly (-1, 0, 1); null if either is invalid. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 | null {
  const pa = parseDecimal(a);
  const pb = parseDecimal(b);
  if (!pa || !pb) return null;
  if (pa.negative !== pb.negative) return pa.negative ? -1 : 1;
  const mag = compareMagnitude(pa, pb);
  return (pa.negative ? -mag : mag) as -1 | 0 | 1;
}

function compareMagnitude(a: ParsedDecimal, b: ParsedDecimal): -1 | 0 | 1 {
  if (a.whole.length !== b.whole.length) return a.whole.length < b.whole.length ? -1 : 1;
  if (a.whole !== b.whole) return a.whole < b.whole ? -1 : 1;
  const len = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(len, "0");
  const fb = b.fraction.padEnd(len, "0");
  if (fa === fb) return 0;
  return fa < fb ? -1 : 1;
}

export interface FormatOptions {
  /** BCP 47 locale; defaults to the runtime's. */
  locale?: string | undefined;
  /** Minor digits of the currency as the server knows them (Profile.currencyDigits). */
  digits?: number | undefined;
}

let stringSupport: boolean | null = null;

/** Whether Intl.NumberFormat formats decimal strings exactly (NumberFormat v3). */
export function intlFormatsStringsExactly(): boolean {
  if (stringSupport === null) {
    try {
      const nf = new Intl.NumberFormat("en-US", { useGrouping: false, maximumFractionDigits: 20 });
      // 2^53 + 1 and a fraction beyond double precision only survive if strings are kept exact.
      stringSupport = nf.format("9007199254740993.000000000000000001") === "9007199254740993.000000000000000001";
    } catch {
      stringSupport = false;
    }
  }
  return stringSupport;
}

/** For tests: force the manual path (false), the native path (true) or re-detect (null). */
export function setIntlStringSupportForTests(value: boolean | null): void {
  stringSupport = value;
}

const formatterCache = new Map<string, Intl.NumberFormat | null>();

function currencyFormatter(locale: string | undefined, currency: string, minDigits: number, maxDigits: number): Intl.NumberFormat | null {
  const key = `${locale ?? ""}|${currency}|${minDigits}|${maxDigits}`;
  if (formatterCache.has(key)) return formatterCache.get(key) ?? null;
  let nf: Intl.NumberFormat | null;
  try {
    nf = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: minDigits,
      maximumFractionDigits: maxDigits,
    });
  } catch {
    nf = null;
  }
  formatterCache.set(key, nf);
  return nf;
}

function defaultDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Format an exact decimal amount string in `currency`, e.g. ("1234.5", "EUR", {locale:"de-DE"}) → "1.234,50 €".
 * Never rounds: extra fraction digits beyond the currency's are kept. Invalid input is shown as-is with the code.
 */
export function formatAmount(amount: string, currency: string, options: FormatOptions = {}): string {
  const parsed = parseDecimal(amount);
  if (!parsed) return `${amount} ${currency}`.trim();
  const minDigits = clampDigits(options.digits ?? defaultDigits(currency));
  const maxDigits = Math.max(minDigits, Math.min(parsed.fraction.length, 100));
  const nf = currencyFormatter(options.locale, currency, minDigits, maxDigits);
  const canonical = `${parsed.negative ? "-" : ""}${parsed.whole}${parsed.fraction ? `.${parsed.fraction}` : ""}`;
  if (!nf) return `${canonical} ${currency}`;
  if (intlFormatsStringsExactly()) {
    return nf.format(canonical as Intl.StringNumericLiteral);
  }
  return formatDecimalByParts(nf, parsed, minDigits);
}

function clampDigits(d: number): number {
  if (!Number.isInteger(d) || d < 0) return 0;
  return Math.min(d, 20);
}

/**
 * Lay an exact decimal into `nf`'s pattern without converting it to a number: the pattern's pieces
 * (currency sign, minus sign, literals) come from formatting ±1, the separators from known values.
 */
export function formatDecimalByParts(nf: Intl.NumberFormat, parsed: ParsedDecimal, minDigits: number): string {
  let fraction = parsed.fraction;
  while (fraction.length > minDigits && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  fraction = fraction.padEnd(minDigits, "0");

  const digitMap = localDigits(nf);
  const localise = (s: string): string => s.replace(/\d/g, (d) => digitMap[Number(d)] ?? d);
  const groupSep = nf.formatToParts(1234567).find((p) => p.type === "group")?.value ?? "";
  const decimalSep = nf.formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";

  const grouped = groupSep ? groupThousands(parsed.whole, groupSep) : parsed.whole;
  const template = nf.formatToParts(parsed.negative ? -1 : 1);
  let out = "";
  let sawDecimal = false;
  for (const part of template) {
    switch (part.type) {
      case "integer":
        out += localise(grouped);
        if (fraction && !template.some((p) => p.type === "decimal")) {
          out += decimalSep + localise(fraction);
          sawDecimal = true;
        }
        break;
      case "decimal":
        if (fraction && !sawDecimal) out += decimalSep;
        break;
      case "fraction":
        if (!sawDecimal) out += localise(fraction);
        break;
      case "group":
        break;
      default:
        out += part.value;
    }
  }
  return out;
}

function groupThousands(whole: string, sep: string): string {
  let out = "";
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) out += sep;
    out += whole[i];
  }
  return out;
}

function localDigits(nf: Intl.NumberFormat): string[] {
  const digits: string[] = [];
  for (let i = 0; i < 10; i++) {
    digits.push(nf.formatToParts(i).find((p) => p.type === "integer")?.value ?? String(i));
  }
  return digits;
}

/** A formatter bound to the signed-in user's currency. */
export type MoneyFormatter = (amount: string) => string;

export function moneyFormatter(currency: string, digits: number, locale?: string): MoneyFormatter {
  return (amount) => formatAmount(amount, currency, { digits, locale });
}
