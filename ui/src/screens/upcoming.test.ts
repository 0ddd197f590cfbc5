import { describe, expect, it } from "vitest";
import { UPCOMING_DAYS } from "./upcoming";

// The card promises a month ahead: whatever today is, the same day of the next month (or that
// month's last day, as monthly schedules clamp) is within UPCOMING_DAYS.
describe("UPCOMING_DAYS", () => {
  it("reaches the same day of next month from every day of a leap year and the year after", () => {
    const msPerDay = 86_400_000;
    for (let d = Date.UTC(2028, 0, 1); d < Date.UTC(2030, 0, 1); d += msPerDay) {
      const today = new Date(d);
      const y = today.getUTCFullYear();
      const m = today.getUTCMonth();
      const lastOfNext = new Date(Date.UTC(y, m + 2, 0)).getUTCDate();
      const next = Date.UTC(y, m + 1, Math.min(today.getUTCDate(), lastOfNext));
      const gap = (next - d) / msPerDay;
      expect(gap, `from ${today.toISOString().slice(0, 10)} the next month's occurrence is ${gap} days away`).toBeLessThanOrEqual(UPCOMING_DAYS);
    }
  });
});
