"""Sealing third parties' credentials (``tenants.sealed``): pure functions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tenants.sealed import PREFIX, seal, sealed_length, sealing_key, unseal

KEY = sealing_key({"SECRET_KEY": "s" * 40})
ROBOT = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def test_a_sealed_value_opens_with_its_key_and_hides_the_plain_text() -> None:
    stored = seal(ROBOT, KEY)
    assert stored.startswith(PREFIX)
    assert "693a91f6" not in stored and "qyapi" not in stored
    assert unseal(stored, KEY) == ROBOT
    assert seal(ROBOT, KEY) != stored  # a fresh nonce each time


def test_another_key_opens_nothing_and_a_value_from_before_sealing_reads_as_it_is() -> None:
    other = sealing_key({"SECRET_KEY": "t" * 40})
    assert unseal(seal(ROBOT, KEY), other) == ""
    assert unseal(seal(ROBOT, KEY)[:-4] + "AAAA", KEY) == ""  # tampered
    assert unseal(ROBOT, KEY) == ROBOT  # stored before sealing existed


def test_the_explicit_key_wins_over_the_secret_key() -> None:
    explicit = sealing_key({"SECRET_KEY": "s" * 40, "DATA_ENCRYPTION_KEY": "k" * 32})
    assert explicit != KEY
    assert unseal(seal("x", explicit), KEY) == ""


@given(st.text(max_size=500))
def test_the_column_holds_any_value_of_the_plain_length(plain: str) -> None:
    stored = seal(plain, KEY)
    assert len(stored) <= sealed_length(500)
    assert unseal(stored, KEY) == plain
