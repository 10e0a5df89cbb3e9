"""The dashboard's filters without a database: what a filter admits, the URL arguments it
gives back, and the GET form's choices and values in both languages."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from assessment.dashboard.filters import (
    STATUS_LABELS,
    FilterForm,
    Filters,
    MemberStatus,
    industry_choices,
)
from assessment.profiles.rules import provinces, size_classes
from indicators.catalogue.industries import list_divisions, list_groups


@pytest.mark.parametrize(("industry", "division", "admitted"), [
    ("", "C36", True), ("", None, True),
    ("C36", "C36", True), ("C36", "C38", False),
    ("equipment", "C36", True),  # C36 is in the equipment group
    ("equipment", "C13", False), ("equipment", None, False), ("C36", "Z99", False),
])
def test_the_industry_filter_takes_a_division_or_a_group(industry: str, division: str | None,
                                                         admitted: bool) -> None:
    assert Filters(2025, industry=industry).admits_cohort(division, None, None) is admitted


def test_size_and_province_narrow_the_cohort() -> None:
    narrow = Filters(2025, size_class="medium", province="35")
    assert narrow.admits_cohort("C36", "medium", "35")
    assert not narrow.admits_cohort("C36", "large", "35")
    assert not narrow.admits_cohort("C36", "medium", "32")
    assert not narrow.admits_cohort("C36", None, "35")
    assert Filters(2025).admits_cohort(None, None, None)


def test_status_and_search_narrow_the_member_list() -> None:
    assert Filters(2025).admits_member("任何公司", "invited")
    assert Filters(2025, status="finalised").admits_member("甲公司", "finalised")
    assert not Filters(2025, status="finalised").admits_member("甲公司", "submitted")
    assert Filters(2025, search="acme").admits_member("ACME Machinery", "invited")
    assert Filters(2025, search="机械").admits_member("福州甲机械有限公司", "invited")
    assert not Filters(2025, search="化工").admits_member("福州甲机械有限公司", "invited")


def test_url_arguments_leave_out_empty_filters_and_the_default_sort() -> None:
    assert Filters(2025).query_args() == {"year": 2025}
    full = Filters(2024, industry="C36", size_class="small", province="35", status="submitted",
                   search="甲", sort="-overall", page=3)
    assert full.query_args() == {"year": 2024, "industry": "C36", "size": "small",
                                 "province": "35", "status": "submitted", "q": "甲",
                                 "sort": "-overall"}
    assert full.page_args(4) == {**full.query_args(), "page": 4}
    assert "page" not in full.query_args()


def test_industry_choices_in_the_readers_language(in_locale) -> None:
    with in_locale("en"):
        english = industry_choices()
    with in_locale("zh_CN"):
        chinese = industry_choices()
    codes = ["", *(g.code for g in list_groups()), *(d.code for d in list_divisions())]
    assert [code for code, _label in english] == codes == [code for code, _l in chinese]
    assert english[0][1] == "All industries" and chinese[0][1] != "All industries"
    assert dict(english)["equipment"] == "Equipment"
    assert dict(chinese)["equipment"] == "装备制造"


def _form(babel_app, locale: str, **args: str) -> tuple[FilterForm, bool]:
    with babel_app.test_request_context(query_string=args), force_locale(locale):
        form = FilterForm(MultiDict(args))
        return form, form.validate()


def test_the_form_offers_every_choice_in_both_languages(babel_app) -> None:
    english, _ok = _form(babel_app, "en")
    chinese, _ok = _form(babel_app, "zh_CN")
    assert [c for c, _l in english.size.choices] == ["", *(c.code for c in size_classes())]
    assert len(english.province.choices) == len(provinces()) + 1
    assert english.size.choices[0][1] == "All sizes"
    assert chinese.size.choices[0][1] != "All sizes"
    assert [c for c, _l in english.status.choices] == ["", *(str(s) for s in MemberStatus)]
    assert set(STATUS_LABELS) == set(MemberStatus)
    assert dict(english.status.choices)["in_progress"] == "In progress"
    assert dict(chinese.status.choices)["in_progress"] != "In progress"
    assert english.sort.choices[0] == ("name", "Name")


def test_the_form_gives_its_filters(babel_app) -> None:
    form, ok = _form(babel_app, "en", year="2024", industry="C36", size="small",
                     province="35", status="finalised", q="  甲机械  ", sort="-overall",
                     page="2")
    assert ok, form.errors
    assert form.filters(2025) == Filters(2024, "C36", "small", "35", "finalised", "甲机械",
                                         "-overall", 2)
    empty, ok = _form(babel_app, "en")
    assert ok and empty.filters(2025) == Filters(2025)
    long, ok = _form(babel_app, "en", q="x" * 300)
    assert ok and long.filters(2025).search == "x" * 100


@pytest.mark.parametrize("args", [{"year": "1999"}, {"page": "0"}, {"industry": "Z99"},
                                  {"status": "archived"}, {"year": "twenty"}])
def test_the_form_refuses_values_outside_its_choices(babel_app, args: dict[str, str]) -> None:
    form, ok = _form(babel_app, "en", **args)
    assert not ok
    assert set(form.errors) == set(args)
