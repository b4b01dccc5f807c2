"""The record contract: what a source may yield, checked in one place.

A source yields records it read correctly and :class:`~openledger.records.Rejected`
for input it cannot read. So a yielded record that breaks the contract is a
bug of the source, not bad input: the ingest engine stops the file with one
line naming the plugin, the file and the record (nothing of the file is
imported, and ``--skip-bad`` does not skip it, because good data would be
quarantined for a plugin's bug). A source that takes fields from the data as
they are (CSV, JSON Lines, history) turns a bad record into a ``Rejected``
with :func:`checked` before yielding it.

A source plugin's own tests call :func:`run`, which reads a file with the
source and fails on every problem of every record, with the same rules and
the same declared channel and visibility as the engine, so a source whose
tests pass is accepted at ingest, and the other way round::

    from openledger.intake import contract

    records = contract.run(my_source, Path("tests/data/export.json"))

A channel is compared without regard to case or surrounding blanks, as the
engine stores it (``" Twitter"`` is ``twitter``). Identities must have one of
the forms of :func:`openledger.privacy.identity.form_of` (an e-mail address,
a phone number, ``@handle``, ``NETWORK:VALUE``).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from openledger.privacy.identity import form_of
from openledger.records import (
    DIRECTIONS,
    OUTCOMES,
    REMEDIES,
    VISIBILITIES,
    CaseRecord,
    MessageRecord,
    Rejected,
)

R = TypeVar("R", MessageRecord, CaseRecord)
V = TypeVar("V", bound=MessageRecord | CaseRecord)

MAX_ID = 500
MAX_CHANNEL = 50
MAX_TEXT = 1_000_000
"""The longest string a record may hold (characters): a longer text, author or meta value is a bad
record, not a reason to refuse the file (the CSV reader's own limit is lifted, see sourcekit)."""
MAX_DEPTH = 20
"""How deeply a record's ``meta`` may nest."""
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")


def _string_problem(value: Any, where: str, depth: int = 0) -> str | None:
    """A NUL character (PostgreSQL stores none, not even in JSON), an over-long string or too deep
    nesting anywhere in ``value``."""
    if isinstance(value, str):
        if "\x00" in value:
            return f"'{where}' contains a NUL character (\\x00), which the database cannot store"
        if len(value) > MAX_TEXT:
            return f"'{where}' is {len(value):,} characters long, more than the {MAX_TEXT:,} a record may hold"
        return None
    if depth > MAX_DEPTH:
        return f"'{where}' is nested more than {MAX_DEPTH} levels deep"
    if isinstance(value, Mapping):
        for key, item in value.items():
            found = _string_problem(key, where, depth + 1) or _string_problem(item, f"{where}.{key}", depth + 1)
            if found:
                return found
    elif isinstance(value, (list, tuple)):
        for item in value:
            found = _string_problem(item, where, depth + 1)
            if found:
                return found
    return None


_CHECKED_FIELDS: dict[type, tuple[str, ...]] = {}  # a record class -> its fields but location


_STRINGLESS = frozenset({datetime, int, float, bool})  # types that hold no string (exactly these, not subclasses)
_CONTAINERS = frozenset({tuple, dict, MappingProxyType})


def _plain(value: Any) -> bool:
    """True when ``value``, not None and not a plain string (:func:`_strings` tells those itself), certainly has
    none of :func:`_string_problem`'s problems, told quickly for the usual values: a number, a datetime, an
    empty container, a tuple of strings (False: ask it)."""
    kind = type(value)
    if kind in _STRINGLESS:
        return True
    if kind in _CONTAINERS and not value:
        return True
    return kind is tuple and all(type(item) is str and "\x00" not in item and len(item) <= MAX_TEXT
                                 for item in value)


def _strings(record: MessageRecord | CaseRecord) -> list[str]:
    names = _CHECKED_FIELDS.get(type(record))
    if names is None:
        names = _CHECKED_FIELDS[type(record)] = tuple(f.name for f in fields(record) if f.name != "location")
    for name in names:
        value = getattr(record, name)
        if value is None or (type(value) is str and "\x00" not in value and len(value) <= MAX_TEXT) \
                or _plain(value):
            continue  # the common cases, the first ones without a call
        found = _string_problem(value, name)
        if found:
            return [found]
    return []


def _aware(value: Any) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def channel_of(record: MessageRecord | CaseRecord) -> str:
    """The channel as the engine stores it: stripped and lower case."""
    return record.channel.strip().lower()


def _common(record: MessageRecord | CaseRecord, source: Any) -> list[str]:
    found: list[str] = []
    if not isinstance(record.id, str) or not record.id.strip():
        found.append("missing id")
    elif len(record.id) > MAX_ID:
        found.append(f"id longer than {MAX_ID} characters")
    if not isinstance(record.channel, str) or not record.channel.strip():
        found.append("missing channel")
    elif len(record.channel) > MAX_CHANNEL:
        found.append(f"channel longer than {MAX_CHANNEL} characters")
    elif not set(channel_of(record)) <= _TOKEN_CHARS:
        found.append(f"channel {record.channel!r} is not a token (letters a-z, digits, '_', '.', '-'): "
                     "map it to one, e.g. with the source's channel option")
    elif source is not None and (problem := _other_channel(record, source)):
        found.append(problem)
    if record.visibility not in VISIBILITIES:
        found.append(f"visibility must be public or private, not {record.visibility!r}")
    elif source is not None and (problem := _other_visibility(record, source)):
        found.append(problem)
    if type(record.meta) is not MappingProxyType and not isinstance(record.meta, Mapping):
        found.append("meta must be a mapping")
    return found


def _other_channel(record: MessageRecord | CaseRecord, source: Any) -> str | None:
    declared = getattr(source, "channel", None)
    if declared is not None and channel_of(record) != declared:
        return f"channel {record.channel!r} differs from the source's {declared!r}"
    return None


def _other_visibility(record: MessageRecord | CaseRecord, source: Any) -> str | None:
    declared = getattr(source, "visibility", None)
    if declared is not None and record.visibility != declared:
        return f"visibility {record.visibility!r} differs from the source's {declared!r}"
    return None


def _message(r: MessageRecord) -> list[str]:
    found: list[str] = []
    if r.direction not in DIRECTIONS:
        found.append(f"direction must be in or out, not {r.direction!r}")
    if not _aware(r.timestamp):
        found.append("timestamp must be a timezone-aware datetime")
    if not isinstance(r.text, str):
        found.append("text must be a string")
    if r.reply_to is not None and (not isinstance(r.reply_to, str) or not r.reply_to or r.reply_to == r.id):
        found.append("reply_to must be an earlier id or null")
    if not isinstance(r.identities, tuple) or not all(isinstance(i, str) and i for i in r.identities):
        found.append("identities must be a tuple of non-empty strings")
    else:
        for value in r.identities:
            if form_of(value) is None:
                found.append(f"identity {value!r} has none of the documented forms (an e-mail address, a phone "
                             "number, @handle, NETWORK:VALUE): write a handle as '@name'")
                break
    return found


def _case(r: CaseRecord) -> list[str]:
    found: list[str] = []
    if not isinstance(r.category, str) or not r.category.strip():
        found.append("missing category")
    if not isinstance(r.severity, int) or isinstance(r.severity, bool) or not 1 <= r.severity <= 4:
        found.append(f"severity must be 1 to 4, not {r.severity!r}")
    if r.opened_at is None:
        found.append("missing opened_at")
    for name in ("opened_at", "first_response_at", "resolved_at"):
        value = getattr(r, name)
        if value is not None and not _aware(value):
            found.append(f"{name} must be a timezone-aware datetime")
    for name in ("first_response_at", "resolved_at"):
        value = getattr(r, name)
        if _aware(value) and _aware(r.opened_at) and value < r.opened_at:
            found.append(f"{name} is before opened_at")
    if r.outcome is not None and r.outcome not in OUTCOMES:
        found.append(f"outcome must be one of {', '.join(OUTCOMES)} or null, not {r.outcome!r}")
    elif (r.resolved_at is None) != (r.outcome is None):
        found.append("a resolved case needs an outcome and an open case has none")
    if r.remedy not in REMEDIES:
        found.append(f"remedy must be one of {', '.join(REMEDIES)}, not {r.remedy!r}")
    if isinstance(r.amount, bool) or not isinstance(r.amount, (int, float)) or r.amount < 0 or r.amount != r.amount:
        found.append(f"amount must be a number >= 0, not {r.amount!r}")
    return found


def problems(record: Any, source: Any = None) -> list[str]:
    """Everything wrong with one yielded record ([] when nothing is).

    With ``source``, the record's channel and visibility must also agree with
    what the source declares (its ``channel`` and ``visibility``, when not
    None).
    """
    if isinstance(record, Rejected):
        if not record.location or not record.reason:
            return ["a Rejected needs a location and a reason"]
        return []
    if isinstance(record, MessageRecord):
        return _common(record, source) + _message(record) + _strings(record)
    if isinstance(record, CaseRecord):
        return _common(record, source) + _case(record) + _strings(record)
    return [f"not a MessageRecord, CaseRecord or Rejected: {type(record).__name__}"]


def first_problem(record: MessageRecord | CaseRecord, source: Any = None) -> str | None:
    """The reason the engine refuses ``record``, or None when it is valid."""
    found = problems(record, source)
    return found[0] if found else None


_vouched: dict[int, weakref.ref] = {}  # id(record) -> a weak reference to it, while the record lives


def vouch(record: V) -> V:
    """Remember, for as long as ``record`` lives, that it has none of :func:`first_problem`'s problems
    (checked without a source); returns ``record``.

    For openledger's own helpers that build a record from input and check it
    (:func:`openledger.intake.sourcekit.message_from_fields`), so that the
    webhook receiver and the ingest engine do not check it again: they check
    only what :func:`vouched` does not know, and the engine still compares a
    vouched record's channel and visibility with the source's declared ones
    (:func:`declared_problem`). Vouch only for a record nobody else can
    change (a record is frozen; its ``meta`` must be a mapping of the
    helper's own making). Any other record, such as one a plugin built and
    passed through :func:`checked`, is checked in full where it always was.
    """
    key = id(record)

    def forget(_: weakref.ref) -> None:  # the record is gone: its id may be another object's next
        _vouched.pop(key, None)

    _vouched[key] = weakref.ref(record, forget)
    return record


def vouched(record: Any) -> bool:
    """Whether this very object was vouched for with :func:`vouch` (an equal record made otherwise was not)."""
    ref = _vouched.get(id(record))
    return ref is not None and ref() is record


def declared_problem(record: MessageRecord | CaseRecord, source: Any) -> str | None:
    """What :func:`first_problem` finds in ``record`` given ``source``, for a record that has no problem
    without it (a :func:`vouched` one): its channel or visibility differs from the source's declared one."""
    return _other_channel(record, source) or _other_visibility(record, source)


def checked(record: R, source: Any = None, raw: str | None = None) -> R | Rejected:
    """``record``, or a :class:`Rejected` with its first problem when it breaks the contract.

    For a source that copies fields from its input as they are (CSV, JSON
    Lines, history): what is wrong is then the input, which ``--skip-bad``
    quarantines; ``raw`` is the record as read, kept in the rejection.
    """
    problem = first_problem(record, source)
    if problem is None:
        return record
    return Rejected(record.location or f"record {record.id!r}", problem, raw)


def run(source: Any, path: str | Path, options: Mapping | None = None) -> list:
    """Read ``path`` with ``source`` and return the records; fail on any problem.

    The assertion names the location of every record that breaks the
    contract (the first 20), so a plugin's test says what to fix.
    """
    records = list(source.read(Path(path), options or {}))
    report = [
        f"{getattr(r, 'location', None) or f'record {n}'}: {problem}"
        for n, r in enumerate(records, start=1)
        for problem in problems(r, source)
    ]
    if report:
        raise AssertionError(f"{source.name} broke the record contract:\n" + "\n".join(report[:20]))
    return records
