// The application: start-up, sign-in, the signed-in shell with its in-memory router, shortcuts.
import { api, onUnauthorized } from "./api";
import { onLedgerLost } from "./ipc-call";
import { AccountCache, CategoryCache, ROUTES, sessionFormats, type AppContext, type NavigateOptions, type Route, type Screen, type Session } from "./context";
import type { Profile, StartupState } from "./ipc-types";
import { browserStore } from "./lib/accounts";
import { loadFormatChoice } from "./lib/formats";
import { postedNotice, SCHEDULES_POSTED, startScheduler } from "./lib/schedules";
import { renderAccounts } from "./screens/accounts";
import { renderLogin, renderRegister } from "./screens/auth";
import { renderBudgets } from "./screens/budgets";
import { renderRules } from "./screens/rules";
import { renderCategories } from "./screens/categories";
import { renderDashboard } from "./screens/dashboard";
import { renderReports } from "./screens/reports";
import { renderSchedules } from "./screens/schedules";
import { renderConfigError, renderMongoError, renderFatal, renderStarting } from "./screens/startup";
import { renderSettings } from "./screens/settings";
import { ledgerName } from "./screens/settings-household";
import { renderTransactions } from "./screens/transactions";
import { closeAllDialogs, isDialogOpen } from "./ui/dialog";
import { h } from "./ui/dom";
import { shortcutFor } from "./ui/keyboard";
import { toast } from "./ui/toast";

const SCREENS: Readonly<Record<Route, (ctx: AppContext, opts: NavigateOptions) => Screen>> = {
  dashboard: renderDashboard,
  transactions: renderTransactions,
  accounts: renderAccounts,
  reports: renderReports,
  categories: renderCategories,
  budgets: renderBudgets,
  settings: renderSettings,
  schedules: renderSchedules,
  rules: renderRules,
};

export interface AppOptions {
  root: HTMLElement;
  locale?: string | undefined;
}

/** Start the UI in `root`; returns a function that detaches global listeners (used by tests). */
export function startApp(opts: AppOptions): () => void {
  const { root } = opts;
  const locale = opts.locale;
  let startup: StartupState | null = null;
  let shell: Shell | null = null;

  const markReady = (): void => {
    if (document.body.dataset["ready"] !== "true") {
      document.body.dataset["ready"] = "true";
      // Lets start-up measurements see when the first screen is interactive.
      api.uiReady().catch(() => undefined);
    }
  };

  const mount = (view: HTMLElement, focus = true): void => {
    shell?.dispose();
    shell = null;
    closeAllDialogs();
    root.replaceChildren(view);
    if (focus) view.querySelector<HTMLElement>("h1")?.focus();
    markReady();
  };

  const boot = (): void => {
    root.replaceChildren(renderStarting());
    api
      .startup()
      .then(onStartup)
      .catch((e: unknown) => mount(renderFatal(e, boot), false));
  };

  function onStartup(state: StartupState): void {
    startup = state;
    if (state.configError) {
      mount(renderConfigError(state), false);
    } else if (state.mongoError) {
      mount(renderMongoError(state, onStartup), false);
    } else if (!state.store) {
      mount(renderFatal({ code: "unavailable", message: "No data store is available.", field: null, retryAfterSecs: null }, boot), false);
    } else if (state.user) {
      signedIn(state.user, false);
    } else {
      showAuth("login");
    }
  }

  function showAuth(mode: "login" | "register", notice?: string): void {
    if (!startup) return boot();
    const authOpts = {
      startup,
      notice,
      locale,
      onSignedIn: (p: Profile) => signedIn(p, true),
      onSwitch: (m: "login" | "register") => showAuth(m),
    };
    const view = mode === "login" ? renderLogin(authOpts) : renderRegister(authOpts);
    mount(view, false);
    view.querySelector<HTMLInputElement>("input[name=username]")?.focus();
  }

  function signedIn(profile: Profile, focus: boolean): void {
    if (!startup) return boot();
    startup = { ...startup, user: profile };
    const session: Session = {
      profile,
      startup,
      locale,
      ...sessionFormats(profile, loadFormatChoice(browserStore(), profile.id), locale),
      categories: new CategoryCache(() => api.listCategories()),
      accounts: new AccountCache(async () => (await api.listAccounts()).accounts),
    };
    const s = new Shell(
      session,
      (notice) => {
        if (startup) startup = { ...startup, user: null };
        showAuth("login", notice);
      },
      (next) => {
        shell?.dispose();
        shell = null;
        signedIn(next, true);
      },
    );
    mount(s.el, false);
    shell = s;
    s.navigate("dashboard", {}, focus);
    // Today's automatic backup of the local store, if there is none yet (written on the Rust side).
    void api.runAutoBackup().catch(() => undefined);
    // Post what fell due while the app was closed, then at each local midnight (lib/schedules.ts);
    // a viewer of a household ledger cannot post (its editors and owner do).
    if (profile.ledger.role !== "viewer") s.stopScheduler = startScheduler({
      post: () => api.postDueSchedules(),
      onPosted: (v) => {
        const notice = postedNotice(v);
        if (notice) toast(notice, { kind: "success" });
        if (v.totalPosted > 0) document.dispatchEvent(new Event(SCHEDULES_POSTED));
      },
    });
  }

  onLedgerLost((err) => {
    if (!shell) return;
    toast(err.message, { kind: "error" });
    void api.switchLedger({ ledgerId: null }).then((p) => {
      shell?.dispose();
      shell = null;
      signedIn(p, true);
    }, () => undefined);
  });

  onUnauthorized(() => {
    if (!shell) return; // already on a sign-in screen
    if (startup) startup = { ...startup, user: null };
    showAuth("login", "Your session has ended. Please sign in again.");
  });

  const onKey = (ev: KeyboardEvent): void => {
    if (!shell || isDialogOpen()) return;
    const action = shortcutFor(ev);
    if (!action) return;
    ev.preventDefault();
    if (action === "new-transaction") shell.openNewTransaction();
    else shell.focusSearch();
  };
  document.addEventListener("keydown", onKey);

  boot();
  return () => {
    document.removeEventListener("keydown", onKey);
    onUnauthorized(null);
    onLedgerLost(null);
    shell?.dispose();
    shell = null;
    closeAllDialogs();
  };
}

/** How long a new screen may take to show its data before it is shown loading (see Screen.ready). */
export const SHOW_WAIT_MS = 80;

/** The signed-in layout: left navigation with the user's name, the current screen in <main>. */
class Shell {
  readonly el: HTMLElement;
  private readonly main: HTMLElement;
  private readonly navButtons = new Map<Route, HTMLButtonElement>();
  private route: Route | null = null;
  private screen: Screen | null = null;
  private readonly ctx: AppContext;
  /** Stops posting schedules at midnight (set after sign-in). */
  stopScheduler: (() => void) | null = null;

  constructor(session: Session, signOut: (notice?: string) => void, workIn: (profile: Profile) => void) {
    this.ctx = { session, navigate: (r, o) => this.navigate(r, o), signOut, workIn };
    this.main = h("main", { id: "main", class: "content", tabindex: -1 });
    const items = ROUTES.map(({ route, label }) => {
      const btn = h("button", { type: "button", class: "nav-item", id: `nav-${route}`, "data-route": route }, label);
      btn.addEventListener("click", () => this.navigate(route));
      this.navButtons.set(route, btn);
      return h("li", null, btn);
    });
    const { profile } = session;
    const initials = `${profile.firstName.trim().charAt(0)}${profile.lastName.trim().charAt(0)}`.toUpperCase();
    const skip = h("button", { type: "button", class: "skip-link", onclick: () => this.main.querySelector<HTMLElement>("h1")?.focus() }, "Skip to content");
    this.el = h(
      "div",
      { class: "app-shell" },
      skip,
      h(
        "aside",
        { class: "sidebar" },
        h("p", { class: "brand" }, "Finance"),
        h("nav", { "aria-label": "Main" }, h("ul", { class: "nav-list" }, items)),
        h(
          "div",
          { class: "user-card", id: "current-user" },
          h("span", { class: "avatar", "aria-hidden": "true" }, initials || "?"),
          h("span", { class: "user-text" }, h("span", { class: "user-name", id: "user-name" }, `${profile.firstName} ${profile.lastName}`), h("span", { class: "muted small" }, `@${profile.username} · ${profile.currency}`)),
        ),
        profile.ledger.own
          ? null
          : h("p", { class: "ledger-badge", id: "current-ledger" }, `${ledgerName(profile.ledger)} · ${profile.ledger.role}`),
      ),
      this.main,
    );
  }

  navigate(route: Route, opts: NavigateOptions = {}, focus = true): void {
    if (route !== this.route || !this.screen) {
      this.screen?.dispose?.();
      closeAllDialogs();
      this.route = route;
      const screen = SCREENS[route](this.ctx, opts);
      this.screen = screen;
      for (const [r, btn] of this.navButtons) {
        if (r === route) btn.setAttribute("aria-current", "page");
        else btn.removeAttribute("aria-current");
      }
      document.title = `${ROUTES.find((r) => r.route === route)?.label ?? "Finance"} · Finance`;
      const show = (): void => {
        if (this.screen !== screen || screen.el.isConnected) return;
        this.main.replaceChildren(screen.el);
        if (focus && !opts.focusSearch && !opts.openNew) this.main.querySelector<HTMLElement>("h1")?.focus();
        if (opts.focusSearch) screen.focusSearch?.();
        if (opts.openNew) screen.openNew?.();
      };
      if (screen.ready) void Promise.race([screen.ready, new Promise((r) => setTimeout(r, SHOW_WAIT_MS))]).then(show, show);
      else show();
      return;
    }
    if (opts.filters) this.screen.setFilters?.(opts.filters);
    if (opts.focusSearch) this.screen.focusSearch?.();
    if (opts.openNew) this.screen.openNew?.();
  }

  openNewTransaction(): void {
    this.navigate("transactions", { openNew: true });
  }

  focusSearch(): void {
    this.navigate("transactions", { focusSearch: true });
  }

  dispose(): void {
    this.stopScheduler?.();
    this.stopScheduler = null;
    this.screen?.dispose?.();
    this.screen = null;
  }
}
