// ‹ previous / next › through months (Dashboard, Budgets): the shown month's name between two
// buttons, and "This month" to come back. The stepper holds the month (its first day, ISO) and
// tells its owner on each step; the owner loads and may show the month's figures.
import { formatMonth, monthRange } from "../lib/dates";
import { addMonths } from "../lib/periods";
import { h } from "./dom";

export interface MonthStepper {
  el: HTMLElement;
  /** A day of the shown month (ISO), or null for this month. */
  date(): string | null;
}

/** The first day of the month `offset` months from the month containing `iso`. */
export function monthStep(iso: string, offset: number): string {
  const [year, month] = addMonths(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), offset);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-01`;
}

export function monthStepper(opts: { id: string; today: () => string; locale: string | undefined; onStep: (date: string | null) => void }): MonthStepper {
  let shown: string | null = null; // first day of the shown month; null = this month
  const current = (): string => monthRange(opts.today()).from;
  const label = h("span", { class: "month-label", id: `${opts.id}-label`, "aria-live": "polite" });
  const prev = h("button", { type: "button", class: "secondary icon-button", id: `${opts.id}-prev`, "aria-label": "Previous month", title: "Previous month" }, "‹");
  const next = h("button", { type: "button", class: "secondary icon-button", id: `${opts.id}-next`, "aria-label": "Next month", title: "Next month" }, "›");
  const back = h("button", { type: "button", class: "link", id: `${opts.id}-today` }, "This month");
  const show = (): void => {
    const month = shown ?? current();
    label.textContent = formatMonth(month, opts.locale);
    label.dataset["month"] = month.slice(0, 7);
    back.hidden = shown === null;
  };
  const step = (offset: number): void => {
    const target = monthStep(shown ?? current(), offset);
    shown = target === current() ? null : target;
    show();
    opts.onStep(shown);
  };
  prev.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));
  back.addEventListener("click", () => {
    shown = null;
    show();
    opts.onStep(null);
  });
  show();
  return { el: h("div", { class: "month-stepper", id: opts.id }, prev, label, next, back), date: () => shown };
}
