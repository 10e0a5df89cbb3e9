"""The assessment package's settings: one table, layered by ``create_app`` under
``instance/config.py`` and the ``CHAINGAUGE_*`` variables (see docs/configuration.md)."""

from __future__ import annotations

from typing import Any

from tenants.settings import Setting
from tenants.settings import defaults as table_defaults

SETTINGS: tuple[Setting, ...] = (
    Setting("IMPORT_CONFIRM_CLEARS", 3,
            "an import that would clear more answers or not-applicable declarations than "
            "this shows the changes and writes nothing until its user confirms (docs/demo.md "
            "§ Import and export)"),
    Setting("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024,
            "the largest evidence file, in bytes (0: 20 MB)"),
    Setting("BENCHMARK_SNAPSHOT_MAX_AGE", 24 * 3600,
            "seconds a stored benchmark snapshot is used before statistics are computed "
            "afresh"),
    Setting("BENCHMARK_REFRESH_LEASE_SECONDS", 600,
            "how long a benchmark refresh's claim on its cohort holds before another worker "
            "may take it over (a worker that died mid-refresh)"),
    Setting("REPORTS_DIR", None,
            "with `FILE_STORAGE=local`: the PDF cache and render state "
            "(`<tenant>/<content hash>.pdf`) and bulk ZIPs (`<tenant>/<job>.zip`); unset: "
            "`instance/reports`"),
    Setting("REPORT_WORKERS", 2, "processes a bulk report run renders with"),
    Setting("BULK_REPORT_LEASE_SECONDS", 300,
            "how long a bulk report run's claim holds without a sign of life from its worker "
            "(renewed every third of it while the run goes on); past it the run is taken over "
            "by another worker and resumes from the reports already stored"),
    Setting("REPORT_RENDER_SECONDS", 60.0,
            "how long one PDF render may take (in its rendering process, from the moment the "
            "report is sent to it); past it the process is killed and the render fails with "
            "a message saying so. A warm enterprise report takes ~1 s, a process's first "
            "~3-5 s (0: 60)"),
    Setting("REPORT_RENDER_MEMORY_MB", 1536,
            "the address-space cap of a rendering process (`RLIMIT_AS`); a render that needs "
            "more fails with a message saying so. A full report peaks at ~330 MB of address "
            "space; 0 removes the cap"),
    Setting("RESULTS_COMPARE_MIN_COVERAGE", 0.8,
            "a draft's results page compares it with the previous finalised year only once "
            "its answers cover at least this share (0-1) of the indicators' weight, and then "
            "labels the comparison provisional; a finalised assessment is always compared"),
    Setting("PLAN_REMINDER_DAYS", 7,
            "improvement plans: an action's owner is reminded by e-mail this many days before "
            "its due date, and once more when it is overdue (`flask --app app plans remind`, "
            "or the worker's daily job)"),
    Setting("DEMO_PASSWORD", "chaingauge-demo",
            "the password of every demo user (`flask --app app demo load`)"),
)


def defaults(instance_path: str) -> dict[str, Any]:
    return table_defaults(SETTINGS, instance_path)
