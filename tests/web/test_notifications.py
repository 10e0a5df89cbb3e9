"""The notification centre through the browser's eyes: the unread count in the header, the
list (newest first, paginated), marking one or all read (compare-and-set), opening the
subject; another user's notification is a 404. And the group robot settings: owners and
administrators only, the address and secret never shown back in full."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tenants.context import set_tenant
from tenants.extensions import db
from tenants.models import Role
from tenants.notifications import notify
from tenants.notifications.models import Notification, NotificationDelivery, NotificationRobot
from tests.factories import owner_of
from tests.web.helpers import text


@pytest.fixture(autouse=True)
def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def tell(app: Any, tenant: Any, user: Any, name: str = "Jiangsu Machinery Association",
         count: int = 1) -> list[uuid.UUID]:
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        ids = []
        for _ in range(count):
            [note] = notify(db.session, tenant_id=tenant.id, user_ids=[user.id],
                            event="link.requested", params={"name": name},
                            url=f"/t/{tenant.slug}/links")
            ids.append(note.id)
        db.commit()
        return ids


def unread_badge(html: str) -> str | None:
    match = re.search(r'class="notifications-link">[^<]*(?:<span class="badge"[^>]*>(\w+)'
                      r"</span>)?", html)
    assert match, "no notifications link in the header"
    return match.group(1)


def test_the_header_counts_unread_and_the_list_shows_words(app, client, make_tenant,
                                                           sign_in):
    tenant = make_tenant("enterprise")
    owner = owner_of(app, tenant)
    sign_in(owner)
    assert unread_badge(text(client.get(f"/t/{tenant.slug}/"))) is None
    tell(app, tenant, owner, count=2)
    home = text(client.get(f"/t/{tenant.slug}/"))
    assert unread_badge(home) == "2"
    page = text(client.get("/notifications/"))
    assert page.count("Jiangsu Machinery Association asks to link with your enterprise") == 2
    assert "link.requested" not in page  # words, not codes


def test_marking_one_read_is_idempotent_and_opening_goes_to_the_subject(
        app, client, make_tenant, sign_in, post, fetch):
    tenant = make_tenant("enterprise")
    owner = owner_of(app, tenant)
    first, second = tell(app, tenant, owner, count=2)
    sign_in(owner)
    assert post(f"/notifications/{first}/read").status_code == 302
    assert post(f"/notifications/{first}/read").status_code == 302  # already read: no change
    response = post(f"/notifications/{second}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{tenant.slug}/links")
    assert all(n.read_at is not None for n in fetch(Notification))
    assert unread_badge(text(client.get("/notifications/"))) is None


def test_another_users_notification_is_not_found(app, client, make_tenant, make_user,
                                                 sign_in, post, fetch):
    tenant = make_tenant("enterprise")
    [theirs] = tell(app, tenant, owner_of(app, tenant))
    stranger = make_user()
    sign_in(stranger)
    assert post(f"/notifications/{theirs}/read").status_code == 404
    assert post(f"/notifications/{theirs}/open").status_code == 404
    assert post(f"/notifications/{uuid.uuid4()}/read").status_code == 404
    assert "Jiangsu" not in text(client.get("/notifications/"))
    assert post("/notifications/read-all").status_code == 302
    [note] = fetch(Notification)
    assert note.read_at is None  # the stranger's "mark all" reached only their own


def test_mark_all_read_spares_what_arrived_after_the_page_was_shown(
        app, client, make_tenant, sign_in, post, fetch):
    tenant = make_tenant("enterprise")
    owner = owner_of(app, tenant)
    tell(app, tenant, owner, count=2)
    sign_in(owner)
    page = text(client.get("/notifications/"))
    up_to = re.search(r'name="up_to" value="([^"]+)"', page).group(1)
    [late] = tell(app, tenant, owner, name="Late Association")
    assert post("/notifications/read-all", {"up_to": up_to}).status_code == 302
    unread = [n.id for n in fetch(Notification) if n.read_at is None]
    assert unread == [late]
    assert post("/notifications/read-all", {"up_to": "not a time"}).status_code == 400
    assert post("/notifications/read-all", {"up_to": "2026-01-01T00:00:00"}).status_code == 400


def test_the_list_is_newest_first_and_paginated(app, client, make_tenant, sign_in):
    tenant = make_tenant("enterprise")
    owner = owner_of(app, tenant)
    tell(app, tenant, owner, name="Old Association", count=1)
    tell(app, tenant, owner, name="Newer Association", count=21)
    sign_in(owner)
    first = text(client.get("/notifications/"))
    assert first.count("Newer Association") == 20 and "Old Association" not in first
    second = text(client.get("/notifications/?page=2"))
    assert "Old Association" in second and second.count("Newer Association") == 1
    assert client.get("/notifications/?page=x").status_code == 200


def test_the_centre_needs_a_signed_in_user(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_user_who_opts_out_gets_no_email_but_still_the_notification(
        app, client, make_tenant, sign_in, post, fetch, outbox):
    tenant = make_tenant("enterprise")
    owner = owner_of(app, tenant)
    sign_in(owner)
    page = text(client.get("/notifications/settings"))
    assert "Link requests from associations and consultancies" in page
    assert post("/notifications/settings", {}).status_code == 302  # every box unticked
    tell(app, tenant, owner)
    assert len(fetch(Notification)) == 1
    assert [d for d in fetch(NotificationDelivery) if d.channel == "email"] == []
    assert outbox() == []
    assert post("/notifications/settings",
                {"email-link.requested": "on"}).status_code == 302
    tell(app, tenant, owner)
    assert [m["To"] for m in outbox()] == [owner.email]


# -- the tenant's robots -----------------------------------------------------------------------
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdefTOKEN"
SECRET = "SECd3adb33fd3adb33fd3adb33fd3adb33f"


def test_an_administrator_adds_a_robot_and_sees_it_only_masked(app, client, make_tenant,
                                                                sign_in, post, fetch):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    response = post(f"/t/{tenant.slug}/settings/notifications/robots", {
        "kind": "dingtalk", "name": "采购群", "url": DINGTALK, "secret": SECRET,
        "events": ["link.requested", "assessment.finalised"]})
    assert response.status_code == 302, text(response)
    [robot] = fetch(NotificationRobot)
    assert (robot.kind, robot.secret, robot.events) == (
        "dingtalk", SECRET, ["assessment.finalised", "link.requested"])
    page = text(client.get(f"/t/{tenant.slug}/settings/notifications/"))
    assert "采购群" in page and "…OKEN" in page  # the last four characters
    assert "0123456789abcdef" not in page and SECRET not in page and SECRET[-8:] not in page
    # saving without a URL or secret keeps both
    prefix = f"r{robot.id.hex[:8]}-"
    response = post(f"/t/{tenant.slug}/settings/notifications/robots/{robot.id}", {
        f"{prefix}kind": "dingtalk", f"{prefix}name": "采购群 2",
        f"{prefix}events": ["link.requested"]})
    assert response.status_code == 302, text(response)
    [robot] = fetch(NotificationRobot)
    assert (robot.name, robot.url, robot.secret, robot.enabled) == (
        "采购群 2", DINGTALK, SECRET, False)


def test_a_robot_address_outside_the_platform_is_refused_on_the_page(app, client, make_tenant,
                                                                      sign_in, post, fetch):
    tenant = make_tenant("enterprise")
    sign_in(owner_of(app, tenant))
    response = post(f"/t/{tenant.slug}/settings/notifications/robots", {
        "kind": "wecom", "name": "x", "url": "http://10.0.0.5/cgi-bin/webhook/send?key=1"})
    assert response.status_code == 422
    assert "qyapi.weixin.qq.com" in text(response)
    assert fetch(NotificationRobot) == []


@pytest.mark.parametrize("role", [Role.assessor, Role.viewer])
def test_only_owners_and_administrators_manage_robots(app, client, make_tenant, make_user,
                                                     add_member, sign_in, post, role):
    tenant = make_tenant("enterprise")
    member = make_user()
    add_member(tenant, member, role)
    sign_in(member)
    assert client.get(f"/t/{tenant.slug}/settings/notifications/").status_code == 403
    assert post(f"/t/{tenant.slug}/settings/notifications/robots", {
        "kind": "wecom", "name": "x",
        "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1"}).status_code == 403
    assert "Group robots" not in text(client.get(f"/t/{tenant.slug}/"))


def test_the_pages_speak_chinese_first(app, client, make_tenant, sign_in):
    tenant = make_tenant("enterprise")
    owner = owner_of(app, tenant)
    tell(app, tenant, owner, name="江苏省机械行业协会")
    sign_in(owner)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    centre = text(client.get("/notifications/"))
    assert "江苏省机械行业协会申请与贵企业建立关联" in centre and "全部标为已读" in centre
    channels = text(client.get(f"/t/{tenant.slug}/settings/notifications/"))
    assert "添加机器人" in channels and "企业微信群机器人" in channels
    settings = text(client.get("/notifications/settings"))
    assert "协会和咨询机构的关联申请" in settings
    for page in (centre, channels, settings):
        body = page[page.index("<main"):page.index("</main>")]
        visible = re.sub(r"<[^>]+>", " ", body)
        assert not re.search(r"\b(Add|Notification|Mark|robot|Save)\b", visible), visible


def test_a_failed_robot_message_is_listed_for_the_administrators(app, client, make_tenant,
                                                                  sign_in):
    from tenants.context import system_scope
    from tenants.notifications import services as notification_services

    tenant = make_tenant("enterprise")
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        robot = notification_services.add_robot(
            db.session.merge(tenant), kind="wecom", name="采购群",
            url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", secret=None,
            events=["link.requested"])
        with system_scope(db.session, "test: a delivery that gave up"):
            db.session.add(NotificationDelivery(
                tenant_id=tenant.id, channel="robot", robot_id=robot.id,
                event="link.requested", params={}, status="failed", attempts=5,
                error_kind="platform", error_detail="api freq out of limit"))
            db.session.flush()
        db.commit()
    sign_in(owner_of(app, tenant))
    page = text(client.get(f"/t/{tenant.slug}/settings/notifications/"))
    row = page[page.index("Messages not delivered"):]
    assert "采购群" in row and "Link requests from associations and consultancies" in row
    assert "Failed" in row and "The platform refused the message: api freq out of limit" in row
