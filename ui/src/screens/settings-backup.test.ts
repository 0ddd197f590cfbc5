import { describe, expect, it } from "vitest";
import { autoBackupsSummary, passphraseProblem } from "./settings-backup";

describe("backup settings", () => {
  it("accepts no passphrase (a plain backup) or one of at least 8 characters, counted as characters", () => {
    expect(passphraseProblem("")).toBeNull();
    expect(passphraseProblem("short")).toBe("must be at least 8 characters");
    expect(passphraseProblem("correct horse")).toBeNull();
    // Emoji are one character each, as the Rust side counts them.
    expect(passphraseProblem("🥐🥐🥐🥐🥐🥐🥐")).toBe("must be at least 8 characters");
    expect(passphraseProblem("🥐🥐🥐🥐🥐🥐🥐🥐")).toBeNull();
  });

  it("says what the automatic backups keep, and that MongoDB has none", () => {
    expect(autoBackupsSummary({ available: false, keep: 7, backups: [] })).toContain("local store only");
    expect(autoBackupsSummary({ available: true, keep: 1, backups: [] })).toBe("Keeping the last 1 daily backup in the data folder. None yet.");
    expect(
      autoBackupsSummary({ available: true, keep: 7, backups: [{ name: "a", date: "2026-11-30", sizeKib: 12 }, { name: "b", date: "2026-11-29", sizeKib: 11 }] }),
    ).toBe("Keeping the last 7 daily backups in the data folder. Newest: 2026-11-30.");
  });
});
