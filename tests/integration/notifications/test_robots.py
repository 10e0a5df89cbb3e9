"""Group robots end to end: a notification queued in a unit of work is sent after the commit
to a local listener that checks each platform's URL, payload and signature as the platform
does; refusals (HTTP 200 with an error code, a 500, a redirect, a timeout) are retried with
backoff and finally recorded as failed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tenants.context import set_tenant
from tenants.extensions import db
from tenants.notifications import notify, services, tasks
from tenants.notifications.models import DeliveryStatus, NotificationDelivery, RobotKind
from tenants.types import utcnow
from tests.factories import owner_of
from tests.integration.notifications import listener as robot_listener

SECRETS = {"wecom": None, "dingtalk": robot_listener.DINGTALK_SECRET,
           "feishu": robot_listener.FEISHU_SECRET}


def add_robot(app: Any, tenant: Any, url: str, kind: str, secret: str | None = None,
              events: tuple[str, ...] = ("link.requested",)) -> Any:
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        robot = services.add_robot(db.session.merge(tenant), kind=kind, name="Group",
                                   url=url, secret=secret, events=list(events))
        db.commit()
        return robot


def tell(app: Any, tenant: Any, user_ids: list[Any], event: str = "link.requested") -> None:
    """notify() in a unit of work that commits: the outbox is sent after the commit."""
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        notify(db.session, tenant_id=tenant.id, user_ids=user_ids, event=event,
               params={"name": "中国机械工业联合会"}, url=f"/t/{tenant.slug}/links")
        db.commit()


def deliveries(fetch: Any, channel: str = "robot") -> list[NotificationDelivery]:
    return [d for d in fetch(NotificationDelivery) if d.channel == channel]


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu"])
def test_each_platform_receives_a_payload_it_accepts(app, make_tenant, fetch, robots_allowed,
                                                     kind):
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url(kind), kind, SECRETS[kind])
    tell(app, tenant, [owner_of(app, tenant).id])

    [received] = robots_allowed.received
    assert (received.platform, received.verdict) == (kind, "ok")
    text = json_text(received.body)
    assert "中国机械工业联合会" in text and f"/t/{tenant.slug}/links" in text
    [delivery] = deliveries(fetch)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.sent, 1)


def json_text(body: dict[str, Any]) -> str:
    import json

    return json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("kind", ["dingtalk", "feishu"])
def test_a_wrong_secret_is_refused_by_the_platform_with_http_200(app, make_tenant, fetch,
                                                                 robots_allowed, kind):
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url(kind), kind, "SEC-not-the-right-one")
    tell(app, tenant, [owner_of(app, tenant).id])

    assert [r.verdict for r in robots_allowed.received] == ["bad sign"]
    [delivery] = deliveries(fetch)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.pending, 1)
    assert delivery.error_kind == "platform" and "sign" in (delivery.error_detail or "")
    assert delivery.next_attempt_at > utcnow() + timedelta(seconds=50)  # backoff: 60 s


def test_the_signatures_match_the_platforms_published_examples():
    # recomputed independently, as the platforms' documentation does in Python
    import base64
    import hashlib
    import hmac

    from tenants.notifications.robots import dingtalk_sign, feishu_sign

    ts_ms, ts_s, secret = 1599360473000, 1599360473, "SECabc"
    assert dingtalk_sign(secret, ts_ms) == base64.b64encode(hmac.new(
        secret.encode(), f"{ts_ms}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    assert feishu_sign(secret, ts_s) == base64.b64encode(hmac.new(
        f"{ts_s}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()
    assert dingtalk_sign(secret, ts_ms) != feishu_sign(secret, ts_s)


@pytest.mark.parametrize("mode", ["fail", "status500", "redirect"])
def test_a_failing_robot_is_retried_with_backoff_then_recorded_as_failed(
        app, make_tenant, fetch, robots_allowed, mode):
    robots_allowed.mode = mode
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("wecom"), "wecom")
    tell(app, tenant, [owner_of(app, tenant).id])  # the first attempt, after the commit

    [delivery] = deliveries(fetch)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.pending, 1)
    first_retry = delivery.next_attempt_at
    with app.app_context():
        assert tasks.drain(utcnow()) == 0  # not due yet: nothing is sent
    assert len(robots_allowed.received) == 1
    with app.app_context():
        tasks.drain(first_retry + timedelta(seconds=1))
    [delivery] = deliveries(fetch)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.pending, 2)
    # exponential: the second retry waits twice as long as the first
    assert delivery.next_attempt_at - (first_retry + timedelta(seconds=1)) == timedelta(
        seconds=120)
    with app.app_context():
        tasks.drain(delivery.next_attempt_at + timedelta(seconds=1))
    [delivery] = deliveries(fetch)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.failed, 3)  # the maximum
    assert len(robots_allowed.received) == 3
    assert delivery.error_kind == {"fail": "platform", "status500": "status",
                                   "redirect": "status"}[mode]
    with app.app_context():
        assert tasks.drain(utcnow() + timedelta(days=1)) == 0  # failed is final
    assert len(robots_allowed.received) == 3


def test_a_robot_that_does_not_answer_in_time_is_a_timeout(app, make_tenant, fetch,
                                                           robots_allowed):
    robots_allowed.delay = 2.5
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("feishu"), "feishu",
              robot_listener.FEISHU_SECRET)
    tell(app, tenant, [owner_of(app, tenant).id])
    [delivery] = deliveries(fetch)
    assert (delivery.status, delivery.error_kind) == (DeliveryStatus.pending, "timeout")


def test_a_robot_posts_only_the_events_it_was_given(app, make_tenant, fetch, robots_allowed):
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("wecom"), "wecom", events=())
    tell(app, tenant, [owner_of(app, tenant).id])
    assert robots_allowed.received == [] and deliveries(fetch) == []


# -- SSRF: only the platforms' hosts over https ------------------------------------------------
@pytest.mark.parametrize(("kind", "url"), [
    ("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"),  # not https
    ("wecom", "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=x"),
    ("wecom", "https://oapi.dingtalk.com/robot/send?access_token=x"),  # another platform's
    ("dingtalk", "https://127.0.0.1/robot/send?access_token=x"),
    ("dingtalk", "https://169.254.169.254/latest/meta-data/"),
    ("dingtalk", "https://user:pw@oapi.dingtalk.com/robot/send?access_token=x"),
    ("dingtalk", "https://oapi.dingtalk.com:8443/robot/send?access_token=x"),
    ("feishu", "file:///etc/passwd"),
    ("feishu", "https://open.feishu.cn\n/open-apis/bot/v2/hook/x"),
    ("feishu", "http://127.0.0.1:6379/"),
    ("feishu", ""),
])
def test_robot_addresses_outside_the_platforms_are_refused(app, make_tenant, kind, url):
    from tenants.errors import DomainError

    tenant = make_tenant("enterprise")
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        with pytest.raises(DomainError) as refused:
            services.add_robot(db.session.merge(tenant), kind=kind, name="x", url=url,
                               secret=None, events=[])
        assert refused.value.field == "url"


@pytest.mark.parametrize(("kind", "url"), [
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"),
    ("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc"),
    ("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/abc"),
    ("feishu", "https://open.larksuite.com/open-apis/bot/v2/hook/abc"),
])
def test_the_platforms_own_addresses_are_accepted(app, kind, url):
    from tenants.notifications.robots import check_url

    with app.app_context():
        assert check_url(RobotKind(kind), url) == url


def test_an_origin_removed_from_the_setting_is_not_called_any_more(
        app, make_tenant, fetch, robots_allowed, monkeypatch):
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("wecom"), "wecom")
    monkeypatch.setitem(app.config, "NOTIFY_ROBOT_EXTRA_ORIGINS", [])
    tell(app, tenant, [owner_of(app, tenant).id])
    assert robots_allowed.received == []
    [delivery] = deliveries(fetch)
    assert delivery.error_kind == "address"


def test_the_url_and_secret_are_shown_only_shortened():
    from tenants.notifications.robots import mask_secret, mask_url

    masked = mask_url("https://oapi.dingtalk.com/robot/send?access_token=abcdef123456")
    assert "abcdef123456" not in masked and masked.endswith("3456")
    hook = mask_url("https://open.feishu.cn/open-apis/bot/v2/hook/0123-4567-89ab")
    assert "0123-4567" not in hook and hook.endswith("89ab")
    assert robot_listener.DINGTALK_SECRET not in mask_secret(robot_listener.DINGTALK_SECRET)


def test_the_send_command_sends_what_is_due(app, make_tenant, fetch, robots_allowed):
    robots_allowed.mode = "fail"
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("dingtalk"), "dingtalk",
              robot_listener.DINGTALK_SECRET)
    tell(app, tenant, [owner_of(app, tenant).id])
    [delivery] = deliveries(fetch)
    assert delivery.status == DeliveryStatus.pending
    robots_allowed.mode = "normal"
    with app.app_context():
        from tenants.context import system_scope

        with system_scope(db.session, "test: the retry is due now"):
            db.session.execute(sa.update(NotificationDelivery).values(
                next_attempt_at=utcnow()))
        db.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert result.exit_code == 0 and result.output.strip() == "1"
    [delivery] = deliveries(fetch)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.sent, 2)
    assert [r.verdict for r in robots_allowed.received] == ["ok", "ok"]


def test_a_robot_only_event_reaches_robots_when_nobody_is_told(app, make_tenant, fetch,
                                                                robots_allowed):
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("wecom"), "wecom")
    tell(app, tenant, [])
    assert [r.verdict for r in robots_allowed.received] == ["ok"]


def test_a_name_cannot_smuggle_a_link_into_a_robots_markdown(app, make_tenant, robots_allowed):
    tenant = make_tenant("enterprise")
    add_robot(app, tenant, robots_allowed.url("dingtalk"), "dingtalk",
              robot_listener.DINGTALK_SECRET)
    with app.test_request_context():
        set_tenant(db.session, tenant.id)
        notify(db.session, tenant_id=tenant.id, user_ids=[], event="link.requested",
               params={"name": "[Prize](https://evil.example) <font>"}, url="/")
        db.commit()
    [received] = robots_allowed.received
    text = received.body["markdown"]["text"]
    assert "[Prize](https://evil.example)" not in text and "<font>" not in text
    assert "Prize" in text
