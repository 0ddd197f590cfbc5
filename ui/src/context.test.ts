import { describe, expect, it } from "vitest";
import { CategoryCache } from "./context";
import type { CategoryView } from "./ipc-types";

const food: CategoryView = { id: "c1", name: "Food", type: "expense" };
const pay: CategoryView = { id: "c2", name: "Pay", type: "income" };

/** A fetch that counts its calls and answers each with the list given, or fails when it is null. */
function fetcher(...answers: (CategoryView[] | null)[]): { fetch: () => Promise<CategoryView[]>; count: () => number } {
  let n = 0;
  return {
    fetch: async () => {
      const a = answers[Math.min(n++, answers.length - 1)];
      if (!a) throw { code: "unavailable", message: "down", field: null, retryAfterSecs: null };
      return a.map((c) => ({ ...c }));
    },
    count: () => n,
  };
}

describe("CategoryCache", () => {
  it("fetches once, sharing one call between callers that ask at the same time", async () => {
    const f = fetcher([food]);
    const cache = new CategoryCache(f.fetch);
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(await cache.get(), "later callers get the kept list").toEqual([food]);
    expect(f.count(), "one list_categories call for all three").toBe(1);
    a.pop();
    expect(b, "each caller gets its own copy").toEqual([food]);
    expect(await cache.get(), "a caller changing its copy does not change the cache").toEqual([food]);
  });

  it("keeps writes without fetching again, and fetches again after invalidate", async () => {
    const f = fetcher([food], [food, pay]);
    const cache = new CategoryCache(f.fetch);
    cache.put(pay);
    expect(f.count(), "a write before the first fetch fetches nothing").toBe(0);
    await cache.get();
    cache.put({ ...food, name: "Groceries" });
    cache.put(pay);
    expect(await cache.get(), "a rename replaces, an add inserts").toEqual([{ ...food, name: "Groceries" }, pay]);
    cache.remove("c1");
    expect(await cache.get(), "a delete removes").toEqual([pay]);
    expect(f.count(), "all from the one fetch").toBe(1);
    cache.invalidate();
    expect(await cache.get(), "fetched again after invalidate").toEqual([food, pay]);
    expect(f.count(), "a second call").toBe(2);
  });

  it("applies a write made while the fetch is in flight, and does not keep a failed fetch", async () => {
    const cache = new CategoryCache(fetcher([food]).fetch);
    const pending = cache.get();
    cache.put(pay);
    expect(await pending, "the caller of the in-flight fetch sees the list as fetched").toEqual([food]);
    expect(await cache.get(), "the write made meanwhile is kept").toEqual([food, pay]);

    const failing = fetcher(null, [food]);
    const retrying = new CategoryCache(failing.fetch);
    await expect(retrying.get(), "the failure reaches the caller").rejects.toMatchObject({ code: "unavailable" });
    expect(await retrying.get(), "the next get tries again").toEqual([food]);
    expect(failing.count(), "two calls: the failed one and the retry").toBe(2);
  });
});
