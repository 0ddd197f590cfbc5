// The CSV import wizard's mapping form: its values ↔ the ImportSettings the Rust side reads.
import type { BankFileView, BankFormatView, DateFormat, DayMonthOrderView, DecimalSeparator, ImportSettings, StatementCheckView } from "../ipc-types";
import { absDecimal } from "./money";

export const DATE_FORMATS: readonly DateFormat[] = ["YYYY-MM-DD", "YYYY/MM/DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY", "DD-MM-YYYY"];

export const DELIMITERS: readonly { value: string; label: string }[] = [
  { value: ",", label: "Comma ( , )" },
  { value: ";", label: "Semicolon ( ; )" },
  { value: "\t", label: "Tab" },
  { value: "|", label: "Pipe ( | )" },
];

export const DECIMALS: readonly { value: DecimalSeparator; label: string }[] = [
  { value: "dot", label: "Dot (1234.56)" },
  { value: "comma", label: "Comma (1234,56)" },
];

/** The form as strings, exactly as its controls hold them ("" = not chosen). */
export interface MappingForm {
  delimiter: string;
  hasHeader: boolean;
  date: string;
  amountMode: "single" | "debit_credit";
  amount: string;
  debit: string;
  credit: string;
  description: string;
  category: string;
  note: string;
  /** A type column (income/expense), as in this app's own export. */
  type: string;
  /** An account column: each row names one of the user's accounts (blank = the chosen account). */
  account: string;
  /** This app's export's transfer column: kept from the guess, not shown. */
  transfer: string;
  dateFormat: string;
  decimal: string;
}

export type MappingField = Exclude<keyof MappingForm, "hasHeader" | "amountMode" | "transfer">;

export interface MappingResult {
  settings: ImportSettings | null;
  problems: { field: MappingField; message: string }[];
}

/** The form's values for guessed settings. */
export function formFromSettings(s: ImportSettings): MappingForm {
  const col = (n: number | null): string => (n === null ? "" : String(n));
  return {
    delimiter: s.delimiter,
    hasHeader: s.hasHeader,
    date: col(s.date),
    amountMode: s.amount.kind,
    amount: s.amount.kind === "single" ? col(s.amount.column) : "",
    debit: s.amount.kind === "debit_credit" ? col(s.amount.debit) : "",
    credit: s.amount.kind === "debit_credit" ? col(s.amount.credit) : "",
    description: col(s.description),
    category: col(s.category),
    note: col(s.note),
    type: col(s.type),
    account: col(s.account),
    transfer: col(s.transfer),
    dateFormat: s.dateFormat,
    decimal: s.decimal,
  };
}

/** Column index from a select's value, or null for "" / junk; must be < columnCount. */
function column(v: string, columnCount: number): number | null {
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n < columnCount ? n : null;
}

/** Validate the form and build settings; every problem names its field. */
export function settingsFromForm(f: MappingForm, columnCount: number): MappingResult {
  const problems: MappingResult["problems"] = [];
  const need = (field: MappingField, label: string): number | null => {
    const c = column(f[field], columnCount);
    if (c === null) problems.push({ field, message: `Choose the ${label} column.` });
    return c;
  };
  const optional = (field: MappingField): number | null => column(f[field], columnCount);

  const delimiter = f.delimiter;
  if ([...delimiter].length !== 1) problems.push({ field: "delimiter", message: "Choose a delimiter." });
  const date = need("date", "date");
  let amount: ImportSettings["amount"] | null = null;
  if (f.amountMode === "single") {
    const c = need("amount", "amount");
    if (c !== null) amount = { kind: "single", column: c };
  } else {
    const d = need("debit", "debit (money out)");
    const c = need("credit", "credit (money in)");
    if (d !== null && c !== null) {
      if (d === c) problems.push({ field: "credit", message: "Debit and credit must be different columns." });
      else amount = { kind: "debit_credit", debit: d, credit: c };
    }
  }
  const description = need("description", "description");
  const category = optional("category");
  const note = optional("note");
  const type = optional("type");
  const account = optional("account");
  const transfer = column(f.transfer, columnCount);
  const dateFormat = DATE_FORMATS.find((d) => d === f.dateFormat);
  if (!dateFormat) problems.push({ field: "dateFormat", message: "Choose the date format." });
  const decimal = DECIMALS.find((d) => d.value === f.decimal)?.value;
  if (!decimal) problems.push({ field: "decimal", message: "Choose the decimal separator." });

  // One column, one meaning.
  const used = new Map<number, MappingField>();
  const claim = (field: MappingField, c: number | null): void => {
    if (c === null) return;
    const other = used.get(c);
    if (other) problems.push({ field, message: `This column is already used for ${other === "dateFormat" ? "the date" : other}.` });
    else used.set(c, field);
  };
  claim("date", date);
  if (amount?.kind === "single") claim("amount", amount.column);
  if (amount?.kind === "debit_credit") {
    claim("debit", amount.debit);
    claim("credit", amount.credit);
  }
  claim("description", description);
  claim("category", category);
  claim("note", note);
  claim("type", type);
  claim("account", account);

  if (problems.length > 0 || date === null || amount === null || description === null || !dateFormat || !decimal) {
    return { settings: null, problems };
  }
  return {
    settings: { delimiter, hasHeader: f.hasHeader, date, amount, description, category, note, type, dateFormat, decimal, account, transfer: transfer !== null && !used.has(transfer) ? transfer : null },
    problems: [],
  };
}

/** Labels for the column selects: the header's names when there is one, else "Column N: first value". */
export function columnLabels(header: readonly string[] | null, firstRow: readonly string[] | undefined, useHeader: boolean): string[] {
  const count = Math.max(header?.length ?? 0, firstRow?.length ?? 0);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = useHeader ? header?.[i]?.trim() : undefined;
    const sample = (useHeader ? firstRow?.[i] : header?.[i] ?? firstRow?.[i])?.trim() ?? "";
    const clip = sample.length > 24 ? `${sample.slice(0, 23)}…` : sample;
    out.push(name ? `${i + 1}: ${name}` : `Column ${i + 1}${clip ? `: ${clip}` : ""}`);
  }
  return out;
}

/** How many rows an import would save. */
export function importCount(ready: number, duplicates: number, skipDuplicates: boolean): number {
  return Math.max(0, skipDuplicates ? ready - duplicates : ready);
}

/** A count as people read it in `locale` ("49,999,900"). */
export function formatCount(n: number, locale: string | undefined): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** "1 row" / "2 rows", the count grouped for `locale`. */
export function plural(n: number, one: string, many: string, locale: string | undefined): string {
  return `${formatCount(n, locale)} ${n === 1 ? one : many}`;
}

/**
 * What the preview does not list, or null when it lists everything: the Rust side sends the
 * first few errors and unknown categories with the count of all.
 */
export function notListed(count: number, listed: number, one: string, many: string, locale: string | undefined): string | null {
  const rest = count - listed;
  return rest > 0 ? `…and ${plural(rest, one, many, locale)}` : null;
}

/** The order of day and month a QIF file's dates can be read in (asked when both fit). */
export const DATE_ORDERS: readonly { value: DayMonthOrderView; label: string }[] = [
  { value: "month_first", label: "Month first (MM/DD/YY)" },
  { value: "day_first", label: "Day first (DD/MM/YY)" },
];

const BANK_FORMATS: Record<BankFormatView, string> = { ofx: "OFX bank statement", qif: "QIF bank statement", camt053: "CAMT.053 bank statement" };

/** What a bank file says about itself, in one line: "OFX bank statement · account DE89… · 42 entries". */
export function bankFileLine(b: BankFileView, locale: string | undefined): string {
  const parts = [BANK_FORMATS[b.format]];
  if (b.accountHint) parts.push(`account ${b.accountHint}`);
  if (b.entries !== null) parts.push(plural(b.entries, "entry", "entries", locale));
  return parts.join(" · ");
}

/** The statement's ending balance beside the account after the import, `money` formatting amounts. */
export function statementLine(s: StatementCheckView, money: (amount: string) => string): string {
  const head = `Statement balance ${money(s.statementBalance)} — after import the account shows ${money(s.afterImport)}`;
  return s.agrees ? `${head}: they agree.` : `${head}: ${money(absDecimal(s.difference))} apart.`;
}
