// Settings → Delete my account. The user types their username and password; the Rust side
// deletes every record of theirs on the store in one transaction (password checked and
// throttled like a log-in), forgets their session and pending sign-outs in the keyring, and
// this computer's per-user entries go too (lib/forget-user.ts). Then the sign-in screen.
import { api } from "../api";
import type { AppContext } from "../context";
import { forgetUserOnThisComputer } from "../lib/forget-user";
import { h } from "../ui/dom";
import { FormController, inputField, onSubmit, submitButton } from "../ui/form";

export const ACCOUNT_DELETED = "Your account and all its data were deleted.";

function localStore(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export function deleteAccountSection(ctx: AppContext): HTMLElement {
  const { profile, startup } = ctx.session;
  const where = startup.store?.kind === "mongodb" ? "the MongoDB database" : startup.store?.kind === "server" ? "the Finance server" : "this computer's store";
  const confirmName = inputField({
    name: "confirmUsername", label: `Type your username (${profile.username}) to confirm`, id: "delete-confirm", required: true,
    attrs: { autocomplete: "off", spellcheck: "false", autocapitalize: "none" },
  });
  const password = inputField({ name: "password", label: "Your password", type: "password", id: "delete-password", autocomplete: "current-password", required: true });
  const form = h(
    "form",
    { id: "delete-account-form", class: "stack" },
    confirmName.wrapper,
    password.wrapper,
    h("div", { class: "actions" }, submitButton("Delete my account and all its data", { id: "delete-account", class: "danger" })),
  );
  const fc = new FormController(form);
  onSubmit(
    fc,
    async () => {
      await api.deleteMyAccount({ password: password.control.value });
      forgetUserOnThisComputer(localStore(), profile.id);
      form.reset();
      ctx.signOut(ACCOUNT_DELETED);
    },
    {
      validate: (f) => {
        if (confirmName.control.value.trim().toLowerCase() !== profile.username.toLowerCase()) f.setFieldProblem("confirmUsername", "does not match your username");
        if (password.control.value === "") f.setFieldProblem("password", "is required");
        return !f.hasErrors();
      },
      onError: () => {
        password.control.value = "";
      },
    },
  );
  return h(
    "section",
    { class: "card danger-zone", "aria-labelledby": "settings-delete" },
    h("h2", { id: "settings-delete" }, "Delete my account"),
    h(
      "p",
      null,
      `Deletes your profile, accounts, categories, budgets, transactions, schedules and rules from ${where}, and signs you out. This cannot be undone: back up first if you may want your data again.`,
    ),
    form,
  );
}
