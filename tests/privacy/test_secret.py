"""The instance secret and the public case ids keyed with it."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.errors import ConfigError, OpenLedgerError
from openledger.privacy.secret import create_secret, load_secret, pseudonym


def test_secret_is_created_with_mode_0600_and_never_overwritten(tmp_path):
    path = tmp_path / "secret"
    secret = create_secret(path)
    assert len(secret) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(path) == secret
    with pytest.raises(OpenLedgerError, match="refusing to overwrite") as error:
        create_secret(path)
    assert str(path) in str(error.value)
    assert load_secret(path) == secret


def test_a_secret_readable_by_others_is_refused(tmp_path):
    path = tmp_path / "secret"
    create_secret(path)
    os.chmod(path, 0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_secret(path)


def test_a_missing_or_garbled_secret_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="missing"):
        load_secret(tmp_path / "nope")
    bad = tmp_path / "bad"
    fd = os.open(bad, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"not hex at all")
    os.close(fd)
    with pytest.raises(ConfigError, match="not hexadecimal"):
        load_secret(bad)


def test_pseudonyms_are_stable_short_and_keyed():
    key = bytes(range(32))
    first = pseudonym(1234, key)
    assert first == pseudonym("1234", key)  # stable across builds and types
    assert first.startswith("C-") and len(first) == 2 + 16 + 3
    assert set(first[2:].replace("-", "")) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert pseudonym(1234, b"another key of some length") != first
    assert pseudonym(1235, key) != first
    with pytest.raises(ConfigError):
        pseudonym(1, b"")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=2, max_size=50, unique=True))
def test_pseudonyms_do_not_collide_on_distinct_ids(ids):
    key = b"k" * 32
    assert len({pseudonym(i, key) for i in ids}) == len(ids)
