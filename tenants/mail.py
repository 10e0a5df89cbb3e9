"""Outgoing mail behind a small backend interface: console, file or SMTP.

Messages are handed to a job after the unit of work commits, so a rolled-back sign-up sends
no e-mail and a slow SMTP server does not hold up the request.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app, g

from tenants.db import after_commit
from tenants.jobs import app_task

log = logging.getLogger(__name__)


class MailBackend(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class ConsoleBackend:
    def send(self, message: EmailMessage) -> None:
        log.info("mail to %s: %s\n%s", message["To"], message["Subject"], message.get_content())


class FileBackend:
    """Writes each message as an .eml file: handy in development and in tests."""

    def __init__(self, directory: str):
        self.directory = Path(directory)

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))


class SMTPBackend:
    def __init__(self, host: str, port: int, username: str | None, password: str | None,
                 use_tls: bool):
        self.host, self.port = host, port
        self.username, self.password, self.use_tls = username, password, use_tls

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def backend_from_config(app: Flask) -> MailBackend:
    kind = app.config["MAIL_BACKEND"]
    if kind == "console":
        return ConsoleBackend()
    if kind == "file":
        return FileBackend(app.config["MAIL_FILE_DIR"])
    if kind == "smtp":
        return SMTPBackend(
            app.config["SMTP_HOST"], int(app.config["SMTP_PORT"]), app.config["SMTP_USERNAME"],
            app.config["SMTP_PASSWORD"], bool(app.config["SMTP_USE_TLS"]),
        )
    raise ValueError(f"unknown MAIL_BACKEND {kind!r}")


def init_app(app: Flask) -> None:
    app.extensions["chaingauge_mail"] = backend_from_config(app)


@app_task()
def deliver(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    current_app.extensions["chaingauge_mail"].send(message)


_SUPPRESSED_KEY = "_chaingauge_mail_suppressed"


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Send no e-mail from the block (the demo's link requests go to fictitious owners). Only
    mail is dropped: other work queued for after the commit (benchmark refreshes) still runs."""
    was = g.get(_SUPPRESSED_KEY, False)
    setattr(g, _SUPPRESSED_KEY, True)
    try:
        yield
    finally:
        setattr(g, _SUPPRESSED_KEY, was)


def is_suppressed() -> bool:
    """Whether the current block sends no e-mail (:func:`suppressed`): for senders that queue
    their own delivery job instead of calling :func:`send_mail` per message."""
    return bool(g.get(_SUPPRESSED_KEY, False))


def send_mail(to: str, subject: str, body: str) -> None:
    """Queue a plain-text e-mail to go out once the current unit of work commits."""
    if g.get(_SUPPRESSED_KEY, False):
        log.info("e-mail suppressed", extra={"reason": str(subject)[:80]})
        return
    after_commit(lambda: deliver(to, str(subject), str(body)))
