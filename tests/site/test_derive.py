"""derive reads each entry exactly as the JSON parser reads it, whatever its spelling."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openledger import periods
from openledger.ledger.entry import build_entry
from openledger.ledger.errors import LedgerFormatError
from openledger.site.derive import case_of, derive

DECIDER = [{"name": "openledger-rules", "version": "1.2"}]


def entries() -> list[bytes]:
    out = []

    def add(case, kind, period, data, channel="twitter", visibility="public", deciders=()):
        out.append(build_entry(case=case, type=kind, channel=channel, visibility=visibility, period=period,
                               data=data, deciders=list(deciders), commitment=f"{len(out):064x}"))

    for i, case in enumerate(["C-AAAA-BBBB", 'C-"quoted"', "C-back\\slash", "C-ä-中", "C-tab\there", "C-plain"]):
        channel, visibility = (("email", "private") if i % 2 else ("twitter", "public"))
        opened = {"category": "billing", "severity": 3} | ({"audience": "1k-100k"} if i % 2 == 0 else {})
        add(case, "opened", f"2026-0{i % 3 + 1}", opened, channel, visibility)
        add(case, "classified", "2026-W14", {"labels": {"category": {"value": "delivery", "p": 0.9}},
                                             "severity": 2}, channel, visibility, DECIDER)
        add(case, "responded", "2026-04", {"after": ["<1h", "1-4h", "hidden", "late", "3-7d", "4-24h"][i]},
            channel, visibility)
        if i % 3 == 0:
            add(case, "responded", "2026-04", {"channel": "phone"}, channel, visibility)
            add(case, "escalated", "2026-04", {}, channel, visibility)
        add(case, "resolved", "2026-Q2", {"outcome": "upheld", "remedy": "refund", "amount_cents": 1250 + i,
                                          "after_h": 30 + i}, channel, visibility, DECIDER)
        if i % 2:
            add(case, "reopened", "2026-Q2", {}, channel, visibility)
        if i % 4 == 1:
            add(case, "resolved", "2026", {"outcome": "declined", "remedy": "none", "amount_cents": 0,
                                           "after_h": 400}, channel, visibility)
    return out


def same(a, b) -> None:
    assert a.table.keys() == b.table.keys()
    for name in a.table:
        assert a.table[name].dtype == b.table[name].dtype, name
        assert np.array_equal(a.table[name], b.table[name], equal_nan=a.table[name].dtype.kind == "f"), name
    assert (a.case_entries, a.as_of, a.signatures) == (b.case_entries, b.as_of, b.signatures)


@pytest.mark.parametrize("spelling", [
    {"ensure_ascii": True},  # escapes in every non-ASCII string
    {"indent": 1},  # spaces and line breaks
    {"separators": (",", ":")},  # keys in another order (not sorted)
])
def test_every_spelling_of_the_same_entries_derives_the_same_site(spelling):
    canonical = entries()
    respelled = [json.dumps(dict(reversed(json.loads(raw).items())), **spelling).encode() for raw in canonical]
    assert respelled != canonical
    mixed = [r if i % 2 else c for i, (c, r) in enumerate(zip(canonical, respelled))]
    plain = derive(enumerate(canonical))
    same(plain, derive(enumerate(respelled)))
    same(plain, derive(enumerate(mixed)))
    assert plain.table["category"].tolist()[0] == "delivery" and plain.table["resolved_elsewhere"].any()
    assert {'C-"quoted"', "C-back\\slash", "C-ä-中"} <= set(plain.table["case"].tolist())
    for raw in canonical + respelled:  # the case of an entry alone, as the case index made beside the proof reads it
        assert case_of(raw) == json.loads(raw)["case"] and case_of(raw) in plain.case_entries


@pytest.mark.parametrize("raw", [
    b'{"case":"C-1","channel":"x","commitment":"' + b"0" * 64 + b'","data":{"a":},"deciders":[],"period":"2026",'
    b'"type":"opened","v":2,"visibility":"public"}',  # data that is not JSON
    b'{"case":"C-\xff","channel":"x","commitment":"' + b"0" * 64 + b'","data":{},"deciders":[],"period":"2026",'
    b'"type":"opened","v":2,"visibility":"public"}',  # not UTF-8
    b'{"case":"C-1","channel":"x","commitment":"' + b"0" * 64 + b'","data":{},"deciders":[,],"period":"2026",'
    b'"type":"opened","v":2,"visibility":"public"}',  # deciders that are not JSON
])
def test_an_entry_that_is_not_json_is_refused_as_the_parser_refuses_it(raw):
    with pytest.raises(ValueError) as parsed:
        json.loads(raw)
    with pytest.raises(LedgerFormatError, match=r"^log entry 7: not an entry openledger writes") as derived:
        derive([(7, raw)])
    assert type(parsed.value).__name__ in str(derived.value)


@pytest.mark.parametrize("kind, data", [
    ("opened", {"category": "billing", "audience": {"band": "1k-100k"}}),  # an audience band that is an object
    ("resolved", {"remedy": "refund", "amount_cents": 100, "after_h": 3}),  # a resolution without its outcome
    ("resolved", {"outcome": "upheld", "remedy": "refund", "amount_cents": "100", "after_h": 3}),  # cents as text
    ("classified", {"labels": ["spam"]}),  # labels that are a list
])
def test_an_entry_openledger_could_not_have_written_is_named(kind, data):
    """A signed log is still the company's word: what its entries say that no openledger writes is one line naming
    the entry (verify prints it and exits 1), never a crash."""
    good = build_entry(case="C-1", type="opened", channel="twitter", visibility="public", period="2026-03",
                       data={"category": "billing"}, deciders=[], commitment="0" * 64)
    bad = build_entry(case="C-1", type=kind, channel="twitter", visibility="public", period="2026-03", data=data,
                      deciders=[], commitment="1" * 64)
    with pytest.raises(LedgerFormatError, match=r"^log entry 41: not an entry openledger writes \("):
        derive([(40, good), (41, bad)])


@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12), st.integers(-10**20, 10**20),
                          st.integers(-10**6, 10**20) | st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=6))
def test_a_resolution_reads_the_same_without_the_parser(resolutions):
    """A ``resolved`` entry as the ledger writes it is read without the JSON parser: the same row as the parser
    gives, for any outcome and remedy text (quotes, escapes, other scripts) and any amount and hours."""
    canonical = [build_entry(case="C-1", type="opened", channel="email", visibility="private", period="2026-03",
                             data={"category": "billing", "severity": 2}, deciders=[], commitment="0" * 64)]
    for i, (outcome, remedy, cents, hours) in enumerate(resolutions):
        canonical.append(build_entry(case="C-1", type="resolved", channel="email", visibility="private",
                                     period="2026-Q2", data={"outcome": outcome, "remedy": remedy,
                                                             "amount_cents": cents, "after_h": hours},
                                     deciders=[], commitment=f"{i + 1:064x}"))
    respelled = [json.dumps(json.loads(raw), indent=1).encode() for raw in canonical]  # the parser's path
    plain = derive(enumerate(canonical))
    same(plain, derive(enumerate(respelled)))
    outcome, remedy, cents, hours = resolutions[-1]
    assert plain.table["outcome"].tolist() == [outcome] and plain.table["remedy"].tolist() == [remedy]
    assert plain.table["amount"].tolist() == [cents / 100.0]
    assert plain.table["resolution_days"].tolist() == [(hours + 0.5) / 24.0]


def test_entries_sharing_their_tail_each_keep_their_own_case_and_channel():
    """Entries whose data, deciders, period, type and visibility are the same bytes are read once and reused:
    the case and channel of each still come from its own bytes."""
    raw = [build_entry(case=f"C-{i}", type=kind, channel=channel, visibility="public", period="2026-04",
                       data=data, deciders=[], commitment=f"{i:064x}")
           for i, channel in enumerate(["twitter", "facebook", "review"])
           for kind, data in (("opened", {"category": "billing", "severity": 3}),
                              ("resolved", {"outcome": "upheld", "remedy": "refund", "amount_cents": 500,
                                            "after_h": 5}))]
    derived = derive(enumerate(raw))
    assert derived.table["case"].tolist() == ["C-0", "C-1", "C-2"]
    assert derived.table["channel"].tolist() == ["twitter", "facebook", "review"]
    assert derived.table["amount"].tolist() == [5.0, 5.0, 5.0]
    assert derived.case_entries == {"C-0": [0, 1], "C-1": [2, 3], "C-2": [4, 5]}


def test_the_reader_forgetting_its_tails_derives_the_same(monkeypatch):
    """The reader keeps a bounded number of distinct tails; forgetting them all after every two changes nothing."""
    canonical = entries()
    plain = derive(enumerate(canonical))
    monkeypatch.setattr("openledger.site.derive.TAILS_KEPT", 2)
    same(plain, derive(enumerate(canonical)))


def test_a_first_response_published_after_its_case_counts_as_the_time_between_the_periods():
    """A public case's first response that came after the case was published is released as ``late`` under
    the period of its own time. The table gives it the band of the time from the middle of the opening period
    to the middle of the response's (four weeks: ``>7d``), not an empty time: left empty it read as a time
    withheld, and the audit would have counted it through the faster answers published with the case."""
    out = []
    for case, after, period in (("C-LATE", "late", "2026-W14"), ("C-SOON", "<1h", "2026-W10"),
                                ("C-HID", "hidden", "2026-W10")):
        out.append(build_entry(case=case, type="opened", channel="twitter", visibility="public", period="2026-W10",
                               data={"category": "billing", "severity": 2}, deciders=[], commitment="0" * 64))
        out.append(build_entry(case=case, type="responded", channel="twitter", visibility="public", period=period,
                               data={"after": after}, deciders=[], commitment="0" * 64))
    table = derive(enumerate(out)).table
    hours = dict(zip(table["case"], table["first_response_hours"]))
    assert hours["C-SOON"] == periods.band_hours("<1h")
    assert hours["C-LATE"] == periods.band_hours(">7d") == periods.band_hours(periods.band(28 * 24, "bands"))
    assert np.isnan(hours["C-HID"])  # a hidden band stays withheld
    assert table["responded"].all()
    assert dict(zip(table["case"], table["response_late"])) == {"C-LATE": True, "C-SOON": False, "C-HID": False}
