// Busy state for buttons running a long operation: disabled + aria-busy, label kept for screen readers.

export function setBusy(button: HTMLButtonElement | null | undefined, busy: boolean): void {
  if (!button) return;
  button.disabled = busy;
  if (busy) {
    button.setAttribute("aria-busy", "true");
    button.classList.add("busy");
  } else {
    button.removeAttribute("aria-busy");
    button.classList.remove("busy");
  }
}

/** Run `op` with `button` busy; a second click while it runs is ignored. */
export async function withBusy<T>(button: HTMLButtonElement | null | undefined, op: () => Promise<T>): Promise<T | undefined> {
  if (button?.getAttribute("aria-busy") === "true") return undefined;
  setBusy(button, true);
  try {
    return await op();
  } finally {
    setBusy(button, false);
  }
}
