"""The reader's language for framework texts, which carry Chinese and English ("zh", "en")."""

from __future__ import annotations


def lang_of(locale: object) -> str:
    """``"en"`` for an English Babel locale, else ``"zh"`` (Chinese is the first language)."""
    return "en" if str(locale).startswith("en") else "zh"
