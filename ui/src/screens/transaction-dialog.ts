// Add / edit a transaction or a transfer. A mode switch (Expense / Income / Transfer) picks the
// fields: for expense and income, the amount (with a Refund switch on an expense: saved as a
// negative amount in the expense category), date (today by default), account (the last one used by
// default), a category of the mode's kind, description and note; for a transfer, the from and to
// accounts (open ones, different), amount, date, description and note. Editing a transfer's leg
// opens transfer mode and saves the whole transfer; choosing Transfer when editing an income or
// expense row converts it (convert_to_transfer: the row's account stays one side, its amount, date
// and description are kept). A change to a reconciled row asks first (confirmReconciled). Adds
// carry an idempotency key (lib/idempotency.ts).
import { api } from "../api";
import { categoriesOfKind, type Session } from "../context";
import type { AccountView, CategoryView, TransactionView, TransferView } from "../ipc-types";
import { browserStore, initialAccountId, pickerAccounts, rememberAccount, rememberedAccount } from "../lib/accounts";
import { amountExample as exampleOf, canonicalToTyped, parseTypedAmount, type DecimalSeparator } from "../lib/amount-entry";
import { todayLocal } from "../lib/dates";
import { toApiError } from "../lib/errors";
import { SubmissionKey } from "../lib/idempotency";
import { amountToSend, formAmount, isReconciledConflict, modeOf, otherAccount, transferAccountProblem, type FormMode } from "../lib/register";
import { amountForServer, blankToNull, validateAmount, validateDescription, validateNote } from "../lib/validation";
import { confirmDialog, openDialog, type DialogHandle } from "../ui/dialog";
import { typedDateField } from "../ui/date-field";
import { h } from "../ui/dom";
import { buildOptions, FormController, inputField, onSubmit, selectField, submitButton, textareaField } from "../ui/form";
import { ruleFromRowButton } from "./rules";
import { acceptSuggestion, attachSuggestion } from "./suggestion";

/** Last category used in this session, to speed up entering several transactions. */
let lastCategoryId: string | null = null;

/** What a save returned: a transaction, or a transfer (both legs). */
export type SavedEntry = { kind: "transaction"; transaction: TransactionView } | { kind: "transfer"; transfer: TransferView };

export interface TransactionDialogOptions {
  session: Session;
  categories: readonly CategoryView[];
  /**
   * The user's accounts (archived ones too; the picker offers the open ones and an edited
   * transaction's own). Empty when they could not be fetched: the form then has no picker and the
   * server uses the default account (on an add) or keeps the transaction's (on an edit).
   */
  accounts: readonly AccountView[];
  existing?: TransactionView | undefined;
  /** The transfer `existing` is a leg of (the form opens in transfer mode). */
  existingTransfer?: TransferView | undefined;
  onSaved: (saved: SavedEntry, created: boolean) => void;
  onManageCategories?: () => void;
  /** "Repeat this…": turn the edited transaction into a schedule (screens/schedules.ts). */
  onRepeat?: (transactionId: string) => void;
  returnFocus?: HTMLElement | null;
}

/** An example amount for a hint, in the user's decimal separator ("12,30"). */
export function amountExample(digits: number, decimal: DecimalSeparator = "dot"): string {
  return exampleOf(decimal, digits);
}

/**
 * Run `send` without the confirmation; when the server answers that the row is reconciled, ask and
 * run it again confirmed. Null when the person declined.
 */
export async function confirmingReconciled<T>(send: (confirmReconciled: boolean) => Promise<T>, what: string): Promise<T | null> {
  try {
    return await send(false);
  } catch (e) {
    if (!isReconciledConflict(toApiError(e))) throw e;
    const ok = await confirmDialog({
      title: "Change a reconciled transaction?",
      message: h("p", null, `This ${what} is reconciled against a bank statement. Changing it can make the account disagree with that statement.`),
      confirmLabel: "Change it",
      testId: "reconciled-dialog",
    });
    return ok ? send(true) : null;
  }
}

export function openTransactionDialog(opts: TransactionDialogOptions): DialogHandle {
  const { session, categories, accounts, existing, existingTransfer } = opts;
  const { currency, currencyDigits } = session.profile;
  const { decimal, dateEntry } = session.formats;
  const initialMode: FormMode = existing ? modeOf(existing.type) : "expense";
  const title = existing ? (initialMode === "transfer" ? "Edit transfer" : "Edit transaction") : "New transaction";

  if (categories.length === 0 && initialMode !== "transfer" && accounts.filter((a) => !a.archived).length < 2) {
    return openDialog({
      title,
      testId: "transaction-dialog",
      returnFocus: opts.returnFocus ?? null,
      body: (dlg) => [
        h("p", null, "You need at least one category before adding transactions."),
        h(
          "div",
          { class: "dialog-actions" },
          h("button", { type: "button", class: "secondary", onclick: () => dlg.close() }, "Close"),
          opts.onManageCategories
            ? h("button", { type: "button", class: "primary", onclick: () => { dlg.close(); opts.onManageCategories?.(); } }, "Go to categories")
            : null,
        ),
      ],
    });
  }

  let mode = initialMode;
  const known = (id: string | null | undefined): id is string => !!id && categories.some((c) => c.id === id);
  const initialAmount = existingTransfer ? { amount: existingTransfer.amount, refund: false } : existing ? formAmount(existing) : { amount: "", refund: false };
  if (initialAmount.amount !== "") initialAmount.amount = canonicalToTyped(initialAmount.amount, decimal);

  // ---- the mode switch: an edited row keeps its side (a leg stays a transfer; a category row stays one)
  const modeButton = (m: FormMode, label: string): HTMLLabelElement => {
    // A leg stays a transfer; an income or expense row may become one (a conversion).
    const disabled = initialMode === "transfer" && m !== "transfer";
    const radio = h("input", { type: "radio", name: "mode", value: m, id: `mode-${m}`, checked: m === mode, disabled });
    radio.addEventListener("change", () => {
      if (radio.checked) setMode(m);
    });
    return h("label", { class: `segment${disabled ? " disabled" : ""}`, for: `mode-${m}` }, radio, h("span", null, label));
  };
  const modeSwitch = h(
    "fieldset",
    { class: "segmented", id: "transaction-mode" },
    h("legend", { class: "visually-hidden" }, "Kind"),
    modeButton("expense", "Expense"),
    modeButton("income", "Income"),
    modeButton("transfer", "Transfer"),
  );

  const amount = inputField({
    name: "amount", label: "Amount", required: true, value: initialAmount.amount,
    hint: `In ${currency}, e.g. ${amountExample(currencyDigits, decimal)}`,
    attrs: { inputmode: currencyDigits > 0 ? "decimal" : "numeric", autocomplete: "off", class: "amount-input" },
  });
  const date = typedDateField({ name: "date", label: "Date", required: true, value: existingTransfer?.date ?? existing?.date ?? todayLocal(), format: dateEntry, today: () => todayLocal() });
  const refund = h("input", { type: "checkbox", name: "refund", id: "refund", checked: initialAmount.refund });
  const refundField = h(
    "div",
    { class: "field checkbox-field", "data-field": "refund" },
    h("label", { for: "refund" }, refund, " Refund", h("span", { class: "label-suffix" }, " (money back from a purchase: lowers this category's spending)")),
  );

  const remembered = rememberedAccount(browserStore(), session.profile.id);
  const offered = pickerAccounts(accounts, existing?.accountId);
  const account =
    offered.length === 0
      ? null
      : selectField({
          name: "accountId", label: "Account", required: true,
          value: initialAccountId(accounts, existing?.accountId, remembered) ?? "",
          options: offered.map((a) => ({ value: a.id, label: a.archived ? `${a.name} (archived)` : a.name })),
        });
  const accountOptions = (keep?: string): { value: string; label: string }[] =>
    [{ value: "", label: "Choose an account…" }, ...pickerAccounts(accounts, keep).map((a) => ({ value: a.id, label: a.archived ? `${a.name} (archived)` : a.name }))];
  const fromStart = existingTransfer?.fromAccountId ?? initialAccountId(accounts, null, remembered) ?? "";
  const fromAccount = selectField({ name: "fromAccountId", label: "From account", required: true, value: fromStart, options: accountOptions(existingTransfer?.fromAccountId) });
  const toAccount = selectField({
    name: "toAccountId", label: "To account", required: true,
    value: existingTransfer?.toAccountId ?? otherAccount(pickerAccounts(accounts), fromStart),
    options: accountOptions(existingTransfer?.toAccountId),
  });
  const transferRow = h("div", { class: "row" }, fromAccount.wrapper, toAccount.wrapper);
  /** Converting an edited income or expense row: its account is the side money leaves (expense) or reaches (income). */
  const converting = (): boolean => mode === "transfer" && existing !== undefined && !existingTransfer;
  const rowIsExpense = existing?.type === "expense";
  const convertNote = h("p", { class: "muted small", id: "convert-note" }, "This row becomes a transfer with the other account; its amount, date and description are kept.");

  const categoryItems = (): { value: string; label: string }[] => [
    { value: "", label: "Choose a category…" },
    ...categoriesOfKind(categories, mode === "income" ? "income" : "expense").map((c) => ({ value: c.id, label: c.name })),
  ];
  const category = selectField({ name: "categoryId", label: "Category", required: true, value: "", options: [] });
  const fillCategories = (wanted: string | null | undefined): void => {
    const items = categoryItems();
    buildOptions(category.control, items, wanted && items.some((o) => o.value === wanted) ? wanted : "");
  };
  fillCategories(existing && !existingTransfer ? existing.categoryId : known(lastCategoryId) ? lastCategoryId : null);

  const description = inputField({ name: "description", label: "Description", required: true, value: existingTransfer?.description ?? existing?.description ?? "", attrs: { autocomplete: "off" } });
  const note = textareaField({ name: "note", label: "Note", suffix: "(optional)", value: existingTransfer?.note ?? existing?.note ?? "", rows: 3 });

  const submitLabel = (): string =>
    existing ? (mode === "transfer" && !existingTransfer ? "Convert to transfer" : "Save changes") : mode === "transfer" ? "Add transfer" : "Add transaction";
  const submit = submitButton(submitLabel(), { id: "transaction-submit" });
  // "Save and add another" (Ctrl+Enter): adds, then empties amount, description and note for the
  // next one, keeping the kind, date, accounts and category (receipts of one shop or one day).
  let another = false;
  let wantAnother = false;
  let added = 0;
  const addedNote = h("p", { class: "muted small", id: "transaction-added", role: "status", "aria-live": "polite", hidden: true });
  const saveAnother = existing
    ? null
    : h("button", { type: "button", class: "secondary", id: "transaction-save-another", title: "Ctrl+Enter" }, "Save and add another");
  // A plain button (Enter in a field still means the main Add): it submits the form itself.
  saveAnother?.addEventListener("click", () => {
    another = true;
    form.requestSubmit(submit);
  });

  /** Show the fields of `m` (the others stay in the form, hidden and unchecked). */
  function setMode(m: FormMode): void {
    const before = category.control.value;
    mode = m;
    const transfer = m === "transfer";
    transferRow.hidden = !transfer;
    if (account) account.wrapper.hidden = transfer;
    category.wrapper.hidden = transfer;
    refundField.hidden = m !== "expense";
    if (!transfer) fillCategories(before);
    const convert = converting();
    convertNote.hidden = !convert;
    for (const c of [amount.control, date.control, description.control, note.control]) c.disabled = convert;
    if (convert && existing) {
      const fixed = rowIsExpense ? fromAccount : toAccount;
      const other = rowIsExpense ? toAccount : fromAccount;
      buildOptions(fixed.control, accountOptions(existing.accountId), existing.accountId);
      fixed.control.disabled = true;
      if (other.control.value === existing.accountId || other.control.value === "") other.control.value = otherAccount(pickerAccounts(accounts), existing.accountId);
    } else {
      fromAccount.control.disabled = false;
      toAccount.control.disabled = false;
    }
    submit.textContent = submitLabel();
    form.dataset["kind"] = m;
    fc.clear();
  }

  /** The transfer's accounts' problem on `field`, in transfer mode. */
  const transferProblem = (field: "fromAccountId" | "toAccountId"): string | null => {
    if (mode !== "transfer") return null;
    const p = transferAccountProblem(fromAccount.control.value, toAccount.control.value);
    return p?.field === field ? p.message : null;
  };
  const checks: Record<string, () => string | null> = {
    // A leading minus on an expense is a refund (the model allows it there only).
    amount: () => validateAmount(amount.control.value, currencyDigits, { currency, decimal, allowNegative: mode === "expense" }),
    date: () => date.problem(),
    fromAccountId: () => transferProblem("fromAccountId"),
    toAccountId: () => transferProblem("toAccountId"),
    categoryId: () => (mode !== "transfer" && category.control.value === "" ? "is required" : null),
    description: () => validateDescription(description.control.value),
    note: () => validateNote(note.control.value),
  };

  let dialog: DialogHandle | null = null;
  // One key per add; a retry of the same add after "unavailable" reuses it (applied at most once).
  const addKey = new SubmissionKey();
  const form = h(
    "form",
    { id: "transaction-form", class: "stack", "data-mode": existing ? "edit" : "add", "data-kind": mode },
    modeSwitch,
    // Amount then description: the two fields that change from one receipt to the next are one
    // Tab apart; date, account and category follow (kept by "Save and add another").
    h("div", { class: "row" }, amount.wrapper, description.wrapper),
    refundField,
    h("div", { class: "row" }, date.wrapper, account?.wrapper ?? null),
    transferRow,
    convertNote,
    category.wrapper,
    note.wrapper,
    addedNote,
    h(
      "div",
      { class: "dialog-actions" },
      existing && opts.onRepeat ? h("button", { type: "button", class: "secondary", id: "transaction-repeat", onclick: () => { dialog?.close(); opts.onRepeat?.(existing.id); } }, "Repeat this…") : null,
      h("button", { type: "button", class: "secondary", id: "transaction-cancel", onclick: () => dialog?.close() }, "Cancel"),
      saveAnother,
      submit,
    ),
  );
  const fc = new FormController(form);
  setMode(mode);
  if (!existing) {
    form.addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter" || !(ev.ctrlKey || ev.metaKey) || ev.defaultPrevented) return;
      ev.preventDefault();
      another = true;
      form.requestSubmit(submit);
    });
  }
  // A minus typed on an expense is a refund: shown as the Refund switch, the amount without sign.
  amount.control.addEventListener("blur", () => {
    if (mode !== "expense") return;
    const typed = parseTypedAmount(amount.control.value, decimal, currencyDigits);
    if (!typed.ok || !typed.value.negative) return;
    amount.control.value = amount.control.value.trim().replace(/^[-\u2212]\s*/, "");
    refund.checked = true;
  });

  /** Ready for the next entry after "Save and add another". */
  function nextEntry(): void {
    added += 1;
    addedNote.hidden = false;
    addedNote.textContent = `${added} added. Enter the next one, or close when done.`;
    amount.control.value = "";
    description.control.value = "";
    note.control.value = "";
    refund.checked = false;
    fc.clear();
    amount.control.focus();
  }
  // Adding: the suggestion under the description (screens/suggestion.ts); editing: a rule from this row.
  if (!existing) {
    const chooseCategory = (kind: "income" | "expense" | null, id: string): void => {
      if (kind && kind !== mode) (form.querySelector<HTMLInputElement>(`#mode-${kind}`) ?? { click: () => undefined }).click();
      fillCategories(id);
    };
    description.wrapper.after(attachSuggestion(session, form, { description: description.control, amount: amount.control, note: note.control, kind: () => (mode === "transfer" ? null : mode), accountId: () => account?.control.value || null, chooseCategory, decimal }));
    // Enter in the description takes the suggestion (when there is one; else Enter adds as usual).
    description.control.addEventListener("keydown", (ev) => {
      if (ev.key !== "Enter" || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
      if (acceptSuggestion(form)) ev.preventDefault();
    });
  } else if (!existingTransfer) form.querySelector(".dialog-actions")?.prepend(ruleFromRowButton(session, existing, () => dialog?.close()));

  // Inline validation as fields are left, cleared as soon as the value becomes valid.
  for (const [name, check] of Object.entries(checks)) {
    const control = fc.control(name);
    control?.addEventListener("blur", () => {
      if (control.value.trim() === "" && control.getAttribute("aria-invalid") !== "true") return;
      const problem = check();
      if (problem) fc.setFieldProblem(name, problem);
      else fc.clearField(name);
    });
    control?.addEventListener("input", () => {
      if (control.getAttribute("aria-invalid") === "true" && check() === null) fc.clearField(name);
    });
  }

  async function convert(row: TransactionView): Promise<SavedEntry | null> {
    const otherAccountId = (rowIsExpense ? toAccount : fromAccount).control.value;
    const transfer = await confirmingReconciled((confirmReconciled) => api.convertToTransfer({ id: row.id, otherAccountId, confirmReconciled }), "transaction");
    return transfer && { kind: "transfer", transfer };
  }

  async function saveTransfer(): Promise<SavedEntry | null> {
    if (existing && !existingTransfer) return convert(existing);
    const fields = {
      fromAccountId: fromAccount.control.value,
      toAccountId: toAccount.control.value,
      amount: amountForServer(amount.control.value, currencyDigits, decimal),
      date: date.iso() ?? date.control.value,
      description: description.control.value.trim(),
      note: blankToNull(note.control.value),
    };
    const id = existingTransfer?.id;
    const transfer = id
      ? await confirmingReconciled((confirmReconciled) => api.updateTransfer({ id, ...fields, confirmReconciled }), "transfer")
      : await addKey.run(fields, (idempotencyKey) => api.addTransfer({ ...fields, idempotencyKey }), toApiError);
    return transfer && { kind: "transfer", transfer };
  }

  async function saveTransaction(): Promise<SavedEntry | null> {
    const typed = parseTypedAmount(amount.control.value, decimal, currencyDigits);
    const magnitude = typed.ok ? typed.value.magnitude : amount.control.value.trim();
    const typedRefund = typed.ok && typed.value.negative;
    const fields = {
      accountId: account ? account.control.value : null,
      categoryId: category.control.value,
      amount: amountToSend(magnitude, mode === "expense" && (refund.checked || typedRefund)),
      date: date.iso() ?? date.control.value,
      description: description.control.value.trim(),
      note: blankToNull(note.control.value),
    };
    const id = existing?.id;
    const transaction = id
      ? await confirmingReconciled((confirmReconciled) => api.updateTransaction({ id, ...fields, confirmReconciled }), "transaction")
      : await addKey.run(fields, (idempotencyKey) => api.addTransaction({ ...fields, idempotencyKey }), toApiError);
    if (transaction) lastCategoryId = fields.categoryId;
    if (transaction && !existing && fields.accountId) rememberAccount(browserStore(), session.profile.id, fields.accountId);
    return transaction && { kind: "transaction", transaction };
  }

  onSubmit(
    fc,
    async () => {
      const again = wantAnother;
      const saved = mode === "transfer" ? await saveTransfer() : await saveTransaction();
      if (!saved) return; // the person kept the reconciled row as it was
      if (again && !existing) {
        opts.onSaved(saved, true);
        nextEntry();
        return;
      }
      dialog?.close();
      opts.onSaved(saved, !existing);
    },
    {
      validate: (f) => {
        // Which button (or Ctrl+Enter) sent this one; a refused submission forgets it.
        wantAnother = another;
        another = false;
        for (const [name, check] of Object.entries(checks)) {
          const problem = check();
          if (problem) f.setFieldProblem(name, problem);
        }
        return !f.hasErrors();
      },
    },
  );

  dialog = openDialog({ title, testId: "transaction-dialog", body: () => form, initialFocus: () => amount.control, returnFocus: opts.returnFocus ?? null });
  return dialog;
}
