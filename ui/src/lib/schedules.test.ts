import { describe, expect, it } from "vitest";
import type { PostDueView } from "../ipc-types";
import { describeRule, msUntilNextMidnight, postedNotice, startScheduler } from "./schedules";

const rule = { frequency: "monthly", interval: 1, weekday: null, monthDay: "31", startDate: "2024-01-31", endDate: null, count: null };
const summary = (total: number, moreDue = false): PostDueView => ({
  posted: total > 0 ? [{ scheduleId: "s1", description: "Rent", posted: total, moreDue }] : [],
  totalPosted: total,
  reminders: [],
});

describe("describeRule", () => {
  it("says how a schedule repeats, month ends included", () => {
    expect(describeRule(rule)).toBe("Monthly on the 31st (or the month's last day)");
    expect(describeRule({ ...rule, monthDay: "2" })).toBe("Monthly on the 2nd");
    expect(describeRule({ ...rule, monthDay: "last", count: 3 })).toBe("Monthly on the last day, 3 times");
    expect(describeRule({ ...rule, frequency: "weekly", interval: 2, weekday: "mon", monthDay: null, endDate: "2025-01-01" })).toBe("Every 2 weeks on Monday, until 2025-01-01");
    expect(describeRule({ ...rule, frequency: "yearly", monthDay: null, startDate: "2024-02-29" })).toBe("Yearly on 02-29");
  });
});

describe("postedNotice", () => {
  it("counts what was posted and what is due", () => {
    expect(postedNotice(summary(3))).toBe("Posted 3 scheduled transactions");
    expect(postedNotice(summary(1))).toBe("Posted 1 scheduled transaction");
    expect(postedNotice(summary(0))).toBeNull();
  });
});

describe("startScheduler", () => {
  it("posts at start, again at once while more are due, then at the next midnight", async () => {
    const answers = [summary(1000, true), summary(5), summary(0)];
    const posted: number[] = [];
    const timers: number[] = [];
    let fire: (() => void) | null = null;
    const stop = startScheduler({
      post: () => Promise.resolve(answers.shift() ?? summary(0)),
      onPosted: (v) => posted.push(v.totalPosted),
      now: () => new Date(2026, 10, 30, 23, 59, 0),
      setTimer: (fn, ms) => ((fire = fn), timers.push(ms), timers.length),
      clearTimer: () => undefined,
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(posted).toEqual([1000, 5]);
    expect(timers).toEqual([65_000]);
    fire!();
    await new Promise((r) => setTimeout(r, 0));
    expect(posted).toEqual([1000, 5, 0]);
    stop();
  });

  it("waits until just after the next local midnight", () => {
    expect(msUntilNextMidnight(new Date(2026, 0, 1, 12, 0, 0), 0)).toBe(12 * 3600 * 1000);
  });
});
