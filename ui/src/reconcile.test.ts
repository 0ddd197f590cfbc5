// @vitest-environment happy-dom
// The reconcile dialog against the canned backend (src/dev/mock-backend.ts, which sums the
// reconciliation in minor units like the server): the live difference as rows are ticked, Finish
// only at zero, the server's refusal shown at the balance, and the account's "Reconciled to" line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { $, args, need, refuse, setUp, signedInAt, text, until } from "./dev/ui-harness";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);
afterEach(() => localStorage.clear());

const item = (name: string): HTMLElement | undefined =>
  Array.from(document.querySelectorAll<HTMLElement>(".account-item")).find((li) => li.querySelector(".account-name")?.textContent === name);
const boxes = (): HTMLInputElement[] => Array.from(document.querySelectorAll<HTMLInputElement>("#reconcile-rows tbody input[type=checkbox]"));
const rowOf = (desc: string): HTMLElement | undefined =>
  Array.from(document.querySelectorAll<HTMLElement>("#reconcile-rows tbody tr")).find((tr) => tr.textContent?.includes(desc));

function typeBalance(value: string): void {
  const input = $<HTMLInputElement>("#reconcile-balance") as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

async function openDialog(): Promise<void> {
  await signedInAt("accounts");
  await need("#net-worth");
  item("Main account")?.querySelector<HTMLButtonElement>("[data-action=reconcile]")?.click();
  await until(() => boxes().length > 0, "the account's rows");
}

describe("the reconcile dialog", () => {
  it("shows the difference live as rows are ticked and finishes only at zero", async () => {
    await openDialog();
    expect(boxes().length, "every demo row is dated on or before today").toBe(7);
    expect(boxes().filter((b) => b.checked).length, "the rows the demo has cleared (salary, rent, weekly shop) start ticked").toBe(3);
    typeBalance("1969.13");
    await until(() => text("#reconcile-difference") === "-€46.50", "the difference with the cleared rows only");
    expect(text("#reconcile-cleared"), "opening balance + the cleared rows").toBe("€2,015.63");
    expect(($<HTMLButtonElement>("#reconcile-finish") as HTMLButtonElement).disabled, "Finish waits for a zero difference").toBe(true);

    rowOf("Dinner with friends")?.querySelector<HTMLInputElement>("input")?.click();
    await until(() => text("#reconcile-difference") === "€0.00", "dinner ticked: balanced");
    expect(text("#reconcile-cleared"), "cleared balance with the tick").toBe("€1,969.13");
    expect(($<HTMLButtonElement>("#reconcile-finish") as HTMLButtonElement).disabled).toBe(false);
    expect(args("reconciliation_preview")?.["input"], "the statement as typed").toMatchObject({ statementBalance: "1969.13" });

    ($<HTMLButtonElement>("#reconcile-finish") as HTMLButtonElement).click();
    await until(() => !$("[data-testid=reconcile-dialog]"), "dialog closed");
    expect((args("finish_reconciliation")?.["input"] as { ticked: string[] }).ticked.length, "only the row ticked here is sent").toBe(1);
    await until(() => item("Main account")?.querySelector(".account-reconciled"), "the reconciled line");
    expect(item("Main account")?.querySelector(".account-reconciled")?.textContent).toContain("reconciled to €1,969.13");
    expect(item("Main account")?.querySelector(".account-cleared")?.textContent, "the cleared balance counts the reconciled rows").toBe("Cleared €1,969.13");

    item("Main account")?.querySelector<HTMLButtonElement>("[data-action=reconcile]")?.click();
    await until(() => boxes().length > 0, "the rows again");
    expect(boxes().length, "reconciled rows are not offered again").toBe(3);
    expect(($<HTMLInputElement>("#reconcile-balance") as HTMLInputElement).value, "starts from the last statement").toBe("1969.13");
  });

  it("shows the server's refusal at the balance and keeps the dialog open", async () => {
    await openDialog();
    ($<HTMLButtonElement>("#reconcile-tick-all") as HTMLButtonElement).click();
    typeBalance("1585.03");
    await until(() => text("#reconcile-difference") === "€0.00", "balanced");
    refuse("finish_reconciliation", "conflict", "the statement balance differs from the cleared balance by 5.00", "statementBalance");
    ($<HTMLButtonElement>("#reconcile-finish") as HTMLButtonElement).click();
    await until(() => text('[data-error-for="statementBalance"]'), "the refusal");
    expect($("[data-testid=reconcile-dialog]"), "still open to fix it").not.toBeNull();
  });

  it("keeps ticks as cleared with Save for later, and unclears a cleared row at once", async () => {
    await openDialog();
    rowOf("Monthly pass")?.querySelector<HTMLInputElement>("input")?.click();
    ($<HTMLButtonElement>("#reconcile-save") as HTMLButtonElement).click();
    await until(() => !$("[data-testid=reconcile-dialog]"), "closed");
    expect(args("set_cleared")?.["input"], "the tick is kept as cleared").toMatchObject({ cleared: true });

    item("Main account")?.querySelector<HTMLButtonElement>("[data-action=reconcile]")?.click();
    await until(() => boxes().length > 0, "rows");
    const pass = rowOf("Monthly pass")?.querySelector<HTMLInputElement>("input") as HTMLInputElement;
    expect(pass.checked, "a cleared row starts ticked").toBe(true);
    pass.click();
    await until(() => rowOf("Monthly pass")?.dataset["status"] === "uncleared", "uncleared on the server");
    expect(args("set_cleared")?.["input"]).toMatchObject({ cleared: false });
  });
});
