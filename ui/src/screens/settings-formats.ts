// Settings → Formats: how amounts look and how amounts and dates are typed, overriding the
// webview's locale (lib/formats.ts). Kept per user on this computer; applied at once to the
// session, so every screen opened afterwards formats with it.
import { sessionFormats, type Session } from "../context";
import { browserStore } from "../lib/accounts";
import { formatDateForEntry, DATE_ENTRY_FORMATS } from "../lib/date-entry";
import { loadFormatChoice, NUMBER_FORMATS, saveFormatChoice, type FormatChoice, type NumberFormatId } from "../lib/formats";
import { h } from "../ui/dom";
import { selectField } from "../ui/form";
import { toast } from "../ui/toast";

const SAMPLE_AMOUNT = "7620.00";
const SAMPLE_DATE = "2025-12-31";

export function formatsSection(session: Session): HTMLElement {
  const { profile } = session;
  let choice = loadFormatChoice(browserStore(), profile.id);
  const number = selectField({
    name: "numberFormat", label: "Numbers", id: "format-number", value: choice.number,
    options: NUMBER_FORMATS.map((f) => ({ value: f.id, label: f.label })),
  });
  const date = selectField({
    name: "dateFormat", label: "Typed dates", id: "format-date", value: choice.date,
    options: [{ value: "auto", label: "As the system (automatic)" }, ...DATE_ENTRY_FORMATS.map((f) => ({ value: f, label: `${f} (${formatDateForEntry(SAMPLE_DATE, f)})` }))],
  });
  const example = h("p", { class: "muted small", id: "format-example" });
  const showExample = (): void => {
    const typedDate = formatDateForEntry(SAMPLE_DATE, session.formats.dateEntry);
    const decimalName = session.formats.decimal === "comma" ? "comma" : "dot";
    example.textContent = `Amounts show as ${session.money(SAMPLE_AMOUNT)}; you type them with a decimal ${decimalName} (either separator works when it is clear). Dates are typed as ${typedDate}.`;
  };
  const apply = (next: FormatChoice): void => {
    choice = next;
    saveFormatChoice(browserStore(), profile.id, choice);
    Object.assign(session, sessionFormats(profile, choice, session.locale));
    showExample();
    toast("Formats saved", { kind: "success" });
  };
  number.control.addEventListener("change", () => {
    const id = NUMBER_FORMATS.find((f) => f.id === number.control.value)?.id ?? "auto";
    apply({ ...choice, number: id as NumberFormatId });
  });
  date.control.addEventListener("change", () => {
    const picked = DATE_ENTRY_FORMATS.find((f) => f === date.control.value) ?? "auto";
    apply({ ...choice, date: picked });
  });
  showExample();
  return h(
    "section",
    { class: "card", "aria-labelledby": "settings-formats" },
    h("h2", { id: "settings-formats" }, "Formats"),
    h("div", { class: "row" }, number.wrapper, date.wrapper),
    example,
  );
}
