"""The crawl's detector (tests/browser/visible_codes.py) catches what issue 14 saw and lets
words, e-mail addresses and URLs through."""

from __future__ import annotations

import pytest

from tests.browser.visible_codes import findings


@pytest.mark.parametrize("text, kind", [
    ("供应链协作组织 collaboration.organization", "indicator or event code"),
    ("企业规模 medium / 省份 32 / 所属行业 C38", "industry code"),
    ('online_business_areas = ["procurement"]', "snake_case identifier"),
    ("level(collaboration.organization)", "maintainer note"),
    ("assessment.created overall=53.9", "key=value"),
    ("(shared facts/energy-and-carbon.md). (mee-nbs-2024.1)", "file path"),
    ("(shared facts/energy-and-carbon.md). (mee-nbs-2024.1)", "maintainer note"),
    ("与 PostgreSQL 的 percentile_cont 相同", "maintainer note"),
    ("Guide and catalogues, lines 5560-5572", "line number"),
    ("《指南》及目录，第 5560–5572 行", "maintainer note"),
])
def test_codes_and_notes_are_found(text, kind):
    assert kind in findings(text)


@pytest.mark.parametrize("text", [
    "在线协同的业务环节：采购、销售…（4 个）÷ 10 × 100",
    "电气机械和器材制造业 · 江苏省 · 中型",
    "enterprise.owner@demo.chaingauge.example.com",
    "see https://example.com/a_b/c.md",
    "CO2 carbon dioxide · CH4 methane · HFC-134a",
    "Overall index 53.9 · Role Assessor",
])
def test_words_pass(text):
    assert findings(text) == {}
