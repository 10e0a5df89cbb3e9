"""tenants.security: argon2 hashing, slugs, signed expiring tokens, the reset fingerprint."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tenants import security
from tenants.security import (
    TokenExpired,
    TokenInvalid,
    hash_password,
    new_token,
    password_fingerprint,
    sign,
    slugify,
    token_digest,
    unsign,
    verify_password,
)

SECRET = "unit-test-secret-key-of-a-reasonable-length"


@pytest.fixture
def app_context() -> Iterator[Flask]:
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET
    with app.app_context():
        yield app


# -- argon2 ---------------------------------------------------------------------------------
def test_passwords_are_hashed_with_argon2id_and_a_fresh_salt():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second  # salted
    assert "correct horse" not in first


def test_the_hash_uses_at_least_the_libraries_recommended_cost():
    params = security._hasher  # the product's hasher (the web tests swap in a cheap one)
    recommended = PasswordHasher()
    assert params.time_cost >= recommended.time_cost
    assert params.memory_cost >= recommended.memory_cost


def test_verification_accepts_the_password_and_nothing_else():
    stored = hash_password("correct horse")
    assert verify_password(stored, "correct horse") is True
    assert verify_password(stored, "correct horse ") is False
    assert verify_password(stored, "Correct horse") is False
    assert verify_password(stored, "") is False


@pytest.mark.parametrize("stored", ["", "plain-text", "$argon2id$v=19$broken",
                                    "$2b$12$abcdefghijklmnopqrstuv"])
def test_verification_of_a_malformed_hash_is_false_not_an_error(stored):
    assert verify_password(stored, "anything") is False


def test_unicode_passwords_round_trip():
    stored = hash_password("供应链管理密码-2024")
    assert verify_password(stored, "供应链管理密码-2024")
    assert not verify_password(stored, "供应链管理密码-2025")


def test_an_unknown_account_still_costs_a_full_verification(monkeypatch):
    # "No such user" must take as long as "wrong password": the same verification, against
    # a hash made with the same parameters as real ones.
    calls = []
    monkeypatch.setattr(security, "verify_password", lambda h, p: calls.append((h, p)))
    security.burn_verification_time("whatever")
    assert calls == [(security._DUMMY_HASH, "whatever")]
    parameters = security._DUMMY_HASH.rsplit("$", 2)[0]
    assert hash_password("x" * 12).rsplit("$", 2)[0] == parameters


# -- slugs ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, slug", [
    ("Acme Motors", "acme-motors"),
    ("  Acme   Motors  ", "acme-motors"),
    ("Café Über GmbH", "cafe-uber-gmbh"),
    ("ACME_2024 (China) Co., Ltd.", "acme-2024-china-co-ltd"),
    ("--Leading--and--trailing--", "leading-and-trailing"),
    # Chinese in pinyin, without the legal form and bracketed parts
    ("中国汽车工业协会", "zhong-guo-qi-che-gong-ye-xie-hui"),
    ("海尔 Haier", "hai-er-haier"),
    ("示例精密机械有限公司（示例）", "shi-li-jing-mi-ji-xie"),
    ("有限公司", "you-xian-gong-si"),
    ("", ""),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["a very long organisation name " * 5, "x" * 39 + " tail",
                                  "abcdefghij " * 8])
def test_slugs_are_at_most_40_characters_and_do_not_end_in_a_hyphen(name):
    slug = slugify(name)
    assert 0 < len(slug) <= 40
    assert not slug.startswith("-") and not slug.endswith("-")


def test_slugs_contain_only_safe_characters():
    for name in ("Ünïcödé & Co!", "a/b\\c?d#e", "<script>", "x.y@z"):
        assert all(c.isascii() and (c.islower() or c.isdigit() or c == "-")
                   for c in slugify(name)), name


# -- signed tokens --------------------------------------------------------------------------
def test_a_token_round_trips(app_context):
    token = sign("verify-email", {"uid": "42", "email": "a@example.com"})
    assert unsign("verify-email", token, 60) == {"uid": "42", "email": "a@example.com"}


def test_a_token_is_bound_to_its_purpose(app_context):
    token = sign("verify-email", {"uid": "42"})
    with pytest.raises(TokenInvalid):
        unsign("reset-password", token, 60)


def test_a_tampered_token_is_invalid(app_context):
    token = sign("verify-email", {"uid": "42"})
    _payload, rest = token.split(".", 1)
    forged_payload = sign("verify-email", {"uid": "43"}).split(".", 1)[0]
    # Change the signature's first character, not its last: base64's last character carries
    # padding bits, so changing it can leave the decoded signature as it was (1 time in 16).
    head, signature = token.rsplit(".", 1)
    other_first = "A" if signature[0] != "A" else "B"
    forged_signature = f"{head}.{other_first}{signature[1:]}"
    for forged in (forged_payload + "." + rest, forged_signature, "", "garbage", token + "x"):
        with pytest.raises(TokenInvalid):
            unsign("verify-email", forged, 60)


def test_a_token_signed_with_another_secret_is_invalid(app_context):
    other = URLSafeTimedSerializer("another-secret", salt="chaingauge.verify-email")
    with pytest.raises(TokenInvalid) as excinfo:
        unsign("verify-email", other.dumps({"uid": "42"}), 60)
    assert not isinstance(excinfo.value, TokenExpired)


def test_an_old_token_is_expired(app_context):
    class OldSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 3601

    old = URLSafeTimedSerializer(SECRET, salt="chaingauge.reset-password", signer=OldSigner)
    token = old.dumps({"uid": "42"})
    with pytest.raises(TokenExpired):
        unsign("reset-password", token, 3600)
    assert unsign("reset-password", token, 7200) == {"uid": "42"}


def test_a_max_age_below_zero_expires_every_token(app_context):
    token = sign("reset-password", {"uid": "42"})
    with pytest.raises(TokenExpired):
        unsign("reset-password", token, -1)


def test_an_expired_token_is_also_an_invalid_one():
    assert issubclass(TokenExpired, TokenInvalid)


def test_random_tokens_and_their_digests():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    token = next(iter(tokens))
    assert len(token) >= 40
    digest = token_digest(token)
    assert len(digest) == 64 and token not in digest
    assert token_digest(token) == digest and token_digest(token + "x") != digest


# -- reset fingerprint ----------------------------------------------------------------------
def test_the_reset_fingerprint_follows_the_password_hash():
    first = hash_password("correct horse")
    fingerprint = password_fingerprint(first)
    assert fingerprint == password_fingerprint(first)  # stable for one hash
    assert len(fingerprint) == 16 and all(c in "0123456789abcdef" for c in fingerprint)
    # Even the same password hashes differently (salt), so any change spends the token.
    assert password_fingerprint(hash_password("correct horse")) != fingerprint
    assert password_fingerprint(hash_password("a new password")) != fingerprint


def test_the_fingerprint_does_not_reveal_the_hash():
    stored = hash_password("correct horse")
    assert password_fingerprint(stored) not in stored
