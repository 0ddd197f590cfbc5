#!/usr/bin/env python3
"""schemathesis against a live finance-server (./dev schemathesis, part of ./dev test).

Usage: tools/schemathesis.py BASE_URL   (e.g. http://127.0.0.1:8737/api/v1)

Registers a fresh user and logs in, then runs `schemathesis run` on the server's
own document (BASE_URL/openapi.json) with every check and the examples, coverage,
fuzzing and stateful phases, twice: with the user's bearer token (log-out left out,
so the token stays valid for the whole run) and without any token. Settings that
are not flags live in tools/schemathesis.toml. SCHEMATHESIS_MAX_EXAMPLES (default
25) and SCHEMATHESIS_SEED (default 17) bound and fix the run; exit code: schemathesis'.
"""

import json
import os
import secrets
import subprocess
import sys
import urllib.request


def post(url, body):
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read() or b"null")


def main():
    base = sys.argv[1].rstrip("/")
    username = "schema" + secrets.token_hex(4)
    password = "schemathesis " + secrets.token_hex(8)
    post(f"{base}/auth/register", {
        "username": username, "password": password, "firstName": "Schema",
        "lastName": "Thesis", "email": f"{username}@example.net", "currency": "EUR",
    })
    token = post(f"{base}/auth/login", {"username": username, "password": password})["token"]
    here = os.path.dirname(os.path.abspath(__file__))
    tool = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    common = [
        tool, "--config-file", os.path.join(here, "schemathesis.toml"), "run", f"{base}/openapi.json",
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "25"),
        "--seed", os.environ.get("SCHEMATHESIS_SEED", "17"),
        "--workers", "1",
        "--generation-database", "none",
        "--no-color",
    ]
    status = 0
    print("==> schemathesis, authenticated (bearer token of a fresh user)", flush=True)
    status |= subprocess.call(
        common + ["-H", f"Authorization: Bearer {token}", "--exclude-operation-id", "logout"]
    )
    print("==> schemathesis, unauthenticated", flush=True)
    status |= subprocess.call(common)
    return status


if __name__ == "__main__":
    sys.exit(main())
