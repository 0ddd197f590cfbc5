// Settings: the household (settings-household.ts), the formats of numbers and dates (settings-formats.ts), the store in use, the configuration folder, the MongoDB URI, a Finance server (settings-server.ts), the password, sign-out, deleting the account (settings-delete.ts).
import { api } from "../api";
import type { AppContext, Screen } from "../context";
import { currencyLabel } from "../lib/currencies";
import { describeError, toApiError } from "../lib/errors";
import { validateNewPassword } from "../lib/password";
import { withBusy } from "../ui/busy";
import { h } from "../ui/dom";
import { FormController, inputField, onSubmit, submitButton } from "../ui/form";
import { toast } from "../ui/toast";
import { sharedDatabaseNotice, strengthMeter } from "./auth";
import { pageHeader } from "./common";
import { backupSection } from "./settings-backup";
import { currencyControl } from "./settings-currency";
import { deleteAccountSection } from "./settings-delete";
import { formatsSection } from "./settings-formats";
import { householdSection } from "./settings-household";
import { serverSection } from "./settings-server";

/** A light check before the server's (which parses the URI with the driver and decides). */
export function validateMongoUri(raw: string): string | null {
  const s = raw.trim();
  if (s === "") return "is required";
  if (!/^mongodb(\+srv)?:\/\/\S+$/.test(s)) return "must start with mongodb:// or mongodb+srv://";
  const insecure = /[?&;](tlsInsecure|tlsAllowInvalidCertificates|tlsAllowInvalidHostnames)=true(&|;|$)/i.exec(s);
  if (insecure) return `turns certificate checks off (${insecure[1] ?? "tlsInsecure"}=true); for a private certificate authority use tlsCAFile instead`;
  return null;
}

export const SIGNED_OUT = "You have been signed out.";
export const SIGNED_OUT_PENDING = "Signed out on this computer; the session will be ended on the server when it is reachable.";

/** What the sign-in screen says after a sign-out (after `before`), by whether the store confirmed it. */
export function signedOutNotice(sessionEnded: boolean, before = ""): string {
  return `${before}${sessionEnded ? SIGNED_OUT : SIGNED_OUT_PENDING}`;
}

export function renderSettings(ctx: AppContext): Screen {
  const { session } = ctx;
  const { profile, startup } = session;
  const store = startup.store;

  // ---- account
  const account = h(
    "section",
    { class: "card", "aria-labelledby": "settings-account" },
    h("h2", { id: "settings-account" }, "Account"),
    h(
      "dl",
      { class: "facts" },
      h("dt", null, "Name"), h("dd", null, `${profile.firstName} ${profile.lastName}`),
      h("dt", null, "Username"), h("dd", null, profile.username),
      h("dt", null, "Email"), h("dd", null, profile.email),
      h("dt", null, "Currency"), h("dd", { id: "profile-currency" }, currencyLabel(profile.currency, session.locale)),
    ),
    currencyControl(session, () => ctx.navigate("settings")),
  );

  // ---- storage
  const openConfig = h("button", { type: "button", class: "secondary", id: "open-config-dir" }, "Open configuration folder");
  openConfig.addEventListener("click", () => {
    void withBusy(openConfig, () => api.openConfigDir()).catch((e: unknown) => toast(describeError(toApiError(e)), { kind: "error" }));
  });
  const uri = inputField({
    name: "uri", label: "MongoDB connection URI", type: "password", id: "mongo-uri", placeholder: "mongodb+srv://user:password@cluster.example.net/",
    hint: "Kept in the system keyring; it is never shown again here. Connections to another computer need TLS (mongodb+srv:// has it).",
    attrs: { autocomplete: "off", spellcheck: "false", autocapitalize: "none" },
  });
  uri.control.value = ""; // never prefilled
  const ownNetwork = h("input", { type: "checkbox", id: "mongo-own-network", name: "ownNetwork" });
  const ownNetworkRow = h(
    "div",
    { class: "field check-row" },
    ownNetwork,
    h("label", { for: "mongo-own-network" }, "This server is on my own network (allow a connection without TLS)"),
  );
  const storePassword = inputField({
    name: "password", label: "Your password", type: "password", id: "mongo-password", autocomplete: "current-password", required: true,
    hint: "Needed to change where your data is stored. You are signed out afterwards.",
  });
  const restartNote = h("p", { class: "notice notice-info small", id: "restart-note" }, "Changes to where data is stored apply after you restart the app.");
  const clearUri = h("button", { type: "button", class: "secondary", id: "clear-mongo-uri" }, "Use the local store");
  const mongoForm = h(
    "form",
    { id: "mongo-form", class: "stack" },
    uri.wrapper,
    ownNetworkRow,
    storePassword.wrapper,
    h("div", { class: "actions" }, submitButton("Save", { id: "save-mongo-uri" }), clearUri),
    restartNote,
  );
  const mongoFc = new FormController(mongoForm);
  const password = (): string | null => storePassword.control.value || null;
  const changed = (what: string, sessionEnded: boolean): void => {
    mongoForm.reset();
    ctx.signOut(signedOutNotice(sessionEnded, `${what} Restart the app to use it. `));
  };
  onSubmit(
    mongoFc,
    async () => {
      const out = await api.setMongodbUri({ uri: uri.control.value.trim(), ownNetwork: ownNetwork.checked, password: password() });
      changed("The MongoDB URI is saved.", out.sessionEnded);
    },
    {
      validate: (f) => {
        const problem = validateMongoUri(uri.control.value);
        if (problem) f.setFieldProblem("uri", problem);
        if (storePassword.control.value === "") f.setFieldProblem("password", "is required");
        return !f.hasErrors();
      },
      onError: () => {
        storePassword.control.value = "";
      },
    },
  );
  clearUri.addEventListener("click", () => {
    mongoFc.clear();
    if (storePassword.control.value === "") {
      mongoFc.setFieldProblem("password", "is required");
      mongoFc.focusFirstError();
      return;
    }
    void withBusy(clearUri, async () => {
      const out = await api.clearMongodbUri({ password: password() });
      changed("The local store will be used.", out.sessionEnded);
    }).catch((e: unknown) => {
      storePassword.control.value = "";
      mongoFc.showError(e);
    });
  });

  const storeKind = !store ? "Unknown" : store.kind === "mongodb" ? "MongoDB" : store.kind === "server" ? "A Finance server" : "Local store (SQLite)";
  const storage = h(
    "section",
    { class: "card", "aria-labelledby": "settings-storage" },
    h("h2", { id: "settings-storage" }, "Data storage"),
    h(
      "dl",
      { class: "facts" },
      h("dt", null, "In use"), h("dd", { id: "store-kind", "data-kind": store?.kind ?? "" }, storeKind),
      h("dt", null, "Location"), h("dd", { id: "store-location", class: "mono" }, store?.location ?? "—"),
      h("dt", null, "Configuration folder"), h("dd", { id: "config-dir", class: "mono" }, store?.configDir ?? "—"),
    ),
    store?.fallback ? h("p", { class: "notice notice-warning small", id: "store-fallback" }, "MongoDB could not be reached at start-up, so the local store is in use for now.") : null,
    startup.sharedDatabase ? sharedDatabaseNotice() : null,
    h("div", { class: "actions" }, openConfig),
    h("h3", null, "MongoDB"),
    mongoForm,
    serverSection(changed),
  );

  // ---- password
  const meter = strengthMeter();
  const current = inputField({ name: "currentPassword", label: "Current password", type: "password", autocomplete: "current-password", required: true });
  const next = inputField({ name: "newPassword", label: "New password", type: "password", autocomplete: "new-password", required: true, hint: meter.el });
  const confirm = inputField({ name: "confirmPassword", label: "Confirm new password", type: "password", autocomplete: "new-password", required: true });
  next.control.addEventListener("input", () => meter.update(next.control.value, profile.username));
  const passwordForm = h("form", { id: "password-form", class: "stack" }, current.wrapper, next.wrapper, confirm.wrapper, h("div", { class: "actions" }, submitButton("Change password", { id: "change-password" })));
  const passwordFc = new FormController(passwordForm);
  onSubmit(
    passwordFc,
    async () => {
      await api.changePassword({ currentPassword: current.control.value, newPassword: next.control.value });
      passwordForm.reset();
      meter.update("");
      toast("Password changed. Other sessions were signed out.", { kind: "success" });
    },
    {
      validate: (f) => {
        if (current.control.value === "") f.setFieldProblem("currentPassword", "is required");
        const problem = validateNewPassword(next.control.value, profile.username);
        if (problem) f.setFieldProblem("newPassword", problem);
        else if (next.control.value === current.control.value) f.setFieldProblem("newPassword", "must differ from the current password");
        if (confirm.control.value !== next.control.value) f.setFieldProblem("confirmPassword", "does not match the new password");
        return !f.hasErrors();
      },
    },
  );
  const security = h("section", { class: "card", "aria-labelledby": "settings-password" }, h("h2", { id: "settings-password" }, "Change password"), passwordForm);

  // ---- sign out
  const logout = h("button", { type: "button", class: "danger", id: "logout" }, "Log out");
  logout.addEventListener("click", () => {
    void withBusy(logout, async () => {
      try {
        const out = await api.logout();
        ctx.signOut(signedOutNotice(out.sessionEnded));
      } catch (e) {
        const err = toApiError(e);
        if (err.code === "unauthorized") ctx.signOut(SIGNED_OUT);
        else toast(describeError(err), { kind: "error" });
      }
    });
  });
  const session_ = h(
    "section",
    { class: "card", "aria-labelledby": "settings-session" },
    h("h2", { id: "settings-session" }, "Session"),
    h("p", null, "Sign out of this computer. Your data stays where it is."),
    h("div", { class: "actions" }, logout),
    h("p", { class: "muted small version" }, `Version ${startup.version}`),
  );

  const el = h("div", { class: "screen", "data-screen": "settings" }, pageHeader("Settings"), h("div", { class: "settings-grid" }, account, householdSection(ctx), formatsSection(session), storage, store?.kind === "server" ? serverBackupNote() : backupSection(ctx), security, session_, deleteAccountSection(ctx)));
  return { el };
}

/** With a Finance server, backups are made where the data is: on the server. */
function serverBackupNote(): HTMLElement {
  return h(
    "section",
    { class: "card", "aria-labelledby": "settings-backup", id: "server-backup-note" },
    h("h2", { id: "settings-backup" }, "Backups"),
    h("p", null, "Your data is on the Finance server, so it is backed up there: whoever runs the server backs up its store (see “Run a server for your household” in the README)."),
  );
}
