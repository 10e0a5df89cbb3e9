"""What each audit action means, in the reader's language (the log stores stable codes)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

AUDIT_LABELS: dict[str, Any] = {
    "tenant.created": _l("Organisation created"),
    "user.signed_up": _l("Account created"),
    "user.email_verified": _l("E-mail address confirmed"),
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Failed sign-in"),
    "auth.reset_requested": _l("Password reset requested"),
    "auth.password_reset": _l("Password changed by reset"),
    "auth.session_ended": _l("Session ended"),
    "auth.sessions_ended": _l("Sessions ended"),
    "user.signup_existing": _l("Sign-up attempted with a registered address"),
    "member.invited": _l("Member invited"),
    "member.invitation_revoked": _l("Invitation withdrawn"),
    "member.joined": _l("Member joined"),
    "member.role_changed": _l("Role changed"),
    "member.removed": _l("Member removed"),
    "link.requested": _l("Link requested"),
    "link.accepted": _l("Link accepted"),
    "link.declined": _l("Link declined"),
    "link.revoked": _l("Link ended"),
    "link.accessed": _l("Data opened through a link"),
    "assessment.created": _l("Assessment started"),
    "assessment.carried_over": _l("Last year's answers copied forward"),
    "assessment.carried_confirmed": _l("Copied answers confirmed unchanged"),
    "portfolio.assigned": _l("Client reviewer or due date set"),
    "assessment.submitted": _l("Assessment submitted"),
    "assessment.returned": _l("Assessment returned for changes"),
    "assessment.finalised": _l("Assessment finalised"),
    "assessment.reopened": _l("Assessment reopened"),
    "assessment.rescored": _l("Assessment moved to a new framework version"),
    "assessment.verified": _l("Indicator verified by a reviewer"),
    "assessment.internally_reviewed": _l("Indicator reviewed internally"),
    "assessment.unverified": _l("Indicator check withdrawn"),
    "evidence.attached": _l("Evidence attached"),
    "evidence.removed": _l("Evidence removed"),
    "billing.customer_created": _l("Billing customer created"),
    "billing.checkout_started": _l("Checkout started"),
    "billing.portal_opened": _l("Billing portal opened"),
    "billing.plan_changed": _l("Plan changed"),
    "billing.payment_paid": _l("Payment received"),
    "billing.payment_failed": _l("Payment failed"),
    "campaign.created": _l("Campaign created"),
    "notifications.robot_added": _l("Group robot added"),
    "notifications.robot_changed": _l("Group robot changed"),
    "notifications.robot_removed": _l("Group robot removed"),
    "campaign.participants_added": _l("Campaign participants added"),
    "campaign.joined": _l("Joined a campaign"),
    "campaign.declined": _l("Campaign invitation declined"),
}


def audit_label(action: str) -> Any:
    """The label of an action; an unknown code is shown as it is rather than hidden."""
    return AUDIT_LABELS.get(action, action)
