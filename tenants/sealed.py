"""Third parties' credentials sealed at rest: a column type that encrypts on write and
decrypts on read (AES-256-GCM, a fresh nonce each time).

A group robot's webhook address carries the robot's key, and DingTalk and Feishu robots have
a signing secret: whoever reads them can post into the enterprise's group chat. A database
dump or a replica read by the wrong person must not hand them out, so they are stored as
``sealed:v1:<base64(nonce | ciphertext)>``.

The key is ``DATA_ENCRYPTION_KEY`` if set, else derived from ``SECRET_KEY`` (no new secret is
needed to start). Set it before rotating ``SECRET_KEY``: a value sealed under another key
cannot be opened, and reads back as empty (logged), so the robot fails visibly on its
settings page and its administrator enters it again. Values stored before sealing existed
read back as they are and are sealed at their next save.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
from typing import Any

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

log = logging.getLogger(__name__)

PREFIX = "sealed:v1:"
_NONCE = 12


def sealing_key(config: Any) -> bytes:
    """32 bytes: ``DATA_ENCRYPTION_KEY`` (any string, hashed to 32 bytes) or a key derived
    from ``SECRET_KEY``."""
    explicit = config.get("DATA_ENCRYPTION_KEY")
    if explicit:
        return hashlib.sha256(str(explicit).encode()).digest()
    secret = str(config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, b"chaingauge.sealed-columns", hashlib.sha256).digest()


def seal(plain: str, key: bytes) -> str:
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(key).encrypt(nonce, plain.encode("utf-8"), PREFIX.encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(stored: str, key: bytes) -> str:
    """The plain value; a value stored before sealing as it is; "" if another key sealed it."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX):].encode("ascii"))
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], PREFIX.encode()).decode("utf-8")
    except (InvalidTag, ValueError):
        log.error("a sealed value could not be opened: was DATA_ENCRYPTION_KEY or SECRET_KEY "
                  "changed?")
        return ""


def sealed_length(plain_length: int) -> int:
    """The stored length of a value of ``plain_length`` characters (UTF-8 may take up to 3
    bytes each): what its column must hold."""
    sealed_bytes = _NONCE + 3 * plain_length + 16
    return len(PREFIX) + 4 * ((sealed_bytes + 2) // 3)


class SealedString(sa.types.TypeDecorator[str]):
    """A string column stored sealed (see the module's docstring); read in an app context."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return seal(value, sealing_key(current_app.config))

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return unseal(value, sealing_key(current_app.config))
