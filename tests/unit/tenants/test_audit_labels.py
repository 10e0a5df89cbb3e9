"""Every audit action the code records has a label for the audit log page."""

from __future__ import annotations

import re
from pathlib import Path

from tenants.audit_labels import AUDIT_LABELS

ROOT = Path(__file__).resolve().parents[3]
RECORDED = re.compile(r'record\(\s*"([a-z_]+\.[a-z_]+)"')


def test_every_recorded_action_has_a_label():
    recorded = set()
    for path in [*ROOT.glob("tenants/**/*.py"), *ROOT.glob("assessment/**/*.py")]:
        recorded |= set(RECORDED.findall(path.read_text("utf-8")))
    assert recorded, "the scan found no audit records"
    assert recorded - set(AUDIT_LABELS) == set()
