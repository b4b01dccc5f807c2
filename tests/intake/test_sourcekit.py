"""The shared helpers of source plugins: times, HTML, JSON and CSV errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger.errors import SourceError
from openledger.intake.sourcekit import (
    BARE_CR,
    Source,
    csv_rows,
    html_to_text,
    iter_json_array,
    load_json,
)
from openledger.timeutil import parse_time

aware = st.datetimes(
    min_value=datetime(1974, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=0))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-08T05:40:39.000Z", "2024-03-08T05:40:39+00:00"),
        ("2020-03-18T12:00:00-05:00", "2020-03-18T12:00:00-05:00"),
        ("2019-09-24", "2019-09-24T00:00:00+00:00"),
        ("7/29/2013", "2013-07-29T00:00:00+00:00"),
        ("Tue Oct 31 22:10:47 +0000 2017", "2017-10-31T22:10:47+00:00"),
        (1604732178, "2020-11-07T06:56:18+00:00"),
        (1656501726482, "2022-06-29T11:22:06.482000+00:00"),
        ("1604732178", "2020-11-07T06:56:18+00:00"),
    ],
)
def test_parse_time_forms(value, expected):
    assert parse_time(value).isoformat() == expected


@pytest.mark.parametrize("value", ["", "yesterday", "13/45/2013", None, [], True])
def test_parse_time_rejects(value):
    with pytest.raises(ValueError):
        parse_time(value)


@given(aware)
def test_parse_time_round_trips_every_written_form(moment):
    assert parse_time(moment.isoformat()) == moment
    assert parse_time(moment.strftime("%a %b %d %H:%M:%S +0000 %Y")) == moment
    assert parse_time(int(moment.timestamp())) == moment
    assert parse_time(int(moment.timestamp() * 1000)) == moment
    shifted = moment.astimezone(timezone(timedelta(hours=-5)))
    assert parse_time(shifted.isoformat()) == moment


def test_html_to_text_drops_scripts_and_keeps_blocks():
    html = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<p>Hello&nbsp;<b>Jo</b> &amp; co,</p><script>alert(1)</script>"
        "<ul><li>one</li><li>two</li></ul>line<br>break</body></html>"
    )
    assert html_to_text(html) == "Hello Jo & co,\n\none\n\ntwo\n\nline\nbreak"


@settings(max_examples=50)
@given(st.text(alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs", "Cc"))))
def test_html_to_text_keeps_plain_words(text):
    words = text.split()
    assert html_to_text(f"<p>{text}</p>").split() == words


def test_load_json_errors_name_file_and_position(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1,\n "b": }', encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad.json: line 2 column 7: invalid JSON"):
        load_json(bad)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(SourceError, match="binary.json: not UTF-8"):
        load_json(binary)


def test_csv_rows_bare_carriage_returns_and_errors(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\r\n1,x\ry\r\n2,\"multi\nline\"\r\n")
    rows = [row for _, row in csv_rows(path, ["a", "b"], bare_cr=True)]
    assert [r["b"] for r in rows] == [f"x{BARE_CR}y", "multi\nline"]
    with pytest.raises(SourceError, match="t.csv: header: missing column 'c'"):
        list(csv_rows(path, ["a", "c"]))
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="empty.csv: empty file"):
        list(csv_rows(empty))
    broken = tmp_path / "broken.csv"
    broken.write_text('a,b\n1,"open\n', encoding="utf-8")
    with pytest.raises(SourceError, match="broken.csv: row 1: broken CSV"):
        list(csv_rows(broken))


def test_source_read_reports_a_missing_path(tmp_path):
    source = Source("x", "1", "test", None, None, lambda path, options: iter(()))
    with pytest.raises(SourceError, match="missing: no such file or folder"):
        list(source.read(tmp_path / "missing"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(json_values, max_size=8), st.integers(min_value=1, max_value=40), st.booleans())
def test_iter_json_array_streams_exactly_what_json_loads_reads(tmp_path_factory, items, chunk, indent):
    import json

    path = tmp_path_factory.mktemp("arr") / "a.json"
    path.write_text(json.dumps(items, indent=1 if indent else None), encoding="utf-8")
    streamed = [value for _, value in iter_json_array(path, chunk_size=chunk)]
    assert streamed == json.loads(path.read_text(encoding="utf-8"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=4), st.integers(), min_size=1, max_size=3), min_size=1, max_size=6),
       st.data())
def test_iter_json_array_never_accepts_a_cut_file(tmp_path_factory, items, data):
    import json

    text = json.dumps(items)
    cut = data.draw(st.integers(min_value=1, max_value=len(text) - 1))
    path = tmp_path_factory.mktemp("cut") / "a.json"
    path.write_text(text[:cut], encoding="utf-8")
    with pytest.raises(SourceError):
        list(iter_json_array(path, chunk_size=7))
