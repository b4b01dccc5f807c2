"""Publishing with witnesses: ask the configured witnesses to cosign a new checkpoint.

Configuration (``openledger.toml``)::

    [witnesses]
    policy = "2 of 3"          # or "all", "any", "none"; default "all"
    timeout = 10               # seconds per request

    [[witnesses.witness]]
    name = "alpha"             # a label; default: the key's name
    url = "https://witness.example.org/"   # the witness's submission prefix
    key = "witness.example.org/w1+1234abcd+BA..."   # its cosigner key (type 0x04)

When the instance signs a checkpoint for publication, :func:`cosign` sends
it to every witness with a consistency proof from the size that witness last
cosigned (known from the checkpoints this instance kept; on 409 the witness
tells its size and the request is sent again with the proof from there),
checks each cosignature against the configured key, appends the valid lines
to the checkpoint's note, and refuses, with one line, when the policy is not
met. :func:`publish_witness_keys` writes ``witnesses.json`` (for the site's
browser check) and ``witness-policy`` (a C2SP tlog-policy file) beside it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from openledger.errors import ConfigError, OpenLedgerError
from openledger.ledger.checkpoint import Checkpoint
from openledger.ledger.cosignature import (
    Cosignature,
    add_lines,
    from_signature,
    parse_cosigner_key,
    parse_lines,
)
from openledger.ledger.errors import LedgerFormatError
from openledger.ledger.merkle import HashReader, consistency_proof
from openledger.ledger.note import parse_note
from openledger.ledger.policy import Policy, Witness, parse_threshold, threshold_policy
from openledger.store.models import ledger_checkpoints_table
from openledger.witness import protocol
from openledger.witness.client import DEFAULT_TIMEOUT, Reply, WitnessClient

WITNESSES_JSON = "witnesses.json"
POLICY_FILE = "witness-policy"
ROUNDS = 3  # a first try, and up to two retries from the size a witness reported (409)
HISTORY = 200  # stored checkpoints read to find what each witness last cosigned


class WitnessPolicyError(OpenLedgerError):
    """Too few witnesses cosigned the checkpoint: the instance refuses to publish it."""


@dataclass(frozen=True)
class WitnessSettings:
    """The ``[witnesses]`` of an instance: who, under which policy."""

    witnesses: tuple[Witness, ...]
    policy: Policy
    policy_text: str
    timeout: float = DEFAULT_TIMEOUT


def settings_from_config(config: Mapping, path: Path | None = None) -> WitnessSettings | None:
    """The ``[witnesses]`` table; None when no witness is configured."""
    section = config.get("witnesses")
    if not section:
        return None
    if not isinstance(section, Mapping):
        raise ConfigError("[witnesses] must be a table", path=path)
    unknown = sorted(set(section) - {"policy", "timeout", "witness"})
    if unknown:
        raise ConfigError(f"unknown key(s) in [witnesses]: {', '.join(unknown)}", path=path)
    entries = section.get("witness") or ()
    if not isinstance(entries, (list, tuple)):
        raise ConfigError("[witnesses] witness must be an array of tables ([[witnesses.witness]])", path=path)
    witnesses: list[Witness] = []
    for n, entry in enumerate(entries, start=1):
        where = f"[[witnesses.witness]] number {n}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("key"), str) \
                or not isinstance(entry.get("url"), str):
            raise ConfigError(f"{where} needs url = \"...\" and key = \"<cosigner key>\"", path=path)
        try:
            key = parse_cosigner_key(entry["key"])
        except LedgerFormatError as exc:
            raise ConfigError(f"{where}: {exc.message}", path=path) from None
        name = entry.get("name", key.name)
        if not isinstance(name, str) or not name or any(c.isspace() for c in name):
            raise ConfigError(f"{where}: name must be a word without spaces", path=path)
        if not entry["url"].startswith(("http://", "https://")):
            raise ConfigError(f"{where}: url must start with http:// or https://", path=path)
        if any(w.name == name or w.key.raw() == key.raw() for w in witnesses):
            raise ConfigError(f"{where}: the witness {name} (or its key) is configured twice", path=path)
        witnesses.append(Witness(name, key, entry["url"]))
    if not witnesses:
        return None
    text = section.get("policy", "all")
    timeout = section.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(text, str):
        raise ConfigError("[witnesses] policy must be a string like \"2 of 3\"", path=path)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigError("[witnesses] timeout must be a positive number of seconds", path=path)
    try:
        k = parse_threshold(text, len(witnesses), "[witnesses] policy")
    except LedgerFormatError as exc:
        raise ConfigError(exc.message, path=path) from None
    return WitnessSettings(tuple(witnesses), threshold_policy(witnesses, k), text, float(timeout))


@dataclass(frozen=True)
class Outcome:
    """What one witness answered: its cosignature, or why there is none."""

    witness: Witness
    cosignature: Cosignature | None = None
    problem: str = ""


def _accept(witness: Witness, checkpoint: Checkpoint, reply: Reply) -> Outcome:
    """The witness's cosignature from a 200 answer, checked against its configured key."""
    try:
        lines = parse_lines(reply.body)
    except LedgerFormatError as exc:
        return Outcome(witness, problem=f"answered 200 but not with signature lines: {exc.message}")
    text = checkpoint.to_text()
    for sig in lines:
        if (sig.name, sig.key_id) != (witness.key.name, witness.key.key_id):
            continue  # other keys of the witness: ignored
        try:
            cosignature = from_signature(sig)
        except LedgerFormatError as exc:
            return Outcome(witness, problem=exc.message)
        if witness.key.verify(text, cosignature):
            return Outcome(witness, cosignature)
        return Outcome(witness, problem="its cosignature does not verify with the configured key")
    return Outcome(witness, problem="answered without a cosignature by the configured key")


def request_cosignatures(settings: WitnessSettings, checkpoint: Checkpoint, signed: bytes,
                         proof: Callable[[int], list[bytes]], known: Mapping[str, int]) -> list[Outcome]:
    """Ask every witness (in parallel) to cosign ``signed``; one outcome per witness.

    ``proof(old)`` is the consistency proof from tree size ``old`` to the
    checkpoint's (called in this thread only); ``known`` maps a witness key
    (encoded) to the size it last cosigned, as far as this instance knows.
    """
    size = checkpoint.size
    old = {w.name: min(known.get(w.key.encode(), 0), size) for w in settings.witnesses}
    outcomes: dict[str, Outcome] = {}
    pending = list(settings.witnesses)
    with WitnessClient(settings.timeout) as client, ThreadPoolExecutor(max(1, len(pending))) as pool:
        for _ in range(ROUNDS):
            if not pending:
                break
            proofs = {n: proof(n) for n in sorted({old[w.name] for w in pending})}

            def ask(w: Witness, proofs: dict[int, list[bytes]] = proofs) -> Reply | str:
                try:
                    return client.add_checkpoint(str(w.url), old[w.name], proofs[old[w.name]], signed)
                except OpenLedgerError as exc:
                    return str(exc)

            retry = []
            for witness, reply in zip(pending, pool.map(ask, pending)):
                if isinstance(reply, str):
                    outcomes[witness.name] = Outcome(witness, problem=reply)
                elif reply.status == 200:
                    outcomes[witness.name] = _accept(witness, checkpoint, reply)
                elif reply.status == 409:
                    try:
                        theirs = protocol.parse_size(reply.body)
                    except ValueError:
                        outcomes[witness.name] = Outcome(witness, problem="answered 409 without a tree size")
                        continue
                    if theirs > size:
                        outcomes[witness.name] = Outcome(witness, problem=(
                            f"it has cosigned a larger tree ({theirs} entries) than this checkpoint ({size}): "
                            "this log was rolled back, or shown to it with other entries"))
                    elif theirs == old[witness.name]:
                        outcomes[witness.name] = Outcome(witness, problem=f"answered 409 with the size sent, {theirs}")
                    else:
                        old[witness.name] = theirs
                        outcomes[witness.name] = Outcome(witness, problem=f"answered 409 (size {theirs}) again")
                        retry.append(witness)
                else:
                    outcomes[witness.name] = Outcome(witness, problem=f"HTTP {reply.status}: {reply.first_line()}")
            pending = retry
    return [outcomes[w.name] for w in settings.witnesses]


def cosign(settings: WitnessSettings, checkpoint: Checkpoint, signed: bytes,
           proof: Callable[[int], list[bytes]], known: Mapping[str, int]) -> bytes:
    """The signed checkpoint with the witnesses' cosignature lines; WitnessPolicyError if too few cosigned."""
    outcomes = request_cosignatures(settings, checkpoint, signed, proof, known)
    good = [o for o in outcomes if o.cosignature is not None]
    if not settings.policy.satisfied(o.witness.key.encode() for o in good):
        bad = "; ".join(f"{o.witness.name}: {o.problem}" for o in outcomes if o.cosignature is None)
        raise WitnessPolicyError(
            f"refusing to publish the checkpoint of size {checkpoint.size}: the witness policy "
            f"\"{settings.policy_text}\" is not met, {len(good)} of {len(outcomes)} witnesses cosigned ({bad})")
    return add_lines(signed, [o.cosignature.line() for o in good if o.cosignature is not None])


def known_sizes(conn: Connection, settings: WitnessSettings) -> dict[str, int]:
    """The size each witness last cosigned, from the newest checkpoints this instance kept."""
    wanted = {(w.key.name, w.key.key_id): w.key.encode() for w in settings.witnesses}
    found: dict[str, int] = {}
    rows = conn.execute(select(ledger_checkpoints_table.c.size, ledger_checkpoints_table.c.note)
                        .order_by(ledger_checkpoints_table.c.id.desc()).limit(HISTORY))
    for size, text in rows:
        try:
            _, sigs = parse_note(text.encode("utf-8"))
        except LedgerFormatError:
            continue
        for sig in sigs:
            key = wanted.get((sig.name, sig.key_id))
            if key is not None and key not in found:
                found[key] = int(size)
        if len(found) == len(wanted):
            break
    return found


def publish_witness_keys(directory: Path, settings: WitnessSettings | None) -> None:
    """Write ``witnesses.json`` and ``witness-policy`` into the published log folder.

    ``witnesses.json``: ``{"policy": "2 of 3", "quorum": 2, "witnesses": [{"name", "key"}]}``,
    what the site's browser check verifies cosignatures with. Witness URLs
    (submission prefixes, often internal) are not published.
    """
    if settings is None:
        return
    group = settings.policy.groups[0] if settings.policy.groups else None
    data = {
        "policy": settings.policy_text,
        "quorum": group.threshold if group else 0,
        "witnesses": [{"name": w.name, "key": w.key.encode()} for w in settings.witnesses],
    }
    (directory / WITNESSES_JSON).write_text(json.dumps(data, indent=2) + "\n", "utf-8")
    public = Policy(settings.policy.quorum, tuple(Witness(w.name, w.key) for w in settings.witnesses),
                    settings.policy.groups)
    (directory / POLICY_FILE).write_text(public.to_text(), "utf-8")


def export_step(config: Mapping, path: Path | None, conn: Connection, reader: HashReader,
                directory: Path) -> Callable[[Checkpoint, bytes], bytes] | None:
    """What :meth:`openledger.instance.Instance.export_log` does with a new checkpoint.

    None without ``[witnesses]``; otherwise a function that gets the
    checkpoint cosigned (:func:`cosign`, proofs read with ``reader``) and
    writes the witness keys into ``directory`` (:func:`publish_witness_keys`).
    """
    settings = settings_from_config(config, path)
    if settings is None:
        return None
    known = known_sizes(conn, settings)

    def step(checkpoint: Checkpoint, signed: bytes) -> bytes:
        cosigned = cosign(settings, checkpoint, signed, lambda old: consistency_proof(old, checkpoint.size, reader),
                          known)
        publish_witness_keys(directory, settings)
        return cosigned

    return step
