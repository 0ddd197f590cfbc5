#!/usr/bin/env python3
"""Start-up time and idle memory of the desktop app (run it under Xvfb and a D-Bus session).

    tools/footprint.py BINARY [--runs N] [--settle SECONDS]

For each run: a fresh data dir, the embedded store, `FINANCE_REPORT_READY=1` so the
app prints `READY <ms since main()>` when the first screen is interactive. Reports
the time from exec to that line, the app's own figure, and after `--settle` seconds
the summed PSS and RSS of the app and its WebKit child processes
(/proc/<pid>/smaps_rollup). Prints medians as a Markdown table. A measurement, not a test.
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            kids = subprocess.run(["pgrep", "-P", str(p)], capture_output=True, text=True).stdout.split()
        except OSError:
            kids = []
        todo.extend(int(k) for k in kids)
    return out


def memory_kib(pids):
    pss = rss = 0
    names = []
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
            with open(f"/proc/{p}/comm") as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return pss, rss, names


def one_run(binary, settle, extra_env):
    data = tempfile.mkdtemp(prefix="footprint-")
    env = dict(os.environ, FINANCE_REPORT_READY="1", FINANCE_DATA_DIR=data, MONGODB_URI="", RUST_LOG="warn")
    env.update(extra_env)
    t0 = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    ready_exec = ready_main = None
    deadline = t0 + 60
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("READY "):
                ready_exec = (time.monotonic() - t0) * 1000
                ready_main = float(line.split()[1])
                break
        if ready_exec is None:
            raise SystemExit("the app never reported READY (is DISPLAY set? is the frontend embedded?)")
        time.sleep(settle)
        pss, rss, names = memory_kib(descendants(proc.pid))
        return ready_exec, ready_main, pss, rss, names
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(data, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--settle", type=float, default=3.0)
    args = ap.parse_args()
    rows = [one_run(args.binary, args.settle, {}) for _ in range(args.runs)]
    med = lambda i: statistics.median(r[i] for r in rows)
    print(f"processes: {', '.join(rows[-1][4])}")
    print("| figure | median | runs |")
    print("|---|---|---|")
    print(f"| exec → login screen interactive | {med(0):.0f} ms | " + ", ".join(f"{r[0]:.0f}" for r in rows) + " |")
    print(f"| main() → login screen interactive | {med(1):.0f} ms | " + ", ".join(f"{r[1]:.0f}" for r in rows) + " |")
    print(f"| idle PSS (app + WebKit) | {med(2)/1024:.0f} MiB | " + ", ".join(f"{r[2]/1024:.0f}" for r in rows) + " |")
    print(f"| idle RSS (app + WebKit) | {med(3)/1024:.0f} MiB | " + ", ".join(f"{r[3]/1024:.0f}" for r in rows) + " |")


if __name__ == "__main__":
    sys.exit(main())
