"""The demo's improvement plans (called by ``assessment.demo``): actions in every status,
owned, with due dates (some overdue), a free action, and comments from the consultancy with
the enterprise's replies. Get-or-create: a plan that exists is left as it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from assessment.assessments import queries as assessment_queries
from assessment.assessments.models import State
from assessment.plans import queries, services
from assessment.plans.models import ActionStatus, Band
from assessment.plans.proposals import proposals_for
from assessment.plans.services import Actor
from tenants import queries as platform_queries
from tenants.context import set_tenant
from tenants.db import db
from tenants.models import Role, Tenant, User

# (status path from "proposed", days from today to the due date; None: no date yet)
SHAPES: tuple[tuple[tuple[str, ...], int | None], ...] = (
    (("planned", "done"), -45),
    (("planned", "in_progress"), 30),
    (("planned",), -12),  # overdue
    (("in_progress",), -3),  # overdue
    ((), None),  # still proposed
    (("dropped",), None),
)


@dataclass(frozen=True)
class Commenter:
    user: User
    organisation: Tenant


def plan(tenant: Tenant, owner: User, year: int, commenter: Commenter | None) -> None:
    set_tenant(db.session, tenant.id)
    assessment = assessment_queries.assessment_for_year(year)
    if assessment is None or assessment.state != State.finalised:
        return
    if queries.plan_of(assessment.id) is not None:
        return
    membership = platform_queries.membership(tenant.id, owner.id)
    assert membership is not None
    actor = Actor.of(owner, membership)
    made = services.create_plan(assessment, actor)
    adopted = services.adopt(made, proposals_for(assessment)[:len(SHAPES)], actor)
    today = datetime.now(UTC).date()
    for item, (path, days) in zip(adopted, SHAPES, strict=False):
        due = None if days is None else today + timedelta(days=days)
        effort = Band.low if item.position % 3 == 1 else item.effort
        services.update_action(item, item.version, actor, owner_id=owner.id, due_date=due,
                               effort=effort)
        for status in path:
            services.change_status(item, item.status, status, actor)
    free = services.add_action(made, actor, title="每周召开一次供应链例会，跟踪交付与库存问题",
                               owner_id=owner.id, effort=Band.low, cost=Band.low,
                               due_date=today + timedelta(days=14),
                               notes="由计划部牵头，销售、采购、仓储参加。")
    services.change_status(free, ActionStatus.proposed, ActionStatus.planned, actor)
    if commenter is not None and adopted:
        reviewer = Actor(commenter.user, commenter.organisation.id, Role.assessor)
        target = adopted[min(1, len(adopted) - 1)]
        question = services.add_comment(
            target, reviewer, "建议先在一条产线试点，三个月后用交付数据评估效果。"
            "(Pilot it on one line first and measure it with delivery data after three "
            "months.)")
        services.add_comment(target, actor, "同意，先在总装线试点，月底前给出试点方案。",
                             question.id)
        services.add_comment(adopted[0], reviewer,
                             "请上传完成证明（制度文件或会议纪要），以便复核。")
