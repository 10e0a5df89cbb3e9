"""What must never be visible on a page: internal codes and maintainers' notes.

Pure functions over the text a person sees (``innerText`` of the page with every
``<details>`` opened), shared by the crawl and its own unit test. Codes may still sit in
``title`` attributes (the tooltip for the curious), URLs and form values: those are not
visible text.
"""

from __future__ import annotations

import re

# Stripped before matching: e-mail addresses (the demo's logins contain dots) and URLs.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+")

PATTERNS: dict[str, re.Pattern[str]] = {
    # collaboration.organization, lean.on_time_delivery_rate, assessment.created
    "indicator or event code": re.compile(
        r"\b(?:collaboration|lean|digital|green|global|resilience|talent|overall|assessment|"
        r"member|link|auth|user|tenant|evidence|billing)\.[a-z][a-z_]+\b"),
    # C38, C13 (GB/T 4754 division codes)
    "industry code": re.compile(r"(?<![A-Za-z0-9])C(?:1[3-9]|[23]\d|4[0-3])(?![0-9A-Za-z])"),
    # online_business_areas, natural_gas, acting_tenant
    "snake_case identifier": re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])"),
    # shared facts/energy-and-carbon.md, assessment/reports/views.py
    "file path": re.compile(r"\b[\w.-]+/[\w./-]+\.(?:md|py|ya?ml|html|json|txt)\b|\.md\b"),
    "line number": re.compile(r"\blines? \d+(?:[-–]\d+)?\b|\bsource_lines\b|:\d+:\d+"),
    "maintainer note": re.compile(
        r"shared facts|percentile_cont|PostgreSQL|mee-nbs|\bTODO\b|\bFIXME\b|\bXXX\b|"
        r"as widely reproduced|level\(|count\(|第 ?\d+(?:[-–]\d+)? ?行", re.IGNORECASE),
    "key=value": re.compile(r"\b[a-z_]+=\S"),
}


def findings(text: str) -> dict[str, set[str]]:
    """Every code-like fragment in ``text``, by kind (empty when the text reads as words)."""
    cleaned = _URL.sub(" ", _EMAIL.sub(" ", text))
    found: dict[str, set[str]] = {}
    for kind, pattern in PATTERNS.items():
        hits = set(pattern.findall(cleaned))
        if hits:
            found[kind] = hits
    return found
