"""docs/configuration.md lists exactly the settings of the packages' tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assessment.config import SETTINGS as ASSESSMENT_SETTINGS
from tenants.config import SETTINGS as PLATFORM_SETTINGS
from tenants.settings import Setting, defaults, markdown_rows

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def _section_rows(text: str, heading: str) -> list[str]:
    """The setting rows of the table under ``heading`` (header and rule left out)."""
    start = text.index(heading)
    following = re.search(r"^## ", text[start + len(heading):], re.MULTILINE)
    section = text[start:start + len(heading) + following.start()] if following \
        else text[start:]
    return [line for line in section.splitlines() if line.startswith("| `")]


@pytest.mark.parametrize(("heading", "table"), [
    ("## Platform settings (`tenants/config.py`)", PLATFORM_SETTINGS),
    ("## Assessment settings (`assessment/config.py`)", ASSESSMENT_SETTINGS),
])
def test_the_doc_lists_each_table_row_for_row(heading, table):
    assert _section_rows(DOC.read_text(encoding="utf-8"), heading) == markdown_rows(table)


def test_the_comparison_notices_a_changed_default():
    changed = (*PLATFORM_SETTINGS[:-1],
               Setting(PLATFORM_SETTINGS[-1].name, "other", PLATFORM_SETTINGS[-1].description))
    rows = _section_rows(DOC.read_text(encoding="utf-8"),
                         "## Platform settings (`tenants/config.py`)")
    assert rows != markdown_rows(changed)


def test_no_setting_is_declared_by_two_packages():
    names = [s.name for s in (*PLATFORM_SETTINGS, *ASSESSMENT_SETTINGS)]
    assert len(names) == len(set(names))


def test_instance_defaults_name_the_instance_folder():
    values = defaults(PLATFORM_SETTINGS, "/srv/instance")
    assert values["DATABASE_URL"] == "sqlite:////srv/instance/chaingauge.db"
    assert values["MAIL_FILE_DIR"] == "/srv/instance/mail"


def test_a_name_declared_twice_is_refused():
    with pytest.raises(ValueError, match="ENV"):
        defaults((Setting("ENV", 1, ""), Setting("ENV", 2, "")), "/x")


def test_the_app_has_every_setting_with_its_default(app):
    for setting in ASSESSMENT_SETTINGS:
        assert setting.name in app.config
    assert app.config["IMPORT_CONFIRM_CLEARS"] == 3


ROOT = DOC.parents[1]
# Set by Flask or derived at start-up (tenants.config.init_app), not settings of ours.
DERIVED = {"TESTING", "REMEMBER_COOKIE_SECURE", "RATELIMIT_STORAGE_URI", "BABEL_DEFAULT_LOCALE",
           "BABEL_TRANSLATION_DIRECTORIES"}


def _code() -> list[tuple[Path, str]]:
    return [(path, path.read_text(encoding="utf-8"))
            for package in ("tenants", "assessment") for path in (ROOT / package).rglob("*.py")]


def test_every_setting_the_code_reads_is_declared_in_a_table():
    declared = {s.name for s in (*PLATFORM_SETTINGS, *ASSESSMENT_SETTINGS)} | DERIVED
    read = {(path.name, name) for path, text in _code()
            for name in re.findall(r'config(?:\.get\(|\[)"([A-Z][A-Z0-9_]+)"', text)}
    assert {(file, name) for file, name in read if name not in declared} == set()


def test_no_default_is_given_where_a_setting_is_read():
    found = [(path.name, match) for path, text in _code()
             for match in re.findall(r'config\.get\("[A-Z0-9_]+",[^)]*\)', text)]
    assert found == []
