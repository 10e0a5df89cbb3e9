"""Units appear in the reader's language, and a level is shown without the "1-5" unit code."""

from __future__ import annotations

from tests.integration.assessment_review import factories

ANSWERS = {**factories.ANSWERS, "outbound_amount": 50000, "average_inventory": 10000,
           "scm_staff": 50, "total_staff": 600, "training_participations": 150}


def test_results_show_chinese_units_and_bare_levels(app, client, sign_in, make_enterprise,
                                                    make_assessment):
    from tests.factories import owner_of

    enterprise = make_enterprise()
    done = make_assessment(enterprise, answers=ANSWERS, finalise=True)
    sign_in(owner_of(app, enterprise))
    html = client.get(f"/t/{enterprise.slug}/assessments/{done.id}/results",
                      headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    turnover = html.split("lean.inventory_turnover", 1)[1].split("</tr>", 1)[0]
    assert "次" in turnover and "times" not in turnover
    training = html.split("talent.training", 1)[1].split("</tr>", 1)[0]
    assert "次/人" in training and "sessions per person" not in training
    assert "1-5" not in html.split("collaboration.organization", 1)[1].split("</tr>", 1)[0]


def test_reports_format_units_in_the_report_language(app):
    from flask_babel import force_locale

    from assessment.reports.formatting import value_with_unit

    with app.test_request_context():
        with force_locale("zh_CN"):
            assert value_with_unit(5.0, "times", 1) == "5.0 次"
        with force_locale("en"):
            assert value_with_unit(5.0, "times", 1) == "5.0 times"
        assert value_with_unit(3, "1-5", 0) == "3"


def test_english_pages_show_units_in_english(app, client, sign_in, make_enterprise,
                                            make_assessment):
    from tests.factories import owner_of

    enterprise = make_enterprise()
    draft = make_assessment(enterprise, answers=ANSWERS)
    sign_in(owner_of(app, enterprise))
    english = {"Accept-Language": "en"}
    page = client.get(f"/t/{enterprise.slug}/assessments/{draft.id}/pages/lean",
                      headers=english).get_data(as_text=True)
    assert "(10k CNY)" in page and "(万元)" not in page
    assert "(pieces)" in page and "(件)" not in page
    chinese = client.get(f"/t/{enterprise.slug}/assessments/{draft.id}/pages/lean",
                         headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "(万元)" in chinese and "10k CNY" not in chinese
