"""Benchmark of a campaign of 5,000 participants on PostgreSQL.

Usage: .venv/bin/python bench/campaigns.py [--n 5000] [--existing 500] [--runs 20] [--keep]

A fresh database (``chaingauge_bench_campaigns``) with the same roles as the tests (an owner
that migrates, the app role under row-level security). ``--existing`` enterprises are on
ChainGauge already (their credit codes are in the list: the upload links them instead of
inviting them); half of those accept, and their assessments of the year are in every state.

Prints:

- the upload of an XLSX list of ``--n`` participants, validated and applied by the job
  (all rows in one transaction, set-based inserts, every invitation queued);
- the status board's first page (and other pages and filters) through the test client, as
  the signed-in owner: p95 of ``--runs`` requests;
- one reminder run over all of them (the cadence's step due today), and a second run the
  same day (which must send nothing).

Targets: upload <= 10 s; board page p95 <= 150 ms; reminder run <= 30 s. Needs PostgreSQL on
127.0.0.1:5432 (or ``CHAINGAUGE_TEST_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg import sql

from tests.databases import APP_ROLE, BYPASS_ROLE, OWNER_ROLE, _ensure_role, admin_url

NAME = "chaingauge_bench_campaigns"
REDIS_URL = "redis://127.0.0.1:6379/12"
YEAR = 2026


def _conninfo(**overrides: Any) -> dict[str, Any]:
    info = dict(psycopg.conninfo.conninfo_to_dict(admin_url()))
    info.update(overrides)
    return info


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


def make_app() -> Any:
    from app import create_app

    info = _conninfo()
    host, port = info.get("host", "127.0.0.1"), info.get("port", "5432")
    return create_app({
        "ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-check",
        "DATABASE_URL": f"postgresql+psycopg://{APP_ROLE}@{host}:{port}/{NAME}",
        "MIGRATION_DATABASE_URL": f"postgresql+psycopg://{OWNER_ROLE}@{host}:{port}/{NAME}",
        # e-mails are queued in Redis for the worker, as in production (in the embedded
        # mode each would be delivered inside the run)
        "LOG_JSON": False, "REDIS_URL": REDIS_URL, "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": tempfile.mkdtemp(prefix="chaingauge-bench-mail-"),
        "SERVER_NAME": "localhost", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
    })


def code(n: int) -> str:
    from assessment.profiles.rules import uscc_check_character

    first = f"91350100{n:09d}"
    return first + uscc_check_character(first)


def workbook(n: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["企业名称", "统一社会信用代码", "联系人", "电子邮箱", "行业", "规模", "省份"])
    divisions = ["C36", "C38", "C39", "C34", "C26"]
    provinces = ["福建", "浙江", "江苏", "广东", "山东"]
    for i in range(n):
        sheet.append([f"测试制造{i}有限公司", code(i), f"联系人{i}", f"p{i}@example.com",
                      divisions[i % 5], ["大型", "中型", "小型", "微型"][i % 4],
                      provinces[i % 5]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed_existing(existing: int) -> None:
    """Enterprises already on ChainGauge (superuser: row-level security does not apply)."""
    with psycopg.connect(**_conninfo(dbname=NAME), autocommit=True) as conn:
        conn.execute("""
            CREATE TEMP TABLE e AS
            SELECT gen_random_uuid() AS id, i FROM generate_series(0, %s - 1) i;
            INSERT INTO tenant (id, kind, name, slug, locale, plan, created_at)
            SELECT id, 'enterprise', '已注册企业 ' || i, 'bench-e-' || i, 'zh_CN', 'free', now()
            FROM e;
        """.replace("%s", str(existing)))
        rows = conn.execute("SELECT id, i FROM e").fetchall()
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO enterprise_profile (tenant_id, id, legal_name, credit_code, "
                "industry_division, employees, revenue_wan, size_class, province, "
                "export_oriented, chain_leader, benchmark_opt_in, version, updated_at) VALUES "
                "(%s, gen_random_uuid(), %s, %s, 'C36', 500, 5000, 'medium', '35', false, false, "
                "false, 1, now())", [(tid, f"已注册企业 {i}", code(i)) for tid, i in rows])


def accept_half_and_assess() -> None:
    """Half of the linked enterprises accept; their assessments are in every state."""
    with psycopg.connect(**_conninfo(dbname=NAME), autocommit=True) as conn:
        conn.execute("""
            UPDATE tenant_link SET status = 'accepted', responded_at = now()
            WHERE target_tenant_id IN (SELECT id FROM tenant WHERE slug LIKE 'bench-e-%%'
                                       AND substring(slug from 9)::int %% 2 = 0);
            INSERT INTO assessment (tenant_id, id, year, framework_id, framework_version, state,
                revision, version, created_at, updated_at)
            SELECT target_tenant_id, gen_random_uuid(), %s, 'scm-2024', '1.0.0',
                   (ARRAY['draft','submitted','returned','finalised'])
                       [1 + (row_number() OVER ()) %% 4],
                   1, 1, now(), now()
            FROM tenant_link WHERE status = 'accepted';
        """.replace("%s", str(YEAR)).replace("%%", "%"))


def analyze() -> None:
    """What autovacuum does within a minute of a large load: fresh planner statistics."""
    with psycopg.connect(**_conninfo(dbname=NAME), autocommit=True) as conn:
        conn.execute("ANALYZE")


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def ms(seconds: float) -> float:
    return seconds * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--existing", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    create_database()
    flush_redis()
    app = make_app()
    from sqlmodel import select

    from assessment.campaigns import reminders, services
    from assessment.campaigns.models import Upload
    from tenants.cli import upgrade
    from tenants.context import set_tenant
    from tenants.extensions import db
    from tenants.models import Tenant, User
    from tenants.types import utcnow
    from tests import factories

    upgrade(app)
    seed_existing(args.existing)
    analyze()
    owner = factories.make_user(app, "bench.secretary@example.com")
    association = factories.make_tenant(app, "association", owner=owner, name="基准测试协会")
    now = utcnow()
    today = reminders.local_day(now)
    with app.test_request_context():
        set_tenant(db.session, association.id)
        found = services.create_campaign(
            db.session.get(Tenant, association.id), db.session.get(User, owner.id),
            services.CampaignData(name="基准活动", year=YEAR, framework="scm-2024@1.0.0",
                                  grants=["scores"], deadline=today + timedelta(days=7),
                                  remind_days_before=[14, 7, 1], escalate_days_after=[3]))
        campaign_id = found.id
        db.commit()
    data = workbook(args.n)
    print(f"list: {args.n} rows, {len(data) / 1024:.0f} KiB; {args.existing} already on "
          "ChainGauge")

    # -- upload: validated and applied by the job (run here, on this thread) --------------
    with app.test_request_context():
        set_tenant(db.session, association.id)
        upload = Upload(campaign_id=campaign_id, filename="members.xlsx", data=data,
                        created_by_id=owner.id)
        db.session.add(upload)
        db.commit()
        upload_id = upload.id
    started = time.perf_counter()
    with app.test_request_context():
        services.apply_upload.call_local(association.id, upload_id)
    upload_seconds = time.perf_counter() - started
    with app.app_context():
        set_tenant(db.session, association.id)
        outcome = db.session.exec(select(Upload).where(Upload.id == upload_id)).one()
        print(f"upload: {outcome.state} {outcome.counts}")
        assert outcome.state == "done", outcome.problems[:5]
        db.rollback()
    accept_half_and_assess()
    analyze()

    # -- the status board --------------------------------------------------------------
    client = app.test_client()
    assert factories.sign_in(client, owner).status_code in (302, 303)
    base = f"/t/{association.slug}/campaigns/{campaign_id}"
    urls = [base, f"{base}?page=57", f"{base}?status=finalised", f"{base}?q=p42",
            f"{base}?province=33&industry=C38", f"{base}?status=invited&page=3"]
    client.get(base)  # warm-up
    first, others = [], []
    for i in range(args.runs):
        for j, url in enumerate(urls):
            t0 = time.perf_counter()
            response = client.get(url)
            (first if j == 0 else others).append(ms(time.perf_counter() - t0))
            assert response.status_code == 200, (url, response.status_code)
        del i

    def p95(times: list[float]) -> float:
        ordered = sorted(times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    # -- the reminder run --------------------------------------------------------------
    with app.app_context():
        t0 = time.perf_counter()
        summary = reminders.run(now)
        remind_seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = reminders.run(now)
        again_seconds = time.perf_counter() - t0

    print()
    print(f"{'upload validated + applied':<36} {upload_seconds:8.2f} s    (target <= 10 s)")
    print(f"{'status board, first page':<36} p95 {p95(first):7.1f} ms  median "
          f"{statistics.median(first):6.1f} ms  (target p95 <= 150 ms)")
    print(f"{'status board, other pages/filters':<36} p95 {p95(others):7.1f} ms  median "
          f"{statistics.median(others):6.1f} ms")
    print(f"{'reminder run over all':<36} {remind_seconds:8.2f} s    (target <= 30 s); "
          f"{summary.sent} reminders sent")
    print(f"{'second run the same day':<36} {again_seconds:8.2f} s    {again.sent} sent "
          "(must be 0)")
    db.engine_for(app).dispose()
    flush_redis()
    if not args.keep:
        drop_database()
    ok = upload_seconds <= 10 and p95(first) <= 150 and remind_seconds <= 30 and again.sent == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
