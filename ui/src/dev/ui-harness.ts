// The harness of the UI tests that run the whole app against the canned backend
// (src/dev/mock-backend.ts) in happy-dom: booting, the record of IPC calls, queued refusals,
// and small DOM helpers. A test file routes Tauri's `invoke` here by mocking Tauri's core API
// module with `tauriCore` (see the top of app.test.ts), and then calls
//
//   setUp(afterEach, (await import("./app")).startApp);
//
// once. The test file hands over `startApp`: this module must not import the app (and so
// Tauri's core API module) itself while that mock is being built from it. Like every module but
// ipc-call.ts, it never names that module (tests/hardening.rs checks).
import { ipcError, MockBackend, type MockOptions } from "./mock-backend";
import type { ApiError } from "../ipc-types";
import type { startApp as StartApp } from "../app";

/** The backend of the running test (a new one per `boot`). */
export let backend: MockBackend;
/** Every command invoked since the last `boot`, with its arguments. */
export const invoked: { cmd: string; args: Record<string, unknown> | undefined }[] = [];

/** What the mock of Tauri's core API module returns: an `invoke` answered by `backend`. */
export const tauriCore = {
  invoke: async (cmd: string, args?: Record<string, unknown>): Promise<unknown> => {
    invoked.push({ cmd, args });
    await Promise.resolve();
    return backend.handle(cmd, args);
  },
};

let stop: (() => void) | null = null;
let start: typeof StartApp | null = null;

/** Use `startApp` in `boot`, and stop the app and clear the page after each test (pass vitest's `afterEach`). */
export function setUp(afterEach: (fn: () => void) => void, startApp: typeof StartApp): void {
  start = startApp;
  afterEach(() => {
    stop?.();
    stop = null;
    invoked.length = 0;
    document.body.replaceChildren();
    delete document.body.dataset["ready"];
  });
}

/** Start the app on a fresh backend (today is 2025-03-15, locale en-US). */
export function boot(opts: MockOptions = {}): void {
  if (!start) throw new Error("call setUp(afterEach, startApp) first");
  backend = new MockBackend({ today: () => "2025-03-15", ...opts });
  invoked.length = 0;
  const root = document.createElement("div");
  root.id = "app";
  document.body.replaceChildren(root);
  stop = start({ root, locale: "en-US" });
}

/** The next `cmd` fails as the Rust side would refuse it. */
export function refuse(cmd: string, code: ApiError["code"], message: string, field: string | null = null, retryAfterSecs: number | null = null): void {
  backend.respondOnce(cmd, { error: ipcError(code, message, field, retryAfterSecs) });
}
/** How many times `cmd` was invoked since `since` (an index into `invoked`). */
export const calls = (cmd: string, since = 0): number => invoked.slice(since).filter((c) => c.cmd === cmd).length;
/** The arguments of the latest call of `cmd`. */
export const args = (cmd: string): Record<string, unknown> | undefined => invoked.filter((c) => c.cmd === cmd).at(-1)?.args;

/** Poll `probe` every 5 ms until it is truthy (fails after `ms`, naming `what`). */
export async function until<T>(probe: () => T | null | undefined | false, what = "condition", ms = 2000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
export const $ = <T extends Element = HTMLElement>(sel: string): T | null => document.querySelector<T>(sel);
export const need = <T extends Element = HTMLElement>(sel: string): Promise<T> => until(() => $<T>(sel), sel);
export const text = (sel: string): string => ($(sel)?.textContent ?? "").trim();
export const rowIds = (): string[] => Array.from(document.querySelectorAll<HTMLElement>("tr[data-id]")).map((r) => r.dataset["id"] ?? "");
export const rowWith = (desc: string): HTMLElement | undefined =>
  Array.from(document.querySelectorAll<HTMLElement>("tr[data-id]")).find((r) => r.textContent?.includes(desc));
/** Let pending promises and timers of the UI run (for asserting that something did NOT happen). */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 30));

/** Type `values` into the form's fields by name (input and change events, as a person would). */
export function fill(form: Element, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const el = form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[name="${name}"]`);
    if (!el) throw new Error(`no input ${name}`);
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
}
export function submit(form: HTMLFormElement): void {
  form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
}
export function key(k: string, target: EventTarget = document.body): void {
  target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
}
/** Signed in, on the screen of `route`. */
export async function signedInAt(route: string): Promise<void> {
  boot({ signedIn: true });
  await need("#nav-dashboard");
  (await need<HTMLButtonElement>(`#nav-${route}`)).click();
  await need(`[data-screen="${route}"]`);
}
