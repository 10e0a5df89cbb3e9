"""Review comments as pages show them."""

from __future__ import annotations

CODE = "lean.on_time_delivery_rate"


def test_the_comments_include_shows_one_indicators_comments(app):
    from datetime import UTC, datetime

    from flask import render_template

    from assessment.assessments.models import ReviewComment

    when = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    comments = [ReviewComment(indicator_code=CODE, body="<b>check</b> this", created_at=when),
                ReviewComment(indicator_code=None, body="overall note", created_at=when)]
    with app.test_request_context("/"):
        one = render_template("assessment/_comments.html", comments=comments, code=CODE)
        whole = render_template("assessment/_comments.html",
                                comments={None: comments[1:]}, code=None)
        none = render_template("assessment/_comments.html", comments=[], code=CODE)
    assert "&lt;b&gt;check&lt;/b&gt; this" in one and "overall note" not in one
    assert "overall note" in whole
    assert "review-comment" not in none
