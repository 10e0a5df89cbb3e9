"""The ``flask report`` command line: ``report pdf`` renders an enterprise's report of a
finalised assessment, ``report cohort`` an association's cohort report; both write a real PDF
(read back with poppler) and refuse what they cannot find."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.integration.benchmarks.conftest import add_link, make_peer
from tests.integration.reports.conftest import pdf_text

SCORES = {"overall": 55.0, "lean": 60.0, "lean.on_time_delivery_rate": 70.0}


@pytest.fixture(autouse=True)
def _reports_dir(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "REPORTS_DIR", str(tmp_path / "reports"))


@pytest.fixture
def run_report(app: Flask) -> Any:
    """Invoke ``flask report ARGS...``; returns click's result."""

    def run(*args: str) -> Any:
        return app.test_cli_runner().invoke(args=["report", *args])

    return run


@pytest.fixture
def association_with_members(app: Flask, make_tenant: Any) -> Any:
    """An association with ``n`` members sharing their finalised 2025 scores."""
    from tenants.models import TenantKind

    def make(n: int, *, name: str | None = None) -> Any:
        association = make_tenant(TenantKind.association, name=name)
        for i in range(n):
            member = make_peer(app, {**SCORES, "overall": 40.0 + i}, year=2025)
            add_link(app, association, member, grants=("scores",))
        return association

    return make


# -- report pdf ----------------------------------------------------------------------------
def test_pdf_writes_the_chinese_report_of_a_finalised_assessment(
        report_enterprise: Any, run_report: Any, tmp_path: Path) -> None:
    _enterprise, assessment = report_enterprise(legal_name="苏州命令行测试机械有限公司")
    out = tmp_path / "nested" / "dir" / "report.pdf"  # parent folders are made
    result = run_report("pdf", str(assessment.id), "-o", str(out))
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    assert f"{out} ({len(content) // 1024} KB)" in result.output
    text = pdf_text(tmp_path, content)
    assert "苏州命令行测试机械有限公司" in text
    assert "准时交货率" in text  # zh is the default language
    assert "On-time delivery rate" not in text


def test_pdf_writes_the_english_report_with_lang_en(
        report_enterprise: Any, run_report: Any, tmp_path: Path) -> None:
    _enterprise, assessment = report_enterprise(legal_name="Suzhou CLI Test Machinery Co")
    out = tmp_path / "report-en.pdf"
    result = run_report("pdf", str(assessment.id), "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(tmp_path, content)
    assert "Suzhou CLI Test Machinery Co" in text
    assert "On-time delivery rate" in text and "Executive summary" in text
    assert "准时交货率" not in text


def test_pdf_refuses_an_unknown_assessment_and_writes_nothing(
        run_report: Any, tmp_path: Path) -> None:
    missing = uuid.uuid4()
    out = tmp_path / "missing.pdf"
    result = run_report("pdf", str(missing), "-o", str(out))
    assert result.exit_code != 0
    assert "ASSESSMENT_ID" in result.output and f"no assessment {missing}" in result.output
    assert not out.exists()


def test_pdf_refuses_a_language_it_does_not_know(
        report_enterprise: Any, run_report: Any, tmp_path: Path) -> None:
    _enterprise, assessment = report_enterprise()
    out = tmp_path / "fr.pdf"
    result = run_report("pdf", str(assessment.id), "-o", str(out), "--lang", "fr")
    assert result.exit_code != 0 and "--lang" in result.output
    assert not out.exists()


# -- report cohort -------------------------------------------------------------------------
def test_cohort_writes_the_report_of_five_sharing_members(
        association_with_members: Any, run_report: Any, tmp_path: Path) -> None:
    association = association_with_members(5, name="CLI Machinery Association")
    out = tmp_path / "cohort" / "cohort-en.pdf"
    result = run_report("cohort", association.slug, "--year", "2025", "-o", str(out),
                        "--lang", "en")
    assert result.exit_code == 0, result.output
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(tmp_path, content)
    assert "CLI Machinery Association" in text
    assert "Dimension distributions" in text and "Not shown" not in text


def test_cohort_in_chinese_by_default(
        association_with_members: Any, run_report: Any, tmp_path: Path) -> None:
    association = association_with_members(5, name="命令行机械行业协会")
    out = tmp_path / "cohort-zh.pdf"
    result = run_report("cohort", association.slug, "--year", "2025", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path, out.read_bytes())
    assert "命令行机械行业协会" in text and "各维度得分分布" in text


def test_cohort_of_four_members_renders_but_shows_no_statistics(
        association_with_members: Any, run_report: Any, tmp_path: Path) -> None:
    association = association_with_members(4)
    out = tmp_path / "four.pdf"
    result = run_report("cohort", association.slug, "--year", "2025", "-o", str(out),
                        "--lang", "en")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path, out.read_bytes())
    assert "Not shown" in text and "Dimension distributions" not in text


def test_cohort_refuses_an_unknown_slug_and_an_enterprise(
        report_enterprise: Any, run_report: Any, tmp_path: Path) -> None:
    out = tmp_path / "refused.pdf"
    unknown = run_report("cohort", "no-such-association", "--year", "2025", "-o", str(out))
    assert unknown.exit_code != 0
    assert "ASSOCIATION_SLUG" in unknown.output
    assert "no association with the slug 'no-such-association'" in unknown.output
    enterprise, _assessment = report_enterprise()  # a tenant, but not an association
    refused = run_report("cohort", enterprise.slug, "--year", "2025", "-o", str(out))
    assert refused.exit_code != 0
    assert f"no association with the slug {enterprise.slug!r}" in refused.output
    assert not out.exists()


def test_cohort_requires_a_plausible_year(
        association_with_members: Any, run_report: Any, tmp_path: Path) -> None:
    association = association_with_members(0)
    out = tmp_path / "year.pdf"
    missing = run_report("cohort", association.slug, "-o", str(out))
    assert missing.exit_code != 0 and "--year" in missing.output
    wrong = run_report("cohort", association.slug, "--year", "1999", "-o", str(out))
    assert wrong.exit_code != 0 and "--year" in wrong.output
    assert not out.exists()
