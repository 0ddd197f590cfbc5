// Toasts in aria-live regions: polite for information, assertive (role=alert) for errors.
// A toast with an action (Undo) stays while it has focus or the pointer, so it can be reached.
import { h } from "./dom";

export type ToastKind = "info" | "success" | "error";

export interface ToastAction {
  label: string;
  id?: string;
  onClick: () => void | Promise<void>;
}

export interface ToastOptions {
  kind?: ToastKind;
  action?: ToastAction;
  /** Milliseconds before it disappears; 0 keeps it until dismissed. */
  timeout?: number;
}

export interface ToastHandle {
  el: HTMLElement;
  dismiss: () => void;
}

function regions(): { polite: HTMLElement; assertive: HTMLElement } {
  let host = document.getElementById("toasts");
  if (!host) {
    host = h("div", { id: "toasts" });
    document.body.appendChild(host);
  }
  let polite = document.getElementById("toast-region");
  if (!polite) {
    polite = h("div", { id: "toast-region", role: "status", "aria-live": "polite", "aria-atomic": "false" });
    host.appendChild(polite);
  }
  let assertive = document.getElementById("alert-region");
  if (!assertive) {
    assertive = h("div", { id: "alert-region", role: "alert", "aria-live": "assertive", "aria-atomic": "false" });
    host.appendChild(assertive);
  }
  return { polite, assertive };
}

/** At most this many notices show at once in each region. */
export const MAX_VISIBLE = 3;

export function toast(message: string, opts: ToastOptions = {}): ToastHandle {
  const kind = opts.kind ?? "info";
  const timeout = opts.timeout ?? (kind === "error" ? 8000 : 4000);
  const { polite, assertive } = regions();

  if (opts.action?.id) document.getElementById(opts.action.id)?.closest(".toast")?.remove();

  let timer: ReturnType<typeof setTimeout> | undefined;
  let hovered = false;
  let focused = false;
  const el = h("div", { class: `toast toast-${kind}`, "data-testid": "toast" });
  const dismiss = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    const hadFocus = el.contains(document.activeElement);
    el.remove();
    if (hadFocus) document.querySelector<HTMLElement>("main h1")?.focus();
  };
  const arm = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (timeout > 0 && !hovered && !focused) timer = setTimeout(dismiss, timeout);
  };

  el.append(h("span", { class: "toast-message" }, message));
  if (opts.action) {
    const action = opts.action;
    const btn = h("button", { type: "button", class: "toast-action", id: action.id }, action.label);
    btn.addEventListener("click", () => {
      btn.disabled = true;
      btn.setAttribute("aria-busy", "true");
      void Promise.resolve(action.onClick()).finally(dismiss);
    });
    el.append(btn);
  }
  el.append(h("button", { type: "button", class: "icon-button toast-close", "aria-label": "Dismiss notification", onclick: dismiss }, "×"));
  el.addEventListener("mouseenter", () => {
    hovered = true;
    arm();
  });
  el.addEventListener("mouseleave", () => {
    hovered = false;
    arm();
  });
  el.addEventListener("focusin", () => {
    focused = true;
    arm();
  });
  el.addEventListener("focusout", () => {
    focused = false;
    arm();
  });

  const region = kind === "error" ? assertive : polite;
  region.appendChild(el);
  arm();
  // Keep the stack short: the oldest plain notices make way (ones offering Undo stay longest).
  while (region.children.length > MAX_VISIBLE) {
    const toasts = Array.from(region.children);
    const oldest = toasts.find((t) => !t.querySelector(".toast-action")) ?? toasts[0];
    oldest?.remove();
  }
  return { el, dismiss };
}
