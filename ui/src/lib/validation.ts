// Client-side checks that mirror the server's rules (finance-core). They return the same kind of
// message fragment the server sends ("is required", "must be greater than zero"), to be shown after
// the field's label; the server stays authoritative and its field errors are always shown too.

import { parseTypedAmount, typedToCanonical, type DecimalSeparator } from "./amount-entry";

export const MAX_AMOUNT_MINOR = "999999999999";

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
  /** The decimal separator typed amounts are read with first (the user's; lib/formats.ts). Dot when absent. */
  decimal?: DecimalSeparator | undefined;
  /** A leading minus is allowed (an expense's refund). */
  allowNegative?: boolean | undefined;
}

/**
 * Validate an amount as typed (lib/amount-entry.ts: grouping, a decimal comma or dot) for a
 * currency with `digits` minor digits. Null when valid.
 */
export function validateAmount(raw: string, digits: number, rules: AmountRules = {}): string | null {
  const r = parseTypedAmount(raw, rules.decimal ?? "dot", digits, { currency: rules.currency, allowZero: rules.allowZero, noMaximum: rules.noMaximum });
  if (!r.ok) return r.reason;
  if (r.value.negative && !rules.allowNegative) return "must be greater than zero";
  return null;
}

/**
 * Validate a signed balance (an account's opening balance, a statement's) as typed: blank is
 * zero; an optional leading "-", then an amount as typed, zero included, of at most 15 whole
 * digits. Null when valid.
 */
export function validateBalance(raw: string, digits: number, rules: Pick<AmountRules, "currency" | "decimal"> = {}): string | null {
  if (raw.trim() === "") return null;
  return validateAmount(raw, digits, { ...rules, allowZero: true, noMaximum: true, allowNegative: true });
}

/**
 * What to send for a typed amount or balance: its exact canonical decimal ("1234.50", "-3.00"), or
 * the text as typed when it does not read (the form's checks refuse it first; the server would
 * refuse it too, naming the field).
 */
export function amountForServer(raw: string, digits: number, decimal: DecimalSeparator | undefined): string {
  return typedToCanonical(raw, decimal ?? "dot", digits, { allowZero: true, noMaximum: true });
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
