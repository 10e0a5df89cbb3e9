"""Campaigns, participant lists and enterprises with credit codes, for the campaign tests."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Flask

from assessment.profiles.rules import uscc_check_character
from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import Tenant
from tests.factories import owner_of

HEADER = ["企业名称", "统一社会信用代码", "联系人", "电子邮箱", "行业", "规模", "省份"]


def credit_code(n: int, region: str = "350100") -> str:
    first = f"91{region}{n:09d}"
    return first + uscc_check_character(first)


def member_row(n: int, **overrides: str) -> list[str]:
    row = {"name": f"福建测试制造{n}有限公司", "code": credit_code(n), "contact": f"联系人{n}",
           "email": f"member{n}@example.com", "industry": "C36", "size": "中型",
           "province": "福建"}
    row.update(overrides)
    return [row["name"], row["code"], row["contact"], row["email"], row["industry"],
            row["size"], row["province"]]


def csv_bytes(rows: list[list[str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_campaign(app: Flask, owner_tenant: Tenant, *, deadline: date = date(2026, 12, 31),
                  before: tuple[int, ...] = (14, 7, 1), after: tuple[int, ...] = (3, 10),
                  grants: tuple[str, ...] = ("scores",), year: int = 2026) -> Any:
    from assessment.campaigns import services

    with app.test_request_context():
        user = db.session.merge(owner_of(app, owner_tenant))
        set_tenant(db.session, owner_tenant.id)
        found = services.create_campaign(
            db.session.merge(owner_tenant), user, services.CampaignData(
                name="2026 年会员供应链评估", year=year, framework="scm-2024@1.0.0",
                grants=list(grants), deadline=deadline, remind_days_before=list(before),
                escalate_days_after=list(after), invitation_zh="请参加。",
                invitation_en="Please take part."))
        db.commit()
        db.session.expunge(found)
        return found


def upload(app: Flask, owner_tenant: Tenant, found: Any, data: bytes,
           filename: str = "members.csv", lang: str = "zh") -> Any:
    """Upload a list through the service and run its job (inline: the tests share one
    connection); returns the upload row as the job left it."""
    from assessment.campaigns import queries, services

    with app.test_request_context():
        user = db.session.merge(owner_of(app, owner_tenant))
        set_tenant(db.session, owner_tenant.id)
        started = services.start_upload(db.session.merge(owner_tenant), user,
                                         db.session.merge(found), data, filename, lang)
        upload_id = started.id
        db.commit()  # runs the job (after the commit)
    from tenants.jobs import wait_for_background_jobs

    for _ in range(3):  # an app with its own connections runs it (and the mail jobs it
        wait_for_background_jobs()  # starts) on job threads
    with app.test_request_context():
        set_tenant(db.session, owner_tenant.id)
        outcome = queries.upload(found.id, upload_id)
        db.session.expunge(outcome)
        db.rollback()
        return outcome


def give_credit_code(app: Flask, enterprise: Tenant, code: str) -> None:
    from sqlmodel import select

    from assessment.profiles.models import EnterpriseProfile

    with app.app_context():
        set_tenant(db.session, enterprise.id)
        profile = db.session.exec(select(EnterpriseProfile)).first()
        profile.credit_code = code
        db.commit()
