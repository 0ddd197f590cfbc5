// Global shortcuts: N / n = new transaction, / = search. Ignored while typing or when a dialog is open.

/** True when keys typed now go into a text control (so shortcuts must not fire). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    const nonText = ["button", "checkbox", "radio", "submit", "reset", "range", "color", "file", "image"];
    return !nonText.includes(target.type);
  }
  return false;
}

export type Shortcut = "new-transaction" | "search";

/** Which shortcut a key press means, if any. */
export function shortcutFor(ev: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "target" | "defaultPrevented" | "isComposing">): Shortcut | null {
  if (ev.defaultPrevented || ev.isComposing || ev.ctrlKey || ev.metaKey || ev.altKey) return null;
  if (isTypingTarget(ev.target)) return null;
  if (ev.key === "n" || ev.key === "N") return "new-transaction";
  if (ev.key === "/") return "search";
  return null;
}
