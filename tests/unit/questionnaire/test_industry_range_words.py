"""The industry's typical range in words, in both languages, and how its quartiles read."""

from __future__ import annotations

import pytest

from assessment.benchmarks.services import AnswerRange
from assessment.questionnaire.fields import InputField
from assessment.questionnaire.presenter import _range_number, industry_range_words

PARTNERS = InputField("partners_total", "int", "合作伙伴总数", "Partners in all", "家")
SHARE = InputField("overseas_rd_share", "percent", "海外研发占比", "Overseas R&D share", "%")
FOUND = AnswerRange("partners_total", "C38", 2025, 12.5, 18.0, 38)


def test_the_range_in_chinese(speaking):
    with speaking("zh_CN"):
        assert industry_range_words(FOUND, PARTNERS, english=False) == (
            "同行业（电气机械和器材制造业）企业的典型范围：12.5–18.0 家"
            "（2025 年，38 家企业的四分位区间）")


def test_the_range_in_english(speaking):
    with speaking("en"):
        assert industry_range_words(FOUND, SHARE, english=True) == (
            "Typical in your industry (Manufacture of electrical machinery and equipment): "
            "12.5–18.0 % (2025, interquartile range of 38 enterprises)")


@pytest.mark.parametrize(("value", "shown"), [
    (12.75, "12.8"), (3, "3.0"), (0, "0.0"), (0.125, "0.12"), (1234.5, "1,234"),
    (1250000.0, "1,250,000"), (-2.5, "-2.5"),
])
def test_quartiles_read_as_people_write_them(value, shown):
    assert _range_number(value) == shown
