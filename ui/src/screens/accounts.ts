// Accounts: every account grouped by type under assets and liabilities with its balance, the totals
// (assets, liabilities, net worth), archived accounts in a collapsed group (still in the totals);
// add / edit, archive / unarchive, reconcile against a statement (screens/reconcile-dialog.ts),
// delete (moving the transactions to another account when it holds any). The list is fetched when the screen opens; every account write answers the whole
// list with balances and totals (the server sums them), which is shown as it came and kept in the
// session's account cache (context.ts) for the transaction form and lists. An account's name opens
// its register (Transactions filtered to it, with running balances).
import { api } from "../api";
import type { AppContext, Screen } from "../context";
import type { AccountInput, AccountType, AccountUsageView, AccountView, AccountsView } from "../ipc-types";
import { accountTypeLabel, ACCOUNT_TYPES, groupAccounts, type AccountGroup } from "../lib/accounts";
import { formatDate, todayLocal } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { isNegative } from "../lib/money";
import { canonicalToTyped } from "../lib/amount-entry";
import { amountForServer, blankToNull, validateAccountName, validateBalance, validateNote } from "../lib/validation";
import { confirmDialog, openDialog, type DialogHandle } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { FormController, inputField, onSubmit, selectField, submitButton, textareaField } from "../ui/form";
import { toast } from "../ui/toast";
import { errorBlock, loadingBlock, pageHeader } from "./common";
import { openForecast } from "./forecast-dialog";
import { openReconcile } from "./reconcile-dialog";
import { amountExample } from "./transaction-dialog";

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function renderAccounts(ctx: AppContext): Screen {
  const { session } = ctx;
  let disposed = false;
  /** The list on screen, as the server last answered it. */
  let view: AccountsView | null = null;
  /** Whether the archived group is open (kept across redraws). */
  let archivedOpen = false;

  const body = h("div", { class: "accounts", id: "accounts-body", "aria-busy": "true" }, loadingBlock());
  const newButton = h("button", { type: "button", class: "primary", id: "new-account" }, "New account");
  newButton.addEventListener("click", () => openEditor(null, newButton));
  const el = h(
    "div",
    { class: "screen", "data-screen": "accounts" },
    pageHeader("Accounts", newButton),
    h("p", { class: "muted subtitle" }, "Where the money is: each account's balance is its opening balance plus its transactions."),
    body,
  );

  const money = (amount: string, attrs: Record<string, string> = {}, tag: "span" | "p" = "span"): HTMLElement =>
    h(tag, { class: `amount${isNegative(amount) ? " negative-amount" : ""}`, "data-amount": amount, ...attrs }, session.money(amount));

  const figure = (id: string, label: string, amount: string, cls = ""): HTMLElement =>
    h(
      "section",
      { class: `card stat ${cls}`.trim(), "aria-labelledby": `${id}-label` },
      h("h2", { id: `${id}-label`, class: "stat-label" }, label),
      h("p", { class: "stat-value amount", id, "data-amount": amount }, session.money(amount)),
    );

  function row(a: AccountView): HTMLLIElement {
    const edit = h("button", { type: "button", class: "link", "data-action": "edit", "aria-label": `Edit ${a.name}` }, "Edit");
    const archive = h(
      "button",
      { type: "button", class: "link", "data-action": a.archived ? "unarchive" : "archive", "aria-label": `${a.archived ? "Unarchive" : "Archive"} ${a.name}` },
      a.archived ? "Unarchive" : "Archive",
    );
    const del = h("button", { type: "button", class: "link danger-link", "data-action": "delete", "aria-label": `Delete ${a.name}` }, "Delete");
    // Archived accounts are closed: nothing new arrives to reconcile.
    const reconcile = a.archived ? null : h("button", { type: "button", class: "link", "data-action": "reconcile", "aria-label": `Reconcile ${a.name}` }, "Reconcile");
    reconcile?.addEventListener("click", () => openReconcile({ session, account: a, accounts: view?.accounts ?? [], trigger: reconcile, onChanged: () => void load() }));
    const forecast = a.archived ? null : h("button", { type: "button", class: "link", "data-action": "forecast", "aria-label": `Forecast of ${a.name}` }, "Forecast");
    forecast?.addEventListener("click", () => openForecast(session, a, forecast));
    edit.addEventListener("click", () => openEditor(a, edit));
    archive.addEventListener("click", () => void setArchived(a, archive));
    del.addEventListener("click", () => void startDelete(a, del));
    return h(
      "li",
      { class: "account-item", "data-id": a.id, "data-account-type": a.type },
      h(
        "span",
        { class: "account-main" },
        h(
          "button",
          { type: "button", class: "link account-name", "data-action": "open", title: "Open the register", "aria-label": `Open the register of ${a.name}`, onclick: () => ctx.navigate("transactions", { filters: { accountId: a.id } }) },
          a.name,
        ),
        h("span", { class: "muted small" }, a.archived ? `${accountTypeLabel(a.type)} · ` : "", plural(a.transactions, "transaction", "transactions"), a.note ? ` · ${a.note}` : ""),
        h(
          "span",
          { class: "muted small account-status" },
          h("span", { class: "account-cleared", "data-amount": a.clearedBalance }, `Cleared ${session.money(a.clearedBalance)}`),
          a.lastReconciled
            ? h(
                "span",
                { class: "account-reconciled", "data-reconciled": a.lastReconciled.statementDate },
                ` · reconciled to ${session.money(a.lastReconciled.statementBalance)} on ${formatDate(a.lastReconciled.statementDate, session.locale)}`,
              )
            : h("span", { class: "account-reconciled-never" }, " · never reconciled"),
        ),
      ),
      money(a.balance, { class: `amount account-balance${isNegative(a.balance) ? " negative-amount" : ""}` }),
      h("span", { class: "row-actions" }, reconcile, forecast, edit, archive, del),
    );
  }

  const group = (g: AccountGroup): HTMLElement =>
    h(
      "div",
      { class: "account-group", "data-group": g.type },
      h("h3", { class: "account-group-title" }, g.label),
      h("ul", { class: "account-list" }, g.accounts.map(row)),
    );

  const section = (id: string, title: string, total: string, groups: AccountGroup[], empty: string): HTMLElement =>
    h(
      "section",
      { class: "card", id, "aria-labelledby": `${id}-title` },
      h("div", { class: "card-head" }, h("h2", { id: `${id}-title` }, title), money(total, { class: "amount section-total" })),
      groups.length === 0 ? h("p", { class: "empty muted" }, empty) : groups.map(group),
    );

  function render(): void {
    if (!view) return;
    const grouped = groupAccounts(view.accounts);
    const archived =
      grouped.archived.length === 0
        ? null
        : h(
            "details",
            { class: "card archived-accounts", id: "archived-accounts", open: archivedOpen },
            h("summary", null, `Archived (${grouped.archived.length})`),
            h("p", { class: "muted small" }, "Hidden from the transaction form; still counted in the totals."),
            h("ul", { class: "account-list" }, grouped.archived.map(row)),
          );
    archived?.addEventListener("toggle", () => {
      archivedOpen = (archived as HTMLDetailsElement).open;
    });
    setChildren(
      body,
      h(
        "div",
        { class: "stats" },
        figure("accounts-assets", "Assets", view.assets),
        figure("accounts-liabilities", "Liabilities", view.liabilities, isNegative(view.liabilities) ? "negative" : ""),
        figure("net-worth", "Net worth", view.netWorth, isNegative(view.netWorth) ? "negative" : "positive"),
      ),
      h(
        "div",
        { class: "dashboard-columns" },
        section("asset-accounts", "Assets", view.assets, grouped.assets, "No asset accounts."),
        section("liability-accounts", "Liabilities", view.liabilities, grouped.liabilities, "No credit cards, loans or other liabilities."),
      ),
      archived,
    );
  }

  /** Show a list the server answered, and keep it for the other screens. */
  function show(v: AccountsView): void {
    session.accounts.set(v.accounts);
    if (disposed) return;
    view = v;
    render();
  }

  async function load(): Promise<void> {
    body.setAttribute("aria-busy", "true");
    try {
      const v = await api.listAccounts();
      show(v);
    } catch (e) {
      if (!disposed) setChildren(body, errorBlock(describeError(toApiError(e)), () => void load()));
    } finally {
      body.setAttribute("aria-busy", "false");
    }
  }

  async function setArchived(a: AccountView, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      show(await api.setAccountArchived({ id: a.id, archived: !a.archived }));
      toast(a.archived ? `“${a.name}” is back in the transaction form` : `“${a.name}” archived: hidden from the transaction form, still counted`, { kind: "success" });
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  function openEditor(existing: AccountView | null, trigger: HTMLButtonElement): void {
    const { currency, currencyDigits } = session.profile;
    const name = inputField({ name: "name", label: "Name", required: true, value: existing?.name ?? "", attrs: { autocomplete: "off", maxlength: 60 } });
    const type = selectField({
      name: "type", label: "Type", required: true, value: existing?.type ?? "checking",
      options: ACCOUNT_TYPES.map((t) => ({ value: t.type, label: t.label })),
    });
    const opening = inputField({
      name: "openingBalance", label: "Opening balance", value: existing ? canonicalToTyped(existing.openingBalance, session.formats.decimal) : "",
      hint: `In ${currency}; negative for what you owe, e.g. -${amountExample(currencyDigits, session.formats.decimal)}. Blank is zero.`,
      attrs: { inputmode: "decimal", autocomplete: "off", class: "amount-input" },
    });
    const openingDate = inputField({ name: "openingDate", label: "Opening date", type: "date", required: true, value: existing?.openingDate ?? todayLocal() });
    const note = textareaField({ name: "note", label: "Note", suffix: "(optional)", value: existing?.note ?? "", rows: 2 });
    let dlg: DialogHandle | null = null;
    const form = h(
      "form",
      { id: "account-form", class: "stack", "data-mode": existing ? "edit" : "add" },
      name.wrapper,
      type.wrapper,
      h("div", { class: "row" }, opening.wrapper, openingDate.wrapper),
      note.wrapper,
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"),
        submitButton(existing ? "Save changes" : "Add account", { id: "account-submit" }),
      ),
    );
    const fc = new FormController(form);
    const checks: Record<string, () => string | null> = {
      name: () => validateAccountName(name.control.value),
      openingBalance: () => validateBalance(opening.control.value, currencyDigits, { currency, decimal: session.formats.decimal }),
      openingDate: () => (openingDate.control.value === "" ? "is required" : null),
      note: () => validateNote(note.control.value),
    };
    opening.control.addEventListener("blur", () => {
      const problem = checks["openingBalance"]?.() ?? null;
      if (problem) fc.setFieldProblem("openingBalance", problem);
      else fc.clearField("openingBalance");
    });
    onSubmit(
      fc,
      async () => {
        const chosen: AccountType = ACCOUNT_TYPES.find((t) => t.type === type.control.value)?.type ?? "checking";
        const fields: AccountInput = {
          name: name.control.value.trim(),
          type: chosen,
          openingBalance: amountForServer(opening.control.value, currencyDigits, session.formats.decimal),
          openingDate: openingDate.control.value,
          note: blankToNull(note.control.value),
        };
        const saved = existing ? await api.updateAccount({ id: existing.id, ...fields }) : await api.addAccount(fields);
        dlg?.close();
        toast(existing ? `Account “${fields.name}” saved` : `Account “${fields.name}” added`, { kind: "success" });
        show(saved);
      },
      {
        validate: (f) => {
          for (const [field, check] of Object.entries(checks)) {
            const problem = check();
            if (problem) f.setFieldProblem(field, problem);
          }
          return !f.hasErrors();
        },
      },
    );
    dlg = openDialog({ title: existing ? `Edit “${existing.name}”` : "New account", testId: "account-dialog", returnFocus: trigger, body: () => form, initialFocus: () => name.control });
  }

  async function startDelete(a: AccountView, button: HTMLButtonElement): Promise<void> {
    let usage: AccountUsageView;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      usage = await api.accountUsage({ id: a.id });
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
      return;
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
    if (disposed) return;
    if (usage.transactions === 0) {
      let answered: AccountsView | null = null;
      const ok = await confirmDialog({
        title: "Delete account?",
        message: h("p", null, "Delete the account “", h("strong", null, a.name), "”? It holds no transactions."),
        confirmLabel: "Delete",
        danger: true,
        testId: "delete-account-dialog",
        returnFocus: button,
        action: async () => {
          answered = await api.removeAccount({ id: a.id, moveTo: null });
        },
      });
      if (ok && answered) {
        toast(`Account “${a.name}” deleted`, { kind: "success" });
        show(answered);
      }
      return;
    }
    openMoveAndDelete(a, usage, button);
  }

  function openMoveAndDelete(a: AccountView, usage: AccountUsageView, trigger: HTMLElement): void {
    const transactions = usage.transactions;
    const others = (view?.accounts ?? []).filter((o) => o.id !== a.id);
    const what = plural(transactions, "transaction", "transactions");
    let dlg: DialogHandle | null = null;
    if (others.length === 0) {
      openDialog({
        title: `Delete “${a.name}”`,
        testId: "delete-account-dialog",
        returnFocus: trigger,
        body: (d) => [
          h("p", null, `“${a.name}” holds ${what}. To delete it, they must move to another account, and there is none.`),
          h("p", null, "Add another account first, then delete this one."),
          h("div", { class: "dialog-actions" }, h("button", { type: "button", class: "primary", onclick: () => d.close() }, "OK")),
        ],
      });
      return;
    }
    const open = others.filter((o) => !o.archived);
    const archived = others.filter((o) => o.archived);
    const moveTo = selectField({
      name: "moveTo", label: "Move them to", required: true, value: "",
      options: [
        { value: "", label: "Choose an account…" },
        { group: "Accounts", options: open.map((o) => ({ value: o.id, label: o.name })) },
        { group: "Archived", options: archived.map((o) => ({ value: o.id, label: o.name })) },
      ],
    });
    // Transfers between the two accounts would have both sides in one account: the server removes them.
    const transfersNote = h("p", { class: "muted", "data-testid": "delete-account-transfers", hidden: true });
    moveTo.control.addEventListener("change", () => {
      const target = others.find((o) => o.id === moveTo.control.value);
      const n = usage.transfers.find((t) => t.accountId === target?.id)?.transfers ?? 0;
      transfersNote.hidden = n === 0;
      transfersNote.textContent = target && n > 0 ? `${plural(n, "transfer", "transfers")} between “${a.name}” and “${target.name}” will be removed (both sides).` : "";
    });
    // Move them (the default: nothing is lost) or delete them with the account.
    const choice = (value: "move" | "delete", label: string): HTMLLabelElement => {
      const input = h("input", { type: "radio", name: "rows", value });
      input.checked = value === "move";
      return h("label", { class: "check-row" }, input, label);
    };
    const transfersAll = usage.transfers.reduce((n, t) => n + t.transfers, 0);
    const deleteLabel = `Delete ${transactions === 1 ? "it" : `all ${transactions}`} with the account${transfersAll > 0 ? ` (and both sides of its ${plural(transfersAll, "transfer", "transfers")})` : ""}`;
    const rows = h("fieldset", { class: "stack", id: "delete-account-rows" }, h("legend", { class: "visually-hidden" }, "Its transactions"), choice("move", "Move them to another account"), choice("delete", deleteLabel));
    const submit = submitButton("Move and delete", { id: "delete-account-submit", class: "danger" });
    const deleting = (): boolean => rows.querySelector<HTMLInputElement>("input[value=delete]")?.checked === true;
    rows.addEventListener("change", () => {
      moveTo.wrapper.hidden = deleting();
      transfersNote.hidden = deleting() || transfersNote.textContent === "";
      submit.textContent = deleting() ? `Delete account and ${what}` : "Move and delete";
    });
    const form = h(
      "form",
      { id: "delete-account-form", class: "stack" },
      h("p", null, `“${a.name}” holds ${what}. Move ${transactions === 1 ? "it" : "them"} to another account, or delete ${transactions === 1 ? "it" : "them"} too; then “${a.name}” and its opening balance are deleted.`),
      rows,
      moveTo.wrapper,
      transfersNote,
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"),
        submit,
      ),
    );
    const fc = new FormController(form);
    onSubmit(
      fc,
      async () => {
        if (deleting()) {
          const answered = await api.removeAccount({ id: a.id, moveTo: null, deleteTransactions: true });
          dlg?.close();
          toast(`Account “${a.name}” and its ${what} deleted`, { kind: "success" });
          show(answered);
          return;
        }
        const target = others.find((o) => o.id === moveTo.control.value);
        const answered = await api.removeAccount({ id: a.id, moveTo: moveTo.control.value });
        dlg?.close();
        toast(`Account “${a.name}” deleted; its ${what} moved to “${target?.name ?? "the chosen account"}”`, { kind: "success" });
        show(answered);
      },
      {
        validate: (f) => {
          if (!deleting() && moveTo.control.value === "") f.setFieldError("moveTo", "Choose the account to move them to.");
          return !f.hasErrors();
        },
      },
    );
    dlg = openDialog({ title: `Delete “${a.name}”`, testId: "delete-account-dialog", className: "dialog-danger", returnFocus: trigger, body: () => form, initialFocus: () => moveTo.control });
  }

  const ready = load();
  return {
    el,
    ready,
    openNew: () => openEditor(null, newButton),
    dispose: () => {
      disposed = true;
    },
  };
}
