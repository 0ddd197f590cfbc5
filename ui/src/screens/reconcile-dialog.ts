// The reconcile dialog: the statement's date and ending balance, the account's rows not yet
// reconciled through that date (`reconciliation_rows`) with a box each, and the live figures
// (`reconciliation_preview`: cleared balance with the ticks, difference to the statement). Finish
// is enabled only at a zero difference; the server checks it again inside its write and refuses
// (`conflict` on `statementBalance`) when another device changed the account meanwhile. "Save for
// later" keeps the ticks as cleared without reconciling. Ticks are held by `lib/reconcile.ts`.
import { api } from "../api";
import type { Session } from "../context";
import type { AccountView, ReconciledView, ReconciliationPreviewView, ReconciliationRowsView, TransactionView } from "../ipc-types";
import { isIsoDate, todayLocal } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { isNegative } from "../lib/money";
import { Ticks } from "../lib/reconcile";
import { accountEffect, categoryLabel } from "../lib/register";
import { accountName } from "../lib/accounts";
import { canonicalToTyped } from "../lib/amount-entry";
import { amountForServer, validateBalance } from "../lib/validation";
import { openDialog, type DialogHandle } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { FormController, inputField, onSubmit, submitButton } from "../ui/form";
import { toast } from "../ui/toast";
import { transactionDate } from "./common";

export interface ReconcileOptions {
  session: Session;
  account: AccountView;
  /** Every account, for naming a transfer's other side. */
  accounts: readonly AccountView[];
  trigger: HTMLElement;
  /** After a finish (the account's list is stale then) or a save for later. */
  onChanged: (reconciled: ReconciledView | null) => void;
}

export function openReconcile(opts: ReconcileOptions): DialogHandle {
  const { session, account } = opts;
  const { currency, currencyDigits } = session.profile;
  const ticks = new Ticks();
  let rows: TransactionView[] = [];
  let preview: ReconciliationPreviewView | null = null;
  /** Answers of older requests are dropped (the figures follow the latest input). */
  let seq = 0;

  const date = inputField({ name: "statementDate", label: "Statement date", type: "date", required: true, value: todayLocal(), id: "reconcile-date" });
  const balance = inputField({
    name: "statementBalance", label: "Ending balance on the statement", required: true, id: "reconcile-balance",
    value: account.lastReconciled ? canonicalToTyped(account.lastReconciled.statementBalance, session.formats.decimal) : "",
    hint: `In ${currency}, as printed; negative for what you owe on a card or loan.`,
    attrs: { inputmode: "decimal", autocomplete: "off", class: "amount-input" },
  });
  const figure = (id: string, label: string): [HTMLElement, HTMLElement] => {
    const value = h("dd", { id, class: "amount" }, "—");
    return [h("div", { class: "reconcile-figure" }, h("dt", null, label), value), value];
  };
  const [clearedBox, clearedValue] = figure("reconcile-cleared", "Cleared balance");
  const [statementBox, statementValue] = figure("reconcile-statement", "Statement");
  const [differenceBox, differenceValue] = figure("reconcile-difference", "Difference");
  const figures = h("dl", { class: "reconcile-figures", "aria-live": "polite" }, clearedBox, statementBox, differenceBox);
  const list = h("div", { class: "table-wrap reconcile-rows", id: "reconcile-rows", "aria-busy": "true" });
  const tickAll = h("button", { type: "button", class: "link", id: "reconcile-tick-all" }, "Tick all");
  const finish = submitButton("Finish", { id: "reconcile-finish" });
  const save = h("button", { type: "button", class: "secondary", id: "reconcile-save" }, "Save for later");
  let dlg: DialogHandle | null = null;
  const form = h(
    "form",
    { id: "reconcile-form", class: "stack", "data-account": account.id },
    h("p", { class: "muted small" }, "Tick each transaction that appears on the statement. When the difference is zero, finish: they become reconciled."),
    h("div", { class: "row" }, date.wrapper, balance.wrapper),
    figures,
    h("div", { class: "reconcile-list-head" }, h("h3", null, "Transactions through the statement date"), tickAll),
    list,
    h("div", { class: "dialog-actions" }, h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"), save, finish),
  );
  const fc = new FormController(form);

  const decimal = session.formats.decimal;
  /** The statement balance as the server reads it (exact canonical decimal). */
  const statementText = (): string => amountForServer(balance.control.value, currencyDigits, decimal);
  const statementOk = (): boolean => balance.control.value.trim() !== "" && validateBalance(balance.control.value, currencyDigits, { currency, decimal }) === null;
  const money = (el: HTMLElement, amount: string | null): void => {
    el.textContent = amount === null ? "—" : session.money(amount);
    if (amount === null) delete el.dataset["amount"];
    else el.dataset["amount"] = amount;
    el.classList.toggle("negative-amount", amount !== null && isNegative(amount));
  };

  function showFigures(): void {
    const ok = statementOk();
    money(statementValue, ok ? statementText() : null);
    if (!preview) {
      money(clearedValue, null);
      money(differenceValue, null);
    } else {
      // Cleared with the ticks = statement − difference; the server sums both (exact decimals).
      money(clearedValue, preview.clearedWithTicked);
      money(differenceValue, ok ? preview.difference : null);
    }
    const balanced = ok && preview?.balanced === true;
    differenceBox.classList.toggle("balanced", balanced);
    finish.disabled = !balanced;
    finish.title = balanced ? "" : "The difference must be zero to finish";
  }

  async function refreshPreview(): Promise<void> {
    if (!isIsoDate(date.control.value)) return;
    const mine = ++seq;
    try {
      const p = await api.reconciliationPreview({
        accountId: account.id,
        statementDate: date.control.value,
        statementBalance: statementOk() ? statementText() : "0",
        ticked: ticks.ids(rows),
      });
      if (mine !== seq || dlg?.closed) return;
      preview = p;
    } catch (e) {
      if (mine !== seq) return;
      preview = null;
      fc.showError(e);
    }
    showFigures();
  }

  function renderRows(more: boolean): void {
    list.setAttribute("aria-busy", "false");
    if (rows.length === 0) {
      setChildren(list, h("p", { class: "empty muted", id: "reconcile-empty" }, "Nothing to tick: every transaction through this date is reconciled."));
      return;
    }
    const body = rows.map((t) => {
      const box = h("input", { type: "checkbox", "aria-label": `Cleared: ${t.description}` });
      box.checked = ticks.checked(t);
      box.addEventListener("change", () => void toggle(t, box));
      const what = categoryLabel(t, (id) => accountName(opts.accounts, id));
      const effect = accountEffect(t);
      return h(
        "tr",
        { "data-id": t.id, "data-status": t.status },
        h("td", { class: "tick" }, box),
        h("td", null, transactionDate(session, t.date)),
        h("td", null, t.description, h("span", { class: "muted small" }, ` · ${what}`)),
        h("td", { class: `amount${isNegative(effect) ? " negative-amount" : ""}`, "data-amount": effect }, session.money(effect)),
      );
    });
    setChildren(
      list,
      h(
        "table",
        { class: "data-table" },
        h("thead", null, h("tr", null, h("th", { class: "tick" }, h("span", { class: "visually-hidden" }, "Cleared")), h("th", null, "Date"), h("th", null, "Description"), h("th", { class: "num" }, "Amount"))),
        h("tbody", null, body),
      ),
      more ? h("p", { class: "muted small" }, "More transactions than one statement lists: reconcile an earlier statement date first.") : null,
    );
  }

  async function toggle(t: TransactionView, box: HTMLInputElement): Promise<void> {
    if (ticks.toggle(t) === "unclear") {
      box.disabled = true;
      try {
        await api.setCleared({ accountId: account.id, ids: [t.id], cleared: false });
        t.status = "uncleared";
        box.checked = false;
      } catch (e) {
        box.checked = true;
        toast(describeError(toApiError(e)), { kind: "error" });
      } finally {
        box.disabled = false;
      }
    }
    box.closest("tr")?.setAttribute("data-status", t.status);
    await refreshPreview();
  }

  async function loadRows(): Promise<void> {
    if (!isIsoDate(date.control.value)) return;
    list.setAttribute("aria-busy", "true");
    let answer: ReconciliationRowsView;
    try {
      answer = await api.reconciliationRows({ accountId: account.id, through: date.control.value });
    } catch (e) {
      list.setAttribute("aria-busy", "false");
      fc.showError(e);
      return;
    }
    if (dlg?.closed) return;
    rows = answer.rows;
    ticks.keepListed(rows);
    renderRows(answer.more);
    await refreshPreview();
  }

  date.control.addEventListener("change", () => void loadRows());
  balance.control.addEventListener("input", () => {
    fc.clearField("statementBalance");
    showFigures();
    void refreshPreview();
  });
  balance.control.addEventListener("blur", () => {
    const problem = balance.control.value.trim() === "" ? null : validateBalance(balance.control.value, currencyDigits, { currency, decimal });
    if (problem) fc.setFieldProblem("statementBalance", problem);
  });
  tickAll.addEventListener("click", () => {
    ticks.tickAll(rows);
    renderRows(false);
    void refreshPreview();
  });
  save.addEventListener("click", () => {
    void (async () => {
      const ids = ticks.ids(rows);
      try {
        if (ids.length > 0) await api.setCleared({ accountId: account.id, ids, cleared: true });
        dlg?.close();
        toast(ids.length === 0 ? "Nothing new to save" : `${ids.length} ${ids.length === 1 ? "transaction" : "transactions"} marked cleared`, { kind: "success" });
        opts.onChanged(null);
      } catch (e) {
        fc.showError(e);
      }
    })();
  });
  onSubmit(
    fc,
    async () => {
      const done = await api.finishReconciliation({
        accountId: account.id,
        statementDate: date.control.value,
        statementBalance: statementText(),
        ticked: ticks.ids(rows),
      });
      dlg?.close();
      toast(`“${account.name}” reconciled to ${session.money(done.statementBalance)}`, { kind: "success" });
      opts.onChanged(done);
    },
    {
      validate: (f) => {
        if (!isIsoDate(date.control.value)) f.setFieldProblem("statementDate", "is required");
        const problem = balance.control.value.trim() === "" ? "is required" : validateBalance(balance.control.value, currencyDigits, { currency, decimal });
        if (problem) f.setFieldProblem("statementBalance", problem);
        return !f.hasErrors();
      },
      // A refusal means the figures are stale (another device, or a row changed): fetch them again.
      onError: () => void loadRows(),
    },
  );

  showFigures();
  dlg = openDialog({ title: `Reconcile “${account.name}”`, testId: "reconcile-dialog", className: "dialog-wide", returnFocus: opts.trigger, body: () => form, initialFocus: () => balance.control });
  void loadRows();
  return dlg;
}
