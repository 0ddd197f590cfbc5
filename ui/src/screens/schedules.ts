// Schedules (recurring transactions): the list with each one's rule and next date, add / edit in a
// dialog (also opened pre-filled by "Repeat this…" on a transaction), pause / resume, delete.
// Dates, posting and validation are Rust's: the form sends the fields as typed and shows the
// server's field errors.
import { api } from "../api";
import { categoriesOfKind, type AppContext, type Screen } from "../context";
import type { AccountView, CategoryView, ScheduleFields, ScheduleView } from "../ipc-types";
import { formatDate, todayLocal } from "../lib/dates";
import { describeError, toApiError } from "../lib/errors";
import { describeRule, FREQUENCIES, WEEKDAYS } from "../lib/schedules";
import { confirmDialog, openDialog, type DialogHandle } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { FormController, inputField, onSubmit, selectField, submitButton } from "../ui/form";
import { toast } from "../ui/toast";
import { errorBlock, loadingBlock, pageHeader } from "./common";

type Kind = "expense" | "income" | "transfer";

/** The kind a schedule's fields describe (a transfer has a target account). */
function kindOf(f: ScheduleFields, categories: readonly CategoryView[]): Kind {
  if (f.toAccountId) return "transfer";
  return categories.find((c) => c.id === f.categoryId)?.type === "income" ? "income" : "expense";
}

/**
 * The add / edit dialog. `existing` edits that schedule; `prefill` (from "Repeat this…") starts a
 * new one from those fields. Resolves with what the server saved, or null when cancelled.
 */
export async function openScheduleEditor(ctx: AppContext, opts: { existing?: ScheduleView; prefill?: ScheduleFields; trigger?: HTMLElement }): Promise<ScheduleView | null> {
  const { session } = ctx;
  let categories: CategoryView[];
  let accounts: AccountView[];
  try {
    [categories, accounts] = await Promise.all([session.categories.get(), session.accounts.get()]);
  } catch (e) {
    toast(describeError(toApiError(e)), { kind: "error" });
    return null;
  }
  const open = accounts.filter((a) => !a.archived);
  const start: ScheduleFields = opts.existing ?? opts.prefill ?? {
    accountId: open[0]?.id ?? "", categoryId: null, toAccountId: null, amount: "", description: "", note: null,
    frequency: "monthly", interval: 1, weekday: null, monthDay: null, startDate: todayLocal(), endDate: null, count: null, mode: "post",
  };
  const accountOptions = open.map((a) => ({ value: a.id, label: a.name }));
  const kind = selectField({ name: "kind", label: "Type", value: kindOf(start, categories), options: [
    { value: "expense", label: "Expense" }, { value: "income", label: "Income" }, { value: "transfer", label: "Transfer" },
  ] });
  const account = selectField({ name: "accountId", label: "Account", required: true, value: start.accountId, options: accountOptions });
  const category = selectField({ name: "categoryId", label: "Category", value: start.categoryId ?? "", options: [] });
  const toAccount = selectField({ name: "toAccountId", label: "To account", value: start.toAccountId ?? "", options: accountOptions });
  const amount = inputField({ name: "amount", label: "Amount", required: true, value: start.amount, attrs: { inputmode: "decimal", autocomplete: "off", class: "amount-input" } });
  const description = inputField({ name: "description", label: "Description", required: true, value: start.description, attrs: { maxlength: 200 } });
  const note = inputField({ name: "note", label: "Note", suffix: "(optional)", value: start.note ?? "" });
  const frequency = selectField({ name: "frequency", label: "Repeats", value: start.frequency, options: FREQUENCIES.map((f) => ({ value: f.value, label: f.label })) });
  const interval = inputField({ name: "interval", label: "Every", type: "number", value: String(start.interval ?? 1), attrs: { min: 1, max: 999, step: 1 } });
  const weekday = selectField({ name: "weekday", label: "On", value: start.weekday ?? "", options: [{ value: "", label: "The start date's weekday" }, ...WEEKDAYS] });
  const monthDay = selectField({ name: "monthDay", label: "On day", value: start.monthDay ?? "", options: [
    { value: "", label: "The start date's day" }, ...Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })), { value: "last", label: "Last day" },
  ] });
  const startDate = inputField({ name: "startDate", label: "Starts", type: "date", required: true, value: start.startDate });
  const endKind = selectField({ name: "endKind", label: "Ends", value: start.count != null ? "count" : start.endDate ? "date" : "never", options: [
    { value: "never", label: "Never" }, { value: "date", label: "On a date" }, { value: "count", label: "After a number of times" },
  ] });
  const endDate = inputField({ name: "endDate", label: "End date", type: "date", value: start.endDate ?? "" });
  const count = inputField({ name: "count", label: "Times", type: "number", value: start.count != null ? String(start.count) : "", attrs: { min: 1, step: 1 } });
  const mode = selectField({ name: "mode", label: "When due", value: start.mode, options: [
    { value: "post", label: "Post it automatically" }, { value: "remind", label: "Remind me (I post it)" },
  ] });

  const sync = (): void => {
    const k = kind.control.value as Kind;
    const wanted = k === "income" ? "income" : "expense";
    const current = category.control.value;
    setChildren(category.control, ...categoriesOfKind(categories, wanted).map((c) => h("option", { value: c.id }, c.name)));
    if (categoriesOfKind(categories, wanted).some((c) => c.id === current)) category.control.value = current;
    category.wrapper.hidden = k === "transfer";
    toAccount.wrapper.hidden = k !== "transfer";
    weekday.wrapper.hidden = frequency.control.value !== "weekly";
    monthDay.wrapper.hidden = frequency.control.value !== "monthly";
    endDate.wrapper.hidden = endKind.control.value !== "date";
    count.wrapper.hidden = endKind.control.value !== "count";
  };
  for (const c of [kind.control, frequency.control, endKind.control]) c.addEventListener("change", sync);
  sync();

  let dlg: DialogHandle | null = null;
  let saved: ScheduleView | null = null;
  const form = h(
    "form",
    { id: "schedule-form", class: "stack", "data-mode": opts.existing ? "edit" : "add" },
    h("div", { class: "row" }, kind.wrapper, account.wrapper),
    h("div", { class: "row" }, category.wrapper, toAccount.wrapper, amount.wrapper),
    description.wrapper,
    note.wrapper,
    h("div", { class: "row" }, frequency.wrapper, interval.wrapper, weekday.wrapper, monthDay.wrapper),
    h("div", { class: "row" }, startDate.wrapper, endKind.wrapper, endDate.wrapper, count.wrapper),
    mode.wrapper,
    h("div", { class: "dialog-actions" },
      h("button", { type: "button", class: "secondary", onclick: () => dlg?.close() }, "Cancel"),
      submitButton(opts.existing ? "Save changes" : "Add schedule", { id: "schedule-submit" })),
  );
  const fc = new FormController(form);
  const done = new Promise<ScheduleView | null>((resolve) => {
    onSubmit(fc, async () => {
      const transfer = kind.control.value === "transfer";
      const end = endKind.control.value;
      const fields: ScheduleFields = {
        accountId: account.control.value,
        categoryId: transfer ? null : category.control.value || null,
        toAccountId: transfer ? toAccount.control.value || null : null,
        amount: amount.control.value.trim(),
        description: description.control.value,
        note: note.control.value.trim() === "" ? null : note.control.value,
        frequency: frequency.control.value,
        interval: Number(interval.control.value) || 1,
        weekday: frequency.control.value === "weekly" && weekday.control.value ? weekday.control.value : null,
        monthDay: frequency.control.value === "monthly" && monthDay.control.value ? monthDay.control.value : null,
        startDate: startDate.control.value,
        endDate: end === "date" ? endDate.control.value : null,
        count: end === "count" ? Number(count.control.value) || 0 : null,
        mode: mode.control.value,
      };
      saved = opts.existing ? await api.updateSchedule({ id: opts.existing.id, ...fields }) : await api.addSchedule(fields);
      toast(opts.existing ? "Schedule saved" : "Schedule added", { kind: "success" });
      dlg?.close();
    });
    dlg = openDialog({
      title: opts.existing ? "Edit schedule" : "New schedule",
      testId: "schedule-dialog",
      ...(opts.trigger ? { returnFocus: opts.trigger } : {}),
      body: () => form,
      initialFocus: () => amount.control,
      onClose: () => resolve(saved),
    });
  });
  return done;
}

/** "Repeat this…": a new schedule pre-filled from the transaction `id`. */
export async function repeatTransaction(ctx: AppContext, id: string): Promise<ScheduleView | null> {
  try {
    const prefill = await api.scheduleFromTransaction({ id });
    return await openScheduleEditor(ctx, { prefill });
  } catch (e) {
    toast(describeError(toApiError(e)), { kind: "error" });
    return null;
  }
}

export function renderSchedules(ctx: AppContext): Screen {
  const { session } = ctx;
  let disposed = false;
  let schedules: ScheduleView[] = [];
  let accounts: AccountView[] = [];
  let categories: CategoryView[] = [];
  const list = h("div", { id: "schedule-list", "aria-busy": "true" }, loadingBlock());
  const newButton = h("button", { type: "button", class: "primary", id: "new-schedule" }, "New schedule");
  newButton.addEventListener("click", () => void edit(undefined, newButton));
  const el = h("div", { class: "screen", "data-screen": "schedules" },
    pageHeader("Schedules", newButton),
    h("p", { class: "muted subtitle" }, "Recurring transactions: posted when due (when the app starts and at midnight), or listed on the Dashboard as reminders."),
    list);

  const name = (id: string | null): string => accounts.find((a) => a.id === id)?.name ?? categories.find((c) => c.id === id)?.name ?? "—";

  function render(): void {
    if (schedules.length === 0) {
      setChildren(list, h("div", { class: "card empty muted" }, "No schedules yet. Use “New schedule”, or “Repeat this…” on a transaction."));
      return;
    }
    const heads: [string, string][] = [["Description", ""], ["Amount", "num"], ["Account", ""], ["Repeats", ""], ["Next", ""], ["", ""]];
    setChildren(list, h("div", { class: "table-wrap card" }, h("table", { class: "data-table", id: "schedule-table" },
      h("thead", null, h("tr", null, ...heads.map(([t, cls]) => h("th", { scope: "col", class: cls }, t)))),
      h("tbody", null, ...schedules.map((s) => {
        const edit_ = h("button", { type: "button", class: "link", "data-action": "edit" }, "Edit");
        const pause = h("button", { type: "button", class: "link", "data-action": "pause" }, s.paused ? "Resume" : "Pause");
        const del = h("button", { type: "button", class: "link danger-link", "data-action": "delete" }, "Delete");
        edit_.addEventListener("click", () => void edit(s, edit_));
        pause.addEventListener("click", () => void setPaused(s, !s.paused));
        del.addEventListener("click", () => void remove(s));
        const target = s.toAccountId ? `${name(s.accountId)} → ${name(s.toAccountId)}` : `${name(s.accountId)} · ${name(s.categoryId)}`;
        return h("tr", { "data-id": s.id, class: s.paused ? "paused" : "" },
          h("td", null, s.description, s.mode === "remind" ? h("span", { class: "badge" }, " Reminder") : null),
          h("td", { class: "amount", "data-amount": s.amount }, session.money(s.amount)),
          h("td", null, target),
          h("td", null, describeRule(s)),
          h("td", { "data-next": s.nextDate ?? "", class: "date-col" }, s.paused ? "Paused" : s.nextDate ? formatDate(s.nextDate, session.locale) : "Ended"),
          h("td", null, h("span", { class: "row-actions" }, edit_, pause, del)));
      })))));
  }

  function keep(s: ScheduleView): void {
    schedules = schedules.some((x) => x.id === s.id) ? schedules.map((x) => (x.id === s.id ? s : x)) : [...schedules, s];
    if (!disposed) render();
  }

  async function edit(existing: ScheduleView | undefined, trigger: HTMLElement): Promise<void> {
    const saved = await openScheduleEditor(ctx, existing ? { existing, trigger } : { trigger });
    if (saved) keep(saved);
  }

  async function setPaused(s: ScheduleView, paused: boolean): Promise<void> {
    try {
      keep(await api.setSchedulePaused({ id: s.id, paused }));
      toast(paused ? "Schedule paused" : "Schedule resumed", { kind: "success" });
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
    }
  }

  async function remove(s: ScheduleView): Promise<void> {
    const ok = await confirmDialog({
      title: "Delete schedule?",
      message: h("p", null, "Delete “", h("strong", null, s.description), "”? What it already posted stays."),
      confirmLabel: "Delete",
      danger: true,
      testId: "delete-schedule-dialog",
      action: () => api.deleteSchedule({ id: s.id }),
    });
    if (ok && !disposed) {
      schedules = schedules.filter((x) => x.id !== s.id);
      toast("Schedule deleted", { kind: "success" });
      render();
    }
  }

  async function load(): Promise<void> {
    try {
      [schedules, accounts, categories] = await Promise.all([api.listSchedules(), session.accounts.get(), session.categories.get()]);
      if (!disposed) render();
    } catch (e) {
      if (!disposed) setChildren(list, errorBlock(describeError(toApiError(e)), () => void load()));
    } finally {
      list.setAttribute("aria-busy", "false");
    }
  }
  const ready = load();
  return { el, ready, openNew: () => void edit(undefined, newButton), dispose: () => { disposed = true; } };
}
