"""Two administrators copy last year's answers into the same new assessment at the same
moment, through the real endpoint with real parallel connections: one copy is made (the
unique key of ``carry_over`` decides), the other request is refused with a clear message,
never a 500, and no answer is written twice."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assessment.assessments.models import Answer, CarryOver
from tests.integration.assessment_review.factories import ANSWERS
from tests.integration.concurrency.conftest import YEAR, Committed, race

ROUNDS = 4
REFUSALS = ("already copied", "that has none yet")


def _token(client: Any, url: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.mark.postgres  # on SQLite writers are serialised: nothing runs at the same instant
def test_two_simultaneous_copies_make_one(committed: Committed) -> None:
    from assessment.assessments import services
    from tenants.extensions import db

    colleague = committed.user(name="Colleague")
    tenant, source, owner = committed.enterprise(colleague, dict(ANSWERS))
    source_count = len(committed.read(Answer, Answer.assessment_id == source.id))
    assert source_count == len(ANSWERS)
    clients = [committed.client(user) for user in (owner, colleague)]
    for round_ in range(ROUNDS):
        with committed.acting(tenant, owner) as (user, membership):
            target = services.create_assessment(membership, YEAR + 1 + round_, user)
            target_id = target.id
            db.commit()
        url = f"/t/{tenant.slug}/assessments/{target_id}"
        tokens = [_token(client, url) for client in clients]

        def copy(client: Any, token: str, url: str = url) -> Any:
            return client.post(f"{url}/carry-over", data={"csrf_token": token},
                               headers={"Accept-Language": "en"})

        outcomes = race(*(lambda c=c, t=t: copy(c, t)
                          for c, t in zip(clients, tokens, strict=True)))
        statuses = [500 if isinstance(o, BaseException) else o.status_code for o in outcomes]
        assert statuses == [303, 303], (round_, outcomes)
        records = committed.read(CarryOver, CarryOver.assessment_id == target_id)
        assert len(records) == 1, round_
        copied = committed.read(Answer, Answer.assessment_id == target_id)
        assert len(copied) == source_count, round_
        # one browser was told the copy is done, the other why it was refused
        said = [client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
                for client in clients]
        assert sum("Last year&#39;s answers were copied" in page
                   or "Last year's answers were copied" in page for page in said) == 1
        assert sum(any(r in page for r in REFUSALS) for page in said) == 1, round_
