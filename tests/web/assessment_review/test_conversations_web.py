"""Review conversations: the reviewer and the enterprise reply to a comment (one level),
each reply shows its author's name and organisation, resolving records who and when and is
decided once, and another tenant's comment is a 404."""

from __future__ import annotations

import re

from assessment.assessments.models import ReviewComment
from tenants.models import LinkGrant, Role
from tests.factories import owner_of
from tests.web.helpers import ENGLISH, text


def _returned_with_comment(make_enterprise, make_assessment, make_tenant, make_user,
                           make_link, sign_in, post, fetch):
    enterprise = make_enterprise(name="Fujian Valves")
    assessment = make_assessment(enterprise, submit=True)
    consultant = make_user(name="王审核")
    consultancy = make_tenant("consultancy", owner=consultant, name="Acme 咨询")
    make_link(consultancy, enterprise, grants=[LinkGrant.review])
    sign_in(consultant)
    linked = f"/t/{consultancy.slug}/clients/{enterprise.id}/assessments/{assessment.id}"
    assert post(f"{linked}/review/comments", {"body": "Attach the delivery log."}
                ).status_code == 303
    assert post(f"{linked}/review/return", {"confirm": "yes", "expected_version": 2}
                ).status_code == 303
    [comment] = fetch(ReviewComment, ReviewComment.tenant_id == enterprise.id)
    own = f"/t/{enterprise.slug}/assessments/{assessment.id}"
    return enterprise, assessment, consultant, consultancy, comment, linked, own


def test_both_sides_reply_and_each_reply_names_its_author_and_organisation(
        app, client, make_enterprise, make_assessment, make_tenant, make_user, make_link,
        sign_in, post, fetch):
    enterprise, _a, consultant, consultancy, comment, linked, own = _returned_with_comment(
        make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in, post,
        fetch)
    owner = owner_of(app, enterprise)
    sign_in(owner)
    page = text(client.get(f"{own}/review", headers=ENGLISH))
    assert f'action="{own}/review/comments/{comment.id}/replies"' in page
    assert post(f"{own}/review/comments/{comment.id}/replies",
                {"body": "Attached: the 2025 log."}).status_code == 303
    sign_in(consultant)
    assert post(f"{linked}/review/comments/{comment.id}/replies",
                {"body": "Thanks, that settles it."}).status_code == 303
    replies = fetch(ReviewComment, ReviewComment.parent_id == comment.id)
    assert {r.author_tenant_id for r in replies} == {enterprise.id, consultancy.id}
    assert all(r.revision == comment.revision for r in replies)
    # a reply to a reply joins the comment's conversation (one level)
    reply_id = next(r.id for r in replies if r.author_tenant_id == consultancy.id)
    assert post(f"{linked}/review/comments/{reply_id}/replies", {"body": "One more."}
                ).status_code == 303
    assert len(fetch(ReviewComment, ReviewComment.parent_id == comment.id)) == 3
    html = client.get(f"{linked}/review", headers=ENGLISH).get_data(as_text=True)
    thread = html.split(f'id="comment-{comment.id}"')[1].split('<div class="review-comment')[0]
    assert "王审核" in html and "Acme 咨询" in html and "Fujian Valves" in thread
    assert thread.index("Attached: the 2025 log.") < thread.index("Thanks, that settles it.")
    # replies are not open comments: the assessment's open comments are still one
    sign_in(owner)
    home = text(client.get(f"/t/{enterprise.slug}/", headers=ENGLISH))
    assert len(re.findall(r'#comment-', home)) == 1


def test_resolving_records_who_and_is_decided_once(
        app, client, make_enterprise, make_assessment, make_tenant, make_user, make_link,
        sign_in, post, fetch):
    _e, _a, consultant, consultancy, comment, linked, _own = _returned_with_comment(
        make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in, post,
        fetch)
    assert post(f"{linked}/review/comments/{comment.id}/resolve").status_code == 303
    [stored] = fetch(ReviewComment, ReviewComment.id == comment.id)
    assert stored.resolved_at is not None
    assert (stored.resolved_by_id, stored.resolved_by_tenant_id) == (consultant.id,
                                                                     consultancy.id)
    again = post(f"{linked}/review/comments/{comment.id}/resolve", headers=ENGLISH)
    assert again.status_code == 409
    assert "already resolved by 王审核 (Acme 咨询)" in text(again)
    page = text(client.get(f"{linked}/review", headers=ENGLISH))
    assert "resolved by 王审核 (Acme 咨询)" in page


def test_who_may_not_reply(app, client, make_enterprise, make_assessment, make_tenant,
                           make_user, make_link, add_member, sign_in, post, fetch):
    enterprise, assessment, _c, _co, comment, _linked, own = _returned_with_comment(
        make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in, post,
        fetch)
    viewer = make_user()
    add_member(enterprise, viewer, Role.viewer)
    sign_in(viewer)
    assert post(f"{own}/review/comments/{comment.id}/replies", {"body": "x"}
                ).status_code == 403
    # another enterprise, its own URL with this comment: the assessment is not its own
    stranger_owner = make_user()
    stranger = make_enterprise(owner=stranger_owner)
    other = make_assessment(stranger)
    sign_in(stranger_owner)
    assert post(f"/t/{stranger.slug}/assessments/{assessment.id}/review/comments/"
                f"{comment.id}/replies", {"body": "x"}).status_code == 404
    # its own assessment with this comment's id: not a comment of that assessment
    assert post(f"/t/{stranger.slug}/assessments/{other.id}/review/comments/"
                f"{comment.id}/replies", {"body": "x"}).status_code == 404
    assert post(f"/t/{stranger.slug}/assessments/{other.id}/review/comments/"
                f"{comment.id}/resolve").status_code == 404
    assert fetch(ReviewComment, ReviewComment.parent_id == comment.id) == []


def test_the_enterprise_home_shows_what_waits_first(
        app, client, make_enterprise, make_assessment, make_tenant, make_user, make_link,
        sign_in, post, fetch):
    enterprise, _assessment, _c, _co, comment, _l, own = _returned_with_comment(
        make_enterprise, make_assessment, make_tenant, make_user, make_link, sign_in, post,
        fetch)
    association = make_tenant("association", name="Fujian Machinery Association")
    make_link(association, enterprise, grants=[LinkGrant.scores], accept=False)
    sign_in(owner_of(app, enterprise))
    html = client.get(f"/t/{enterprise.slug}/", headers=ENGLISH).get_data(as_text=True)
    returned = html.index("See the returned comments")
    requests = html.index("Fujian Machinery Association")
    comments = html.index(f"#comment-{comment.id}")
    current = html.index("Current assessment")
    assert returned < requests < comments < current
    assert f'href="{own}/review"' in html
    assert "Continue" not in html and "% answered" not in html
    chinese = client.get(f"/t/{enterprise.slug}/", headers={"Accept-Language": "zh-CN"})
    assert "查看退回意见" in text(chinese) and "继续填写" not in text(chinese)


def test_a_reply_reaches_the_other_side_of_the_conversation(
        app, client, make_enterprise, make_assessment, make_tenant, make_user, make_link,
        sign_in, post, fetch):
    from tenants.notifications.models import Notification

    enterprise, _assessment, consultant, _consultancy, comment, linked, own = \
        _returned_with_comment(make_enterprise, make_assessment, make_tenant, make_user,
                               make_link, sign_in, post, fetch)
    owner = owner_of(app, enterprise)
    sign_in(owner)
    assert post(f"{own}/review/comments/{comment.id}/replies",
                {"body": "Attached: the 2025 log."}).status_code == 303
    [to_reviewer] = fetch(Notification, Notification.event == "assessment.comment_reply")
    # the comment's author hears of it, in the consultancy's view of the assessment
    assert to_reviewer.user_id == consultant.id
    assert to_reviewer.url == f"{linked}/review"
    assert to_reviewer.params["excerpt"] == "Attached: the 2025 log."
    sign_in(consultant)
    assert post(f"{linked}/review/comments/{comment.id}/replies",
                {"body": "Thanks, that settles it."}).status_code == 303
    told = fetch(Notification, Notification.event == "assessment.comment_reply",
                 Notification.user_id == owner.id)
    # the enterprise's side hears of the reviewer's answer on its own review page, named
    assert [n.url for n in told] == [f"{own}/review"]
    assert told[0].params["author"] == "王审核"
    centre = text(client.get("/notifications/", headers=ENGLISH))
    # the reviewer sees the enterprise's reply, never their own
    assert centre.count("replied on the") == 1 and "Attached: the 2025 log." in centre
    assert "Thanks, that settles it." not in centre
