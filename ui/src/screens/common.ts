// Pieces several screens share.
import type { CategoryView, TransactionView } from "../ipc-types";
import { categoriesOfKind, type Session } from "../context";
import { formatDate } from "../lib/dates";
import { accountEffect, amountClass, isRefund } from "../lib/register";
import { h, type Child } from "../ui/dom";
import type { SelectItem } from "../ui/form";

export function pageHeader(title: string, ...actions: Child[]): HTMLElement {
  return h("header", { class: "page-header" }, h("h1", { tabindex: -1 }, title), h("div", { class: "page-actions" }, actions));
}

/** Category options grouped as <optgroup label="Income"> / <optgroup label="Expense">. */
export function groupedCategoryOptions(categories: readonly CategoryView[]): SelectItem[] {
  return [
    { group: "Income", options: categoriesOfKind(categories, "income").map((c) => ({ value: c.id, label: c.name })) },
    { group: "Expense", options: categoriesOfKind(categories, "expense").map((c) => ({ value: c.id, label: c.name })) },
  ];
}

/**
 * Signed display amount, the row's effect on its account (lib/register.ts): expenses and transfers
 * out with a minus, a refund positive and marked "Refund"; classed for colour.
 */
export function amountCell(session: Session, t: Pick<TransactionView, "amount" | "type">, tag: "td" | "span" = "td"): HTMLElement {
  const refund = isRefund(t);
  return h(
    tag,
    { class: `amount ${amountClass(t)}`, "data-amount": t.amount },
    refund ? h("span", { class: "refund-tag small" }, "Refund ") : null,
    session.money(accountEffect(t)),
  );
}

export function transactionDate(session: Session, iso: string): HTMLElement {
  return h("time", { datetime: iso }, formatDate(iso, session.locale));
}

export function loadingBlock(text = "Loading…"): HTMLElement {
  return h("p", { class: "loading muted", role: "status" }, text);
}

export function errorBlock(message: string, retry?: () => void): HTMLElement {
  return h(
    "div",
    { class: "notice notice-error", role: "alert" },
    h("p", null, message),
    retry ? h("button", { type: "button", class: "secondary", onclick: retry }, "Try again") : null,
  );
}
