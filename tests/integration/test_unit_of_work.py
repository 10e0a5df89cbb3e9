"""The request's unit of work: what waits for the commit, and what undoes itself on rollback."""

from __future__ import annotations

import pytest

from tenants.db import after_commit, after_rollback, db


@pytest.mark.parametrize("ending", ["commit", "rollback", "error in the request"])
def test_after_commit_runs_on_commit_and_after_rollback_on_rollback_only(app, ending):
    ran: list[str] = []
    context = app.test_request_context()
    context.push()
    try:
        after_commit(lambda: ran.append("after commit"))
        after_rollback(lambda: ran.append("after rollback"))
        if ending == "commit":
            db.commit()
        elif ending == "rollback":
            db.rollback()
    finally:
        # Teardown with the request's exception, as Flask does when a view raises.
        context.pop(RuntimeError("boom") if ending == "error in the request" else None)
    assert ran == (["after commit"] if ending == "commit" else ["after rollback"])


def test_a_failing_undo_is_logged_and_the_others_still_run(app, caplog):
    ran: list[str] = []

    def broken() -> None:
        raise OSError("disk gone")

    with app.test_request_context():
        after_rollback(broken)
        after_rollback(lambda: ran.append("second"))
        db.rollback()
    assert ran == ["second"]
    assert "after-rollback callback failed" in caplog.text
