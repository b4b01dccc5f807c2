"""Pseudonyms, the instance secret, time coarsening and small-cell suppression."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space

from openledger.errors import ConfigError, OpenLedgerError
from openledger.privacy.coarsening import coarsen_time, round_duration
from openledger.privacy.secret import create_secret, load_secret, pseudonym
from openledger.privacy.suppression import suppress_rates, suppress_table


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


def test_time_coarsening():
    moment = datetime(2026, 3, 5, 23, 30, tzinfo=timezone(timedelta(hours=-5)))  # 04:30 UTC on the 6th
    assert coarsen_time(moment) == "2026-03-06"
    assert coarsen_time(moment, "week") == "2026-W10"
    assert coarsen_time(moment, "month") == "2026-03"
    assert coarsen_time(date(2027, 1, 1), "week") == "2026-W53"
    with pytest.raises(ConfigError, match="unknown time coarsening"):
        coarsen_time(moment, "hour")


def test_durations_are_rounded_to_whole_units():
    assert round_duration(timedelta(minutes=90)) == 2.0
    assert round_duration(timedelta(minutes=10)) == 1.0
    assert round_duration(0) == 0.0
    assert round_duration(timedelta(hours=60), "days") == 3.0
    assert round_duration(None) is None
    with pytest.raises(OpenLedgerError):
        round_duration(-5)


def test_small_cells_and_their_complements_are_hidden():
    table = [[50, 3, 20], [40, 30, 25], [12, 15, 60]]
    result = suppress_table(table, k=10)
    assert result.primary == {(0, 1)}
    assert result.values[0][1] is None
    assert len(result.secondary) >= 3  # a row and a column partner, and the cell closing the rectangle
    assert result.row_totals == [73, 95, 87] and result.total == 255
    for r, row in enumerate(result.values):
        for c, value in enumerate(row):
            assert value is None or value == table[r][c]


def test_totals_below_k_are_hidden_too():
    result = suppress_table([[5, 20, 30]], k=10)
    assert all(v is None for v in result.values[0])
    assert result.col_totals[0] is None


def test_rates_from_fewer_than_k_cases_are_hidden():
    numerators = [[5, 10, 8], [3, 20, 9], [6, 7, 5]]
    denominators = [[50, 40, 30], [4, 60, 45], [35, 25, 20]]
    rates = suppress_rates(numerators, denominators, k=10)
    assert rates[1][0] is None
    published = [(r, c) for r in range(3) for c in range(3) if rates[r][c] is not None]
    assert published
    for r, c in published:
        assert rates[r][c] == numerators[r][c] / denominators[r][c]
    # in a 2 x 2 table one small cell takes the whole table with it
    assert suppress_rates([[5, 10], [3, 20]], [[50, 40], [4, 60]], k=10) == [[None, None], [None, None]]


def _recoverable(table: np.ndarray, result) -> set[tuple[int, int]]:
    """Hidden cells whose value the published numbers fix (an independent check via the null space)."""
    hidden = sorted(result.hidden)
    if not hidden:
        return set()
    rows, cols = table.shape
    equations = []
    for r in range(rows):
        if result.row_totals[r] is not None:
            equations.append([1.0 if h[0] == r else 0.0 for h in hidden])
    for c in range(cols):
        if result.col_totals[c] is not None:
            equations.append([1.0 if h[1] == c else 0.0 for h in hidden])
    if result.total is not None:
        equations.append([1.0] * len(hidden))
    if not equations:
        return set()
    basis = null_space(np.array(equations))
    return {cell for i, cell in enumerate(hidden) if basis.shape[1] == 0 or np.allclose(basis[i], 0, atol=1e-9)}


TABLES = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.one_of(st.integers(0, 12), st.integers(10, 80)), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(TABLES, st.integers(2, 12))
def test_no_suppressed_cell_can_be_recovered_by_subtraction(table, k):
    array = np.array(table)
    result = suppress_table(table, k)
    assert {
        (r, c) for r in range(array.shape[0]) for c in range(array.shape[1]) if 0 < array[r, c] < k
    } <= result.hidden
    assert not (_recoverable(array, result) & result.primary)
    for r, row in enumerate(result.values):
        for c, value in enumerate(row):
            assert value is None or value == table[r][c]
