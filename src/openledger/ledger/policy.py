"""Which witnesses must cosign: C2SP tlog-policy (https://c2sp.org/tlog-policy) and "K of N".

A policy file is line based::

    # comments and blank lines are ignored
    log <vkey> [<url>]
    witness <name> <cosigner vkey> [<url>]
    group <name> all|any|<k> <member>...
    quorum <name>|none

A group is satisfied when at least ``k`` of its members (witnesses or groups
defined on earlier lines) are; the checkpoint is accepted when the quorum is.
Witness keys are cosigner keys (type 0x04, see
:mod:`openledger.ledger.cosignature`); log keys are signed-note Ed25519 keys.

openledger's configuration says the same in short: ``policy = "2 of 3"``
(or ``"all"``, ``"any"``, ``"none"``) over the configured witnesses, which
:func:`threshold_policy` turns into a one-group policy.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from openledger.ledger.cosignature import Cosigned, CosignerKey, check_cosignatures, parse_cosigner_key
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.note import Verifier, parse_verifier_key

NONE = "none"
_WS = re.compile(r"[ \t]+")
_THRESHOLD = re.compile(r"([0-9]+) of ([0-9]+)")


@dataclass(frozen=True)
class Witness:
    """A named witness of a policy: its cosigner key and, optionally, its URL."""

    name: str
    key: CosignerKey
    url: str | None = None


@dataclass(frozen=True)
class Group:
    """At least ``threshold`` of ``members`` (witness or group names)."""

    name: str
    threshold: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """A trust policy: logs, witnesses, groups and the quorum (a name or ``none``)."""

    quorum: str
    witnesses: tuple[Witness, ...] = ()
    groups: tuple[Group, ...] = ()
    logs: tuple[Verifier, ...] = ()
    log_urls: tuple[str | None, ...] = field(default=())

    def keys(self) -> list[CosignerKey]:
        """Every witness key of the policy."""
        return [w.key for w in self.witnesses]

    def satisfied(self, cosigned: Iterable[str]) -> bool:
        """Whether cosignatures by these keys (encoded cosigner vkeys) meet the quorum."""
        if self.quorum == NONE:
            return True
        have = set(cosigned)
        done: dict[str, bool] = {w.name: w.key.encode() in have for w in self.witnesses}
        for group in self.groups:  # members are always defined on earlier lines
            done[group.name] = sum(done[m] for m in group.members) >= group.threshold
        return done[self.quorum]

    def describe(self) -> str:
        """The quorum in words, e.g. ``2 of 3 witnesses (a, b, c)``."""
        if self.quorum == NONE:
            return "no cosignature required"
        groups = {g.name: g for g in self.groups}

        def words(name: str) -> str:
            group = groups.get(name)
            if group is None:
                return name
            inner = ", ".join(words(m) for m in group.members)
            return f"{group.threshold} of {len(group.members)} ({inner})"

        return words(self.quorum)

    def to_text(self) -> str:
        """The policy in the tlog-policy file format."""
        lines = [f"log {v.encode()}" + (f" {u}" if u else "") for v, u in zip(self.logs, self.log_urls)]
        lines += [f"witness {w.name} {w.key.encode()}" + (f" {w.url}" if w.url else "") for w in self.witnesses]
        lines += [f"group {g.name} {g.threshold} {' '.join(g.members)}" for g in self.groups]
        lines.append(f"quorum {self.quorum}")
        return "\n".join(lines) + "\n"


def parse_threshold(text: str, count: int, where: str = "policy") -> int:
    """How many of ``count`` witnesses ``"K of N"``, ``"all"``, ``"any"`` or ``"none"`` asks for."""
    value = text.strip().lower()
    if value == "all":
        return count
    if value == "any":
        return min(1, count)
    if value == NONE:
        return 0
    match = _THRESHOLD.fullmatch(value)
    if not match:
        raise LedgerFormatError(f"{where} {text!r}: write \"K of N\", \"all\", \"any\" or \"none\"")
    k, n = int(match.group(1)), int(match.group(2))
    if n != count:
        raise LedgerFormatError(f"{where} {text!r}: {count} witness(es) are configured, not {n}")
    if not 1 <= k <= n:
        raise LedgerFormatError(f"{where} {text!r}: K must be between 1 and {n}")
    return k


def threshold_policy(witnesses: Sequence[Witness], k: int) -> Policy:
    """A policy asking ``k`` of ``witnesses`` to cosign (``k == 0``: none)."""
    if k == 0:
        return Policy(NONE, tuple(witnesses))
    if not 1 <= k <= len(witnesses):
        raise LedgerFormatError(f"a quorum of {k} of {len(witnesses)} witnesses is impossible")
    group = Group("witnesses", k, tuple(w.name for w in witnesses))
    return Policy(group.name, tuple(witnesses), (group,))


def parse_policy(data: bytes, path: str | os.PathLike[str] | None = None) -> Policy:
    """Parse a tlog-policy file strictly; errors name the line."""
    for i, byte in enumerate(data):
        if byte < 0x20 and byte not in (0x09, 0x0A) or byte == 0x7F:
            number = data.count(b"\n", 0, i) + 1
            raise LedgerFormatError(f"line {number}: invalid octet 0x{byte:02x}", path=path)
    text = data.decode("utf-8", errors="surrogateescape")
    logs: list[Verifier] = []
    log_urls: list[str | None] = []
    witnesses: list[Witness] = []
    groups: list[Group] = []
    quorums: list[str] = []
    defined: set[str] = set()
    used: set[str] = set()
    raw_keys: set[bytes] = set()
    for n, line in enumerate(text.split("\n"), start=1):
        fields = [f for f in _WS.split(line.strip(" \t")) if f]
        if not fields or fields[0].startswith("#"):
            continue

        def fail(why: str, n: int = n) -> LedgerFormatError:
            return LedgerFormatError(f"line {n}: {why}", path=path)

        keyword, args = fields[0], fields[1:]
        if keyword == "log":
            if len(args) not in (1, 2):
                raise fail("invalid log definition: expected 'log <vkey> [<url>]'")
            try:
                verifier = parse_verifier_key(args[0])
            except LedgerFormatError as exc:
                raise fail(f"invalid log vkey: {exc.message}") from None
            raw = verifier.public_key.public_bytes_raw()
            if raw in raw_keys:
                raise fail("duplicate log public key")
            raw_keys.add(raw)
            logs.append(verifier)
            log_urls.append(args[1] if len(args) == 2 else None)
        elif keyword == "witness":
            if len(args) not in (2, 3):
                raise fail("invalid witness definition: expected 'witness <name> <vkey> [<url>]'")
            name = args[0]
            if name == NONE:
                raise fail("the name 'none' is reserved")
            if name in defined:
                raise fail(f"duplicate name {name!r}")
            try:
                key = parse_cosigner_key(args[1])
            except LedgerFormatError as exc:
                raise fail(exc.message) from None
            if key.raw() in raw_keys:
                raise fail("duplicate witness public key")
            raw_keys.add(key.raw())
            defined.add(name)
            witnesses.append(Witness(name, key, args[2] if len(args) == 3 else None))
        elif keyword == "group":
            if len(args) < 3:
                raise fail("invalid group definition: expected 'group <name> all|any|<k> <member>...'")
            name, how, members = args[0], args[1], tuple(args[2:])
            if name == NONE:
                raise fail("the name 'none' is reserved")
            if name in defined:
                raise fail(f"duplicate name {name!r}")
            for member in members:
                if member not in defined:
                    raise fail(f"unknown member {member!r} (define it on an earlier line)")
                if member in used:
                    raise fail(f"{member!r} is a group member more than once")
                used.add(member)
            if how == "all":
                k = len(members)
            elif how == "any":
                k = 1
            elif how.isdigit() and how.isascii():
                k = int(how)
                if not 1 <= k <= len(members):
                    raise fail(f"threshold {k} is outside [1, {len(members)}]")
            else:
                raise fail(f"invalid threshold {how!r}")
            defined.add(name)
            groups.append(Group(name, k, members))
        elif keyword == "quorum":
            if len(args) != 1:
                raise fail("invalid quorum definition: expected 'quorum <name>|none'")
            if args[0] != NONE and args[0] not in defined:
                raise fail(f"quorum {args[0]!r} not defined on an earlier line")
            quorums.append(args[0])
        else:
            raise fail(f"unknown keyword {keyword!r}")
    if len(quorums) != 1:
        raise LedgerFormatError(f"a policy needs exactly one quorum line, found {len(quorums)}", path=path)
    return Policy(quorums[0], tuple(witnesses), tuple(groups), tuple(logs), tuple(log_urls))


@dataclass(frozen=True)
class Witnessed:
    """A checkpoint's cosignatures checked against a policy that they meet."""

    policy: Policy
    cosigned: Cosigned

    def line(self) -> str:
        """One line for ``openledger verify``: who cosigned, and when."""
        names = {w.key.encode(): w.name for w in self.policy.witnesses}
        who = ", ".join(
            f"{names.get(key.encode(), key.name)} at {_utc(c.timestamp)}" for key, c in self.cosigned.verified
        ) or "nobody"
        return f"witnessed: {len(self.cosigned.verified)} of {len(self.policy.witnesses)} witnesses cosigned " \
               f"({who}); policy {self.policy.describe()} met"


def _utc(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def require(policy: Policy, data: bytes, path: str | os.PathLike[str] | None = None) -> Witnessed:
    """Check the cosignatures of the signed note ``data`` and that they meet ``policy``.

    A cosignature by a key of the policy that does not verify, or too few
    valid ones, raises :class:`~openledger.ledger.errors.VerificationError`.
    """
    cosigned = check_cosignatures(data, policy.keys(), path)
    if not policy.satisfied(cosigned.cosigners()):
        names = {w.key.encode(): w.name for w in policy.witnesses}
        have = ", ".join(sorted(names[k] for k in cosigned.cosigners())) or "none"
        raise VerificationError(
            f"the witness policy is not met: it asks for {policy.describe()}, cosigned by {have}", path=path)
    return Witnessed(policy, cosigned)


def policy_from_keys(keys: Sequence[str], quorum: int | None = None) -> Policy:
    """A policy over cosigner keys given one by one (``verify --witness-key``): ``quorum`` of them, or all."""
    witnesses: list[Witness] = []
    for text in keys:
        key = parse_cosigner_key(text)
        if any(w.key.raw() == key.raw() for w in witnesses):
            raise LedgerFormatError(f"the witness key {key.encode()} is given twice")
        witnesses.append(Witness(key.name, key))
    k = len(witnesses) if quorum is None else quorum
    if not 1 <= k <= len(witnesses):
        raise LedgerFormatError(f"a quorum of {k} of {len(witnesses)} witness keys is impossible")
    return threshold_policy(witnesses, k)
