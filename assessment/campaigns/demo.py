"""The demo's campaigns (``flask demo load``): the association's rounds of last year (closed:
finalised and overdue members) and of the current year (invited, signed up, in progress,
returned, declined, with reminders already sent), and the demo enterprise acting as a lead
manufacturer with a supplier campaign. Idempotent: a campaign of the same name is kept."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from assessment.campaigns import reminders, services
from assessment.campaigns.models import Campaign, Participant
from assessment.profiles.models import EnterpriseProfile
from assessment.profiles.rules import uscc_check_character
from tenants import queries as platform_queries
from tenants.context import set_tenant, system_scope
from tenants.db import db
from tenants.models import LinkStatus, Tenant, User
from tenants.services import links
from tenants.types import utcnow

INVITED = ("闽江精密铸造有限公司", "泉州恒通轴承有限公司", "漳州新源电机有限公司",
           "莆田华兴模具有限公司", "三明金诚机械有限公司", "龙岩宏达液压有限公司",
           "宁德瑞丰电池材料有限公司", "南平永盛五金有限公司")


def _code(serial: int) -> str:
    first17 = f"91350200{serial:09d}"
    return first17 + uscc_check_character(first17)


def _member_rows(tenant_ids: list) -> list[dict[str, str]]:
    with system_scope(db.session, "demo: the members' profiles for the campaign list"):
        profiles = db.session.exec(select(EnterpriseProfile).where(
            col(EnterpriseProfile.tenant_id).in_(tenant_ids))).all()
    return [{"company_name": p.legal_name, "credit_code": p.credit_code,
             "contact_name": f"{p.legal_name[:4]}联络人", "email": f"contact{i}@example.invalid",
             "industry": p.industry_division, "size": p.size_class, "province": p.province}
            for i, p in enumerate(profiles)]


def _invited_rows(names: tuple[str, ...], first_serial: int) -> list[dict[str, str]]:
    return [{"company_name": name, "credit_code": _code(first_serial + i),
             "contact_name": f"{name[:2]}联系人",
             "email": f"invitee{first_serial + i}@example.invalid",
             "industry": "C34", "size": "small", "province": "35"}
            for i, name in enumerate(names)]


def _campaign(owner: Tenant, user: User, name: str, year: int, deadline: date,
              rows: list[dict[str, str]], grants: list[str]) -> Campaign | None:
    set_tenant(db.session, owner.id)
    if db.session.exec(select(Campaign).where(Campaign.name == name)).first() is not None:
        return None
    found = services.create_campaign(owner, user, services.CampaignData(
        name=name, year=year, framework="scm-2024@1.0.0", grants=grants, deadline=deadline,
        remind_days_before=[28, 14, 7, 1], escalate_days_after=[3, 10],
        invitation_zh="为摸清会员企业供应链管理水平，请于截止日期前完成年度自评。",
        invitation_en="Please complete this year's self-assessment by the deadline."))
    services.apply_rows(owner, user, found, rows)
    return found


def load(association: Tenant, association_owner: User, members: list[Tenant], lead: Tenant,
         lead_owner: User, draft_year: int, now: datetime | None = None) -> None:
    """Create the demo's campaigns (call inside ``mail.suppressed()``: no message goes out)."""
    now = now or utcnow()
    today = reminders.local_day(now)
    member_ids = [m.id for m in members]
    # last year's round, closed: finalised members, and invitees who never came (overdue)
    _campaign(association, association_owner, f"{draft_year - 1} 年度会员供应链评估",
              draft_year - 1, date(draft_year - 1, 12, 15),
              _member_rows(member_ids[:12]) + _invited_rows(INVITED[:3], 900), ["scores"])
    current = _campaign(association, association_owner, f"{draft_year} 年度会员供应链评估",
                        draft_year, today + timedelta(days=12),
                        _member_rows(member_ids) + _invited_rows(INVITED, 910), ["scores"])
    if current is not None:
        set_tenant(db.session, association.id)
        # one invitee declined; the 28- and 14-day reminders went out already
        db.session.execute(sa.update(Participant).where(
            col(Participant.campaign_id) == current.id,
            col(Participant.credit_code) == _code(910)).values(declined_at=now))
        for days_ago in (16, 2):
            reminders.remind_campaign(current, now - timedelta(days=days_ago),
                                      today - timedelta(days=days_ago))
    # the lead manufacturer's supplier round: three members linked (they accepted), three
    # invited
    suppliers = _campaign(lead, lead_owner, f"{draft_year} 年度供应商供应链能力自评",
                          draft_year, today + timedelta(days=30),
                          _member_rows(member_ids[-3:]) + _invited_rows(INVITED[-3:], 950),
                          ["scores", "reports"])
    if suppliers is not None:
        for supplier in members[-3:]:
            _accept(lead, supplier)
    set_tenant(db.session, None)


def _accept(lead: Tenant, supplier: Tenant) -> None:
    """The supplier's owner accepts the lead manufacturer's link request, as on its Links
    page."""
    set_tenant(db.session, supplier.id)
    with system_scope(db.session, "demo: the supplier's owner"):
        owner = platform_queries.owners_of(supplier.id)[0]
    link = platform_queries.link_between(lead.id, supplier.id)
    if link is not None and link.status == LinkStatus.pending:
        links.respond(supplier, owner, link.id, True)
