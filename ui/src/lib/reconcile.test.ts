import { describe, expect, it } from "vitest";
import { Ticks } from "./reconcile";

const row = (id: string, status: "uncleared" | "cleared" | "reconciled" = "uncleared") => ({ id, status });

describe("Ticks", () => {
  it("checks cleared rows from the start and ticks uncleared ones locally", () => {
    const t = new Ticks();
    const [a, b] = [row("a"), row("b", "cleared")];
    expect([t.checked(a), t.checked(b)], "only the cleared row starts checked").toEqual([false, true]);
    expect(t.toggle(a)).toBe("tick");
    expect(t.checked(a)).toBe(true);
    expect(t.ids([a, b]), "only local ticks are sent; the cleared row counts on the server already").toEqual(["a"]);
    expect(t.toggle(a)).toBe("untick");
    expect(t.ids([a, b])).toEqual([]);
  });

  it("asks the server to unclear a cleared row instead of holding a local untick", () => {
    const t = new Ticks();
    expect(t.toggle(row("b", "cleared"))).toBe("unclear");
    expect(t.size, "nothing held locally").toBe(0);
  });

  it("ticks all uncleared rows, and drops ticks of rows no longer listed", () => {
    const t = new Ticks();
    const rows = [row("a"), row("b", "cleared"), row("c")];
    t.tickAll(rows);
    expect(t.ids(rows)).toEqual(["a", "c"]);
    t.keepListed([row("a")]);
    expect(t.ids(rows), "c left the list (dated after a new statement date)").toEqual(["a"]);
    t.keepListed([row("a", "cleared")]);
    expect(t.size, "a row the server now has as cleared needs no local tick").toBe(0);
  });

  it("sends ids in list order whatever the click order", () => {
    const t = new Ticks();
    const rows = [row("a"), row("b"), row("c")];
    t.toggle(rows[2]!);
    t.toggle(rows[0]!);
    expect(t.ids(rows)).toEqual(["a", "c"]);
  });
});
