"""How long the demo loader takes to seed an association of N members on PostgreSQL.

Usage: .venv/bin/python bench/demo_load.py [--members 3000] [--profile FILE]

Creates a fresh database (the tests' roles: the owner migrates, the app role loads under
row-level security), runs ``flask --app app demo load --members N`` in this process and
prints the seconds it took, the seconds per member, and this process's CPU seconds (less
sensitive than the wall clock to other work on the machine; the database server's CPU is
not in it). The command commits every ``DEMO_BATCH`` members and drains the benchmark
refreshes once at the end, both included. The first 32 members (the default demo) go
through the services; those beyond them are written in bulk (``assessment/demo_bulk.py``),
so the seconds per member fall as N grows and level off from a few hundred members on.
``--profile FILE`` runs it under cProfile and writes the statistics to FILE (read them with
``python -m pstats FILE``). The database is dropped at the end. Target (issue 17): 3,000
members in <= 5 minutes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.databases import postgres_database


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--profile", help="write cProfile statistics to this file")
    args = parser.parse_args()

    from app import create_app
    from tenants.cli import upgrade

    for database in postgres_database():
        with tempfile.TemporaryDirectory() as mail:
            app = create_app({
                "ENV": "testing", "SECRET_KEY": "bench-secret-key-long-enough-for-the-check",
                "DATABASE_URL": database.app_url, "MIGRATION_DATABASE_URL": database.owner_url,
                "MAIL_BACKEND": "file", "MAIL_FILE_DIR": mail, "LOG_JSON": False,
                "REDIS_URL": None,
            })
            upgrade(app)
            runner = app.test_cli_runner()
            profiler = cProfile.Profile() if args.profile else None
            started = time.perf_counter()
            cpu_started = _cpu_seconds()
            if profiler is not None:
                profiler.enable()
            result = runner.invoke(args=["demo", "load", "--members", str(args.members)])
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)
            seconds = time.perf_counter() - started
            cpu = _cpu_seconds() - cpu_started
            if result.exit_code != 0:
                print(result.output, file=sys.stderr)
                raise SystemExit(f"demo load failed: {result.exception!r}")
            print(result.output.strip().splitlines()[-2:])
            load = os.getloadavg()
            print(f"demo load --members {args.members}: {seconds:.1f} s, "
                  f"{seconds / args.members:.3f} s/member, CPU {cpu:.1f} s "
                  f"(load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")
            from tenants.extensions import db

            db.engine_for(app).dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
