// Reports: a period picker and an account filter (every part of the report counts only that
// account's rows); spending by category (donut + table); income vs expense for the 12 months
// ending with the period (grouped bars + net line + table); net worth at the end of each of those
// months (assets and liabilities bars + net line + table; every account, whatever the filter:
// net worth is the sum of all of them); budget vs actual (bars with the limit marked + table);
// largest expenses and most frequent descriptions (tables).
// Every chart has its table as the text alternative and an aria-label summary; the charts are
// inline SVG (ui/charts.ts), built with the tables in one go.
import { api } from "../api";
import type { AppContext, Screen } from "../context";
import type { BudgetActualView, NetWorthMonthView, ReportView } from "../ipc-types";
import { todayLocal, formatDateRange } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { isNegative, negateDecimal } from "../lib/money";
import { customRangeProblem, monthKeyRange, PERIOD_OPTIONS, periodRange, type DateRangeText, type PeriodKind } from "../lib/periods";
import { ALL_ACCOUNTS, keptAccountChoice, latestNetWorth, netWorthRange, netWorthSeries, netWorthSummary, reportAccountOptions } from "../lib/report-accounts";
import { budgetSeries, donutSlices, donutSummary, isEmptyPeriod, monthLabel, monthlySeries, monthlySummary, percentText, chartNumber, shortMonth, sumDecimals } from "../lib/report-shape";
import { PERIOD_LABELS } from "../ui/budget-bar";
import { barLineChart, donutChart, limitBarChart, PALETTE_SIZE } from "../ui/charts";
import { h, setChildren, type Child } from "../ui/dom";
import { buildOptions, inputField, selectField } from "../ui/form";
import { amountCell, errorBlock, loadingBlock, pageHeader, transactionDate } from "./common";

const BUDGET_STATE_TEXT = { ok: "On track", warning: "Close to the limit", over: "Over budget" } as const;

export function renderReports(ctx: AppContext): Screen {
  const { session } = ctx;
  const money = session.money;
  const locale = session.locale;
  /** Axis numbers and percentages follow the number format (Settings → Formats). */
  const numberLocale = session.formats.numberLocale;
  let disposed = false;
  let seq = 0;

  // ---- period picker
  const period = selectField({ name: "period", label: "Period", id: "report-period", value: "this_month", options: PERIOD_OPTIONS.map((o) => ({ value: o.value, label: o.label })) });
  const initial = periodRange("this_month", todayLocal());
  const from = inputField({ name: "from", label: "From", type: "date", id: "report-from", value: initial.from });
  const to = inputField({ name: "to", label: "To", type: "date", id: "report-to", value: initial.to });
  const apply = h("button", { type: "submit", class: "secondary", id: "report-apply" }, "Show");
  const custom = h("div", { class: "report-custom", hidden: true }, from.wrapper, to.wrapper, h("div", { class: "filter-actions" }, apply));
  // ---- account filter: every account until the list is in (then the open ones, and archived ones with rows)
  const account = selectField({ name: "account", label: "Account", id: "report-account", value: ALL_ACCOUNTS.value, options: [ALL_ACCOUNTS] });
  let accountOptions = [ALL_ACCOUNTS];
  // The first report is of every account, so it does not wait for the list.
  void session.accounts
    .get()
    .then((list) => {
      if (disposed) return;
      const chosen = account.control.value;
      accountOptions = reportAccountOptions(list);
      buildOptions(account.control, accountOptions, keptAccountChoice(accountOptions, chosen));
    })
    .catch(() => undefined); // the filter stays at every account; the report itself shows any error
  const periodForm = h("form", { class: "filter-bar card report-period", id: "report-period-form", "aria-label": "Report period and account" }, period.wrapper, account.wrapper, custom);
  const rangeText = h("p", { class: "muted subtitle", id: "report-range", "aria-live": "polite" });
  const body = h("div", { class: "reports", id: "report-body", "aria-busy": "true" }, loadingBlock());

  const el = h("div", { class: "screen", "data-screen": "reports" }, pageHeader("Reports"), periodForm, rangeText, body);

  const currentRange = (): DateRangeText | null => {
    const kind = period.control.value as PeriodKind;
    from.error.textContent = "";
    to.error.textContent = "";
    if (kind !== "custom") return periodRange(kind, todayLocal());
    const problem = customRangeProblem(from.control.value, to.control.value);
    if (problem) {
      const f = problem.field === "from" ? from : to;
      f.error.textContent = problem.message;
      f.control.setAttribute("aria-invalid", "true");
      f.control.focus();
      return null;
    }
    from.control.removeAttribute("aria-invalid");
    to.control.removeAttribute("aria-invalid");
    return { from: from.control.value, to: to.control.value };
  };

  period.control.addEventListener("change", () => {
    const custom_ = period.control.value === "custom";
    custom.hidden = !custom_;
    if (!custom_) void load();
    else from.control.focus();
  });
  account.control.addEventListener("change", () => void load());
  periodForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void load();
  });

  const openTransactions = (filters: { from: string; to: string; categoryId?: string; type?: "income" | "expense" }): void => {
    ctx.navigate("transactions", { filters });
  };

  // ---- sections
  const figure = (id: string, label: string, amount: string, cls: string): HTMLElement =>
    h("section", { class: `card stat ${cls}`, "aria-labelledby": `${id}-label` }, h("h2", { id: `${id}-label`, class: "stat-label" }, label), h("p", { class: "stat-value amount", id, "data-amount": amount }, money(amount)));

  const section = (id: string, title: string, ...content: Child[]): HTMLElement =>
    h("section", { class: "card report-section", id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), content);

  const table = (id: string, caption: string, head: string[], rows: HTMLTableRowElement[], numeric: number[] = []): HTMLElement =>
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "data-table compact", id },
        h("caption", { class: "visually-hidden" }, caption),
        h("thead", null, h("tr", null, head.map((t, i) => h("th", { scope: "col", class: numeric.includes(i) ? "num" : null }, t)))),
        h("tbody", null, rows),
      ),
    );

  const linkButton = (label: string, aria: string, onclick: () => void): HTMLButtonElement => h("button", { type: "button", class: "link", "aria-label": aria, onclick }, label);

  function categorySection(r: ReportView, range: DateRangeText): HTMLElement {
    if (r.byCategory.length === 0) {
      return section("report-categories-section", "Spending by category", h("p", { class: "empty muted" }, "No expenses in this period."));
    }
    const slices = donutSlices(r.byCategory, session.profile.currencyDigits);
    const open = (categoryId: string | null): (() => void) | undefined => (categoryId ? () => openTransactions({ ...range, categoryId }) : undefined);
    const chart = donutChart({
      id: "report-donut",
      label: donutSummary(slices, money, locale),
      className: "chart-donut",
      parts: slices.map((s, i) => ({ value: s.value, colour: i, title: `${s.label}: ${money(s.amount)} (${percentText(s.basisPoints, numberLocale)})`, onClick: open(s.categoryId) })),
    });
    // A row's swatch is its slice's colour (categories merged into "Other" share the last one).
    const colourOf = new Map(slices.map((s, i) => [s.categoryId, i]));
    const other = slices.findIndex((s) => s.categoryId === null);
    const rows = r.byCategory.map((c) =>
      h(
        "tr",
        { "data-category-id": c.categoryId },
        h("td", null, h("span", { class: "swatch", "data-swatch": String(colourOf.get(c.categoryId) ?? (other >= 0 ? other : PALETTE_SIZE - 1)) }), linkButton(c.name, `Show the ${c.name} transactions of this period`, () => openTransactions({ ...range, categoryId: c.categoryId }))),
        h("td", { class: "num" }, String(c.count)),
        h("td", { class: "amount", "data-amount": c.amount }, money(c.amount)),
        h("td", { class: "num", "data-basis-points": c.basisPoints }, percentText(c.basisPoints, numberLocale)),
      ),
    );
    return section(
      "report-categories-section",
      "Spending by category",
      h("div", { class: "report-split" }, chart, table("report-categories", "Spending by category", ["Category", "Transactions", "Amount", "Share"], rows, [1, 2, 3])),
    );
  }

  function monthlySection(r: ReportView): HTMLElement {
    const title = "Income and expense, last 12 months";
    const any = r.monthly.some((m) => chartNumber(m.income) !== 0 || chartNumber(m.expense) !== 0);
    if (!any) return section("report-monthly-section", title, h("p", { class: "empty muted" }, "No transactions in these 12 months."));
    const series = monthlySeries(r.monthly, locale);
    const chart = barLineChart({
      id: "report-monthly-chart",
      label: monthlySummary(r.monthly, money, locale),
      className: "chart-wide",
      locale: numberLocale,
      groups: r.monthly.map((m, i) => {
        const range = monthKeyRange(m.month);
        return {
          label: shortMonth(m.month, locale),
          sublabel: i === 0 || m.month.endsWith("-01") ? m.month.slice(0, 4) : undefined,
          title: `${series.labels[i] ?? m.month}: income ${money(m.income)}, expense ${money(m.expense)}, net ${money(m.net)}`,
          onClick: range ? () => openTransactions(range) : undefined,
        };
      }),
      bars: [
        { name: "Income", className: "income", values: series.income },
        { name: "Expense", className: "expense", values: series.expense },
      ],
      line: { name: "Net", className: "net", values: series.net },
    });
    const rows = r.monthly.map((m) => {
      const range = monthKeyRange(m.month);
      const label = monthLabel(m.month, locale);
      return h(
        "tr",
        { "data-month": m.month },
        h("th", { scope: "row" }, range ? linkButton(label, `Show the transactions of ${label}`, () => openTransactions(range)) : label),
        h("td", { class: "amount income", "data-amount": m.income }, money(m.income)),
        h("td", { class: "amount expense", "data-amount": m.expense }, money(m.expense)),
        h("td", { class: `amount ${isNegative(m.net) ? "negative" : ""}`, "data-amount": m.net }, money(m.net)),
      );
    });
    return section(
      "report-monthly-section",
      title,
      chart,
      h("details", { class: "chart-table" }, h("summary", null, "Show the numbers"), table("report-monthly", title, ["Month", "Income", "Expense", "Net"], rows, [1, 2, 3])),
    );
  }

  function netWorthSection(months: readonly NetWorthMonthView[], filtered: boolean): HTMLElement {
    const title = "Net worth, last 12 months";
    const note = filtered ? h("p", { class: "muted small", id: "report-net-worth-note" }, "Net worth counts every account, whichever account the report shows.") : null;
    if (months.length === 0) return section("report-net-worth-section", title, note, h("p", { class: "empty muted" }, "No months to show."));
    const s = netWorthSeries(months, locale);
    const chart = barLineChart({
      id: "report-net-worth-chart",
      label: netWorthSummary(months, money, locale),
      className: "chart-wide",
      locale: numberLocale,
      groups: months.map((m, i) => ({
        label: shortMonth(m.month, locale),
        sublabel: i === 0 || m.month.endsWith("-01") ? m.month.slice(0, 4) : undefined,
        title: `${s.labels[i] ?? m.month}: net worth ${money(m.net)}, assets ${money(m.assets)}, liabilities ${money(m.liabilities)}`,
      })),
      bars: [{ name: "Assets", className: "assets", values: s.assets }, ...(s.hasLiabilities ? [{ name: "Liabilities", className: "liabilities", values: s.liabilities }] : [])],
      line: { name: "Net worth", className: "net", values: s.net },
    });
    const rows = months.map((m) =>
      h(
        "tr",
        { "data-month": m.month },
        h("th", { scope: "row" }, monthLabel(m.month, locale)),
        h("td", { class: "amount", "data-amount": m.assets }, money(m.assets)),
        h("td", { class: "amount", "data-amount": m.liabilities }, money(m.liabilities)),
        h("td", { class: `amount ${isNegative(m.net) ? "negative" : ""}`, "data-amount": m.net }, money(m.net)),
      ),
    );
    return section(
      "report-net-worth-section",
      title,
      note,
      chart,
      h("details", { class: "chart-table" }, h("summary", null, "Show the numbers"), table("report-net-worth-table", title, ["Month", "Assets", "Liabilities", "Net worth"], rows, [1, 2, 3])),
    );
  }

  function budgetSection(r: ReportView): HTMLElement {
    const title = "Budgets: limit and spent";
    if (r.budgets.length === 0) {
      return section("report-budgets-section", title, h("p", { class: "empty muted" }, "No budgets yet. ", linkButton("Set one up", "Set up a budget", () => ctx.navigate("budgets")), "."));
    }
    const s = budgetSeries(r.budgets);
    const over = r.budgets.filter((b) => b.state === "over").length;
    const chart = limitBarChart({
      id: "report-budget-chart",
      label: `Spent against the limit for ${r.budgets.length} budget${r.budgets.length === 1 ? "" : "s"}; ${over} over the limit. The table below lists each one.`,
      className: "chart-budgets",
      locale: numberLocale,
      rows: r.budgets.map((b, i) => ({
        label: b.categoryName,
        value: s.spent[i] ?? 0,
        limit: s.limit[i] ?? 0,
        className: b.state,
        title: `${b.categoryName} (${PERIOD_LABELS[b.period]}): spent ${money(b.spent)} of ${money(b.limit)}`,
      })),
    });
    const rows = r.budgets.map((b: BudgetActualView) =>
      h(
        "tr",
        { "data-budget-id": b.budgetId, "data-budget-state": b.state },
        h("th", { scope: "row" }, b.categoryName, h("span", { class: "muted small" }, ` · ${PERIOD_LABELS[b.period]}`)),
        h("td", { class: "amount", "data-amount": b.spent }, money(b.spent)),
        h("td", { class: "amount", "data-amount": b.limit }, money(b.limit)),
        h("td", null, h("span", { class: `badge badge-${b.state}` }, BUDGET_STATE_TEXT[b.state])),
      ),
    );
    return section("report-budgets-section", title, chart, table("report-budgets", title, ["Budget", "Spent", "Limit", "State"], rows, [1, 2]));
  }

  function largestSection(r: ReportView): HTMLElement {
    const title = "Largest expenses";
    if (r.largest.length === 0) return section("report-largest-section", title, h("p", { class: "empty muted" }, "No expenses in this period."));
    const rows = r.largest.map((t) =>
      h("tr", { "data-id": t.id }, h("td", { class: "date-col" }, transactionDate(session, t.date)), h("td", null, t.description), h("td", null, h("span", { class: `chip chip-${t.type}` }, t.categoryName)), amountCell(session, t)),
    );
    return section("report-largest-section", title, table("report-largest", title, ["Date", "Description", "Category", "Amount"], rows, [3]));
  }

  function frequentSection(r: ReportView): HTMLElement {
    const title = "Most frequent descriptions";
    if (r.frequent.length === 0) return section("report-frequent-section", title, h("p", { class: "empty muted" }, "No transactions in this period."));
    const rows = r.frequent.map((d) => h("tr", null, h("td", null, d.description), h("td", { class: "num" }, String(d.count)), h("td", { class: "amount", "data-amount": d.total }, money(d.total))));
    return section("report-frequent-section", title, table("report-frequent", title, ["Description", "Times", "Total"], rows, [1, 2]));
  }

  function show(r: ReportView, worth: readonly NetWorthMonthView[], range: DateRangeText, accountId: string): void {
    const accountLabel = accountId ? accountOptions.find((o) => o.value === accountId)?.label : undefined;
    rangeText.textContent = accountLabel ? `${formatDateRange(r.from, r.to, locale)} · ${accountLabel}` : formatDateRange(r.from, r.to, locale);
    const net = sumDecimals([r.totalIncome, negateDecimal(r.totalExpense)], session.profile.currencyDigits);
    // Net worth at the end of the period's last month, over every account (the chart below has each month).
    const latest = latestNetWorth(worth);
    const worthStat = latest
      ? h(
          "section",
          { class: `card stat ${isNegative(latest.net) ? "negative" : ""}`, "aria-labelledby": "report-net-worth-label" },
          h("h2", { id: "report-net-worth-label", class: "stat-label" }, "Net worth"),
          h("p", { class: "stat-value amount", id: "report-net-worth", "data-amount": latest.net }, money(latest.net)),
          h("p", { class: "muted small stat-note" }, `End of ${monthLabel(latest.month, locale)}, every account`),
        )
      : null;
    const stats = h(
      "div",
      { class: "stats stats-4" },
      figure("report-income", "Income", r.totalIncome, "income"),
      figure("report-expense", "Expense", r.totalExpense, "expense"),
      figure("report-net", "Net", net, isNegative(net) ? "negative" : "positive"),
      worthStat,
    );
    const empty = isEmptyPeriod(r.totalIncome, r.totalExpense);
    setChildren(
      body,
      stats,
      empty
        ? h(
            "div",
            { class: "card empty-state", id: "report-empty" },
            h("h2", null, "Nothing in this period"),
            h("p", { class: "muted" }, accountId ? "This account has no income or expense between these dates. Pick another period or account." : "There are no transactions between these dates. Pick another period, or add or import transactions."),
            h("button", { type: "button", class: "secondary", onclick: () => ctx.navigate("transactions") }, "Go to Transactions"),
          )
        : h("div", { class: "report-columns" }, categorySection(r, range), h("div", { class: "report-side" }, largestSection(r), frequentSection(r))),
      monthlySection(r),
      netWorthSection(worth, accountId !== ""),
      budgetSection(r),
    );
    body.setAttribute("aria-busy", "false");
    body.dataset["account"] = accountId;
    body.dataset["loaded"] = `${r.from}..${r.to}`;
  }

  // Net worth depends on the period's last month only: kept while it stays the same (an account
  // change or a re-submit asks for the report alone).
  let worthOf: { to: string; months: Promise<NetWorthMonthView[]> } | null = null;
  const netWorth = (to: string): Promise<NetWorthMonthView[]> => {
    const months = netWorthRange(to);
    if (worthOf?.to !== months.to) {
      const pending = api.netWorthSeries(months);
      pending.catch(() => {
        if (worthOf?.months === pending) worthOf = null;
      });
      worthOf = { to: months.to, months: pending };
    }
    return worthOf.months;
  };

  async function load(): Promise<void> {
    const range = currentRange();
    if (!range) return;
    const mine = ++seq;
    body.setAttribute("aria-busy", "true");
    try {
      const accountId = account.control.value;
      const [r, worth] = await Promise.all([api.report(accountId ? { ...range, accountId } : range), netWorth(range.to)]);
      if (disposed || mine !== seq) return;
      show(r, worth, range, accountId);
    } catch (e) {
      if (disposed || mine !== seq) return;
      setChildren(body, errorBlock(describeError(toApiError(e)), () => void load()));
      body.setAttribute("aria-busy", "false");
    }
  }

  const ready = load();
  return {
    el,
    ready,
    dispose: () => {
      disposed = true;
    },
  };
}
