"""Every response: its request id, the security headers, and one access-log line."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, g, request
from werkzeug.wsgi import ClosingIterator

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    def _start_request() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    # First of all before-request hooks: the extensions' hooks (CSRF, rate limits) may answer
    # the request themselves, and their responses need a request id too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)

    @app.after_request
    def _finish_request(response: Any) -> Any:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.wsgi_app = AccessLog(app.wsgi_app, app.static_url_path)  # type: ignore[method-assign]


class AccessLog:
    """WSGI middleware: one access-log line per request, written when the server closes the
    response, so the duration covers everything the request did: the commit, after-commit
    work (e-mails, jobs run in-process), teardown and streaming the body."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], static_prefix: str | None):
        self.wsgi_app = wsgi_app
        self.static_prefix = (static_prefix or "/static").rstrip("/") + "/"
        self.log = logging.getLogger("chaingauge.access")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        started = time.perf_counter()
        seen: dict[str, Any] = {"status": 500, "request_id": None}

        def capture(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            seen["status"] = int(status.split(" ", 1)[0])
            seen["request_id"] = next((v for k, v in headers if k.lower() == "x-request-id"),
                                      None)
            return start_response(status, headers, *exc_info)

        def write() -> None:
            path = environ.get("PATH_INFO", "")
            if path.startswith(self.static_prefix):
                return
            self.log.info("request", extra={
                "method": environ.get("REQUEST_METHOD"), "path": path,
                "status": seen["status"], "request_id": seen["request_id"],
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)})

        try:
            body = self.wsgi_app(environ, capture)
        except BaseException:
            write()
            raise
        return ClosingIterator(body, [write])
