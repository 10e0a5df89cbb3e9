"""Factories for the questionnaire tests: enterprises with a profile, draft assessments,
answers and assignments, each built through the assessment services.

The fixtures are re-exported by this folder's conftest.py; other folders import them from
here (``from tests.web.assessment.factories import draft_assessment``)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.profiles.rules import uscc_check_character
from tests.factories.platform import owner_of


def valid_credit_code(body: str = "91110108MA0123456") -> str:
    return body + uscc_check_character(body)


@contextlib.contextmanager
def acting(app: Flask, tenant: Any, user: Any) -> Iterator[tuple[Any, Any]]:
    """(user, membership) inside a request context of ``tenant``; commits at the end."""
    from tenants import queries as platform_queries
    from tenants.context import set_tenant
    from tenants.extensions import db

    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        merged = db.session.merge(user)
        membership = platform_queries.membership(tenant.id, merged.id)
        assert membership is not None
        yield merged, membership
        db.commit()


@pytest.fixture
def enterprise_with_profile(app: Flask, make_tenant: Any) -> Any:
    """An enterprise tenant whose owner saved a valid profile; returns the tenant."""
    from assessment.profiles.services import ProfileData, save_profile

    def build(members: Any = (), **overrides: Any) -> Any:
        tenant = make_tenant("enterprise", members=members)
        data = {"legal_name": "示例制造有限公司", "credit_code": valid_credit_code(),
                "industry_division": "C36", "employees": 350, "revenue_wan": Decimal("5000"),
                "province": "32", **overrides}
        with acting(app, tenant, owner_of(app, tenant)) as (user, membership):
            save_profile(membership, user, ProfileData(**data))
        return tenant

    return build


@pytest.fixture
def draft_assessment(app: Flask) -> Any:
    from assessment.assessments import services

    def build(tenant: Any, year: int = 2023) -> Any:
        with acting(app, tenant, owner_of(app, tenant)) as (user, membership):
            return services.create_assessment(membership, year, user)

    return build


@pytest.fixture
def save_answer(app: Flask) -> Any:
    """Save one answer as ``user`` (default: the owner), through the service."""
    from assessment.assessments import answering, queries
    from assessment.assessments.models import AnswerState

    def save(tenant: Any, assessment: Any, key: str, value: Any, *, user: Any = None,
             state: AnswerState = AnswerState.answered) -> Any:
        with acting(app, tenant, user or owner_of(app, tenant)) as (actor, membership):
            stored = queries.assessment(assessment.id)
            current = queries.answer(assessment.id, key)
            return answering.save_answer(stored, membership, actor, key, value, state,
                                        current.version if current else None)

    return save


@pytest.fixture
def assign_page(app: Flask) -> Any:
    from assessment.assessments import answering, queries

    def assign(tenant: Any, assessment: Any, page: str, user: Any) -> None:
        with acting(app, tenant, owner_of(app, tenant)) as (_user, membership):
            answering.assign_page(queries.assessment(assessment.id), membership, page,
                                 user.id if user else None)

    return assign


@pytest.fixture
def stored_answer(app: Flask) -> Any:
    """The stored answer row of ``key`` (None when there is none), read across tenants."""
    from assessment.assessments.models import Answer

    def read(assessment: Any, key: str) -> Any:
        from tests.factories import fetch

        rows = fetch(app, Answer, Answer.assessment_id == assessment.id, Answer.key == key)
        return rows[0] if rows else None

    return read


_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def page_token() -> Any:
    """The CSRF token of a page, as the questionnaire script reads it."""

    def token(client: FlaskClient, url: str) -> str:
        html = client.get(url).get_data(as_text=True)
        match = _TOKEN.search(html)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    return token


def page_url(tenant: Any, assessment: Any, page: str) -> str:
    return f"/t/{tenant.slug}/assessments/{assessment.id}/pages/{page}"


def autosave_url(tenant: Any, assessment: Any) -> str:
    return f"/t/{tenant.slug}/assessments/{assessment.id}/answers"
