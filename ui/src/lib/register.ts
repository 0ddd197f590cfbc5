// The register view and the transaction form's modes, as pure functions: how a row reads in a list
// (its effect on its account, a refund, a transfer's "to/from"), when the Transactions screen shows
// an account's register (running balances) instead of the plain list, and what the form sends.
//
// Invariants:
// - Amounts stay exact decimal strings (lib/money.ts); signs are flipped as strings, never by
//   arithmetic on JS numbers.
// - A row's shown amount is its effect on its account: income and a transfer in are positive, an
//   expense and a transfer out negative, a refund (an expense row with a negative amount) positive —
//   and labelled "Refund", so a refund never reads as a minus of a minus.
// - The register applies exactly when the server can walk it: one account, dates at most as other
//   criteria, sorted by date (the core's `TransactionFilter::register_account` with a date sort).
import type { AccountRegisterInput, EntryKind, ApiError, TransactionSort, TransactionView, TxStatus } from "../ipc-types";
import { absDecimal, isNegative, negateDecimal } from "./money";

type Row = Pick<TransactionView, "type" | "amount">;

/** Whether the row is a leg of a transfer. */
export function isTransferLeg(t: Pick<TransactionView, "type">): boolean {
  return t.type === "transfer_out" || t.type === "transfer_in";
}

/** An expense that came back: an expense row with a negative amount. */
export function isRefund(t: Row): boolean {
  return t.type === "expense" && isNegative(t.amount);
}

/** The row's effect on its account's balance, as a signed decimal string. */
export function accountEffect(t: Row): string {
  return t.type === "expense" || t.type === "transfer_out" ? negateDecimal(t.amount) : t.amount;
}

/** The CSS class of a row's amount: income, expense, refund or transfer. */
export function amountClass(t: Row): "income" | "expense" | "refund" | "transfer" {
  if (isTransferLeg(t)) return "transfer";
  if (isRefund(t)) return "refund";
  return t.type === "income" ? "income" : "expense";
}

/** What the Category column says: the category, or "Transfer to/from <account>" for a leg. */
export function categoryLabel(t: Pick<TransactionView, "type" | "categoryName" | "transferAccountId">, accountName: (id: string) => string): string {
  if (!isTransferLeg(t)) return t.categoryName;
  const other = t.transferAccountId ? accountName(t.transferAccountId) : "another account";
  return t.type === "transfer_out" ? `Transfer to ${other}` : `Transfer from ${other}`;
}

/** The status marker's symbol and its accessible name. */
export function statusMarker(status: TxStatus): { symbol: string; label: string } {
  switch (status) {
    case "reconciled":
      return { symbol: "R", label: "Reconciled" };
    case "cleared":
      return { symbol: "C", label: "Cleared" };
    default:
      return { symbol: "·", label: "Not cleared" };
  }
}

/** The list's filters as the Transactions screen keeps them. */
export interface ListFilters {
  accountId: string;
  from: string;
  to: string;
  /** Any of these categories (none: all). */
  categoryIds: readonly string[];
  type: string;
  text: string;
  minAmount: string;
  maxAmount: string;
  sort: TransactionSort;
}

/** The register request for these filters, or null when the plain list applies (no running balance). */
export function registerInput(f: ListFilters, cursor: string | null, limit: number): AccountRegisterInput | null {
  const blank = (s: string): boolean => s.trim() === "";
  if (blank(f.accountId) || (f.sort !== "date_desc" && f.sort !== "date_asc")) return null;
  if (f.categoryIds.length > 0 || !blank(f.type) || !blank(f.text) || !blank(f.minAmount) || !blank(f.maxAmount)) return null;
  const input: AccountRegisterInput = { accountId: f.accountId, sort: f.sort, limit };
  if (!blank(f.from)) input.from = f.from.trim();
  if (!blank(f.to)) input.to = f.to.trim();
  if (cursor !== null) input.cursor = cursor;
  return input;
}

/** The transaction form's modes. */
export type FormMode = "expense" | "income" | "transfer";

/** The mode a row opens the form in. */
export function modeOf(kind: EntryKind): FormMode {
  return kind === "transfer_out" || kind === "transfer_in" ? "transfer" : kind;
}

/** The form's amount field and Refund switch for a stored row (a refund shows its positive amount). */
export function formAmount(t: Row): { amount: string; refund: boolean } {
  return isRefund(t) ? { amount: absDecimal(t.amount), refund: true } : { amount: t.amount, refund: false };
}

/** The amount to send: the typed (positive) amount, negated exactly for a refund. */
export function amountToSend(typed: string, refund: boolean): string {
  const a = typed.trim();
  return refund ? negateDecimal(a) : a;
}

/** A problem with a transfer's two accounts (by field), or null. */
export function transferAccountProblem(from: string, to: string): { field: "fromAccountId" | "toAccountId"; message: string } | null {
  if (from === "") return { field: "fromAccountId", message: "is required" };
  if (to === "") return { field: "toAccountId", message: "is required" };
  if (from === to) return { field: "toAccountId", message: "must be a different account" };
  return null;
}

/** The refusal of a change to a reconciled row, which the UI turns into a question. */
export function isReconciledConflict(err: Pick<ApiError, "code" | "field">): boolean {
  return err.code === "conflict" && err.field === "status";
}

/** The second account a new transfer starts with: the first open account other than `from`. */
export function otherAccount(open: readonly { id: string }[], from: string): string {
  return open.find((a) => a.id !== from)?.id ?? "";
}
