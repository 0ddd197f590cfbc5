// The import wizard (CSV and bank statement files). The file is chosen in the OS dialog (opened by
// Rust) and stays on the Rust side; the wizard sees a preview and a fileId. Steps: choose the account
// the file belongs to and map columns (prefilled from the guess) → Check (a dry run: counts, per-line
// errors, duplicates, unknown categories) → "Import N transactions" (the only step that saves) with a
// progress bar → summary. A bank statement (OFX/QFX, QIF, CAMT.053: Rust tells by content, `file.bank`)
// has no columns: the wizard shows its format, account and entries instead of the mapping, asks the
// order of day and month only when the check says a QIF file needs it, and the check also compares
// the statement's ending balance with the account after the import.
// The check lists the first errors and unknown categories (the Rust side bounds them) and says
// how many more there are; the sample rows are shown exactly as they will be saved.
import { api } from "../api";
import { categorySource } from "../lib/rules";
import type { Session } from "../context";
import type { CategoryMapping, CategoryView, DayMonthOrderView, ImportFileView, ImportPreviewView, ImportSettings } from "../ipc-types";
import { describeError, toApiError } from "../lib/errors";
import { SubmissionKey } from "../lib/idempotency";
import { bankFileLine, columnLabels, DATE_FORMATS, DATE_ORDERS, DECIMALS, DELIMITERS, formatCount, formFromSettings, importCount, notListed, plural, settingsFromForm, statementLine, type MappingField, type MappingForm } from "../lib/import-form";
import { setBusy } from "../ui/busy";
import { openDialog, type DialogHandle } from "../ui/dialog";
import { h, setChildren, uid } from "../ui/dom";
import { buildOptions, selectField, type Field, type SelectItem } from "../ui/form";
import { withBusy } from "../ui/busy";
import { toast } from "../ui/toast";
import { amountCell, transactionDate } from "./common";

export interface ImportWizardOptions {
  session: Session;
  categories: readonly CategoryView[];
  onImported: () => void;
  returnFocus?: HTMLElement | null;
}

/** Ask Rust to open a file: the OS dialog, or in end-to-end builds the path the test put on <body>. */
function chooseFile(): Promise<ImportFileView | null> {
  const e2ePath = document.body.dataset["e2eImportPath"];
  return e2ePath ? api.importOpenPath({ path: e2ePath }) : api.importOpen();
}

/** Choose a file, then show the wizard for it (nothing happens when the choice is cancelled). */
export async function openImportWizard(opts: ImportWizardOptions): Promise<void> {
  let file: ImportFileView | null;
  try {
    file = await chooseFile();
  } catch (e) {
    toast(`Cannot open the file: ${describeError(toApiError(e))}`, { kind: "error" });
    return;
  }
  if (file) showWizard(opts, file);
}

/** A note as saved: its line breaks shown as line breaks. */
const noteLines = (note: string | null): (string | HTMLElement)[] =>
  (note ?? "").split(/\r\n|\r|\n/).flatMap((line, i) => (i === 0 ? [line] : [h("br"), line]));

const formatSize = (bytes: number): string => (bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`);

/** Where a row's category came from (a rule, or the user's history), for the sample table. */
function sourceBadge(r: { ruleName: string | null; learned: boolean }): HTMLElement | null {
  const text = categorySource(r);
  return text === null ? null : h("span", { class: "badge", "data-category-source": r.ruleName ? "rule" : "learned" }, ` ${text}`);
}

export function showWizard(opts: ImportWizardOptions, file: ImportFileView): DialogHandle {
  const { session } = opts;
  let committed = false;
  let checked: { settings: ImportSettings; accountId: string | null; qifDates: DayMonthOrderView | null; preview: ImportPreviewView } | null = null;
  const bank = file.bank;
  const initial = formFromSettings(file.guess);
  const columnCount = Math.max(file.header?.length ?? 0, ...file.preview.map((r) => r.length), 1);

  // ---- settings form
  const alert = h("div", { class: "form-alert", role: "alert", "data-form-error": "" });
  const delimiter = selectField({ name: "delimiter", label: "Delimiter", id: "import-delimiter", value: initial.delimiter, options: DELIMITERS.some((d) => d.value === initial.delimiter) ? DELIMITERS : [...DELIMITERS, { value: initial.delimiter, label: `“${initial.delimiter}”` }] });
  const dateFormat = selectField({ name: "dateFormat", label: "Date format", id: "import-date-format", value: initial.dateFormat, options: DATE_FORMATS.map((d) => ({ value: d, label: d })) });
  const decimal = selectField({ name: "decimal", label: "Decimal separator", id: "import-decimal", value: initial.decimal, options: DECIMALS });
  const headerBox = h("input", { type: "checkbox", id: "import-has-header", name: "hasHeader" });
  headerBox.checked = initial.hasHeader;
  // The account the file belongs to: the user's accounts that are not archived (the first one,
  // the default account, preselected); until they are loaded, the default account.
  const account = selectField({ name: "accountId", label: "Account the file belongs to", id: "import-account", value: "", options: [{ value: "", label: "Default account" }] });
  void api
    .listAccounts()
    .then((view) => {
      const open = view.accounts.filter((a) => !a.archived);
      if (open.length > 0 && !handle.closed) buildOptions(account.control, open.map((a) => ({ value: a.id, label: a.name })), account.control.value || (open[0]?.id ?? ""));
    })
    .catch(() => undefined);
  const amountMode = selectField({
    name: "amountMode", label: "Amounts are in", id: "import-amount-mode", value: initial.amountMode,
    options: [{ value: "single", label: "One column (negative = money out)" }, { value: "debit_credit", label: "Two columns: debit and credit" }],
  });

  // A bank file: the order of day and month, asked only when a QIF file's dates read both ways.
  const dateOrder = selectField({ name: "qifDates", label: "The file's dates are written", id: "import-date-order", value: "", options: [{ value: "", label: "Choose…" }, ...DATE_ORDERS] });
  dateOrder.wrapper.hidden = true;
  const qifDates = (): DayMonthOrderView | null => (dateOrder.control.value === "month_first" || dateOrder.control.value === "day_first" ? dateOrder.control.value : null);

  const columnOptions = (optional: boolean): SelectItem[] => {
    const labels = columnLabels(file.header, file.preview[0], headerBox.checked);
    const items: SelectItem[] = labels.map((label, i) => ({ value: String(i), label }));
    return optional ? [{ value: "", label: "— none —" }, ...items] : [{ value: "", label: "Choose a column…" }, ...items];
  };
  const colField = (name: MappingField, label: string, optional: boolean): Field<HTMLSelectElement> =>
    selectField({ name, label, id: `import-col-${name}`, value: initial[name], options: columnOptions(optional), ...(optional ? { suffix: "(optional)" } : {}) });
  const cols = {
    date: colField("date", "Date", false),
    amount: colField("amount", "Amount", false),
    debit: colField("debit", "Debit (money out)", false),
    credit: colField("credit", "Credit (money in)", false),
    description: colField("description", "Description", false),
    category: colField("category", "Category", true),
    note: colField("note", "Note", true),
    type: colField("type", "Type (income / expense)", true),
    account: colField("account", "Account (names one of yours)", true),
  };
  const fields: Record<MappingField, Field<HTMLSelectElement>> = { ...cols, delimiter, dateFormat, decimal };

  const syncAmountMode = (): void => {
    const single = amountMode.control.value === "single";
    cols.amount.wrapper.hidden = !single;
    cols.debit.wrapper.hidden = single;
    cols.credit.wrapper.hidden = single;
  };
  syncAmountMode();

  const readForm = (): MappingForm => ({
    delimiter: delimiter.control.value,
    hasHeader: headerBox.checked,
    date: cols.date.control.value,
    amountMode: amountMode.control.value === "debit_credit" ? "debit_credit" : "single",
    amount: cols.amount.control.value,
    debit: cols.debit.control.value,
    credit: cols.credit.control.value,
    description: cols.description.control.value,
    category: cols.category.control.value,
    note: cols.note.control.value,
    type: cols.type.control.value,
    account: cols.account.control.value,
    transfer: initial.transfer,
    dateFormat: dateFormat.control.value,
    decimal: decimal.control.value,
  });

  // ---- preview of the file's first rows
  const previewHost = h("div", { class: "table-wrap import-preview" });
  const renderPreview = (): void => {
    const useHeader = headerBox.checked && file.header !== null;
    const rows = useHeader || !file.header ? file.preview : [file.header, ...file.preview];
    const labels = columnLabels(file.header, file.preview[0], headerBox.checked);
    setChildren(
      previewHost,
      h(
        "table",
        { class: "data-table compact", id: "import-preview-table" },
        h("caption", { class: "visually-hidden" }, `The first ${rows.length} rows of ${file.fileName}`),
        h("thead", null, h("tr", null, h("th", { scope: "col", class: "num" }, "#"), labels.map((l) => h("th", { scope: "col" }, l)))),
        h("tbody", null, rows.map((r, i) => h("tr", null, h("td", { class: "num muted" }, String(i + 1)), Array.from({ length: columnCount }, (_, c) => h("td", null, r[c] ?? ""))))),
      ),
    );
  };
  renderPreview();

  // ---- check results
  const results = h("div", { class: "import-results", id: "import-results", "aria-live": "polite" });
  const dupBox = h("input", { type: "checkbox", id: "import-duplicates" });
  const checkButton = h("button", { type: "button", class: "secondary", id: "import-check" }, "Check");
  const commitButton = h("button", { type: "button", class: "primary", id: "import-commit", disabled: true }, "Import");
  const progressFill = h("div", { class: "progress-fill" });
  const progress = h("div", { class: "progress import-progress", id: "import-progress", role: "progressbar", "aria-label": "Import progress", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0, hidden: true }, progressFill);
  const mappingSelects = new Map<string, { select: HTMLSelectElement; kind: CategoryView["type"]; name: string }>();

  const locale = session.locale;
  const commitCount = (): number => (checked ? importCount(checked.preview.ready, checked.preview.duplicates, !dupBox.checked) : 0);
  const syncCommit = (): void => {
    const n = commitCount();
    // The import is one write of every row it takes. Lines with problems are left out only by
    // this button's explicit choice ("Import 195 good rows, skip 5"); it stays off while a new
    // category is left that the list cannot offer for mapping.
    const p = checked?.preview;
    commitButton.disabled = !p || n === 0 || p.unknownCategoryCount > p.unknownCategories.length;
    commitButton.textContent = !p
      ? "Import"
      : p.errorCount > 0
        ? `Import ${plural(n, "good row", "good rows", locale)}, skip ${formatCount(p.errorCount, locale)}`
        : `Import ${plural(n, "transaction", "transactions", locale)}`;
  };
  dupBox.addEventListener("change", syncCommit);

  const mappings = (): CategoryMapping[] =>
    [...mappingSelects.values()].map(({ select, kind, name }) => ({
      csvName: name,
      type: kind,
      target: select.value === "" ? { kind: "create", name } : { kind: "existing", id: select.value },
    }));

  const showAlert = (message: string): void => {
    setChildren(alert, h("p", null, message));
    alert.classList.add("visible");
  };
  const clearProblems = (): void => {
    alert.replaceChildren();
    alert.classList.remove("visible");
    for (const f of [...Object.values(fields), dateOrder]) {
      f.error.textContent = "";
      f.control.removeAttribute("aria-invalid");
    }
  };

  const invalidate = (): void => {
    if (!checked) return;
    checked = null;
    setChildren(results, h("p", { class: "muted" }, "The settings changed: press Check again."));
    mappingSelects.clear();
    syncCommit();
  };

  const showResults = (p: ImportPreviewView): void => {
    const kept = new Map([...mappingSelects].map(([k, v]) => [k, v.select.value]));
    mappingSelects.clear();
    const counts = h(
      "ul",
      { class: "import-counts", id: "import-counts" },
      h("li", { "data-count": "total" }, `${plural(p.total, "row", "rows", locale)} in the file`),
      h("li", { "data-count": "ready" }, `${formatCount(p.ready, locale)} ready to import`),
      h("li", { "data-count": "duplicates" }, `${formatCount(p.duplicates, locale)} look${p.duplicates === 1 ? "s" : ""} like transactions you already have`),
      h("li", { "data-count": "errors", class: p.errorCount > 0 ? "has-errors" : "" }, `${plural(p.errorCount, "row", "rows", locale)} with problems (not imported)`),
    );
    const moreErrors = notListed(p.errorCount, p.errors.length, "more error", "more errors", locale);
    const moreCategories = notListed(p.unknownCategoryCount, p.unknownCategories.length, "more new category", "more new categories", locale);
    const errors =
      p.errorCount === 0
        ? h("p", { class: "muted small", id: "import-errors", "data-count": 0 }, "No problems found.")
        : h(
            "div",
            { class: "import-errors-box" },
            h("h3", null, "Problems"),
            h("p", { class: "small", id: "import-errors-help" }, "Fix these lines in the file (or change the settings above) and check again, or import the good rows and leave these out."),
            h(
              "ul",
              { class: "import-errors", id: "import-errors", "data-count": p.errorCount },
              p.errors.map((e) => h("li", { "data-line": e.line }, h("strong", null, `Line ${e.line}`), e.field ? ` (${e.field})` : "", `: ${e.reason}`)),
            ),
            moreErrors ? h("p", { class: "muted small", id: "import-errors-more", "data-more": p.errorCount - p.errors.length }, `${moreErrors} (only the first ${p.errors.length} are listed).`) : null,
            bank ? null : saveRejectsButton(),
          );
    const dupRow =
      p.duplicates > 0
        ? h("div", { class: "check-row" }, dupBox, h("label", { for: "import-duplicates" }, `Import the ${p.duplicates} possible duplicate${p.duplicates === 1 ? "" : "s"} too`))
        : null;
    const unknown =
      p.unknownCategories.length === 0
        ? null
        : h(
            "div",
            { class: "import-unknown" },
            h("h3", null, "New categories"),
            h("p", { class: "muted small" }, "These categories from the file do not exist yet. Create them, or map each to one of yours."),
            p.unknownCategories.map((u) => {
              const id = uid("map");
              const select = h("select", { id, "data-unknown-category": u.name, "data-type": u.type });
              const same = opts.categories.filter((c) => c.type === u.type).sort((a, b) => a.name.localeCompare(b.name));
              buildOptions(select, [{ value: "", label: `Create new ${u.type} category “${u.name}”` }, { group: "Map to existing", options: same.map((c) => ({ value: c.id, label: c.name })) }], kept.get(`${u.type}:${u.name}`) ?? "");
              mappingSelects.set(`${u.type}:${u.name}`, { select, kind: u.type, name: u.name });
              return h("div", { class: "field" }, h("label", { for: id }, `“${u.name}” (${u.type})`), select);
            }),
            moreCategories
              ? h(
                  "p",
                  { class: "small has-errors", id: "import-unknown-more", role: "note", "data-more": p.unknownCategoryCount - p.unknownCategories.length },
                  `${moreCategories}, not listed. One import can map or create at most ${p.unknownCategories.length} new categories: give the other rows categories you already have (or none) in the file, or import it in parts.`,
                )
              : null,
          );
    const sample =
      p.sample.length === 0
        ? null
        : h(
            "details",
            { class: "import-sample" },
            h("summary", null, `The first ${p.sample.length} rows as they will be saved`),
            h(
              "div",
              { class: "table-wrap" },
              h(
                "table",
                { class: "data-table compact", id: "import-sample-table" },
                h("thead", null, h("tr", null, ["Line", "Date", "Account", "Description", "Note", "Category", "Amount"].map((t) => h("th", { scope: "col" }, t)))),
                h(
                  "tbody",
                  null,
                  p.sample.map((r) =>
                    h(
                      "tr",
                      { class: r.duplicate ? "duplicate" : "" },
                      h("td", { class: "num muted" }, String(r.line)),
                      h("td", null, transactionDate(session, r.date)),
                      h("td", null, r.account),
                      h("td", null, r.description, r.duplicate ? h("span", { class: "badge badge-warning" }, " duplicate") : null),
                      h("td", { class: "import-note" }, noteLines(r.note)),
                      h("td", null, r.category, r.refund ? h("span", { class: "badge", "data-refund": "" }, " refund") : null, sourceBadge(r)),
                      amountCell(session, r),
                    ),
                  ),
                ),
              ),
            ),
          );
    const statement = p.statement
      ? h("p", { class: p.statement.agrees ? "import-statement" : "import-statement has-errors", id: "import-statement", "data-difference": p.statement.difference }, statementLine(p.statement, session.money))
      : null;
    setChildren(results, counts, statement, errors, dupRow, unknown, sample);
    syncCommit();
  };

  const check = async (): Promise<void> => {
    clearProblems();
    // A bank file has no columns: the guess is sent back as it came.
    const { settings, problems } = bank ? { settings: file.guess, problems: [] } : settingsFromForm(readForm(), columnCount);
    if (!settings) {
      for (const p of problems) {
        fields[p.field].error.textContent = p.message;
        fields[p.field].control.setAttribute("aria-invalid", "true");
      }
      const first = problems[0];
      if (first) fields[first.field].control.focus();
      return;
    }
    setBusy(checkButton, true);
    try {
      const accountId = account.control.value || null;
      const dates = qifDates();
      const preview = await api.importPreview({ fileId: file.fileId, accountId, settings, mappings: mappings(), qifDates: dates });
      if (handle.closed) return;
      checked = { settings, accountId, qifDates: dates, preview };
      showResults(preview);
    } catch (e) {
      const err = toApiError(e);
      const field = err.field as MappingField | null;
      if (err.field === "date_order") {
        // A QIF file whose dates read both ways: ask, then check again.
        dateOrder.wrapper.hidden = false;
        dateOrder.error.textContent = describeError(err);
        dateOrder.control.setAttribute("aria-invalid", "true");
        dateOrder.control.focus();
      } else if (field && field in fields) {
        fields[field].error.textContent = describeError(err);
        fields[field].control.setAttribute("aria-invalid", "true");
      } else showAlert(describeError(err));
    } finally {
      setBusy(checkButton, false);
    }
  };

  // One key per import commit; retrying the same commit after "unavailable" reuses it.
  /** "Save these lines…": every line with a problem (not only the listed ones) as a CSV to fix. */
  const saveRejectsButton = (): HTMLButtonElement => {
    const button = h("button", { type: "button", class: "secondary", id: "import-save-rejects" }, "Save these lines to fix…");
    button.addEventListener("click", () => {
      if (!checked) return;
      const { settings, accountId } = checked;
      void withBusy(button, async () => {
        try {
          const saved = await api.importSaveRejects({ fileId: file.fileId, accountId, settings, mappings: mappings(), qifDates: null });
          if (saved.path) toast(`${plural(saved.rows, "line", "lines", locale)} saved to ${saved.path}`, { kind: "success" });
        } catch (e) {
          toast(`Not saved: ${describeError(toApiError(e))}`, { kind: "error" });
        }
      });
    });
    return button;
  };

  const commitKey = new SubmissionKey();
  const commit = async (): Promise<void> => {
    if (!checked) return;
    clearProblems();
    const n = commitCount();
    setBusy(commitButton, true);
    checkButton.disabled = true;
    progress.hidden = false;
    const setProgress = (done: number, total: number): void => {
      const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
      progress.setAttribute("aria-valuenow", String(pct));
      progress.setAttribute("aria-valuetext", `${done} of ${total} rows`);
      progressFill.style.setProperty("width", `${pct}%`);
    };
    setProgress(0, n);
    let stop: (() => void) | null = null;
    try {
      stop = await api.onImportProgress((p) => setProgress(p.done, p.total)).catch(() => null);
      const problems = checked.preview;
      const request = { fileId: file.fileId, accountId: checked.accountId, settings: checked.settings, mappings: mappings(), skipDuplicates: !dupBox.checked, skipErrors: problems.errorCount > 0, qifDates: checked.qifDates };
      const summary = await commitKey.run(request, (idempotencyKey) => api.importCommit({ ...request, idempotencyKey }), toApiError);
      committed = true;
      setProgress(1, 1);
      opts.onImported();
      if (handle.closed) return;
      const done = h("button", { type: "button", class: "primary", id: "import-done", onclick: () => handle.close() }, "Done");
      setChildren(
        body,
        progress,
        h(
          "div",
          { class: "import-summary", id: "import-summary", role: "status", "data-imported": summary.imported, "data-skipped": summary.skippedDuplicates, "data-created": summary.createdCategories, "data-skipped-errors": summary.skippedErrors },
          h("p", { class: "import-summary-main" }, `Imported ${summary.imported} transaction${summary.imported === 1 ? "" : "s"}.`),
          h(
            "ul",
            null,
            h("li", null, `${summary.skippedDuplicates} possible duplicate${summary.skippedDuplicates === 1 ? "" : "s"} skipped`),
            h("li", null, `${summary.createdCategories} categor${summary.createdCategories === 1 ? "y" : "ies"} created`),
            summary.skippedErrors > 0 ? h("li", { class: "has-errors" }, `${plural(summary.skippedErrors, "line", "lines", locale)} with problems left out`) : null,
          ),
          summary.skippedErrors > 0 ? skippedLines(problems) : null,
        ),
        h("div", { class: "dialog-actions" }, done),
      );
      done.focus();
    } catch (e) {
      progress.hidden = true;
      showAlert(`Nothing was imported: ${describeError(toApiError(e))}`);
      setBusy(commitButton, false);
      checkButton.disabled = false;
      syncCommit();
    } finally {
      stop?.();
    }
  };

  checkButton.addEventListener("click", () => void check());
  commitButton.addEventListener("click", () => void commit());
  amountMode.control.addEventListener("change", syncAmountMode);
  headerBox.addEventListener("change", () => {
    for (const [name, f] of Object.entries(cols)) {
      const keep = f.control.value;
      buildOptions(f.control, columnOptions(name === "category" || name === "note" || name === "type" || name === "account"), keep);
    }
    renderPreview();
  });

  const settingsForm = bank
    ? h(
        "form",
        { class: "import-settings", id: "import-settings", "aria-label": "How to read the file" },
        alert,
        h("p", { id: "import-bank-file", "data-format": bank.format, "data-entries": bank.entries ?? "" }, bankFileLine(bank, locale)),
        h("div", { class: "import-grid" }, account.wrapper, dateOrder.wrapper),
      )
    : h(
        "form",
        { class: "import-settings", id: "import-settings", "aria-label": "How to read the file" },
        alert,
        h("div", { class: "import-grid" }, account.wrapper),
        h("div", { class: "import-grid" }, delimiter.wrapper, dateFormat.wrapper, decimal.wrapper, h("div", { class: "field check-row" }, headerBox, h("label", { for: "import-has-header" }, "The first row is a header"))),
        h("fieldset", { class: "import-columns" }, h("legend", null, "Columns"), h("div", { class: "import-grid" }, cols.date.wrapper, amountMode.wrapper, cols.amount.wrapper, cols.debit.wrapper, cols.credit.wrapper, cols.description.wrapper, cols.category.wrapper, cols.note.wrapper, cols.type.wrapper, cols.account.wrapper)),
      );
  settingsForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void check();
  });
  settingsForm.addEventListener("change", (ev) => {
    if (ev.target !== dupBox) invalidate();
  });

  const body = h(
    "div",
    { class: "import-wizard" },
    h(
      "p",
      { class: "muted small", id: "import-file", "data-encoding": file.encoding },
      h("strong", null, file.fileName),
      ` · ${formatSize(file.sizeBytes)}${bank || file.encoding === "UTF-8" ? "" : ` · read as ${file.encoding} text (not UTF-8)`} · nothing is saved until you press Import`,
    ),
    bank ? null : h("h3", null, "Preview"),
    bank ? null : previewHost,
    settingsForm,
    results,
    progress,
    h("div", { class: "dialog-actions" }, h("button", { type: "button", class: "secondary", id: "import-cancel", onclick: () => handle.close() }, "Cancel"), checkButton, commitButton),
  );

  const handle = openDialog({
    title: bank ? "Import a bank statement" : "Import transactions from CSV",
    testId: "import-dialog",
    className: "dialog-wide",
    returnFocus: opts.returnFocus ?? null,
    body: () => body,
    initialFocus: () => checkButton,
    onClose: () => {
      if (!committed) void api.importDiscard({ fileId: file.fileId }).catch(() => undefined);
    },
  });
  handle.root.id = "import-dialog";
  return handle;
}

/** The lines an import left out, as the check listed them (the first ones, with the count of the rest). */
function skippedLines(p: ImportPreviewView): HTMLElement {
  const rest = p.errorCount - p.errors.length;
  return h(
    "details",
    { class: "import-skipped", id: "import-skipped", open: true },
    h("summary", null, "Lines left out"),
    h(
      "ul",
      { class: "import-errors" },
      p.errors.map((e) => h("li", { "data-line": e.line }, h("strong", null, `Line ${e.line}`), e.field ? ` (${e.field})` : "", `: ${e.reason}`)),
    ),
    rest > 0 ? h("p", { class: "muted small" }, `and ${rest} more.`) : null,
  );
}
