import { describe, expect, it } from "vitest";
import { passwordStrength, validateNewPassword } from "./password";

describe("passwordStrength", () => {
  it("marks anything under 8 characters as too short and says how many are missing", () => {
    const s = passwordStrength("Ab1!x");
    expect(s.score).toBe(0);
    expect(s.label).toBe("Too short");
    expect(s.longEnough).toBe(false);
    expect(s.hints[0]).toMatch(/3 more characters/);
    expect(passwordStrength("").hints[0]).toMatch(/at least 8/);
  });
  it("counts characters, not UTF-16 units", () => {
    // 7 emoji are 14 UTF-16 units but 7 characters.
    expect(passwordStrength("😀😀😀😀😀😀😀").longEnough).toBe(false);
    expect(passwordStrength("😀😀😀😀😀😀😀😀").longEnough).toBe(true);
  });
  it("rewards length and character classes", () => {
    const weak = passwordStrength("lowercaseonly");
    const fair = passwordStrength("Lowercase12");
    const strong = passwordStrength("Correct Horse 9 Battery!");
    expect(weak.score).toBe(1);
    expect(weak.hints).toContain("Add digits");
    expect(fair.score).toBeGreaterThan(weak.score);
    expect(strong.score).toBe(4);
    expect(strong.label).toBe("Strong");
    expect(strong.hints).toEqual([]);
  });
  it("refuses what the server refuses: the username and common passwords", () => {
    expect(passwordStrength("Alice.Smith", "alice.smith")).toMatchObject({ score: 0, label: "Not allowed" });
    expect(passwordStrength("Password123")).toMatchObject({ score: 0, label: "Not allowed" });
    expect(passwordStrength("x".repeat(129))).toMatchObject({ score: 0, longEnough: false });
  });
  it("does not reward repeated or sequential runs", () => {
    expect(passwordStrength("aaaaaaaaaaaaaaaaaaaa").score).toBe(1);
    expect(passwordStrength("abcdefghijklmnop").score).toBe(1);
    expect(passwordStrength("abcdefghijklmnop").hints[0]).toMatch(/repeated or sequential/);
  });
  it("caps passwords that contain the username", () => {
    expect(passwordStrength("bobby-Secret-42-!", "bobby").score).toBeLessThanOrEqual(2);
  });
});

describe("validateNewPassword", () => {
  it("mirrors the server's rules", () => {
    expect(validateNewPassword("")).toBe("is required");
    expect(validateNewPassword("short")).toBe("must be at least 8 characters");
    expect(validateNewPassword("y".repeat(129))).toBe("must be at most 128 characters");
    expect(validateNewPassword("Alice.Smith", " alice.smith ")).toBe("must not be the same as the username");
    expect(validateNewPassword("PASSWORD123")).toMatch(/most common/);
    expect(validateNewPassword("a perfectly fine passphrase")).toBeNull();
  });
});
