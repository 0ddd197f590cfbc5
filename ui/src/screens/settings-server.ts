// Settings → a Finance server: check an address (its /health and the certificate it presents;
// nothing is trusted or sent yet), confirm a self-signed certificate by comparing its SHA-256
// fingerprint with the one the server prints at start, then use the server from the next start.
// The address, the pin and the server's session token are kept by the Rust side (keyring).
import { api } from "../api";
import type { ServerCheckView } from "../ipc-types";
import { withBusy } from "../ui/busy";
import { h, setChildren } from "../ui/dom";
import { FormController, inputField, onSubmit, submitButton } from "../ui/form";

/** How a checked server is trusted: by an authority, by the user's confirmation of its fingerprint, or not encrypted (this computer only). */
export type ServerTrust = "authority" | "confirm-fingerprint" | "this-computer";

export function serverTrust(v: ServerCheckView): ServerTrust {
  if (!v.encrypted) return "this-computer";
  return v.publiclyTrusted ? "authority" : "confirm-fingerprint";
}

/** A light check before the Rust side's (which parses the address and decides). */
export function validateServerUrl(raw: string): string | null {
  const s = raw.trim();
  if (s === "") return "is required";
  if (!/^https?:\/\/\S+$/i.test(s)) return "must start with https://";
  return null;
}

/** The Finance-server part of the storage card; `changed` signs out with a notice once saved. */
export function serverSection(changed: (what: string, sessionEnded: boolean) => void): HTMLElement {
  const url = inputField({
    name: "url", label: "Server address", id: "server-url", placeholder: "https://finance.example.org",
    hint: "The address of a Finance server your household runs (see “Run a server for your household” in the README).",
    attrs: { autocomplete: "off", spellcheck: "false", autocapitalize: "none", inputmode: "url" },
  });
  const check = h("button", { type: "button", class: "secondary", id: "check-server" }, "Check");
  const result = h("div", { id: "server-check", class: "stack", "aria-live": "polite" });
  const confirmBox = h("input", { type: "checkbox", id: "server-fingerprint-ok", name: "fingerprintOk" }) as HTMLInputElement;
  const password = inputField({
    name: "password", label: "Your password", type: "password", id: "server-password", autocomplete: "current-password", required: true,
    hint: "Needed to change where your data is stored. You are signed out afterwards.",
  });
  const use = submitButton("Use this server", { id: "use-server" });
  use.disabled = true;
  const form = h(
    "form",
    { id: "server-form", class: "stack" },
    h("div", { class: "inline-fields server-address" }, url.wrapper, h("div", { class: "field-button" }, check)),
    result,
    password.wrapper,
    h("div", { class: "actions" }, use),
  );
  const fc = new FormController(form);
  let checked: ServerCheckView | null = null;

  const refresh = (): void => {
    use.disabled = !checked || (serverTrust(checked) === "confirm-fingerprint" && !confirmBox.checked);
  };
  confirmBox.addEventListener("change", refresh);
  url.control.addEventListener("input", () => {
    checked = null;
    setChildren(result);
    refresh();
  });

  const show = (v: ServerCheckView): void => {
    checked = v;
    confirmBox.checked = false;
    const trust = serverTrust(v);
    const about = h("p", { id: "server-version" }, `A Finance server, version ${v.version}, answers at `, h("span", { class: "mono" }, v.url), ".");
    if (trust === "authority") {
      setChildren(result, about, h("p", { class: "notice small", "data-trust": trust }, "Its certificate is vouched for by a certificate authority."));
    } else if (trust === "this-computer") {
      setChildren(result, about, h("p", { class: "notice notice-info small", "data-trust": trust }, "Not encrypted: plain http is only allowed for a server on this computer."));
    } else {
      setChildren(
        result,
        about,
        h(
          "div",
          { class: "notice notice-warning small", "data-trust": trust },
          h("p", null, "No certificate authority vouches for this server’s certificate (it is self-signed). Compare its fingerprint with the one the server printed when it started, or ask whoever runs it:"),
          h("p", { class: "mono fingerprint", id: "server-fingerprint" }, v.fingerprint ?? ""),
          h("div", { class: "server-confirm" }, confirmBox, h("label", { for: "server-fingerprint-ok" }, "The fingerprints match")),
        ),
      );
    }
    refresh();
  };

  check.addEventListener("click", () => {
    fc.clear();
    const problem = validateServerUrl(url.control.value);
    if (problem) {
      fc.setFieldProblem("url", problem);
      fc.focusFirstError();
      return;
    }
    void withBusy(check, async () => show(await api.checkServer({ url: url.control.value.trim() }))).catch((e: unknown) => {
      checked = null;
      setChildren(result);
      refresh();
      fc.showError(e);
    });
  });

  onSubmit(
    fc,
    async () => {
      if (!checked) return;
      const fingerprint = serverTrust(checked) === "confirm-fingerprint" ? checked.fingerprint : null;
      const out = await api.setServer({ url: checked.url, fingerprint, password: password.control.value || null });
      form.reset();
      changed("The Finance server is saved.", out.sessionEnded);
    },
    {
      validate: (f) => {
        if (password.control.value === "") f.setFieldProblem("password", "is required");
        return !f.hasErrors();
      },
      onError: () => {
        password.control.value = "";
      },
    },
  );
  return h("div", { class: "stack", id: "server-choice" }, h("h3", null, "A Finance server"), h("p", { class: "muted small" }, "Work on your household’s shared data on a Finance server. Roles (owner, editor, viewer) are enforced there."), form);
}
