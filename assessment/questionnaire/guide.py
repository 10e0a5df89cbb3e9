"""What the questionnaire says beside each input: its name in people's words, a short help,
an example and the typical range with its source (``assessment/data/questionnaire_guide.yaml``).

Pure: the data file is read once; nothing here touches Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

GUIDE_FILE = Path(__file__).resolve().parents[1] / "data" / "questionnaire_guide.yaml"


@dataclass(frozen=True)
class Guide:
    label: str | None  # replaces the framework's name where that speaks to programmers
    help: str | None
    example: str | None
    typical: str | None
    source: str | None  # the typical range's source, in words


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(GUIDE_FILE.read_text("utf-8"))
    return data


def _text(entry: Any, language: str) -> str | None:
    if not isinstance(entry, dict):
        return None
    text = entry.get(language)
    return str(text) if text else None


def guide_for(key: str, english: bool) -> Guide:
    """The guide of input ``key`` in the reader's language (all None for an input without
    an entry)."""
    language = "en" if english else "zh"
    entry = _data()["inputs"].get(key) or {}
    typical = entry.get("typical") or {}
    source = _data()["sources"].get(typical.get("source")) if typical else None
    return Guide(_text(entry.get("label"), language), _text(entry.get("help"), language),
                 _text(entry.get("example"), language), _text(typical, language),
                 _text(source, language))


def guided_keys() -> set[str]:
    return set(_data()["inputs"])


def problems() -> list[str]:
    """What is wrong with the data file itself: a typical range without a known source, an
    entry without both languages (the unit tests call this)."""
    found = []
    sources = _data()["sources"]
    for key, entry in _data()["inputs"].items():
        for part in ("label", "help", "example", "typical"):
            text = entry.get(part)
            if text is not None and not (_text(text, "zh") and _text(text, "en")):
                found.append(f"{key}.{part}: needs zh and en")
        typical = entry.get("typical")
        if typical is not None and typical.get("source") not in sources:
            found.append(f"{key}.typical: unknown source {typical.get('source')!r}")
    return found
