// Rules (auto-categorisation) as the UI shows and edits them: a rule's one-line summary, the
// order after a move up or down, where an imported row's category came from, and the rule form's
// values as the IPC input (blank = not set). Matching itself is the server's (finance-core's
// domain/rule.rs); nothing here decides which rule matches.
import type { CategoryKind, RuleInput, RuleView, TextMatch } from "../ipc-types";

export const TEXT_MATCH_LABELS: Readonly<Record<TextMatch, string>> = {
  contains: "contains",
  startsWith: "starts with",
  equals: "is",
};

/** The conditions of a rule in words, e.g. `Description contains “tesco” · expense · 10.00–20.00`. */
export function describeConditions(r: RuleInput, accountName: (id: string) => string, money: (amount: string) => string): string {
  const parts: string[] = [];
  if (r.descriptionText) parts.push(`Description ${TEXT_MATCH_LABELS[r.descriptionMatch ?? "contains"]} “${r.descriptionText}”`);
  if (r.amountMin !== null && r.amountMax !== null) {
    parts.push(r.amountMin === r.amountMax ? `amount ${money(r.amountMin)}` : `amount ${money(r.amountMin)}–${money(r.amountMax)}`);
  } else if (r.amountMin !== null) {
    parts.push(`amount ≥ ${money(r.amountMin)}`);
  } else if (r.amountMax !== null) {
    parts.push(`amount ≤ ${money(r.amountMax)}`);
  }
  if (r.accountId) parts.push(`in ${accountName(r.accountId)}`);
  if (r.type) parts.push(r.type);
  return parts.join(" · ");
}

/** What a rule does in words, e.g. `→ Groceries · rename to “Tesco” · note “weekly”`. */
export function describeActions(r: RuleInput & { categoryName?: string }): string {
  const parts: string[] = [];
  if (r.categoryId) parts.push(r.categoryName || "a category");
  if (r.rename) parts.push(`rename to “${r.rename}”`);
  if (r.note) parts.push(`note “${r.note}”`);
  return `→ ${parts.join(" · ")}`;
}

/** The ids in the order after moving `id` one place up (-1) or down (+1); null when it cannot move. */
export function moved(ids: readonly string[], id: string, delta: -1 | 1): string[] | null {
  const i = ids.indexOf(id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= ids.length) return null;
  const out = [...ids];
  [out[i], out[j]] = [out[j] as string, out[i] as string];
  return out;
}

/** Where an imported row's category came from, for the preview (null: the file, or "Other"). */
export function categorySource(r: { ruleName: string | null; learned: boolean }): string | null {
  if (r.ruleName) return `rule: ${r.ruleName}`;
  if (r.learned) return "learned";
  return null;
}

/** The rule form's raw values as the IPC input: blank text is null; a match only with a text. */
export function ruleInputFrom(values: {
  name: string;
  enabled: boolean;
  descriptionMatch: string;
  descriptionText: string;
  amountMin: string;
  amountMax: string;
  accountId: string;
  type: string;
  categoryId: string;
  rename: string;
  note: string;
}): RuleInput {
  const text = (s: string): string | null => (s.trim() === "" ? null : s.trim());
  const match = values.descriptionMatch;
  const type = values.type;
  const descriptionText = text(values.descriptionText);
  return {
    name: values.name.trim(),
    enabled: values.enabled,
    descriptionMatch: descriptionText === null ? null : match === "startsWith" || match === "equals" ? match : "contains",
    descriptionText,
    amountMin: text(values.amountMin),
    amountMax: text(values.amountMax),
    accountId: text(values.accountId),
    type: type === "income" || type === "expense" ? (type as CategoryKind) : null,
    categoryId: text(values.categoryId),
    rename: text(values.rename),
    note: text(values.note),
  };
}

/** A rule as its form's input (for an edit). */
export function inputOf(r: RuleView): RuleInput {
  const { name, enabled, descriptionMatch, descriptionText, amountMin, amountMax, accountId, type, categoryId, rename, note } = r;
  return { name, enabled, descriptionMatch, descriptionText, amountMin, amountMax, accountId, type, categoryId, rename, note };
}
