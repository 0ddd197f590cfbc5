#!/usr/bin/env python3
"""In-app latency and memory: what a person waits for in the release app, beside the data path.

    tools/latency.py --app $CARGO_TARGET_DIR/release/finance-app \\
        [--sizes 10000,1000000] [--runs 15] [--settle 5] [--empty-runs 3] [--env KEY=VALUE] [--css FILE]
        [--ui target/ui-bundle/app.js] [--write BENCHMARKS.md]

Run it under an X display and a D-Bus session with an unlocked Secret Service (`./dev
latency` runs it under `xvfb-run` and gnome-keyring). A measurement, not a test: it prints
Markdown tables and, with `--write`, replaces the part of the file between
`<!-- latency:begin -->` and `<!-- latency:end -->`.

For each size: a store seeded with that many transactions (examples/seed.rs, as footprint
seeds it; the seeding time is reported), the app launched on a copy of it through
tauri-driver (tools/webdriver.py), then, in the page:

1. Screen time, `--runs` times per operation: ONE execute-async script per measurement
   records `performance.now()`, clicks (or submits), waits with a MutationObserver until
   the operation's new data is in the DOM (the table's rows replaced, the page counter
   moved, the dashboard or report body no longer busy, the new row listed), then waits two
   `requestAnimationFrame`s (painted) and returns the elapsed ms. Operations: log in →
   dashboard, Transactions first page (from the Dashboard), next/previous page (alternating),
   search (submit; alternating two words), Dashboard (from Transactions), Reports (from the
   Dashboard), add a transaction (submit → the row listed). The first visit of each screen
   (the tour below) is reported on its own; the `--runs` samples follow it.
2. Data-path time: the command(s) the screen sends, invoked from the page with
   `window.__TAURI_INTERNALS__.invoke` with the same arguments, as many times; the
   overhead is screen − IPC (medians).
3. Where the time goes: a wrapper around `window.fetch` records the screen's IPC requests
   (`ipc://` URLs: Tauri's IPC on Linux) with their start and response times, so each
   screen time splits into click → first request, requests in flight, last response →
   data in the DOM, and DOM → painted; a paint floor (two rAFs with nothing changed) is
   measured too.
4. Memory: PSS summed over the app and its WebKit processes (footprint.memory) after
   `--settle` s idle, right after log-in, after one tour (Transactions, a search, Reports,
   Dashboard) and after all the measured operations; the empty Tauri v2 app's idle PSS
   measured the way footprint does (its binary from a footprint run, else built), both as
   WebKit draws it by default (GPU compositing) and with compositing off. The app logs how
   its webview draws (src-tauri/src/webview.rs: compositing off without a GPU render node);
   the report says which, and judges the tour against the empty app drawn the same way.

Invariants: nothing of the page's own code changes (the fetch wrapper passes every call
through unchanged and only timestamps `ipc://` requests); no WebDriver round trip falls
inside a measured interval (set-up such as filling the form happens before `performance.now()`);
every launch runs on its own copy of the seeded store, and the seeded stores are removed.
`--css FILE` is a diagnosis (like `--env`): it adds a style sheet to the page once it has
loaded (CSSOM, so the app's CSP allows it) to try a style change without rebuilding the app;
the report names it. `--ui FILE` is one too: it runs a rebuilt UI (one classic script built
with `npm --prefix ui exec -- vite build --config vite.bundle.config.ts`, and
ui/src/styles.css) in place of the embedded one, through WebDriver (not subject to the page's
CSP), so a UI code change is measured in the release app without its fat-LTO rebuild. The
embedded UI's module stays loaded (idle on the login screen), so memory figures taken that
way carry it too.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from footprint import (  # noqa: E402
    EMPTY_TARGET, ROOT, MIB, PASSWORD, USERNAME, app_process, build_empty_app, cpu_model,
    idle_memory_via_webdriver, memory, replace_section, say, seed_store, tree,
)
from webdriver import Driver, Session  # noqa: E402

TARGET_MS = 50.0
TOUR_LIMIT = 1.3
DASHBOARD_READY = "[data-screen=dashboard] .dashboard[aria-busy=false]"
READY = {
    "transactions": "[data-screen=transactions] .table-wrap[aria-busy=false] tbody tr[data-id]",
    "dashboard": DASHBOARD_READY,
    "reports": "[data-screen=reports] #report-body[data-loaded][aria-busy=false]",
}
SEARCH_WORDS = ("coffee", "train")  # both in examples/seed.rs's descriptions

# Shared by every measurement script: `spec` is arguments[0]; `report` hands the result back.
PRELUDE = r"""
const done = arguments[arguments.length - 1];
const spec = arguments[0];
const $ = (css) => document.querySelector(css);
if (!window.__latencyIpc) {
  window.__latencyIpc = [];
  const pass = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = String((input && input.url) || input);
    if (!url.startsWith("ipc:")) return pass(input, init);
    const call = { cmd: decodeURIComponent(url.replace(/[?#].*$/, "").split("/").pop()), start: performance.now(), end: NaN };
    window.__latencyIpc.push(call);
    return pass(input, init).then((r) => { call.end = performance.now(); return r; });
  };
}
// Two frames: resolves with the time the first one started (the new DOM is laid out and
// painted in that frame's rendering update; the second frame starts after it).
const painted = () => new Promise((r) => requestAnimationFrame(() => {
  const frame = performance.now();
  requestAnimationFrame(() => r(frame));
}));
const until = (what, check) => new Promise((resolve, reject) => {
  let obs = null;
  let timer = null;
  const finish = (err) => {
    if (obs) obs.disconnect();
    clearTimeout(timer);
    if (err) reject(new Error(err)); else resolve(performance.now());
  };
  if (check()) return finish(null);
  obs = new MutationObserver(() => { if (check()) finish(null); });
  obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  timer = setTimeout(() => finish("timed out waiting until " + what), 20000);
});
const screen = (act, what, check) => {
  window.__latencyIpc.length = 0;
  const t0 = performance.now();
  act();
  // At the DOM change, style and layout are forced (work the next frame would do anyway),
  // so the split can tell them from painting.
  return until(what, check).then((tDom) => {
    void document.body.getBoundingClientRect();
    const tLayout = performance.now();
    return painted().then((tFrame) => ({
    ms: performance.now() - t0,
    domMs: tDom - t0,
    layoutMs: tLayout - t0,
    frameMs: tFrame - t0,
    ipc: window.__latencyIpc.filter((c) => c.start <= tDom).map((c) => ({ cmd: c.cmd, start: c.start - t0, end: c.end - t0 })),
  }));
  });
};
const ipc = (calls) => {
  const t0 = performance.now();
  let p = Promise.resolve(null);
  for (const [cmd, args] of calls) p = p.then(() => window.__TAURI_INTERNALS__.invoke(cmd, args));
  return p.then((last) => ({ ms: performance.now() - t0, last }));
};
const report = (p) => p.then(done, (e) => done({ error: String((e && e.message) || JSON.stringify(e)) }));
"""

NAVIGATE = PRELUDE + r"""
report(screen(() => $("#nav-" + spec.route).click(), spec.route + " shown", () => !!$(spec.ready)));
"""
LOG_IN = PRELUDE + r"""
report(screen(() => $("#login-submit").click(), "the dashboard after log-in", () => !!$(spec.ready)));
"""
# Next/previous page and search: the table's rows replaced (and the page counter moved).
NEW_ROWS = PRELUDE + r"""
const host = $("[data-screen=transactions] .table-wrap");
const body = host.querySelector("tbody");
const old = body.firstElementChild;
const fresh = () => host.getAttribute("aria-busy") === "false" && body.firstElementChild !== old
  && (!spec.page || $("#page-indicator").textContent === "Page " + spec.page);
report(screen(() => {
  if (spec.text !== undefined) { $("#search").value = spec.text; $("#apply-filters").click(); }
  else $(spec.button).click();
}, spec.what, fresh));
"""
ADD = PRELUDE + r"""
const listed = () => Array.from(document.querySelectorAll("[data-screen=transactions] tbody tr[data-id] .desc"))
  .some((e) => e.textContent === spec.description);
report(screen(() => $("#transaction-submit").click(), "the new row listed", listed));
"""
PAINT_FLOOR = PRELUDE + r"""
report(screen(() => undefined, "nothing", () => true));
"""
IPC = PRELUDE + r"""
report(ipc(spec.calls));
"""
# A diagnosis style sheet (--css), through the CSSOM: a constructed sheet adopted by the document.
ADD_CSS = r"""
const css = arguments[0], done = arguments[arguments.length - 1];
try {
  if ("adoptedStyleSheets" in document) {
    const s = new CSSStyleSheet(); s.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, s];
  } else throw new Error("no adoptedStyleSheets");
  done(true);
} catch (e) { done(false); }
"""
# A diagnosis (--ui): run a rebuilt UI (one IIFE script, ui/vite.bundle.config.ts) in place of
# the embedded one. The embedded app's DOM is removed (its module stays loaded, idle on the
# login screen: no timers, no shell, its global listeners inert) and its style sheet disabled;
# arguments[0] (ui/src/styles.css) is adopted instead, and the script starts a fresh app.
INJECT_UI_PRE = r"""
const done = arguments[arguments.length - 1];
const css = arguments[0];
try {
  for (const id of ["app", "dialogs", "toasts"]) document.getElementById(id)?.remove();
  if (css) {
    for (const l of document.querySelectorAll("link[rel=stylesheet]")) l.disabled = true;
    const s = new CSSStyleSheet(); s.replaceSync(css);
    document.adoptedStyleSheets = [s];
  }
  const app = document.createElement("div"); app.id = "app"; document.body.append(app);
  const dialogs = document.createElement("div"); dialogs.id = "dialogs"; document.body.append(dialogs);
  const toasts = document.createElement("div"); toasts.id = "toasts"; document.body.append(toasts);
"""
INJECT_UI_POST = r"""
  done(true);
} catch (e) { done(String(e && e.stack || e)); }
"""
# Set-up of an add (not timed): amount, category (arguments[0]), description (arguments[1]).
FILL_NEW_TRANSACTION = r"""
const f = document.querySelector("#transaction-form");
const set = (name, value) => {
  const e = f.querySelector(`[name=${name}]`);
  e.value = value;
  e.dispatchEvent(new Event(e.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
};
set("amount", "12.34"); set("categoryId", arguments[0]); set("description", arguments[1]);
arguments[arguments.length - 1](f.querySelector("[name=categoryId]").value === arguments[0]);
"""


@dataclass
class Operation:
    label: str
    target: bool = True  # log-in is bcrypt-bound: reported, no target
    first: dict | None = None
    screen: list[dict] = field(default_factory=list)
    ipc: list[float] = field(default_factory=list)
    replayed: list[str] = field(default_factory=list)  # the commands timed for `ipc`


@dataclass
class SizeResult:
    size: int
    seed_s: float
    ops: dict[str, Operation]
    floor: list[float]
    pss: dict[str, int]
    entry_types: str
    drawing: str = "unknown"


def list_input(text: str | None = None, cursor: str | None = None) -> dict:
    """The list request of an unfiltered (or searched) first/next page, as the screen sends it."""
    return {"input": {"from": None, "to": None, "categoryIds": [], "type": None, "text": text,
                      "minAmount": None, "maxAmount": None, "sort": "date_desc", "limit": 50,
                      "cursor": cursor}}


class App:
    """The release app on a copy of a seeded store, driven through tauri-driver."""

    def __init__(self, binary: Path, seeded: Path, extra_env: dict[str, str], css: str = "",
                 ui: tuple[str, str] | None = None):
        self.binary = binary
        self.extra_env = extra_env
        self.work = Path(tempfile.mkdtemp(prefix="latency-run-"))
        shutil.copytree(seeded, self.work, dirs_exist_ok=True)
        # finance_app::webview logs how the webview draws (GPU compositing or not), read by `drawing`.
        env = dict(os.environ, MONGODB_URI="", RUST_LOG="warn,finance_app::webview=info",
                   FINANCE_DATA_DIR=str(self.work), **extra_env)
        self.driver = Driver(env)
        try:
            self.ui: Session = self.driver.launch(str(binary), wait=60)
            self.ui.wait("the login screen", "document.querySelector('#login-form')")
            if ui:
                out = self.ui.run_async(INJECT_UI_PRE + ui[0] + INJECT_UI_POST, ui[1])
                if out is not True:
                    raise SystemExit(f"FAILED: could not start the --ui bundle: {out}")
                self.ui.wait("the --ui bundle's login screen", "document.querySelector('#app #login-form')")
            if css and not self.ui.run_async(ADD_CSS, css):
                raise SystemExit("FAILED: could not add the --css style sheet")
            self.pid = app_process(self.driver.proc.pid, binary)
        except BaseException:
            self.stop()
            raise

    def drawing(self) -> str:
        """How the app said its webview draws: "gpu" (WebKit's GPU compositing), "cpu" (turned
        off, src-tauri/src/webview.rs, or by `--env WEBKIT_DISABLE_COMPOSITING_MODE=1`) or
        "unknown" (a build that does not say)."""
        self.driver.log.flush()
        text = re.sub(r"\x1b\[[0-9;]*m", "", Path(self.driver.log.name).read_text(errors="replace"))  # no colours
        if "webview hardware acceleration choice=Off" in text or self.extra_env.get("WEBKIT_DISABLE_COMPOSITING_MODE"):
            return "cpu"
        return "gpu" if "webview hardware acceleration choice=Default" in text else "unknown"

    def stop(self) -> None:
        self.driver.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def run(self, script: str, spec: dict, what: str) -> dict:
        out = self.ui.run_async(script, spec)
        if not isinstance(out, dict) or "error" in out:
            self.ui.screenshot("latency-failure")
            raise SystemExit(f"FAILED: {what}: {out}\n{self.driver.output()}")
        return out

    def navigate(self, route: str) -> dict:
        return self.run(NAVIGATE, {"route": route, "ready": READY[route]}, f"navigate to {route}")

    def log_in(self) -> dict:
        self.ui.fill("#login-form [name=username]", USERNAME)
        self.ui.fill("#login-form [name=password]", PASSWORD)
        return self.run(LOG_IN, {"ready": DASHBOARD_READY}, "log in")

    def log_out(self) -> None:
        self.navigate_untimed("settings", "#logout")
        self.ui.click("#logout")
        self.ui.wait("the login screen", "document.querySelector('#login-form')")

    def navigate_untimed(self, route: str, ready_css: str) -> None:
        self.ui.click(f"#nav-{route}")
        self.ui.wait(f"{route} shown", f"document.querySelector({json.dumps(ready_css)})")

    def search(self, word: str) -> dict:
        return self.run(NEW_ROWS, {"text": word, "what": f"results for {word!r}"}, "search")

    def ipc(self, calls: list) -> dict:
        return self.run(IPC, {"calls": calls}, f"invoke {[c[0] for c in calls]}")

    def pss(self, settle: float) -> int:
        time.sleep(settle)
        return memory(tree(self.pid))[0]


LABELS = {
    "login": "log in → dashboard (bcrypt cost 12)", "transactions": "Transactions: first page",
    "page": "next / previous page", "search": "search (submit → results)", "dashboard": "Dashboard",
    "reports": "Reports (this month)", "add": "add a transaction → row listed",
}


def build_seeder() -> None:
    """Build examples/seed.rs first, so the seeding time reported is the seeding alone."""
    say("Building examples/seed.rs (release)")
    subprocess.run(["cargo", "build", "--locked", "--release", "-q", "-p", "finance-core", "--example", "seed"],
                   cwd=ROOT, check=True, stdout=sys.stderr)


def measure_size(binary: Path, size: int, runs: int, settle: float, extra_env: dict[str, str],
                 css: str = "", ui: tuple[str, str] | None = None) -> SizeResult:
    t0 = time.monotonic()
    seeded = seed_store(size)
    seed_s = time.monotonic() - t0
    say(f"seeded {size} transactions in {seed_s:.1f} s")
    ops = {k: Operation(label, k != "login") for k, label in LABELS.items()}
    pss: dict[str, int] = {}
    app = App(binary, seeded, extra_env, css, ui)
    try:
        ops["login"].first = app.log_in()
        drawing = app.drawing()
        pss["login"] = app.pss(settle)
        say("one tour: Transactions, search, Reports, Dashboard")
        ops["transactions"].first = app.navigate("transactions")
        ops["search"].first = app.search(SEARCH_WORDS[0])
        ops["reports"].first = app.navigate("reports")
        report_range = app.ui.js("document.querySelector('#report-body').dataset.loaded").split("..")
        ops["dashboard"].first = app.navigate("dashboard")
        pss["tour"] = app.pss(settle)
        category = screen_runs(app, ops, runs)
        floor = [app.run(PAINT_FLOOR, {}, "paint floor")["ms"] for _ in range(runs)]
        entry_types = app.ui.js("(window.PerformanceObserver && PerformanceObserver.supportedEntryTypes || []).join(', ')")
        ipc_runs(app, {k: op for k, op in ops.items() if k != "login"}, runs, category, report_range)
        pss["all"] = app.pss(settle)
        say(f"{runs} log-ins (log out through Settings, then the login form), then the same through IPC")
        for _ in range(runs):
            app.log_out()
            ops["login"].screen.append(app.log_in())
        ipc_runs(app, {"login": ops["login"]}, runs, category, report_range)
        app.ui.close()
    except (SystemExit, ConnectionError):
        print(f"tauri-driver output:\n{app.driver.output()}", file=sys.stderr)
        raise
    finally:
        app.stop()
        shutil.rmtree(seeded, ignore_errors=True)
    return SizeResult(size, seed_s, ops, floor, pss, entry_types or "none", drawing)


def screen_runs(app: App, ops: dict[str, Operation], runs: int) -> str:
    """`runs` screen times of every operation but log-in; returns the category the adds used."""
    say(f"{runs} runs each: Transactions ↔ Dashboard, next/previous page, search, Reports, add")
    for _ in range(runs):
        ops["transactions"].screen.append(app.navigate("transactions"))
        ops["dashboard"].screen.append(app.navigate("dashboard"))
    app.navigate_untimed("transactions", READY["transactions"])
    for i in range(runs):
        page = 2 if i % 2 == 0 else 1
        spec = {"button": "#next-page" if page == 2 else "#prev-page", "page": page, "what": f"page {page}"}
        ops["page"].screen.append(app.run(NEW_ROWS, spec, "next/previous page"))
    for i in range(runs):
        ops["search"].screen.append(app.search(SEARCH_WORDS[(i + 1) % 2]))
    for _ in range(runs):
        app.navigate_untimed("dashboard", DASHBOARD_READY)
        ops["reports"].screen.append(app.navigate("reports"))
    app.navigate_untimed("transactions", READY["transactions"])
    categories = app.ipc([["list_categories", {}]])["last"]
    category = next(c["id"] for c in categories if c.get("type") == "expense")
    for i in range(runs):
        description = f"Latency probe {i} {uuid.uuid4().hex[:8]}"
        app.ui.click("#new-transaction")
        app.ui.wait("the transaction dialog", "document.querySelector('#transaction-form')")
        if not app.ui.run_async(FILL_NEW_TRANSACTION, category, description):
            raise SystemExit("FAILED: the transaction dialog did not take the category")
        ops["add"].screen.append(app.run(ADD, {"description": description}, "add a transaction"))
        app.ui.wait("the dialog closed", "!document.querySelector('#transaction-form')")
    return category


def ipc_runs(app: App, ops: dict[str, Operation], runs: int, category: str, report_range: list[str]) -> None:
    """For each operation, `runs` times: the commands its screen sent (in the order the most
    samples sent them), invoked from the page with the arguments the screen would use."""
    cursor = app.ipc([["list_transactions", list_input()]])["last"]["nextCursor"]
    today = time.strftime("%Y-%m-%d")
    args = {
        "list_categories": lambda op, i: {},
        "list_transactions": lambda op, i: list_input(
            text=SEARCH_WORDS[(i + 1) % 2] if op == "search" else None,
            cursor=cursor if op == "page" and i % 2 == 0 else None),
        "dashboard": lambda op, i: {},
        "report": lambda op, i: {"input": {"from": report_range[0], "to": report_range[1]}},
        "add_transaction": lambda op, i: {"input": {
            "categoryId": category, "amount": "12.34", "date": today, "description": f"Latency IPC probe {i}",
            "note": None, "idempotencyKey": uuid.uuid4().hex}},
        "login": lambda op, i: {"input": {"username": USERNAME, "password": PASSWORD}},
    }
    for key, op in ops.items():
        sent = Counter(tuple(c["cmd"] for c in s["ipc"]) for s in op.screen).most_common(1)[0][0]
        op.replayed = [c for c in sent if c in args]
        if not op.replayed:
            raise SystemExit(f"FAILED: {key}: the screen sent {sent}, none of which this tool can replay")
        say(f"IPC for {key}: {' + '.join(op.replayed)}")
        for i in range(runs):
            op.ipc.append(app.ipc([[c, args[c](key, i)] for c in op.replayed])["ms"])


# The empty app drawn the way ours draws without GPU compositing: it sets no policy, so the
# environment variable WebKitGTK reads does the same (both turn accelerated compositing off).
NO_GPU_ENV = {"WEBKIT_DISABLE_COMPOSITING_MODE": "1"}


def empty_app_pss(settle: float, runs: int) -> tuple[dict[str, int], str]:
    """The empty Tauri v2 app's idle PSS (median of `runs` launches), as footprint measures it:
    as WebKit draws it by default ("gpu": GPU compositing) and with compositing off ("cpu")."""
    binary = EMPTY_TARGET / "release" / "empty-tauri-app"
    how = "`tools/empty-app` as `./dev footprint` builds it, found built"
    if not binary.is_file():
        binary, _ = build_empty_app()
        how = "built by this run (tools/empty-app)"
    out = {}
    for drawing, env in (("gpu", {}), ("cpu", NO_GPU_ENV)):
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            out[drawing] = int(statistics.median(idle_memory_via_webdriver(binary, settle, None)[0] for _ in range(runs)))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return out, how


# ---------------------------------------------------------------- report


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[18] if len(xs) > 1 else xs[0]


def ms(x: float) -> str:
    return f"{x:.1f}"


SPLIT = ("click → first IPC request", "IPC requests in flight", "last response → data in DOM",
         "style + layout of the new DOM (forced)", "→ next frame starts", "that frame (paint) → the one after")


def split(sample: dict) -> tuple[float, ...]:
    """A screen time in the SPLIT parts (ms); they add up to the whole when the requests
    run one after another."""
    calls = [c for c in sample["ipc"] if c["end"] == c["end"]]  # NaN: no response before the DOM changed
    dom, layout, frame, whole = sample["domMs"], sample["layoutMs"], sample["frameMs"], sample["ms"]
    tail = (layout - dom, frame - layout, whole - frame)
    if not calls:
        return (float("nan"), 0.0, dom, *tail)
    first = min(c["start"] for c in calls)
    flight = sum(c["end"] - c["start"] for c in calls)
    return (first, flight, dom - max(c["end"] for c in calls), *tail)


def commands(samples: list[dict]) -> str:
    """The commands the screen sent, with how many of the samples sent each."""
    counts: dict[str, int] = {}
    for s in samples:
        for cmd in dict.fromkeys(c["cmd"] for c in s["ipc"]):
            counts[cmd] = counts.get(cmd, 0) + 1
    return ", ".join(f"`{c}`" + ("" if k == len(samples) else f" ({k} of {len(samples)})")
                     for c, k in counts.items()) or "–"


def size_tables(r: SizeResult) -> list[str]:
    out = [f"#### {r.size:,} transactions (store seeded in {r.seed_s:.0f} s)", "",
           "| operation | screen median ms | screen p95 ms | IPC median ms | overhead ms (screen − IPC) | target | result |",
           "|---|---:|---:|---:|---:|---|---|"]
    for op in r.ops.values():
        screen = [s["ms"] for s in op.screen]
        sm, im = statistics.median(screen), statistics.median(op.ipc)
        target, result = (f"median ≤ {TARGET_MS:.0f} ms", "met" if sm <= TARGET_MS else "**missed**") \
            if op.target else ("– (bcrypt-bound)", "reported")
        out.append(f"| {op.label} | {ms(sm)} | {ms(p95(screen))} | {ms(im)} | {ms(sm - im)} | {target} | {result} |")
    out += ["", f"Where the screen time goes (medians, ms; paint floor = two `requestAnimationFrame`s with "
                f"nothing changed: median {ms(statistics.median(r.floor))}, p95 {ms(p95(r.floor))}):", "",
            f"| operation | first visit | {' | '.join(SPLIT)} | commands the screen sent |",
            "|---|---:|" + "---:|" * len(SPLIT) + "---|"]
    for op in r.ops.values():
        parts = [split(s) for s in op.screen]
        meds = [statistics.median(p[i] for p in parts) for i in range(len(SPLIT))]
        first = ms(op.first["ms"]) if op.first else "–"
        out.append(f"| {op.label} | {first} | {' | '.join(ms(m) for m in meds)} | {commands(op.screen)} |")
    return out + [""]


DRAWING = {
    "cpu": "without WebKit's GPU compositing (the app turns it off: this machine has no GPU render node; "
           "`src-tauri/src/webview.rs`)",
    "gpu": "with WebKit's GPU compositing (its default; in software GL when the machine has no GPU)",
    "unknown": "as WebKit's default (a build that does not report how its webview draws)",
}


def render(results: list[SizeResult], empty: dict[str, int], empty_how: str, runs: int, settle: float, app: Path,
           extra_env: dict[str, str], css: Path | None = None, ui: Path | None = None) -> str:
    drawings = sorted({r.drawing for r in results})
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `./dev latency` (`tools/latency.py`) on {os.cpu_count()} vCPUs "
        f"({cpu_model()}) under Xvfb 1280×800×24, the release build `{app.name}`, SQLite store. "
        f"{runs} runs per operation after a first visit; p95 interpolated. "
        f"The app drew {'; '.join(DRAWING[d] for d in drawings)}."
        + (f" App environment: {', '.join(f'`{k}={v}`' for k, v in extra_env.items())}." if extra_env else "")
        + (f" Style sheet added (`--css`): `{css}`." if css else "")
        + (f" UI replaced by a rebuilt bundle (`--ui`): `{ui}`." if ui else ""),
        "",
    ]
    for r in results:
        lines += size_tables(r)
    lines += [f"Memory: PSS of the app and its WebKit processes after {settle:.0f} s idle; empty Tauri v2 app "
              f"(idle, its page shown; {empty_how}): {empty['gpu'] / MIB:.0f} MiB as WebKit draws it by default "
              f"(GPU compositing), {empty['cpu'] / MIB:.0f} MiB with compositing off "
              f"(`{' '.join(f'{k}={v}' for k, v in NO_GPU_ENV.items())}`). The target is judged against the empty "
              "app drawn the same way as ours.", "",
              "| store | right after log-in | after one tour (Transactions, search, Reports, Dashboard) "
              "| after every measured operation | after the tour ÷ empty app (its default) "
              "| after the tour ÷ empty app drawn as ours | result |",
              "|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        same = empty["cpu"] if r.drawing == "cpu" else empty["gpu"]
        ratio = r.pss["tour"] / same
        lines.append(f"| {r.size:,} transactions | {r.pss['login'] / MIB:.0f} MiB | {r.pss['tour'] / MIB:.0f} MiB "
                     f"| {r.pss['all'] / MIB:.0f} MiB | {r.pss['tour'] / empty['gpu']:.2f}× | {ratio:.2f}× "
                     f"| {'met' if ratio <= TOUR_LIMIT else '**missed**'} (target ≤ {TOUR_LIMIT}×) |")
    types = results[-1].entry_types
    no_long_tasks = "" if "longtask" in types else " (no `longtask`: long tasks cannot be listed)"
    lines += ["", f"Performance entry types this WebKit offers: {types}{no_long_tasks}."]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", required=True, type=Path)
    ap.add_argument("--sizes", default="10000,1000000")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--empty-runs", type=int, default=3)
    ap.add_argument("--write", type=Path)
    ap.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                    help="extra environment for the app (a diagnosis, e.g. WEBKIT_DISABLE_COMPOSITING_MODE=1)")
    ap.add_argument("--css", type=Path, metavar="FILE",
                    help="a style sheet added to the page after it loads (a diagnosis: try a style change unbuilt)")
    ap.add_argument("--ui", type=Path, metavar="FILE",
                    help="a diagnosis: run a rebuilt UI (FILE: target/ui-bundle/app.js from ui/vite.bundle.config.ts, "
                         "with ui/src/styles.css) in place of the embedded one, to measure a UI change unbuilt")
    args = ap.parse_args()
    extra_env = dict(e.split("=", 1) for e in args.env)
    if not os.environ.get("DISPLAY"):
        raise SystemExit("no DISPLAY: run under xvfb-run (./dev latency does)")
    if not args.app.is_file():
        raise SystemExit(f"no app binary at {args.app} (./dev package builds it)")
    build_seeder()
    css = args.css.read_text() if args.css else ""
    ui = (args.ui.read_text(), (ROOT / "ui" / "src" / "styles.css").read_text()) if args.ui else None
    results = [measure_size(args.app, int(s), args.runs, args.settle, extra_env, css, ui) for s in args.sizes.split(",") if s]
    say(f"Idle memory of the empty Tauri v2 app ({args.empty_runs} launches)")
    empty, empty_how = empty_app_pss(args.settle, args.empty_runs)
    body = render(results, empty, empty_how, args.runs, args.settle, args.app, extra_env, args.css, args.ui)
    print(body)
    if args.write:
        replace_section(args.write, "latency", body)
        say(f"wrote the latency section of {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
