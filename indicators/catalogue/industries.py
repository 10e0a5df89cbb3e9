"""GB/T 4754-2017 manufacturing divisions (C13-C43): names, benchmark groups, sectors.

``division("C36")``, ``division("36")`` and ``division("c36")`` are the same division; an
unknown code raises InvalidInput with a problem on the key ``industry`` because the code
always comes from a user (a questionnaire answer, a CLI option, an API field).
"""

from __future__ import annotations

import re

from indicators.catalogue.loader import load_industries
from indicators.catalogue.model import Division, Group
from indicators.problems import InvalidInput, Problem

_CODE = re.compile(r"^\s*[Cc]?\s*(\d{1,2})\s*$")


def list_divisions() -> tuple[Division, ...]:
    """All 31 manufacturing divisions, C13 to C43, in code order."""
    return load_industries().divisions


def list_groups() -> tuple[Group, ...]:
    return load_industries().groups


def normalise_code(code: str) -> str | None:
    """ "36", "C36", " c36 " -> "C36"; anything that is not a division number -> None."""
    match = _CODE.match(code) if isinstance(code, str) else None
    return f"C{int(match.group(1)):02d}" if match else None


def find_division(code: str) -> Division | None:
    normal = normalise_code(code)
    if normal is None:
        return None
    return next((d for d in list_divisions() if d.code == normal), None)


def division(code: str, *, key: str = "industry") -> Division:
    """The division for ``code``; InvalidInput naming ``key`` when there is none."""
    found = find_division(code)
    if found is None:
        raise InvalidInput(
            [
                Problem(
                    key=key,
                    code="unknown_industry",
                    message_zh=(
                        f"未知的行业代码 {code!r}：请使用 GB/T 4754-2017 制造业大类代码 C13-C43"
                        "（如 C36 或 36）"
                    ),
                    message_en=(
                        f"Unknown industry code {code!r}: use a GB/T 4754-2017 manufacturing "
                        "division, C13-C43 (for example C36 or 36)"
                    ),
                    params={"value": code},
                )
            ]
        )
    return found


def group_of(code: str) -> str:
    """The benchmark-fallback group code of a division, e.g. "equipment" for C36."""
    return division(code).group.code


def sectors_for(code: str) -> tuple[str, ...]:
    """Technology-catalogue sectors for a division: its own first, then the cross-sector ones."""
    found = division(code)
    own = found.sectors
    return own + tuple(s for s in load_industries().cross_sector if s not in own)
