// The hand-written half of the IPC layer; the typed wrappers in ./api.ts are generated from the
// Rust command list (src-tauri/src/contract.rs) and call only `call` and `listenTo` below.
// Every command takes a single argument named `input` (except the no-argument ones) and rejects
// with an ApiError; anything else is normalised to { code: "internal" }. An `unauthorized`
// rejection outside the sign-in commands ends the session in the UI; losing the household
// ledger in hand (`not_found` on `ledger`) shows one's own ledger again.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { ApiError } from "./ipc-types";
import { toApiError } from "./lib/errors";

/** Commands where `unauthorized` means "wrong credentials", not "session ended". */
const SIGN_IN_COMMANDS: ReadonlySet<string> = new Set(["login", "register", "startup", "retry_mongo", "use_local_store", "logout"]);

type UnauthorizedHandler = (err: ApiError, command: string) => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Register what to do when the session has ended (the app shows the login screen). */
export function onUnauthorized(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

type LedgerLostHandler = (err: ApiError) => void;
let ledgerLostHandler: LedgerLostHandler | null = null;

/**
 * Register what to do when the household ledger in hand is no longer one's to use (removed
 * from it meanwhile: `not_found` on the field `ledger`; the Rust side is back on one's own).
 */
export function onLedgerLost(handler: LedgerLostHandler | null): void {
  ledgerLostHandler = handler;
}

/** Invoke `command` with `{ input }` (or no arguments); rejects with an ApiError. */
export async function call<T>(command: string, input?: unknown): Promise<T> {
  try {
    return input === undefined ? await invoke<T>(command) : await invoke<T>(command, { input });
  } catch (raw) {
    const err = toApiError(raw);
    if (err.code === "unauthorized" && !SIGN_IN_COMMANDS.has(command) && err.field === null) {
      unauthorizedHandler?.(err, command);
    }
    if (err.code === "not_found" && err.field === "ledger" && command !== "switch_ledger") ledgerLostHandler?.(err);
    throw err;
  }
}

/** Follow the Rust event `event`; resolves to a function that stops listening. */
export function listenTo<T>(event: string, handler: (payload: T) => void): Promise<() => void> {
  return listen<T>(event, (ev) => handler(ev.payload));
}
