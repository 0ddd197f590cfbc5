// @vitest-environment happy-dom
// Settings → Household against the canned backend: the owner invites by username, changes a
// member's role and removes them; the section says which ledger is in hand and what the role
// allows; a lost ledger (removed meanwhile) brings one's own ledger back.
import { afterEach, describe, expect, it, vi } from "vitest";
import { $, args, calls, fill, need, refuse, setUp, signedInAt, submit, until } from "./dev/ui-harness";
import { ledgerName } from "./screens/settings-household";

vi.mock("@tauri-apps/api/core", async () => (await import("./dev/ui-harness")).tauriCore);
setUp(afterEach, (await import("./app")).startApp);
afterEach(() => localStorage.clear());

describe("Settings → Household", () => {
  it("names ledgers as people say them", () => {
    const base = { id: "l1", ownerName: "Ann Lee", ownerUsername: "ann", role: "viewer" as const, currency: "EUR" };
    expect(ledgerName({ ...base, own: true })).toBe("Your own ledger");
    expect(ledgerName({ ...base, own: false })).toBe("Ann Lee's ledger (@ann)");
    expect(ledgerName({ ...base, ownerName: "", own: false }), "no name: the username").toBe("ann's ledger (@ann)");
  });

  it("lets the owner invite, re-role and remove a member", async () => {
    await signedInAt("settings");
    const active = await need("#household-active");
    expect(active.textContent, "the owner works in their own ledger").toContain("Your own ledger");
    expect($("#household-no-members")?.textContent, "nobody else yet").toContain("Only you");

    const form = await need<HTMLFormElement>("#invite-form");
    fill(form, { username: "  Bob " });
    submit(form);
    await until(() => $("[data-member=bob]") !== null, "bob listed after the invitation");
    expect(args("invite_member")?.["input"], "the username and the default role sent").toEqual({ username: "  Bob ", role: "viewer" });
    expect($("[data-member=bob]")?.textContent, "an invitation until bob accepts").toContain("(invited)");

    const role = await need<HTMLSelectElement>("#member-role-bob");
    role.value = "editor";
    role.dispatchEvent(new Event("change"));
    await until(() => calls("set_member_role") === 1, "the role change sent");
    expect((args("set_member_role")?.["input"] as { role: string }).role).toBe("editor");

    (await need<HTMLButtonElement>("[data-remove=bob]")).click();
    await until(() => $("[data-member=bob]") === null, "bob gone after the removal");
  });

  it("shows a refused invitation on the username field", async () => {
    await signedInAt("settings");
    const form = await need<HTMLFormElement>("#invite-form");
    fill(form, { username: "demo" });
    submit(form);
    await until(() => form.textContent?.includes("no account has that username") ?? false, "the field's problem shown");
    expect($("[data-member=demo]"), "nobody added").toBeNull();
  });

  it("goes back to one's own ledger when the ledger in hand is lost", async () => {
    await signedInAt("dashboard");
    const before = calls("switch_ledger");
    refuse("list_accounts", "not_found", "You are no longer a member of that household ledger; your own ledger is shown.", "ledger");
    (await need<HTMLButtonElement>("#nav-accounts")).click();
    await until(() => calls("switch_ledger") === before + 1, "the app asked for its own ledger");
    expect((args("switch_ledger")?.["input"] as { ledgerId: unknown }).ledgerId, "null = one's own").toBeNull();
  });
});
