// The mock backend's schedules (see mock-backend.ts for the rules of the mock: no server rules,
// canned figures). Schedules are kept as their form fields; nothing is ever posted by post_due
// (a test queues a summary with `respondOnce`); Upcoming lists each active schedule's next date;
// Post now and Skip move it to the same day a month later; the forecast is flat at the account's
// opening balance.
import type { ForecastDayView, OccurrenceView, PostDueView, ScheduleFields, ScheduleView, TransactionView } from "../ipc-types";
import { ipcError } from "./mock-backend";

type Input = Record<string, unknown>;

function monthLater(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const next = new Date(y, m, Math.min(d, new Date(y, m + 1, 0).getDate()));
  return `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}-${String(next.getDate()).padStart(2, "0")}`;
}

function fields(i: Input): ScheduleFields {
  const s = (k: string): string => (typeof i[k] === "string" ? (i[k] as string) : "");
  const o = (k: string): string | null => (typeof i[k] === "string" && i[k] !== "" ? (i[k] as string) : null);
  const n = (k: string): number | null => (typeof i[k] === "number" ? (i[k] as number) : null);
  return {
    accountId: s("accountId"), categoryId: o("categoryId"), toAccountId: o("toAccountId"), amount: s("amount"), description: s("description"), note: o("note"),
    frequency: s("frequency") || "monthly", interval: n("interval"), weekday: o("weekday"), monthDay: o("monthDay"), startDate: s("startDate"), endDate: o("endDate"), count: n("count"), mode: s("mode") || "post",
  };
}

export class MockSchedules {
  private list: ScheduleView[] = [];
  private seq = 1;

  constructor(private readonly today: string) {}

  handlers(tx: (id: string) => TransactionView, opening: (accountId: string) => string): Record<string, (i: Input) => unknown> {
    const find = (id: unknown): ScheduleView => {
      const s = this.list.find((x) => x.id === id);
      if (!s) throw ipcError("not_found", "schedule not found");
      return s;
    };
    const advance = (i: Input): ScheduleView => {
      const s = find(i["scheduleId"]);
      s.handledThrough = String(i["date"]);
      s.nextDate = monthLater(String(i["date"]));
      return { ...s };
    };
    return {
      list_schedules: () => this.list.map((s) => ({ ...s })),
      add_schedule: (i) => {
        const f = fields(i);
        const s: ScheduleView = { id: `sched${this.seq++}`, ...f, paused: false, nextDate: f.startDate, handledThrough: null };
        this.list.push(s);
        return { ...s };
      },
      update_schedule: (i) => ({ ...Object.assign(find(i["id"]), fields(i)) }),
      set_schedule_paused: (i) => ({ ...Object.assign(find(i["id"]), { paused: i["paused"] === true }) }),
      delete_schedule: (i) => ((this.list = this.list.filter((s) => s !== find(i["id"]))), null),
      post_due_schedules: (): PostDueView => ({ posted: [], totalPosted: 0, reminders: [] }),
      upcoming_schedules: (): OccurrenceView[] =>
        this.list
          .filter((s) => !s.paused && s.nextDate !== null)
          .map((s) => ({ schedule: { ...s }, date: s.nextDate ?? this.today, next: true }))
          .sort((a, b) => (a.date < b.date ? -1 : 1)),
      post_occurrence_now: advance,
      skip_occurrence: advance,
      schedule_from_transaction: (i): ScheduleFields => {
        const t = tx(String(i["id"]));
        return {
          accountId: t.accountId, categoryId: t.categoryId || null, toAccountId: null, amount: t.amount, description: t.description, note: t.note,
          frequency: "monthly", interval: 1, weekday: null, monthDay: String(Number(t.date.slice(8))), startDate: monthLater(t.date), endDate: null, count: null, mode: "post",
        };
      },
      account_forecast: (i): ForecastDayView[] => [{ date: this.today, balance: opening(String(i["accountId"])) }],
    };
  }
}
