"""Words for the campaign pages and exports: statuses and cadence steps, never codes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from assessment.campaigns.models import Status

STATUS_LABELS: dict[str, Any] = {
    Status.invited: _l("Invited"),
    Status.signed_up: _l("Signed up"),
    Status.in_progress: _l("In progress"),
    Status.submitted: _l("Submitted"),
    Status.returned: _l("Returned with comments"),
    Status.finalised: _l("Finalised"),
    Status.declined: _l("Declined"),
    Status.overdue: _l("Overdue"),
}
BOARD_ORDER = [Status.invited, Status.signed_up, Status.in_progress, Status.submitted,
               Status.returned, Status.finalised, Status.declined, Status.overdue]


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, "—"))
