import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FormSuggestionView, SuggestForInput } from "../ipc-types";
import { SuggestionController, suggestionText } from "./suggest";

const learned = (description: string): FormSuggestionView => ({
  source: "learned", ruleId: null, ruleName: null, categoryId: "c1", categoryName: "Groceries",
  description, note: null, amount: "12.30", type: "expense",
});

describe("the form's suggestion", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("asks once per pause in typing and shows the answer", async () => {
    const fetch = vi.fn((i: SuggestForInput) => Promise.resolve(learned(i.description)));
    const shown: (FormSuggestionView | null)[] = [];
    const c = new SuggestionController({ fetch, onChange: (s) => shown.push(s), delayMs: 100 });
    c.typed({ description: "T" });
    c.typed({ description: "Te" });
    c.typed({ description: "Tes" });
    await vi.advanceTimersByTimeAsync(100);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith({ description: "Tes" });
    expect(c.current()?.description).toBe("Tes");
    expect(shown).toHaveLength(1);
  });

  it("drops an answer for text that has changed since (the latest request wins)", async () => {
    let release: (s: FormSuggestionView) => void = () => undefined;
    const slow = new Promise<FormSuggestionView>((r) => (release = r));
    const fetch = vi.fn((i: SuggestForInput) => (i.description === "Te" ? slow : Promise.resolve(learned(i.description))));
    const c = new SuggestionController({ fetch, onChange: () => undefined, delayMs: 10 });
    c.typed({ description: "Te" });
    await vi.advanceTimersByTimeAsync(10);
    c.typed({ description: "Tesco" });
    await vi.advanceTimersByTimeAsync(10);
    release(learned("Te"));
    await vi.advanceTimersByTimeAsync(0);
    expect(c.current()?.description).toBe("Tesco");
  });

  it("clears on a blank description, shows nothing on a failure, and hands the suggestion over once", async () => {
    const fetch = vi.fn((i: SuggestForInput) => (i.description === "bad" ? Promise.reject(new Error("x")) : Promise.resolve(learned(i.description))));
    const c = new SuggestionController({ fetch, onChange: () => undefined, delayMs: 10 });
    c.typed({ description: "Tesco" });
    await vi.advanceTimersByTimeAsync(10);
    const filled: string[] = [];
    expect(c.accept((s) => filled.push(s.description))).toBe(true);
    expect(filled).toEqual(["Tesco"]);
    expect(c.accept(() => undefined), "accepted once").toBe(false);
    c.typed({ description: "bad" });
    await vi.advanceTimersByTimeAsync(10);
    expect(c.current()).toBeNull();
    c.typed({ description: "Tesco" });
    c.typed({ description: "  " });
    await vi.advanceTimersByTimeAsync(10);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(c.current()).toBeNull();
  });

  it("reads as its source", () => {
    expect(suggestionText(learned("Tesco"), (a) => `€${a}`)).toBe("Tesco · Groceries · €12.30 (last time)");
    expect(suggestionText({ ...learned("Tesco"), source: "rule", ruleName: "Supermarkets", amount: null }, (a) => a)).toBe("Tesco · Groceries (rule “Supermarkets”)");
  });
});
