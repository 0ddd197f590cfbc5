// The Dashboard's "Upcoming (a month)": each schedule's occurrences not yet posted, overdue
// reminders first, with Post now / Skip on each schedule's next one (occurrences are handled in
// order, a rule of the Rust side). A write answers the schedule; the card reloads its list, and
// again when the app posts what fell due (the `schedules-posted` event, see app.ts).
import { api } from "../api";
import type { AppContext } from "../context";
import type { OccurrenceView } from "../ipc-types";
import { todayLocal } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { h, setChildren } from "../ui/dom";
import { toast } from "../ui/toast";
import { loadingBlock, transactionDate } from "./common";

/**
 * How far ahead the card looks, in days: a month at its longest, so a monthly bill's next
 * occurrence is always on the card (from the 1st of a 31-day month the next 1st is 31 days
 * away; 30 days hid it on those days).
 */
export const UPCOMING_DAYS = 31;

/** The card, and a reload (after the start-up posting changed what is due). */
export function upcomingCard(ctx: AppContext): { el: HTMLElement; reload: () => void } {
  const { session } = ctx;
  const body = h("div", { id: "dash-upcoming-list", "aria-busy": "true" }, loadingBlock());
  const card = h("section", { class: "card", "aria-labelledby": "dash-upcoming", id: "dash-upcoming-card" },
    h("div", { class: "card-head" }, h("h2", { id: "dash-upcoming" }, "Upcoming (a month)"),
      h("button", { type: "button", class: "link", onclick: () => ctx.navigate("schedules") }, "Schedules")),
    body);

  const act = async (o: OccurrenceView, skip: boolean): Promise<void> => {
    try {
      const input = { scheduleId: o.schedule.id, date: o.date };
      if (skip) await api.skipOccurrence(input);
      else await api.postOccurrenceNow(input);
      toast(skip ? `Skipped “${o.schedule.description}” of ${o.date}` : `Posted “${o.schedule.description}”`, { kind: "success" });
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
    }
    void load();
  };

  const row = (o: OccurrenceView): HTMLElement => {
    const overdue = o.date < todayLocal();
    const buttons = o.next
      ? h("span", { class: "row-actions" },
          h("button", { type: "button", class: "link", "data-action": "post-now", onclick: () => void act(o, false) }, "Post now"),
          h("button", { type: "button", class: "link", "data-action": "skip", onclick: () => void act(o, true) }, "Skip"))
      : null;
    return h("li", { class: `latest-item${overdue ? " overdue" : ""}`, "data-schedule": o.schedule.id, "data-date": o.date },
      h("span", { class: "latest-main" }, h("span", { class: "latest-desc" }, o.schedule.description),
        h("span", { class: "muted small" }, transactionDate(session, o.date), o.schedule.mode === "remind" ? " · reminder" : "", overdue ? " · due" : "")),
      h("span", { class: "amount", "data-amount": o.schedule.amount }, session.money(o.schedule.amount)),
      buttons);
  };

  async function load(): Promise<void> {
    body.setAttribute("aria-busy", "true");
    try {
      const list = await api.upcomingSchedules({ days: UPCOMING_DAYS });
      setChildren(body, list.length === 0
        ? h("p", { class: "empty muted" }, "Nothing scheduled in the next month.")
        : h("ul", { class: "latest-list", id: "upcoming-list" }, list.map(row)));
    } catch (e) {
      setChildren(body, h("p", { class: "muted" }, describeError(toApiError(e))));
    } finally {
      body.setAttribute("aria-busy", "false");
    }
  }
  void load();
  return { el: card, reload: () => void load() };
}
