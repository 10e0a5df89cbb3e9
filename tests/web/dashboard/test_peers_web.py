""""You vs. peers" on the enterprise's results page: percentile bars, the cohort's label,
the radar against the cohort median; give to get; the plan; never a peer's name."""

from __future__ import annotations

import re

from sqlmodel import select

from tests.factories import make_link, owner_of
from tests.integration.assessment_review import factories as review
from tests.integration.billing.helpers import subscribe
from tests.web.helpers import ENGLISH


def _opt_in(app, enterprise):
    from assessment.profiles.models import EnterpriseProfile
    from tenants.extensions import db

    with review.acting_in(app, enterprise):
        db.session.exec(select(EnterpriseProfile)).one().benchmark_opt_in = True


def _peers(member, association=None, n=5, **kwargs):
    # the enterprise built by review.make_assessment is in C36, Fujian (35), 2024
    return [member(association, "finalised", name=f"Secret Rival {i}", year=2024,
                   division="C36", province="35", overall=30 + 10 * i,
                   scores={"lean.on_time_delivery_rate": 50 + 8 * i}, **kwargs)
            for i in range(n)]


def _page(app, client, sign_in, enterprise, assessment):
    sign_in(owner_of(app, enterprise))
    return client.get(f"/t/{enterprise.slug}/assessments/{assessment.id}/results",
                      headers=ENGLISH)


def _section(response):
    match = re.search(r'<section class="card peers" id="peers">.*?</section>\s*<h2>',
                      response.get_data(as_text=True), re.S)
    assert match, "no peers section"
    return match.group(0)


def test_an_opted_in_enterprise_sees_its_percentiles_and_the_cohort_median(
        app, client, sign_in, make_enterprise, member):
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise, finalise=True)
    _opt_in(app, enterprise)
    _peers(member, opt_in=True)
    response = _page(app, client, sign_in, enterprise, assessment)
    assert response.status_code == 200
    section = _section(response)
    assert "You vs. peers" in section
    assert "All enterprises on ChainGauge that share anonymously" in section
    assert "Industry: Manufacture of motor vehicles" in section and "2024" in section
    assert "Industry C36" not in section  # the cohort's label: words, not codes
    assert "6 enterprises" in section  # the five peers and the enterprise itself
    lean = section.split('title="lean.on_time_delivery_rate"', 1)[1].split("</tr>", 1)[0]
    assert 'class="chart score-bar"' in lean  # an indicator's percentile bar
    dimension = section.split('class="peers-dimension"', 1)[1].split("</tr>", 1)[0]
    assert 'class="chart score-bar"' in dimension
    assert "lean.inventory_turnover" not in section  # not scored: no row
    overall = section.split('class="peers-overall"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'<td class="num">\d+</td>', overall)  # a percentile rank
    assert "Cohort median" in section and 'class="chart radar"' in section
    assert "at least 5 enterprises" in section  # the anonymity rule
    assert "Secret Rival" not in response.get_data(as_text=True)
    assert "minimum" not in section.lower() and "maximum" not in section.lower()


def test_give_to_get_without_opting_in_there_is_no_platform_comparison(
        app, client, sign_in, make_enterprise, member):
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise, finalise=True)
    _peers(member, opt_in=True)
    section = _section(_page(app, client, sign_in, enterprise, assessment))
    assert "You are not in any benchmark pool yet" in section
    assert "score-bar" not in section


def test_an_association_member_compares_with_the_association_pool(
        app, client, sign_in, make_enterprise, make_tenant, member):
    association = make_tenant("association", name="Auto Parts Guild")
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise, finalise=True)
    make_link(app, association, enterprise)  # grants scores, accepted
    _peers(member, association)
    section = _section(_page(app, client, sign_in, enterprise, assessment))
    assert "Members of Auto Parts Guild" in section
    assert "Opt in to anonymous benchmarking" in section  # the platform pool is not shown
    assert 'class="chart score-bar"' in section


def test_too_few_peers_shows_nothing_but_says_why(app, client, sign_in, make_enterprise,
                                                  member):
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise, finalise=True)
    _opt_in(app, enterprise)
    _peers(member, n=3, opt_in=True)
    section = _section(_page(app, client, sign_in, enterprise, assessment))
    assert "No benchmark: fewer than 5 enterprises" in section
    assert "score-bar" not in section


def test_a_draft_gets_no_provisional_position(app, client, sign_in, make_enterprise, member):
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise)
    _opt_in(app, enterprise)
    _peers(member, opt_in=True)
    section = _section(_page(app, client, sign_in, enterprise, assessment))
    assert "once this assessment is finalised" in section
    assert "score-bar" not in section


def test_on_the_free_plan_only_the_overall_index_is_compared(
        app, client, sign_in, make_enterprise, member, billing):
    enterprise = make_enterprise()
    assessment = review.make_assessment(app, enterprise, finalise=True)
    _opt_in(app, enterprise)
    _peers(member, opt_in=True)
    section = _section(_page(app, client, sign_in, enterprise, assessment))
    assert section.count('class="chart score-bar"') == 1
    assert 'class="peers-overall"' in section and 'class="peers-dimension"' not in section
    assert "Full peer benchmarks is not included in your plan" in section
    assert f'href="/t/{enterprise.slug}/billing/"' in section
    assert "radar" not in section
    subscribe(app, enterprise, "professional")
    section = _section(_page(app, client, sign_in, enterprise, assessment))
    assert 'class="peers-dimension"' in section and "Cohort median" in section
