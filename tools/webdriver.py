"""A minimal WebDriver client for the built app, over tauri-driver (+ WebKitWebDriver).

Used by tests/install_deb.py (the installed .deb), tools/footprint.py (memory after
log-in) and tools/latency.py (in-page timings). Only the Python standard library:
WebDriver is plain HTTP + JSON.

    driver = Driver(env)              # tauri-driver on free ports, in its own process group
    ui = driver.launch("/usr/bin/finance-app")
    ui.wait("the login screen", "document.querySelector('#login-form')")
    ui.close(); driver.stop()

Failures raise SystemExit with a message; `driver.output()` has the last lines that
tauri-driver, WebKitWebDriver and the app wrote (show them when a step fails).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fail(msg: str) -> None:
    raise SystemExit(f"FAILED: {msg}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: dict | None = None, attempts: int = 3) -> dict:
    """One WebDriver command. tauri-driver proxies to WebKitWebDriver over a pooled
    keep-alive connection; now and then it picks one WebKitWebDriver has just closed and
    drops our request unsent ("client error (SendRequest)"), so a dropped command is sent
    again (`attempts` in all) before it counts as a failure."""
    for attempt in range(1, attempts + 1):
        try:
            return _http_once(method, url, body)
        except Dropped as e:
            if attempt == attempts:
                raise
            print(f"(sending again: {e})", file=sys.stderr, flush=True)
            time.sleep(0.3)
    raise AssertionError("unreachable")


def _http_once(method: str, url: str, body: dict | None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        fail(f"WebDriver {method} {url}: {e.code} {e.read().decode(errors='replace')}")
        raise
    except ConnectionError as e:  # incl. http.client.RemoteDisconnected
        raise Dropped(f"WebDriver {method} {url}: connection dropped ({e!r})") from e


class Dropped(ConnectionError):
    """tauri-driver closed the connection without answering (its WebKitWebDriver or the
    app went away); `Driver.output()` says why."""


class Driver:
    """tauri-driver (+ WebKitWebDriver) in its own process group, on free ports."""

    def __init__(self, env: dict[str, str]):
        self.port, native = free_port(), free_port()
        exe = os.environ.get("TAURI_DRIVER") or shutil.which("tauri-driver")
        if not exe:
            fail("tauri-driver is not installed (./dev setup installs it)")
        # tauri-driver's, WebKitWebDriver's and the app's output: shown when a step fails.
        self.log = tempfile.NamedTemporaryFile(prefix="tauri-driver-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--native-port", str(native)],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    self.stop()
                    fail(f"tauri-driver did not start listening; it said:\n{self.output()}")
                time.sleep(0.1)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Terminate tauri-driver and everything it started (WebKitWebDriver, the app)."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.log.close()

    def output(self) -> str:
        """The last lines tauri-driver, WebKitWebDriver and the app wrote."""
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-60:]) or "(nothing)"

    def launch(self, application: str, wait: float = 30.0) -> "Session":
        """A new WebDriver session: WebKitWebDriver starts `application`."""
        opts = {"browserName": "wry", "tauri:options": {"application": application}}
        # tauri-driver accepts connections before its WebKitWebDriver is listening;
        # a request that early is dropped without a response, so retry briefly.
        deadline = time.time() + 20
        while True:
            try:
                r = http(
                    "POST",
                    f"{self.base}/session",
                    {"capabilities": {"alwaysMatch": opts}, "desiredCapabilities": opts},
                    attempts=1,
                )
                break
            except (ConnectionError, urllib.error.URLError) as e:
                if time.time() > deadline:
                    raise Dropped(f"no WebDriver session ({e!r})") from e
                time.sleep(0.5)
        value = r.get("value", {})
        sid = value.get("sessionId") or r.get("sessionId")
        if not sid:
            fail(f"no WebDriver session: {r}")
        return Session(f"{self.base}/session/{sid}", wait, application)


# Run before a screenshot: see the file (one copy, shared with tests/e2e/).
REPAINT_SOON = (Path(__file__).resolve().parent / "repaint-soon.js").read_text()


class Session:
    def __init__(self, url: str, wait: float, application: str = ""):
        self.url = url
        self.wait_secs = wait
        self.application = application

    def js(self, expr: str):
        body = {"script": f"return ({expr});", "args": []}
        return http("POST", f"{self.url}/execute/sync", body).get("value")

    def run_async(self, script: str, *args):
        """An asynchronous script (WebDriver "execute async"): `script` is a function body
        that gets `args` as `arguments[0..]` and reports its result by calling the last
        argument; the call returns that result."""
        body = {"script": script, "args": list(args)}
        return http("POST", f"{self.url}/execute/async", body).get("value")

    def wait(self, what: str, expr: str) -> None:
        deadline = time.time() + self.wait_secs
        while not self.js(f"!!({expr})"):
            if time.time() > deadline:
                self.screenshot("webdriver-failure")
                fail(f"timed out waiting until {what} ({expr}); see target/screenshots/")
            time.sleep(0.1)

    def fill(self, css: str, value: str) -> None:
        """Set a form field the way typing does (value + an input event)."""
        self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(css)});"
            f" e.value = {json.dumps(value)};"
            " e.dispatchEvent(new Event('input', {bubbles: true})); return true; })()"
        )

    def click(self, css: str) -> None:
        self.js(f"(document.querySelector({json.dumps(css)}).click(), true)")

    def screenshot(self, name: str) -> None:
        """target/screenshots/NAME.png, after tools/repaint-soon.js (without GPU compositing
        WebKitGTK answers a screenshot only after its next paint)."""
        self.js(REPAINT_SOON)
        png = http("GET", f"{self.url}/screenshot").get("value")
        if png:
            out = ROOT / "target" / "screenshots"
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.png").write_bytes(base64.b64decode(png))

    def close(self) -> None:
        """End the session and wait (up to 15 s) until the app has exited: the app
        is single-instance, so a launch while the previous one is still exiting
        would hand over to it and exit at once."""
        http("DELETE", self.url)
        if not self.application:
            return
        deadline = time.time() + 15
        while time.time() < deadline:
            running = subprocess.run(
                ["pgrep", "-f", "-x", f"{self.application}( .*)?"], capture_output=True
            )
            if running.returncode != 0:
                return
            time.sleep(0.1)
