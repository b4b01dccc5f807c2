"""The published outcomes CSV: writing and reading it back gives the same audit."""

from __future__ import annotations

import numpy as np
import pytest
from audit_sim import simulate

from openledger.audit import run_audit
from openledger.audit.outcomes_csv import csv_bytes, neutralise, read_csv, write_csv, written_columns
from openledger.audit.table import COLUMNS, validate
from openledger.errors import OpenLedgerError


def test_round_trip_gives_a_byte_identical_audit(tmp_path):
    table = simulate(5_000, 71, "remedy")
    path = tmp_path / "outcomes.csv"
    write_csv(table, path)
    back = read_csv(path)
    for name in ("first_response_hours", "resolution_days", "amount", "audience"):
        assert np.array_equal(back[name], table[name], equal_nan=True)
    for dimension in ("visibility", "channel", "audience"):
        assert run_audit(back, dimension=dimension).to_json() == run_audit(
            table, dimension=dimension).to_json()


def test_text_that_looks_like_missing_values_stays_text(tmp_path):
    table = simulate(200, 72)
    table["category"] = np.where(np.arange(200) % 2 == 0, "NA", "null").astype(object)
    write_csv(table, tmp_path / "o.csv")
    back = read_csv(tmp_path / "o.csv")
    assert set(back["category"]) == {"NA", "null"}


def test_formula_like_text_is_neutralised_and_numbers_stay_numbers(tmp_path):
    import csv

    table = simulate(8, 73)
    table["category"] = np.array(['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)",
                                  "\tTab", "\rCR", "-5", "billing"], dtype=object)
    table["amount"] = np.array([1.5, 0, 2.25, 3, 4, 5, 6, 7], dtype=float)
    write_csv(table, tmp_path / "o.csv")
    with (tmp_path / "o.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["category"] for r in rows] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+2", "'-2+3",
                                             "'@SUM(A1)", "'\tTab", "' CR", "-5", "billing"]
    assert [r["amount"] for r in rows] == ["1.5", "0.0", "2.25", "3.0", "4.0", "5.0", "6.0", "7.0"]
    back = read_csv(tmp_path / "o.csv")  # read_csv reverses nothing: the quote is the published value
    assert back["category"][0] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert np.array_equal(back["amount"], table["amount"])


def _pandas_csv(table) -> bytes:
    """What the published CSV was before it was written without a frame: pandas' ``to_csv``."""
    import pandas as pd

    clean = validate(table)
    names = written_columns(clean)  # an optional column no case has a value in is left out
    frame = pd.DataFrame({name: clean[name] for name in names})
    for name, (kind, _, _) in COLUMNS.items():
        if name not in names:
            continue
        if kind == "str":
            frame[name] = np.array([neutralise(v) for v in clean[name]], dtype=object)
        elif kind == "bool":
            frame[name] = np.where(clean[name], "true", "false")
    return frame.to_csv(index=False, lineterminator="\n", na_rep="", float_format=None).encode("utf-8")


@pytest.mark.parametrize("seed", [74, 75])
def test_the_csv_is_byte_for_byte_what_pandas_writes(seed):
    table = simulate(3_000, seed)
    assert csv_bytes(table) == _pandas_csv(table)
    table["outcome"] = np.where(np.arange(len(table["channel"])) % 2 == 0, "", table["outcome"])
    assert csv_bytes(table) == _pandas_csv(table)
    n = len(table["channel"])
    odd = ['=1+1', 'a,b', 'say "hi"', "two\nlines", "cr\rhere", "'", "-5", "é ü 中", "\ttab", "plain"]
    table["category"] = np.array([odd[i % len(odd)] for i in range(n)], dtype=object)
    table["amount"] = np.array([[0.0, 1e-7, 1e16, 0.1 + 0.2, 12345.678, float("inf"), -0.0][i % 7] for i in range(n)])
    rng = np.random.default_rng(seed)
    table["censor_hours"] = np.abs(rng.standard_normal(n)) * 10.0 ** rng.integers(-30, 30, n)
    table["audience"] = np.where(np.arange(n) % 3 == 0, np.nan, 1e5)
    assert csv_bytes(table) == _pandas_csv(table)


def _write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_bad_files_name_the_file_column_and_row(tmp_path):
    with pytest.raises(OpenLedgerError, match="nope.csv: file not found"):
        read_csv(tmp_path / "nope.csv")
    table = simulate(20, 73)
    path = tmp_path / "o.csv"
    write_csv(table, path)
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    row = lines[3].split(",")
    row[header.index("resolved")] = "maybe"
    _write_lines(path, [lines[0], lines[1], lines[2], ",".join(row)])
    with pytest.raises(OpenLedgerError, match=r"o.csv: column 'resolved': row 3: expected true"):
        read_csv(path)
    row = lines[1].split(",")
    row[header.index("amount")] = "ten"
    _write_lines(path, [lines[0], ",".join(row)])
    with pytest.raises(OpenLedgerError, match=r"column 'amount': row 1: not a number"):
        read_csv(path)
    _write_lines(path, [lines[0].replace("censor_days", "censor"), lines[1]])
    with pytest.raises(OpenLedgerError, match="o.csv: outcomes table lacks column"):
        read_csv(path)
