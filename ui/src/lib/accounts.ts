// Accounts as screens arrange them: grouped by type under assets and liabilities, archived ones
// apart; the transaction form's picker and its default; the last account used, per user.
//
// Invariants:
// - Whether an account is a liability is the server's (`AccountView.liability`); nothing here
//   keeps its own list of liability types. Balances and totals are the server's exact strings:
//   nothing here adds money.
// - Order within a group is the server's (display order); groups follow ACCOUNT_TYPES.
// - Archived accounts are never offered for new transactions, but an edited transaction's own
//   account is always offered, archived or not (the form must show where the transaction is).
import type { AccountType, AccountView } from "../ipc-types";

/** Every type, in display order, with its label. */
export const ACCOUNT_TYPES: readonly { type: AccountType; label: string }[] = [
  { type: "checking", label: "Checking" },
  { type: "savings", label: "Savings" },
  { type: "cash", label: "Cash" },
  { type: "asset", label: "Investment / other asset" },
  { type: "credit_card", label: "Credit card" },
  { type: "loan", label: "Loan" },
  { type: "liability", label: "Other liability" },
];

export function accountTypeLabel(t: AccountType): string {
  return ACCOUNT_TYPES.find((x) => x.type === t)?.label ?? t;
}

/** The open accounts of one type, in the server's order. */
export interface AccountGroup {
  type: AccountType;
  label: string;
  accounts: AccountView[];
}

export interface GroupedAccounts {
  /** Open asset accounts by type (types without accounts left out). */
  assets: AccountGroup[];
  /** Open liability accounts by type. */
  liabilities: AccountGroup[];
  /** Archived accounts of any type, in the server's order. */
  archived: AccountView[];
}

/** Arrange the server's list for the Accounts screen. */
export function groupAccounts(accounts: readonly AccountView[]): GroupedAccounts {
  const open = accounts.filter((a) => !a.archived);
  const groups = (liability: boolean): AccountGroup[] =>
    ACCOUNT_TYPES.map(({ type, label }) => ({ type, label, accounts: open.filter((a) => a.type === type && a.liability === liability) })).filter(
      (g) => g.accounts.length > 0,
    );
  return { assets: groups(false), liabilities: groups(true), archived: accounts.filter((a) => a.archived) };
}

/** The accounts a transaction form offers: the open ones, plus `current` (an edited transaction's) if archived. */
export function pickerAccounts(accounts: readonly AccountView[], current?: string | null): AccountView[] {
  return accounts.filter((a) => !a.archived || a.id === current);
}

/**
 * The account the form starts with: the edited transaction's; else the last one used if it is
 * still offered; else the first open one (the server's default account is the first open one in
 * display order too); null when there is none (the server then refuses or picks).
 */
export function initialAccountId(accounts: readonly AccountView[], existing: string | null | undefined, remembered: string | null): string | null {
  if (existing) return existing;
  const open = accounts.filter((a) => !a.archived);
  if (remembered && open.some((a) => a.id === remembered)) return remembered;
  return open[0]?.id ?? null;
}

/** Transactions lists show an account column only when there is more than one account to tell apart. */
export function showsAccountColumn(accounts: readonly AccountView[]): boolean {
  return accounts.length > 1;
}

/** An account's name by id ("" when unknown, e.g. deleted since the list was fetched). */
export function accountName(accounts: readonly AccountView[], id: string): string {
  return accounts.find((a) => a.id === id)?.name ?? "";
}

/** The part of `Storage` the memory of the last account needs (localStorage in the app). */
export type KeyValueStore = Pick<Storage, "getItem" | "setItem">;

const LAST_ACCOUNT_KEY = "finance.lastAccount.";

/** The account `userId` last saved a transaction in, on this computer (null if none or unreadable). */
export function rememberedAccount(store: KeyValueStore | null, userId: string): string | null {
  try {
    return store?.getItem(LAST_ACCOUNT_KEY + userId) ?? null;
  } catch {
    return null; // storage disabled: the form falls back to the first account
  }
}

/** Remember the account `userId` just used (nothing happens when storage is unavailable). */
export function rememberAccount(store: KeyValueStore | null, userId: string, accountId: string): void {
  try {
    store?.setItem(LAST_ACCOUNT_KEY + userId, accountId);
  } catch {
    // Storage full or disabled: the choice is simply not remembered.
  }
}

/** The browser's localStorage, or null where it cannot be used. */
export function browserStore(): KeyValueStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
