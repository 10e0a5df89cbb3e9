"""What the test suite spends its time on, counted rather than timed: a pytest plugin.

Usage: PYTHONPATH=bench .venv/bin/pytest -p suite_costs tests/web/assessment_review -q

It counts, per test call (not setup or teardown), the SQL statements sent to the database
(grouped by their first 100 characters) and the argon2 hashes and verifications with the
CPU-seconds they cost, then prints the totals and the most frequent statements. Counts do
not depend on how loaded the machine is, so a change can be compared before and after on a
busy machine where wall-clock durations (``--durations``) would mislead. Not part of the
suite; it prints figures and asserts nothing.
"""

from __future__ import annotations

import collections
import re
import time
from collections.abc import Iterator
from typing import Any

import argon2
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

_STATEMENTS: collections.Counter[str] = collections.Counter()
_HASHING: collections.Counter[str] = collections.Counter()
_HASH_SECONDS: collections.Counter[str] = collections.Counter()
_PER_TEST: dict[str, int] = {}
_ACTIVE = {"on": False}


@event.listens_for(Engine, "before_cursor_execute")
def _count_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if _ACTIVE["on"]:
        _STATEMENTS[re.sub(r"\s+", " ", statement)[:100]] += 1


def _timed(name: str, original: Any) -> Any:
    def wrapper(self: argon2.PasswordHasher, *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            key = f"{name} (memory {self.memory_cost} KiB)"
            _HASHING[key] += 1
            _HASH_SECONDS[key] += time.process_time() - started

    return wrapper


argon2.PasswordHasher.hash = _timed("hash", argon2.PasswordHasher.hash)  # type: ignore[method-assign]
argon2.PasswordHasher.verify = _timed("verify", argon2.PasswordHasher.verify)  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    before = sum(_STATEMENTS.values())
    _ACTIVE["on"] = True
    try:
        yield
    finally:
        _ACTIVE["on"] = False
        _PER_TEST[item.nodeid] = sum(_STATEMENTS.values()) - before


def pytest_terminal_summary(terminalreporter: Any) -> None:
    write = terminalreporter.write_line
    total = sum(_STATEMENTS.values())
    write(f"SQL statements in test calls: {total} over {len(_PER_TEST)} tests")
    for text, count in _STATEMENTS.most_common(15):
        write(f"{count:7d}  {text}")
    write("Most statements per test:")
    for nodeid, count in sorted(_PER_TEST.items(), key=lambda kv: -kv[1])[:10]:
        write(f"{count:7d}  {nodeid}")
    for key, count in sorted(_HASHING.items()):
        write(f"argon2 {key}: {count} calls, {_HASH_SECONDS[key]:.2f} CPU-s")
