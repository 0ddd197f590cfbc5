// Turning whatever a command rejects with into an ApiError, and IpcErrors into text for a field
// or for the form as a whole.
import { ERROR_CODES, type ErrorCode, type ApiError } from "../ipc-types";

/** Generated from the Rust `ErrorCode` (crates/finance-api/src/error.rs) into ipc-types.ts. */
export { ERROR_CODES };

/** Field names the server uses in ApiError.field; forms name their inputs the same way. */
export const SERVER_FIELDS = [
  "username", "password", "firstName", "lastName", "email", "currency",
  "amount", "date", "categoryId", "description", "note",
  "limit", "period", "name", "type", "moveTo",
  "currentPassword", "newPassword",
  "from", "to", "minAmount", "maxAmount", "text", "categoryIds", "sort", "cursor",
  "uri", "id",
  "accountId", "statementDate", "statementBalance", "ticked", "ids", "through",
] as const;
export type ServerField = (typeof SERVER_FIELDS)[number];

const FIELD_SET: ReadonlySet<string> = new Set(SERVER_FIELDS);

function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === "string" && (ERROR_CODES as readonly string[]).includes(x);
}

/** Strictly the ApiError shape (optional members may be absent: they are read as null). */
export function isApiError(x: unknown): x is ApiError {
  if (typeof x !== "object" || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    isErrorCode(o["code"]) &&
    typeof o["message"] === "string" &&
    (o["field"] === undefined || o["field"] === null || typeof o["field"] === "string") &&
    (o["retryAfterSecs"] === undefined || o["retryAfterSecs"] === null || typeof o["retryAfterSecs"] === "number")
  );
}

/** Normalise any rejection into an ApiError; anything unrecognised becomes code "internal". */
export function toApiError(x: unknown): ApiError {
  if (isApiError(x)) {
    return {
      code: x.code,
      message: x.message,
      field: x.field ?? null,
      retryAfterSecs: x.retryAfterSecs ?? null,
    };
  }
  if (typeof x === "string") {
    const trimmed = x.trim();
    if (trimmed.startsWith("{")) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (isApiError(parsed)) return toApiError(parsed);
      } catch {
        // not JSON: use the text itself
      }
    }
    return internal(trimmed || "Something went wrong.");
  }
  if (x instanceof Error) return internal(x.message || "Something went wrong.");
  if (typeof x === "object" && x !== null) {
    const msg = (x as Record<string, unknown>)["message"];
    if (typeof msg === "string" && msg.trim() !== "") return internal(msg);
  }
  return internal("Something went wrong.");
}

function internal(message: string): ApiError {
  return { code: "internal", message, field: null, retryAfterSecs: null };
}

/** "category_id" / "input.categoryId" / "CategoryId" → "categoryId". */
export function normaliseFieldName(field: string): string {
  let f = field.trim();
  if (f.startsWith("input.")) f = f.slice("input.".length);
  f = f.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  if (f.length > 0 && !FIELD_SET.has(f)) {
    const lowered = f.charAt(0).toLowerCase() + f.slice(1);
    if (FIELD_SET.has(lowered)) f = lowered;
  }
  return f;
}

export function capitalise(s: string): string {
  const t = s.trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function endWithStop(s: string): string {
  return /[.!?…]$/.test(s) ? s : `${s}.`;
}

/**
 * A field error as a sentence: the server says "is required" for field "amount", shown as
 * "Amount is required." Messages that already start with the field name, or with a capital
 * (e.g. "EUR allows at most 2 decimal places"), are kept as they are.
 */
export function fieldMessage(label: string, message: string, field?: string): string {
  let m = message.trim();
  if (m === "") return `${label} is invalid.`;
  if (field) {
    const prefix = new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+`, "i");
    m = m.replace(prefix, "");
  }
  const first = m.charAt(0);
  if (first !== first.toLowerCase() || !/\p{L}/u.test(first)) return endWithStop(m);
  return endWithStop(`${label} ${m}`);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

export function humanDuration(secs: number): string {
  const s = Math.max(1, Math.ceil(secs));
  if (s < 60) return plural(s, "second");
  if (s < 3600) return plural(Math.ceil(s / 60), "minute");
  return plural(Math.ceil(s / 3600), "hour");
}

/** Text for an error shown outside a field (form alert, toast). */
export function describeError(err: ApiError): string {
  const msg = err.message.trim();
  switch (err.code) {
    case "rate_limited":
      if (msg) return endWithStop(capitalise(msg));
      return err.retryAfterSecs !== null
        ? `Too many attempts; try again in ${humanDuration(err.retryAfterSecs)}.`
        : "Too many attempts; try again later.";
    case "unavailable":
      return msg ? endWithStop(capitalise(msg)) : "The database is unavailable. Try again in a moment.";
    case "internal":
      return msg ? endWithStop(capitalise(msg)) : "Something went wrong.";
    case "not_found":
      return msg ? endWithStop(capitalise(msg)) : "It no longer exists.";
    case "unauthorized":
      return msg ? endWithStop(capitalise(msg)) : "Please sign in.";
    default:
      if (err.field && msg) return fieldMessage(labelFromField(err.field), msg, err.field);
      return msg ? endWithStop(capitalise(msg)) : "Something went wrong.";
  }
}

/** "categoryId" → "Category id" as a last-resort label. */
function labelFromField(field: string): string {
  const words = normaliseFieldName(field).replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return capitalise(words);
}

export interface ErrorPlacement {
  /** The form input the error belongs under, or null for the form-level alert. */
  field: string | null;
  message: string;
}

/**
 * Decide where an error is shown: under the input named by `err.field` when the form has it
 * (labels maps the form's input names to their visible labels), otherwise in the form alert.
 */
export function placeError(err: ApiError, labels: Readonly<Record<string, string>>): ErrorPlacement {
  if (err.field !== null && err.field !== "") {
    const name = normaliseFieldName(err.field);
    const label = labels[name];
    if (label !== undefined) return { field: name, message: fieldMessage(label, err.message, name) };
  }
  return { field: null, message: describeError(err) };
}
