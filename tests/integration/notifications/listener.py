"""A local stand-in for the robot platforms: a real HTTP server on 127.0.0.1, in a thread
of the test process, that checks each request as WeCom, DingTalk and Feishu do (the key in
the URL, the signatures recomputed from the secret, the timestamp's window) and answers as
they do, HTTP 200 with an error code in the body included."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DINGTALK_TOKEN = "d1n6t4lk-access-token"
DINGTALK_SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
FEISHU_HOOK = "f3i5hu-hook-id"
FEISHU_SECRET = "feishu-signing-secret"


@dataclass
class Received:
    platform: str
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    verdict: str  # "ok" or why the platform refused it


@dataclass
class Listener:
    server: ThreadingHTTPServer
    thread: threading.Thread
    received: list[Received] = field(default_factory=list)
    mode: str = "normal"  # normal | fail | status500 | redirect
    # seconds to wait before answering (in any mode)
    delay: float = 0.0

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, platform: str) -> str:
        if platform == "wecom":
            return f"{self.origin}/cgi-bin/webhook/send?key={WECOM_KEY}"
        if platform == "dingtalk":
            return f"{self.origin}/robot/send?access_token={DINGTALK_TOKEN}"
        return f"{self.origin}/open-apis/bot/v2/hook/{FEISHU_HOOK}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def _wecom(query: dict[str, str], body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if query.get("key") != WECOM_KEY:
        return "bad key", {"errcode": 93000, "errmsg": "invalid webhook url"}
    if body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("content"):
        return "bad payload", {"errcode": 40008, "errmsg": "invalid message type"}
    return "ok", {"errcode": 0, "errmsg": "ok"}


def _dingtalk(query: dict[str, str], body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if query.get("access_token") != DINGTALK_TOKEN:
        return "bad token", {"errcode": 300001, "errmsg": "token is not exist"}
    timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
    # as DingTalk: milliseconds, within an hour; sign = base64(HMAC-SHA256(secret,
    # timestamp + "\n" + secret)); parse_qs has already url-decoded it
    if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600 * 1000:
        return "stale timestamp", {"errcode": 310000, "errmsg": "sign not match"}
    expected = base64.b64encode(hmac.new(
        DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
        hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(sign, expected):
        return "bad sign", {"errcode": 310000, "errmsg": "sign not match"}
    markdown = body.get("markdown", {})
    if body.get("msgtype") != "markdown" or not markdown.get("title") or not markdown.get(
            "text"):
        return "bad payload", {"errcode": 40035, "errmsg": "缺少参数 json"}
    return "ok", {"errcode": 0, "errmsg": "ok"}


def _feishu(path: str, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if not path.endswith(f"/open-apis/bot/v2/hook/{FEISHU_HOOK}"):
        return "bad hook", {"code": 19001, "msg": "param invalid: incoming webhook access "
                                                  "token invalid", "data": {}}
    timestamp, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
    # as Feishu: seconds, within an hour; the string to sign is the HMAC *key*, the message
    # is empty
    if not timestamp.isdigit() or abs(int(timestamp) - time.time()) > 3600:
        return "stale timestamp", {"code": 19021, "msg": "sign match fail or timestamp is not "
                                                         "within one hour from current time"}
    expected = base64.b64encode(hmac.new(f"{timestamp}\n{FEISHU_SECRET}".encode(), b"",
                                         hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(sign, expected):
        return "bad sign", {"code": 19021, "msg": "sign match fail or timestamp is not "
                                                  "within one hour from current time"}
    if body.get("msg_type") != "text" or not body.get("content", {}).get("text"):
        return "bad payload", {"code": 9499, "msg": "Bad Request", "data": {}}
    return "ok", {"code": 0, "msg": "success", "data": {}}


def start() -> Listener:
    holder: dict[str, Listener] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:  # quiet
            return

        def do_POST(self) -> None:
            listener = holder["listener"]
            parts = urllib.parse.urlsplit(self.path)
            query = {k: v[0] for k, v in urllib.parse.parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw.decode())
            except ValueError:
                body = {}
            if parts.path.startswith("/cgi-bin/"):
                platform, (verdict, answer) = "wecom", _wecom(query, body)
            elif parts.path.startswith("/robot/"):
                platform, (verdict, answer) = "dingtalk", _dingtalk(query, body)
            else:
                platform, (verdict, answer) = "feishu", _feishu(parts.path, body)
            listener.received.append(Received(platform, parts.path, query, body, verdict))
            if listener.delay:
                time.sleep(listener.delay)
            if listener.mode == "redirect":
                self.send_response(302)
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.end_headers()
                return
            if listener.mode == "status500":
                self.send_response(500)
                self.end_headers()
                return
            if listener.mode == "fail":
                answer = ({"code": 9499, "msg": "Bad Request", "data": {}}
                          if platform == "feishu"
                          else {"errcode": 45009, "errmsg": "api freq out of limit"})
            data = json.dumps(answer).encode()
            self.send_response(200)  # the platforms answer 200 even when they refuse
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    listener = Listener(server, thread)
    holder["listener"] = listener
    thread.start()
    return listener
