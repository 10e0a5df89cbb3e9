"""Proof on more than one node (issue 17, item 5), with real operating-system processes.

Two app processes (gunicorn, on two ports), two job workers (``flask --app app jobs
worker``), one PostgreSQL database (migrated by the owner; every process connects as the app
role, under row-level security), one Redis database (a queue name of its own) and one
S3-compatible object store (moto's standalone server). The test, as the users' browsers
would, over HTTP with real sessions and CSRF tokens:

1. finalises assessments of three member enterprises, alternating between the two apps;
2. starts a bulk report run of the association on one app;
3. while two more enterprises finalise on the two apps, and once the run has stored a
   member's report, kills (SIGKILL, its whole process group: a lost machine) the worker
   that holds the run;
4. shows that the surviving worker takes the run over and that every report is produced
   exactly once (one stored PDF per member, one ZIP, one job row that counts every member),
   that the ZIP downloads the same from either app (a session made on one app works on the
   other: no sticky sessions), and that no benchmark refresh is lost (no stale mark left,
   no claim held, the snapshot counts every finalised assessment).

Every process is started in its own session and killed with its group at the end, pass or
fail. Leases are shortened to seconds so that the take-over happens within the test.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import socket
import subprocess
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
import requests

from tests import databases
from tests.conftest import ON_CI
from tests.databases import admin_url, postgres_answers, postgres_database

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
# Database 9: the Redis tests flush 15, 14, ... (one per parallel test process); the queue
# name is this run's own as well, and its keys are deleted at the end.
REDIS_URL = "redis://127.0.0.1:6379/9"
SECRET = "two-nodes-test-secret-key-long-enough-for-production"
LEASE_SECONDS = 3  # bulk runs and refresh claims: a dead worker is taken over after this
YEAR = 2024
MEMBERS = 3  # the run is killed after the first member's report
LATE = 2  # enterprises that finalise while the worker dies (not association members)

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(240)]

if not postgres_answers():
    if ON_CI:
        raise pytest.UsageError("CI=true requires PostgreSQL for tests/integration/"
                                "test_two_nodes.py")
    pytest.skip("no PostgreSQL server answers", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Processes:
    """OS processes, each the leader of its own process group (its render children die with
    it); every one is killed at the end."""

    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        log.close()
        self.running[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.running[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3  # nothing to save: the database is dropped next
        for process in self.running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            # The group too: a render child that outlived its worker.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.25) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# -- the shared parts: database, object store, queue ---------------------------------------
@pytest.fixture
def node_database() -> Iterator[databases.TestDatabase]:
    yield from postgres_database()  # a database of its own, dropped at the end


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    running = Processes(tmp_path)
    try:
        yield running
    finally:
        running.stop_all()
        for name in running.running:  # shown by pytest when the test failed
            print(f"--- {name} ---\n{running.tail(name)}")


@pytest.fixture
def queue_name() -> Iterator[str]:
    name = f"twonodes{uuid.uuid4().hex[:10]}"  # letters and digits: Huey keeps it as is
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # CI provides Redis; a missing server fails loudly, never skips
    try:
        yield name
    finally:
        keys = list(client.scan_iter(f"huey.*.{name}"))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def seeding_app(node_database: databases.TestDatabase, tmp_path: Path) -> Iterator[Any]:
    """This process's own app on the test database: migrates it and builds the data through
    the services (jobs in-process; the processes under test have their own). The module-level
    job state is put back afterwards for the other tests."""
    from app import create_app
    from tenants import jobs
    from tenants.cli import upgrade
    from tenants.extensions import db

    saved = (dict(jobs._flask_app), jobs.huey.storage_class, dict(jobs.huey.storage_kwargs),
             jobs.huey.immediate, jobs.huey.name)
    application = create_app({
        "ENV": "testing", "TESTING": True, "SECRET_KEY": SECRET,
        "DATABASE_URL": node_database.app_url, "MIGRATION_DATABASE_URL": node_database.owner_url,
        "MAIL_BACKEND": "file", "MAIL_FILE_DIR": str(tmp_path / "seed-mail"),
        "LOG_JSON": False, "REDIS_URL": None,
    })
    try:
        started = time.monotonic()
        upgrade(application)
        print(f"migrated in {time.monotonic() - started:.1f} s")
        yield application
    finally:
        db.engine_for(application).dispose()
        jobs._flask_app.clear()
        jobs._flask_app.update(saved[0])
        (jobs.huey.storage_class, jobs.huey.storage_kwargs, jobs.huey.immediate,
         jobs.huey.name) = saved[1], saved[2], saved[3], saved[4]


@dataclass
class Enterprise:
    slug: str
    tenant_id: uuid.UUID
    assessment_id: uuid.UUID
    version: int
    email: str


def seed(app: Any) -> tuple[Enterprise, list[Enterprise], list[Enterprise]]:
    """The association (its owner) and its members, each with a submitted assessment whose
    link grants the association their reports; and enterprises of no association."""
    from tenants.models import LinkGrant, TenantKind
    from tests.factories import assessments, make_link, make_tenant, owner_of

    def enterprise(linked_to: Any | None) -> Enterprise:
        tenant = make_tenant(app, TenantKind.enterprise)
        assessment = assessments.make_assessment(app, tenant, YEAR, submit=True)
        if linked_to is not None:
            make_link(app, linked_to, tenant, grants=[LinkGrant.scores, LinkGrant.reports])
        return Enterprise(tenant.slug, tenant.id, assessment.id, assessment.version,
                          owner_of(app, tenant).email)

    association = make_tenant(app, TenantKind.association)
    owner = Enterprise(association.slug, association.id, uuid.uuid4(), 0,
                       owner_of(app, association).email)
    members = [enterprise(association) for _ in range(MEMBERS)]
    late = [enterprise(None) for _ in range(LATE)]
    return owner, members, late


# -- a browser ---------------------------------------------------------------------------
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def token_on(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, (url, page.status_code)
    match = _CSRF.search(page.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def signed_in(base: str, email: str) -> requests.Session:
    from tests.factories import PASSWORD

    browser = requests.Session()
    token = token_on(browser, f"{base}/login")
    response = browser.post(f"{base}/login", data={
        "email": email, "password": PASSWORD, "csrf_token": token}, allow_redirects=False,
        timeout=30)
    assert response.status_code in (302, 303), (response.status_code, response.text[:300])
    return browser


def finalise(base: str, enterprise: Enterprise) -> None:
    browser = signed_in(base, enterprise.email)
    page = f"{base}/t/{enterprise.slug}/assessments/{enterprise.assessment_id}/review"
    token = token_on(browser, page)
    response = browser.post(f"{page}/finalise", data={
        "csrf_token": token, "confirm": "yes", "expected_version": enterprise.version,
        "benchmark_opt_in": "y"}, allow_redirects=False, timeout=30)
    assert response.status_code == 303, (base, response.status_code, response.text[:500])
    assert response.headers["Location"].endswith("/results")


# -- the proof ---------------------------------------------------------------------------
def test_two_apps_and_two_workers_survive_a_killed_worker(
        node_database: databases.TestDatabase, seeding_app: Any, processes: Processes,
        queue_name: str, tmp_path: Path) -> None:
    import boto3

    began = time.monotonic()

    def phase(what: str) -> None:  # shown with the logs when the test fails
        print(f"{time.monotonic() - began:6.1f} s  {what}")

    # The object store: moto's standalone server, a process of its own.
    s3_port = _free_port()
    processes.start("s3", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)],
                    dict(os.environ))
    s3_url = f"http://127.0.0.1:{s3_port}"
    credentials = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret",
                   "AWS_DEFAULT_REGION": "us-east-1"}
    s3 = boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1",
                      aws_access_key_id="test-key", aws_secret_access_key="test-secret")
    bucket = f"chaingauge-nodes-{uuid.uuid4().hex[:8]}"
    wait_for("the object store", lambda: _answers(s3_url), timeout=30)
    s3.create_bucket(Bucket=bucket)

    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CHAINGAUGE_")},
        **credentials,
        "CHAINGAUGE_ENV": "development",  # plain HTTP cookies on 127.0.0.1
        "CHAINGAUGE_SECRET_KEY": SECRET,
        "CHAINGAUGE_DATABASE_URL": node_database.app_url,
        "CHAINGAUGE_MIGRATION_DATABASE_URL": node_database.owner_url,
        "CHAINGAUGE_REDIS_URL": REDIS_URL,
        "CHAINGAUGE_JOBS_QUEUE_NAME": queue_name,
        "CHAINGAUGE_FILE_STORAGE": "s3",
        "CHAINGAUGE_S3_BUCKET": bucket,
        "CHAINGAUGE_S3_ENDPOINT_URL": s3_url,
        "CHAINGAUGE_S3_REGION": "us-east-1",
        "CHAINGAUGE_MAIL_BACKEND": "file",
        "CHAINGAUGE_MAIL_FILE_DIR": str(tmp_path / "mail"),
        "CHAINGAUGE_LOG_JSON": "false",
        "CHAINGAUGE_BULK_REPORT_LEASE_SECONDS": str(LEASE_SECONDS),
        "CHAINGAUGE_BENCHMARK_REFRESH_LEASE_SECONDS": str(LEASE_SECONDS),
        "CHAINGAUGE_REPORT_WORKERS": "1",
    }
    apps = []
    for n in (1, 2):
        port = _free_port()
        processes.start(f"app{n}", [str(BIN / "gunicorn"), "--workers", "1", "--threads", "4",
                                    "--bind", f"127.0.0.1:{port}", "app:create_app()"],
                        environment)
        apps.append(f"http://127.0.0.1:{port}")
    workers = {f"worker{n}": processes.start(
        f"worker{n}", [str(BIN / "flask"), "--app", "app", "jobs", "worker", "--workers", "2"],
        environment) for n in (1, 2)}

    association, members, late = seed(seeding_app)  # while the processes start
    phase("data seeded")
    for base in apps:
        wait_for(f"{base} to serve", lambda base=base: _answers(f"{base}/login"), timeout=60)
    phase("both apps serve")

    inspect = psycopg.connect(_superuser_url(node_database), autocommit=True)  # no RLS: a view
    try:
        # 1. Finalisations through both apps.
        for n, enterprise in enumerate(members):
            finalise(apps[n % 2], enterprise)

        phase("members finalised")
        # 2. The bulk run, started on the first app.
        owner = signed_in(apps[0], association.email)
        reports = f"/t/{association.slug}/reports"
        token = token_on(owner, f"{apps[0]}{reports}/cohort")
        started = owner.post(f"{apps[0]}{reports}/bulk", data={
            "csrf_token": token, "year": YEAR, "lang": "en"}, allow_redirects=False, timeout=30)
        assert started.status_code in (302, 303), started.text[:500]
        job_id = uuid.UUID(started.headers["Location"].rsplit("/", 1)[1])
        for n, enterprise in enumerate(late):  # traffic while the run goes on: refreshes
            finalise(apps[n % 2], enterprise)

        # 3. Once a member's report is stored, kill the worker that holds the run.
        def running() -> tuple[str, int] | None:
            row = inspect.execute("SELECT claimed_by, done FROM bulk_report_job WHERE id = %s",
                                  (job_id,)).fetchone()
            return (row[0], row[1]) if row and row[0] and row[1] >= 1 else None

        claimed_by, done_before = wait_for("the bulk run to store a report", running,
                                           timeout=60)
        holder = next(name for name, process in workers.items()
                      if claimed_by.split(":")[1] == str(process.pid))
        processes.kill(holder)
        phase(f"{holder} killed after {done_before} of {MEMBERS} reports")
        assert done_before < MEMBERS, "the run finished before its worker was killed"

        # 4. The other worker takes the run over; the association follows it on the other app.
        other = requests.Session()
        other.cookies.update(owner.cookies)  # the same browser, load-balanced elsewhere

        def finished() -> dict[str, Any] | None:
            progress = other.get(f"{apps[1]}{reports}/bulk/{job_id}.json", timeout=30)
            assert progress.status_code == 200
            state = progress.json()
            assert state["status"] in ("queued", "running", "done"), state
            return state if state["status"] == "done" else None

        state = wait_for("the surviving worker to finish the run", finished, timeout=60,
                         every=0.5)
        assert (state["done"], state["total"], state["skipped"]) == (MEMBERS, MEMBERS, 0)
        phase("the run finished on the other worker")

        # One job row, claimed twice (the killed run and the take-over), finished once.
        rows = inspect.execute(
            "SELECT status, done, total, skipped, attempts, claimed_by, zip_path "
            "FROM bulk_report_job").fetchall()
        assert rows == [("done", MEMBERS, MEMBERS, 0, 2, None,
                         f"{association.tenant_id}/{job_id.hex}.zip")]

        # Every report stored exactly once: one PDF per member (cached under the issuer, by
        # the hash of its content), one ZIP, nothing else (no render state left behind).
        keys = [item["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix="reports/") for item in page.get("Contents", [])]
        assert all(key.startswith(f"reports/{association.tenant_id}/") for key in keys), keys
        pdfs = [key for key in keys if key.endswith(".pdf")]
        assert len(pdfs) == MEMBERS
        assert sorted(set(keys) - set(pdfs)) == [
            f"reports/{association.tenant_id}/{job_id.hex}.zip"]

        # The ZIP downloads the same from either app and holds each stored PDF once.
        downloads = []
        for base, browser in ((apps[0], owner), (apps[1], other)):
            response = browser.get(f"{base}{reports}/bulk/{job_id}.zip", timeout=30)
            assert response.status_code == 200
            assert response.headers["Content-Type"] == "application/zip"
            downloads.append(response.content)
        assert downloads[0] == downloads[1]
        with zipfile.ZipFile(io.BytesIO(downloads[0])) as archive:
            names = archive.namelist()
            assert len(names) == len(set(names)) == MEMBERS
            in_zip = sorted(archive.read(name) for name in names)
        stored = sorted(s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in pdfs)
        assert in_zip == stored and all(pdf.startswith(b"%PDF") for pdf in stored)

        # No refresh lost: every mark drained, no claim left, every finalisation counted.
        def fresh() -> bool:
            marks = inspect.execute("SELECT count(*) FROM benchmark_stale_mark").fetchone()
            held = inspect.execute("SELECT count(*) FROM benchmark_refresh "
                                   "WHERE claimed_by IS NOT NULL").fetchone()
            return bool(marks and held and marks[0] == 0 and held[0] == 0)

        wait_for("every stale mark to be drained", fresh, timeout=30)
        phase("every refresh done")
        counted = inspect.execute(
            "SELECT n FROM benchmark_snapshot WHERE pool_key = 'platform' AND year = %s "
            "AND cohort_key = 'all' AND code = '*'", (YEAR,)).fetchall()
        assert counted == [(MEMBERS + LATE,)]
        # The survivor said it took the run over; the killed worker is gone.
        survivor = next(name for name in workers if name != holder)
        assert "taking it over" in (tmp_path / f"{survivor}.log").read_text(errors="replace")
        assert workers[holder].poll() is not None
    finally:
        inspect.close()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def _superuser_url(database: databases.TestDatabase) -> str:
    """The administrator's connection to the test database (it sees through RLS)."""
    name = database.app_url.rsplit("/", 1)[1]
    info = psycopg.conninfo.conninfo_to_dict(admin_url())
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**info)
