"""Benchmark: cohort statistics for one cohort drawn from 50,000 finalised assessments on
PostgreSQL (target: <= 300 ms).

Usage: .venv/bin/python bench/benchmarks.py [N] [--runs 20] [--year 2025] [--industry C36]

Creates its own PostgreSQL database (the test harness's roles: an owner that migrates, the
app role that queries, a system role with BYPASSRLS for the system scope), migrates it, and
generates N enterprises (tenant, profile, one finalised assessment of the year) with one
current figure per indicator, dimension and "overall" (N x 38 rows) in SQL with a fixed
seed: divisions C13-C43 evenly, four size classes, 31 provinces, 80 % opted in to the
platform pool, 5 % of the figures missing. It then times ``cohort_statistics`` (every code,
the SQL path, as the app role inside its system scope) and prints the median and p95, the
cohort's size, and for comparison the Python path and ``position_of``. The database is
dropped at the end. Needs PostgreSQL on 127.0.0.1:5432 (or CHAINGAUGE_TEST_DATABASE_URL).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from sqlalchemy.engine import make_url

from tests.databases import admin_url, postgres_database

GENERATE = """
SELECT setseed(0.42);
CREATE TEMP TABLE bench_enterprise AS
SELECT gen_random_uuid() AS tenant_id, gen_random_uuid() AS assessment_id, i,
       d.code AS division, d.grp AS industry_group,
       (ARRAY['large','medium','small','micro'])[1 + i %% 4] AS size_class,
       (%(provinces)s)[1 + (i * 7) %% %(province_count)s] AS province,
       random() < 0.8 AS opt_in
FROM generate_series(0, %(n)s - 1) AS i
JOIN (SELECT * FROM unnest(%(divisions)s::text[], %(groups)s::text[]) WITH ORDINALITY
      AS x(code, grp, k)) AS d ON d.k = 1 + i %% %(division_count)s;
INSERT INTO tenant (id, kind, name, slug, locale, plan, created_at)
SELECT tenant_id, 'enterprise', 'Bench ' || i, 'bench-' || i, 'zh_CN', 'free', now()
FROM bench_enterprise;
INSERT INTO enterprise_profile (tenant_id, id, legal_name, credit_code, industry_division,
    employees, revenue_wan, size_class, province, export_oriented, chain_leader,
    benchmark_opt_in, version, updated_at)
SELECT tenant_id, gen_random_uuid(), 'Bench ' || i, lpad(i::text, 18, '0'), division, 500,
       5000, size_class, province, false, false, opt_in, 1, now()
FROM bench_enterprise;
INSERT INTO assessment (tenant_id, id, year, framework_id, framework_version, state,
    revision, version, created_at, updated_at, submitted_at, finalised_at)
SELECT tenant_id, assessment_id, %(year)s, 'scm-2024', '1', 'finalised', 1, 3, now(), now(),
       now(), now()
FROM bench_enterprise;
INSERT INTO result_figure (tenant_id, id, assessment_id, revision, year, code, kind, status,
    value, score, level, industry_division, industry_group, size_class, province, current)
SELECT e.tenant_id, gen_random_uuid(), e.assessment_id, 1, %(year)s, c.code, c.kind,
       CASE WHEN r.missing THEN 'missing' ELSE 'ok' END,
       CASE WHEN r.missing OR c.kind <> 'indicator' THEN NULL ELSE r.x * 3 END,
       CASE WHEN r.missing THEN NULL ELSE round((r.x * 100)::numeric, 1)::float8 END,
       CASE WHEN r.missing THEN NULL ELSE 1 + floor(r.x * 5)::int END,
       e.division, e.industry_group, e.size_class, e.province, true
FROM bench_enterprise AS e
CROSS JOIN unnest(%(codes)s::text[], %(kinds)s::text[]) AS c(code, kind)
CROSS JOIN LATERAL (SELECT random() AS x, random() < 0.05 AS missing
                    WHERE e.i IS NOT NULL AND c.code IS NOT NULL) AS r;
"""


def generate(database_name: str, n: int, year: int) -> float:
    from assessment.profiles.rules import provinces
    from indicators import load_framework
    from indicators.catalogue.industries import list_divisions

    framework = load_framework()
    codes = ["overall"]
    kinds = ["overall"]
    for dimension in framework.dimensions:
        codes.append(dimension.code)
        kinds.append("dimension")
        for indicator in dimension.indicators:
            codes.append(indicator.code)
            kinds.append("indicator")
    divisions = list_divisions()
    province_codes = [p.code for p in provinces()]
    params = {
        "n": n, "year": year, "codes": codes, "kinds": kinds,
        "divisions": [d.code for d in divisions], "groups": [d.group.code for d in divisions],
        "division_count": len(divisions), "provinces": province_codes,
        "province_count": len(province_codes),
    }
    conninfo = psycopg.conninfo.conninfo_to_dict(admin_url())
    conninfo["dbname"] = database_name
    started = time.perf_counter()
    # As the superuser: it bypasses row-level security, which the owner does not.
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        sql = GENERATE.replace("%(provinces)s", "%(provinces)s::text[]")
        with conn.transaction():
            # Generated keys are consistent by construction: skip the per-row foreign-key
            # triggers (superuser only), which otherwise take most of the load time.
            conn.execute("SET LOCAL session_replication_role = replica")
            # Building the figures' secondary indexes after the load is several times faster
            # than maintaining them row by row.
            indexes = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'result_figure' "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)").fetchall()
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            for statement in sql.split(";\n"):
                if statement.strip():
                    conn.execute(statement, params)  # type: ignore[arg-type]
            for _, definition in indexes:
                conn.execute(definition)
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def explain(db: Any, call: Callable[[], Any]) -> None:
    """Run ``call`` once, capturing its SQL, then print EXPLAIN ANALYZE of each statement."""
    from sqlalchemy import event

    from tenants.context import system_scope

    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "set_config" not in statement:
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


def timed(runs: int, call: Callable[[], Any]) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--industry", default="C36")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plans of one cohort_statistics call")
    args = parser.parse_args()

    databases = postgres_database()
    database = next(databases)
    app = None
    try:
        from app import create_app
        from assessment.benchmarks import queries
        from assessment.benchmarks.cohorts import CohortFilter
        from assessment.benchmarks.pools import PlatformPool
        from assessment.benchmarks.services import cohort_statistics, position_of
        from tenants.cli import upgrade
        from tenants.extensions import db

        app = create_app({
            "ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-check",
            "DATABASE_URL": database.app_url, "MIGRATION_DATABASE_URL": database.owner_url,
            "DATABASE_SYSTEM_ROLE": database.system_role, "LOG_JSON": False,
            "REDIS_URL": None, "MAIL_BACKEND": "file",
            "MAIL_FILE_DIR": tempfile.mkdtemp(prefix="chaingauge-bench-mail-"),
        })
        import logging

        logging.getLogger("chaingauge").setLevel(logging.WARNING)  # one line per scope
        upgrade(app)
        name = make_url(database.app_url).database
        assert name is not None
        seconds = generate(name, args.n, args.year)
        print(f"generated {args.n:,} finalised assessments "
              f"({args.n * 38:,} result figures) in {seconds:.1f} s")

        pool = PlatformPool()
        with app.test_request_context():
            def live(method: queries.Method) -> Callable[[], Any]:
                def run() -> Any:
                    try:
                        return cohort_statistics(pool, args.year, args.industry, method=method)
                    finally:
                        db.rollback()
                return run

            live("sql")()  # warm-up: connection, plan cache
            if args.explain:
                explain(db, live("sql"))
            sql_times, result = timed(args.runs, live("sql"))
            python_times, _ = timed(max(3, args.runs // 4), live("python"))
            from sqlmodel import select

            from assessment.assessments.models import Assessment
            from tenants.context import set_tenant, system_scope

            with system_scope(db.session, "bench: pick an enterprise of the cohort"):
                figure = db.session.execute(
                    select(queries.FIGURE.c.tenant_id).where(
                        queries.FIGURE.c.industry_division == result.cohort.filter.division)
                    .limit(1)).scalar_one()
                assessment = db.session.exec(
                    select(Assessment).where(Assessment.tenant_id == figure)).one()
                db.session.expunge(assessment)  # keep it loaded after the rollback
            db.rollback()

            def position() -> Any:
                set_tenant(db.session, assessment.tenant_id)
                try:
                    return position_of(assessment, pool)
                finally:
                    db.rollback()
                    set_tenant(db.session, None)

            position_times, _ = timed(args.runs, position)
            with system_scope(db.session, "bench: cohort sizes"):
                counts = queries.enterprise_counts(pool, CohortFilter(args.year, args.industry))
            db.rollback()

        rows = sum(1 for s in result.statistics.values() if s.score is not None)
        print(f"cohort: {result.cohort.key} {args.year}, pool {pool.key}: "
              f"{result.enterprises:,} enterprises "
              f"(group {counts[result.cohort.scope.__class__.group]:,}, "
              f"all manufacturing {counts[result.cohort.scope.__class__.manufacturing]:,}); "
              f"{rows} codes shown")
        print(f"cohort_statistics, SQL path    ({args.runs} runs): {summary(sql_times)}"
              f"   [target <= 300 ms]")
        print(f"cohort_statistics, Python path ({len(python_times)} runs): "
              f"{summary(python_times)}")
        print(f"position_of, SQL path          ({args.runs} runs): {summary(position_times)}")
        ok = statistics.median(sql_times) <= 300
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        try:
            if app is not None:
                with app.app_context():
                    from tenants.extensions import db as database_extension

                    database_extension.engine.dispose()
        finally:
            databases.close()  # drops the database


if __name__ == "__main__":
    sys.exit(main())
