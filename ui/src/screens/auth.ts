// Login and registration.
import { api } from "../api";
import type { Profile, StartupState } from "../ipc-types";
import { COMMON_CURRENCIES, DEFAULT_CURRENCY, currencyLabel } from "../lib/currencies";
import { passwordStrength, validateNewPassword } from "../lib/password";
import { validateEmail, validatePersonName, validateUsername } from "../lib/validation";
import { h } from "../ui/dom";
import { FormController, inputField, onSubmit, selectField, submitButton } from "../ui/form";

export interface AuthOptions {
  startup: StartupState;
  notice?: string | undefined;
  onSignedIn: (profile: Profile) => void;
  onSwitch: (mode: "login" | "register") => void;
  locale?: string | undefined;
}

/** The notice when the MongoDB database in use holds other accounts too. */
export function sharedDatabaseNotice(): HTMLElement {
  return h(
    "div",
    { class: "notice notice-warning small", id: "shared-database", role: "status" },
    h("p", null, "This MongoDB database also holds other people's accounts. Everyone whose computer uses it has a connection string that can read and change all of them: the app keeps accounts apart, the database does not. For full separation, use a database of your own or the local store."),
  );
}

function environmentNotices(startup: StartupState): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (startup.keyringError) {
    out.push(
      h(
        "div",
        { class: "notice notice-warning", id: "keyring-error", role: "alert" },
        h("h2", null, "The system keyring is not available"),
        h("p", null, startup.keyringError),
        h(
          "p",
          { class: "small" },
          "The app keeps your sign-in in the operating system's keyring (Secret Service, e.g. gnome-keyring or KWallet). Start or install one, then restart the app.",
        ),
      ),
    );
  }
  if (startup.sharedDatabase) out.push(sharedDatabaseNotice());
  if (startup.store?.fallback) {
    out.push(
      h(
        "div",
        { class: "notice notice-info", id: "fallback-notice", role: "status" },
        h("p", null, "MongoDB could not be reached, so the local store on this computer is in use for now."),
      ),
    );
  }
  return out;
}

function shell(title: string, ...content: (Node | null)[]): HTMLElement {
  return h(
    "main",
    { class: "auth", id: "main" },
    h("div", { class: "auth-card card" }, h("p", { class: "brand" }, "Finance"), h("h1", { tabindex: -1 }, title), ...content),
  );
}

export function renderLogin(opts: AuthOptions): HTMLElement {
  const username = inputField({ name: "username", label: "Username", autocomplete: "username", required: true, attrs: { autocapitalize: "none", spellcheck: "false" } });
  const password = inputField({ name: "password", label: "Password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { id: "login-form", class: "stack" }, username.wrapper, password.wrapper, submitButton("Sign in", { id: "login-submit" }));
  const fc = new FormController(form);
  onSubmit(
    fc,
    async () => {
      const profile = await api.login({ username: username.control.value.trim(), password: password.control.value });
      opts.onSignedIn(profile);
    },
    {
      validate: (f) => {
        if (username.control.value.trim() === "") f.setFieldProblem("username", "is required");
        if (password.control.value === "") f.setFieldProblem("password", "is required");
        return !f.hasErrors();
      },
      onError: () => {
        password.control.value = "";
      },
    },
  );
  return shell(
    "Sign in",
    opts.notice ? h("div", { class: "notice notice-info", role: "status", id: "auth-notice" }, h("p", null, opts.notice)) : null,
    ...environmentNotices(opts.startup),
    form,
    h(
      "p",
      { class: "auth-switch" },
      "New here? ",
      h("button", { type: "button", class: "link", id: "show-register", onclick: () => opts.onSwitch("register") }, "Create an account"),
    ),
    h("p", { class: "muted small version" }, `Version ${opts.startup.version}`),
  );
}

/** The strength hint shown under a new-password input; returns the element and an updater. */
export function strengthMeter(): { el: HTMLElement; update: (password: string, username?: string) => void } {
  const segments = [0, 1, 2, 3].map(() => h("span", { class: "segment" }));
  const text = h("span", { class: "strength-text" });
  const el = h("div", { class: "strength", "data-score": "0", "data-testid": "password-strength" }, h("div", { class: "strength-bar", "aria-hidden": "true" }, segments), text);
  const update = (pw: string, user = ""): void => {
    const s = passwordStrength(pw, user);
    el.dataset["score"] = String(s.score);
    segments.forEach((seg, i) => seg.classList.toggle("on", i < s.score));
    text.textContent = pw === "" ? "8–128 characters; longer is stronger." : `Strength: ${s.label}.${s.hints[0] ? ` ${s.hints[0]}.` : ""}`;
  };
  update("");
  return { el, update };
}

export function renderRegister(opts: AuthOptions): HTMLElement {
  const meter = strengthMeter();
  const username = inputField({
    name: "username", label: "Username", autocomplete: "username", required: true,
    hint: "3–32 characters: letters a–z, digits, '.', '_' and '-'.", attrs: { autocapitalize: "none", spellcheck: "false" },
  });
  const password = inputField({ name: "password", label: "Password", type: "password", autocomplete: "new-password", required: true, hint: meter.el });
  const confirm = inputField({ name: "confirmPassword", label: "Confirm password", type: "password", autocomplete: "new-password", required: true });
  const firstName = inputField({ name: "firstName", label: "First name", autocomplete: "given-name", required: true });
  const lastName = inputField({ name: "lastName", label: "Last name", autocomplete: "family-name", required: true });
  const email = inputField({ name: "email", label: "Email", type: "email", autocomplete: "email", required: true });
  const currency = selectField({
    name: "currency", label: "Currency", value: DEFAULT_CURRENCY,
    hint: "All amounts are kept in this currency.",
    options: COMMON_CURRENCIES.map((c) => ({ value: c, label: currencyLabel(c, opts.locale) })),
  });
  const refresh = (): void => meter.update(password.control.value, username.control.value);
  password.control.addEventListener("input", refresh);
  username.control.addEventListener("input", refresh);

  const form = h(
    "form",
    { id: "register-form", class: "stack" },
    username.wrapper,
    h("div", { class: "row" }, password.wrapper, confirm.wrapper),
    h("div", { class: "row" }, firstName.wrapper, lastName.wrapper),
    email.wrapper,
    currency.wrapper,
    submitButton("Create account", { id: "register-submit" }),
  );
  const fc = new FormController(form);
  onSubmit(
    fc,
    async () => {
      const profile = await api.register({
        username: username.control.value.trim(),
        password: password.control.value,
        firstName: firstName.control.value.trim(),
        lastName: lastName.control.value.trim(),
        email: email.control.value.trim(),
        currency: currency.control.value,
      });
      opts.onSignedIn(profile);
    },
    {
      validate: (f) => {
        const problems: Array<[string, string | null]> = [
          ["username", validateUsername(username.control.value)],
          ["password", validateNewPassword(password.control.value, username.control.value)],
          ["confirmPassword", confirm.control.value !== password.control.value ? "does not match the password" : null],
          ["firstName", validatePersonName(firstName.control.value)],
          ["lastName", validatePersonName(lastName.control.value)],
          ["email", validateEmail(email.control.value)],
        ];
        for (const [name, problem] of problems) if (problem) f.setFieldProblem(name, problem);
        return !f.hasErrors();
      },
    },
  );
  return shell(
    "Create your account",
    ...environmentNotices(opts.startup),
    form,
    h(
      "p",
      { class: "auth-switch" },
      "Already have an account? ",
      h("button", { type: "button", class: "link", id: "show-login", onclick: () => opts.onSwitch("login") }, "Sign in"),
    ),
  );
}
