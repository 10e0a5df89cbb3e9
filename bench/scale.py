"""Benchmark at national scale: 500,000 finalised assessments and a 3,000-member association
on PostgreSQL.

Usage: .venv/bin/python bench/scale.py [--n 500000] [--members 3000] [--runs 5]
                                       [--reseed] [--drop] [--explain] [--duckdb]
                                       [--skip refresh,cohort,dashboard,burst]

The database (``chaingauge_bench_scale``) is kept between runs and reused when it holds the
same seed (``bench_seed``): seeding 500,000 assessments (19 million result figures) takes
minutes, and it is done in SQL (``generate_series``, indexes built after the load). The same
roles as the tests: an owner that migrates, the app role that queries under row-level
security. ``--drop`` drops it at the end.

Prints min / median / max over ``--runs`` repeats of:

- the refresh after one finalisation (the division, group and all-manufacturing cohorts of
  the finalised enterprise, through the same drain the job runs);
- cohort statistics (every code, the SQL path, the app role in its system scope);
- the association dashboard's member page (50 rows) through the test client: p95 of 20
  requests over different pages, sorts and filters;
- 100 finalisations arriving at 10 per second from 4 threads (marks and queued refresh jobs,
  as the finalisation writes them), drained by 2 worker threads, and the time from the last
  finalisation until no cohort is stale.

``--duckdb`` (needs the ``bench`` extra: ``pip install -e '.[bench]'``) also computes the
all-manufacturing cohort's percentiles of every code in DuckDB over the same rows (exported
with COPY, then Parquet) and prints them beside PostgreSQL's refresh statement.

Targets: cohort <= 300 ms; dashboard page p95 <= 200 ms; one refresh <= 5 s; all fresh
<= 60 s after the last finalisation. Needs PostgreSQL on 127.0.0.1:5432 (or
``CHAINGAUGE_TEST_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql

from tests.databases import APP_ROLE, BYPASS_ROLE, OWNER_ROLE, _ensure_role, admin_url

NAME = "chaingauge_bench_scale"
YEAR = 2025

GENERATE = """
SELECT setseed(0.42);
CREATE TEMP TABLE bench_enterprise AS
SELECT gen_random_uuid() AS tenant_id, gen_random_uuid() AS assessment_id, i,
       d.code AS division, d.grp AS industry_group,
       (ARRAY['large','medium','small','micro'])[1 + i %% 4] AS size_class,
       (%(provinces)s::text[])[1 + (i * 7) %% %(province_count)s] AS province,
       random() < 0.8 AS opt_in
FROM generate_series(0, %(n)s - 1) AS i
JOIN (SELECT * FROM unnest(%(divisions)s::text[], %(groups)s::text[]) WITH ORDINALITY
      AS x(code, grp, k)) AS d ON d.k = 1 + i %% %(division_count)s;
INSERT INTO tenant (id, kind, name, slug, locale, plan, created_at)
SELECT tenant_id, 'enterprise', '企业 ' || i, 'bench-' || i, 'zh_CN', 'free', now()
FROM bench_enterprise;
INSERT INTO enterprise_profile (tenant_id, id, legal_name, credit_code, industry_division,
    employees, revenue_wan, size_class, province, export_oriented, chain_leader,
    benchmark_opt_in, version, updated_at)
SELECT tenant_id, gen_random_uuid(), '企业 ' || i, lpad(i::text, 18, '0'), division, 500,
       5000, size_class, province, false, false, opt_in, 1, now()
FROM bench_enterprise;
INSERT INTO assessment (tenant_id, id, year, framework_id, framework_version, state,
    revision, version, created_at, updated_at, submitted_at, finalised_at)
SELECT tenant_id, assessment_id, %(year)s, 'scm-2024', '1', 'finalised', 1, 3, now(), now(),
       now(), now()
FROM bench_enterprise;
INSERT INTO result_figure (tenant_id, id, assessment_id, revision, year, code, kind, status,
    value, score, level, industry_division, industry_group, size_class, province, current,
    opted_in)
SELECT e.tenant_id, gen_random_uuid(), e.assessment_id, 1, %(year)s, c.code, c.kind,
       CASE WHEN r.missing THEN 'missing' ELSE 'ok' END,
       CASE WHEN r.missing OR c.kind <> 'indicator' THEN NULL ELSE r.x * 3 END,
       CASE WHEN r.missing THEN NULL ELSE round((r.x * 100)::numeric, 1)::float8 END,
       CASE WHEN r.missing THEN NULL ELSE 1 + floor(r.x * 5)::int END,
       e.division, e.industry_group, e.size_class, e.province, true, e.opt_in
FROM bench_enterprise AS e
CROSS JOIN unnest(%(codes)s::text[], %(kinds)s::text[]) AS c(code, kind)
CROSS JOIN LATERAL (SELECT random() AS x, random() < 0.05 AS missing
                    WHERE e.i IS NOT NULL AND c.code IS NOT NULL) AS r;
INSERT INTO tenant (id, kind, name, slug, locale, plan, created_at)
VALUES (gen_random_uuid(), 'association', '基准测试协会', 'bench-association', 'zh_CN',
        'association', now());
INSERT INTO tenant_link (id, source_tenant_id, target_tenant_id, kind, status, grants,
    may_be_named, created_at, responded_at)
SELECT gen_random_uuid(), (SELECT id FROM tenant WHERE slug = 'bench-association'),
       e.tenant_id, 'association_member', 'accepted', '["scores", "reports"]'::json,
       e.i %% 3 <> 0, now(), now()
FROM bench_enterprise AS e WHERE e.i < %(members)s;
CREATE TABLE bench_seed (n integer NOT NULL, members integer NOT NULL, year integer NOT NULL,
                         seconds float8 NOT NULL);
"""


def _conninfo(**overrides: Any) -> dict[str, Any]:
    info = dict(psycopg.conninfo.conninfo_to_dict(admin_url()))
    info.update(overrides)
    return info


def _urls() -> tuple[str, str]:
    info = _conninfo()
    host, port = info.get("host", "127.0.0.1"), info.get("port", "5432")
    return (f"postgresql+psycopg://{APP_ROLE}@{host}:{port}/{NAME}",
            f"postgresql+psycopg://{OWNER_ROLE}@{host}:{port}/{NAME}")


def seeded(n: int, members: int) -> bool:
    try:
        with psycopg.connect(**_conninfo(dbname=NAME)) as conn:
            row = conn.execute("SELECT n, members, year FROM bench_seed").fetchone()
    except psycopg.Error:
        return False
    return row == (n, members, YEAR)


def create_database() -> None:
    with psycopg.connect(admin_url(), autocommit=True) as conn, conn.cursor() as cur:
        _ensure_role(cur, OWNER_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS")
        _ensure_role(cur, BYPASS_ROLE, "NOLOGIN NOSUPERUSER BYPASSRLS")
        _ensure_role(cur, APP_ROLE, "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(NAME)))
        cur.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(NAME),
                                                                   sql.Identifier(OWNER_ROLE)))
    with psycopg.connect(**_conninfo(dbname=NAME), autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(OWNER_ROLE)))


def drop_database() -> None:
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(NAME)))


def generate(n: int, members: int) -> float:
    from assessment.profiles.rules import provinces
    from indicators import load_framework
    from indicators.catalogue.industries import list_divisions

    framework = load_framework()
    codes, kinds = ["overall"], ["overall"]
    for dimension in framework.dimensions:
        codes.append(dimension.code)
        kinds.append("dimension")
        for indicator in dimension.indicators:
            codes.append(indicator.code)
            kinds.append("indicator")
    divisions = list_divisions()
    province_codes = [p.code for p in provinces()]
    params = {
        "n": n, "year": YEAR, "codes": codes, "kinds": kinds, "members": members,
        "divisions": [d.code for d in divisions], "groups": [d.group.code for d in divisions],
        "division_count": len(divisions), "provinces": province_codes,
        "province_count": len(province_codes),
    }
    started = time.perf_counter()
    # As the superuser: it bypasses row-level security, which the owner does not.
    with psycopg.connect(**_conninfo(dbname=NAME), autocommit=True) as conn:
        with conn.transaction():
            # Generated keys are consistent by construction: skip the per-row foreign-key
            # triggers (superuser only), which otherwise take most of the load time.
            conn.execute("SET LOCAL session_replication_role = replica")
            conn.execute("SET LOCAL maintenance_work_mem = '1GB'")
            conn.execute("SET LOCAL synchronous_commit = off")
            # Building the figures' secondary indexes after the load is several times faster
            # than maintaining them row by row.
            indexes = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'result_figure' "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
            for name, _ in indexes:
                conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
            for statement in GENERATE.split(";\n"):
                if statement.strip():
                    conn.execute(statement, params)  # type: ignore[arg-type]
                    print(f"  {time.perf_counter() - started:7.1f} s  "
                          f"{statement.strip().splitlines()[0][:60]}", flush=True)
            for _, definition in indexes:
                conn.execute(definition)
            print(f"  {time.perf_counter() - started:7.1f} s  indexes", flush=True)
            seconds = time.perf_counter() - started
            conn.execute("INSERT INTO bench_seed VALUES (%s, %s, %s, %s)",
                         (n, members, YEAR, seconds))
            # owned like every other table, so that later migrations' grants pass over it
            conn.execute(sql.SQL("ALTER TABLE bench_seed OWNER TO {}").format(
                sql.Identifier(OWNER_ROLE)))
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def make_app() -> Any:
    from app import create_app

    app_url, owner_url = _urls()
    return create_app({
        "ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-check",
        "DATABASE_URL": app_url, "MIGRATION_DATABASE_URL": owner_url,
        "LOG_JSON": False, "REDIS_URL": None, "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": tempfile.mkdtemp(prefix="chaingauge-bench-mail-"),
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
    })


def summary(label: str, times: list[float], target: str) -> str:
    return (f"{label:<44} min {min(times):8.1f}  median {statistics.median(times):8.1f}  "
            f"max {max(times):8.1f} ms   (target {target})")


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# -- measurements ----------------------------------------------------------------------------
def cohort_times(app: Any, runs: int, industry: str, explain: bool,
                 default: bool = False) -> list[float]:
    from assessment.benchmarks.pools import PlatformPool
    from assessment.benchmarks.services import cohort_statistics
    from tenants.extensions import db

    times = []
    with app.test_request_context():
        def run() -> Any:
            try:
                if default:  # the pages' call: the exact snapshot while nothing is marked
                    return cohort_statistics(PlatformPool(), YEAR, industry)
                return cohort_statistics(PlatformPool(), YEAR, industry, method="sql",
                                         use_snapshot=False)
            finally:
                db.rollback()

        result = run()  # warm-up: connection, plan cache
        if explain:
            explain_call(db, run)
        for _ in range(runs):
            started = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - started) * 1000)
    print(f"  cohort {result.cohort.key}: {result.enterprises:,} enterprises, "
          f"source {result.source}")
    return times


def explain_call(db: Any, call: Callable[[], Any]) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of each SELECT that ``call`` runs."""
    from sqlalchemy import event

    from tenants.context import system_scope

    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "set_config" not in statement \
                and "app_set_scope" not in statement:
            captured.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    for statement, parameters in captured:
        with system_scope(db.session, "bench: explain"):
            raw = db.session.connection().connection.driver_connection
            with raw.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                print("\n".join(row[0] for row in cursor.fetchall()), "\n")
        db.rollback()


def refresh_times(app: Any, runs: int, industry: str) -> list[float]:
    """One finalisation's marks (the three cohorts of ``industry``), then the drain."""
    from assessment.benchmarks import refresh
    from tenants.extensions import db

    times = []
    with app.app_context():
        for _ in range(runs):
            touched = refresh.mark(YEAR, industry)
            db.commit()
            started = time.perf_counter()
            for ref in touched:
                refresh.drain(ref)
            times.append((time.perf_counter() - started) * 1000)
    return times


def burst(app: Any, industries: list[str], count: int = 100, rate: float = 10.0,
          workers: int = 2) -> tuple[float, float, int]:
    """``count`` finalisations' marks at ``rate`` per second (each queues its cohorts' jobs),
    drained by ``workers`` threads. Returns (seconds from the last finalisation until no
    cohort is stale, seconds of the whole burst, refreshes run)."""
    import queue

    from assessment.benchmarks import refresh
    from tenants.context import system_scope
    from tenants.extensions import db

    jobs: queue.Queue[Any] = queue.Queue()
    runs = [0]
    lock = threading.Lock()

    def worker() -> None:
        with app.app_context():
            while True:
                ref = jobs.get()
                if ref is None:
                    return
                done = refresh.drain(ref)
                with lock:
                    runs[0] += done

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    with app.app_context():
        for i in range(count):
            due = started + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            touched = refresh.mark(YEAR, industries[i % len(industries)])
            db.commit()
            for ref in touched:
                jobs.put(ref)
        last = time.perf_counter()
        for _ in threads:
            jobs.put(None)
        for thread in threads:
            thread.join()
        with system_scope(db.session, "bench: marks left"):
            left = refresh.pending()
        db.rollback()
    fresh = time.perf_counter()
    assert left == 0, f"{left} marks left"
    return fresh - last, fresh - started, runs[0]


def duckdb_side_by_side(app: Any, runs: int) -> None:
    """The platform pool's all-manufacturing percentiles (every code, scores and values) in
    PostgreSQL (the refresh's own statement) and in DuckDB over the same rows, exported with
    COPY into a Parquet file first (the time of each step is printed); checks that both
    agree."""
    try:
        import duckdb
    except ImportError:
        print("DuckDB comparison skipped: duckdb is not installed "
              "(.venv/bin/pip install -e '.[bench]')")
        return
    from assessment.benchmarks import queries, refresh
    from assessment.benchmarks.pools import PlatformPool
    from assessment.benchmarks.stats import PERCENTILES
    from tenants.context import system_scope
    from tenants.extensions import db

    cohort = refresh.cohort_of(YEAR, "all")
    folder = Path(tempfile.mkdtemp(prefix="chaingauge-bench-duckdb-"))
    csv_file, parquet = folder / "figures.csv", folder / "figures.parquet"
    with app.app_context():
        pg_times = []
        for _ in range(runs):
            with system_scope(db.session, "bench: PostgreSQL percentiles"):
                started = time.perf_counter()
                enterprises, found = queries.cohort_summary(PlatformPool(), cohort)
                pg_times.append((time.perf_counter() - started) * 1000)
            db.rollback()
        with system_scope(db.session, "bench: export for DuckDB"):
            raw = db.session.connection().connection.driver_connection
            started = time.perf_counter()
            with raw.cursor() as cursor, csv_file.open("wb") as out, cursor.copy(
                    "COPY (SELECT code, score, value FROM result_figure WHERE current "
                    "AND opted_in AND year = %s) TO STDOUT (FORMAT csv)", (YEAR,)) as copy:
                for chunk in copy:
                    out.write(chunk)
            exported = (time.perf_counter() - started) * 1000
        db.rollback()
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_file}', header=false, "
                "columns={'code': 'VARCHAR', 'score': 'DOUBLE', 'value': 'DOUBLE'})) "
                f"TO '{parquet}' (FORMAT parquet)")
    converted = (time.perf_counter() - started) * 1000
    fractions = ", ".join(str(p) for p in PERCENTILES.values())
    statement = (f"SELECT code, count(score), avg(score), quantile_cont(score, [{fractions}]), "
                 f"count(value), avg(value), quantile_cont(value, [{fractions}]) "
                 f"FROM read_parquet('{parquet}') GROUP BY code")
    duck_times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = con.execute(statement).fetchall()
        duck_times.append((time.perf_counter() - started) * 1000)
    for code, score_n, score_mean, score_q, value_n, value_mean, value_q in rows:
        ours = found[code]
        for theirs, n, mean, quantiles in ((ours[0], score_n, score_mean, score_q),
                                           (ours[1], value_n, value_mean, value_q)):
            if theirs is None:
                assert not n, code
                continue
            expected = [theirs.mean, *(getattr(theirs, k) for k in PERCENTILES)]
            assert n == theirs.n and all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in
                                         zip([mean, *quantiles], expected, strict=True)), code
    print(f"  all manufacturing: {enterprises:,} enterprises, {len(rows)} codes; "
          f"both engines agree to 1e-9")
    print(summary("percentiles, PostgreSQL (refresh statement)", pg_times, "<= 5000 ms"))
    print(summary("percentiles, DuckDB over Parquet", duck_times, "-"))
    print(f"  DuckDB's copy of the rows: COPY out of PostgreSQL {exported:.0f} ms, CSV to "
          f"Parquet {converted:.0f} ms ({parquet.stat().st_size / 1e6:.0f} MB), each time the "
          f"rows change")
    for path in (csv_file, parquet):
        path.unlink()
    folder.rmdir()


def signed_in_client(app: Any, slug: str) -> Any:
    """A browser signed in as the association's owner (created on first use)."""
    from sqlmodel import select

    from tenants.context import system_scope
    from tenants.extensions import db
    from tenants.models import Role, Tenant, User
    from tests import factories

    email = "bench.owner@example.com"
    with app.app_context():
        with system_scope(db.session, "bench: the association's owner"):
            user = db.session.exec(select(User).where(User.email == email)).first()
            tenant = db.session.exec(select(Tenant).where(Tenant.slug == slug)).one()
            db.session.expunge(tenant)
        db.rollback()
    if user is None:
        user = factories.make_user(app, email)
        factories.add_member(app, tenant, user, Role.owner)
    client = app.test_client()
    response = factories.sign_in(client, email)
    assert response.status_code in (302, 303), "sign-in failed"
    return client


def dashboard_times(app: Any, requests: int = 20) -> list[float]:
    """p95 of the members page over pages, sorts and filters, as a signed-in owner."""
    client = signed_in_client(app, "bench-association")
    urls = []
    sorts = ["name", "-overall", "overall", "division", "status"]
    for i in range(requests):
        query = f"?year={YEAR}&page={1 + (i * 7) % 60}&sort={sorts[i % len(sorts)]}"
        if i % 4 == 3:
            query += "&division=C36"
        urls.append(f"/t/bench-association/dashboard/{query}")
    client.get(urls[0])  # warm-up
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500_000)
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--industry", default="C36")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--duckdb", action="store_true",
                        help="also: the all-manufacturing percentiles in DuckDB beside "
                             "PostgreSQL (pip install -e '.[bench]')")
    parser.add_argument("--skip", default="", help="comma-separated: refresh,cohort,dashboard,"
                                                   "burst")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    import logging

    logging.getLogger("chaingauge").setLevel(logging.WARNING)
    print(f"load average before: {os.getloadavg()}")
    try:
        if args.reseed or not seeded(args.n, args.members):
            from tenants.cli import upgrade

            create_database()
            upgrade(make_app())
            seconds = generate(args.n, args.members)
            print(f"seeded {args.n:,} finalised assessments ({args.n * 38:,} result figures) "
                  f"and a {args.members:,}-member association in {seconds:.1f} s")
        else:
            from tenants.cli import upgrade

            print(f"reusing {NAME}: {args.n:,} assessments, {args.members:,} members")
            upgrade(make_app())  # new indexes of later migrations (built once, minutes)
        if args.seed_only:
            return 0
        app = make_app()
        if "refresh" not in skip:
            print(summary("refresh after one finalisation (3 cohorts)",
                          refresh_times(app, args.runs, args.industry), "<= 5000 ms"))
        if "cohort" not in skip:
            print(summary("cohort statistics, live SQL (division)", cohort_times(
                app, max(args.runs, 10), args.industry, args.explain), "<= 300 ms"))
            print(summary("cohort statistics, default (exact snapshot)", cohort_times(
                app, max(args.runs, 10), args.industry, args.explain, default=True),
                "<= 300 ms"))
        if "dashboard" not in skip:
            pages = [p95(dashboard_times(app)) for _ in range(args.runs)]
            print(summary("dashboard member page, p95 of 20", pages, "<= 200 ms"))
        if "burst" not in skip:
            from indicators.catalogue.industries import list_divisions

            industries = [d.code for d in list_divisions()]
            results = [burst(app, industries) for _ in range(max(1, args.runs // 2))]
            print(summary("100 finalisations at 10/s: fresh after last",
                          [r[0] * 1000 for r in results], "<= 60000 ms"))
            print(f"  (whole bursts {[round(r[1], 1) for r in results]} s, "
                  f"refreshes run {[r[2] for r in results]})")
        if args.duckdb:
            print(f"load average: {os.getloadavg()}")
            duckdb_side_by_side(app, args.runs)
        print(f"load average after: {os.getloadavg()}")
    finally:
        if args.drop:
            drop_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
