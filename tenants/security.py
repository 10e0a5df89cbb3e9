"""Password hashing, expiring signed tokens and random secrets."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the account does not exist, so that "no such user" and
# "wrong password" take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def burn_verification_time(password: str) -> None:
    verify_password(_DUMMY_HASH, password)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Stored form of a bearer token: a leaked table must not hand out working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenInvalid(Exception):
    """The token is forged, malformed, used up or for another purpose."""


class TokenExpired(TokenInvalid):
    """The token was genuine but its time ran out."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"chaingauge.{purpose}")


def sign(purpose: str, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, max_age_seconds: int) -> Any:
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise TokenExpired(purpose) from exc
    except BadSignature as exc:
        raise TokenInvalid(purpose) from exc


def password_fingerprint(password_hash: str) -> str:
    """Part of a reset token: once the password changes, the token stops working."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")


_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Legal-form endings that say nothing about which organisation it is (longest first).
_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司")


def _romanised(name: str) -> str:
    """A Chinese name in pinyin (汉语拼音), one word per syllable, without its legal form
    and bracketed parts: "示例精密机械有限公司（示例）" → "shi li jing mi ji xie"."""
    text = _BRACKETED.sub(" ", name).strip() or name
    for ending in _LEGAL_FORMS:
        if text.endswith(ending):
            if len(text) > len(ending):  # a name that is only a legal form keeps it
                text = text[: -len(ending)]
            break
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text))


def slugify(name: str) -> str:
    """A readable URL name: ASCII letters and digits joined by hyphens; Chinese in pinyin."""
    if _CJK.search(name):
        name = _romanised(name)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _SLUG_UNSAFE.sub("-", ascii_name.lower()).strip("-")
    return slug[:40].rstrip("-")  # cutting may leave a hyphen at the end
