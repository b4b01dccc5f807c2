"""Which public first responses a seal hides: in public-id order, and anyone can check it from the entries.

The log's entries are folded by the verifier's own derivation (``openledger.site.derive``) and checked by
``openledger.privacy.hiding.problems``, as ``openledger verify`` does; the release planner is run on simulated
histories and must always write a log that passes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openledger import periods
from openledger.ledger.entry import build_entry
from openledger.privacy import hiding
from openledger.privacy.release import CaseFacts, PendingEvent, Policy, plan, public_data
from openledger.site.derive import derive


class Log:
    """Entries of public twitter cases of one month, written as the ledger writes them."""

    def __init__(self) -> None:
        self.entries: list[bytes] = []

    def add(self, case: str, kind: str, data: dict, period: str = "2026-03", category: str = "billing") -> None:
        self.entries.append(build_entry(case=case, type=kind, channel="twitter", visibility="public",
                                        period=period, data=data, deciders=[],
                                        commitment=f"{len(self.entries):064x}"))

    def case(self, case: str, band: str | None, seal: object = None, *, category: str = "billing",
             period: str = "2026-03") -> None:
        """A case opened, then its first response (``band`` None: unanswered), marked with ``seal``."""
        self.add(case, "opened", {"category": category, "audience": "1k-100k"}, period)
        if band is not None:
            self.add(case, "responded", {"after": band, "reply": "draft"} | ({} if seal is None else {"seal": seal}),
                     period)

    def problems(self) -> tuple[list[str], int]:
        return hiding.problems(derive(enumerate(self.entries)).first_responses(), "site/ledger")


def ids(n: int, start: int = 0) -> list[str]:
    return [f"C-{i:04d}" for i in range(start, start + n)]


def test_bands_hidden_first_in_public_id_order_pass():
    log = Log()
    for i, case in enumerate(ids(12)):
        log.case(case, "hidden" if i < 3 else "1-4h" if i % 2 else None if i == 4 else "<1h", seal=0)
    assert log.problems() == ([], 0)


def test_a_shown_band_before_a_hidden_one_is_named():
    log = Log()
    for i, case in enumerate(ids(12)):
        log.case(case, "hidden" if i in (0, 1, 7) else "1-4h", seal=0)  # C-0007 hidden after shown C-0002
    found, unchecked = log.problems()
    assert unchecked == 0
    assert found == ["site/ledger: 2026-03, twitter, billing, audience 1k-100k, seal 0: case C-0007's first "
                     "response is published hidden while C-0002's, before it in public-id order, is shown: a "
                     "seal hides a class's bands in public-id order, never by how fast they were"]


def test_each_seal_and_each_class_hides_its_own_cases():
    log = Log()
    for i, case in enumerate(ids(10, 100)):  # a second class of the same seal: hides from its own start
        log.case(case, "hidden" if i < 2 else "4-24h", seal=0, category="outage")
    for i, case in enumerate(ids(10)):
        log.case(case, "hidden" if i < 4 else "4-24h", seal=0)
    start = len(log.entries)
    for i, case in enumerate(ids(10, 50)):  # the same period and class, released by a later seal
        log.case(case, "hidden" if i < 2 else "<1h", seal=start)
    assert log.problems() == ([], 0)


def test_seals_must_be_stretches_of_the_log():
    log = Log()
    log.case("C-0001", "1-4h", seal=5)  # its seal began after its case's first entry
    log.case("C-0002", "1-4h", seal="0")  # not a whole number
    log.case("C-0003", "1-4h", seal=True)
    found, _ = log.problems()
    assert len(found) == 3
    assert all("not the log's size before the case's first entry" in line for line in found)

    log = Log()
    log.case("C-0001", "1-4h", seal=0)
    log.case("C-0002", "1-4h", seal=2)
    log.case("C-0003", "1-4h", seal=0)  # back to seal 0 after seal 2's entries
    found, _ = log.problems()
    assert any("after an entry of seal 2: seals never go back" in line for line in found)
    assert any("case C-0003" in line and "but seal 2 began before it" in line for line in found)


def test_a_log_that_marks_seals_cannot_stop():
    log = Log()
    log.case("C-0001", "hidden")  # before the first mark: not checked
    log.case("C-0002", "1-4h", seal=2)
    log.case("C-0003", "hidden")  # after it: refused
    found, unchecked = log.problems()
    assert unchecked == 1
    assert found == ["site/ledger: case C-0003: its first response (entry 5) has no seal, though the log marks "
                     "seals from entry 3 on"]


def test_an_old_log_without_marks_has_its_hidden_bands_not_checked():
    log = Log()
    for i, case in enumerate(ids(12)):
        log.case(case, "hidden" if i in (3, 8) else "1-4h" if i != 5 else "late")
    assert log.problems() == ([], 2)


def test_hostile_values_in_the_entries_are_named_not_a_crash():
    """The log is the company's word: a category that is a list or a number, an audience that is a number."""
    log = Log()
    log.case("C-0001", "1-4h", seal=0)
    log.entries[-2] = build_entry(case="C-0001", type="opened", channel="twitter", visibility="public",
                                  period="2026-03", data={"category": ["billing"], "audience": 5},
                                  deciders=[], commitment=f"{0:064x}")
    log.case("C-0002", "1-4h", seal=0, category="7")
    log.case("C-0003", "hidden", seal=0)
    log.entries[-2] = build_entry(case="C-0003", type="opened", channel="twitter", visibility="public",
                                  period="2026-03", data={"category": 7}, deciders=[], commitment=f"{4:064x}")
    found, _ = log.problems()
    assert found == []  # three classes of one case each: nothing out of order


def test_many_problems_are_cut_to_a_count():
    log = Log()
    for i, case in enumerate(ids(30)):
        log.case(case, "1-4h", seal=-1 - i)
    found, _ = log.problems()
    assert len(found) == hiding.MOST + 1
    assert found[-1] == f"site/ledger: ... and {30 - hiding.MOST:,} more of these"


# --- the planner writes logs that pass -----------------------------------------------------------------

NOW = datetime(2026, 9, 1, tzinfo=UTC)
CATEGORIES = ("billing", "outage", "delivery")
AUDIENCES = ("<1k", "1k-100k", "unknown")


def history(seed: int, n: int) -> tuple[dict[int, CaseFacts], list[PendingEvent]]:
    """``n`` cases over six months (public mostly), answered after anything from minutes to weeks."""
    rng = random.Random(seed)
    facts, events = {}, []
    start = NOW - timedelta(days=200)
    for case in range(1, n + 1):
        opened = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 170))
        answered = opened + timedelta(hours=rng.lognormvariate(1.5, 1.6)) if rng.random() < 0.9 else None
        channel, visibility = rng.choice((("twitter", "public"), ("twitter", "public"), ("facebook", "public"),
                                          ("review", "public"), ("email", "private")))
        facts[case] = CaseFacts(case, f"C-{rng.getrandbits(40):010x}", channel, visibility, opened,
                                rng.choice(CATEGORIES), rng.choice(AUDIENCES) if visibility == "public" else "unknown",
                                answered)
        events.append(PendingEvent(case * 10, case, "opened", opened, {"category": facts[case].category}))
        if answered is not None:
            events.append(PendingEvent(case * 10 + 1, case, "responded", answered, {"reply": "draft"}))
    return facts, events


def sealed_log(facts: dict[int, CaseFacts], events: list[PendingEvent], seals: list[datetime], k: int) -> list[bytes]:
    """The entries that seals at ``seals`` write, each a plan of what is due then."""
    entries: list[bytes] = []
    published: dict = {}
    done: set[int] = set()
    for now in seals:
        decided = plan([e for e in events if e.event_id not in done], facts, published, Policy(k=k), now,
                       lambda pid: pid[::-1], seal=len(entries))
        for r in decided.released:
            done.add(r.event_id)
            data = public_data(r, {}, facts[r.case_id], now) if r.data is None else r.data
            entries.append(build_entry(case=facts[r.case_id].public_id, type=r.type, channel=r.channel,
                                       visibility=r.visibility, period=r.period, data=data, deciders=[],
                                       commitment=f"{len(entries):064x}"))
        published.update(decided.signatures)
    return entries


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.sampled_from((3, 5, 10)), seals=st.integers(1, 4))
def test_the_planner_hides_in_public_id_order_seal_after_seal(seed, k, seals):
    facts, events = history(seed, 600)
    times = [NOW - timedelta(days=30 * (seals - 1 - i)) for i in range(seals)]
    entries = sealed_log(facts, events, times, k)
    derived = derive(enumerate(entries))
    responses = list(derived.first_responses())
    found, unchecked = hiding.problems(responses, "log")
    assert (found, unchecked) == ([], 0)
    assert all(isinstance(r.seal, int) for r in responses)


def test_the_planner_hid_some_bands_in_a_real_sized_history():
    """The property above is not empty: classes of a seal do hide bands, and more than one seal marks them."""
    facts, events = history(7, 1500)
    entries = sealed_log(facts, events, [NOW - timedelta(days=60), NOW], 10)
    responses = list(derive(enumerate(entries)).first_responses())
    assert sum(r.band == periods.HIDDEN for r in responses) >= 20
    assert len({r.seal for r in responses}) == 2
    assert hiding.problems(responses, "log") == ([], 0)


@pytest.mark.parametrize("order", ["internal id", "fastest first"])
def test_hiding_by_another_order_is_caught(order):
    """A planner that hid by the cases' internal ids (openledger before this rule) or by speed is caught."""
    facts, events = history(11, 1500)
    entries = sealed_log(facts, events, [NOW], 10)
    derived = derive(enumerate(entries))
    responses = list(derived.first_responses())
    by_pid = {f.public_id: f for f in facts.values()}
    rekeyed = []
    groups: dict = {}
    for r in responses:
        groups.setdefault(r.group, []).append(r)
    for members in groups.values():
        hidden = sum(r.band == periods.HIDDEN for r in members)
        if order == "internal id":
            ranked = sorted(members, key=lambda r: by_pid[r.case].case_id)
        else:
            ranked = sorted(members, key=lambda r: by_pid[r.case].first_response_at - by_pid[r.case].opened_at)
        chosen = {r.case for r in ranked[:hidden]}
        rekeyed += [hiding.FirstResponse(r.case, r.channel, r.period, r.category, r.audience,
                                         periods.HIDDEN if r.case in chosen else "1-4h", r.seal, r.index,
                                         r.first_index) for r in members]
    found, _ = hiding.problems(rekeyed, "log")
    assert found, "hiding by another order went unnoticed"
