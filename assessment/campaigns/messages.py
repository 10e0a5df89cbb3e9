"""Every message a campaign sends goes through :func:`send_campaign_message`.

One function, so that the other channels (the in-app notification centre, the WeCom,
DingTalk and Feishu robots) join e-mail in one place. The participant's language is not
known (they may have no account yet): the message is in Chinese first, then English.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from assessment.campaigns.models import Campaign, Participant
from tenants.mail import send_mail
from tenants.models import Tenant
from tenants.security import sign

INVITE_PURPOSE = "campaign-invite"
INVITE_MAX_AGE = 366 * 24 * 3600


class MessageKind(StrEnum):
    invitation = "invitation"  # a new company: sign up with the organisation pre-filled
    link_request = "link_request"  # a company already on ChainGauge: accept the link
    reminder = "reminder"  # before the deadline
    escalation = "escalation"  # after it


def invitation_token(participant: Participant) -> str:
    return sign(INVITE_PURPOSE, {"t": str(participant.tenant_id), "p": str(participant.id)})


def _deadline(day: date, lang: str) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def _one_language(kind: MessageKind, owner: Tenant, campaign: Campaign,
                  participant: Participant, link: str, lang: str) -> tuple[str, str]:
    with force_locale("en" if lang == "en" else "zh_CN"):
        values = {"owner": owner.name, "campaign": campaign.name,
                  "deadline": _deadline(campaign.deadline, lang),
                  "company": participant.company_name, "contact": participant.contact_name}
        greeting = _("Dear %(contact)s,", **values)
        text = campaign.invitation_en if lang == "en" else campaign.invitation_zh
        if kind == MessageKind.invitation:
            subject = _("%(owner)s invites %(company)s to %(campaign)s", **values)
            body = _("%(owner)s invites %(company)s to take part in %(campaign)s. Create your "
                     "free ChainGauge account (your organisation is already filled in) and "
                     "complete the assessment by %(deadline)s:", **values)
        elif kind == MessageKind.link_request:
            subject = _("%(owner)s invites %(company)s to %(campaign)s", **values)
            body = _("%(owner)s invites %(company)s to take part in %(campaign)s. Your "
                     "enterprise already has a ChainGauge account: sign in, accept the link "
                     "request on the Links page and complete the assessment by %(deadline)s:",
                     **values)
        elif kind == MessageKind.reminder:
            subject = _("Reminder: %(campaign)s closes on %(deadline)s", **values)
            body = _("The assessment of %(company)s for %(campaign)s is not submitted yet. "
                     "It is due on %(deadline)s:", **values)
            text = ""
        else:
            subject = _("Overdue: %(campaign)s closed on %(deadline)s", **values)
            body = _("The assessment of %(company)s for %(campaign)s was due on %(deadline)s "
                     "and is not submitted yet. Please complete it now:", **values)
            text = ""
        parts = [greeting, "", text, ""] if text else [greeting, ""]
        return str(subject), "\n".join([*parts, str(body), link])


def send_campaign_message(kind: MessageKind, owner: Tenant, campaign: Campaign,
                          participant: Participant) -> None:
    """Queue ``kind`` of message to ``participant`` (sent once the unit of work commits)."""
    if participant.enterprise_tenant_id is None:
        link = url_for("campaign_join.join", token=invitation_token(participant),
                       _external=True)
    else:
        link = url_for("auth.login", _external=True)
    subject_zh, body_zh = _one_language(kind, owner, campaign, participant, link, "zh")
    subject_en, body_en = _one_language(kind, owner, campaign, participant, link, "en")
    send_mail(participant.email, f"{subject_zh} / {subject_en}",
              f"{body_zh}\n\n-----\n\n{body_en}\n")
