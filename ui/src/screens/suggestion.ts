// The transaction form's suggestion line: as the description is typed (adding, not editing), the
// server's suggestion (a rule's category and clean name, or the user's last transaction of that
// description: its category and amount) is shown under the description with a "Use" button.
// `acceptSuggestion(form)` fills the form with it — the keyboard flow calls it on Enter in the
// description (it answers false when there is nothing to accept, so Enter keeps its usual meaning).
// Logic (debounce, latest answer wins) is lib/suggest.ts.
import { api } from "../api";
import type { Session } from "../context";
import type { CategoryKind, FormSuggestionView, SuggestForInput } from "../ipc-types";
import { SuggestionController, suggestionText } from "../lib/suggest";
import { canonicalToTyped, type DecimalSeparator } from "../lib/amount-entry";
import { amountForServer, validateAmount } from "../lib/validation";
import { h, setChildren } from "../ui/dom";

/** What the suggestion fills in; the dialog provides it. */
export interface SuggestionTarget {
  description: HTMLInputElement;
  amount: HTMLInputElement;
  note: HTMLTextAreaElement;
  /** The form's kind now (null in transfer mode: no suggestion). */
  kind: () => CategoryKind | null;
  accountId: () => string | null;
  /** Switch to `kind` (when the suggestion is of the other kind) and choose `categoryId`. */
  chooseCategory: (kind: CategoryKind | null, categoryId: string) => void;
  /** The user's decimal separator (amounts are typed and shown with it). */
  decimal: DecimalSeparator;
}

const controllers = new WeakMap<HTMLFormElement, () => boolean>();

/** Fill `form` with its suggestion; false when there is none (see the module comment). */
export function acceptSuggestion(form: HTMLFormElement): boolean {
  return controllers.get(form)?.() ?? false;
}

/** Fill the form from `s`: the description, the category, and the amount or note when still blank. */
function fill(t: SuggestionTarget, s: FormSuggestionView): void {
  t.description.value = s.description;
  if (s.categoryId) t.chooseCategory(s.type, s.categoryId);
  if (s.amount !== null && t.amount.value.trim() === "") t.amount.value = canonicalToTyped(s.amount.replace(/^-/, ""), t.decimal);
  if (s.note !== null && t.note.value.trim() === "") t.note.value = s.note;
}

/** Attach the suggestion line to `form`; returns the element to place under the description. */
export function attachSuggestion(session: Session, form: HTMLFormElement, t: SuggestionTarget): HTMLElement {
  const line = h("div", { class: "suggestion", id: "description-suggestion", "aria-live": "polite", hidden: true });
  const controller = new SuggestionController({
    fetch: (input) => api.suggestFor(input),
    onChange: (s) => {
      line.hidden = s === null;
      setChildren(
        line,
        s &&
          h(
            "span",
            null,
            h("span", { class: "muted" }, "Suggestion: "),
            h("span", { "data-source": s.source }, suggestionText(s, session.money)),
            " ",
            h("button", { type: "button", class: "link", id: "use-suggestion", onclick: () => accept() }, "Use"),
          ),
      );
    },
  });
  const accept = (): boolean => controller.accept((s) => fill(t, s));
  controllers.set(form, accept);
  const request = (): SuggestForInput => {
    const kind = t.kind();
    const input: SuggestForInput = { description: kind === null ? "" : t.description.value };
    // Only an amount the server reads (a rule's amount condition needs it); else none.
    const amount = t.amount.value.trim();
    const { currency, currencyDigits } = session.profile;
    if (amount !== "" && validateAmount(amount, currencyDigits, { currency, decimal: t.decimal }) === null) input.amount = amountForServer(amount, currencyDigits, t.decimal);
    const account = t.accountId();
    if (account) input.accountId = account;
    if (kind) input.type = kind;
    return input;
  };
  t.description.addEventListener("input", () => controller.typed(request()));
  // A submission ends this entry's suggestion; "Save and add another" keeps the form for the next.
  form.addEventListener("submit", () => controller.typed({ description: "" }));
  return line;
}
