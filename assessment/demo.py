"""``flask demo load``: a synthetic industry association, a consultancy and their enterprises.

Everything is built through the services (profiles, answers, submit, return, finalise: the
last writes the revisions and result figures that benchmarks read), in one unit of work,
except the plain members beyond the default demo's (``--members 3000``), which
:mod:`assessment.demo_bulk` writes in bulk with the same rows; and everything is
get-or-create, so that loading twice changes nothing and prints the same logins. All
organisations are marked （示例）; every figure is invented (``demo_figures``).
Data years: 2024 and 2025 are finalised (the demo's "today" is November 2026, so those are
the last two complete years); 2026 holds drafts, and one assessment returned for changes.
The consultancy's portfolio holds a client in every state: returned (with comments, replies
and a resolved comment), in progress, submitted and finalised, some with a reviewer and a
due date.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlmodel import select

from assessment import demo_bulk
from assessment.assessments import answering, carryover, queries, services
from assessment.assessments.models import AnswerState, Assessment
from assessment.benchmarks.tasks import drain_stale_cohorts, refreshes_held
from assessment.campaigns import demo as campaign_demo
from assessment.demo_figures import DemoAnswers, demo_answers
from assessment.plans import demo as demo_plans
from assessment.portfolio import queries as portfolio_queries
from assessment.portfolio import services as portfolio
from assessment.profiles import queries as profile_queries
from assessment.profiles.models import EnterpriseProfile
from assessment.profiles.rules import uscc_check_character
from assessment.profiles.services import ProfileData, save_profile
from assessment.reports import queries as report_queries
from assessment.reports.branding import save_branding
from assessment.review import services as review
from tenants import demo as platform_demo
from tenants import mail
from tenants import queries as platform_queries
from tenants.context import set_tenant, system_scope
from tenants.db import db
from tenants.models import LinkGrant, Membership, Role, Tenant, TenantKind, User
from tenants.security import hash_password

FINALISED_YEARS = (2024, 2025)
DRAFT_YEAR = 2026
DEFAULT_MEMBERS = 32
DIVISIONS = ("C34", "C36", "C39", "C31", "C26", "C38", "C13", "C17", "C30", "C33", "C35")
INDUSTRY_WORD = {"C13": "食品", "C17": "纺织", "C26": "化工", "C30": "建材", "C31": "钢铁",
                 "C33": "金属制品", "C34": "通用机械", "C35": "专用设备", "C36": "汽车零部件",
                 "C38": "电气", "C39": "电子"}
CITIES = (("32", "苏州"), ("33", "宁波"), ("44", "东莞"), ("37", "青岛"), ("31", "上海"),
          ("42", "武汉"), ("51", "成都"), ("34", "合肥"), ("41", "郑州"), ("21", "沈阳"),
          ("50", "重庆"), ("35", "厦门"), ("13", "唐山"))
FIRST, SECOND = "恒华瑞鑫宏中新永金东盛天", "达信泰通源丰力成"
SIZES = ("large", "medium", "medium", "small", "small", "small", "micro", "medium")
SIZE_RANGES = {"large": ((1000, 6000), (40000, 400000)), "medium": ((300, 999), (2000, 39000)),
               "small": ((20, 299), (300, 1990)), "micro": ((5, 19), (60, 290))}
# Member indexes of the consultancy's clients, so that its portfolio shows every state: the
# first's 2026 assessment is returned with comments and replies, 4 and 6 are in progress,
# SUBMITTING_CLIENT's is submitted, and 25 (no 2026 draft) is finalised (2025).
CONSULTANCY_CLIENTS = (1, 4, 6, 9, 25)
SUBMITTING_CLIENT = 9
# The consultancy's plan for some clients: the reviewer (by login) and the due date.
PORTFOLIO_PLAN = {1: ("consultancy.reviewer", date(2026, 12, 15)),
                  9: ("consultancy.reviewer", date(2026, 12, 5)),
                  4: ("consultancy.owner", date(2027, 1, 20))}
DEMO_BATCH = 50  # members per commit of the command line's load
DRAFTS = 24  # members with a 2026 draft (the web bench edits 20 of them)
# Members from this index on that have no part of their own (no client, draft or plan) are
# written in bulk (``demo_bulk``); the default demo is built through the services alone.
BULK_FROM = DEFAULT_MEMBERS


@dataclass(frozen=True)
class Login:
    organisation: str
    role: str
    email: str


@dataclass(frozen=True)
class DemoEnterprise:
    index: int
    slug: str
    name: str
    division: str
    size: str
    province: str


def roster(members: int) -> list[DemoEnterprise]:
    found = []
    for i in range(members):
        division = DIVISIONS[i % len(DIVISIONS)]
        province, city = CITIES[i % len(CITIES)]
        word = FIRST[i % len(FIRST)] + SECOND[(i // len(FIRST) + i) % len(SECOND)]
        found.append(DemoEnterprise(i, f"demo-m{i + 1:02d}",
                                    f"{city}{word}{INDUSTRY_WORD[division]}有限公司"
                                    f"{platform_demo.DEMO_MARK}",
                                    division, SIZES[i % len(SIZES)], province))
    return found


def credit_code(province: str, serial: int) -> str:
    first17 = f"91{province}0100{serial:09d}"
    return first17 + uscc_check_character(first17)


def profile_data(company: DemoEnterprise) -> ProfileData:
    rng = random.Random(company.slug)  # noqa: S311 - invented figures, not secrets
    employees = rng.randint(*SIZE_RANGES[company.size][0])
    revenue = rng.randint(*SIZE_RANGES[company.size][1])
    return ProfileData(
        legal_name=company.name, credit_code=credit_code(company.province,
                                                         700000 + company.index),
        industry_division=company.division, employees=employees,
        revenue_wan=Decimal(revenue), province=company.province,
        export_oriented=rng.random() < (0.7 if company.size == "large" else 0.35),
        chain_leader=company.size == "large" and rng.random() < 0.5,
        benchmark_opt_in=company.index % 7 != 3)


def answers_for(slug: str, profile: EnterpriseProfile, year: int) -> DemoAnswers:
    """A member's invented answers of ``year`` (its profile shapes them)."""
    return demo_answers(slug, profile.industry_division, profile.size_class,
                        profile.employees, float(profile.revenue_wan),
                        profile.export_oriented, year - FINALISED_YEARS[0])


def link_grants(company: DemoEnterprise) -> list[LinkGrant]:
    """What the association's link to a member grants."""
    grants = [LinkGrant.scores]
    grants += [LinkGrant.answers] if company.index % 3 == 0 else []
    grants += [LinkGrant.reports] if company.index % 4 == 0 else []
    grants += [LinkGrant.review] if company.index % 5 == 0 else []
    return grants


def finalised_years(company: DemoEnterprise) -> tuple[int, ...]:
    # every eighth member joined the platform a year later
    return FINALISED_YEARS[1:] if company.index % 8 == 7 else FINALISED_YEARS


class _Loader:
    def __init__(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.logins: list[Login] = []

    def user(self, local: str, name: str, organisation: str, role: str) -> User:
        email = platform_demo.demo_email(local)
        self.logins.append(Login(organisation, role, email))
        return platform_demo.demo_user(email, name, self.password_hash)

    def enterprise(self, company: DemoEnterprise, owner: User) -> Tenant:
        tenant, _new = platform_demo.demo_tenant(owner, company.name, TenantKind.enterprise,
                                                 company.slug)
        # Free allows one assessment a year; a demo enterprise holds three years of them.
        platform_demo.demo_seats(tenant, "professional", 1)
        set_tenant(db.session, tenant.id)
        if profile_queries.profile() is None:
            save_profile(self.membership(tenant, owner), owner, profile_data(company))
        return tenant

    @staticmethod
    def membership(tenant: Tenant, user: User) -> Membership:
        found = platform_queries.membership(tenant.id, user.id)
        assert found is not None
        return found

    def assessment(self, tenant: Tenant, owner: User, year: int, *, finalise_by: User | None,
                   partial: bool = False, reviewing: Tenant | None = None
                   ) -> Assessment | None:
        """``reviewing``: the linked tenant ``finalise_by`` reviews for (the revision then
        names it); None: the enterprise finalises itself (a self-assessment)."""
        set_tenant(db.session, tenant.id)
        if queries.assessment_for_year(year) is not None:
            return None
        profile = profile_queries.profile()
        assert profile is not None
        membership = platform_queries.membership(tenant.id, owner.id)
        assert membership is not None
        answers = answers_for(tenant.slug, profile, year)
        assessment = services.create_assessment(membership, year, owner)
        values = {k: (v, str(AnswerState.answered)) for k, v in answers.values.items()}
        if partial:  # a draft in progress: about two thirds answered
            values = {k: v for n, (k, v) in enumerate(values.items()) if n % 3 != 2}
        values.update({k: (None, str(AnswerState.unknown)) for k in answers.unknown})
        answering.save_answers(assessment, membership, owner, values)
        for code, reason in answers.not_applicable.items():
            answering.set_not_applicable(assessment, membership, owner, code, True, reason)
        if finalise_by is not None:
            services.submit(assessment, membership)
            if reviewing is None:
                services.finalise(assessment, finalise_by)
            else:
                review.finalise(review.Reviewer(
                    user=finalise_by, tenant_id=reviewing.id, role=Role.assessor,
                    linked=True, tenant_name=reviewing.name), assessment, None)
        return assessment


def load(members: int = DEFAULT_MEMBERS, *, commit_every: int | None = None,
         bulk_from: int = BULK_FROM) -> list[Login]:
    """Create the demo (flushes; the caller commits). Returns the logins, same every time.

    No e-mail goes out (its link requests are addressed to fictitious owners); the benchmark
    refreshes its finalisations queue still run after the commit. ``commit_every``: commit
    after every so many members and start the session afresh, so that the work per member
    does not grow with the members already loaded (the command line: thousands).
    ``bulk_from``: the plain members from this index on are written in bulk
    (:mod:`assessment.demo_bulk`)."""
    with mail.suppressed():
        return _create(members, commit_every, bulk_from)


def _create(members: int, commit_every: int | None = None,
            bulk_from: int = BULK_FROM) -> list[Login]:
    loader = _Loader(hash_password(current_app.config["DEMO_PASSWORD"]))
    assoc_name = f"中国机械制造供应链协会{platform_demo.DEMO_MARK}"
    assoc_owner = loader.user("association.owner", "协会秘书处", assoc_name, "owner")
    association, _new = platform_demo.demo_tenant(assoc_owner, assoc_name,
                                                  TenantKind.association, "demo-association")
    platform_demo.demo_seats(association, "association", members + 10)
    consult_name = f"华策供应链咨询有限公司{platform_demo.DEMO_MARK}"
    consult_owner = loader.user("consultancy.owner", "顾问负责人", consult_name, "owner")
    consultancy, _new = platform_demo.demo_tenant(consult_owner, consult_name,
                                                  TenantKind.consultancy, "demo-consultancy")
    platform_demo.demo_seats(consultancy, "consultancy", 10)
    reviewer = loader.user("consultancy.reviewer", "审核顾问", consult_name, "assessor")
    platform_demo.demo_member(consultancy, reviewer, Role.assessor)
    _brand_consultancy(consultancy, consult_owner)
    clients = {i for i in CONSULTANCY_CLIENTS if i < members}
    plain = [c for c in roster(members) if _plain(c, clients, bulk_from)]
    in_bulk = {c.index for c in plain}
    for company in roster(members):
        if company.index in in_bulk:
            continue  # written in bulk below
        if commit_every and company.index and company.index % commit_every == 0:
            association, assoc_owner, consultancy, consult_owner, reviewer = \
                _committed(association, assoc_owner, consultancy, consult_owner, reviewer)
        owner = loader.user(f"{company.slug}.owner", f"{company.name}负责人", company.name,
                            "owner")
        tenant = loader.enterprise(company, owner)
        platform_demo.demo_link(association, assoc_owner, tenant, owner, link_grants(company),
                                may_be_named=company.index % 2 == 0)
        if company.index in clients:
            platform_demo.demo_link(consultancy, consult_owner, tenant, owner,
                                    [LinkGrant.review, LinkGrant.reports, LinkGrant.answers],
                                    may_be_named=True)
        finaliser = reviewer if company.index in clients else owner
        for year in finalised_years(company):
            loader.assessment(tenant, owner, year, finalise_by=finaliser,
                              reviewing=consultancy if company.index in clients else None)
        if company.index < DRAFTS:
            submitting = company.index == SUBMITTING_CLIENT and company.index in clients
            draft = loader.assessment(tenant, owner, DRAFT_YEAR, finalise_by=None,
                                      partial=not submitting)
            if draft is not None and company.index == min(clients, default=-1):
                _return_with_comments(draft, tenant, owner, reviewer, consultancy)
            elif draft is not None and submitting:
                services.submit(draft, loader.membership(tenant, owner))
        if company.index in PORTFOLIO_PLAN and company.index in clients:
            _plan(consultancy, tenant, PORTFOLIO_PLAN[company.index],
                  {"consultancy.reviewer": reviewer, "consultancy.owner": consult_owner})
    step = commit_every or max(len(plain), 1)
    for start in range(0, len(plain), step):
        if commit_every:
            association, assoc_owner, consultancy, consult_owner, reviewer = \
                _committed(association, assoc_owner, consultancy, consult_owner, reviewer)
        demo_bulk.add_members([_plain_member(loader, c) for c in plain[start:start + step]],
                              association, assoc_owner, loader.password_hash, answers_for)
    own_name = f"链衡示范制造有限公司{platform_demo.DEMO_MARK}"
    own_owner = loader.user("enterprise.owner", "示范企业负责人", own_name, "owner")
    own = loader.enterprise(DemoEnterprise(99, "demo-enterprise", own_name, "C38", "medium",
                                           "32"), own_owner)
    for year in FINALISED_YEARS:
        loader.assessment(own, own_owner, year, finalise_by=own_owner)
    _copied_forward_draft(loader, own, own_owner)
    # Improvement plans: both years of the demo enterprise (the 2025 results then show the
    # 2024 plan's measured effect), and the latest year of the consultancy's clients, with
    # the consultancy's comments. A few plans only: proposals evaluate the results again.
    demo_plans.plan(own, own_owner, FINALISED_YEARS[0], None)
    demo_plans.plan(own, own_owner, FINALISED_YEARS[1], None)
    for company in roster(members):
        if company.index in clients:
            client = platform_queries.tenant_by_slug(company.slug)
            client_owner = platform_queries.user_by_email(
                platform_demo.demo_email(f"{company.slug}.owner"))
            if client is not None and client_owner is not None:
                demo_plans.plan(client, client_owner, FINALISED_YEARS[1],
                                demo_plans.Commenter(reviewer, consultancy))
    with system_scope(db.session, "demo: the association's members for its campaigns"):
        member_ids = platform_queries.linked_tenant_ids(association.id, LinkGrant.scores)
        member_tenants = [t for t in (platform_queries.tenant_by_id(i) for i in member_ids)
                          if t]
    campaign_demo.load(association, assoc_owner, member_tenants, own, own_owner, DRAFT_YEAR)
    set_tenant(db.session, None)
    return loader.logins


def _plain(company: DemoEnterprise, clients: set[int], bulk_from: int) -> bool:
    """Whether the member is written in bulk: past ``bulk_from``, and no client, draft or
    plan of the demo's."""
    return (company.index >= bulk_from and company.index >= DRAFTS
            and company.index not in clients and company.index not in PORTFOLIO_PLAN)


def _plain_member(loader: _Loader, company: DemoEnterprise) -> demo_bulk.PlainMember:
    local = f"{company.slug}.owner"
    owner_name = f"{company.name}负责人"
    loader.logins.append(Login(company.name, "owner", platform_demo.demo_email(local)))
    return demo_bulk.PlainMember(
        slug=company.slug, name=company.name, owner_email=platform_demo.demo_email(local),
        owner_name=owner_name, profile=profile_data(company),
        grants=tuple(link_grants(company)), may_be_named=company.index % 2 == 0,
        years=finalised_years(company))


def _copied_forward_draft(loader: Any, tenant: Tenant, owner: User) -> None:
    """The demo enterprise's current year as it looks an afternoon into the work: last
    year's answers copied forward, the first third confirmed unchanged, a few figures of
    this year typed over the copy, the rest still marked 沿用上年."""
    set_tenant(db.session, tenant.id)
    if queries.assessment_for_year(DRAFT_YEAR) is not None:
        return
    membership = loader.membership(tenant, owner)
    draft = services.create_assessment(membership, DRAFT_YEAR, owner)
    carryover.copy_forward(draft, membership, owner)
    carried = [field.key for field in carryover.unconfirmed(draft)]
    third = len(carried) // 3
    carryover.confirm(draft, membership, owner, carried[:third])
    profile = profile_queries.profile()
    assert profile is not None
    this_year = demo_answers(tenant.slug, profile.industry_division, profile.size_class,
                             profile.employees, float(profile.revenue_wan),
                             profile.export_oriented, DRAFT_YEAR - FINALISED_YEARS[0])
    typed = [key for key in carried[third:2 * third] if key in this_year.values]
    answering.save_answers(draft, membership, owner, {
        key: (this_year.values[key], str(AnswerState.answered)) for key in typed[:8]})
# The demo consultancy's logo (drawn for the demo: shapes only, no font), so its branding
# shows on the cover of its clients' reports.
DEMO_LOGO = Path(__file__).resolve().parents[1] / "static" / "demo" / "huace-consulting-logo.svg"
DEMO_BRAND_COLOUR = "#12505a"
DEMO_FOOTER = "华策供应链咨询 · 供应链诊断与改进"


def _brand_consultancy(consultancy: Tenant, owner: User) -> None:
    """The consultancy's logo, colour and footer, through the branding service (once: a
    second load keeps what the demo's users changed)."""
    set_tenant(db.session, consultancy.id)
    if report_queries.branding() is None:
        membership = platform_queries.membership(consultancy.id, owner.id)
        assert membership is not None
        save_branding(consultancy, membership, owner, logo=DEMO_LOGO.read_bytes(),
                      brand_colour=DEMO_BRAND_COLOUR, footer_text=DEMO_FOOTER)
    set_tenant(db.session, None)


def _committed(*rows: Any) -> Any:
    """Commit, empty the session (it would otherwise grow with every member) and load
    ``rows`` again for the next batch."""
    db.commit()
    keys = [(type(row), row.id) for row in rows]
    db.session.expunge_all()
    return tuple(db.session.get(model, key) for model, key in keys)


def _return_with_comments(assessment: Assessment, tenant: Tenant, owner: User, reviewer: User,
                          consultancy: Tenant) -> None:
    membership = platform_queries.membership(tenant.id, owner.id)
    assert membership is not None
    services.submit(assessment, membership)
    services.add_comment(assessment, reviewer, consultancy.id,
                         "库存平均金额与出库总金额的口径不一致，请按月末余额平均重新计算。"
                         "(Average inventory and outbound amount use different bases: "
                         "recompute the average from month-end balances.)",
                         "lean.inventory_turnover")
    services.add_comment(assessment, reviewer, consultancy.id,
                         "请补充电力消耗的抄表记录作为证据。(Attach the meter readings for the "
                         "electricity consumption as evidence.)", "green.energy_intensity")
    services.return_for_changes(assessment, reviewer)
    # The conversation since: the enterprise answers the first comment and the reviewer
    # replies; the enterprise resolves the second once the evidence is attached.
    first, second = queries.open_comments(assessment.id, assessment.revision)
    own = review.Reviewer(user=owner, tenant_id=tenant.id, role=Role.owner, linked=False,
                          tenant_name=tenant.name)
    linked = review.Reviewer(user=reviewer, tenant_id=consultancy.id, role=Role.assessor,
                             linked=True, tenant_name=consultancy.name)
    review.reply(own, assessment, first.id,
                 "已按月末余额平均重新计算，库存周转率由 9.1 次调整为 7.8 次。"
                 "(Recomputed from month-end balances: turnover is now 7.8, not 9.1.)")
    review.reply(linked, assessment, first.id,
                 "收到，重新提交后我们将核对计算表。(Thanks: we will check the worksheet once "
                 "you submit again.)")
    review.resolve_comment(own, assessment, second.id)


def _plan(consultancy: Tenant, client: Tenant, plan: tuple[str, date],
          users: dict[str, User]) -> None:
    """The consultancy's reviewer and due date for a client (left as it is when set)."""
    set_tenant(db.session, consultancy.id)
    if portfolio_queries.assignment(client.id) is None:
        who, due = plan
        portfolio.assign(consultancy.id, client.id, users[who].id, due,
                         users["consultancy.owner"].id)


def demo_counts() -> dict[str, int]:
    """Assessments by state across every tenant (a logged system scope)."""
    with system_scope(db.session, "demo: count assessments"):
        counts: dict[str, int] = {}
        for assessment in db.session.exec(select(Assessment)).all():
            counts[assessment.state] = counts.get(assessment.state, 0) + 1
    return counts


ROLE_WORDS = {"owner": "所有者 owner", "assessor": "评估员 assessor"}


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def print_logins(logins: list[Login], password: str) -> None:
    click.echo("演示数据均为虚构 / The demo data is synthetic.")
    click.echo(f"密码 Password（所有账号 every account）: {password}\n")
    rows = [("组织 Organisation", "角色 Role", "邮箱 E-mail")]
    rows += [(x.organisation, ROLE_WORDS.get(x.role, x.role), x.email) for x in logins]
    first = max(_width(r[0]) for r in rows) + 2
    second = max(_width(r[1]) for r in rows) + 2
    for organisation, role, email in rows:
        click.echo(f"{_pad(organisation, first)}{_pad(role, second)}{email}")


demo_cli = AppGroup("demo", help="Demo data (synthetic).")


@demo_cli.command("load")
@click.option("--members", default=DEFAULT_MEMBERS, show_default=True,
              help="Member enterprises of the demo association.")
def load_command(members: int) -> None:
    """Create the demo organisations, users and assessments (idempotent)."""
    # The services translate messages (e.g. link e-mails), which needs a request's locale.
    # Refreshes are held back during the load (each finalisation only marks its cohorts)
    # and run once at the end: the load stays linear in the number of members.
    with current_app.test_request_context(), refreshes_held(), db.commit_scope():
        logins = load(members, commit_every=DEMO_BATCH)
        counts = demo_counts()
    with current_app.test_request_context():
        refreshed = drain_stale_cohorts()
    print_logins(logins, current_app.config["DEMO_PASSWORD"])
    click.echo("\n" + ", ".join(f"{state}: {n}" for state, n in sorted(counts.items())))
    click.echo(f"benchmark cohorts refreshed: {refreshed}")


def register(app: Flask) -> None:
    app.cli.add_command(demo_cli)

