// A date field typed in the user's date format (lib/date-entry.ts) instead of the webview's date
// picker: "7" is the 7th of this month, "+" / "-" step a day forward or back (also the numeric
// keypad's, and ↑/↓ with Alt), the field shows the date back in the chosen format when left.
// The value the form sends is `iso()`: an ISO date, or null while the text names no day.

import { dateEntryExample, formatDateForEntry, minusIsTyping, parseTypedDate, stepDate, type DateEntryFormat } from "../lib/date-entry";
import { inputField, type Field, type FieldOptions } from "./form";

export interface DateField extends Field<HTMLInputElement> {
  /** The typed date as ISO, or null when the text names no real day. */
  iso(): string | null;
  /** Show `isoDate` in the field (in the chosen format). */
  set(isoDate: string): void;
  /** "must be a date like 31.12.2025", or null. */
  problem(): string | null;
}

export function typedDateField(opts: FieldOptions & { format: DateEntryFormat; today: () => string }): DateField {
  const { format, today } = opts;
  const example = dateEntryExample(format);
  const field = inputField({
    ...opts,
    value: opts.value ? formatDateForEntry(opts.value, format) : "",
    placeholder: format,
    hint: opts.hint ?? `${format}; + or − for the next or previous day`,
    attrs: { autocomplete: "off", inputmode: "numeric", spellcheck: "false", class: "date-input", "data-format": format, ...(opts.attrs ?? {}) },
  });
  const input = field.control;
  const iso = (): string | null => parseTypedDate(input.value, format, today());
  const set = (isoDate: string): void => {
    input.value = formatDateForEntry(isoDate, format);
    input.dataset["iso"] = isoDate;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const step = (days: number): void => set(stepDate(iso() ?? today(), days));

  input.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey) return;
    const plus = ev.key === "+" || (ev.altKey && ev.key === "ArrowUp");
    const minus = ev.key === "-" || ev.key === "−" || (ev.altKey && ev.key === "ArrowDown");
    if (!plus && !minus) return;
    // A "-" inside an ISO date being typed is a separator, not a step.
    if (minus && ev.key === "-" && input.value.trim() !== "" && minusIsTyping(input.value, format) && input.selectionStart === input.value.length) return;
    ev.preventDefault();
    step(plus ? 1 : -1);
    input.select();
  });
  input.addEventListener("input", () => {
    const value = iso();
    if (value) input.dataset["iso"] = value;
    else delete input.dataset["iso"];
  });
  input.addEventListener("blur", () => {
    const value = iso();
    if (value) input.value = formatDateForEntry(value, format);
  });
  input.addEventListener("focus", () => input.select());
  if (opts.value) input.dataset["iso"] = opts.value;

  return {
    ...field,
    iso,
    set,
    problem: () => (input.value.trim() === "" ? "is required" : iso() === null ? `must be a date like ${example}` : null),
  };
}
