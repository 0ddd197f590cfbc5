import { describe, expect, it } from "vitest";
import { SubmissionKey, newIdempotencyKey } from "./idempotency";

const counter = (): (() => string) => {
  let n = 0;
  return () => `key-${String(++n).padStart(16, "0")}`;
};

describe("newIdempotencyKey", () => {
  it("makes distinct UUIDs the backend accepts (16–64 of A–Z a–z 0–9 - _)", () => {
    const keys = new Set(Array.from({ length: 200 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(200);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("SubmissionKey", () => {
  const request = { amount: "2.50", description: "Bread" };

  it("reuses the key when the same request is retried after an unavailable error", async () => {
    const k = new SubmissionKey(counter());
    const sent: string[] = [];
    const fail = async (key: string): Promise<never> => {
      sent.push(key);
      throw { code: "unavailable", message: "down" };
    };
    await expect(k.run(request, fail, (e) => e as { code: "unavailable" })).rejects.toMatchObject({ code: "unavailable" });
    await k.run({ ...request }, async (key) => sent.push(key), () => ({ code: "internal" }));
    expect(sent).toEqual(["key-0000000000000001", "key-0000000000000001"]);
    // After the success the next submission is a new write with a new key.
    await k.run(request, async (key) => sent.push(key), () => ({ code: "internal" }));
    expect(sent[2]).toBe("key-0000000000000002");
  });

  it("makes a new key after a definite refusal or when the request changes", () => {
    const k = new SubmissionKey(counter());
    const first = k.for(request);
    k.settle({ code: "validation" });
    expect(k.for(request)).not.toBe(first);
    const second = k.for(request);
    k.settle({ code: "unavailable" });
    expect(k.for(request)).toBe(second);
    expect(k.for({ ...request, amount: "2.51" })).not.toBe(second);
  });
});
