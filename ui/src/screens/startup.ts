// What shows before sign-in when start-up did not simply work: a refused configuration, MongoDB
// unreachable, or a failure.
import { api } from "../api";
import type { StartupState } from "../ipc-types";
import { describeError, toApiError } from "../lib/errors";
import { withBusy } from "../ui/busy";
import { h } from "../ui/dom";

export function renderStarting(): HTMLElement {
  return h("main", { class: "starting", id: "main", "aria-busy": "true" }, h("div", { class: "spinner", "aria-hidden": "true" }), h("p", { role: "status" }, "Starting…"));
}

/** MongoDB is configured but could not be reached: retry, or continue on the local store. */
export function renderMongoError(state: StartupState, onState: (s: StartupState) => void): HTMLElement {
  const alert = h("div", { class: "form-alert", role: "alert" });
  const fail = (e: unknown): void => {
    alert.replaceChildren(h("p", null, describeError(toApiError(e))));
    alert.classList.add("visible");
  };
  const retry = h("button", { type: "button", class: "primary", id: "retry-mongo" }, "Retry");
  const local = h("button", { type: "button", class: "secondary", id: "use-local-store" }, "Use the local store for now");
  const run = (btn: HTMLButtonElement, op: () => Promise<StartupState>): void => {
    alert.classList.remove("visible");
    retry.disabled = true;
    local.disabled = true;
    void withBusy(btn, op)
      .then((s) => {
        if (s) onState(s);
      })
      .catch(fail)
      .finally(() => {
        retry.disabled = false;
        local.disabled = false;
      });
  };
  retry.addEventListener("click", () => run(retry, api.retryMongo));
  local.addEventListener("click", () => run(local, api.useLocalStore));
  return h(
    "main",
    { class: "auth", id: "main" },
    h(
      "div",
      { class: "auth-card card", id: "mongo-error" },
      h("p", { class: "brand" }, "Finance"),
      h("h1", { tabindex: -1 }, "MongoDB could not be reached"),
      h("p", null, "The app is set up to keep your data in MongoDB, but the server did not answer. Check that it is running and reachable, then retry. You can also work with the local store on this computer for now; your MongoDB data is not touched."),
      h("div", { class: "notice notice-warning" }, h("p", { class: "mono", id: "mongo-error-detail" }, state.mongoError ?? "")),
      alert,
      h("div", { class: "actions" }, retry, local),
      h("p", { class: "muted small version" }, `Version ${state.version}`),
    ),
  );
}

/** Start-up itself failed (or returned something unusable): say so and offer to try again. */
export function renderFatal(error: unknown, onRetry: () => void): HTMLElement {
  const err = toApiError(error);
  return h(
    "main",
    { class: "auth", id: "main" },
    h(
      "div",
      { class: "auth-card card", id: "startup-error" },
      h("p", { class: "brand" }, "Finance"),
      h("h1", { tabindex: -1 }, "The app could not start"),
      h("div", { class: "notice notice-error", role: "alert" }, h("p", null, describeError(err))),
      h("div", { class: "actions" }, h("button", { type: "button", class: "primary", id: "retry-startup", onclick: onRetry }, "Try again")),
    ),
  );
}

/** The configuration (.env or the environment) was refused: say what to fix; nothing else can run. */
export function renderConfigError(state: StartupState): HTMLElement {
  return h(
    "main",
    { class: "auth", id: "main" },
    h(
      "div",
      { class: "auth-card card", id: "config-error" },
      h("p", { class: "brand" }, "Finance"),
      h("h1", { tabindex: -1 }, "The app's configuration needs a change"),
      h("div", { class: "notice notice-error", role: "alert" }, h("p", { id: "config-error-detail" }, state.configError ?? "")),
      h("p", null, "Fix the setting in the .env file or the environment the app starts with, then start the app again."),
      h("p", { class: "muted small version" }, `Version ${state.version}`),
    ),
  );
}
