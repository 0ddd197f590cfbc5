// Budgets: progress for today's period (or, stepped with ‹ ›, the periods of another month), add / edit (expense category, limit, period), delete.
// The list is fetched when the screen opens; a write shows what it returns (an added budget goes
// last, as the server lists budgets by creation; an edit replaces its bar; a delete removes it).
// The editor's categories come from the session's cache (context.ts).
import { api } from "../api";
import { categoriesOfKind, type AppContext, type Screen } from "../context";
import type { BudgetView, CategoryView, Period } from "../ipc-types";
import { monthRange, todayLocal } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { canonicalToTyped } from "../lib/amount-entry";
import { amountForServer, validateAmount } from "../lib/validation";
import { budgetBar, PERIOD_LABELS } from "../ui/budget-bar";
import { confirmDialog, openDialog, type DialogHandle } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { monthStepper } from "../ui/month-stepper";
import { FormController, inputField, onSubmit, selectField, submitButton } from "../ui/form";
import { toast } from "../ui/toast";
import { errorBlock, loadingBlock, pageHeader } from "./common";
import { amountExample } from "./transaction-dialog";

const PERIODS: readonly Period[] = ["weekly", "monthly", "yearly"];

export function renderBudgets(ctx: AppContext): Screen {
  const { session } = ctx;
  let disposed = false;
  let categories: CategoryView[] = [];
  /** The budgets on screen, in the server's order. */
  let budgets: BudgetView[] = [];

  const stepper = monthStepper({ id: "budgets-month", today: () => todayLocal(), locale: session.locale, onStep: () => void load() });
  /** Answers of an earlier step are dropped. */
  let seq = 0;
  const list = h("div", { class: "budget-list", id: "budget-list", "aria-busy": "true" }, loadingBlock());
  const newButton = h("button", { type: "button", class: "primary", id: "new-budget" }, "New budget");
  newButton.addEventListener("click", () => void openEditor(null, newButton));
  const el = h(
    "div",
    { class: "screen", "data-screen": "budgets" },
    pageHeader("Budgets", newButton),
    h("p", { class: "muted subtitle" }, "Spending in each expense category against a limit, for the week, month or year of the month shown."),
    stepper.el,
    list,
  );

  function render(): void {
    setChildren(
      list,
      budgets.length === 0
        ? h("div", { class: "card empty muted" }, "No budgets yet. Use “New budget” to set a spending limit for an expense category.")
        : budgets.map((b) => budgetBar(b, session.money, session.locale, actions(b))),
    );
  }

  /** Show a budget a write returned: replace the one with its id, or add it last. */
  function showSaved(b: BudgetView): void {
    budgets = budgets.some((x) => x.id === b.id) ? budgets.map((x) => (x.id === b.id ? b : x)) : [...budgets, b];
    render();
  }

  async function load(): Promise<void> {
    list.setAttribute("aria-busy", "true");
    try {
      const mine = ++seq;
      const date = stepper.date();
      // Another month: each budget's period containing that month's last day.
      const answer = await api.listBudgets(date ? { date: monthRange(date).to } : {});
      if (disposed || mine !== seq) return;
      budgets = answer;
      render();
    } catch (e) {
      if (!disposed) setChildren(list, errorBlock(describeError(toApiError(e)), () => void load()));
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }

  const actions = (b: BudgetView): HTMLElement => {
    const edit = h("button", { type: "button", class: "link", "data-action": "edit", "aria-label": `Edit the ${b.categoryName} budget` }, "Edit");
    const del = h("button", { type: "button", class: "link danger-link", "data-action": "delete", "aria-label": `Delete the ${b.categoryName} budget` }, "Delete");
    edit.addEventListener("click", () => void openEditor(b, edit));
    del.addEventListener("click", () => void remove(b));
    return h("span", { class: "row-actions" }, edit, del);
  };

  async function remove(b: BudgetView): Promise<void> {
    const ok = await confirmDialog({
      title: "Delete budget?",
      message: h("p", null, `Delete the ${b.period} budget of ${session.money(b.limit)} for “`, h("strong", null, b.categoryName), "”? Transactions are not affected."),
      confirmLabel: "Delete",
      danger: true,
      testId: "delete-budget-dialog",
      action: () => api.deleteBudget({ id: b.id }),
    });
    if (ok) {
      toast("Budget deleted", { kind: "success" });
      if (disposed) return;
      budgets = budgets.filter((x) => x.id !== b.id);
      render();
    }
  }

  async function openEditor(existing: BudgetView | null, trigger: HTMLButtonElement): Promise<void> {
    trigger.disabled = true;
    trigger.setAttribute("aria-busy", "true");
    try {
      categories = await session.categories.get();
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
      return;
    } finally {
      trigger.disabled = false;
      trigger.removeAttribute("aria-busy");
    }
    if (disposed) return;
    const expense = categoriesOfKind(categories, "expense");
    const title = existing ? `Edit the ${existing.categoryName} budget` : "New budget";
    if (expense.length === 0) {
      openDialog({
        title,
        testId: "budget-dialog",
        returnFocus: trigger,
        body: (d) => [
          h("p", null, "Budgets are set on expense categories, and there is none yet."),
          h(
            "div",
            { class: "dialog-actions" },
            h("button", { type: "button", class: "secondary", onclick: () => d.close() }, "Close"),
            h("button", { type: "button", class: "primary", onclick: () => { d.close(); ctx.navigate("categories"); } }, "Go to categories"),
          ),
        ],
      });
      return;
    }
    const { currency, currencyDigits } = session.profile;
    const category = selectField({
      name: "categoryId", label: "Expense category", required: true, value: existing?.categoryId ?? "",
      options: [{ value: "", label: "Choose a category…" }, ...expense.map((c) => ({ value: c.id, label: c.name }))],
    });
    const limit = inputField({
      name: "limit", label: "Limit", required: true, value: existing ? canonicalToTyped(existing.limit, session.formats.decimal) : "",
      hint: `In ${currency}, e.g. ${amountExample(currencyDigits, session.formats.decimal)}`,
      attrs: { inputmode: currencyDigits > 0 ? "decimal" : "numeric", autocomplete: "off", class: "amount-input" },
    });
    const period = selectField({
      name: "period", label: "Period", required: true, value: existing?.period ?? "monthly",
      options: PERIODS.map((p) => ({ value: p, label: PERIOD_LABELS[p] })),
    });
    let dlg: DialogHandle | null = null;
    const form = h(
      "form",
      { id: "budget-form", class: "stack", "data-mode": existing ? "edit" : "add" },
      category.wrapper,
      h("div", { class: "row" }, limit.wrapper, period.wrapper),
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"),
        submitButton(existing ? "Save changes" : "Add budget", { id: "budget-submit" }),
      ),
    );
    const fc = new FormController(form);
    const checkLimit = (): string | null => validateAmount(limit.control.value, currencyDigits, { currency, decimal: session.formats.decimal });
    limit.control.addEventListener("blur", () => {
      if (limit.control.value.trim() === "") return;
      const problem = checkLimit();
      if (problem) fc.setFieldProblem("limit", problem);
      else fc.clearField("limit");
    });
    onSubmit(
      fc,
      async () => {
        const p = PERIODS.find((x) => x === period.control.value) ?? "monthly";
        const fields = { categoryId: category.control.value, limit: amountForServer(limit.control.value, currencyDigits, session.formats.decimal), period: p };
        const saved = existing ? await api.updateBudget({ id: existing.id, ...fields }) : await api.addBudget(fields);
        dlg?.close();
        toast(existing ? "Budget saved" : "Budget added", { kind: "success" });
        if (!disposed) showSaved(saved);
      },
      {
        validate: (f) => {
          if (category.control.value === "") f.setFieldProblem("categoryId", "is required");
          const problem = checkLimit();
          if (problem) f.setFieldProblem("limit", problem);
          return !f.hasErrors();
        },
      },
    );
    dlg = openDialog({ title, testId: "budget-dialog", returnFocus: trigger, body: () => form, initialFocus: () => (existing ? limit.control : category.control) });
  }

  void load();
  return {
    el,
    dispose: () => {
      disposed = true;
    },
  };
}
