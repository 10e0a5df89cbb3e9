"""The percentile on the results page's top score card: the overall index's rank in the
first cohort the enterprise may compare itself with (the benchmark services' figure)."""

from __future__ import annotations

import re

from sqlmodel import select

from tests.factories import owner_of
from tests.integration.assessment_review import factories as review
from tests.web.helpers import ENGLISH, text


def _opt_in(app, enterprise):
    from assessment.profiles.models import EnterpriseProfile
    from tenants.extensions import db

    with review.acting_in(app, enterprise):
        db.session.exec(select(EnterpriseProfile)).one().benchmark_opt_in = True


def _card(body: str) -> str:
    match = re.search(r'<div class="card results-overall">.*?</div>', body, re.S)
    assert match, "no overall card"
    return match.group(0)


def test_the_top_card_shows_the_percentile_in_the_cohort(app, client, sign_in,
                                                         make_enterprise, member):
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise, finalise=True)
    _opt_in(app, enterprise)
    for i in range(5):
        member(None, "finalised", name=f"Rival {i}", year=2024, division="C36",
               province="35", overall=30 + 10 * i, opt_in=True)
    sign_in(owner_of(app, enterprise))
    url = f"/t/{enterprise.slug}/assessments/{assessment.id}/results"
    body = text(client.get(url, headers=ENGLISH))
    card = _card(body)
    rank = re.search(r"Percentile (\d+) in the cohort", card)
    assert rank, card
    # the same rank as the peers section's overall bar
    peers = re.search(r"Overall index: percentile (\d+)", body)
    assert peers and peers.group(1) == rank.group(1)
    assert "All enterprises on ChainGauge that share anonymously" in card
    assert "6 enterprises" in card
    assert "百分位" in _card(text(client.get(url, headers={"Accept-Language": "zh-CN"})))


def test_no_percentile_without_a_cohort(app, client, sign_in, make_enterprise):
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise, finalise=True)
    sign_in(owner_of(app, enterprise))
    body = text(client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results",
                           headers=ENGLISH))
    assert "in the cohort" not in _card(body)
