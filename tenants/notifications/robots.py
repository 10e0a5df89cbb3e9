"""Group robots: WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书 / Lark) webhooks.

- **WeCom**: ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...``; the key in the
  URL is the credential; JSON ``{"msgtype": "markdown", "markdown": {"content": ...}}``.
- **DingTalk**: ``https://oapi.dingtalk.com/robot/send?access_token=...``; with a secret
  (``SEC...``), ``sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{ms}\\n{secret}")))``
  appended as ``&timestamp=<ms>&sign=...``; JSON ``{"msgtype": "markdown", "markdown":
  {"title", "text"}}``.
- **Feishu**: ``https://open.feishu.cn/open-apis/bot/v2/hook/...`` (or open.larksuite.com);
  with a secret, ``sign = base64(HMAC-SHA256(key=f"{s}\\n{secret}", msg=b""))``, and
  ``timestamp`` (seconds, a string) and ``sign`` go into the JSON body with
  ``{"msg_type": "text", "content": {"text": ...}}``.

All three answer HTTP 200 with an error code in the body when they refuse a message
(``errcode`` ≠ 0 for WeCom and DingTalk, ``code`` ≠ 0 for Feishu), so the body is read.

Requests go only to https URLs on the platform's official host (plus the origins of
``NOTIFY_ROBOT_EXTRA_ORIGINS``, which the tests point at a local listener), follow no
redirect, and time out after ``NOTIFY_ROBOT_TIMEOUT`` seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import ssl
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from tenants.errors import DomainError
from tenants.notifications.models import RobotKind

OFFICIAL_HOSTS: dict[RobotKind, tuple[str, ...]] = {
    RobotKind.wecom: ("qyapi.weixin.qq.com",),
    RobotKind.dingtalk: ("oapi.dingtalk.com",),
    RobotKind.feishu: ("open.feishu.cn", "open.larksuite.com"),
}
KIND_LABELS = {
    RobotKind.wecom: _l("WeCom (企业微信) group robot"),
    RobotKind.dingtalk: _l("DingTalk (钉钉) group robot"),
    RobotKind.feishu: _l("Feishu / Lark (飞书) group robot"),
}
MAX_RESPONSE = 64 * 1024


def _origin(parts: urllib.parse.SplitResult) -> str:
    host = (parts.hostname or "").lower()
    port = parts.port
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def _extra_origins() -> set[str]:
    configured = current_app.config["NOTIFY_ROBOT_EXTRA_ORIGINS"] or []
    if isinstance(configured, str):
        configured = [o for o in configured.replace(",", " ").split() if o]
    return {_origin(urllib.parse.urlsplit(str(o).strip().rstrip("/"))) for o in configured}


def url_allowed(kind: RobotKind, url: str) -> bool:
    """Whether the robot URL may be called: https on the platform's own host (no user name,
    no other port), or an origin the operator listed in ``NOTIFY_ROBOT_EXTRA_ORIGINS``. A
    tenant cannot make the server call an internal address (SSRF)."""
    if not url or len(url) > 500 or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if parts.username or parts.password or parts.fragment or not parts.hostname:
        return False
    if _origin(parts) in _extra_origins():
        return True
    return (parts.scheme == "https" and port in (None, 443)
            and parts.hostname.lower() in OFFICIAL_HOSTS[kind])


def check_url(kind: RobotKind, url: str) -> str:
    """The robot URL, stripped, if :func:`url_allowed`; else a ``DomainError`` on ``url``."""
    url = (url or "").strip()
    if not url_allowed(kind, url):
        raise DomainError(_l("Enter the robot's webhook address as the platform shows it: "
                             "https and the platform's own host (%(hosts)s).",
                             hosts=", ".join(OFFICIAL_HOSTS[kind])), "url")
    return url


def mask_url(url: str) -> str:
    """The URL with its credentials (query values, the last path segment of a Feishu hook)
    cut to their last four characters: recognisable, not usable."""
    parts = urllib.parse.urlsplit(url)

    def cut(value: str) -> str:
        return "…" + value[-4:] if len(value) > 4 else "…"

    segments = parts.path.split("/")
    if len(segments) > 2 and "hook" in segments:
        segments[-1] = cut(segments[-1])
    query = "&".join(f"{k}={cut(v)}" for k, v in urllib.parse.parse_qsl(parts.query))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/".join(segments), query, ""))


def mask_secret(secret: str | None) -> str:
    return "" if not secret else "•" * 6 + secret[-2:] if len(secret) > 8 else "•" * 6


# -- signatures, as the platforms compute them ------------------------------------------------
def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")), not yet url-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")): Feishu uses the string
    to sign as the key, over an empty message."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class Request:
    url: str
    body: dict[str, Any]


def build_request(kind: RobotKind, url: str, secret: str | None, title: str, body: str,
                  link: str | None, now: float | None = None) -> Request:
    """The URL to call and the JSON to post for one message."""
    now = time.time() if now is None else now
    if kind == RobotKind.wecom:
        text = f"**{title}**\n{body}" + (f"\n[{link}]({link})" if link else "")
        return Request(url, {"msgtype": "markdown", "markdown": {"content": text[:3800]}})
    if kind == RobotKind.dingtalk:
        text = f"### {title}\n\n{body}" + (f"\n\n[{link}]({link})" if link else "")
        if secret:
            timestamp = int(now * 1000)
            sign = urllib.parse.quote_plus(dingtalk_sign(secret, timestamp))
            joiner = "&" if urllib.parse.urlsplit(url).query else "?"
            url = f"{url}{joiner}timestamp={timestamp}&sign={sign}"
        return Request(url, {"msgtype": "markdown",
                             "markdown": {"title": title[:60], "text": text[:4500]}})
    text = f"{title}\n{body}" + (f"\n{link}" if link else "")
    payload: dict[str, Any] = {"msg_type": "text", "content": {"text": text[:4000]}}
    if secret:
        timestamp = int(now)
        payload = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp),
                   **payload}
    return Request(url, payload)


# -- the call ----------------------------------------------------------------------------------
class SendFailed(Exception):
    """Why a message did not go out: ``kind`` (timeout, connection, status, platform,
    address) and a short detail (the platform's own message, or the HTTP status)."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail[:200]


def post(request: Request, timeout: float) -> dict[str, Any]:
    """POST the JSON once: no redirect is followed (a 3xx is a failure), the answer is read
    up to 64 KiB."""
    parts = urllib.parse.urlsplit(request.url)
    host = parts.hostname or ""
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, parts.port or 443, timeout=timeout,
                                                 context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, parts.port or 80, timeout=timeout)
    data = json.dumps(request.body, ensure_ascii=False).encode()
    try:
        connection.request("POST", path, body=data, headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "ChainGauge-notifications"})
        response = connection.getresponse()
        raw = response.read(MAX_RESPONSE)
        status = response.status
    except TimeoutError as error:
        raise SendFailed("timeout") from error
    except (OSError, http.client.HTTPException) as error:
        raise SendFailed("connection", type(error).__name__) from error
    finally:
        connection.close()
    if status != 200:
        raise SendFailed("status", str(status))
    try:
        answer = json.loads(raw.decode("utf-8", "replace") or "{}")
    except ValueError as error:
        raise SendFailed("platform", "not JSON") from error
    return answer if isinstance(answer, dict) else {}


def check_answer(kind: RobotKind, answer: dict[str, Any]) -> None:
    """Raise ``SendFailed`` when the platform's body says it refused the message."""
    if kind == RobotKind.feishu:
        code = answer.get("code", answer.get("StatusCode", 0))
        message = answer.get("msg", answer.get("StatusMessage", ""))
    else:
        code = answer.get("errcode", 0)
        message = answer.get("errmsg", "")
    if code not in (0, "0", None):
        raise SendFailed("platform", f"{message}"[:180])


def send(kind: RobotKind, url: str, secret: str | None, title: str, body: str,
         link: str | None) -> None:
    """Send one message to a robot; ``SendFailed`` when it did not go out."""
    if not url_allowed(kind, url):  # checked again: the allowed origins may have changed
        raise SendFailed("address")
    request = build_request(kind, url, secret, title, body, link)
    answer = post(request, float(current_app.config["NOTIFY_ROBOT_TIMEOUT"]))
    check_answer(kind, answer)
