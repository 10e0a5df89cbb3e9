"""The spreadsheet written for an assessment reads back to the same answers, in either
language of the sheets (assessment/io/xlsx.py and reader.py; no database: transient rows)."""

from __future__ import annotations

import uuid

import pytest

from assessment.assessments.models import Answer, AnswerState, Assessment, IndicatorState
from assessment.io.reader import NotAWorkbook, check_workbook, read_workbook
from assessment.io.xlsx import write_workbook
from indicators.framework.loader import shipped_framework

VALUES = {
    "deliveries_total": 1000, "deliveries_on_time": 965, "operating_revenue": 80000.5,
    "collaboration.organization": 3, "online_business_areas": ["procurement", "sales"],
    "resource_sharing": {"testing": 20, "warehousing": None},
    "orders_total": 10, "orders_online": 0,  # zero is an answer, not a blank
}


@pytest.fixture(scope="module")
def framework():
    return shipped_framework("scm-2024")


def _workbook(framework, english: bool) -> tuple[Assessment, bytes]:
    assessment = Assessment(id=uuid.uuid4(), year=2025, framework_id=framework.id,
                            framework_version=framework.version)
    answers = {key: Answer(key=key, value=value, version=3) for key, value in VALUES.items()}
    answers["security_incidents"] = Answer(key="security_incidents", value=None,
                                           state=AnswerState.unknown, version=1)
    states = {"global.footprint": IndicatorState(code="global.footprint", not_applicable=True,
                                                 na_reason="=HYPERLINK(\"x\") 无境外业务")}
    return assessment, write_workbook(assessment, framework, answers, states, "测试有限公司",
                                      english)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_a_written_workbook_reads_back_to_the_same_answers(framework, in_locale,
                                                           locale: str) -> None:
    with in_locale(locale):
        assessment, data = _workbook(framework, english=locale == "en")
        plan = read_workbook(data, framework)
    assert plan.problems == []
    assert plan.framework == framework.id
    assert plan.source_assessment == str(assessment.id)
    for key, value in VALUES.items():
        assert plan.values[key] == (value, AnswerState.answered), key
        assert plan.versions[key] == 3
    assert plan.values["security_incidents"] == (None, AnswerState.unknown)
    # the reason was stored with its formula start neutralised, and comes back unchanged
    assert plan.not_applicable["global.footprint"] == (True, "=HYPERLINK(\"x\") 无境外业务")
    blank = [key for key, (value, _state) in plan.values.items()
             if key not in VALUES and key != "security_incidents" and value is not None]
    assert blank == []  # every other field reads as blank


def test_anything_but_an_xlsx_is_refused(in_locale) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "application/vnd.ms-excel.sheet."
                                                "macroEnabled.main+xml")
    with in_locale("en"):
        for data in (b"", b"not a zip", buffer.getvalue()):
            with pytest.raises(NotAWorkbook):
                check_workbook(data)
