"""Canonical JSON, commitments and the entry schema."""

from __future__ import annotations

import json
import math
from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_fixtures import cfpb_entries

from openledger.ledger.canonical import (
    EVENT_SALT_SIZE,
    SALT_SIZE,
    canonical_json,
    check_commitment,
    check_opening,
    commit,
    commit_event,
    commitment,
    new_salts,
    opening,
)
from openledger.ledger.entry import build_entry, parse_entry
from openledger.ledger.errors import LedgerFormatError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.text(st.characters(blacklist_categories=("Cs",))),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",)), max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(json_values)
def test_canonical_json_is_stable_and_parses_back(value):
    raw = canonical_json(value)
    assert json.loads(raw.decode("utf-8")) == value
    assert canonical_json(json.loads(raw)) == raw  # idempotent


@settings(max_examples=80, deadline=None)
@given(json_values)
def test_keys_known_skips_only_the_key_check(value):
    """A caller that knows every key is a string (values decoded from JSON) gets the same bytes without the walk."""
    assert canonical_json(value, keys_known=True) == canonical_json(value)


def test_canonical_form_sorted_compact_utf8():
    assert canonical_json({"b": 1, "a": [True, None, "é€😀"], "A": {"z": 0, "y": -1}}) == (
        '{"A":{"y":-1,"z":0},"a":[true,null,"é€😀"],"b":1}'.encode()
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, {"x": [1.0, math.nan]}])
def test_nan_and_infinity_are_refused(bad):
    with pytest.raises(LedgerFormatError, match="Out of range float"):
        canonical_json(bad)


@pytest.mark.parametrize("bad", [{1: "a"}, {"a": {None: 1}}, {"a": object()}, "\ud800"])
def test_non_string_keys_unserialisable_values_and_lone_surrogates_are_refused(bad):
    with pytest.raises(LedgerFormatError, match="cannot write canonical JSON"):
        canonical_json(bad)


def test_commitment_byte_layout():
    details = {"complaint": "3571115", "company": "TRANSUNION INTERMEDIATE HOLDINGS, INC.", "state": "FL"}
    salt = bytes(range(SALT_SIZE))
    expected = sha256(
        salt + b'{"company":"TRANSUNION INTERMEDIATE HOLDINGS, INC.","complaint":"3571115","state":"FL"}'
    ).hexdigest()
    assert commitment(salt, details) == expected
    assert check_commitment(expected, salt, details)
    assert not check_commitment(expected, salt, {**details, "state": "NY"})
    with pytest.raises(LedgerFormatError, match="salt is 32 bytes, got 16"):
        commitment(bytes(16), details)


def test_commit_uses_a_fresh_salt_each_time():
    (s1, c1), (s2, c2) = commit({"a": 1}), commit({"a": 1})
    assert len(s1) == SALT_SIZE and s1 != s2 and c1 != c2


def test_an_event_commitment_opens_in_two_layers():
    """The receipt opens the outer layer (exact time, inner hash); the private details stay behind the inner."""
    details = {"event": 7, "actor": "agent:jsmith", "private": {"reply": "Dear Ms X"}}
    salts, value = commit_event("2026-03-02T08:14:09Z", details)
    assert len(salts) == 2 * SALT_SIZE
    opened = opening(salts, "2026-03-02T08:14:09Z", details)
    assert set(opened) == {"at", "inner"} and "jsmith" not in json.dumps(opened)
    assert check_opening(value, salts[:SALT_SIZE], opened)
    assert sha256(salts[:SALT_SIZE] + canonical_json(opened)).hexdigest() == value
    assert not check_opening(value, salts[:SALT_SIZE], {**opened, "at": "2026-03-02T08:14:10Z"})
    assert opening(salts, "2026-03-02T08:14:09Z", {**details, "actor": "agent:other"})["inner"] != opened["inner"]


def test_an_event_committed_under_given_salts():
    """A seal draws the salts of a chunk of events at once and gives each event its slice: the commitment is the
    one the opening gives, the same for the same salts, and a slice of the wrong size is refused."""
    salts = new_salts(3)
    assert len(salts) == 3 * EVENT_SALT_SIZE == 3 * 2 * SALT_SIZE
    assert len({salts[i:i + EVENT_SALT_SIZE] for i in (0, 64, 128)}) == 3
    details = {"event": 7, "case": 3, "type": "resolved", "actor": "agent:jsmith", "data": {"outcome": "upheld"},
               "private": None}
    own = salts[EVENT_SALT_SIZE:2 * EVENT_SALT_SIZE]
    given_salts, value = commit_event("2026-03-02T08:14:09Z", details, salts=own, keys_known=True)
    assert given_salts == own
    assert commit_event("2026-03-02T08:14:09Z", details, salts=own) == (own, value)
    opened = opening(own, "2026-03-02T08:14:09Z", details)
    assert check_opening(value, own[:SALT_SIZE], opened)
    with pytest.raises(LedgerFormatError, match="salts are 64 bytes, got 32"):
        commit_event("2026-03-02T08:14:09Z", details, salts=own[:SALT_SIZE])


def entry_kwargs(**over):
    kw = {
        "case": "c-eafaca21e84f",
        "type": "resolved",
        "channel": "twitter",
        "visibility": "public",
        "period": "2020-W12",
        "data": {"outcome": "upheld", "remedy": "refund", "amount_cents": 2500},
        "deciders": [("openledger.builtin.responders.hierarchy", "0.1.0")],
        "commitment": "ab" * 32,
    }
    kw.update(over)
    return kw


def test_build_and_parse_an_entry():
    raw = build_entry(**entry_kwargs())
    assert raw.startswith(b'{"case":"c-eafaca21e84f","channel":"twitter","commitment":"abab')
    obj = parse_entry(raw)
    assert obj["v"] == 2 and obj["period"] == "2020-W12" and obj["deciders"] == [
        {"name": "openledger.builtin.responders.hierarchy", "version": "0.1.0"}
    ]
    for entry in cfpb_entries():
        parse_entry(entry)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"visibility": "secret"}, "visibility 'secret'"),
        ({"period": "2020-W54"}, "period '2020-W54' is not an ISO week, month, quarter or year"),
        ({"period": "2020-13"}, "period '2020-13' is not"),
        ({"period": "2020-03-18"}, "period '2020-03-18' is not"),
        ({"period": "2020-Q5"}, "period '2020-Q5' is not"),
        ({"channel": "Twitter"}, "channel 'Twitter' is not a lower-case token"),
        ({"case": ""}, "case '' is not a non-empty string"),
        ({"commitment": "AB" * 32}, "commitment is not 64 lower-case hex"),
        ({"deciders": [{"name": "x"}]}, r"deciders\[0\]"),
        ({"data": [1, 2]}, "data is not an object"),
        ({"data": {"score": math.nan}}, "Out of range float"),
    ],
)
def test_invalid_entries_are_refused(over, message):
    with pytest.raises(LedgerFormatError, match=message):
        build_entry(**entry_kwargs(**over))


def test_parse_refuses_non_canonical_or_extra_fields():
    raw = build_entry(**entry_kwargs())
    with pytest.raises(LedgerFormatError, match="entry 7: entry is not in canonical JSON form"):
        parse_entry(raw.replace(b",", b", "), "entry 7")
    obj = json.loads(raw)
    obj["text"] = "free text never goes into an entry"
    with pytest.raises(LedgerFormatError, match=r"unexpected \['text'\]"):
        parse_entry(canonical_json(obj))
    with pytest.raises(LedgerFormatError, match="not UTF-8 JSON"):
        parse_entry(b"\xff")
