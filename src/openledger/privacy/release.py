"""When an event may enter the public log, and how coarsely: the release planner.

Events are recorded as they happen, but a case enters the log only when it can
be published among at least k others (:mod:`openledger.privacy.linkage`
states the attacker and the guarantee). At each seal, :func:`plan` decides:

1. **Which new cases are released, under which period, how precisely.**
   Only periods that ended before the *cutoff* (the seal's time minus a
   settling delay, so that most first responses are already known) are
   considered. For each visibility, a channel's cases are released by ISO
   week when the week holds at least k of them, else by month; what is left
   of a month is pooled over the small channels as channel ``other``; then
   the same by quarter and by year. Cases that cannot reach k yet wait for a
   later seal.
2. **How precisely a released public group is described.** Within a group,
   public cases are classed by (category, audience band, first response
   band). Whether a case waits depends on its (category, audience) class
   alone; within a class of k or more, rare response bands are protected by
   hiding the bands of answered cases chosen in the order of their public ids
   (:func:`_generalise`), an order blind to their responses that anyone can
   check (:mod:`openledger.privacy.hiding`).
   The group takes the first of these descriptions under which at most 5 % of
   its cases wait or have their band hidden, or
   else the one that leaves the fewest: response in whole hours or in bands
   with the audience band, then the same without it, then (from a quarter on)
   coarse bands and no response time. Until the pooled quarter, the cases of
   small classes are left for the next step of the ladder, where their class is
   larger: a rare category is published by month or quarter, or under the
   pooled channel ``other``, rather than hidden, because the category is what
   the audit compares like with like by. From the pooled quarter on, they are
   *suppressed*: category, audience and band ``hidden``, and never fewer than
   k of them. A hidden category shares no stratum with any private case, so
   the audit leaves suppressed cases out of its comparisons instead of mixing
   them in.
3. **Late events** (those of a case published earlier) are released with the
   period of their own time. A public case's first response that comes after
   its case was published is released as ``late``, unless that would leave
   someone among fewer than k: then it waits.
4. **The order of the log.** Released entries are ordered by period, then by
   a keyed hash of the case, then by event: nothing in their order says more
   about time than their periods do.

Then the whole published state is checked against the attacker; a new case
still singled out is suppressed, a late response still singling someone out
waits. A public case's first response released with its case carries the
seal's start (the log's size before it, ``seal``), so that a verifier knows
which cases were described together. The result (:class:`Plan`) lists the released events with their
public data (built by :func:`openledger.privacy.projection.project`) and the
cases' new signatures.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

import numpy as np

from openledger import periods
from openledger.errors import ConfigError
from openledger.privacy.linkage import LATE, OTHER, Knowledge, Signature, violations
from openledger.privacy.projection import project

_SETTLE = re.compile(r"([0-9]{1,4})\s*([dh])")
PUBLIC_PRECISIONS = ("hours", "bands", "coarse", periods.HIDDEN)
#: the descriptions of a public group, most precise first: (response precision, audience band shown)
DESCRIPTIONS = (("hours", True), ("bands", True), ("hours", False), ("bands", False), ("coarse", True),
                ("coarse", False), (periods.HIDDEN, True), (periods.HIDDEN, False))
#: the coarsest response precision a group may take at each period level
COARSEST = {"week": "bands", "month": "bands", "quarter": periods.HIDDEN, "year": periods.HIDDEN}
#: (level, pooled): own channels by week and month, then pooled small channels, then coarser
LADDER = (("week", False), ("month", False), ("month", True), ("quarter", False), ("quarter", True),
          ("year", False), ("year", True))


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """The exact facts of a case that its publication depends on (never published as such)."""

    case_id: int
    public_id: str
    channel: str
    visibility: str
    opened_at: datetime
    category: str
    audience: str  # audience band of a public author, or UNKNOWN
    first_response_at: datetime | None

    def knowledge(self) -> Knowledge:
        return Knowledge(self.channel, self.visibility, self.opened_at, self.first_response_at, self.category,
                         self.audience)


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event recorded but not yet in the log."""

    event_id: int
    case_id: int
    type: str
    at: datetime
    data: Mapping[str, Any] | None
    """the event's data; None when the caller projects the released events itself (:func:`public_data`),
    so that a seal of millions of events does not hold every event's data at once"""


@dataclass(frozen=True, slots=True)
class Policy:
    """The publication settings: ``[site] k`` and ``[site] settle``."""

    k: int = 10
    settle: timedelta = timedelta(days=14)
    max_suppressed: float = 0.05

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        """``[site] k`` (whole number >= 1, default 10) and ``[site] settle`` (``"14d"``, ``"36h"``, ``"0d"``)."""
        site = config.get("site") or {}
        k = site.get("k", 10)
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise ConfigError("[site] k must be a whole number of at least 1")
        text = site.get("settle", "14d")
        match = _SETTLE.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ConfigError(f"[site] settle must be a number of days or hours such as \"14d\" or \"36h\", "
                              f"not {text!r}")
        amount = int(match.group(1))
        return cls(k=k, settle=timedelta(days=amount) if match.group(2) == "d" else timedelta(hours=amount))


@dataclass(frozen=True, slots=True)
class Released:
    """An event to append: its period and public data."""

    event_id: int
    case_id: int
    type: str
    channel: str  # as published (``other`` for a pooled small channel)
    visibility: str
    period: str
    data: dict[str, Any] | None  # the public data; None when the pending event came without its data
    signature: Signature | None = None  # what :func:`public_data` projects with
    band: str | None = None  # the first response's band, when this event is that response
    seal: int | None = None  # the seal's start, when this is a public case's first response released with it


def public_data(released: Released, data: Mapping[str, Any], facts: CaseFacts, at: datetime) -> dict[str, Any]:
    """The public data of a released event whose pending event came without its data (:class:`PendingEvent`):
    ``data`` is the event's, ``at`` its time, projected as :func:`plan` would have."""
    if released.data is not None:
        return released.data
    assert released.signature is not None
    return project(released.type, data, released.signature, released.band, facts.opened_at, at, facts.channel,
                   released.seal)


@dataclass
class Plan:
    """What one seal appends."""

    cutoff: datetime
    released: list[Released] = field(default_factory=list)
    signatures: dict[int, Signature] = field(default_factory=dict)  # new or changed
    held: int = 0  # pending events before the cutoff that must wait
    unresolved: dict[int, int] = field(default_factory=dict)  # published cases below k (should be empty)


_Key = tuple[str, str, str | None]  # (category, audience band, first response band)


@dataclass
class _Batch:
    channel: str
    visibility: str
    period: str
    cases: list[CaseFacts]
    precision: str = "hours"
    audience: bool = True  # whether the audience band is published
    suppressed: set[int] = field(default_factory=set)
    hidden: set[int] = field(default_factory=set)  # published with the response band ``hidden``


def _batches(new: list[CaseFacts], k: int, cutoff: datetime, limit: float) -> list[_Batch]:
    """Group settled new cases into releasable (channel, visibility, period) groups of at least k, described."""
    out: list[_Batch] = []
    left = {c.case_id: c for c in new if c.opened_at < cutoff}
    for level, pooled in LADDER:
        # a pooled quarter and a year release a group however it is described; before, small classes wait
        last = level == "year" or (level == "quarter" and pooled)
        by_period: dict[tuple[str, str], list[CaseFacts]] = defaultdict(list)
        for case in left.values():
            by_period[(case.visibility, periods.label(case.opened_at, level))].append(case)
        for (visibility, period), cases in sorted(by_period.items(), key=lambda kv: (periods.span(kv[0][1]), kv[0])):
            if periods.end_of(period) > cutoff:
                continue  # not over yet: decided at a later seal
            groups = {OTHER: cases} if pooled else _by_channel(cases)
            for channel, members in sorted(groups.items()):
                if len(members) < k:
                    continue
                batch = _Batch(channel, visibility, period, sorted(members, key=attrgetter("public_id")))
                if visibility == "public":
                    _describe(batch, k, limit, cutoff, level, last)
                if not batch.cases:
                    continue
                out.append(batch)
                for case in batch.cases:
                    del left[case.case_id]
    return out


def _by_channel(cases: list[CaseFacts]) -> dict[str, list[CaseFacts]]:
    groups: dict[str, list[CaseFacts]] = defaultdict(list)
    for case in cases:
        groups[case.channel].append(case)
    return groups


def _hours(case: CaseFacts, cutoff: datetime) -> float | None:
    if case.first_response_at is None or case.first_response_at >= cutoff:
        return None
    return max(0.0, (case.first_response_at - case.opened_at).total_seconds() / 3600.0)


def _classes(batch: _Batch, precision: str, audience: bool, cutoff: datetime) -> dict[int, _Key]:
    out = {}
    for case in batch.cases:
        hours = _hours(case, cutoff)
        out[case.case_id] = (case.category, case.audience if audience else periods.HIDDEN,
                             None if hours is None else periods.band(hours, precision))
    return out


def _covered(unanswered: int, hidden: int, shown: Counter[str], k: int) -> bool:
    """Nobody of a class is among fewer than k, now or when its unanswered cases are answered late (see
    :func:`_generalise`); ``shown`` counts the answered cases of each true band whose band is shown."""
    return (not unanswered or unanswered + hidden >= k) and all(hidden + n >= k for n in shown.values())


def _generalise(keys: Mapping[int, _Key], k: int) -> tuple[set[int], set[int]]:
    """The cases of a public group that must wait (or be suppressed), and those whose response band is
    published ``hidden`` instead, under the description that gave ``keys``.

    Whether a case waits depends on its (category, audience) class alone, never on its response: a class
    of fewer than k cases waits. Within a class of k or more, a case answered by its publication is
    consistent with the cases published with a hidden band, with those of its own band and with those
    published unanswered; a case answered after its publication also with those answered ``late``; an
    unanswered one with all (:func:`openledger.privacy.linkage.candidates`). The unanswered ones cover an
    answered case only until their own answers are published ``late``, so they are not counted on: the
    bands of answered cases of the class, taken in the order of ``keys`` (the batch's: by public id) and
    not by their response, are published
    ``hidden`` until the band of every answered case (shown or hidden) has, with the hidden ones, k cases
    (so at least k are hidden once a band is hidden whole), and (when some are unanswered) the unanswered
    and hidden ones are k. Then nobody of the class is among fewer than k, and stays so when the
    unanswered are answered and their answers published ``late``; which responses are hidden says nothing
    about how fast they were, so the times that stay published are a fair sample of their class. (When
    the unanswered ones counted as cover, publishing their late answers took it away: in a fair world
    with monthly seals where one answer in ten came after 20 to 60 days, about 700 of the public cases'
    late answers were held back for good, and the audit saw the public channels answer 6 to 7 points less
    often than the private ones.) An unanswered case is published with its channel and
    period like any other (it used to wait, and the pool ``other`` then held mostly unanswered cases:
    the channels they left looked answered more often than they were).
    """
    classes: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case_id, (category, audience, _) in keys.items():  # in the batch's order
        classes[(category, audience)].append(case_id)
    small: set[int] = set()
    hidden: set[int] = set()
    for members in classes.values():
        if len(members) < k:
            small.update(members)
            continue
        bands = [keys[c][2] for c in members]
        unanswered, hidden_n = bands.count(None), bands.count(periods.HIDDEN)
        shown = Counter(b for b in bands if b is not None and b != periods.HIDDEN)
        for case_id in members:
            if _covered(unanswered, hidden_n, shown, k):
                break
            band = keys[case_id][2]
            if band is not None and band != periods.HIDDEN:
                hidden.add(case_id)
                hidden_n += 1
                shown[band] -= 1
    return small, hidden


def _describe(batch: _Batch, k: int, limit: float, cutoff: datetime, level: str, last: bool) -> None:
    """Choose a public group's description; leave out (for a coarser period) or suppress the cases in
    classes smaller than k, and hide the response bands that would single someone out (see the module
    docstring and :func:`_generalise`)."""
    best: tuple[int, str, bool, dict[int, _Key], set[int], set[int]] | None = None
    allowed = PUBLIC_PRECISIONS[: PUBLIC_PRECISIONS.index(COARSEST[level]) + 1]
    for precision, audience in DESCRIPTIONS:
        if precision not in allowed:
            continue
        keys = _classes(batch, precision, audience, cutoff)
        small, hidden = _generalise(keys, k)
        cost = len(small) + len(hidden)
        if best is None or cost < best[0]:
            best = (cost, precision, audience, keys, small, hidden)
        if cost <= limit * len(batch.cases):
            break
    assert best is not None
    _, batch.precision, batch.audience, keys, small, hidden = best
    if last:
        batch.hidden = hidden - small
        _suppress(batch, small, k, keys, Counter(keys.values()))
        batch.hidden -= batch.suppressed
    else:  # they wait for a coarser period, where their classes are larger
        batch.cases = [case for case in batch.cases if case.case_id not in small]
        batch.hidden = hidden


def _suppress(batch: _Batch, more: Iterable[int], k: int, keys: Mapping[int, _Key],
              sizes: Counter[_Key]) -> None:
    """Suppress ``more`` cases, and others from the smallest classes (in the batch's order within a size: by public
    id) until at least k are suppressed."""
    batch.suppressed |= set(more)
    if 0 < len(batch.suppressed) < k:
        rest = sorted((c for c in keys if c not in batch.suppressed), key=lambda c: sizes[keys[c]])
        batch.suppressed |= set(rest[: k - len(batch.suppressed)])


def _signature(batch: _Batch, case: CaseFacts, cutoff: datetime) -> Signature:
    hours = _hours(case, cutoff)
    if batch.visibility != "public":
        first = None if hours is None else periods.band(hours, "hours")
        return Signature(batch.channel, batch.visibility, batch.period, case.category, case.audience, first)
    if case.case_id in batch.suppressed:
        return Signature(batch.channel, "public", batch.period, periods.HIDDEN, periods.HIDDEN,
                         None if hours is None else periods.HIDDEN)
    first = None if hours is None else periods.HIDDEN if case.case_id in batch.hidden else periods.band(
        hours, batch.precision)
    audience = case.audience if batch.audience else periods.HIDDEN
    return Signature(batch.channel, "public", batch.period, case.category, audience, first)


def plan(pending: Iterable[PendingEvent], facts: Mapping[int, CaseFacts], published: Mapping[int, Signature],
         policy: Policy, now: datetime, order_key: Callable[[str], str], seal: int | None = None) -> Plan:
    """Decide what a seal at ``now`` appends; see the module docstring.

    ``facts`` holds every case that has been or may be published (published
    cases are needed for the check), ``published`` the signatures of those
    already in the log, ``order_key(public_id)`` a keyed hash that orders
    cases without revealing anything, ``seal`` the log's size before this
    seal (written into the first responses of the public cases it releases;
    None writes nothing).
    """
    cutoff = now - policy.settle
    result = Plan(cutoff=cutoff)
    due = sorted((e for e in pending if e.at < cutoff), key=lambda e: (e.at, e.event_id))
    del pending  # a caller that hands over its only reference (as the seal does) lets go of the events not due
    new_ids = sorted({e.case_id for e in due if e.case_id not in published and e.case_id in facts})
    batches = _batches([facts[c] for c in new_ids], policy.k, cutoff, policy.max_suppressed)
    batch_of = {case.case_id: batch for batch in batches for case in batch.cases}
    first_of: dict[int, int] = {}  # case -> event id of its first response, among the due events
    for e in due:
        if e.type == "responded" and e.case_id not in first_of:
            first_of[e.case_id] = e.event_id
    late = {c for c in first_of if c in published and published[c].first is None}
    signatures = dict(published)
    held_late: set[int] = set()
    while True:
        for batch in batches:
            for case in batch.cases:
                signatures[case.case_id] = _signature(batch, case, cutoff)
        for case_id in late:
            old = published[case_id]
            if case_id in held_late:
                signatures[case_id] = old
            elif old.visibility == "public":
                signatures[case_id] = replace(old, first=LATE)
            else:
                hours = _hours(facts[case_id], cutoff)
                signatures[case_id] = replace(old, first=None if hours is None else periods.band(hours, "hours"))
        targets = {c: facts[c].knowledge() for c in signatures if c in facts}
        found = violations(targets, signatures, policy.k)
        if not found:
            break
        changed = False
        for case_id in sorted(found):
            home = batch_of.get(case_id)
            if home is not None and case_id not in home.suppressed:
                keys = _classes(home, home.precision, home.audience, cutoff)
                _suppress(home, [case_id], policy.k, keys, Counter(keys.values()))
                changed = True
        if not changed:  # published cases singled out: hold the late responses that could have done it
            touched = {(signatures[c].channel, signatures[c].period) for c in found}
            for case_id in sorted(late - held_late):
                if (signatures[case_id].channel, signatures[case_id].period) in touched:
                    held_late.add(case_id)
                    changed = True
        if not changed:
            result.unresolved = found
            break
    del targets  # what the attacker knows of every case: a million cases' worth, not needed from here
    out: list[Released] = []
    for e in due:
        if e.case_id not in batch_of and e.case_id not in published:
            result.held += 1  # its case is not published yet
        elif e.case_id in held_late and e.type == "responded":
            result.held += 1  # all its responses wait, so that the first stays first
        else:
            out.append(_release(e, e.event_id == first_of.get(e.case_id), batch_of, signatures, facts, published,
                                seal))
    del due  # released: the pending events themselves are let go of before the log's order is worked out
    result.released = _log_order(out, facts, order_key)
    result.signatures = {c: s for c, s in signatures.items() if published.get(c) != s}
    return result


def _log_order(released: list[Released], facts: Mapping[int, CaseFacts],
               order_key: Callable[[str], str]) -> list[Released]:
    """``released`` in the log's order: by period (its start, then its label), then by the keyed hash of the
    case (``order_key`` of its public id), then by event.

    Sorted as three columns of whole numbers (numpy's ``lexsort``), not as a key tuple per event: a first
    seal of millions of events would hold the tuples (and a hash text per case) all at once. Each column
    ranks what the key compares (equal periods or equal hashes the same rank), so the order is the key's.
    """
    if not released:
        return released
    n = len(released)
    labels = sorted({r.period for r in released}, key=lambda p: (periods.span(p)[0], p))
    period_rank = {p: i for i, p in enumerate(labels)}
    by_period = np.fromiter((period_rank[r.period] for r in released), dtype=np.int64, count=n)
    case_of = np.fromiter((r.case_id for r in released), dtype=np.int64, count=n)
    events = np.fromiter((r.event_id for r in released), dtype=np.int64, count=n)
    cases = np.unique(case_of)
    rank = _ranks((order_key(facts[case].public_id) for case in cases.tolist()), len(cases))
    by_case = rank[np.searchsorted(cases, case_of)]
    del case_of, cases, rank
    return [released[i] for i in np.lexsort((events, by_case, by_period))]


def _ranks(keys: Iterable[str], n: int) -> np.ndarray:
    """The rank of each of ``n`` texts in text order (equal texts the same rank).

    A SHA-256 in lowercase hex (:func:`openledger.store.ledger.order_key`'s) is kept as its 32 bytes, whose
    order is the text's, and ranked as four big-endian words; any other text as itself.
    """
    digests = bytearray()
    texts: list[str] = []
    for key in keys:
        if not texts and len(key) == 64 and key == key.lower():
            try:
                raw = bytes.fromhex(key)
            except ValueError:
                raw = b""
            if len(raw) == 32:
                digests += raw
                continue
        if not texts:  # not a hash: every key as text from here on, the hashes so far again
            texts = [bytes(digests[i:i + 32]).hex() for i in range(0, len(digests), 32)]
        texts.append(key)
    if texts:
        position = {text: i for i, text in enumerate(sorted(set(texts)))}
        return np.fromiter((position[text] for text in texts), dtype=np.int64, count=n)
    words = np.frombuffer(bytes(digests), dtype=">u8").reshape(n, 4)
    del digests
    order = np.lexsort(words.T[::-1])
    same = np.all(words[order[1:]] == words[order[:-1]], axis=1)  # equal hashes (however unlikely) rank together
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.concatenate(([0], np.cumsum(~same)))
    return rank


def _release(e: PendingEvent, first: bool, batch_of: Mapping[int, _Batch], signatures: Mapping[int, Signature],
             facts: Mapping[int, CaseFacts], published: Mapping[int, Signature], seal: int | None) -> Released:
    sig = signatures[e.case_id]
    case = facts[e.case_id]
    with_case = e.case_id in batch_of
    if with_case:  # released with its case: under the case's period
        period = sig.period
    else:  # late: under the period of its own time, at the level of the case's period
        period = periods.label(e.at, periods.level_of(published[e.case_id].period))
    band = sig.first if first and e.type == "responded" else None
    # which seal described it: what a verifier needs to check the hidden bands (openledger.privacy.hiding)
    marked = seal if with_case and band is not None and sig.visibility == "public" else None
    data = None if e.data is None else project(e.type, e.data, sig, band, case.opened_at, e.at, case.channel,
                                               marked)
    return Released(e.event_id, e.case_id, e.type, sig.channel, sig.visibility, period, data, sig, band, marked)
