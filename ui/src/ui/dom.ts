// Tiny DOM builder. Text always goes in as text nodes (never innerHTML), so user data cannot
// inject markup, and nothing here needs inline scripts or eval (CSP-safe).

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Listener = (ev: Event) => void;
export type AttrValue = string | number | boolean | null | undefined | Listener;
export type Attrs = Record<string, AttrValue>;

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child as readonly Child[]) append(parent, c);
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

/**
 * h("button", { type: "button", class: "primary", onclick: fn }, "Save").
 * `on*` functions become listeners; true → empty attribute; false/null/undefined → omitted.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === "function") {
        if (!key.startsWith("on")) throw new Error(`listener for non-event attribute ${key}`);
        el.addEventListener(key.slice(2), value);
      } else if (value === true) {
        el.setAttribute(key, "");
      } else {
        el.setAttribute(key, String(value));
      }
    }
  }
  for (const c of children) append(el, c);
  return el;
}

/** Replace all children of `el`. */
export function setChildren(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  for (const c of children) append(el, c);
}

/** A unique id for label/control and aria wiring. */
let idCounter = 0;
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
}

/** Elements that can take keyboard focus, in DOM order. */
export function focusableIn(root: Element): HTMLElement[] {
  const selector = [
    "a[href]", "button:not([disabled])", "input:not([disabled]):not([type=hidden])", "select:not([disabled])",
    "textarea:not([disabled])", "[tabindex]:not([tabindex='-1'])", "summary",
  ].join(",");
  return Array.from(root.querySelectorAll<HTMLElement>(selector)).filter(
    (el) => !el.hasAttribute("inert") && !el.closest("[inert]") && !el.closest("[hidden]"),
  );
}
