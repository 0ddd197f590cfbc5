#!/usr/bin/env python3
"""App footprint beside an empty Tauri v2 app and two desktop peers, in one run.

    tools/footprint.py --app target/release/finance-app --app-deb target/release/bundle/deb/X.deb \\
        [--runs 5] [--settle 5] [--transactions 10000] [--write BENCHMARKS.md]

Run it under an X display and a D-Bus session with an unlocked Secret Service (`./dev
footprint` does: it builds the installers first, then runs this under `xvfb-run` and
gnome-keyring). A measurement, not a test: it prints Markdown tables and, with
`--write`, replaces the part of the file between `<!-- footprint:begin -->` and
`<!-- footprint:end -->`.

1. Builds the empty app (tools/empty-app: the create-tauri-app vanilla template with
   the same Tauri version, Cargo's default release profile) with `tauri build --bundles deb`.
2. Start-up, `--runs` times each, alternating the two apps: exec → `READY <ms since
   main()>` on stdout, which both print when their page calls `ui_ready` (ours: the
   login screen is interactive; the empty app: its page has loaded). Fresh data dir.
3. Idle memory after log-in: a store seeded with `--transactions` transactions
   (examples/seed.rs, bcrypt cost 12), the app launched through tauri-driver, logged in
   through the login form, the dashboard shown, then `--settle` seconds idle; PSS and RSS
   summed over the app and its WebKit processes (/proc/<pid>/smaps_rollup). The empty app
   is launched and measured the same way (its page shown, then idle).
4. HomeBank and GnuCash (Debian packages, installed if missing) on the same display,
   fresh HOME, idle after `--settle` + 5 s with their first-run window (same summing).
5. Sizes: both release binaries and both `.deb`s.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webdriver import Driver  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
EMPTY_SRC = ROOT / "tools" / "empty-app"
EMPTY_TARGET = TARGET / "empty-tauri-app"
USERNAME, PASSWORD = "footprint", "tulip-river-93"
MIB = 1024 * 1024


def say(msg: str) -> None:
    print(f"--> {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes and memory


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children(p))
    return out


def exe_of(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def memory(pids: list[int]) -> tuple[int, int, list[str]]:
    """Summed PSS and RSS (bytes) and the process names."""
    pss = rss = 0
    names = []
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return pss, rss, names


def app_process(driver_pid: int, binary: Path) -> int:
    """The process of `binary` that tauri-driver (`driver_pid`) started."""
    apps = [p for p in tree(driver_pid) if exe_of(p) == str(binary.resolve())]
    if not apps:
        raise SystemExit(f"no process of {binary} under tauri-driver")
    return apps[0]


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


# ---------------------------------------------------------------- builds


def build_empty_app() -> tuple[Path, Path]:
    say("Building the empty Tauri v2 app (tools/empty-app, tauri build --bundles deb)")
    bundle = EMPTY_TARGET / "release" / "bundle" / "deb"
    shutil.rmtree(bundle, ignore_errors=True)
    env = dict(os.environ, CARGO_TARGET_DIR=str(EMPTY_TARGET))
    tauri = ROOT / "ui" / "node_modules" / ".bin" / "tauri"
    subprocess.run(
        [str(tauri), "build", "--ci", "--bundles", "deb", "--", "--locked"],
        cwd=EMPTY_SRC, env=env, check=True, stdout=sys.stderr,
    )
    debs = sorted(bundle.glob("*.deb"))
    binary = EMPTY_TARGET / "release" / "empty-tauri-app"
    if not debs or not binary.is_file():
        raise SystemExit(f"the empty app's build left no binary/.deb in {EMPTY_TARGET}")
    return binary, debs[0]


def seed_store(n: int) -> Path:
    data = Path(tempfile.mkdtemp(prefix="footprint-seeded-"))
    say(f"Seeding a store with {n} transactions (examples/seed.rs)")
    subprocess.run(
        ["cargo", "run", "--locked", "--release", "-q", "-p", "finance-core", "--example", "seed",
         "--", str(data), USERNAME, PASSWORD, str(n)],
        cwd=ROOT, check=True, stdout=sys.stderr,
    )
    return data


# ---------------------------------------------------------------- measurements


def start_up(binary: Path, extra_env: dict[str, str]) -> tuple[float, float]:
    """(exec → READY, main() → READY) in ms, for one fresh launch."""
    data = tempfile.mkdtemp(prefix="footprint-")
    env = dict(os.environ, FINANCE_REPORT_READY="1", FINANCE_DATA_DIR=data, MONGODB_URI="",
               RUST_LOG="warn", **extra_env)
    t0 = time.monotonic()
    proc = subprocess.Popen([str(binary)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        deadline = t0 + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("READY "):
                return (time.monotonic() - t0) * 1000, float(line.split()[1])
        raise SystemExit(f"{binary} never printed READY (DISPLAY set? frontend embedded?)")
    finally:
        kill_group(proc)
        shutil.rmtree(data, ignore_errors=True)


def idle_memory_via_webdriver(binary: Path, settle: float, data: Path | None) -> tuple[int, int, list[str]]:
    """Launch through tauri-driver; for our app log in (data = seeded store); measure idle."""
    env = dict(os.environ, MONGODB_URI="", RUST_LOG="warn")
    work = None
    if data is not None:
        work = Path(tempfile.mkdtemp(prefix="footprint-run-"))
        shutil.copytree(data, work, dirs_exist_ok=True)
        env["FINANCE_DATA_DIR"] = str(work)
    driver = Driver(env)
    try:
        ui = driver.launch(str(binary), wait=60)
        ui.wait("the page is ready", "document.body.dataset.ready === 'true'")
        if data is not None:
            ui.wait("the login screen", "document.querySelector('#login-form')")
            ui.fill("#login-form [name=username]", USERNAME)
            ui.fill("#login-form [name=password]", PASSWORD)
            ui.click("#login-submit")
            ui.wait("the dashboard", "document.querySelector(\"[data-screen='dashboard']\")")
        time.sleep(settle)
        result = memory(tree(app_process(driver.proc.pid, binary)))
        ui.close()
        return result
    except (SystemExit, ConnectionError):
        print(f"tauri-driver output:\n{driver.output()}", file=sys.stderr)
        raise
    finally:
        driver.stop()
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def ensure_peers() -> None:
    missing = [p for p in ("homebank", "gnucash") if not shutil.which(p)]
    if missing:
        say(f"Installing {' '.join(missing)} (Debian packages)")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install",
                        "-y", "-q", "--no-install-recommends", *missing],
                       check=True, stdout=sys.stderr)


def peer_idle_memory(cmd: str, settle: float) -> tuple[int, int, list[str]]:
    home = tempfile.mkdtemp(prefix=f"footprint-{cmd}-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = home
    proc = subprocess.Popen([cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        time.sleep(settle)
        if proc.poll() is not None:
            raise SystemExit(f"{cmd} exited early with {proc.returncode}")
        return memory(tree(proc.pid))
    finally:
        kill_group(proc)
        shutil.rmtree(home, ignore_errors=True)


# ---------------------------------------------------------------- report


def cpu_model() -> str:
    """The CPU's model name from lscpu ("unknown CPU" if it says none)."""
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    return next((line.split(":", 1)[1].strip() for line in cpu.splitlines()
                 if line.startswith("Model name")), "unknown CPU")


def replace_section(path: Path, name: str, body: str) -> None:
    """Replace the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in `path`."""
    text = path.read_text()
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin not in text or end not in text:
        raise SystemExit(f"{path} has no {begin} … {end} section")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{body}{end}{tail}")


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def fmt_runs(xs: list[float], scale: float = 1.0) -> str:
    return ", ".join(f"{x / scale:.0f}" for x in xs)


def verdict(ratio: float, limit: float) -> str:
    return f"{ratio:.2f}× ({'met' if ratio <= limit else '**missed**'}; target ≤ {limit}×)"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", required=True, type=Path)
    ap.add_argument("--app-deb", required=True, type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--settle", type=float, default=5.0)
    ap.add_argument("--transactions", type=int, default=10_000)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    if not os.environ.get("DISPLAY"):
        raise SystemExit("no DISPLAY: run under xvfb-run (./dev footprint does)")

    empty_bin, empty_deb = build_empty_app()
    seeded = seed_store(args.transactions)
    ensure_peers()

    say(f"Start-up: {args.runs} launches each, alternating")
    ours_su, empty_su = [], []
    for _ in range(args.runs):
        ours_su.append(start_up(args.app, {}))
        empty_su.append(start_up(empty_bin, {}))

    say(f"Idle memory: {args.runs} launches each through tauri-driver")
    ours_mem, empty_mem = [], []
    for _ in range(args.runs):
        ours_mem.append(idle_memory_via_webdriver(args.app, args.settle, seeded))
        empty_mem.append(idle_memory_via_webdriver(empty_bin, args.settle, None))

    say("Idle memory of HomeBank and GnuCash")
    peers = {p: peer_idle_memory(p, args.settle + 5) for p in ("homebank", "gnucash")}
    shutil.rmtree(seeded, ignore_errors=True)

    o_main, e_main = med([s[1] for s in ours_su]), med([s[1] for s in empty_su])
    o_exec, e_exec = med([s[0] for s in ours_su]), med([s[0] for s in empty_su])
    o_pss, e_pss = med([m[0] for m in ours_mem]), med([m[0] for m in empty_mem])
    o_rss, e_rss = med([m[1] for m in ours_mem]), med([m[1] for m in empty_mem])
    o_deb, e_deb = args.app_deb.stat().st_size, empty_deb.stat().st_size
    o_bin, e_bin = args.app.stat().st_size, empty_bin.stat().st_size

    model = cpu_model()
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `./dev footprint` on {os.cpu_count()} vCPUs "
        f"({model}) under Xvfb 1280×800×24. Medians of {args.runs} launches; every run listed.",
        "Our app: the shipped release build. Empty app: `tools/empty-app` (the create-tauri-app "
        "vanilla template, same Tauri version, Cargo's default release profile), built by the "
        "same command in the same run.",
        "",
        "| figure | ours | empty Tauri v2 app | ours ÷ empty |",
        "|---|---|---|---|",
        f"| start-up: `main()` → first screen interactive (ms) | {o_main:.0f} ({fmt_runs([s[1] for s in ours_su])}) "
        f"| {e_main:.0f} ({fmt_runs([s[1] for s in empty_su])}) | {verdict(o_main / e_main, 1.3)} |",
        f"| start-up: exec → first screen interactive (ms) | {o_exec:.0f} ({fmt_runs([s[0] for s in ours_su])}) "
        f"| {e_exec:.0f} ({fmt_runs([s[0] for s in empty_su])}) | {o_exec / e_exec:.2f}× |",
        f"| idle PSS, app + WebKit (MiB) | {o_pss / MIB:.0f} ({fmt_runs([m[0] for m in ours_mem], MIB)}) "
        f"| {e_pss / MIB:.0f} ({fmt_runs([m[0] for m in empty_mem], MIB)}) | {verdict(o_pss / e_pss, 1.3)} |",
        f"| idle RSS, app + WebKit (MiB) | {o_rss / MIB:.0f} ({fmt_runs([m[1] for m in ours_mem], MIB)}) "
        f"| {e_rss / MIB:.0f} ({fmt_runs([m[1] for m in empty_mem], MIB)}) | {o_rss / e_rss:.2f}× |",
        f"| `.deb` (MiB) | {o_deb / MIB:.2f} | {e_deb / MIB:.2f} | {verdict(o_deb / e_deb, 2.0)} |",
        f"| release binary (MiB) | {o_bin / MIB:.2f} | {e_bin / MIB:.2f} | {o_bin / e_bin:.2f}× |",
        "",
        f"Ours idle = logged in with {args.transactions:,} transactions, the dashboard shown, then "
        f"{args.settle:.0f} s idle; empty app idle = its page shown, then {args.settle:.0f} s idle. "
        f"Processes summed (ours): {', '.join(ours_mem[-1][2])}.",
        "",
        "| desktop peer (Debian package) | idle PSS (MiB) | idle RSS (MiB) | ours ÷ peer (PSS) | processes |",
        "|---|---|---|---|---|",
    ]
    for name, (pss, rss, names) in peers.items():
        lines.append(f"| {name} (first-run window, {args.settle + 5:.0f} s idle) | {pss / MIB:.0f} "
                     f"| {rss / MIB:.0f} | {o_pss / pss:.2f}× | {', '.join(names)} |")
    body = "\n".join(lines) + "\n"
    print(body)
    if args.write:
        replace_section(args.write, "footprint", body)
        say(f"wrote the footprint section of {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
