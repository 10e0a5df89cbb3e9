"""Two administrators confirm the same questioned figure at the same moment, through the real
endpoint with real parallel connections: one confirmation is stored (the unique key on
assessment, code and key decides), the other request is a 303 that replaced it or a clear
409, never a 500 and never two rows."""

from __future__ import annotations

import html
import re
from typing import Any

from assessment.assessments.models import WarningConfirmation
from tests.integration.concurrency.conftest import Committed, race

# 12,000,000 MWh for 50,000 万元 of output: kWh entered as MWh (a plausibility warning).
ANSWERS = {"deliveries_total": 1000, "deliveries_on_time": 965, "output_value": 50000,
           "energy": [{"carrier": "electricity", "quantity": 12_000_000, "unit": "MWh"}]}
ROUNDS = 5


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} on the check page"
    return html.unescape(found.group(1))


def test_two_confirmations_of_one_warning_store_one(committed: Committed) -> None:
    colleague = committed.user(name="Colleague")
    tenant, assessment, owner = committed.enterprise(colleague, dict(ANSWERS))
    base = f"/t/{tenant.slug}/assessments/{assessment.id}"
    clients = [committed.client(user) for user in (owner, colleague)]
    for round_ in range(ROUNDS):
        forms = []
        for client in clients:
            page = client.get(f"{base}/submit").get_data(as_text=True)
            forms.append({name: _hidden(page, name)
                          for name in ("csrf_token", "code", "key", "fingerprint")})

        def confirm(client: Any, form: dict[str, str], who: str, round_: int = round_) -> Any:
            return client.post(f"{base}/warnings/confirm",
                               data={**form, "reason": f"{who}, round {round_}: 见电费单"},
                               headers={"Accept-Language": "en"})

        outcomes = race(*(lambda c=c, f=f, w=w: confirm(c, f, w)
                          for c, f, w in zip(clients, forms, ("owner", "colleague"),
                                             strict=True)))
        statuses = sorted(500 if isinstance(o, BaseException) else o.status_code
                          for o in outcomes)
        assert statuses in ([303, 303], [303, 409]), (round_, statuses, outcomes)
        stored = committed.read(WarningConfirmation,
                                WarningConfirmation.assessment_id == assessment.id)
        assert len(stored) == 1, (round_, [(s.code, s.reason) for s in stored])
        assert f"round {round_}" in stored[0].reason
