"""Helpers shared by the questionnaire's view modules."""

from __future__ import annotations

import uuid

from flask import abort
from flask_babel import gettext as _

from assessment.assessments.documents import framework_of
from assessment.assessments.models import Assessment
from assessment.assessments.pages import ENERGY_PAGE, PROFILE_PAGE, Page, page
from indicators import Framework
from tenants import queries as platform_queries
from tenants.language import reader_language
from tenants.web import current_tenant


def page_title(framework: Framework, code: str) -> str:
    if code == PROFILE_PAGE:
        return _("Enterprise profile")
    if code == ENERGY_PAGE:
        return _("Energy and carbon")
    for dimension in framework.dimensions:
        if dimension.code == code:
            return dimension.name_en if reader_language() == "en" else dimension.name_zh
    return code


def page_or_404(assessment: Assessment, code: str) -> tuple[Framework, Page]:
    framework = framework_of(assessment)
    found = page(framework, code)
    if found is None:
        abort(404)
    return framework, found


def people() -> dict[uuid.UUID, str]:
    """Display names of the tenant's members, for history and assignments."""
    return {user.id: user.name or user.email
            for user, _m in platform_queries.members_of(current_tenant().id)}
