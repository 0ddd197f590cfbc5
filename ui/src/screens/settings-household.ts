// Settings → Household: the ledger this computer works in and the ledgers one can switch to,
// the members of the ledger in hand (the owner invites by username, changes roles, removes),
// invitations waiting for an answer, and leaving a ledger one is a member of. Roles are
// enforced by the Rust core for every operation; this section only offers what the role allows.
import { api } from "../api";
import type { AppContext } from "../context";
import type { HouseholdView, LedgerView, MemberRowView, RoleView } from "../ipc-types";
import { describeError, toApiError } from "../lib/errors";
import { withBusy } from "../ui/busy";
import { h } from "../ui/dom";
import { FormController, inputField, onSubmit, selectField, submitButton } from "../ui/form";
import { toast } from "../ui/toast";

const ROLE_LABEL: Readonly<Record<RoleView, string>> = { owner: "Owner", editor: "Editor", viewer: "Viewer" };

/** What a role may do, in a person's words. */
export const ROLE_HINT: Readonly<Record<RoleView, string>> = {
  owner: "everything, including who else has access",
  editor: "reads and changes accounts, categories, budgets, transactions, imports, schedules and rules",
  viewer: "reads and runs reports only",
};

/** "Your own ledger" or "Ann Lee's ledger (@ann)". */
export function ledgerName(l: LedgerView): string {
  return l.own ? "Your own ledger" : `${l.ownerName || l.ownerUsername}'s ledger (@${l.ownerUsername})`;
}

function roleSelect(id: string, value: RoleView): HTMLSelectElement {
  const sel = h("select", { id, name: "role" }, ...(["editor", "viewer"] as const).map((r) => h("option", { value: r }, ROLE_LABEL[r]))) as HTMLSelectElement;
  sel.value = value === "owner" ? "editor" : value;
  return sel;
}

export function householdSection(ctx: AppContext): HTMLElement {
  const body = h("div", { class: "stack", id: "household-body", "aria-busy": "true" }, h("p", { class: "muted" }, "Loading…"));
  const fail = (e: unknown): void => {
    toast(describeError(toApiError(e)), { kind: "error" });
  };
  const workIn = async (ledgerId: string | null): Promise<void> => {
    const profile = await api.switchLedger({ ledgerId });
    ctx.workIn(profile);
  };

  const render = (v: HouseholdView): void => {
    body.removeAttribute("aria-busy");
    const owner = v.active.role === "owner";
    const parts: HTMLElement[] = [
      h("p", { id: "household-active" }, "Working in ", h("strong", null, ledgerName(v.active)), ` as ${ROLE_LABEL[v.active.role].toLowerCase()}: ${ROLE_HINT[v.active.role]}.`),
    ];

    // ---- switch
    if (v.ledgers.length > 1) {
      const rows = v.ledgers.map((l) => {
        const here = l.id === v.active.id;
        const go = h("button", { type: "button", class: "secondary small", "data-ledger": l.id, disabled: here }, here ? "In use" : "Switch");
        go.addEventListener("click", () => void withBusy(go, () => workIn(l.own ? null : l.id)).catch(fail));
        return h("tr", null, h("td", null, ledgerName(l)), h("td", null, ROLE_LABEL[l.role]), h("td", null, l.currency), h("td", null, go));
      });
      parts.push(
        h("h3", null, "Ledgers you can work in"),
        h("table", { class: "data-table", id: "household-ledgers" }, h("thead", null, h("tr", null, h("th", null, "Ledger"), h("th", null, "Your role"), h("th", null, "Currency"), h("th", null, ""))), h("tbody", null, rows)),
      );
    }

    // ---- members of the ledger in hand
    const memberRow = (m: MemberRowView): HTMLElement => {
      const status = m.active ? "" : " (invited)";
      const cells: HTMLElement[] = [h("td", null, `${m.displayName} (@${m.username})${status}`)];
      if (owner && m.role !== "owner") {
        const sel = roleSelect(`member-role-${m.username}`, m.role);
        sel.setAttribute("aria-label", `Role of ${m.username}`);
        sel.addEventListener("change", () => {
          void api.setMemberRole({ memberId: m.memberId, role: sel.value as RoleView }).then((nv) => {
            toast(`${m.username} is now ${ROLE_LABEL[sel.value as RoleView].toLowerCase()}.`, { kind: "success" });
            render(nv);
          }, fail);
        });
        const remove = h("button", { type: "button", class: "danger small", "data-remove": m.username }, m.active ? "Remove" : "Cancel invitation");
        remove.addEventListener("click", () => {
          void withBusy(remove, async () => {
            render(await api.removeMember({ memberId: m.memberId }));
            toast(`${m.username} no longer has access.`, { kind: "success" });
          }).catch(fail);
        });
        cells.push(h("td", null, sel), h("td", null, remove));
      } else {
        cells.push(h("td", null, ROLE_LABEL[m.role]));
      }
      return h("tr", { "data-member": m.username }, cells);
    };
    parts.push(h("h3", null, v.active.own ? "People with access to your ledger" : "Members of this ledger"));
    const others = v.members.filter((m) => m.role !== "owner");
    parts.push(
      others.length === 0
        ? h("p", { class: "muted", id: "household-no-members" }, v.active.own ? "Only you. Invite someone by their username to share this ledger." : "No other members.")
        : h("table", { class: "data-table household-members", id: "household-members" }, h("tbody", null, v.members.map(memberRow))),
    );

    // ---- invite (owner)
    if (owner) {
      const username = inputField({ name: "username", label: "Username", id: "invite-username", required: true, attrs: { autocomplete: "off", spellcheck: "false", autocapitalize: "none" } });
      const role = selectField({
        name: "role", label: "Role", id: "invite-role", value: "viewer",
        options: [{ value: "viewer", label: "Viewer" }, { value: "editor", label: "Editor" }],
      });
      const form = h(
        "form",
        { id: "invite-form", class: "inline-form" },
        h("div", { class: "inline-fields household-invite" }, username.wrapper, role.wrapper, h("div", { class: "field field-button" }, submitButton("Invite", { id: "invite-submit" }))),
      );
      const fc = new FormController(form);
      onSubmit(fc, async () => {
        const nv = await api.inviteMember({ username: username.control.value, role: role.control.value === "editor" ? "editor" : "viewer" });
        toast(`Invited ${username.control.value.trim()}: they accept in their Settings → Household.`, { kind: "success" });
        render(nv);
      });
      parts.push(form);
    }

    // ---- my invitations
    if (v.invitations.length > 0) {
      parts.push(h("h3", null, "Invitations"));
      parts.push(
        h(
          "ul",
          { class: "plain-list", id: "household-invitations" },
          v.invitations.map((inv) => {
            const accept = h("button", { type: "button", class: "primary small", "data-accept": inv.ownerUsername }, "Accept");
            const decline = h("button", { type: "button", class: "secondary small", "data-decline": inv.ownerUsername }, "Decline");
            accept.addEventListener("click", () => void withBusy(accept, async () => render(await api.acceptInvitation({ ledgerId: inv.ledgerId }))).catch(fail));
            decline.addEventListener("click", () => void withBusy(decline, async () => render(await api.declineInvitation({ ledgerId: inv.ledgerId }))).catch(fail));
            return h("li", null, `${inv.ownerName} (@${inv.ownerUsername}) invites you as ${ROLE_LABEL[inv.role].toLowerCase()}. `, accept, " ", decline);
          }),
        ),
      );
    }

    // ---- leave
    if (!v.active.own) {
      const leave = h("button", { type: "button", class: "danger", id: "household-leave" }, "Leave this ledger");
      leave.addEventListener("click", () => {
        void withBusy(leave, async () => {
          await api.leaveLedger({ ledgerId: v.active.id });
          toast(`You left ${ledgerName(v.active)}.`, { kind: "success" });
          await workIn(null);
        }).catch(fail);
      });
      parts.push(h("div", { class: "actions" }, leave));
    }
    body.replaceChildren(...parts);
  };

  void api.household().then(render, (e: unknown) => {
    body.removeAttribute("aria-busy");
    body.replaceChildren(h("p", { class: "notice notice-error" }, describeError(toApiError(e))));
  });

  return h(
    "section",
    { class: "card", "aria-labelledby": "settings-household", id: "household" },
    h("h2", { id: "settings-household" }, "Household"),
    h(
      "p",
      { class: "muted small" },
      "Share your ledger with the people you live with: an editor changes the data, a viewer only reads. On a shared MongoDB database or this computer these roles keep honest people apart; only a Finance server makes them a security boundary.",
    ),
    body,
  );
}
