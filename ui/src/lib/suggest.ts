// The transaction form's suggestion: as a description is typed, ask the server (`suggest_for`: the
// first matching rule, else the user's most recent transaction of that description) and keep the
// latest answer; `accept` hands it to the form (the lead wires Enter in the description to it).
//
// Invariants: requests are debounced (one per pause in typing); an answer for text that has since
// changed is dropped (the latest request wins), so a slow answer never overwrites a newer one; a
// failed request shows no suggestion (typing never shows an error); a blank description asks
// nothing and clears the suggestion.
import type { FormSuggestionView, SuggestForInput } from "../ipc-types";

export interface SuggestionOptions {
  fetch: (input: SuggestForInput) => Promise<FormSuggestionView | null>;
  /** Called whenever the suggestion shown changes (null: none). */
  onChange: (s: FormSuggestionView | null) => void;
  /** Pause in typing before asking, in milliseconds. */
  delayMs?: number;
}

export class SuggestionController {
  private readonly fetch: SuggestionOptions["fetch"];
  private readonly onChange: SuggestionOptions["onChange"];
  private readonly delayMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;
  private shown: FormSuggestionView | null = null;

  constructor(opts: SuggestionOptions) {
    this.fetch = opts.fetch;
    this.onChange = opts.onChange;
    this.delayMs = opts.delayMs ?? 150;
  }

  /** The form changed: ask again after a pause (a blank description clears at once). */
  typed(input: SuggestForInput): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const seq = ++this.seq;
    if (input.description.trim() === "") {
      this.timer = null;
      this.show(null);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fetch(input).then(
        (s) => {
          if (seq === this.seq) this.show(s);
        },
        () => {
          if (seq === this.seq) this.show(null);
        },
      );
    }, this.delayMs);
  }

  /** The suggestion shown now. */
  current(): FormSuggestionView | null {
    return this.shown;
  }

  /** Give the suggestion to `fill` and clear it; false when there is none. */
  accept(fill: (s: FormSuggestionView) => void): boolean {
    const s = this.shown;
    if (!s) return false;
    this.seq++;
    this.show(null);
    fill(s);
    return true;
  }

  /** Stop: pending answers are dropped. */
  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.seq++;
  }

  private show(s: FormSuggestionView | null): void {
    this.shown = s;
    this.onChange(s);
  }
}

/** The suggestion in words, e.g. `Groceries · 12.30 (last time)` or `Groceries (rule “Tesco”)`. */
export function suggestionText(s: FormSuggestionView, money: (amount: string) => string): string {
  const what = [s.description, s.categoryName, s.amount !== null ? money(s.amount) : null].filter((x) => x).join(" · ");
  return s.source === "rule" ? `${what} (rule “${s.ruleName ?? ""}”)` : `${what} (last time)`;
}
