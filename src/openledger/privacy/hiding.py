"""Which public first responses a seal published ``hidden``, checked from the log alone.

The release planner (:mod:`openledger.privacy.release`) publishes the
first-response band of some public cases as ``hidden`` so that no band
singles anyone out. How many it hides in a class follows from the class's
counts; *which* ones must not follow from how fast they were answered, or a
company could hide its fastest public answers (or its slowest) and bend the
times the audit compares. So the planner takes them in an order anyone can
compute and that says nothing of speed: within each class (the cases of one
seal, period and channel with the same category and audience band), the
answered cases in the order of their public ids, the first ones hidden.

From the entries alone a verifier checks (:func:`problems`):

1. **seals**: each public case's first response released with its case
   (``after`` a band or ``hidden``) carries ``seal``, the log's size before
   the seal that released it: a whole number at most the index of the case's
   first entry; along the log the seals never go back, and every entry of a
   seal comes before the next seal's start. So a seal is one stretch of the
   log, as appending makes it;
2. once the log marks seals, every later such first response is marked;
3. within each class, no case whose band is shown comes before, in public-id
   order, one whose band is hidden.

A log written before seals were marked (openledger before December 2026)
cannot be checked: its hidden bands are counted as not checked, never passed.

What this cannot rule out: a company that runs other software can seal as
often as it likes, and so choose where seals begin; each class still holds
at least k cases, and a seal's cases are hidden in public-id order within it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openledger import periods

#: the most lines :func:`problems` gives (then how many more it found)
MOST = 20


@dataclass(frozen=True, slots=True)
class FirstResponse:
    """A public case's first response as its entries publish it, released with its case."""

    case: str  # public id
    channel: str  # as published (``other`` for a pooled channel)
    period: str  # the case's period (of its ``opened`` entry)
    category: str
    audience: str  # the audience band as published (``unknown`` when the entry has none)
    band: str  # ``hidden`` or the band shown
    seal: Any  # the entry's ``seal`` (None when it has none; anything else is checked)
    index: int  # the log index of the first response's entry
    first_index: int  # the log index of the case's first entry

    @property
    def group(self) -> tuple[Any, str, str, str, str]:
        """The class a seal hides bands within: (seal, period, channel, category, audience), as text."""
        return self.seal, _text(self.period), _text(self.channel), _text(self.category), _text(self.audience)


def _whole(value: Any) -> bool:
    return type(value) is int and value >= 0


def _text(value: Any) -> str:
    """A value of an entry as text: the log is the company's word, and a category may be a list in a hostile one."""
    return value if isinstance(value, str) else repr(value)


def problems(responses: Iterable[FirstResponse], where: str) -> tuple[list[str], int]:
    """What the log says that the planner's rule does not allow (one line each, at most :data:`MOST` and a count
    of the rest), and how many hidden bands could not be checked (released before the log marked seals)."""
    found: list[str] = []
    marked: list[FirstResponse] = []
    unmarked: list[FirstResponse] = []
    for r in responses:
        (unmarked if r.seal is None else marked).append(r)
    for r in marked:
        if not _whole(r.seal) or r.seal > r.first_index:
            found.append(f"{where}: case {r.case}: its first response (entry {r.index:,}) says seal {r.seal!r}, "
                         f"not the log's size before the case's first entry ({r.first_index:,}) or less")
    marked = [r for r in marked if _whole(r.seal) and r.seal <= r.first_index]
    marked.sort(key=lambda r: r.index)
    starts = sorted({r.seal for r in marked})
    following = {s: starts[i + 1] if i + 1 < len(starts) else None for i, s in enumerate(starts)}
    latest = -1
    for r in marked:
        if r.seal < latest:
            found.append(f"{where}: case {r.case}: its first response (entry {r.index:,}) says seal {r.seal:,}, "
                         f"after an entry of seal {latest:,}: seals never go back")
        latest = max(latest, r.seal)
        after = following[r.seal]
        if after is not None and r.index >= after:
            found.append(f"{where}: case {r.case}: its first response (entry {r.index:,}) says seal {r.seal:,}, "
                         f"but seal {after:,} began before it: a seal is one stretch of the log")
    unchecked = 0
    since = marked[0].index if marked else None
    for r in unmarked:
        if since is not None and r.index > since:
            found.append(f"{where}: case {r.case}: its first response (entry {r.index:,}) has no seal, though "
                         f"the log marks seals from entry {since:,} on")
        elif r.band == periods.HIDDEN:
            unchecked += 1
    classes: dict[tuple[int, str, str, str, str], list[FirstResponse]] = defaultdict(list)
    for r in marked:
        classes[r.group].append(r)
    for (seal, period, channel, category, audience), members in sorted(classes.items()):
        members.sort(key=lambda r: _text(r.case))
        shown = None
        for r in members:
            if r.band != periods.HIDDEN:
                shown = shown or r
            elif shown is not None:
                found.append(f"{where}: {period}, {channel}, {category}, audience {audience}, seal {seal:,}: "
                             f"case {r.case}'s first response is published hidden while {shown.case}'s, before "
                             "it in public-id order, is shown: a seal hides a class's bands in public-id order, "
                             "never by how fast they were")
                break
    if len(found) > MOST:
        found = found[:MOST] + [f"{where}: ... and {len(found) - MOST:,} more of these"]
    return found, unchecked
