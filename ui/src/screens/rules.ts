// Rules: the user's rules in order (the first enabled match wins), each with its conditions and
// actions in words, an enable switch, move up / down, edit and delete; "New rule"; and "Apply rules
// to existing transactions", which shows the matching rows and their changes first and then
// applies them in one write. The rule dialog is shared with "Create a rule from this transaction"
// (the transaction dialog's button, pre-filled by the server). Rule writes answer the whole list.
import { api } from "../api";
import type { AppContext, Screen, Session } from "../context";
import type { RuleInput, RuleView, RulesApplicationView, TransactionView } from "../ipc-types";
import { describeError, toApiError } from "../lib/errors";
import { describeActions, describeConditions, inputOf, moved, ruleInputFrom } from "../lib/rules";
import { openDialog, type DialogHandle } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { FormController, inputField, onSubmit, selectField, submitButton } from "../ui/form";
import { toast } from "../ui/toast";
import { errorBlock, groupedCategoryOptions, loadingBlock, pageHeader } from "./common";

export function renderRules(ctx: AppContext): Screen {
  const { session } = ctx;
  let disposed = false;
  let rules: RuleView[] = [];
  let accountNames = new Map<string, string>();

  const list = h("div", { id: "rule-list", "aria-busy": "true" }, loadingBlock());
  const newButton = h("button", { type: "button", class: "primary", id: "new-rule" }, "New rule");
  newButton.addEventListener("click", () => void openRuleDialog(session, null, newButton, show));
  const applyButton = h("button", { type: "button", class: "secondary", id: "apply-rules" }, "Apply rules to existing transactions");
  applyButton.addEventListener("click", () => void applyToExisting(applyButton));
  const el = h(
    "div",
    { class: "screen", "data-screen": "rules" },
    pageHeader("Rules", applyButton, newButton),
    h("p", { class: "muted subtitle" }, "Rules categorise imported and new transactions: the first enabled rule whose conditions all hold is used."),
    list,
  );

  function show(next: RuleView[]): void {
    rules = next;
    if (disposed) return;
    setChildren(
      list,
      rules.length === 0
        ? h("div", { class: "card empty muted" }, "No rules yet. Use “New rule”, or “Create rule…” on a transaction.")
        : h("ol", { class: "rule-list card" }, rules.map((r, i) => row(r, i))),
    );
  }

  const run = async (write: () => Promise<RuleView[]>): Promise<void> => {
    try {
      show(await write());
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
    }
  };

  function row(r: RuleView, i: number): HTMLElement {
    const label = r.name;
    const enabled = h("input", { type: "checkbox", checked: r.enabled, "aria-label": `Enable ${label}`, "data-action": "enable" });
    enabled.addEventListener("change", () => void run(() => api.setRuleEnabled({ id: r.id, enabled: enabled.checked })));
    const move = (delta: -1 | 1, text: string, action: string): HTMLButtonElement => {
      const ids = moved(rules.map((x) => x.id), r.id, delta);
      const b = h("button", { type: "button", class: "link", "data-action": action, disabled: ids === null, "aria-label": `${text}: ${label}` }, text);
      b.addEventListener("click", () => ids && void run(() => api.reorderRules({ ids })));
      return b;
    };
    const edit = h("button", { type: "button", class: "link", "data-action": "edit", "aria-label": `Edit ${label}` }, "Edit");
    edit.addEventListener("click", () => void openRuleDialog(session, r, edit, show));
    const del = h("button", { type: "button", class: "link danger-link", "data-action": "delete", "aria-label": `Delete ${label}` }, "Delete");
    del.addEventListener("click", () => void run(() => api.deleteRule({ id: r.id })).then(() => toast("Rule deleted", { kind: "success" })));
    return h(
      "li",
      { class: `rule-row${r.enabled ? "" : " disabled"}`, "data-rule-id": r.id },
      h("span", { class: "rule-order muted" }, `${i + 1}.`),
      h("label", { class: "rule-enabled" }, enabled),
      h(
        "div",
        { class: "rule-text" },
        h("strong", { class: "rule-name" }, label),
        h("div", { class: "muted small" }, describeConditions(r, (id) => accountNames.get(id) ?? "an account", session.money), " ", describeActions(r)),
      ),
      h("span", { class: "row-actions" }, move(-1, "Up", "up"), move(1, "Down", "down"), edit, del),
    );
  }

  async function load(): Promise<void> {
    list.setAttribute("aria-busy", "true");
    try {
      const [found, accounts] = await Promise.all([api.listRules(), session.accounts.get().catch(() => [])]);
      accountNames = new Map(accounts.map((a) => [a.id, a.name]));
      show(found);
    } catch (e) {
      if (!disposed) setChildren(list, errorBlock(describeError(toApiError(e)), () => void load()));
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }

  void load();
  return {
    el,
    dispose: () => {
      disposed = true;
    },
  };
}

/** The rule dialog: add (`existing` null, optionally pre-filled by `initial`) or edit; `onSaved` gets the list. */
export async function openRuleDialog(
  session: Session,
  existing: RuleView | null,
  trigger: HTMLElement | null,
  onSaved: (rules: RuleView[]) => void,
  initial?: RuleInput,
): Promise<DialogHandle | null> {
  let categories;
  let accounts;
  try {
    [categories, accounts] = await Promise.all([session.categories.get(), session.accounts.get()]);
  } catch (e) {
    toast(describeError(toApiError(e)), { kind: "error" });
    return null;
  }
  const v: RuleInput | null = existing ? inputOf(existing) : initial ?? null;
  const text = (name: string, label: string, value: string | null | undefined, extra: Partial<Parameters<typeof inputField>[0]> = {}) =>
    inputField({ name, label, value: value ?? "", attrs: { autocomplete: "off" }, ...extra });
  const name = text("name", "Name", v?.name, { suffix: "(optional)" });
  const match = selectField({
    name: "descriptionMatch", label: "Description", value: v?.descriptionMatch ?? "contains",
    options: [{ value: "contains", label: "contains" }, { value: "startsWith", label: "starts with" }, { value: "equals", label: "is" }],
  });
  const descriptionText = text("descriptionText", "Text", v?.descriptionText, { hint: "Ignoring case; plain text" });
  const amountMin = text("amountMin", "Amount from", v?.amountMin, { suffix: "(optional)" });
  const amountMax = text("amountMax", "to", v?.amountMax, { suffix: "(optional)" });
  const account = selectField({
    name: "accountId", label: "Account", value: v?.accountId ?? "",
    options: [{ value: "", label: "Any account" }, ...accounts.filter((a) => !a.archived || a.id === v?.accountId).map((a) => ({ value: a.id, label: a.name }))],
  });
  const type = selectField({
    name: "type", label: "Kind", value: v?.type ?? "",
    options: [{ value: "", label: "Income or expense" }, { value: "expense", label: "Expense" }, { value: "income", label: "Income" }],
  });
  const category = selectField({
    name: "categoryId", label: "Set category", value: v?.categoryId ?? "",
    options: [{ value: "", label: "Leave the category" }, ...groupedCategoryOptions(categories)],
  });
  const rename = text("rename", "Rename to", v?.rename, { suffix: "(optional)", hint: "A clean payee name" });
  const note = text("note", "Set note", v?.note, { suffix: "(optional)" });
  const enabled = h("input", { type: "checkbox", id: "rule-enabled", name: "enabled", checked: v?.enabled ?? true });
  let dlg: DialogHandle | null = null;
  const form = h(
    "form",
    { id: "rule-form", class: "stack", "data-mode": existing ? "edit" : "add" },
    h("fieldset", { class: "stack" }, h("legend", null, "When all of these hold"), h("div", { class: "row" }, match.wrapper, descriptionText.wrapper), h("div", { class: "row" }, amountMin.wrapper, amountMax.wrapper), h("div", { class: "row" }, account.wrapper, type.wrapper)),
    h("fieldset", { class: "stack" }, h("legend", null, "Then"), category.wrapper, h("div", { class: "row" }, rename.wrapper, note.wrapper)),
    name.wrapper,
    h("div", { class: "field checkbox-field" }, h("label", { for: "rule-enabled" }, enabled, " Enabled")),
    h(
      "div",
      { class: "dialog-actions" },
      h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"),
      submitButton(existing ? "Save rule" : "Add rule", { id: "rule-submit" }),
    ),
  );
  const fc = new FormController(form);
  onSubmit(fc, async () => {
    const input = ruleInputFrom({
      name: name.control.value, enabled: enabled.checked, descriptionMatch: match.control.value, descriptionText: descriptionText.control.value,
      amountMin: amountMin.control.value, amountMax: amountMax.control.value, accountId: account.control.value, type: type.control.value,
      categoryId: category.control.value, rename: rename.control.value, note: note.control.value,
    });
    const saved = existing ? await api.updateRule({ id: existing.id, ...input }) : await api.addRule(input);
    dlg?.close();
    toast(existing ? "Rule saved" : "Rule added", { kind: "success" });
    onSaved(saved);
  });
  dlg = openDialog({ title: existing ? "Edit rule" : "New rule", testId: "rule-dialog", returnFocus: trigger, body: () => form, initialFocus: () => descriptionText.control });
  return dlg;
}

/** The transaction dialog's "Create rule…" button: closes it and opens the rule dialog pre-filled from `row`. */
export function ruleFromRowButton(session: Session, row: TransactionView, closeTransaction: () => void): HTMLButtonElement {
  const b = h("button", { type: "button", class: "link", id: "rule-from-transaction" }, "Create rule…");
  b.addEventListener("click", () => {
    void (async () => {
      try {
        const initial = await api.ruleFromTransaction({ id: row.id });
        closeTransaction();
        await openRuleDialog(session, null, null, () => undefined, initial);
      } catch (e) {
        toast(describeError(toApiError(e)), { kind: "error" });
      }
    })();
  });
  return b;
}

/** "Apply rules to existing transactions": the preview first, then one write on confirmation. */
async function applyToExisting(trigger: HTMLButtonElement): Promise<void> {
  let preview: RulesApplicationView;
  trigger.disabled = true;
  try {
    preview = await api.applyRulesPreview({ filter: emptyFilter() });
  } catch (e) {
    toast(describeError(toApiError(e)), { kind: "error" });
    return;
  } finally {
    trigger.disabled = false;
  }
  const skipped = [
    preview.skippedKind > 0 ? `${preview.skippedKind} where the rule's category is of the other kind (income vs expense)` : null,
    preview.skippedReconciled > 0 ? `${preview.skippedReconciled} reconciled` : null,
    preview.skippedTransfer > 0 ? `${preview.skippedTransfer} transfers` : null,
  ].filter((x) => x);
  openDialog({
    title: "Apply rules to existing transactions",
    testId: "apply-rules-dialog",
    returnFocus: trigger,
    body: (dlg) => {
      const confirm = h("button", { type: "button", class: "primary", id: "apply-rules-confirm", disabled: preview.count === 0 }, `Apply to ${preview.count} transaction${preview.count === 1 ? "" : "s"}`);
      confirm.addEventListener("click", () => {
        confirm.disabled = true;
        api.applyRules({ filter: emptyFilter() }).then(
          (done) => {
            dlg.close();
            toast(`${done.applied} transaction${done.applied === 1 ? "" : "s"} changed${done.more ? "; apply again for more" : ""}`, { kind: "success" });
          },
          (e) => {
            confirm.disabled = false;
            toast(describeError(toApiError(e)), { kind: "error" });
          },
        );
      });
      return [
        h("p", { id: "apply-rules-count" }, preview.count === 0 ? "No transaction would change." : `${preview.count}${preview.more ? "+" : ""} transaction${preview.count === 1 ? "" : "s"} would change.`),
        skipped.length > 0 ? h("p", { class: "muted small" }, `Left as they are: ${skipped.join("; ")}.`) : null,
        preview.rows.length > 0
          ? h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "data-table compact", id: "apply-rules-table" },
                h("thead", null, h("tr", null, ["Date", "Description", "Category", "Rule"].map((t) => h("th", { scope: "col" }, t)))),
                h(
                  "tbody",
                  null,
                  preview.rows.map((r) =>
                    h(
                      "tr",
                      null,
                      h("td", null, r.date),
                      h("td", null, r.description === r.newDescription ? r.description : `${r.description} → ${r.newDescription}`),
                      h("td", null, r.categoryName === r.newCategoryName ? r.categoryName : `${r.categoryName} → ${r.newCategoryName}`),
                      h("td", { class: "muted" }, r.ruleName),
                    ),
                  ),
                ),
              ),
            )
          : null,
        h("div", { class: "dialog-actions" }, h("button", { type: "button", class: "secondary", onclick: () => dlg.close() }, "Cancel"), confirm),
      ];
    },
  });
}

function emptyFilter(): Parameters<typeof api.applyRules>[0]["filter"] {
  return { from: null, to: null, categoryIds: [], type: null, text: null, minAmount: null, maxAmount: null, sort: null, limit: null, cursor: null };
}
