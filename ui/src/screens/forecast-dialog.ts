// An account's cash-flow forecast: its projected balance for the next 90 days (today's balance,
// rows already dated later, and its schedules' occurrences, worked out by Rust), as a line with a
// point per week and the same figures in a table (the chart is never the only way to read them).
// Amounts reach the chart as numbers for its geometry only; every amount shown is the exact string.
import { api } from "../api";
import type { Session } from "../context";
import type { AccountView, ForecastDayView } from "../ipc-types";
import { formatDate } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { chartNumber } from "../lib/report-shape";
import { barLineChart } from "../ui/charts";
import { openDialog } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { loadingBlock } from "./common";

/** The days shown: today, then every 7th day, and the last. */
export function weeklyPoints(days: readonly ForecastDayView[]): ForecastDayView[] {
  return days.filter((_, i) => i % 7 === 0 || i === days.length - 1);
}

export function openForecast(session: Session, account: AccountView, trigger: HTMLElement): void {
  const body = h("div", { id: "forecast-body", "aria-busy": "true" }, loadingBlock());
  openDialog({ title: `${account.name}: the next 90 days`, testId: "forecast-dialog", returnFocus: trigger, body: () => body });
  void api
    .accountForecast({ accountId: account.id, days: 90 })
    .then((days) => {
      const points = weeklyPoints(days);
      const chart = barLineChart({
        id: "forecast-chart",
        label: `Projected balance of ${account.name} over the next 90 days, from ${session.money(days[0]?.balance ?? "0")} to ${session.money(days.at(-1)?.balance ?? "0")}`,
        groups: points.map((p) => ({ label: formatDate(p.date, session.locale).replace(/,? \d{4}$/, ""), title: `${formatDate(p.date, session.locale)}: ${session.money(p.balance)}` })),
        bars: [],
        line: { name: "Projected balance", className: "net", values: points.map((p) => chartNumber(p.balance)) },
        locale: session.locale,
      });
      const table = h("table", { class: "table compact", id: "forecast-table" },
        h("thead", null, h("tr", null, h("th", { scope: "col" }, "Date"), h("th", { scope: "col", class: "num" }, "Balance"))),
        h("tbody", null, points.map((p) => h("tr", null, h("td", null, formatDate(p.date, session.locale)), h("td", { class: "amount num", "data-amount": p.balance }, session.money(p.balance))))));
      setChildren(body, chart, table);
    })
    .catch((e: unknown) => setChildren(body, h("p", { class: "muted" }, describeError(toApiError(e)))))
    .finally(() => body.setAttribute("aria-busy", "false"));
}
