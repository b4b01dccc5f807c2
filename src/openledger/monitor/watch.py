"""One check of one published site by a monitor: :func:`check_site`.

1. Fetch the site's signed checkpoint and verify the whole log
   (:func:`openledger.ledger.verify.verify_log`) against the log's key,
   pinned on first sight (or given with ``--key``).
2. Gossip: fetch the latest checkpoint of the same log from each peer (another
   monitor's ``monitor serve``, or a witness's monitoring API); keep those
   signed by the pinned key.
3. Keep every distinct checkpoint in the database, and prove each one not yet
   proven consistent with the tree the site now shows: an RFC 9162
   consistency proof read from the site's own tiles. A checkpoint that the
   proof refutes is a **fork** (the log was shown differently to someone, or
   rewritten); a checkpoint the site itself published earlier that is larger
   than what it shows now is a **rollback**. Either raises an alarm: one
   line, and a folder with both signed checkpoints, as served, and
   ``alarm.json``.
4. Record the published audit verdicts (``data/audit-*.json``: the overall
   verdict and each finding's) for this checkpoint and report those that
   changed since the previous checkpoint seen.
5. With a ``binding`` check (``openledger monitor check`` passes the one of
   ``openledger verify``, :func:`openledger.site.check.check_site`, which lives
   a layer above the monitor), derive everything the site says from the
   verified log and compare: a site that says something its log does not is
   a **site** alarm, kept with the checkpoint and every difference.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from openledger.errors import NotFoundError, OpenLedgerError
from openledger.ledger.checkpoint import Checkpoint, open_checkpoint
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.merkle import consistency_proof, verify_consistency
from openledger.ledger.note import Verifier, parse_note, parse_verifier_key
from openledger.ledger.published import PublishedFiles, as_published, load_json, locate
from openledger.ledger.tiles import HeldEntries, TileHashReader
from openledger.ledger.verify import verify_log
from openledger.monitor import db
from openledger.witness.client import WitnessClient

#: the audits a site may publish (openledger.audit.groups.DIMENSIONS; the influence ones only when labelled)
DIMENSIONS = ("visibility", "channel", "audience", "leverage", "deflection", "tone")
# (the site's files, the log's entries (index, bytes) as verified, the signed checkpoint's text, the verifier key)
# -> the differences found
Binding = Callable[[PublishedFiles, Iterable[tuple[int, bytes]], str, str], list[str]]


@dataclass
class Alarm:
    """A fork or a rollback, with where its evidence is kept."""

    kind: str  # "fork", "rollback" or "site"
    line: str
    evidence: str


@dataclass
class Report:
    """What one check of one site found."""

    where: str
    status: str = "ok"  # ok, alarm or error
    origin: str = ""
    size: int = 0
    root: str = ""
    new: bool = False
    consistent_with: int = 0
    peers: dict[str, str] = field(default_factory=dict)  # peer -> what it said
    alarms: list[Alarm] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    verdicts: dict[str, str] = field(default_factory=dict)
    verdict_changes: list[dict] = field(default_factory=list)
    error: str = ""

    def line(self) -> str:
        """The one line printed for this site (the alarms' lines come first, one each)."""
        if self.status == "error":
            return f"error: {self.where}: {self.error}"
        if self.alarms:
            return "\n".join(f"ALARM {a.kind}: {a.line}; evidence: {a.evidence}" for a in self.alarms)
        changed = (f"; {len(self.verdict_changes)} verdict(s) changed: " + ", ".join(
            f"{c['dimension']}/{c['what']} {c['before']} -> {c['after']}" for c in self.verdict_changes)
            if self.verdict_changes else "")
        overall = ", ".join(f"{k}: {v}" for k, v in sorted(self.verdicts.items()))
        peers = f", {len(self.peers)} peer(s) asked" if self.peers else ""
        return (f"ok: {self.origin}: tree size {self.size}{' (new)' if self.new else ''}, consistent with "
                f"{self.consistent_with} checkpoint(s) seen{peers}{'; verdicts ' + overall if overall else ''}"
                f"{changed}" + "".join(f"; note: {n}" for n in self.notices))

    def as_json(self) -> dict:
        return asdict(self)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:80] or "log"


def _keep_evidence(evidence_dir: Path, kind: str, origin: str, line: str,
                   pieces: Sequence[tuple[db.Seen | None, bytes, str]], details: Sequence[str] = ()) -> Path:
    """A new folder with each signed checkpoint, as served, and ``alarm.json`` (with ``details``, if any)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = evidence_dir / f"{stamp}-{kind}-{_slug(origin)}"
    folder.mkdir(parents=True)
    described = []
    for n, (seen, note, source) in enumerate(pieces, start=1):
        size = int(note.decode("utf-8").split("\n")[1])
        name = f"{n}-size-{size}.checkpoint"
        (folder / name).write_bytes(note)
        described.append({"file": name, "size": size, "source": source,
                          "seen_at": seen.seen_at.isoformat() if seen else datetime.now(UTC).isoformat()})
    (folder / "alarm.json").write_text(json.dumps(
        {"kind": kind, "origin": origin, "alarm": line, "checkpoints": described,
         "raised_at": datetime.now(UTC).isoformat(), **({"differences": list(details)} if details else {})},
        indent=2) + "\n", "utf-8")
    return folder


def read_verdicts(site: PublishedFiles) -> dict[tuple[str, str, str], str]:
    """(dimension, metric, group) -> verdict from the published audits; ("dim", "", "") is the overall one."""
    found: dict[tuple[str, str, str], str] = {}
    for dim in DIMENSIONS:
        path = f"data/audit-{dim}.json"
        try:
            data = load_json(site.read(path), site.where(path))
        except NotFoundError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("overall"), str):
            raise OpenLedgerError("no overall verdict", path=site.where(path))
        found[(dim, "", "")] = data["overall"]
        for finding in data.get("findings") or ():
            if isinstance(finding, dict) and isinstance(finding.get("verdict"), str):
                found[(dim, str(finding.get("metric")), str(finding.get("group")))] = finding["verdict"]
    return found


def _pick_key(files: PublishedFiles, origin: str, pinned: str | None, keys: Sequence[str]) -> Verifier:
    for text in keys:
        verifier = parse_verifier_key(text)
        if verifier.name == origin:
            return verifier
    if pinned is not None:
        return parse_verifier_key(pinned)
    data = files.read("verifier.key")
    try:
        return parse_verifier_key(data.decode("utf-8"))
    except (LedgerFormatError, UnicodeDecodeError) as exc:
        raise LedgerFormatError(getattr(exc, "message", str(exc)), path=files.where("verifier.key")) from None


def check_site(engine: Engine, where: str, evidence_dir: Path, peers: Sequence[str] = (),
               keys: Sequence[str] = (), client: WitnessClient | None = None,
               binding: Binding | None = None) -> Report:
    """Check one site (folder or URL); see the module docstring. Errors become a report with status "error"."""
    report = Report(where)
    try:
        _check(engine, where, evidence_dir, peers, keys, client, report, binding)
    except OpenLedgerError as exc:
        report.status, report.error = "error", str(exc)
    return report


def _check(engine: Engine, where: str, evidence_dir: Path, peers: Sequence[str], keys: Sequence[str],
           client: WitnessClient | None, report: Report, binding: Binding | None = None) -> None:
    log_location, site_location = locate(where)
    files = as_published(log_location)
    raw = files.read("checkpoint")
    text, _ = parse_note(raw, files.where("checkpoint"))
    origin = Checkpoint.parse(text, files.where("checkpoint")).origin
    with engine.begin() as conn:
        pinned = db.pinned_key(conn, origin)
    verifier = _pick_key(files, origin, pinned, keys)
    if pinned is not None and verifier.encode() != pinned:
        raise VerificationError(f"the log {origin} was pinned to the key {pinned}, not {verifier.encode()}")
    entries = HeldEntries()  # the bytes verified, kept for the site's check (never read again)
    summary = verify_log(files, key=verifier.encode(), entries=entries if binding is not None else None)
    current = Checkpoint.parse(text)
    report.origin, report.size, report.root = origin, current.size, base64.b64encode(summary.root).decode()
    with engine.begin() as conn:
        if pinned is None:
            db.pin_key(conn, origin, verifier.encode())
        before = {s.id for s in db.checkpoints(conn, origin)}
        mine = db.remember(conn, origin, current.size, current.root, raw, "site", where)
        report.new = mine.id not in before
        db.mark(conn, [mine.id], proven=True)
    _gossip(engine, origin, verifier, peers, client, report)
    _prove(engine, files, origin, current, raw, where, evidence_dir, report)
    if site_location is not None:
        site = as_published(site_location)
        _verdicts(engine, site, origin, current.size, report)
        if binding is not None:
            _bound(engine, binding, site, entries.read_once(), verifier.encode(), raw, where, origin, evidence_dir,
                   report)
    if report.alarms:
        report.status = "alarm"


def _gossip(engine: Engine, origin: str, verifier: Verifier, peers: Sequence[str],
            client: WitnessClient | None, report: Report) -> None:
    if not peers:
        return
    own = client is None
    http = client or WitnessClient()
    try:
        for peer in peers:
            try:
                note = http.latest_checkpoint(peer, origin)
            except OpenLedgerError as exc:
                report.peers[peer] = f"unreachable ({exc})"
                continue
            if note is None:
                report.peers[peer] = "has no checkpoint of this log"
                continue
            try:
                theirs, _ = open_checkpoint(note, [verifier], path=peer, origin=origin)
            except (LedgerFormatError, VerificationError) as exc:
                report.peers[peer] = f"served a checkpoint not signed by the log's key ({exc})"
                continue
            with engine.begin() as conn:
                db.remember(conn, origin, theirs.size, theirs.root, note, "peer", peer)
            report.peers[peer] = f"tree size {theirs.size}"
    finally:
        if own:
            http.close()


def _prove(engine: Engine, files: PublishedFiles, origin: str, current: Checkpoint, raw: bytes, where: str,
           evidence_dir: Path, report: Report) -> None:
    reader = TileHashReader(files, current.size)
    with engine.begin() as conn:
        seen = db.checkpoints(conn, origin)
        others = [s for s in seen if not s.conflict and (s.size, s.root) != (current.size, current.root)]
        top = max((s.size for s in others if s.proven), default=None)
        proven, conflicts = [], []
        for other in others:
            if other.proven and other.size != top:
                continue  # proven consistent with the largest proven tree, which the current one must extend
            if other.size > current.size:
                if other.kind == "site":
                    line = (f"{origin}: {where} now shows a tree of {current.size} entries, but it published a "
                            f"signed checkpoint of {other.size} entries before (seen {other.seen_at:%Y-%m-%d %H:%M} "
                            f"at {other.source}): the log was rolled back")
                    conflicts.append(("rollback", other, line))
                else:
                    report.notices.append(f"{other.source} saw a larger tree ({other.size}) than the site shows")
                continue
            try:
                proof = consistency_proof(other.size, current.size, reader)
                verify_consistency(other.size, current.size, other.root, current.root, proof)
            except VerificationError:
                line = (f"{origin}: the tree of {current.size} entries that {where} shows is not an extension of "
                        f"the signed checkpoint of {other.size} entries seen at {other.source}: the log was forked "
                        "(shown differently to someone) or rewritten")
                conflicts.append(("fork", other, line))
                continue
            proven.append(other.id)
        db.mark(conn, proven, proven=True)
        report.consistent_with = sum(1 for s in others if s.proven or s.id in proven)
        for kind, other, line in conflicts:
            folder = _keep_evidence(evidence_dir, kind, origin, line,
                                    [(None, raw, where), (other, other.note, other.source)])
            db.mark(conn, [other.id], conflict=True)
            db.record_alarm(conn, origin, kind, line, str(folder))
            report.alarms.append(Alarm(kind, line, str(folder)))


def _bound(engine: Engine, binding: Binding, site: PublishedFiles, entries: Iterable[tuple[int, bytes]], key: str,
           raw: bytes, where: str, origin: str, evidence_dir: Path, report: Report) -> None:
    """Raise a site alarm when the site says anything its verified log does not: the site is compared with
    the entries and the checkpoint exactly as verified (a server cannot serve other bytes for the comparison)."""
    differences = binding(site, entries, raw.decode("utf-8"), key)
    if not differences:
        report.notices.append("the site says what its log says")
        return
    more = f" (and {len(differences) - 1} more)" if len(differences) > 1 else ""
    line = f"{origin}: {where} does not say what its log says: {differences[0]}{more}"
    folder = _keep_evidence(evidence_dir, "site", origin, line, [(None, raw, where)], differences)
    with engine.begin() as conn:
        db.record_alarm(conn, origin, "site", line, str(folder))
    report.alarms.append(Alarm("site", line, str(folder)))


def _verdicts(engine: Engine, site: PublishedFiles, origin: str, size: int, report: Report) -> None:
    found = read_verdicts(site)
    report.verdicts = {d: v for (d, m, g), v in found.items() if not m}
    with engine.begin() as conn:
        before_size, before = db.previous_verdicts(conn, origin, size)
        db.record_verdicts(conn, origin, size, found)
    for key in sorted(set(found) | set(before)):
        old, new = before.get(key), found.get(key)
        if before_size is not None and old != new:
            dim, metric, group = key
            report.verdict_changes.append({
                "dimension": dim, "what": "overall" if not metric else f"{metric} ({group})",
                "before": old or "absent", "after": new or "absent", "since_size": before_size,
            })
