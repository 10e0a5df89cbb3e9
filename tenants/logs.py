"""Logging: one JSON object per line (``LOG_JSON``), each with the request's id."""

from __future__ import annotations

import json
import logging
import sys
import time

from flask import Flask, g, has_request_context


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key in ("reason", "tenant", "user", "status", "duration_ms", "path", "method"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if app.config["LOG_JSON"]:
        handler.setFormatter(JSONFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger("chaingauge")
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    root.propagate = False
    for name in ("tenants", "assessment", "app"):
        logging.getLogger(name).parent = root
