"""Housekeeping (``tenants.housekeeping``) on both databases: what has expired is deleted,
what is still in use is kept, across tenants, and one failing purge stops no other."""

from __future__ import annotations

import uuid
from datetime import timedelta

from assessment.io.models import PendingImport
from tenants.housekeeping import purge_expired, register_purge
from tenants.models import LoginThrottle, UserSession
from tenants.types import utcnow
from tests.factories.assessments import acting_in, make_assessment


def _session(app, user, *, last_seen_days: float = 0, revoked_days: float | None = None):
    from tenants.extensions import db

    now = utcnow()
    with app.app_context():
        record = UserSession(user_id=user.id, last_seen_at=now - timedelta(days=last_seen_days),
                             revoked_at=None if revoked_days is None
                             else now - timedelta(days=revoked_days))
        db.session.add(record)
        db.commit()
        return record.id


def test_sessions_ended_long_ago_or_unused_are_deleted(app, make_user, fetch) -> None:
    from tenants.extensions import db
    from tenants.services import sessions

    user = make_user()
    in_use = _session(app, user, last_seen_days=2)
    ended_lately = _session(app, user, revoked_days=5)
    ended_long_ago = _session(app, user, last_seen_days=40, revoked_days=31)
    unused = _session(app, user, last_seen_days=31)
    with app.app_context():
        # an unused session signs nobody in, even before housekeeping deletes it
        assert sessions.live(unused, str(user.id)) is None
        assert sessions.live(in_use, str(user.id)) is not None
        db.rollback()

        deleted = purge_expired()
    assert deleted["sessions"] == 2
    left = {s.id for s in fetch(UserSession, UserSession.user_id == user.id)}
    assert left == {in_use, ended_lately}
    assert ended_long_ago not in left and unused not in left


def test_throttle_counters_are_deleted_once_forgotten_and_the_wait_is_over(app, fetch) -> None:
    from tenants.extensions import db

    now = utcnow()
    rows = {
        "forgotten": LoginThrottle(key="a" * 64, failures=7,
                                   last_failure_at=now - timedelta(days=2)),
        "recent": LoginThrottle(key="b" * 64, failures=7, last_failure_at=now - timedelta(hours=1)),
        "still-waiting": LoginThrottle(key="c" * 64, failures=40,
                                       last_failure_at=now - timedelta(days=2),
                                       blocked_until=now + timedelta(minutes=5)),
    }
    with app.app_context():
        db.session.add_all(rows.values())
        db.commit()
        deleted = purge_expired()
    assert deleted["sign-in throttle"] == 1
    assert sorted(r.key[0] for r in fetch(LoginThrottle)) == ["b", "c"]


def test_imports_never_confirmed_are_deleted_in_every_tenant(app, make_enterprise, fetch
                                                             ) -> None:
    from tenants.extensions import db
    from tests.factories.assessments import owner

    now = utcnow()
    held = {}
    for name in ("old", "fresh"):
        for enterprise in (make_enterprise(), make_enterprise()):
            assessment = make_assessment(app, enterprise, 2024)
            with acting_in(app, enterprise):
                row = PendingImport(
                    assessment_id=assessment.id, user_id=owner(enterprise).id,
                    digest=uuid.uuid4().hex * 2, data=b"{}",
                    created_at=now - (timedelta(days=2) if name == "old" else timedelta(hours=2)))
                db.session.add(row)
                db.session.flush()
                held[row.id] = name
    with app.app_context():
        deleted = purge_expired()
    assert deleted["unconfirmed imports"] == 2
    kept = fetch(PendingImport)
    assert sorted(held[r.id] for r in kept if r.id in held) == ["fresh", "fresh"]


def test_a_failing_purge_stops_no_other_and_the_command_prints_counts(app, make_user, fetch
                                                                      ) -> None:
    from tenants import housekeeping

    def broken(_now):
        raise RuntimeError("disk on fire")

    user = make_user()
    unused = _session(app, user, last_seen_days=45)
    saved = dict(housekeeping._PURGES)
    register_purge("a broken purge", broken)
    try:
        result = app.test_cli_runner().invoke(args=["housekeeping", "purge"])
    finally:
        housekeeping._PURGES.clear()
        housekeeping._PURGES.update(saved)
    assert result.exit_code == 0, result.output
    assert "sessions: 1" in result.output
    assert "a broken purge" not in result.output  # it failed and was logged, not counted
    assert unused not in {s.id for s in fetch(UserSession, UserSession.user_id == user.id)}
