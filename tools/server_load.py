#!/usr/bin/env python3
"""Server load: the transaction list over HTTP, against a minimal axum + rusqlite handler.

    tools/server_load.py [--rows 1000000] [--connections 1,16,64] [--duration 15] [--rounds 5]
        [--profile server] [--write BENCHMARKS.md]

A measurement, not a test (`./dev bench-server` runs it). It prints Markdown and, with
`--write`, replaces the part of the file between `<!-- server-load:begin -->` and
`<!-- server-load:end -->`.

1. A store seeded with `--rows` transactions (examples/seed.rs: one user, bcrypt cost 12),
   built and run in `--profile` with finance-server and the baseline.
2. `finance-server` on that data folder (embedded store) on a free loopback port; the user
   logs in once; `POST /api/v1/transactions/search` with `{"limit": 50}` (the app's list
   query: filters in the body, no filter here) and the bearer token on every request.
3. The baseline, `crates/finance-server/examples/baseline_list.rs`, on the same file: axum
   and one rusqlite connection with the store's pragmas behind a mutex (the store's own
   shape), answering the same keyset query — the user's newest 50 rows by (date, id) —
   as JSON, with no authentication, no category names and no transfer legs: what any
   server must at least do for that page.
4. `wrk` (Debian's package) at each connection count, after a 5-second warm-up of each:
   `--rounds` rounds of `--duration / --rounds` seconds, each the baseline then ours, so
   both see the same machine state (a shared machine's neighbours come and go within
   seconds); requests/s, the p50/p99 latencies (from `wrk --latency`) and the ratio are
   the medians over the rounds, and the ratios' range is shown. Non-2xx answers or socket
   errors are reported and fail the run.
5. Log-in throughput (bcrypt at cost 12 per request) with a Lua script that posts the
   credentials, at 1 and 2 connections: bound by the 2 cores, reported apart.

Targets (issue 17): at every count our throughput is at least 0.7× the baseline's, and our
p99 at 64 connections is at most 25 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from footprint import cpu_model, replace_section, say  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
USERNAME, PASSWORD = "loaduser", "load-password-123"
LIST_PATH = "/api/v1/transactions/search"
LIST_BODY = {"limit": 50}
RATIO_TARGET, P99_TARGET_MS = 0.7, 25.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(profile: str) -> Path:
    say(f"Building finance-server, the baseline and the seeder ({profile})")
    for args in (["-p", "finance-server", "--bin", "finance-server"],
                 ["-p", "finance-server", "--example", "baseline_list"],
                 ["-p", "finance-core", "--example", "seed"]):
        subprocess.run(["cargo", "build", "--locked", "-q", "--profile", profile, *args],
                       cwd=ROOT, check=True)
    return TARGET / profile


def seed(bins: Path, rows: int) -> tuple[Path, float]:
    data = Path(tempfile.mkdtemp(prefix="server-load-"))
    say(f"Seeding {rows:,} transactions")
    t0 = time.monotonic()
    subprocess.run([str(bins / "examples" / "seed"), str(data), USERNAME, PASSWORD, str(rows)],
                   check=True, stdout=sys.stderr)
    return data, time.monotonic() - t0


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args[0]} exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url} within {timeout:.0f} s")


def post_json(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=dict(os.environ, **env), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except Exception:
        os.killpg(proc.pid, signal.SIGKILL)


def post_script(body: dict, token: str | None) -> Path:
    """A wrk Lua script that POSTs `body` as JSON (with `token` as bearer, if given)."""
    text = json.dumps(body).replace("\\", "\\\\").replace('"', '\\"')
    lines = ['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"', f'wrk.body = "{text}"']
    if token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("\n".join(lines) + "\n")
    return Path(f.name)


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int


UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, connections: int, duration: int, headers: list[str],
        script: Path | None = None) -> Run:
    cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency",
           "--timeout", "10s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], check=True, capture_output=True, text=True).stdout

    def latency(pct: str) -> float:
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            raise SystemExit(f"wrk printed no {pct}% latency:\n{out}")
        return float(m.group(1)) * UNIT[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        bad += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        bad += sum(int(x) for x in m.groups())
    return Run(rps, latency("50"), latency("99"), requests, bad)


def median(xs: list[float]) -> float:
    xs = sorted(xs)
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def median_run(runs: list[Run]) -> Run:
    """Each figure's median over the rounds (requests and errors summed)."""
    return Run(median([r.rps for r in runs]), median([r.p50_ms for r in runs]),
               median([r.p99_ms for r in runs]), sum(r.requests for r in runs), sum(r.bad for r in runs))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--connections", default="1,16,64")
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--profile", default="server")
    ap.add_argument("--write", type=Path)
    a = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing (Debian package wrk; ./dev bench-server installs it)")
    counts = [int(c) for c in a.connections.split(",")]

    bins = build(a.profile)
    data, seed_s = seed(bins, a.rows)
    ours_port, base_port = free_port(), free_port()
    ours = start([str(bins / "finance-server")],
                 {"FINANCE_DATA_DIR": str(data), "FINANCE_LISTEN": f"127.0.0.1:{ours_port}",
                  "MONGODB_URI": "", "RUST_LOG": "warn"})
    base = None
    try:
        wait_http(f"http://127.0.0.1:{ours_port}/api/v1/health", ours)
        login = post_json(f"http://127.0.0.1:{ours_port}/api/v1/auth/login",
                          {"username": USERNAME, "password": PASSWORD})
        token = login["token"]
        base = start([str(bins / "examples" / "baseline_list"), str(data / "finance.sqlite3"),
                      USERNAME, f"127.0.0.1:{base_port}"], {})
        wait_http(f"http://127.0.0.1:{base_port}/health", base)
        ours_url = f"http://127.0.0.1:{ours_port}{LIST_PATH}"
        base_url = f"http://127.0.0.1:{base_port}/transactions?limit=50"
        list_lua = post_script(LIST_BODY, token)
        results: list[tuple[int, Run, Run, list[float]]] = []
        seconds = max(1, a.duration // a.rounds)
        for c in counts:
            say(f"{c} connection(s): warm-up, then {a.rounds} rounds of baseline and ours")
            wrk(base_url, c, 5, [])
            wrk(ours_url, c, 5, [], list_lua)
            rounds = []
            for _ in range(a.rounds):
                b = wrk(base_url, c, seconds, [])
                o = wrk(ours_url, c, seconds, [], list_lua)
                if b.bad or o.bad:
                    raise SystemExit(f"errors at {c} connections: baseline {b.bad}, ours {o.bad}")
                rounds.append((b, o))
            results.append((c, median_run([b for b, _ in rounds]), median_run([o for _, o in rounds]),
                            sorted(o.rps / b.rps for b, o in rounds)))
        login_lua = post_script({"username": USERNAME, "password": PASSWORD}, None)
        logins = [(c, wrk(f"http://127.0.0.1:{ours_port}/api/v1/auth/login", c, a.duration, [],
                          login_lua)) for c in (1, 2)]
        os.unlink(list_lua)
        os.unlink(login_lua)
    finally:
        stop(ours)
        if base:
            stop(base)
        shutil.rmtree(data, ignore_errors=True)

    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {cpu_model()} ({os.cpu_count()} cores; wrk shares them), "
        f"profile `{a.profile}`, embedded store with {a.rows:,} transactions of one user "
        f"(seeded in {seed_s:.0f} s), `POST {LIST_PATH}` with `{{\"limit\": 50}}` (the newest 50); after a 5 s "
        f"warm-up, {a.rounds} rounds of {seconds} s, each the baseline then ours; medians over the rounds.", "",
        "| connections | baseline req/s | ours req/s | ratio (target ≥ 0.7) | ratio range | baseline p50 / p99 | ours p50 / p99 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    ok = True
    for c, b, o, ratios in results:
        ratio = median(ratios)
        ok &= ratio >= RATIO_TARGET
        lines.append(f"| {c} | {b.rps:,.0f} | {o.rps:,.0f} | {ratio:.2f}{'' if ratio >= RATIO_TARGET else ' **missed**'} "
                     f"| {ratios[0]:.2f}–{ratios[-1]:.2f} "
                     f"| {b.p50_ms:.2f} / {b.p99_ms:.2f} ms | {o.p50_ms:.2f} / {o.p99_ms:.2f} ms |")
    p99_64 = next((o.p99_ms for c, _, o, _ in results if c == 64), None)
    if p99_64 is not None:
        met = p99_64 <= P99_TARGET_MS
        ok &= met
        lines += ["", f"p99 at 64 connections: {p99_64:.2f} ms ({'met' if met else '**missed**'}; "
                      f"target ≤ {P99_TARGET_MS:.0f} ms)."]
    lines += ["", "Log-in (`POST /api/v1/auth/login`, one bcrypt at cost 12 and one session written per request):", "",
              "| connections | log-ins/s | p50 / p99 |", "| ---: | ---: | ---: |"]
    for c, r in logins:
        lines.append(f"| {c} | {r.rps:,.1f} | {r.p50_ms:.0f} / {r.p99_ms:.0f} ms |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.write:
        replace_section(a.write, "server-load", text)
        say(f"wrote {a.write}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
