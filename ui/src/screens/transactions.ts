// Transactions: filters, sort, a table with keyset pagination (a stack of cursors for Previous),
// add/edit dialog, delete with confirmation and a 6-second Undo.
// Writes update the page from what they return (lib/transaction-page.ts places the row where the
// server would list it); the page is fetched again only when the list is filtered (matching is
// the server's rule), when the row may belong to an earlier page, or when a page empties.
// Categories and accounts come from the session's caches (context.ts); an Account column shows
// when the user has more than one account. Filtered to one account (and nothing but dates) and
// sorted by date, the table is the account's register (account_register): each row with the
// running balance after it; any write then fetches the page again (every later balance moves).
// A transfer's leg edits and deletes the whole transfer; rows' head and cells: transaction-rows.ts.
import { api } from "../api";
import type { AppContext, NavigateOptions, Screen, TransactionFilterPreset } from "../context";
import type { AccountView, CategoryKind, CategoryView, TransactionListInput, TransactionSort, TransactionTotalsView, TransactionView, TransferView } from "../ipc-types";
import { accountName, showsAccountColumn } from "../lib/accounts";
import { isTransferLeg, registerInput } from "../lib/register";
import { describeError, toApiError } from "../lib/errors";
import { isIsoDate } from "../lib/dates";
import { newIdempotencyKey } from "../lib/idempotency";
import { RowSelection } from "../lib/selection";
import { placeRow } from "../lib/transaction-page";
import { amountForServer, validateAmount } from "../lib/validation";
import { withBusy } from "../ui/busy";
import { confirmDialog } from "../ui/dialog";
import { h, setChildren } from "../ui/dom";
import { KeyedRows } from "../ui/keyed-rows";
import { buildOptions, FormController, inputField, selectField, type SelectItem } from "../ui/form";
import { toast } from "../ui/toast";
import { errorBlock, groupedCategoryOptions, pageHeader, transactionDate } from "./common";
import { bulkBar } from "./bulk-bar";
import { openImportWizard } from "./import-wizard";
import { confirmingReconciled, openTransactionDialog, type SavedEntry } from "./transaction-dialog";
import { columnCount, headingRow, transactionRow, type ListedRow, type TableShape } from "./transaction-rows";
import { repeatTransaction } from "./schedules";

export const PAGE_SIZE = 50;
export const UNDO_MS = 6000;
/** localStorage: whether the filter panel is collapsed. */
export const FILTERS_COLLAPSED_KEY = "finance.transactions.filtersCollapsed";

export const SORT_OPTIONS: readonly { value: TransactionSort; label: string }[] = [
  { value: "date_desc", label: "Newest first" },
  { value: "date_asc", label: "Oldest first" },
  { value: "amount_desc", label: "Largest amount first" },
  { value: "amount_asc", label: "Smallest amount first" },
];

export interface Filters {
  /** One account's rows ("" = every account). */
  accountId: string;
  from: string;
  to: string;
  /** Any of these categories (none: all). */
  categoryIds: string[];
  type: "" | CategoryKind;
  text: string;
  minAmount: string;
  maxAmount: string;
  sort: TransactionSort;
}

export const EMPTY_FILTERS: Readonly<Filters> = { accountId: "", from: "", to: "", categoryIds: [], type: "", text: "", minAmount: "", maxAmount: "", sort: "date_desc" };

/** The list request for a set of filters and a page cursor. */
export function listInput(f: Filters, cursor: string | null, limit = PAGE_SIZE): TransactionListInput {
  const opt = (s: string): string | null => (s.trim() === "" ? null : s.trim());
  const account = opt(f.accountId);
  return {
    ...(account === null ? {} : { accountId: account }),
    from: opt(f.from),
    to: opt(f.to),
    categoryIds: [...f.categoryIds],
    type: f.type === "" ? null : f.type,
    text: opt(f.text),
    minAmount: opt(f.minAmount),
    maxAmount: opt(f.maxAmount),
    sort: f.sort,
    limit,
    cursor,
  };
}

/** Keyset pagination: the cursor of every page visited, so Previous can go back. */
export class CursorStack {
  private stack: (string | null)[] = [null];
  get current(): string | null {
    return this.stack[this.stack.length - 1] ?? null;
  }
  get page(): number {
    return this.stack.length;
  }
  get hasPrevious(): boolean {
    return this.stack.length > 1;
  }
  next(cursor: string): void {
    this.stack.push(cursor);
  }
  previous(): void {
    if (this.stack.length > 1) this.stack.pop();
  }
  reset(): void {
    this.stack = [null];
  }
}

/** Filters from a preset (e.g. a report's category and period); the rest empty. */
export function filtersFromPreset(p: TransactionFilterPreset | undefined): Filters {
  return { ...EMPTY_FILTERS, accountId: p?.accountId ?? "", from: p?.from ?? "", to: p?.to ?? "", categoryIds: p?.categoryId ? [p.categoryId] : [], type: p?.type ?? "" };
}

export function renderTransactions(ctx: AppContext, opts: NavigateOptions = {}): Screen {
  const { session } = ctx;
  const digits = session.profile.currencyDigits;
  let categories: CategoryView[] = [];
  let accounts: AccountView[] = [];
  /** The table's optional columns: Account (more than one account), Balance (a register). */
  const shape: TableShape = { account: false, balance: false };
  let filters: Filters = filtersFromPreset(opts.filters);
  /** Categories chosen before the category list has loaded. */
  let wantedCategories = filters.categoryIds;
  const cursors = new CursorStack();
  let nextCursor: string | null = null;
  /** The rows on screen, in the server's order. */
  let rows: ListedRow[] = [];
  let loadSeq = 0;
  let loading = false;
  let disposed = false;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  // ---- filter bar
  // Several categories at once: a multiple choice list (none chosen: every category).
  const categoryFilterItems = (): SelectItem[] => groupedCategoryOptions(categories);
  const chooseCategories = (ids: readonly string[]): void => {
    for (const o of Array.from(category.control.options)) o.selected = ids.includes(o.value);
  };
  const accountFilterItems = (): SelectItem[] => [{ value: "", label: "All accounts" }, ...accounts.map((a) => ({ value: a.id, label: a.archived ? `${a.name} (archived)` : a.name }))];
  const account = selectField({ name: "accountId", label: "Account", id: "filter-account", options: [{ value: filters.accountId, label: filters.accountId ? "…" : "All accounts" }], value: filters.accountId });
  const from = inputField({ name: "from", label: "From", type: "date", id: "filter-from", value: filters.from });
  const to = inputField({ name: "to", label: "To", type: "date", id: "filter-to", value: filters.to });
  const category = selectField({ name: "categoryIds", label: "Categories", id: "filter-category", options: categoryFilterItems() });
  category.control.multiple = true;
  category.control.size = 4;
  category.control.title = "None chosen: every category. Ctrl+click or Shift+click to choose several.";
  const type = selectField({
    name: "type", label: "Type", id: "filter-type", value: filters.type,
    options: [{ value: "", label: "All types" }, { value: "income", label: "Income" }, { value: "expense", label: "Expense" }],
  });
  const search = inputField({ name: "text", label: "Search", type: "search", id: "search", placeholder: "Description or note", attrs: { autocomplete: "off" } });
  const amountAttrs = { inputmode: digits > 0 ? "decimal" : "numeric", autocomplete: "off", class: "amount-input" };
  const minAmount = inputField({ name: "minAmount", label: "Min amount", id: "filter-min", attrs: amountAttrs });
  const maxAmount = inputField({ name: "maxAmount", label: "Max amount", id: "filter-max", attrs: amountAttrs });
  const sort = selectField({ name: "sort", label: "Sort", id: "sort", value: "date_desc", options: SORT_OPTIONS.map((o) => ({ value: o.value, label: o.label })) });
  const filterForm = h(
    "form",
    { id: "filter-form", class: "filter-bar card", role: "search", "aria-label": "Filter transactions" },
    search.wrapper,
    account.wrapper,
    from.wrapper,
    to.wrapper,
    category.wrapper,
    type.wrapper,
    minAmount.wrapper,
    maxAmount.wrapper,
    sort.wrapper,
    h(
      "div",
      { class: "filter-actions" },
      h("button", { type: "submit", class: "secondary", id: "apply-filters" }, "Apply"),
      h("button", { type: "button", class: "link", id: "clear-filters", onclick: () => clearFilters() }, "Clear"),
    ),
  );
  const filterFc = new FormController(filterForm);

  // The filter panel collapses (remembered on this computer); the totals line stays.
  const collapseToggle = h("button", { type: "button", class: "link", id: "toggle-filters", "aria-controls": "filter-form" });
  const setCollapsed = (collapsed: boolean): void => {
    filterForm.hidden = collapsed;
    collapseToggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
    collapseToggle.textContent = collapsed ? "Show filters" : "Hide filters";
    try {
      localStorage.setItem(FILTERS_COLLAPSED_KEY, collapsed ? "1" : "0");
    } catch {
      // storage unavailable: the choice lasts this visit
    }
  };
  const storedCollapsed = ((): boolean => {
    try {
      return localStorage.getItem(FILTERS_COLLAPSED_KEY) === "1";
    } catch {
      return false;
    }
  })();
  setCollapsed(storedCollapsed);
  collapseToggle.addEventListener("click", () => setCollapsed(!filterForm.hidden));

  // Totals of everything the filter shows (every page), summed by the server.
  const totalsLine = h("p", { class: "filter-totals small", id: "filter-totals", "aria-live": "polite" });
  let totals: TransactionTotalsView | null = null;
  let totalsSeq = 0;
  async function loadTotals(): Promise<void> {
    const seq = ++totalsSeq;
    try {
      const t = await api.transactionTotals(listInput(filters, null));
      if (disposed || seq !== totalsSeq) return;
      totals = t;
      setChildren(
        totalsLine,
        h("span", { class: "total-income" }, "Income ", h("strong", { "data-amount": t.income }, session.money(t.income))),
        " · ",
        h("span", { class: "total-expense" }, "Expense ", h("strong", { "data-amount": t.expense }, session.money(t.expense))),
        " · ",
        h("span", { class: "total-net" }, "Net ", h("strong", { "data-amount": t.net }, session.money(t.net))),
        " · ",
        h("span", { class: "total-count", "data-count": String(t.count) }, `${t.count} transaction${t.count === 1 ? "" : "s"}`),
        isFiltered() ? " match the filter" : "",
      );
      bar.update();
    } catch {
      if (disposed || seq !== totalsSeq) return;
      totals = null;
      totalsLine.textContent = "";
    }
  }

  // Selected rows and the bulk bar (screens/bulk-bar.ts).
  const selection = new RowSelection();
  const bar = bulkBar({
    session,
    selection,
    pageIds: () => rows.map((r) => r.id),
    matching: () => totals?.count ?? null,
    filterInput: () => listInput(filters, null),
    onSelection: () => syncSelection(),
    onWritten: () => {
      void load();
      void loadTotals();
    },
  });

  const readFilters = (): Filters => ({
    accountId: account.control.value,
    from: from.control.value,
    to: to.control.value,
    categoryIds: Array.from(category.control.selectedOptions, (o) => o.value),
    type: type.control.value === "income" || type.control.value === "expense" ? type.control.value : "",
    text: search.control.value,
    minAmount: amountForServer(minAmount.control.value, digits, session.formats.decimal),
    maxAmount: amountForServer(maxAmount.control.value, digits, session.formats.decimal),
    sort: (SORT_OPTIONS.find((o) => o.value === sort.control.value)?.value ?? "date_desc"),
  });

  const validateFilters = (): boolean => {
    filterFc.clear();
    for (const [name, field] of [["from", from], ["to", to]] as const) {
      if (field.control.value !== "" && !isIsoDate(field.control.value)) filterFc.setFieldProblem(name, "must be a date like 2024-01-31");
    }
    for (const [name, field] of [["minAmount", minAmount], ["maxAmount", maxAmount]] as const) {
      if (field.control.value.trim() === "") continue;
      const problem = validateAmount(field.control.value, digits, { currency: session.profile.currency, allowZero: true, decimal: session.formats.decimal });
      if (problem) filterFc.setFieldProblem(name, problem);
    }
    return !filterFc.hasErrors();
  };

  const applyFilters = (): void => {
    if (debounce !== undefined) clearTimeout(debounce);
    if (!validateFilters()) return;
    filters = readFilters();
    cursors.reset();
    selection.clear();
    void load();
    void loadTotals();
  };
  const applySoon = (): void => {
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(applyFilters, 350);
  };
  const clearFilters = (): void => {
    filterForm.reset();
    chooseCategories([]);
    account.control.value = "";
    sort.control.value = "date_desc";
    applyFilters();
  };
  filterForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    applyFilters();
  });
  for (const c of [account.control, from.control, to.control, category.control, type.control, sort.control]) c.addEventListener("change", applyFilters);
  for (const c of [search.control, minAmount.control, maxAmount.control]) c.addEventListener("input", applySoon);

  // ---- table and pager
  const status = h("p", { class: "muted small results-status", id: "results-status", role: "status", "aria-live": "polite" });
  const tbody = h("tbody");
  const thead = h("thead");
  const heading = (): HTMLTableRowElement => headingRow(shape);
  setChildren(thead, heading());
  const columns = (): number => columnCount(shape);
  const table = h("table", { class: "data-table", id: "transactions-table" }, h("caption", { class: "visually-hidden" }, "Transactions"), thead, tbody);
  const tableHost = h("div", { class: "table-wrap card", "aria-busy": "true" }, table);
  const prev = h("button", { type: "button", class: "secondary", id: "prev-page", disabled: true }, "← Previous");
  const next = h("button", { type: "button", class: "secondary", id: "next-page", disabled: true }, "Next →");
  const pageLabel = h("span", { id: "page-indicator", class: "muted small" }, "Page 1");
  const pager = h("nav", { class: "pager", "aria-label": "Pages" }, prev, pageLabel, next);
  prev.addEventListener("click", () => {
    cursors.previous();
    void load();
  });
  next.addEventListener("click", () => {
    if (!nextCursor) return;
    cursors.next(nextCursor);
    void load();
  });

  const newButton = h("button", { type: "button", class: "primary", id: "new-transaction", "aria-keyshortcuts": "N", onclick: () => void openNew() }, "New transaction");
  const exportButton = h("button", { type: "button", class: "secondary", id: "export-csv", onclick: () => void exportCsv() }, "Export all");
  const importButton = h("button", { type: "button", class: "secondary", id: "import-csv", title: "Import a CSV export or a bank statement (OFX, QFX, QIF, CAMT.053)", onclick: () => void importCsv() }, "Import…");
  const el = h(
    "div",
    { class: "screen", "data-screen": "transactions" },
    pageHeader("Transactions", importButton, exportButton, newButton),
    h("div", { class: "filter-head" }, collapseToggle, totalsLine),
    filterForm,
    bar.el,
    status,
    tableHost,
    pager,
  );

  // One row: no listeners of its own (a click on Edit, Delete or the status marker is handled once, on the tbody).
  const row = (t: ListedRow): HTMLTableRowElement => transactionRow(session, shape, (id) => accountName(accounts, id), t);
  tbody.addEventListener("click", (ev) => {
    const target = ev.target instanceof Element ? ev.target : null;
    // A row's box, or a click on the row outside its buttons: select (shift: a range).
    const tr = target?.closest<HTMLTableRowElement>("tr[data-id]");
    if (tr && target && (target.matches("input[data-action='select']") || !target.closest("button, a, input, select, textarea"))) {
      const id = tr.dataset["id"] ?? "";
      if (!selection.click(id, rows.map((r) => r.id), ev.shiftKey)) toast("That is more rows than can be picked one by one: use “Select all matching the filter”.", { kind: "error" });
      syncSelection();
      return;
    }
    const button = target ? target.closest<HTMLButtonElement>("button[data-action]") : null;
    const id = button?.closest("tr")?.dataset["id"];
    const t = id === undefined ? undefined : rows.find((r) => r.id === id);
    if (!button || !t || button.disabled) return;
    if (button.dataset["action"] === "edit") void editTransaction(t, button);
    else if (button.dataset["action"] === "delete") void (isTransferLeg(t) ? deleteTransfer(t) : deleteTransaction(t));
    else if (button.dataset["action"] === "toggle-cleared") void toggleCleared(t, button);
  });

  /** The boxes (and the heading's page box) as the selection says; then the bar. */
  function syncSelection(): void {
    for (const tr of Array.from(tbody.querySelectorAll<HTMLTableRowElement>("tr[data-id]"))) {
      const on = selection.isSelected(tr.dataset["id"] ?? "");
      tr.classList.toggle("selected", on);
      tr.setAttribute("aria-selected", on ? "true" : "false");
      const box = tr.querySelector<HTMLInputElement>("input[data-action='select']");
      if (box) box.checked = on;
    }
    const pageBox = thead.querySelector<HTMLInputElement>("#select-page");
    if (pageBox) {
      const state = selection.pageState(rows.map((r) => r.id));
      pageBox.checked = state === "all";
      pageBox.indeterminate = state === "some";
    }
    bar.update();
  }
  thead.addEventListener("change", (ev) => {
    if (!(ev.target instanceof HTMLInputElement) || ev.target.id !== "select-page") return;
    if (!selection.togglePage(rows.map((r) => r.id))) toast("That is more rows than can be picked one by one: use “Select all matching the filter”.", { kind: "error" });
    syncSelection();
  });

  /** The rows in the table: after an add, edit or delete only the changed row is built. */
  const shownRows = new KeyedRows<ListedRow>(tbody, (t) => t.id, row);

  /** Show `rows`, the status line and the pager. */
  function render(): void {
    if (rows.length === 0) {
      shownRows.clear();
      setChildren(tbody, h("tr", { class: "empty-row" }, h("td", { colspan: columns(), class: "empty muted" }, isFiltered() ? "No transactions match these filters." : "No transactions yet. Press N or use “New transaction” to add one.")));
    } else {
      shownRows.show(rows);
    }
    const where = shape.balance ? `${accountName(accounts, filters.accountId) || "Account"} register, with the balance after each row. ` : "";
    status.textContent = rows.length === 0 ? "" : `${where}Page ${cursors.page}: ${rows.length} transaction${rows.length === 1 ? "" : "s"}${nextCursor ? ", more on the next page" : ""}.`;
    pageLabel.textContent = `Page ${cursors.page}`;
    exportButton.textContent = isFiltered() ? "Export CSV" : "Export all";
    exportButton.setAttribute("aria-label", isFiltered() ? "Export the filtered transactions as CSV" : "Export all transactions as CSV");
    prev.disabled = !cursors.hasPrevious;
    next.disabled = !nextCursor;
    syncSelection();
  }

  /** After an add, edit or undo: put the returned row where the server would list it. */
  function showSaved(t: TransactionView): void {
    void loadTotals();
    const placed = loading || isFiltered() || shape.balance ? null : placeRow(rows, t, filters.sort, { hasPrevious: cursors.hasPrevious, hasNext: nextCursor !== null });
    if (!placed) return void load();
    rows = placed;
    render();
  }

  /** After a delete: drop the row; an emptied page is fetched again (it steps back or shows the next rows). */
  function showDeleted(id: string): void {
    void loadTotals();
    selection.drop([id]);
    const left = rows.filter((r) => r.id !== id);
    if (loading || left.length === 0 || shape.balance) return void load();
    rows = left;
    render();
  }

  async function load(): Promise<void> {
    const seq = ++loadSeq;
    loading = true;
    tableHost.setAttribute("aria-busy", "true");
    prev.disabled = true;
    next.disabled = true;
    try {
      const register = registerInput(filters, cursors.current, PAGE_SIZE);
      const page = register ? await api.accountRegister(register) : await api.listTransactions(listInput(filters, cursors.current));
      if (disposed || seq !== loadSeq) return;
      if (shape.balance !== (register !== null)) {
        shape.balance = register !== null;
        table.classList.toggle("register", shape.balance);
        setChildren(thead, heading());
        shownRows.clear(); // every row gains or loses its cell
      }
      if (page.items.length === 0 && cursors.hasPrevious) {
        // The page emptied (e.g. its last row was deleted): step back.
        cursors.previous();
        await load();
        return;
      }
      nextCursor = page.nextCursor;
      rows = page.items;
      render();
    } catch (e) {
      if (disposed || seq !== loadSeq) return;
      const err = toApiError(e);
      if (err.field && filterFc.labels()[err.field] !== undefined) {
        filterFc.showError(err);
        status.textContent = "";
      } else {
        shownRows.clear();
        setChildren(tbody, h("tr", null, h("td", { colspan: columns() }, errorBlock(describeError(err), () => void load()))));
      }
      prev.disabled = !cursors.hasPrevious;
    } finally {
      if (seq === loadSeq) loading = false;
      if (!disposed && seq === loadSeq) tableHost.setAttribute("aria-busy", "false");
    }
  }

  const isFiltered = (): boolean => JSON.stringify({ ...filters, sort: "" }) !== JSON.stringify({ ...EMPTY_FILTERS, sort: "" });

  async function loadCategories(): Promise<void> {
    try {
      categories = await session.categories.get();
      if (disposed) return;
      const keep = wantedCategories.length > 0 ? wantedCategories : Array.from(category.control.selectedOptions, (o) => o.value);
      wantedCategories = [];
      buildOptions(category.control, categoryFilterItems());
      chooseCategories(keep);
      bar.setChoices(categories, accounts);
    } catch (e) {
      if (!disposed) toast(describeError(toApiError(e)), { kind: "error" });
    }
  }
  const categoriesReady = loadCategories();

  /** The accounts for the form's picker and the Account column (a failure leaves both out). */
  async function loadAccounts(): Promise<void> {
    try {
      accounts = await session.accounts.get();
    } catch {
      accounts = []; // the form falls back to the server's default account
    }
    if (disposed) return;
    buildOptions(account.control, accountFilterItems(), accounts.some((a) => a.id === filters.accountId) ? filters.accountId : "");
    bar.setChoices(categories, accounts);
    const column = showsAccountColumn(accounts);
    if (column === shape.account) return;
    shape.account = column;
    setChildren(thead, heading());
    shownRows.clear(); // every row gains or loses its cell
    if (!loading && rows.length > 0) render();
  }
  const accountsReady = loadAccounts();

  /** After a save in the dialog: a transaction is placed on the page; a transfer (two rows) fetches it again. */
  function onSaved(saved: SavedEntry, created: boolean): void {
    const what = saved.kind === "transfer" ? "Transfer" : "Transaction";
    toast(`${what} ${created ? "added" : "saved"}`, { kind: "success" });
    if (disposed) return;
    if (saved.kind === "transaction") showSaved(saved.transaction);
    else {
      void load();
      void loadTotals();
    }
  }

  async function openNew(): Promise<void> {
    await Promise.all([categoriesReady, accountsReady]);
    if (disposed) return;
    openTransactionDialog({ session, categories, accounts, onSaved, onManageCategories: () => ctx.navigate("categories") });
  }

  async function editTransaction(t: TransactionView, button: HTMLButtonElement): Promise<void> {
    button.setAttribute("aria-busy", "true");
    button.disabled = true;
    try {
      await Promise.all([categoriesReady, accountsReady]);
      const fresh = await api.getTransaction({ id: t.id });
      const transfer = fresh.transferId ? await api.getTransfer({ id: fresh.transferId }) : undefined;
      if (disposed) return;
      openTransactionDialog({ session, categories, accounts, existing: fresh, existingTransfer: transfer, returnFocus: button, onSaved, onRepeat: (id) => void repeatTransaction(ctx, id) });
    } catch (e) {
      toast(describeError(toApiError(e)), { kind: "error" });
      void load();
    } finally {
      button.removeAttribute("aria-busy");
      button.disabled = false;
    }
  }

  /**
   * Ask, then delete with `send`; a reconciled row is said so in the question and deleted confirmed.
   * When the server still answers that a row is reconciled (a transfer's other leg), ask again.
   */
  async function confirmDelete<T>(title: string, message: Node[], reconciled: boolean, testId: string, send: (confirmReconciled: boolean) => Promise<T>): Promise<T | null> {
    const result: { deleted: T | null } = { deleted: null };
    const warning = h("p", { class: "notice notice-warning" }, "It is reconciled against a bank statement: deleting it can make the account disagree with that statement.");
    const ok = await confirmDialog({
      title,
      message: [...message, reconciled ? warning : null, h("p", { class: "muted small" }, "You can undo this for a few seconds.")],
      confirmLabel: "Delete",
      danger: true,
      testId,
      action: async () => {
        result.deleted = reconciled ? await send(true) : await confirmingReconciled(send, "transfer");
      },
    });
    return ok ? result.deleted : null;
  }

  async function deleteTransaction(t: TransactionView): Promise<void> {
    const what = [h("p", null, "This deletes “", h("strong", null, t.description), "” (", session.money(t.amount), ", ", transactionDate(session, t.date), ").")];
    const row = await confirmDelete("Delete transaction?", what, t.status === "reconciled", "delete-transaction-dialog", (confirmReconciled) => api.deleteTransaction({ id: t.id, confirmReconciled }));
    if (!row) return;
    // The undo re-adds the row at most once, however often it is clicked or retried.
    const undoKey = newIdempotencyKey();
    toast("Transaction deleted", {
      timeout: UNDO_MS,
      action: {
        label: "Undo",
        id: "undo",
        onClick: async () => {
          try {
            const restored = await api.addTransaction({ accountId: row.accountId, categoryId: row.categoryId, amount: row.amount, date: row.date, description: row.description, note: row.note, idempotencyKey: undoKey });
            toast("Transaction restored", { kind: "success" });
            if (!disposed) showSaved(restored);
          } catch (e) {
            toast(`Could not restore the transaction: ${describeError(toApiError(e))}`, { kind: "error" });
            if (!disposed) void load();
          }
        },
      },
    });
    showDeleted(row.id);
  }

  /** A transfer's leg: deleting it deletes the transfer (both accounts), with an undo that adds it back. */
  async function deleteTransfer(t: TransactionView): Promise<void> {
    const id = t.transferId;
    if (!id) return;
    const other = t.transferAccountId ? accountName(accounts, t.transferAccountId) : "";
    const what = [
      h("p", null, "This deletes the transfer “", h("strong", null, t.description), "” (", session.money(t.amount), ", ", transactionDate(session, t.date), ")", other ? ` and its other side in ${other}` : "", "."),
    ];
    const gone: TransferView | null = await confirmDelete("Delete transfer?", what, t.status === "reconciled", "delete-transaction-dialog", (confirmReconciled) => api.deleteTransfer({ id, confirmReconciled }));
    if (!gone) return;
    const undoKey = newIdempotencyKey();
    toast("Transfer deleted", {
      timeout: UNDO_MS,
      action: {
        label: "Undo",
        id: "undo",
        onClick: async () => {
          try {
            const { fromAccountId, toAccountId, amount, date, description, note } = gone;
            await api.addTransfer({ fromAccountId, toAccountId, amount, date, description, note, idempotencyKey: undoKey });
            toast("Transfer restored", { kind: "success" });
          } catch (e) {
            toast(`Could not restore the transfer: ${describeError(toApiError(e))}`, { kind: "error" });
          }
          if (!disposed) {
            void load();
            void loadTotals();
          }
        },
      },
    });
    void load();
    void loadTotals();
  }

  /** The status marker: cleared ↔ not cleared (a reconciled row has no button). */
  async function toggleCleared(t: ListedRow, button: HTMLButtonElement): Promise<void> {
    const cleared = t.status !== "cleared";
    await withBusy(button, async () => {
      try {
        await api.setCleared({ accountId: t.accountId, ids: [t.id], cleared });
        if (disposed) return;
        rows = rows.map((r) => (r.id === t.id ? { ...r, status: cleared ? "cleared" : "uncleared" } : r));
        render();
      } catch (e) {
        toast(describeError(toApiError(e)), { kind: "error" });
        if (!disposed) void load();
      }
    });
  }

  async function exportCsv(): Promise<void> {
    await withBusy(exportButton, async () => {
      try {
        const out = await api.exportCsv({ filter: isFiltered() ? listInput(filters, null) : null });
        if (disposed || out.path === null) return;
        toast(`Exported ${out.rows} transaction${out.rows === 1 ? "" : "s"} to ${out.path}`, { kind: "success", timeout: 8000 });
      } catch (e) {
        toast(`Export failed: ${describeError(toApiError(e))}`, { kind: "error" });
      }
    });
  }

  async function importCsv(): Promise<void> {
    await categoriesReady;
    if (disposed) return;
    openImportWizard({
      session,
      categories,
      returnFocus: importButton,
      onImported: () => {
        // An import may have created categories, and adds rows anywhere: fetch both again.
        session.categories.invalidate();
        void loadCategories();
        void load();
        void loadTotals();
      },
    });
  }

  const setFilters = (p: TransactionFilterPreset): void => {
    const f = filtersFromPreset(p);
    if (!accounts.some((a) => a.id === f.accountId)) buildOptions(account.control, [...accountFilterItems(), ...(f.accountId ? [{ value: f.accountId, label: "…" }] : [])]);
    account.control.value = f.accountId;
    from.control.value = f.from;
    to.control.value = f.to;
    type.control.value = f.type;
    search.control.value = "";
    minAmount.control.value = "";
    maxAmount.control.value = "";
    if (f.categoryIds.every((id) => categories.some((c) => c.id === id))) chooseCategories(f.categoryIds);
    else {
      chooseCategories([]);
      wantedCategories = f.categoryIds;
    }
    filters = { ...f, sort: filters.sort };
    cursors.reset();
    selection.clear();
    void load();
    void loadTotals();
  };

  const ready = Promise.all([load(), loadTotals()]).then(() => undefined);
  return {
    el,
    ready,
    setFilters,
    openNew: () => void openNew(),
    focusSearch: () => {
      search.control.focus();
      search.control.select();
    },
    dispose: () => {
      disposed = true;
      if (debounce !== undefined) clearTimeout(debounce);
    },
  };
}
