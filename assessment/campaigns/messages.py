"""Every message a campaign sends goes through :func:`send_campaign_message`.

The contact named in the list gets an e-mail; when the participant's enterprise is already
on ChainGauge, its owners and admins also find it in their notification centre and its
group robots (WeCom, DingTalk, Feishu) post it (``tenants.notifications``; no second
e-mail). The contact's language is not known (they may have no account yet): the e-mail is
in Chinese first, then English; the notification is in each reader's language.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from enum import StrEnum
from functools import cache

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assessment.campaigns import queries
from assessment.campaigns.models import Campaign, Participant
from tenants import notifications
from tenants import queries as platform_queries
from tenants.context import set_tenant, system_scope
from tenants.db import after_commit, db
from tenants.jobs import app_task, start
from tenants.mail import deliver, is_suppressed
from tenants.models import Role, Tenant
from tenants.security import sign

log = logging.getLogger(__name__)

INVITE_PURPOSE = "campaign-invite"
INVITE_MAX_AGE = 366 * 24 * 3600


class MessageKind(StrEnum):
    invitation = "invitation"  # a new company: sign up with the organisation pre-filled
    link_request = "link_request"  # a company already on ChainGauge: accept the link
    reminder = "reminder"  # before the deadline
    escalation = "escalation"  # after it


# What the participant's owners and admins see in the notification centre (and its robots
# post); the e-mail to the listed contact is the message itself, so these send none.
_NOTICES = {
    MessageKind.link_request: notifications.register_event(notifications.EventKind(
        "campaign.invited", _l("An invitation to an assessment campaign"),
        _l("%(owner)s invites %(company)s to %(campaign)s"),
        _l("Accept the link request on the Links page and complete the assessment by "
           "%(deadline)s."), email=False)),
    MessageKind.reminder: notifications.register_event(notifications.EventKind(
        "campaign.reminder", _l("A campaign reminder"),
        _l("Reminder: %(campaign)s closes on %(deadline)s"),
        _l("%(owner)s reminds %(company)s that its assessment is not submitted yet."),
        email=False)),
    MessageKind.escalation: notifications.register_event(notifications.EventKind(
        "campaign.escalation", _l("A campaign deadline has passed"),
        _l("Overdue: %(campaign)s closed on %(deadline)s"),
        _l("%(owner)s is still waiting for the assessment of %(company)s."), email=False)),
}


def invitation_token(participant: Participant) -> str:
    return sign(INVITE_PURPOSE, {"t": str(participant.tenant_id), "p": str(participant.id)})


def _deadline(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


# msgids of each kind: (subject, body); the greeting and the invitation text come around them
_WORDS = {
    MessageKind.invitation: (
        "%(owner)s invites %(company)s to %(campaign)s",
        "%(owner)s invites %(company)s to take part in %(campaign)s. Create your free "
        "ChainGauge account (your organisation is already filled in) and complete the "
        "assessment by %(deadline)s:"),
    MessageKind.link_request: (
        "%(owner)s invites %(company)s to %(campaign)s",
        "%(owner)s invites %(company)s to take part in %(campaign)s. Your enterprise already "
        "has a ChainGauge account: sign in, accept the link request on the Links page and "
        "complete the assessment by %(deadline)s:"),
    MessageKind.reminder: (
        "Reminder: %(campaign)s closes on %(deadline)s",
        "The assessment of %(company)s for %(campaign)s is not submitted yet. It is due on "
        "%(deadline)s:"),
    MessageKind.escalation: (
        "Overdue: %(campaign)s closed on %(deadline)s",
        "The assessment of %(company)s for %(campaign)s was due on %(deadline)s and is not "
        "submitted yet. Please complete it now:"),
}
# for the catalogue's extractor: the msgids above, as calls it recognises
if False:  # pragma: no cover
    _("%(owner)s invites %(company)s to %(campaign)s")
    _("%(owner)s invites %(company)s to take part in %(campaign)s. Create your free "
      "ChainGauge account (your organisation is already filled in) and complete the "
      "assessment by %(deadline)s:")
    _("%(owner)s invites %(company)s to take part in %(campaign)s. Your enterprise already "
      "has a ChainGauge account: sign in, accept the link request on the Links page and "
      "complete the assessment by %(deadline)s:")
    _("Reminder: %(campaign)s closes on %(deadline)s")
    _("The assessment of %(company)s for %(campaign)s is not submitted yet. It is due on "
      "%(deadline)s:")
    _("Overdue: %(campaign)s closed on %(deadline)s")
    _("The assessment of %(company)s for %(campaign)s was due on %(deadline)s and is not "
      "submitted yet. Please complete it now:")
    _("Dear %(contact)s,")


@cache
def _patterns(kind: MessageKind, lang: str) -> tuple[str, str, str]:
    """(greeting, subject, body) patterns of ``kind`` in ``lang``: translated once per
    process, since a list of thousands sends thousands of messages in one transaction."""
    with force_locale("en" if lang == "en" else "zh_CN"):
        subject, body = _WORDS[kind]
        return str(_("Dear %(contact)s,")), str(_(subject)), str(_(body))


def _one_language(kind: MessageKind, owner: Tenant, campaign: Campaign,
                  participant: Participant, link: str, lang: str) -> tuple[str, str]:
    values = {"owner": owner.name, "campaign": campaign.name,
              "deadline": _deadline(campaign.deadline, lang),
              "company": participant.company_name, "contact": participant.contact_name}
    greeting, subject, body = _patterns(kind, lang)
    text = ""
    if kind in (MessageKind.invitation, MessageKind.link_request):
        text = campaign.invitation_en if lang == "en" else campaign.invitation_zh
    parts = [greeting % values, "", text, ""] if text else [greeting % values, ""]
    return subject % values, "\n".join([*parts, body % values, link])


def _link(participant: Participant) -> str:
    if participant.enterprise_tenant_id is None:
        return url_for("campaign_join.join", token=invitation_token(participant),
                       _external=True)
    return url_for("auth.login", _external=True)


def send_campaign_message(kind: MessageKind, owner: Tenant, campaign: Campaign,
                          participant: Participant) -> None:
    """Deliver one message to ``participant`` now, on every channel: the one place where a
    channel is added (today e-mail; the in-app centre and the group robots join here). Runs
    inside the delivery job (:func:`deliver_messages`), never in a request."""
    link = _link(participant)
    subject_zh, body_zh = _one_language(kind, owner, campaign, participant, link, "zh")
    subject_en, body_en = _one_language(kind, owner, campaign, participant, link, "en")
    deliver.call_local(participant.email, f"{subject_zh} / {subject_en}",
                       f"{body_zh}\n\n-----\n\n{body_en}\n")
    _notify_enterprise(kind, owner, campaign, participant)


def _notify_enterprise(kind: MessageKind, owner: Tenant, campaign: Campaign,
                       participant: Participant) -> None:
    """The in-app and robot side of a message to an enterprise already on ChainGauge."""
    notice = _NOTICES.get(kind)
    if notice is None or participant.enterprise_tenant_id is None:
        return
    with system_scope(db.session, "campaigns: who manages a participant enterprise"):
        enterprise = platform_queries.tenant_by_id(participant.enterprise_tenant_id)
        managers = [user.id for user, membership in
                    platform_queries.members_of(participant.enterprise_tenant_id)
                    if Role(membership.role).manages_members]
    if enterprise is None:
        return
    url = f"/t/{enterprise.slug}/links" if kind == MessageKind.link_request \
        else f"/t/{enterprise.slug}/"
    with db.session.begin_nested():  # a failure here leaves the e-mail sent and the job going
        notifications.notify(
            db.session, tenant_id=enterprise.id, user_ids=managers, event=notice.key,
            params={"owner": owner.name, "campaign": campaign.name,
                    "deadline": campaign.deadline.isoformat(),
                    "company": participant.company_name},
            url=url)


BATCH = 500  # messages per delivery job


def queue_messages(kind: MessageKind, campaign: Campaign,
                   participant_ids: list[uuid.UUID]) -> None:
    """Send ``kind`` to these participants once the unit of work commits: one job per
    ``BATCH`` (a list of 5,000 is ten jobs, not 5,000 queue round trips in the request)."""
    if not participant_ids or is_suppressed():
        return
    for start_at in range(0, len(participant_ids), BATCH):
        chunk = [str(p) for p in participant_ids[start_at:start_at + BATCH]]
        after_commit(_starter(str(campaign.tenant_id), str(campaign.id), str(kind), chunk))


def _starter(tenant_id: str, campaign_id: str, kind: str, chunk: list[str]
             ) -> Callable[[], None]:
    return lambda: start(deliver_messages, tenant_id, campaign_id, kind, chunk)


@contextlib.contextmanager
def _links_from_config() -> Iterator[None]:
    """Links in a job point at ``PUBLIC_URL`` (a request's own address when there is one)."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        yield


@app_task()
def deliver_messages(tenant_id: str, campaign_id: str, kind: str,
                     participant_ids: list[str]) -> None:
    """The delivery job: each message on its own, so one bad address stops no other."""
    set_tenant(db.session, uuid.UUID(tenant_id))
    owner = platform_queries.tenant_by_id(uuid.UUID(tenant_id))
    campaign = queries.campaign(uuid.UUID(campaign_id))
    if owner is None or campaign is None:
        return
    participants = queries.participants(campaign.id, [uuid.UUID(p) for p in participant_ids])
    with _links_from_config():
        for participant in participants:
            try:
                send_campaign_message(MessageKind(kind), owner, campaign, participant)
            except Exception:  # logged; the others still go out
                log.exception("campaign message failed", extra={"reason": kind})
    db.commit()  # the notifications recorded for enterprises already on ChainGauge
