// One budget's progress: role=progressbar with aria-valuenow, classes ok/warning/over,
// the fill capped visually at 100%.
import type { BudgetView, Period } from "../ipc-types";
import { formatDateRange } from "../lib/dates";
import { absDecimal, isNegative, type MoneyFormatter } from "../lib/money";
import { h, type Child } from "./dom";

export const PERIOD_LABELS: Readonly<Record<Period, string>> = { weekly: "Weekly", monthly: "Monthly", yearly: "Yearly" };

const STATE_TEXT = { ok: "On track", warning: "Close to the limit", over: "Over budget" } as const;

/** Width of the fill in percent: 0–100 whatever the server's percent is. */
export function barWidth(percent: number): number {
  if (!Number.isFinite(percent) || percent <= 0) return 0;
  return Math.min(100, percent);
}

export function budgetBar(b: BudgetView, money: MoneyFormatter, locale?: string, actions?: Child): HTMLElement {
  const pct = Number.isFinite(b.percent) ? Math.max(0, Math.round(b.percent)) : 0;
  const fill = h("div", { class: "progress-fill" });
  fill.style.setProperty("width", `${barWidth(b.percent)}%`);
  const labelId = `budget-${b.id}-label`;
  const bar = h(
    "div",
    {
      class: `progress ${b.state}`,
      role: "progressbar",
      "aria-valuemin": 0,
      "aria-valuemax": Math.max(100, pct),
      "aria-valuenow": pct,
      "aria-valuetext": `${pct}% of the limit used, ${STATE_TEXT[b.state].toLowerCase()}`,
      "aria-labelledby": labelId,
    },
    fill,
  );
  const remaining = isNegative(b.remaining) ? `${money(absDecimal(b.remaining))} over` : `${money(b.remaining)} left`;
  return h(
    "article",
    { class: `budget budget-${b.state}`, "data-id": b.id, "data-budget-state": b.state, "data-testid": "budget" },
    h(
      "div",
      { class: "budget-head" },
      h("h3", { id: labelId, class: "budget-name" }, b.categoryName, h("span", { class: "budget-period" }, ` · ${PERIOD_LABELS[b.period]}`)),
      h("span", { class: `badge badge-${b.state}` }, STATE_TEXT[b.state]),
    ),
    bar,
    h(
      "div",
      { class: "budget-figures" },
      h("span", { class: "amount" }, `${money(b.spent)} of ${money(b.limit)}`, h("span", { class: "muted" }, ` (${pct}%)`)),
      h("span", { class: `amount remaining ${isNegative(b.remaining) ? "negative" : ""}` }, remaining),
    ),
    h("div", { class: "budget-foot" }, h("span", { class: "muted small" }, formatDateRange(b.periodStart, b.periodEnd, locale)), actions ?? null),
  );
}
