// A list of elements keyed by item: showing a new list rebuilds only the items that changed.
// Invariants: after show(items) the parent's children are exactly one element per item, in
// order (anything else in the parent is removed); an element is reused only for an item with
// the same key and the same content (JSON), so its text and listeners are never stale.

export class KeyedRows<T> {
  private shown = new Map<string, { content: string; el: HTMLElement }>();

  constructor(
    private readonly parent: Element,
    private readonly key: (item: T) => string,
    private readonly make: (item: T) => HTMLElement,
  ) {}

  /** Show `items` in order, moving kept elements and making only the new or changed ones. */
  show(items: readonly T[]): void {
    const next = new Map<string, { content: string; el: HTMLElement }>();
    const els: HTMLElement[] = [];
    for (const item of items) {
      const k = this.key(item);
      const content = JSON.stringify(item);
      const old = this.shown.get(k);
      const el = old && old.content === content && !next.has(k) ? old.el : this.make(item);
      next.set(k, { content, el });
      els.push(el);
    }
    this.shown = next;
    const keep = new Set<Node>(els);
    for (const child of Array.from(this.parent.childNodes)) if (!keep.has(child)) child.remove();
    let cursor = this.parent.firstChild;
    for (const el of els) {
      if (el === cursor) cursor = cursor.nextSibling;
      else this.parent.insertBefore(el, cursor);
    }
  }

  /** Forget the elements shown (the parent is about to hold something else). */
  clear(): void {
    this.shown.clear();
  }
}
