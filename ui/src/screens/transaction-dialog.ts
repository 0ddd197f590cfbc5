// Add / edit a transaction: amount, date (today by default), account (the last one used by default),
// grouped category, description, note.
import { api } from "../api";
import type { Session } from "../context";
import type { AccountView, CategoryView, TransactionView } from "../ipc-types";
import { browserStore, initialAccountId, pickerAccounts, rememberAccount, rememberedAccount } from "../lib/accounts";
import { todayLocal } from "../lib/dates";
import { toIpcError } from "../lib/errors";
import { SubmissionKey } from "../lib/idempotency";
import { blankToNull, validateAmount, validateDescription, validateNote } from "../lib/validation";
import { openDialog, type DialogHandle } from "../ui/dialog";
import { h } from "../ui/dom";
import { FormController, inputField, onSubmit, selectField, submitButton, textareaField } from "../ui/form";
import { groupedCategoryOptions } from "./common";

/** Last category used in this session, to speed up entering several transactions. */
let lastCategoryId: string | null = null;

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
  onSaved: (t: TransactionView, created: boolean) => void;
  onManageCategories?: () => void;
  returnFocus?: HTMLElement | null;
}

export function amountExample(digits: number): string {
  return digits <= 0 ? "1200" : `12.${"3".padEnd(digits, "0")}`;
}

export function openTransactionDialog(opts: TransactionDialogOptions): DialogHandle {
  const { session, categories, accounts, existing } = opts;
  const { currency, currencyDigits } = session.profile;
  const title = existing ? "Edit transaction" : "New transaction";

  if (categories.length === 0) {
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

  const known = (id: string | null | undefined): id is string => !!id && categories.some((c) => c.id === id);
  const selectedCategory = existing?.categoryId ?? (known(lastCategoryId) ? lastCategoryId : "");

  const amount = inputField({
    name: "amount", label: "Amount", required: true, value: existing?.amount ?? "",
    hint: `In ${currency}, e.g. ${amountExample(currencyDigits)}`,
    attrs: { inputmode: currencyDigits > 0 ? "decimal" : "numeric", autocomplete: "off", class: "amount-input" },
  });
  const date = inputField({ name: "date", label: "Date", type: "date", required: true, value: existing?.date ?? todayLocal() });
  const offered = pickerAccounts(accounts, existing?.accountId);
  const account =
    offered.length === 0
      ? null
      : selectField({
          name: "accountId", label: "Account", required: true,
          value: initialAccountId(accounts, existing?.accountId, rememberedAccount(browserStore(), session.profile.id)) ?? "",
          options: offered.map((a) => ({ value: a.id, label: a.archived ? `${a.name} (archived)` : a.name })),
        });
  const category = selectField({
    name: "categoryId", label: "Category", required: true, value: selectedCategory,
    options: [{ value: "", label: "Choose a category…" }, ...groupedCategoryOptions(categories)],
  });
  const description = inputField({ name: "description", label: "Description", required: true, value: existing?.description ?? "", attrs: { autocomplete: "off" } });
  const note = textareaField({ name: "note", label: "Note", suffix: "(optional)", value: existing?.note ?? "", rows: 3 });

  const checks: Record<string, () => string | null> = {
    amount: () => validateAmount(amount.control.value, currencyDigits, { currency }),
    date: () => (date.control.value === "" ? "is required" : null),
    categoryId: () => (category.control.value === "" ? "is required" : null),
    description: () => validateDescription(description.control.value),
    note: () => validateNote(note.control.value),
  };

  let dialog: DialogHandle | null = null;
  // One key per add; a retry of the same add after "unavailable" reuses it (applied at most once).
  const addKey = new SubmissionKey();
  const form = h(
    "form",
    { id: "transaction-form", class: "stack", "data-mode": existing ? "edit" : "add" },
    h("div", { class: "row" }, amount.wrapper, date.wrapper),
    account?.wrapper,
    category.wrapper,
    description.wrapper,
    note.wrapper,
    h(
      "div",
      { class: "dialog-actions" },
      h("button", { type: "button", class: "secondary", id: "transaction-cancel", onclick: () => dialog?.close() }, "Cancel"),
      submitButton(existing ? "Save changes" : "Add transaction", { id: "transaction-submit" }),
    ),
  );
  const fc = new FormController(form);

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

  onSubmit(
    fc,
    async () => {
      const fields = {
        accountId: account ? account.control.value : null,
        categoryId: category.control.value,
        amount: amount.control.value.trim(),
        date: date.control.value,
        description: description.control.value.trim(),
        note: blankToNull(note.control.value),
      };
      const saved = existing
        ? await api.updateTransaction({ id: existing.id, ...fields })
        : await addKey.run(fields, (idempotencyKey) => api.addTransaction({ ...fields, idempotencyKey }), toIpcError);
      lastCategoryId = fields.categoryId;
      if (!existing && fields.accountId) rememberAccount(browserStore(), session.profile.id, fields.accountId);
      dialog?.close();
      opts.onSaved(saved, !existing);
    },
    {
      validate: (f) => {
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
