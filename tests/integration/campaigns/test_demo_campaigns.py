"""The demo's campaigns: the association's closed round of last year and its current round with
participants in many states and reminders already sent, and a lead manufacturer's supplier
round (``flask demo load``)."""

from __future__ import annotations

from flask import Flask
from sqlmodel import select

from assessment.campaigns import queries, reminders
from assessment.campaigns.models import Campaign, Reminder
from assessment.demo import load
from tenants.context import set_tenant, system_scope
from tenants.extensions import db
from tenants.models import LinkKind, TenantLink
from tenants.types import utcnow


def test_the_demo_has_campaigns_with_every_board_filled(app: Flask, outbox) -> None:
    with app.test_request_context():
        load(members=8)
        db.commit()
        load(members=8)  # idempotent: no second campaign
        db.commit()
        with system_scope(db.session, "test inspection"):
            campaigns = {c.name: c for c in db.session.exec(select(Campaign))}
            reminders_sent = db.session.exec(select(Reminder)).all()
            supplier_links = [link.status for link in db.session.exec(select(TenantLink).where(
                TenantLink.kind == LinkKind.customer_supplier))]
            steps = {r.step for r in reminders_sent}
        assert len(campaigns) == 3
        today = reminders.local_day(utcnow())
        counts = {}
        for name, found in campaigns.items():
            set_tenant(db.session, found.tenant_id)
            counts[name] = queries.board(found, queries.Filters(), today).counts
    current = counts["2026 年度会员供应链评估"]
    last = counts["2025 年度会员供应链评估"]
    suppliers = counts["2026 年度供应商供应链能力自评"]
    assert {"invited", "in_progress", "returned", "declined"} <= set(current), current
    assert {"finalised", "overdue"} <= set(last), last
    assert suppliers.get("invited") == 3 and sum(suppliers.values()) == 6, suppliers
    assert supplier_links == ["accepted"] * 3
    assert reminders_sent and steps <= {"before:28", "before:14"}
    assert outbox() == []  # the demo sends nothing
