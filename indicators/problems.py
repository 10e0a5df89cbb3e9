"""Problems found in input documents and framework files.

Every problem names the offending key (a dotted path such as ``inputs.deliveries_total`` or
``energy[2].unit``) and carries its message in both of the product's languages, because the
same engine serves the Chinese-first web questionnaire, the English UI and the command line.
Validation collects every problem rather than stopping at the first, so that a user can fix
a whole document in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# The largest magnitude of any number in an input document. A quantity, an amount in 万元 or a
# count beyond it cannot be real (10^15 kWh is about a hundred times the world's yearly
# electricity) and would overflow exact or float arithmetic: it is bad input, named.
MAX_NUMBER = 10**15


def shown(value: Any) -> str:
    """A value as a problem message quotes it: short, and never walking a nested structure
    (a document nested 100,000 levels deep is reported, not recursed into)."""
    if isinstance(value, str):
        return value[:40]
    if isinstance(value, list | dict | tuple):
        return f"<{type(value).__name__} of {len(value)}>"
    if isinstance(value, int) and not isinstance(value, bool) and too_large(value):
        return "<a number too large to show>"
    return repr(value)[:40]


def too_large(value: Any) -> bool:
    """True for a number whose magnitude exceeds MAX_NUMBER (ints of any size, floats)."""
    try:
        return abs(value) > MAX_NUMBER
    except (TypeError, OverflowError):  # pragma: no cover - not a number
        return False


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, tied to the key it concerns."""

    key: str
    code: str
    message_zh: str
    message_en: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, locale: str = "zh") -> str:
        return self.message_en if locale.startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "code": self.code,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }

    def __str__(self) -> str:
        return f"{self.key}: {self.message_en} / {self.message_zh}"


class InvalidInput(ValueError):
    """Raised with every problem of a document; nothing was evaluated or changed."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class InvalidFramework(ValueError):
    """Raised when a framework (or factor) data file breaks its schema."""

    def __init__(self, path: str, problems: Iterable[str]):
        self.path = path
        self.problems = list(problems)
        joined = "\n  ".join(self.problems)
        super().__init__(f"{path}:\n  {joined}")


@dataclass(frozen=True)
class Notice:
    """A figure that is valid but looks wrong (a likely unit slip), or a factor taken from
    another year or level than asked: reported as a warning, never an error.

    ``message_zh``/``message_en`` name the figure, the range it left and the likely cause.
    """

    key: str
    code: str
    message_zh: str
    message_en: str
    severity: str = "warning"
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def message(self, locale: str = "zh") -> str:
        return self.message_en if locale.startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, Any]:
        """The contract's shape: code, key, severity, message {zh, en}."""
        return {"code": self.code, "key": self.key, "severity": self.severity,
                "message": {"zh": self.message_zh, "en": self.message_en}}
