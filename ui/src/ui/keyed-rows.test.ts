// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { h } from "./dom";
import { KeyedRows } from "./keyed-rows";

interface Item { id: string; text: string }

function setup(): { parent: HTMLElement; rows: KeyedRows<Item>; made: string[] } {
  const parent = h("tbody");
  const made: string[] = [];
  const rows = new KeyedRows<Item>(parent, (i) => i.id, (i) => {
    made.push(i.id);
    return h("tr", { "data-id": i.id }, i.text);
  });
  return { parent, rows, made };
}
const ids = (p: Element): string[] => Array.from(p.children).map((c) => c.getAttribute("data-id") ?? "?");

describe("KeyedRows", () => {
  it("reuses unchanged rows, rebuilds changed ones, keeps the order and drops the rest", () => {
    const { parent, rows, made } = setup();
    rows.show([{ id: "a", text: "A" }, { id: "b", text: "B" }, { id: "c", text: "C" }]);
    const b = parent.children[1];
    made.length = 0;
    rows.show([{ id: "n", text: "N" }, { id: "b", text: "B" }, { id: "a", text: "A2" }]);
    expect(ids(parent)).toEqual(["n", "b", "a"]);
    expect(made).toEqual(["n", "a"]); // b reused; a changed
    expect(parent.children[1]).toBe(b);
    expect(parent.children[2]?.textContent).toBe("A2");
  });
  it("removes whatever else the parent held, and clear() forgets reuse", () => {
    const { parent, rows, made } = setup();
    parent.append(h("tr", { "data-id": "empty" }, "nothing"));
    rows.show([{ id: "a", text: "A" }]);
    expect(ids(parent)).toEqual(["a"]);
    rows.clear();
    parent.replaceChildren();
    made.length = 0;
    rows.show([{ id: "a", text: "A" }]);
    expect(made).toEqual(["a"]);
    rows.show([]);
    expect(parent.children.length).toBe(0);
  });
  it("makes a separate element for a repeated key", () => {
    const { parent, rows } = setup();
    rows.show([{ id: "a", text: "A" }, { id: "a", text: "A" }]);
    expect(parent.children.length).toBe(2);
    expect(parent.children[0]).not.toBe(parent.children[1]);
  });
});
