// Idempotency keys for writes whose outcome can be unknown (an add, an import commit).
//
// One key is made per submission and sent with it. When the call fails with an error that
// leaves the outcome unknown ("unavailable": the database went away mid-call; "internal"),
// the next submission of the *same* request reuses the key, so the backend applies the write
// at most once. A success, a definite refusal (validation, conflict, …) or a changed request
// starts over with a fresh key.
import type { ErrorCode } from "../ipc-types";

/** Codes after which the write may or may not have happened. */
const OUTCOME_UNKNOWN: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["unavailable", "internal"]);

/** A random UUID (v4); crypto.randomUUID where available. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === "function") return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The key of one form's or wizard's submissions. */
export class SubmissionKey {
  private key: string | null = null;
  private request: string | null = null;

  constructor(private readonly generate: () => string = newIdempotencyKey) {}

  /** The key to send with `request` (compared as JSON): the pending one when the same request is retried. */
  for(request: unknown): string {
    const r = JSON.stringify(request);
    if (this.key === null || this.request !== r) {
      this.key = this.generate();
      this.request = r;
    }
    return this.key;
  }

  /** Record how the call ended: keep the key only while the outcome is unknown. */
  settle(error: { code: ErrorCode } | null): void {
    if (error === null || !OUTCOME_UNKNOWN.has(error.code)) {
      this.key = null;
      this.request = null;
    }
  }

  /** Run `call` with the key for `request`, settling on the way out. */
  async run<T>(request: unknown, call: (key: string) => Promise<T>, toError: (e: unknown) => { code: ErrorCode }): Promise<T> {
    const key = this.for(request);
    try {
      const out = await call(key);
      this.settle(null);
      return out;
    } catch (e) {
      this.settle(toError(e));
      throw e;
    }
  }
}
