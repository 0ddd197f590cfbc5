// Modal dialogs: role=dialog + aria-modal, the rest of the page inert, Tab/Shift+Tab trapped,
// Esc closes, focus restored to where it was on close.
import { describeError, toApiError } from "../lib/errors";
import { focusableIn, h, uid, type Child } from "./dom";

export interface DialogOptions {
  title: string;
  /** Body; receives the handle so content can close the dialog. */
  body: (dialog: DialogHandle) => Child;
  /** Element to focus first (default: first field, else first button). */
  initialFocus?: () => HTMLElement | null;
  onClose?: () => void;
  /** Extra class, e.g. "dialog-danger". */
  className?: string;
  testId?: string;
  /** Where focus goes back on close (default: what had focus when it opened). */
  returnFocus?: HTMLElement | null;
}

export interface DialogHandle {
  root: HTMLDivElement;
  close: () => void;
  readonly closed: boolean;
}

const stack: DialogHandle[] = [];

function layer(): HTMLElement {
  let el = document.getElementById("dialogs");
  if (!el) {
    el = h("div", { id: "dialogs" });
    document.body.appendChild(el);
  }
  return el;
}

/** Everything that must not be reachable while a modal is open. */
function background(): HTMLElement[] {
  return Array.from(document.body.children).filter(
    (el): el is HTMLElement => el instanceof HTMLElement && el.id !== "dialogs" && el.id !== "toasts",
  );
}

function syncInert(): void {
  const anyOpen = stack.length > 0;
  for (const el of background()) el.inert = anyOpen;
  stack.forEach((d, i) => {
    const isTop = i === stack.length - 1;
    (d.root.parentElement as HTMLElement).inert = !isTop;
  });
}

export function isDialogOpen(): boolean {
  return stack.length > 0;
}

export function closeAllDialogs(): void {
  for (const d of [...stack].reverse()) d.close();
}

export function openDialog(opts: DialogOptions): DialogHandle {
  const active = document.activeElement;
  const restoreTo = opts.returnFocus ?? (active instanceof HTMLElement && active !== document.body ? active : null);
  const titleId = uid("dialog-title");
  let closed = false;

  const root = h("div", {
    class: `dialog ${opts.className ?? ""}`.trim(),
    role: "dialog",
    "aria-modal": "true",
    "aria-labelledby": titleId,
    tabindex: -1,
    "data-testid": opts.testId,
  });
  const backdrop = h("div", { class: "dialog-backdrop" }, root);

  const handle: DialogHandle = {
    root,
    close: () => {
      if (closed) return;
      closed = true;
      const idx = stack.indexOf(handle);
      if (idx >= 0) stack.splice(idx, 1);
      backdrop.remove();
      syncInert();
      opts.onClose?.();
      const target = restoreTo && restoreTo.isConnected ? restoreTo : document.querySelector<HTMLElement>("main h1");
      target?.focus();
    },
    get closed() {
      return closed;
    },
  };

  const closeButton = h("button", { type: "button", class: "icon-button dialog-close", "aria-label": "Close", onclick: () => handle.close() }, "×");
  root.append(h("div", { class: "dialog-header" }, h("h2", { id: titleId }, opts.title), closeButton), h("div", { class: "dialog-body" }, opts.body(handle)));

  root.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      handle.close();
      return;
    }
    if (ev.key !== "Tab") return;
    const items = focusableIn(root);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      ev.preventDefault();
      root.focus();
      return;
    }
    const active = document.activeElement;
    if (ev.shiftKey && (active === first || active === root)) {
      ev.preventDefault();
      last.focus();
    } else if (!ev.shiftKey && active === last) {
      ev.preventDefault();
      first.focus();
    }
  });
  // A click on the backdrop (outside the dialog) does not close: forms could lose input.

  layer().appendChild(backdrop);
  stack.push(handle);
  syncInert();

  const preferred = opts.initialFocus?.() ?? null;
  const fallback =
    root.querySelector<HTMLElement>(".dialog-body input:not([type=hidden]), .dialog-body select, .dialog-body textarea") ??
    focusableIn(root).find((el) => el !== closeButton) ??
    root;
  (preferred ?? fallback).focus();
  return handle;
}

// Focus that escapes a modal (e.g. a click on the page behind in an engine without `inert`) is pulled back.
document.addEventListener("focusin", (ev) => {
  const top = stack[stack.length - 1];
  if (!top) return;
  const t = ev.target;
  if (t instanceof Node && !top.root.contains(t) && !(t instanceof Element && t.closest("#toasts"))) {
    (focusableIn(top.root)[0] ?? top.root).focus();
  }
});

export interface ConfirmOptions {
  title: string;
  message: Child;
  confirmLabel: string;
  danger?: boolean;
  /** Runs while the confirm button is busy; a rejection is shown in the dialog and keeps it open. */
  action?: () => Promise<void>;
  testId?: string;
  returnFocus?: HTMLElement | null;
}

/** Resolves true when confirmed (after `action` succeeded), false when dismissed. */
export function confirmDialog(opts: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    let result = false;
    const confirmBtn = h("button", { type: "button", class: opts.danger ? "danger" : "primary", id: "confirm-ok" }, opts.confirmLabel);
    const alert = h("div", { class: "form-alert", role: "alert" });
    openDialog({
      title: opts.title,
      testId: opts.testId ?? "confirm-dialog",
      className: opts.danger ? "dialog-danger" : "",
      initialFocus: () => confirmBtn,
      returnFocus: opts.returnFocus ?? null,
      onClose: () => resolve(result),
      body: (dlg) => {
        confirmBtn.addEventListener("click", () => {
          if (confirmBtn.getAttribute("aria-busy") === "true") return;
          if (!opts.action) {
            result = true;
            dlg.close();
            return;
          }
          confirmBtn.disabled = true;
          confirmBtn.setAttribute("aria-busy", "true");
          alert.replaceChildren();
          alert.classList.remove("visible");
          opts
            .action()
            .then(() => {
              result = true;
              dlg.close();
            })
            .catch((e: unknown) => {
              alert.replaceChildren(h("p", null, describeError(toApiError(e))));
              alert.classList.add("visible");
            })
            .finally(() => {
              confirmBtn.disabled = false;
              confirmBtn.removeAttribute("aria-busy");
            });
        });
        return [
          alert,
          h("div", { class: "dialog-message" }, opts.message),
          h("div", { class: "dialog-actions" }, h("button", { type: "button", class: "secondary", id: "confirm-cancel", onclick: () => dlg.close() }, "Cancel"), confirmBtn),
        ];
      },
    });
  });
}
