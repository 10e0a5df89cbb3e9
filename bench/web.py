"""Benchmark: autosave and questionnaire page latency under gunicorn on PostgreSQL.

Usage: .venv/bin/python bench/web.py [--editors 20] [--saves 40] [--pages 10] [--workers 2]

What it does, end to end (everything it starts, it stops; everything runs on loopback):
1. creates a scratch PostgreSQL database with the production roles (owner, app, system; the
   helpers of tests/databases.py) — a server must answer on CHAINGAUGE_TEST_DATABASE_URL or
   postgresql://postgres@127.0.0.1:5432/postgres;
2. migrates it and loads the demo (``flask demo load``);
3. starts ``gunicorn -w 2 'app:create_app()'`` on a free loopback port;
4. signs in one demo owner per enterprise (20 by default), each editing its own 2026 draft;
5. phase 1: the editors save one answer at a time, concurrently, each pausing about
   ``--think`` seconds between saves as a person filling in a form does (JSON POST with
   X-CSRFToken, body {key, value, state, version}) — p95 target ≤ 50 ms;
6. phase 2: the editors load a questionnaire page, concurrently — p95 target ≤ 150 ms;
7. prints the figures, stops gunicorn and drops the database.

Requests are bounded in number (editors × saves, editors × pages) and in time (a deadline per
phase and a timeout per request). The load generator is one Python process with a thread per
editor, so its own overhead is included in the figures (they are upper bounds).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.databases import admin_url, postgres_database  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SAVE_KEY = "units_sold"  # a lean-page input with no total above it: any amount is valid
PAGE = "lean"
REQUEST_TIMEOUT = 10
PHASE_DEADLINE = 120


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(database: Any) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "CHAINGAUGE_ENV": "production",
        "CHAINGAUGE_SECRET_KEY": secrets.token_hex(32),
        "CHAINGAUGE_SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
        "CHAINGAUGE_DATABASE_URL": database.app_url,
        "CHAINGAUGE_MIGRATION_DATABASE_URL": database.owner_url,
        "CHAINGAUGE_DATABASE_SYSTEM_ROLE": database.system_role,
        "CHAINGAUGE_LOGIN_LIMIT_PER_IP": "1000 per minute",
        "CHAINGAUGE_MAIL_BACKEND": "console",
    })
    return env


def _flask(env: dict[str, str], *args: str) -> str:
    run = subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", *args], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    if run.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{run.stderr[-3000:]}")
    return run.stdout


def _drafts(database: Any, editors: int) -> list[tuple[str, str, str]]:
    """(owner e-mail, tenant slug, 2026 assessment id) of the first ``editors`` members."""
    dbname = database.app_url.rsplit("/", 1)[1]
    info = psycopg.conninfo.conninfo_to_dict(admin_url())
    with psycopg.connect(host=info.get("host", "127.0.0.1"), port=info.get("port", "5432"),
                         user=info.get("user", "postgres"), dbname=dbname) as conn:
        rows = conn.execute(
            "SELECT u.email, t.slug, a.id FROM assessment a JOIN tenant t ON t.id = a.tenant_id"
            " JOIN membership m ON m.tenant_id = t.id AND m.role = 'owner'"
            " JOIN app_user u ON u.id = m.user_id"
            " WHERE a.year = 2026 AND t.slug LIKE 'demo-m%%' ORDER BY t.slug LIMIT %s",
            (editors,)).fetchall()
    return [(email, slug, str(assessment_id)) for email, slug, assessment_id in rows]


class Editor:
    def __init__(self, base: str, email: str, slug: str, assessment_id: str,
                 password: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.page_url = f"{base}/t/{slug}/assessments/{assessment_id}/pages/{PAGE}"
        self.save_url = f"{base}/t/{slug}/assessments/{assessment_id}/answers"
        self.version: int | None = None
        self.csrf = ""
        login = self.http.get(f"{base}/login", timeout=REQUEST_TIMEOUT)
        token = CSRF.search(login.text)
        assert token, "no CSRF token on /login"
        signed_in = self.http.post(f"{base}/login", timeout=REQUEST_TIMEOUT, data={
            "email": email, "password": password, "csrf_token": token.group(1)},
            allow_redirects=False)
        assert signed_in.status_code in (302, 303), f"sign-in of {email}: {signed_in.status_code}"

    def load_page(self) -> float:
        started = time.perf_counter()
        response = self.http.get(self.page_url, timeout=REQUEST_TIMEOUT)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, f"page: {response.status_code}"
        token = CSRF.search(response.text)
        if token:
            self.csrf = token.group(1)
        return elapsed

    def save(self, value: int) -> float:
        started = time.perf_counter()
        response = self.http.post(self.save_url, timeout=REQUEST_TIMEOUT,
                                  json={"key": SAVE_KEY, "value": value, "state": "answered",
                                        "version": self.version},
                                  headers={"X-CSRFToken": self.csrf,
                                           "Referer": self.page_url})
        elapsed = time.perf_counter() - started
        body = response.json()
        if response.status_code == 409 and body.get("current"):
            self.version = body["current"].get("version")  # learn the version, count it too
        else:
            assert response.status_code == 200, f"save: {response.status_code} {body}"
            self.version = body["version"]
        return elapsed


def _phase(editors: list[Editor], each: int, work: Callable[[Editor, int], float],
           think: float) -> tuple[list[float], float]:
    deadline = time.monotonic() + PHASE_DEADLINE

    def run(editor: Editor) -> list[float]:
        pause = random.Random(editor.save_url)
        times = []
        time.sleep(pause.uniform(0, think))  # editors do not start in lockstep
        for n in range(each):
            if time.monotonic() > deadline:
                break
            times.append(work(editor, n))
            time.sleep(pause.uniform(0.5 * think, 1.5 * think))
        return times

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(editors)) as pool:
        results = list(pool.map(run, editors))
    wall = time.perf_counter() - started
    return [t for times in results for t in times], wall


def _report(name: str, times: list[float], wall: float, target_ms: float) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    verdict = "OK" if p95 <= target_ms else "OVER TARGET"
    print(f"{name}: n={len(ms)}  p50={statistics.median(ms):.1f} ms  p95={p95:.1f} ms  "
          f"max={ms[-1]:.1f} ms  throughput={len(ms) / wall:.0f}/s  "
          f"(target p95 ≤ {target_ms:.0f} ms: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--saves", type=int, default=40, help="saves per editor")
    parser.add_argument("--pages", type=int, default=10, help="page loads per editor")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds an editor pauses between requests (0: flat out)")
    args = parser.parse_args()
    databases = cast(Generator[Any, None, None], postgres_database())
    database = next(databases)
    server: subprocess.Popen[bytes] | None = None
    try:
        env = _environment(database)
        started = time.perf_counter()
        _flask(env, "db", "upgrade")
        _flask(env, "demo", "load")
        print(f"database migrated and demo loaded in {time.perf_counter() - started:.1f} s")
        password = "chaingauge-demo"
        drafts = _drafts(database, args.editors)
        port = _free_port()
        log = open(ROOT / "instance" / "bench-web-gunicorn.log", "wb")  # noqa: SIM115
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-w", str(args.workers), "-b",
             f"127.0.0.1:{port}", "app:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):  # the workers import the whole app first: allow a minute
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        else:
            raise SystemExit("gunicorn did not answer /healthz")
        editors = [Editor(base, email, slug, aid, password) for email, slug, aid in drafts]
        print(f"gunicorn -w {args.workers} on {base}; {len(editors)} editors signed in")
        for editor in editors:  # warm both workers: framework, templates, connections
            editor.load_page()
            editor.save(1000)
        print(f"each editor pauses {args.think:g} s on average (0.5-1.5x) between requests")
        saves, wall = _phase(editors, args.saves, lambda e, n: e.save(5000 + n), args.think)
        _report(f"autosave, {len(editors)} concurrent editors", saves, wall, 50)
        pages, wall = _phase(editors, args.pages, lambda e, n: e.load_page(), args.think)
        _report(f"questionnaire page '{PAGE}', {len(editors)} concurrent", pages, wall, 150)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        databases.close()  # drops the scratch database


if __name__ == "__main__":
    main()
