// @vitest-environment happy-dom
// The import wizard's check step over canned previews: what it lists, what it counts, and that
// the Import button stays off while the file cannot be imported.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AccountCache, CategoryCache, sessionFormats, type Session } from "../context";
import type { ImportFileView, ImportPreviewView, Profile } from "../ipc-types";
import { bankFileLine, formatCount, notListed, plural, statementLine } from "../lib/import-form";
import { AUTOMATIC } from "../lib/formats";

const answers = new Map<string, unknown>();
/** Commands that fail, with what Rust sends. */
const refusals = new Map<string, unknown>();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: async (cmd: string) => {
    await Promise.resolve();
    if (refusals.has(cmd)) throw refusals.get(cmd);
    if (!answers.has(cmd)) throw new Error(`unexpected command ${cmd}`);
    return answers.get(cmd);
  },
}));

const { showWizard } = await import("./import-wizard");

const profile: Profile = { id: "u1", username: "ann", firstName: "Ann", lastName: "Lee", email: "ann@example.com", currency: "EUR", currencyDigits: 2,
  ledger: { id: "u1", ownerName: "Ann Lee", ownerUsername: "ann", role: "owner", currency: "EUR", own: true } };
const session: Session = {
  profile,
  startup: { version: "test", store: null, user: profile, mongoError: null, keyringError: null, configError: null, sharedDatabase: false },
  locale: "en-US",
  ...sessionFormats(profile, AUTOMATIC, "en-US"),
  categories: new CategoryCache(async () => []),
  accounts: new AccountCache(async () => []),
};

const file: ImportFileView = {
  fileId: "f".repeat(32),
  fileName: "umsaetze.csv",
  sizeBytes: 104_857_600,
  encoding: "Windows-1252",
  delimiter: ";",
  header: ["Buchungstag", "Verwendungszweck", "Betrag"],
  preview: [["02.01.2025", "REWE SAGT DANKE", "-54,20"]],
  guess: {
    delimiter: ";", hasHeader: true, date: 0, amount: { kind: "single", column: 2 }, description: 1,
    category: null, note: null, type: null, dateFormat: "DD.MM.YYYY", decimal: "comma", account: null, transfer: null,
  },
  bank: null,
};

/** An opened QIF statement: no columns, its format and entries instead. */
const qifFile: ImportFileView = {
  ...file,
  fileName: "bank.qif",
  encoding: "UTF-8",
  header: null,
  preview: [],
  bank: { format: "qif", accountHint: null, entries: null },
};

function preview(over: Partial<ImportPreviewView> = {}): ImportPreviewView {
  return {
    total: 3, ready: 3, duplicates: 0, errorCount: 0, errors: [], unknownCategories: [], unknownCategoryCount: 0, statement: null,
    sample: [
      { line: 2, date: "2025-01-02", description: "REWE SAGT DANKE 2025-01-01T18:22", note: null, category: "Other", type: "expense", amount: "54.20", refund: false, account: "Main account", duplicate: false, ruleId: "r1", ruleName: "REWE", learned: false },
      { line: 4, date: "2025-01-03", description: "PAYROLL", note: "January salary\nnet of 401(k)", category: "Other income", type: "income", amount: "3200.00", refund: false, account: "Main account", duplicate: false, ruleId: null, ruleName: null, learned: true },
      { line: 5, date: "2025-01-04", description: "REWE RUECKGABE", note: null, category: "Groceries", type: "expense", amount: "-4.20", refund: true, account: "Visa card", duplicate: false, ruleId: null, ruleName: null, learned: false },
    ],
    ...over,
  };
}

async function check(p: ImportPreviewView, opened: ImportFileView = file): Promise<HTMLElement> {
  answers.set("import_preview", p);
  answers.set("import_discard", null);
  // Only the fields the wizard's picker reads (the rest of `AccountsView` is the Accounts screen's).
  answers.set("list_accounts", {
    accounts: [
      { id: "a".repeat(24), name: "Main account", archived: false },
      { id: "b".repeat(24), name: "Old card", archived: true },
      { id: "c".repeat(24), name: "Visa card", archived: false },
    ],
  });
  showWizard({ session, categories: [], onImported: () => undefined }, opened);
  document.querySelector<HTMLButtonElement>("#import-check")?.click();
  for (let i = 0; i < 100 && !document.querySelector("#import-counts"); i++) await new Promise((r) => setTimeout(r, 5));
  const results = document.querySelector<HTMLElement>("#import-results");
  if (!results?.querySelector("#import-counts")) throw new Error("no check results");
  return results;
}

const importButton = (): HTMLButtonElement => document.querySelector<HTMLButtonElement>("#import-commit") as HTMLButtonElement;

afterEach(() => {
  document.querySelector<HTMLButtonElement>("#import-cancel")?.click();
  document.body.replaceChildren();
  answers.clear();
  refusals.clear();
});

describe("counts", () => {
  it("groups digits and says what is not listed", () => {
    expect(formatCount(49_999_900, "en-US")).toBe("49,999,900");
    expect(plural(1, "row", "rows", "en-US")).toBe("1 row");
    expect(notListed(50_000_100, 200, "more error", "more errors", "en-US")).toBe("…and 49,999,900 more errors");
    expect(notListed(201, 200, "more error", "more errors", "en-US")).toBe("…and 1 more error");
    expect(notListed(200, 200, "more error", "more errors", "en-US")).toBeNull();
  });
});

describe("the check step", () => {
  it("lists the first errors and counts the rest of a hostile file", async () => {
    const errors = Array.from({ length: 200 }, (_, i) => ({ line: i + 2, field: null, reason: "has 1 fields; expected 3" }));
    const results = await check(preview({ total: 50_000_100, ready: 0, errorCount: 50_000_100, errors, sample: [] }));
    expect(results.querySelectorAll("#import-errors li")).toHaveLength(200);
    expect(results.querySelector("#import-errors-more")?.textContent).toBe("…and 49,999,900 more errors (only the first 200 are listed).");
    expect(results.querySelector('[data-count="errors"]')?.textContent).toBe("50,000,100 rows with problems (not imported)");
    expect(importButton().disabled, "no good row: nothing to import").toBe(true);
  });

  it("offers to import the good rows and skip the bad ones, by an explicit choice", async () => {
    const errors = Array.from({ length: 5 }, (_, i) => ({ line: i + 2, field: "amount", reason: "is not a number" }));
    const results = await check(preview({ total: 200, ready: 195, errorCount: 5, errors }));
    expect(results.querySelectorAll("#import-errors li"), "the lines to be left out are listed").toHaveLength(5);
    expect(importButton().disabled, "the good rows can be imported").toBe(false);
    expect(importButton().textContent, "the button says what happens to the bad ones").toBe("Import 195 good rows, skip 5");
    expect(results.querySelector("#import-save-rejects")?.textContent, "the lines can be saved to fix them").toBe("Save these lines to fix…");
  });

  it("says how many new categories are not listed and keeps Import off", async () => {
    const unknownCategories = Array.from({ length: 200 }, (_, i) => ({ name: `Cat ${i}`, type: "expense" as const }));
    const results = await check(preview({ unknownCategories, unknownCategoryCount: 4_512_833 }));
    expect(results.querySelectorAll("select[data-unknown-category]")).toHaveLength(200);
    expect(results.querySelector("#import-unknown-more")?.textContent).toContain("…and 4,512,633 more new categories, not listed.");
    expect(importButton().disabled, "unlisted categories cannot be mapped, so the commit would be refused").toBe(true);
  });

  it("offers the accounts that are not archived, the default one first", async () => {
    await check(preview());
    const options = [...document.querySelectorAll<HTMLOptionElement>("#import-account option")].map((o) => [o.value, o.textContent]);
    expect(options).toEqual([["a".repeat(24), "Main account"], ["c".repeat(24), "Visa card"]]);
    expect(document.querySelector<HTMLSelectElement>("#import-account")?.value).toBe("a".repeat(24));
  });

  it("shows the rows as they will be saved: their account, a refund, a note with its line breaks", async () => {
    const results = await check(preview());
    const rows = results.querySelectorAll("#import-sample-table tbody tr");
    expect(rows).toHaveLength(3);
    expect(rows[2]?.textContent).toContain("Visa card");
    expect(rows[2]?.querySelector("[data-refund]"), "a refund is marked").not.toBeNull();
    expect(rows[0]?.querySelector("[data-refund]")).toBeNull();
    const note = rows[1]?.querySelector(".import-note");
    expect(note?.querySelectorAll("br")).toHaveLength(1);
    expect(note?.textContent).toBe("January salarynet of 401(k)");
    expect(rows[0]?.textContent).toContain("REWE SAGT DANKE 2025-01-01T18:22");
    expect(importButton().disabled).toBe(false);
    expect(importButton().textContent).toBe("Import 3 transactions");
    expect(document.querySelector("#import-file")?.textContent).toContain("read as Windows-1252 text (not UTF-8)");
  });

  it("says which rule categorised a row, or that its category was learned", async () => {
    const results = await check(preview());
    const rows = results.querySelectorAll("#import-sample-table tbody tr");
    expect(rows[0]?.querySelector("[data-category-source=rule]")?.textContent).toBe(" rule: REWE");
    expect(rows[1]?.querySelector("[data-category-source=learned]")?.textContent).toBe(" learned");
    expect(rows[2]?.querySelector("[data-category-source]"), "the file's own category: no badge").toBeNull();
  });
});

describe("a bank statement", () => {
  it("describes the file in one line and the ending balance beside the account", () => {
    expect(bankFileLine({ format: "ofx", accountHint: "DE89370400440532013000", entries: 42 }, "en-US")).toBe("OFX bank statement · account DE89370400440532013000 · 42 entries");
    expect(bankFileLine({ format: "camt053", accountHint: null, entries: 1 }, "en-US")).toBe("CAMT.053 bank statement · 1 entry");
    const money = (a: string): string => a;
    expect(statementLine({ date: "2025-01-31", statementBalance: "1234.56", afterImport: "1230.00", difference: "4.56", agrees: false }, money)).toBe("Statement balance 1234.56 — after import the account shows 1230.00: 4.56 apart.");
    expect(statementLine({ date: "2025-01-31", statementBalance: "-10.00", afterImport: "-5.00", difference: "-5.00", agrees: false }, money), "the gap is unsigned").toBe("Statement balance -10.00 — after import the account shows -5.00: 5.00 apart.");
    expect(statementLine({ date: "2025-01-31", statementBalance: "5.00", afterImport: "5.00", difference: "0.00", agrees: true }, money)).toBe("Statement balance 5.00 — after import the account shows 5.00: they agree.");
  });

  it("skips the column mapping and shows the statement difference", async () => {
    const statement = { date: "2025-01-31", statementBalance: "1234.56", afterImport: "1230.00", difference: "4.56", agrees: false };
    const results = await check(preview({ statement }), qifFile);
    expect(document.querySelector("#import-preview-table"), "no preview of columns").toBeNull();
    expect(document.querySelector("#import-col-date"), "no column mapping").toBeNull();
    expect(document.querySelector("#import-bank-file")?.textContent).toBe("QIF bank statement");
    expect(results.querySelector("#import-statement")?.getAttribute("data-difference")).toBe("4.56");
    expect(results.querySelector("#import-statement")?.textContent).toContain("apart");
    expect(importButton().disabled).toBe(false);
  });

  it("asks the order of day and month when the check says the dates read both ways", async () => {
    answers.set("import_discard", null);
    answers.set("list_accounts", { accounts: [] });
    showWizard({ session, categories: [], onImported: () => undefined }, qifFile);
    const order = document.querySelector<HTMLElement>("#import-date-order")?.closest(".field") as HTMLElement | null;
    expect(order?.hidden, "not asked before it is needed").toBe(true);
    refusals.set("import_preview", { code: "validation", field: "date_order", message: "the dates read both ways: choose the order" });
    document.querySelector<HTMLButtonElement>("#import-check")?.click();
    for (let i = 0; i < 100 && order?.hidden; i++) await new Promise((r) => setTimeout(r, 5));
    expect(order?.hidden, "asked once the check needs it").toBe(false);
    expect(document.querySelector("#import-results #import-counts"), "no results without the order").toBeNull();
  });
});
