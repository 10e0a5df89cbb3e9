"""Settings tables: each package declares its settings, with default and meaning, in one table.

``create_app`` layers each package's table under ``instance/config.py`` and the
``CHAINGAUGE_*`` variables; ``docs/configuration.md`` lists the same rows (a test keeps the
two equal). Code reads the setting by name from ``app.config``: the default lives in the
table, not at the use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

INSTANCE = "{instance}"  # in a default: the app's instance folder


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    description: str

    def value(self, instance_path: str) -> Any:
        if isinstance(self.default, str) and INSTANCE in self.default:
            return self.default.replace(INSTANCE, instance_path)
        if isinstance(self.default, list):
            return list(self.default)  # each app gets its own copy
        return self.default


def defaults(table: Iterable[Setting], instance_path: str) -> dict[str, Any]:
    """The table as a mapping of name to default, ready for ``app.config.from_mapping``."""
    values: dict[str, Any] = {}
    for setting in table:
        if setting.name in values:
            raise ValueError(f"setting {setting.name} is declared twice")
        values[setting.name] = setting.value(instance_path)
    return values


def shown(default: Any) -> str:
    """A default as docs/configuration.md writes it."""
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, list):
        return ", ".join(str(item) for item in default)
    return str(default)


def markdown_rows(table: Iterable[Setting]) -> list[str]:
    """The table's rows as docs/configuration.md lists them."""
    return [f"| `{s.name}` | {shown(s.default) if s.default is None else f'`{shown(s.default)}`'}"
            f" | {s.description} |" for s in table]
