// Settings → the currency: a label for the user's amounts' minor units, so it can change only
// while no amount is recorded in it (no transaction, budget, opening balance or reconciled
// statement; the core checks again inside the write). Otherwise the card says what holds amounts.
import { api } from "../api";
import { sessionFormats, type Session } from "../context";
import { browserStore } from "../lib/accounts";
import { COMMON_CURRENCIES, currencyLabel } from "../lib/currencies";
import { describeError, toApiError } from "../lib/errors";
import { loadFormatChoice } from "../lib/formats";
import type { CurrencyUsageView } from "../ipc-types";
import { withBusy } from "../ui/busy";
import { h, setChildren } from "../ui/dom";
import { selectField } from "../ui/form";
import { toast } from "../ui/toast";

/** Why the currency is fixed, from what holds amounts ("12 transactions and 2 budgets …"). */
export function currencyFixedReason(u: CurrencyUsageView, currency: string): string {
  const count = (n: number, one: string, many: string): string | null => (n > 0 ? `${n} ${n === 1 ? one : many}` : null);
  const held = [count(u.transactions, "transaction", "transactions"), count(u.budgets, "budget", "budgets"), count(u.balances, "account balance", "account balances"), count(u.schedules, "schedule", "schedules"), count(u.rules, "rule with an amount", "rules with an amount")].filter(
    (x): x is string => x !== null,
  );
  const list = held.length > 1 ? `${held.slice(0, -1).join(", ")} and ${held.at(-1) ?? ""}` : (held[0] ?? "");
  return `Your amounts are kept in ${currency} (${list}), so the currency cannot change: 100 cents are not 100 yen. To use another currency, export your data and start a new user.`;
}

/** The currency row's extra part: a change control while allowed, else the reason it is fixed. */
export function currencyControl(session: Session, onChanged: () => void): HTMLElement {
  const box = h("div", { class: "currency-control", id: "currency-control" });
  void api
    .currencyUsage()
    .then((usage) => {
      if (!usage.canChange) {
        setChildren(box, h("p", { class: "muted small", id: "currency-fixed" }, currencyFixedReason(usage, session.profile.currency)));
        return;
      }
      const pick = selectField({
        name: "currency", label: "Change the currency", id: "currency-choice", value: session.profile.currency,
        options: [...new Set([session.profile.currency, ...COMMON_CURRENCIES])].map((c) => ({ value: c, label: currencyLabel(c, session.locale) })),
      });
      const change = h("button", { type: "button", class: "secondary", id: "currency-change" }, "Change");
      change.addEventListener("click", () => {
        if (pick.control.value === session.profile.currency) return;
        void withBusy(change, async () => {
          try {
            const profile = await api.changeCurrency({ currency: pick.control.value });
            session.profile = profile;
            Object.assign(session, sessionFormats(profile, loadFormatChoice(browserStore(), profile.id), session.locale));
            toast(`Your currency is now ${currencyLabel(profile.currency, session.locale)}`, { kind: "success" });
            onChanged();
          } catch (e) {
            toast(describeError(toApiError(e)), { kind: "error" });
          }
        });
      });
      setChildren(
        box,
        h("p", { class: "muted small" }, "Nothing is recorded in this currency yet, so it can still change."),
        h("div", { class: "row" }, pick.wrapper, h("div", { class: "actions" }, change)),
      );
    })
    .catch(() => setChildren(box));
  return box;
}
