"""Campaign writes: create one, add participants (one, or a whole list by a job), join or
decline by the invitation link. Change and flush, never commit (the request or job does).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import col, select

from assessment.campaigns import queries
from assessment.campaigns.messages import (
    INVITE_MAX_AGE,
    INVITE_PURPOSE,
    MessageKind,
    queue_messages,
)
from assessment.campaigns.models import Campaign, Participant, Upload, UploadState
from assessment.campaigns.roster import COLUMNS, Problem, Roster, check_row, read_roster
from assessment.profiles.models import EnterpriseProfile
from indicators import InvalidFramework, load_framework
from tenants import queries as platform_queries
from tenants.context import set_tenant, system_scope
from tenants.db import after_commit, db
from tenants.errors import Conflict, DomainError, FieldErrors, Forbidden, NotFound
from tenants.jobs import app_task, start
from tenants.models import LinkGrant, Role, Tenant, TenantKind, User
from tenants.security import TokenInvalid, unsign
from tenants.services import audit
from tenants.services.links import request_links_in_bulk
from tenants.types import utcnow

OWNER_KINDS = (TenantKind.association, TenantKind.consultancy, TenantKind.enterprise)
MANAGERS = (Role.owner, Role.admin)


@dataclass(frozen=True)
class CampaignData:
    name: str
    year: int
    framework: str  # "id@version"
    grants: list[str]
    deadline: date
    remind_days_before: list[int]
    escalate_days_after: list[int]
    invitation_zh: str = ""
    invitation_en: str = ""


def _require_manager(tenant: Tenant, user: User) -> None:
    member = platform_queries.membership(tenant.id, user.id)
    if member is None:
        raise NotFound(_l("Not found."))
    if Role(member.role) not in MANAGERS:
        raise Forbidden(_l("Only owners and administrators can run campaigns."))


def create_campaign(tenant: Tenant, user: User, data: CampaignData) -> Campaign:
    _require_manager(tenant, user)
    errors: dict[str, Any] = {}
    if not data.name.strip():
        errors["name"] = _l("Enter the campaign's name.")
    if not 2000 <= data.year <= 2100:
        errors["year"] = _l("Enter a reporting year between 2000 and 2100.")
    framework_id, _sep, version = data.framework.partition("@")
    try:
        framework = load_framework(framework_id, version or None)
    except InvalidFramework:
        errors["framework"] = _l("Choose a framework version.")
        framework = None
    if not data.grants:
        errors["grants"] = _l("Choose at least one thing the link grants.")
    if any(d < 0 or d > 365 for d in [*data.remind_days_before, *data.escalate_days_after]):
        errors["remind_days_before"] = _l("Use whole days between 0 and 365.")
    if errors:
        raise FieldErrors(errors)
    assert framework is not None
    found = Campaign(name=data.name.strip(), year=data.year, framework_id=framework.id,
                     framework_version=framework.version,
                     grants=sorted({str(LinkGrant(g)) for g in data.grants}),
                     deadline=data.deadline,
                     remind_days_before=sorted(set(data.remind_days_before), reverse=True),
                     escalate_days_after=sorted(set(data.escalate_days_after)),
                     invitation_zh=data.invitation_zh.strip(),
                     invitation_en=data.invitation_en.strip(), created_by_id=user.id)
    db.session.add(found)
    db.session.flush()
    audit.record("campaign.created", tenant_id=tenant.id, subject=found.name)
    return found


# -- participants ----------------------------------------------------------------------------
def add_participant(tenant: Tenant, user: User, found: Campaign, values: dict[str, str]
                    ) -> Participant:
    """One participant, checked exactly as a row of an uploaded list."""
    _require_manager(tenant, user)
    roster = Roster()  # one rule set for both ways in: the row checks of an upload
    clean = {key: (values.get(key) or "").strip() for key in COLUMNS}
    if not check_row(2, clean, roster.problems):
        raise FieldErrors({p.column: p.message for p in roster.problems})
    if clean["credit_code"] in queries.participant_codes(found.id):
        raise Conflict(_l("This company is already in the campaign."), "credit_code")
    [participant] = apply_rows(tenant, user, found, [clean])
    return participant


def _existing_enterprises(codes: list[str]) -> dict[str, uuid.UUID]:
    """Credit code → the enterprise whose profile holds it (read across tenants)."""
    found: dict[str, uuid.UUID] = {}
    table = EnterpriseProfile.__table__  # type: ignore[attr-defined]
    with system_scope(db.session, "campaign: enterprises already registered by credit code"):
        for start_at in range(0, len(codes), 1000):
            chunk = codes[start_at:start_at + 1000]
            for code, tenant_id in db.session.execute(
                    sa.select(table.c.credit_code, table.c.tenant_id)
                    .where(table.c.credit_code.in_(chunk))):
                found.setdefault(code, tenant_id)
    return found


def apply_rows(tenant: Tenant, user: User | None, found: Campaign,
                rows: list[dict[str, str]]) -> list[Participant]:
    """Insert the participants (one multi-row insert), link the enterprises already on
    ChainGauge (a pending link each: they consent), and queue every invitation."""
    existing = _existing_enterprises([r["credit_code"] for r in rows])
    now = utcnow()
    records = [{"id": uuid.uuid4(), "tenant_id": tenant.id, "campaign_id": found.id,
                "company_name": r["company_name"], "credit_code": r["credit_code"],
                "contact_name": r["contact_name"], "email": r["email"],
                "industry": r.get("industry", ""), "size": r.get("size", ""),
                "province": r.get("province", ""),
                "enterprise_tenant_id": existing.get(r["credit_code"]),
                "invited_at": now, "joined_at": now if r["credit_code"] in existing else None,
                "declined_at": None}
               for r in rows]
    db.session.execute(sa.insert(Participant), records)
    if existing:
        request_links_in_bulk(tenant, user, list(existing.values()),
                              [LinkGrant(g) for g in found.grants])
    participants = [Participant.model_validate(record) for record in records]
    queue_messages(MessageKind.invitation, found,
                   [p.id for p in participants if p.enterprise_tenant_id is None])
    queue_messages(MessageKind.link_request, found,
                   [p.id for p in participants if p.enterprise_tenant_id is not None])
    audit.record("campaign.participants_added", tenant_id=tenant.id, subject=found.name,
                 added=len(rows), linked=len(existing))
    return participants


def start_upload(tenant: Tenant, user: User, found: Campaign, data: bytes, filename: str,
                 lang: str) -> Upload:
    """Keep the file and queue the job that checks and applies it after the commit."""
    _require_manager(tenant, user)
    upload = Upload(campaign_id=found.id, filename=filename[:200], data=data, lang=lang,
                    created_by_id=user.id)
    db.session.add(upload)
    db.session.flush()
    tenant_id, upload_id = tenant.id, upload.id
    after_commit(lambda: start(apply_upload, tenant_id, upload_id))
    return upload


def check_upload(found: Campaign, data: bytes, filename: str) -> Roster:
    """Every bad cell of the list, including a company already in the campaign."""
    roster = read_roster(data, filename)
    if roster.rows:
        known = queries.participant_codes(found.id)
        for number, row in zip(roster.row_numbers, roster.rows, strict=True):
            if row["credit_code"] in known:
                roster.problems.append(Problem(number, "credit_code",
                                               _l("This company is already in the campaign.")))
    roster.problems.sort(key=lambda p: (p.row, list(COLUMNS).index(p.column)
                                        if p.column in COLUMNS else -1))
    return roster


def apply_checked(tenant: Tenant, user: User | None, found: Campaign, upload: Upload) -> None:
    """Check the upload's list and, only when nothing is wrong, add every row."""
    with force_locale("en" if upload.lang == "en" else "zh_CN"):
        roster = check_upload(found, upload.data, upload.filename)
        if roster.problems:
            upload.state = UploadState.refused
            upload.problems = [{**p.as_dict(), "letter": roster.columns.get(p.column, "")}
                               for p in roster.problems[:1000]]
            upload.counts = {"problems": len(roster.problems), "rows": len(roster.rows)}
        else:
            participants = apply_rows(tenant, user, found, roster.rows)
            linked = sum(1 for p in participants if p.enterprise_tenant_id)
            upload.state = UploadState.done
            upload.counts = {"added": len(participants), "linked": linked,
                             "invited": len(participants) - linked}
    upload.data = b""  # the list is applied or refused: no need to keep personal data
    upload.finished_at = utcnow()


@app_task()
def apply_upload(tenant_id: uuid.UUID, upload_id: uuid.UUID) -> None:
    """The job: all rows in one transaction, or none (a refused list records its problems)."""
    set_tenant(db.session, tenant_id)
    with db.commit_scope():
        upload = db.session.exec(select(Upload).where(Upload.id == upload_id)).first()
        tenant = platform_queries.tenant_by_id(tenant_id)
        if upload is None or tenant is None or upload.state != UploadState.queued:
            return
        found = queries.campaign(upload.campaign_id)
        user = db.session.get(User, upload.created_by_id) if upload.created_by_id else None
        assert found is not None
        try:
            with db.session.begin_nested():  # a failure inside leaves no participant behind
                apply_checked(tenant, user, found, upload)
        except sa.exc.IntegrityError:  # the same company added meanwhile by another hand
            _refuse(upload, _l("The list changed while it was being applied. Upload it again."))
        except DomainError as error:  # e.g. the plan's member seats do not cover the list
            _refuse(upload, error.message)


def _refuse(upload: Upload, message: Any) -> None:
    with force_locale("en" if upload.lang == "en" else "zh_CN"):
        upload.problems = [{"row": 0, "column": "", "letter": "", "message": str(message)}]
    upload.state = UploadState.refused
    upload.counts = {"problems": 1, "rows": 0}
    upload.data = b""
    upload.finished_at = utcnow()


# -- the invitation link ---------------------------------------------------------------------
def participant_for_token(token: str) -> tuple[Participant, Campaign, Tenant]:
    """The participant an invitation link names (read in a system scope: the token is all
    the caller has)."""
    try:
        data = unsign(INVITE_PURPOSE, token, INVITE_MAX_AGE)
        tenant_id, participant_id = uuid.UUID(data["t"]), uuid.UUID(data["p"])
    except (TokenInvalid, KeyError, TypeError, ValueError) as exc:
        raise DomainError(_l("This invitation link is not valid.")) from exc
    with system_scope(db.session, "campaign invitation lookup by token"):
        participant = db.session.exec(select(Participant).where(
            Participant.tenant_id == tenant_id, Participant.id == participant_id)).first()
        found = db.session.exec(select(Campaign).where(
            Campaign.tenant_id == tenant_id,
            Campaign.id == (participant.campaign_id if participant else None))).first()
        owner = platform_queries.tenant_by_id(tenant_id)
    if participant is None or found is None or owner is None:
        raise DomainError(_l("This invitation link is not valid."))
    return participant, found, owner


def join(participant: Participant, found: Campaign, owner: Tenant, enterprise: Tenant,
         user: User) -> None:
    """The enterprise takes part: the participant names it and a link request waits for
    its consent (on the Links page, as every link does)."""
    if enterprise.kind != TenantKind.enterprise:
        raise DomainError(_l("Only an enterprise takes part in a campaign."))
    with system_scope(db.session, "campaign: the participant joins with its enterprise"):
        changed = db.session.execute(
            sa.update(Participant).where(col(Participant.tenant_id) == participant.tenant_id,
                                         col(Participant.id) == participant.id,
                                         col(Participant.enterprise_tenant_id).is_(None))
            .values(enterprise_tenant_id=enterprise.id, joined_at=utcnow(), declined_at=None))
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(_l("This invitation has already been used."))
        request_links_in_bulk(owner, None, [enterprise.id], [LinkGrant(g) for g in found.grants])
        audit.record("campaign.joined", tenant_id=owner.id, subject=enterprise.name,
                     actor_user_id=user.id)
    db.session.flush()


def decline(participant: Participant, owner: Tenant) -> None:
    with system_scope(db.session, "campaign: the participant declines by its invitation"):
        db.session.execute(
            sa.update(Participant).where(col(Participant.tenant_id) == participant.tenant_id,
                                         col(Participant.id) == participant.id)
            .values(declined_at=utcnow()))
        audit.record("campaign.declined", tenant_id=owner.id, subject=participant.company_name)
