// The Transactions table's head and rows: a selection box (bulk actions; the heading's box
// selects the page), date, status marker (a button that toggles cleared,
// except on a reconciled row), description, account (when there are several), category — or
// "Transfer to/from <account>" for a transfer's leg —, amount (the row's effect on its account; a
// refund marked as such) and, in an account's register, the running balance after the row.
// Rows carry no listeners: the screen handles clicks once, on the tbody, by `data-action`.
import type { Session } from "../context";
import type { TransactionView } from "../ipc-types";
import { isNegative } from "../lib/money";
import { categoryLabel, isTransferLeg, statusMarker } from "../lib/register";
import { h } from "../ui/dom";
import { amountCell, transactionDate } from "./common";

/** A listed row; in a register it has the account's balance just after it. */
export type ListedRow = TransactionView & { balance?: string };

/** What the table shows besides the fixed columns. */
export interface TableShape {
  /** The Account column (more than one account). */
  account: boolean;
  /** The Balance column (an account's register). */
  balance: boolean;
}

/** A register is one account's rows: its Account column would say the same on every row. */
const accountColumn = (shape: TableShape): boolean => shape.account && !shape.balance;

export function columnCount(shape: TableShape): number {
  return 7 + (accountColumn(shape) ? 1 : 0) + (shape.balance ? 1 : 0);
}

export function headingRow(shape: TableShape): HTMLTableRowElement {
  return h(
    "tr",
    null,
    h("th", { scope: "col", class: "select-col" }, h("input", { type: "checkbox", id: "select-page", "aria-label": "Select every transaction on this page" })),
    h("th", { scope: "col" }, "Date"),
    h("th", { scope: "col", class: "status-col" }, h("span", { class: "visually-hidden" }, "Status")),
    h("th", { scope: "col" }, "Description"),
    accountColumn(shape) ? h("th", { scope: "col", class: "account-col" }, "Account") : null,
    h("th", { scope: "col" }, "Category"),
    h("th", { scope: "col", class: "num" }, "Amount"),
    shape.balance ? h("th", { scope: "col", class: "num balance-col" }, "Balance") : null,
    h("th", { scope: "col", class: "actions-col" }, h("span", { class: "visually-hidden" }, "Actions")),
  );
}

export function transactionRow(session: Session, shape: TableShape, accountName: (id: string) => string, t: ListedRow): HTMLTableRowElement {
  const marker = statusMarker(t.status);
  const leg = isTransferLeg(t);
  const category = categoryLabel(t, accountName);
  return h(
    "tr",
    { "data-id": t.id, "data-type": t.type, "data-status": t.status },
    h("td", { class: "select-col" }, h("input", { type: "checkbox", class: "row-select", "data-action": "select", "aria-label": `Select “${t.description}”` })),
    h("td", { class: "date-col" }, transactionDate(session, t.date)),
    h(
      "td",
      { class: "status-col" },
      t.status === "reconciled"
        ? h("span", { class: "status-marker reconciled", title: marker.label, "aria-label": marker.label, role: "img" }, marker.symbol)
        : h(
            "button",
            {
              type: "button", class: `status-marker ${t.status}`, "data-action": "toggle-cleared", title: `${marker.label} (click to change)`,
              "aria-pressed": t.status === "cleared" ? "true" : "false", "aria-label": `Cleared: “${t.description}”`,
            },
            marker.symbol,
          ),
    ),
    h("td", { class: "desc-col" }, h("span", { class: "desc" }, t.description), t.note ? h("span", { class: "note muted small" }, t.note) : null),
    accountColumn(shape) ? h("td", { class: "account-col small" }, accountName(t.accountId)) : null,
    h("td", null, h("span", { class: `chip chip-${leg ? "transfer" : t.type}` }, category)),
    amountCell(session, t),
    shape.balance
      ? h("td", { class: `amount balance-col${t.balance !== undefined && isNegative(t.balance) ? " negative-amount" : ""}`, "data-balance": t.balance ?? "" }, t.balance === undefined ? "" : session.money(t.balance))
      : null,
    h(
      "td",
      { class: "actions-col" },
      h("button", { type: "button", class: "link", "data-action": "edit", "aria-label": `Edit “${t.description}”` }, "Edit"),
      h("button", { type: "button", class: "link danger-link", "data-action": "delete", "aria-label": `Delete “${t.description}”` }, "Delete"),
    ),
  );
}
