// Settings → Backups: "Back up now" (optionally encrypted with a passphrase, which also keeps the password),
// "Restore…" (into an account that holds nothing yet; the passphrase is asked when the file is encrypted),
// the automatic daily backups of the local store (keep N), and copying one's data to the other store.
import { api } from "../api";
import type { AppContext } from "../context";
import type { AutoBackupsView } from "../ipc-types";
import { describeError, toApiError } from "../lib/errors";
import { withBusy } from "../ui/busy";
import { h } from "../ui/dom";
import { FormController, inputField, onSubmit, submitButton } from "../ui/form";
import { toast } from "../ui/toast";
import { signedOutNotice, validateMongoUri } from "./settings";

/** A passphrase for an encrypted backup: null when acceptable. */
export function passphraseProblem(p: string): string | null {
  if (p === "") return null;
  if ([...p].length < 8) return "must be at least 8 characters";
  return null;
}

/** "3 backups kept: newest 2026-11-30" style line for the automatic backups. */
export function autoBackupsSummary(v: AutoBackupsView): string {
  if (!v.available) return "Automatic backups are made for the local store only; MongoDB keeps its own.";
  const newest = v.backups[0];
  const kept = `Keeping the last ${v.keep} daily backup${v.keep === 1 ? "" : "s"} in the data folder.`;
  return newest ? `${kept} Newest: ${newest.date}.` : `${kept} None yet.`;
}

export function backupSection(ctx: AppContext): HTMLElement {
  const store = ctx.session.startup.store;
  const fail = (e: unknown): void => {
    toast(describeError(toApiError(e)), { kind: "error" });
  };

  // ---- back up now
  const passphrase = inputField({
    name: "passphrase", label: "Passphrase (optional)", type: "password", id: "backup-passphrase", autocomplete: "new-password",
    hint: "With a passphrase the file is encrypted and also keeps your password, so it can re-create your account.",
  });
  const backupNow = h("button", { type: "button", class: "primary", id: "backup-now" }, "Back up now");
  backupNow.addEventListener("click", () => {
    const problem = passphraseProblem(passphrase.control.value);
    if (problem) {
      toast(`The passphrase ${problem}.`, { kind: "error" });
      return;
    }
    void withBusy(backupNow, async () => {
      const out = await api.backupNow({ passphrase: passphrase.control.value || null });
      passphrase.control.value = "";
      if (out.path) toast(`Backed up ${out.transactions} transactions to ${out.path}.`, { kind: "success" });
    }).catch(fail);
  });

  // ---- restore
  const restorePass = inputField({ name: "restorePassphrase", label: "Passphrase of the backup", type: "password", id: "restore-passphrase", autocomplete: "off" });
  const restoreGo = h("button", { type: "button", class: "primary", id: "restore-confirm" }, "Restore");
  const restoreAsk = h("div", { class: "stack", id: "restore-ask", hidden: true }, restorePass.wrapper, h("div", { class: "actions" }, restoreGo));
  let fileId: string | null = null;
  const restore = async (): Promise<void> => {
    if (!fileId) return;
    const out = await api.restoreBackup({ fileId, passphrase: restorePass.control.value || null });
    fileId = null;
    restorePass.control.value = "";
    restoreAsk.hidden = true;
    toast(`Restored ${out.transactions} transactions and everything else of the backup.`, { kind: "success" });
    ctx.session.accounts.invalidate();
    ctx.session.categories.invalidate();
    ctx.navigate("dashboard");
  };
  const restoreOpen = h("button", { type: "button", class: "secondary", id: "restore-open" }, "Restore…");
  restoreOpen.addEventListener("click", () => {
    void withBusy(restoreOpen, async () => {
      const file = await api.restoreOpen();
      if (!file) return;
      fileId = file.fileId;
      if (file.encrypted) {
        restoreAsk.hidden = false;
        restorePass.control.focus();
        return;
      }
      await restore();
    }).catch(fail);
  });
  restoreGo.addEventListener("click", () => {
    void withBusy(restoreGo, restore).catch(fail);
  });

  // ---- automatic backups
  const autoLine = h("p", { class: "small", id: "auto-backups-summary" }, "…");
  const autoList = h("ul", { class: "plain small mono", id: "auto-backups" });
  const keep = inputField({ name: "keep", label: "Daily backups to keep", type: "number", id: "auto-backup-keep", attrs: { min: "1", max: "365" } });
  const keepSave = h("button", { type: "button", class: "secondary", id: "auto-backup-keep-save" }, "Save");
  const keepRow = h("div", { class: "actions" }, keep.wrapper, keepSave);
  const show = (v: AutoBackupsView): void => {
    autoLine.textContent = autoBackupsSummary(v);
    keepRow.hidden = !v.available;
    keep.control.value = String(v.keep);
    autoList.replaceChildren(...v.backups.map((b) => h("li", null, `${b.date} — ${b.sizeKib} KiB`)));
  };
  keepSave.addEventListener("click", () => {
    void withBusy(keepSave, async () => show(await api.setAutoBackupKeep({ keep: Number(keep.control.value) }))).catch(fail);
  });
  void api.autoBackups().then(show).catch(() => {
    autoLine.textContent = "The automatic backups could not be listed.";
  });

  // ---- moving between stores
  const copyPassword = inputField({
    name: "password", label: "Your password", type: "password", id: "copy-password", autocomplete: "current-password", required: true,
    hint: "Your data is copied and checked, then the app uses the other store from the next start and signs you out.",
  });
  const copyUri = inputField({
    name: "uri", label: "MongoDB connection URI", type: "password", id: "copy-uri",
    attrs: { autocomplete: "off", spellcheck: "false", autocapitalize: "none" },
  });
  const toMongo = store?.kind !== "mongodb";
  const copyForm = h(
    "form",
    { id: "copy-form", class: "stack" },
    toMongo ? copyUri.wrapper : null,
    copyPassword.wrapper,
    h("div", { class: "actions" }, submitButton(toMongo ? "Copy my data to MongoDB…" : "Copy my data to this computer…", { id: "copy-data" })),
  );
  const copyFc = new FormController(copyForm);
  onSubmit(
    copyFc,
    async () => {
      const password = copyPassword.control.value;
      const out = toMongo
        ? await api.copyToMongodb({ uri: copyUri.control.value.trim(), ownNetwork: false, password })
        : await api.copyToThisComputer({ password });
      copyForm.reset();
      ctx.signOut(signedOutNotice(out.sessionEnded, "Your data was copied and checked. Restart the app to use it. "));
    },
    {
      validate: (f) => {
        if (toMongo) {
          const problem = validateMongoUri(copyUri.control.value);
          if (problem) f.setFieldProblem("uri", problem);
        }
        if (copyPassword.control.value === "") f.setFieldProblem("password", "is required");
        return !f.hasErrors();
      },
      onError: () => {
        copyPassword.control.value = "";
      },
    },
  );

  return h(
    "section",
    { class: "card", "aria-labelledby": "settings-backups" },
    h("h2", { id: "settings-backups" }, "Backups"),
    h("p", { class: "small" }, "One file holds everything: accounts, categories, budgets, schedules, rules and transactions. A backup restores into an account that holds nothing yet."),
    passphrase.wrapper,
    h("div", { class: "actions" }, backupNow, restoreOpen),
    restoreAsk,
    h("h3", null, "Automatic backups"),
    autoLine,
    keepRow,
    autoList,
    h("h3", null, toMongo ? "Move to MongoDB" : "Move to this computer"),
    copyForm,
  );
}
