// Schedules (recurring transactions) in the UI: how a schedule's rule reads, the notice after
// posting, and when to post again (the local date rolling over at midnight while the app runs).
// The rules themselves (which dates fall due, posting once) are Rust's; nothing here decides a date.
import type { PostDueView, ScheduleFields } from "../ipc-types";

/** The DOM event the app sends on `document` after posting something (screens showing figures reload). */
export const SCHEDULES_POSTED = "schedules-posted";

export const WEEKDAYS: readonly { value: string; label: string }[] = [
  { value: "mon", label: "Monday" },
  { value: "tue", label: "Tuesday" },
  { value: "wed", label: "Wednesday" },
  { value: "thu", label: "Thursday" },
  { value: "fri", label: "Friday" },
  { value: "sat", label: "Saturday" },
  { value: "sun", label: "Sunday" },
];

export const FREQUENCIES: readonly { value: string; label: string; unit: string }[] = [
  { value: "daily", label: "Daily", unit: "day" },
  { value: "weekly", label: "Weekly", unit: "week" },
  { value: "monthly", label: "Monthly", unit: "month" },
  { value: "yearly", label: "Yearly", unit: "year" },
];

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? "" : "s"}`;

function ordinal(n: number): string {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  const suffix = n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n}${suffix}`;
}

/** "Monthly on the 31st (or the month's last day)", "Every 2 weeks on Monday", … */
export function describeRule(f: Pick<ScheduleFields, "frequency" | "interval" | "weekday" | "monthDay" | "startDate" | "endDate" | "count">): string {
  const every = f.interval ?? 1;
  const freq = FREQUENCIES.find((x) => x.value === f.frequency);
  const head = !freq ? f.frequency : every === 1 ? freq.label : `Every ${plural(every, freq.unit)}`;
  let on = "";
  if (f.frequency === "weekly" && f.weekday) on = ` on ${WEEKDAYS.find((w) => w.value === f.weekday)?.label ?? f.weekday}`;
  if (f.frequency === "monthly" && f.monthDay) {
    const day = Number(f.monthDay);
    on = f.monthDay === "last" ? " on the last day" : ` on the ${ordinal(day)}${day >= 29 ? " (or the month's last day)" : ""}`;
  }
  if (f.frequency === "yearly") on = ` on ${f.startDate.slice(5)}`;
  const end = f.count != null ? `, ${plural(f.count, "time")}` : f.endDate ? `, until ${f.endDate}` : "";
  return `${head}${on}${end}`;
}

/** The notice after posting ("Posted 3 scheduled transactions"); null when nothing happened. */
export function postedNotice(v: PostDueView): string | null {
  const parts: string[] = [];
  if (v.totalPosted > 0) parts.push(`Posted ${plural(v.totalPosted, "scheduled transaction")}`);
  if (v.reminders.length > 0) parts.push(`${plural(v.reminders.length, "reminder")} due`);
  return parts.length === 0 ? null : parts.join(" · ");
}

/** Milliseconds from `now` to the next local midnight, plus a small margin. */
export function msUntilNextMidnight(now: Date, marginMs = 5_000): number {
  const next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 0, 0);
  return Math.max(1_000, next.getTime() - now.getTime() + marginMs);
}

export interface SchedulerDeps {
  post: () => Promise<PostDueView>;
  onPosted: (v: PostDueView) => void;
  onError?: (e: unknown) => void;
  now?: () => Date;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Post what is due now, then again after each local midnight while the app runs. A summary
 * saying more are due (a schedule missed for years posts 1,000 per call) is followed by another
 * call at once. Returns a function that stops it (sign-out).
 */
export function startScheduler(deps: SchedulerDeps): () => void {
  const now = deps.now ?? (() => new Date());
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let stopped = false;
  let timer: unknown = null;
  const run = async (round: number): Promise<void> => {
    if (stopped) return;
    try {
      const v = await deps.post();
      if (stopped) return;
      deps.onPosted(v);
      if (v.posted.some((p) => p.moreDue) && round < 50) return run(round + 1);
    } catch (e) {
      deps.onError?.(e);
    }
    if (!stopped) timer = setTimer(() => void run(0), msUntilNextMidnight(now()));
  };
  void run(0);
  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
  };
}
