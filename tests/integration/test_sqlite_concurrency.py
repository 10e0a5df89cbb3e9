"""Two requests that read then write at the same time on the embedded SQLite database do not
fail with "database is locked": the second one waits for the first."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from sqlalchemy import text

from tenants.db import build_engine


def test_concurrent_read_then_write_transactions_both_succeed(tmp_path: Path):
    engine = build_engine(f"sqlite:///{tmp_path / 'c.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    both_read = threading.Barrier(2, timeout=5)
    errors: list[BaseException] = []

    def read_then_write() -> None:
        try:
            with engine.begin() as connection:
                value = connection.execute(text("SELECT n FROM counter")).scalar_one()
                # Deferred BEGIN: both get here and deadlock on the write. IMMEDIATE: the
                # other one is still waiting to begin, so the barrier times out.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=0.5)
                connection.execute(text("UPDATE counter SET n = :n"), {"n": value + 1})
        except BaseException as error:  # collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=read_then_write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with engine.connect() as connection:
        final = connection.execute(text("SELECT n FROM counter")).scalar_one()
    engine.dispose()
    assert errors == []
    assert final == 2  # no lost update either
