// A month's income, expense and net (this month, or one stepped to with ‹ ›) and its budgets; net worth and the open accounts' balances; each budget's
// progress; the latest transactions.
import { api } from "../api";
import type { AppContext, Screen } from "../context";
import type { AccountsView, Dashboard } from "../ipc-types";
import { accountName } from "../lib/accounts";
import { todayLocal } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { isNegative } from "../lib/money";
import { categoryLabel } from "../lib/register";
import { budgetBar } from "../ui/budget-bar";
import { h, setChildren } from "../ui/dom";
import { monthStepper } from "../ui/month-stepper";
import { amountCell, errorBlock, loadingBlock, pageHeader, transactionDate } from "./common";
import { upcomingCard } from "./upcoming";
import { SCHEDULES_POSTED } from "../lib/schedules";

export function renderDashboard(ctx: AppContext): Screen {
  const { session } = ctx;
  const body = h("div", { class: "dashboard", "aria-busy": "true" }, loadingBlock());
  const subtitle = h("p", { class: "muted subtitle" });
  const stepper = monthStepper({ id: "dashboard-month", today: () => todayLocal(), locale: session.locale, onStep: () => void load() });
  const el = h(
    "div",
    { class: "screen", "data-screen": "dashboard" },
    pageHeader("Dashboard", h("button", { type: "button", class: "primary", id: "dashboard-new-transaction", onclick: () => ctx.navigate("transactions", { openNew: true }) }, "New transaction")),
    h("div", { class: "subtitle-row" }, stepper.el, subtitle),
    body,
  );
  let disposed = false;
  const upcoming = upcomingCard(ctx);
  // The app posted due schedules (after sign-in, at midnight): the figures and Upcoming changed.
  const onPosted = (): void => {
    void load();
    upcoming.reload();
  };
  document.addEventListener(SCHEDULES_POSTED, onPosted);

  const figure = (id: string, label: string, amount: string, cls: string): HTMLElement =>
    h("section", { class: `card stat ${cls}`, "aria-labelledby": `${id}-label` }, h("h2", { id: `${id}-label`, class: "stat-label" }, label), h("p", { class: "stat-value amount", id, "data-amount": amount }, session.money(amount)));

  /** Net worth and each open account's balance (archived ones count in the net worth only). */
  const accountsCard = (v: AccountsView): HTMLElement => {
    const open = v.accounts.filter((a) => !a.archived);
    return h(
      "section",
      { class: "card", "aria-labelledby": "dash-accounts-title", id: "dash-accounts" },
      h("div", { class: "card-head" }, h("h2", { id: "dash-accounts-title" }, "Net worth"), h("button", { type: "button", class: "link", onclick: () => ctx.navigate("accounts") }, "Accounts")),
      h("p", { class: `stat-value amount net-worth${isNegative(v.netWorth) ? " negative-amount" : ""}`, id: "dash-net-worth", "data-amount": v.netWorth }, session.money(v.netWorth)),
      h(
        "ul",
        { class: "latest-list", id: "dash-account-list" },
        open.map((a) =>
          h(
            "li",
            { class: "latest-item", "data-id": a.id },
            h("span", { class: "latest-desc" }, a.name),
            h("span", { class: `amount${isNegative(a.balance) ? " negative-amount" : ""}`, "data-amount": a.balance }, session.money(a.balance)),
          ),
        ),
      ),
    );
  };

  const show = (d: Dashboard): void => {
    session.accounts.set(d.accounts.accounts);
    subtitle.textContent = `${d.month.count} transaction${d.month.count === 1 ? "" : "s"} this month`;
    const netClass = isNegative(d.month.net) ? "negative" : "positive";
    const budgets =
      d.budgets.length === 0
        ? h("p", { class: "empty muted" }, "No budgets yet. ", h("button", { type: "button", class: "link", onclick: () => ctx.navigate("budgets") }, "Set one up"), ".")
        : h("div", { class: "budget-list" }, d.budgets.map((b) => budgetBar(b, session.money, session.locale)));
    const latest =
      d.latest.length === 0
        ? h("p", { class: "empty muted" }, "No transactions yet. Press N to add one.")
        : h(
            "ul",
            { class: "latest-list", id: "latest-transactions" },
            d.latest.map((t) =>
              h(
                "li",
                { "data-id": t.id, class: "latest-item" },
                h("span", { class: "latest-main" }, h("span", { class: "latest-desc" }, t.description), h("span", { class: "muted small" }, categoryLabel(t, (id) => accountName(d.accounts.accounts, id)), " · ", transactionDate(session, t.date))),
                amountCell(session, t, "span"),
              ),
            ),
          );
    setChildren(
      body,
      h("div", { class: "stats" }, figure("month-income", "Income", d.month.income, "income"), figure("month-expense", "Expense", d.month.expense, "expense"), figure("month-net", "Net", d.month.net, netClass)),
      h("div", { class: "dashboard-columns" },
        h("div", { class: "dashboard-stack" }, accountsCard(d.accounts), h("section", { class: "card", "aria-labelledby": "dash-budgets" }, h("h2", { id: "dash-budgets" }, "Budgets"), budgets), upcoming.el),
        h(
          "section",
          { class: "card", "aria-labelledby": "dash-latest" },
          h("div", { class: "card-head" }, h("h2", { id: "dash-latest" }, "Latest transactions"), h("button", { type: "button", class: "link", onclick: () => ctx.navigate("transactions") }, "View all")),
          latest,
        ),
      ),
    );
    body.setAttribute("aria-busy", "false");
  };

  /** Answers of an earlier step are dropped (the figures follow the last click). */
  let seq = 0;
  const load = (): Promise<void> => {
    body.setAttribute("aria-busy", "true");
    const mine = ++seq;
    const date = stepper.date();
    return api
      .dashboard(date ? { date } : {})
      .then((d) => {
        if (!disposed && mine === seq) show(d);
      })
      .catch((e: unknown) => {
        if (disposed) return;
        setChildren(body, errorBlock(describeError(toApiError(e)), load));
        body.setAttribute("aria-busy", "false");
      });
  };
  const ready = load();
  return {
    el,
    ready,
    dispose: () => {
      disposed = true;
      document.removeEventListener(SCHEDULES_POSTED, onPosted);
    },
  };
}
