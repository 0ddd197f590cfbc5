// Categories: income and expense lists, add, rename, delete (moving what uses it when needed).
// The list comes from the session's category cache (context.ts); each write puts what it returns
// into the cache and redraws the lists from it, without fetching the list again.
import { api } from "../api";
import { categoriesOfKind, type AppContext, type Screen } from "../context";
import type { CategoryKind, CategoryUsageView, CategoryView } from "../ipc-types";
import { describeError, toApiError } from "../lib/errors";
import { validateCategoryName } from "../lib/validation";
import { confirmDialog, openDialog, type DialogHandle } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { FormController, inputField, onSubmit, selectField, submitButton } from "../ui/form";
import { toast } from "../ui/toast";
import { errorBlock, loadingBlock, pageHeader } from "./common";

const KIND_LABEL: Readonly<Record<CategoryKind, string>> = { income: "Income", expense: "Expense" };

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "12 transactions and 1 budget" */
export function usageText(u: CategoryUsageView): string {
  const parts: string[] = [];
  if (u.transactions > 0) parts.push(plural(u.transactions, "transaction", "transactions"));
  if (u.budgets > 0) parts.push(plural(u.budgets, "budget", "budgets"));
  return parts.join(" and ");
}

export function renderCategories(ctx: AppContext): Screen {
  const cache = ctx.session.categories;
  let categories: CategoryView[] = [];
  let disposed = false;

  const name = inputField({ name: "name", label: "Name", required: true, id: "category-name", attrs: { autocomplete: "off" } });
  const type = selectField({
    name: "type", label: "Type", id: "category-type", value: "expense",
    options: [{ value: "expense", label: "Expense" }, { value: "income", label: "Income" }],
  });
  const addForm = h("form", { id: "category-form", class: "inline-form card", "aria-labelledby": "add-category-title" },
    h("h2", { id: "add-category-title", class: "card-title" }, "Add a category"),
    h("div", { class: "inline-fields" }, name.wrapper, type.wrapper, h("div", { class: "field field-button" }, submitButton("Add category", { id: "add-category" }))),
  );
  const addFc = new FormController(addForm);
  onSubmit(
    addFc,
    async () => {
      const kind: CategoryKind = type.control.value === "income" ? "income" : "expense";
      const created = await api.addCategory({ name: name.control.value.trim(), type: kind });
      cache.put(created);
      name.control.value = "";
      toast(`Category “${created.name}” added`, { kind: "success" });
      await load();
      name.control.focus();
    },
    {
      validate: (f) => {
        const problem = validateCategoryName(name.control.value);
        if (problem) f.setFieldProblem("name", problem);
        return !f.hasErrors();
      },
    },
  );

  const lists = h("div", { class: "category-columns", "aria-busy": "true" }, loadingBlock());
  const el = h("div", { class: "screen", "data-screen": "categories" }, pageHeader("Categories"), addForm, lists);

  const item = (c: CategoryView): HTMLLIElement => {
    const rename = h("button", { type: "button", class: "link", "data-action": "rename", "aria-label": `Rename ${c.name}` }, "Rename");
    const del = h("button", { type: "button", class: "link danger-link", "data-action": "delete", "aria-label": `Delete ${c.name}` }, "Delete");
    rename.addEventListener("click", () => openRename(c));
    del.addEventListener("click", () => void startDelete(c, del));
    return h("li", { "data-id": c.id, "data-type": c.type, class: "category-item" }, h("span", { class: "category-name" }, c.name), h("span", { class: "row-actions" }, rename, del));
  };

  const column = (kind: CategoryKind): HTMLElement => {
    const list = categoriesOfKind(categories, kind);
    const titleId = `${kind}-categories-title`;
    return h(
      "section",
      { class: "card", "aria-labelledby": titleId },
      h("h2", { id: titleId }, KIND_LABEL[kind], h("span", { class: "count muted" }, ` (${list.length})`)),
      list.length === 0
        ? h("p", { class: "empty muted" }, `No ${kind} categories yet.`)
        : h("ul", { class: "category-list", id: `${kind}-categories` }, list.map(item)),
    );
  };

  async function load(): Promise<void> {
    lists.setAttribute("aria-busy", "true");
    try {
      categories = await cache.get();
      if (disposed) return;
      setChildren(lists, column("income"), column("expense"));
    } catch (e) {
      if (!disposed) setChildren(lists, errorBlock(describeError(toApiError(e)), () => void load()));
    } finally {
      lists.setAttribute("aria-busy", "false");
    }
  }

  function openRename(c: CategoryView): void {
    const field = inputField({ name: "name", label: "Name", required: true, value: c.name, attrs: { autocomplete: "off" } });
    let dlg: DialogHandle | null = null;
    const form = h(
      "form",
      { id: "rename-category-form", class: "stack" },
      field.wrapper,
      h("div", { class: "dialog-actions" }, h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"), submitButton("Rename", { id: "rename-submit" })),
    );
    const fc = new FormController(form);
    onSubmit(
      fc,
      async () => {
        const renamed = await api.renameCategory({ id: c.id, name: field.control.value.trim() });
        cache.put(renamed);
        dlg?.close();
        toast(`Renamed to “${renamed.name}”`, { kind: "success" });
        await load();
      },
      {
        validate: (f) => {
          const problem = validateCategoryName(field.control.value);
          if (problem) f.setFieldProblem("name", problem);
          return !f.hasErrors();
        },
      },
    );
    dlg = openDialog({ title: `Rename “${c.name}”`, testId: "rename-category-dialog", body: () => form, initialFocus: () => field.control });
    field.control.select();
  }

  async function startDelete(c: CategoryView, button: HTMLButtonElement): Promise<void> {
    let usage: CategoryUsageView;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      usage = await api.categoryUsage({ id: c.id });
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
      return;
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
    if (disposed) return;
    if (usage.transactions + usage.budgets === 0) {
      const ok = await confirmDialog({
        title: "Delete category?",
        message: h("p", null, "Delete the ", c.type, " category “", h("strong", null, c.name), "”? Nothing uses it."),
        confirmLabel: "Delete",
        danger: true,
        testId: "delete-category-dialog",
        returnFocus: button,
        action: () => api.deleteCategory({ id: c.id, moveTo: null }),
      });
      if (ok) {
        cache.remove(c.id);
        toast(`Category “${c.name}” deleted`, { kind: "success" });
        await load();
      }
      return;
    }
    openMoveAndDelete(c, usage, button);
  }

  function openMoveAndDelete(c: CategoryView, usage: CategoryUsageView, trigger: HTMLElement): void {
    const targets = categoriesOfKind(categories, c.type).filter((o) => o.id !== c.id);
    let dlg: DialogHandle | null = null;
    const what = usageText(usage);
    if (targets.length === 0) {
      openDialog({
        title: `Delete “${c.name}”`,
        testId: "delete-category-dialog",
        returnFocus: trigger,
        body: (d) => [
          h("p", null, `“${c.name}” is used by ${what}. To delete it, they must move to another ${c.type} category, and there is none yet.`),
          h("p", null, `Add another ${c.type} category first, then delete this one.`),
          h("div", { class: "dialog-actions" }, h("button", { type: "button", class: "primary", onclick: () => d.close() }, "OK")),
        ],
      });
      return;
    }
    const moveTo = selectField({
      name: "moveTo", label: `Move them to`, required: true, value: "",
      options: [{ value: "", label: `Choose an ${c.type} category…` }, ...targets.map((t) => ({ value: t.id, label: t.name }))],
    });
    const form = h(
      "form",
      { id: "delete-category-form", class: "stack" },
      h("p", null, `“${c.name}” is used by ${what}. Choose an ${c.type} category to move ${usage.transactions + usage.budgets === 1 ? "it" : "them"} to; then “${c.name}” is deleted.`),
      moveTo.wrapper,
      h(
        "div",
        { class: "dialog-actions" },
        h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"),
        submitButton("Move and delete", { id: "delete-category-submit", class: "danger" }),
      ),
    );
    const fc = new FormController(form);
    onSubmit(
      fc,
      async () => {
        const target = targets.find((t) => t.id === moveTo.control.value);
        await api.deleteCategory({ id: c.id, moveTo: moveTo.control.value });
        cache.remove(c.id);
        dlg?.close();
        toast(`Category “${c.name}” deleted; its ${what} moved to “${target?.name ?? "the chosen category"}”`, { kind: "success" });
        await load();
      },
      {
        validate: (f) => {
          if (moveTo.control.value === "") f.setFieldError("moveTo", "Choose the category to move them to.");
          return !f.hasErrors();
        },
      },
    );
    dlg = openDialog({ title: `Delete “${c.name}”`, testId: "delete-category-dialog", className: "dialog-danger", returnFocus: trigger, body: () => form, initialFocus: () => moveTo.control });
  }

  void load();
  return {
    el,
    dispose: () => {
      disposed = true;
    },
  };
}
