// Client-side checks that mirror the server's rules (finance-core). They return the same kind of
// message fragment the server sends ("is required", "must be greater than zero"), to be shown after
// the field's label; the server stays authoritative and its field errors are always shown too.

export const MAX_AMOUNT_MINOR = "999999999999";
const MAX_WHOLE_DIGITS = 15;

function exampleAmount(digits: number): string {
  return digits === 0 ? "1200" : `12.${"3".padEnd(digits, "0")}`;
}

/** The pattern an amount must match for a currency with `digits` minor digits. */
export function amountPattern(digits: number): RegExp {
  return digits <= 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`);
}

export interface AmountRules {
  /** ISO code, used in messages such as "JPY has no decimal places". */
  currency?: string | undefined;
  /** Filters accept 0; amounts and limits must be > 0. */
  allowZero?: boolean | undefined;
  /** Balances are bounded by their 15 whole digits only, not by the largest single amount. */
  noMaximum?: boolean | undefined;
}

/** Validate a decimal amount string for a currency with `digits` minor digits. Null when valid. */
export function validateAmount(raw: string, digits: number, rules: AmountRules = {}): string | null {
  const s = raw.trim();
  if (s === "") return "is required";
  if (s.startsWith("-")) return "must be greater than zero";
  const dot = s.indexOf(".");
  const whole = dot === -1 ? s : s.slice(0, dot);
  const frac = dot === -1 ? null : s.slice(dot + 1);
  const allDigits = (p: string): boolean => /^\d+$/.test(p);
  const like = `must be a number like ${exampleAmount(digits)}`;
  if (!allDigits(whole)) return like;
  if (frac !== null) {
    if (digits <= 0) return rules.currency ? `${rules.currency} has no decimal places` : "must be a whole number";
    if (!allDigits(frac)) return like;
    if (frac.length > digits) {
      const unit = `decimal place${digits === 1 ? "" : "s"}`;
      return rules.currency ? `${rules.currency} allows at most ${digits} ${unit}` : `allows at most ${digits} ${unit}`;
    }
  }
  const significant = whole.replace(/^0+/, "");
  if (significant.length > MAX_WHOLE_DIGITS) return "is too large";
  // Minor units as a digit string, compared by length then lexically: no floating point involved.
  const minor = (significant + (frac ?? "").padEnd(Math.max(digits, 0), "0")).replace(/^0+/, "");
  if (minor === "") return rules.allowZero ? null : "must be greater than zero";
  if (rules.noMaximum) return null;
  if (minor.length > MAX_AMOUNT_MINOR.length || (minor.length === MAX_AMOUNT_MINOR.length && minor > MAX_AMOUNT_MINOR)) {
    return "is too large";
  }
  return null;
}

/**
 * Validate a signed balance (an account's opening balance) as the server parses it: blank is
 * zero; an optional leading "-", then a decimal as for amounts, zero included, of at most 15 whole
 * digits. Null when valid.
 */
export function validateBalance(raw: string, digits: number, rules: Pick<AmountRules, "currency"> = {}): string | null {
  const s = raw.trim();
  if (s === "") return null;
  const magnitude = s.startsWith("-") ? s.slice(1) : s;
  if (magnitude === "" || magnitude.startsWith("-")) return `must be a number like -${exampleAmount(digits)}`;
  return validateAmount(magnitude, digits, { currency: rules.currency, allowZero: true, noMaximum: true });
}

/** Characters as the server counts them (Unicode scalar values), after trimming. */
export function textLength(s: string): number {
  return [...s.trim()].length;
}

export interface TextRules {
  min: number;
  max: number;
  multiline?: boolean;
}

// Control characters (C0, DEL, C1) as Rust's char::is_control sees them.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/** Trimmed length between min and max, no control characters (newlines/tabs allowed when multiline). */
export function validateText(raw: string, rules: TextRules): string | null {
  const s = raw.trim();
  const len = textLength(s);
  if (len < rules.min) return rules.min <= 1 ? "is required" : `must be at least ${rules.min} characters`;
  if (len > rules.max) return `must be at most ${rules.max} characters`;
  if ((rules.multiline ? CONTROL_EXCEPT_NEWLINES : CONTROL).test(s)) return "must not contain control characters";
  return null;
}

export const validateDescription = (raw: string): string | null => validateText(raw, { min: 1, max: 200 });

/** Optional: blank means no note. */
export function validateNote(raw: string): string | null {
  if (raw.trim() === "") return null;
  return validateText(raw, { min: 1, max: 1000, multiline: true });
}

export const validateCategoryName = (raw: string): string | null => validateText(raw, { min: 1, max: 50 });
export const validateAccountName = (raw: string): string | null => validateText(raw, { min: 1, max: 60 });
export const validatePersonName = (raw: string): string | null => validateText(raw, { min: 1, max: 100 });

/** 3–32 characters of a–z, 0–9, '.', '_' and '-' (case-insensitive: the server lower-cases). */
export function validateUsername(raw: string): string | null {
  const s = raw.trim().toLowerCase();
  const len = [...s].length;
  if (len === 0) return "is required";
  if (len < 3 || len > 32) return "must be 3 to 32 characters long";
  if (!/^[a-z0-9._-]+$/.test(s)) return "may contain only letters a–z, digits, '.', '_' and '-'";
  return null;
}

/** A light syntactic check; the server's is stricter. */
export function validateEmail(raw: string): string | null {
  const s = raw.trim();
  if (s === "") return "is required";
  if (s.length > 254) return "must be at most 254 characters";
  if (!/^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/.test(s)) return "must be an email address like name@example.com";
  return null;
}

/** Blank to null (optional text inputs), otherwise the trimmed value. */
export function blankToNull(raw: string): string | null {
  const s = raw.trim();
  return s === "" ? null : s;
}
