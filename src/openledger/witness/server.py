"""``openledger witness serve``: a C2SP tlog-witness server (Starlette, run by uvicorn).

Routes (submission and monitoring prefix are both the server's root):

* ``POST /add-checkpoint``: cosign a checkpoint that consistently extends the
  latest one cosigned for its origin (see :func:`Witness.add_checkpoint` for
  every answer, each as c2sp.org/tlog-witness prescribes);
* ``GET /<sha256(origin), lowercase hex>/checkpoint``: the latest cosigned
  checkpoint of a log, with the log's signature and this witness's
  cosignature (the monitoring API), 404 if it never cosigned one.

A witness home holds ``witness.toml`` (the logs it witnesses), its key
``witness.key`` (mode 0600; an ordinary signed-note signer key) and, by
default, its SQLite database ``witness.db``.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from openledger.errors import ConfigError
from openledger.ledger import note
from openledger.ledger.checkpoint import Checkpoint
from openledger.ledger.cosignature import Cosigner
from openledger.ledger.errors import LedgerFormatError, VerificationError
from openledger.ledger.merkle import EMPTY_ROOT, verify_consistency
from openledger.witness import protocol, state

CONFIG = "witness.toml"
KEY = "witness.key"
PUBLIC = "witness.pub"
DB = "witness.db"
DEFAULT_PORT = 7380

TEMPLATE = """\
# openledger witness (C2SP tlog-witness). Reference: docs/witnesses.md
[witness]
# The name of this witness's key (a schema-less URL, e.g. "witness.example.org/w1").
name = "{name}"

[database]
# Leave unset for SQLite (witness.db) in this folder. For PostgreSQL:
# url = "postgresql+psycopg://user@host:5432/dbname"

# One [[log]] table per log this witness cosigns: its verifier key (the
# log's published verifier.key); the key's name is the log's origin.
"""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, body and content type."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"


@dataclass
class Witness:
    """A witness: its key, the logs it knows (origin -> keys) and its database."""

    cosigner: Cosigner
    logs: Mapping[str, Sequence[note.Verifier]]
    engine: Engine
    clock: Callable[[], float] = field(default=time.time)

    def add_checkpoint(self, body: bytes) -> Answer:
        """Handle one ``add-checkpoint`` body; see c2sp.org/tlog-witness.

        400 malformed body or old size above the checkpoint's; 404 unknown
        origin; 403 no valid signature by a known key of the log (or a known
        key's signature that fails); 409 the old size is not the stored one
        (body: the stored size); 422 a size-0 checkpoint with another root,
        a proof with old size 0, a proof that does not verify, or the same
        size with another root; 200 the cosignature line, once the new state
        is committed.
        """
        try:
            request = protocol.parse_request(body)
            text, signatures = note.parse_note(request.checkpoint)
            checkpoint = Checkpoint.parse(text)
        except (protocol.BadRequest, LedgerFormatError) as exc:
            return Answer(400, f"{getattr(exc, 'message', exc)}\n".encode())
        verifiers = self.logs.get(checkpoint.origin)
        if verifiers is None:
            return Answer(404, b"unknown log origin\n")
        log_lines = _verified_log_lines(text, signatures, verifiers)
        if log_lines is None:
            return Answer(403, b"a signature by a known key of this log does not verify\n")
        if not log_lines:
            return Answer(403, b"no signature by a known key of this log\n")
        if request.old_size > checkpoint.size:
            return Answer(400, b"the old size is larger than the checkpoint's size\n")
        stored = state.latest(self.engine, checkpoint.origin)
        if request.old_size != stored.size:
            return Answer(409, protocol.encode_size(stored.size), protocol.SIZE_CONTENT_TYPE)
        problem = _inconsistency(request.old_size, stored.root, checkpoint, request.proof)
        if problem:
            state.record_refusal(self.engine, checkpoint.origin, 422, problem, request.old_size, request.checkpoint)
            return Answer(422, f"{problem}\n".encode())
        cosignature = self.cosigner.cosign(text, int(self.clock()))
        kept = (text + "\n" + "".join(log_lines) + cosignature.line()).encode("utf-8")
        if not state.compare_and_swap(self.engine, stored, checkpoint.size, checkpoint.root, kept):
            now = state.latest(self.engine, checkpoint.origin)
            return Answer(409, protocol.encode_size(now.size), protocol.SIZE_CONTENT_TYPE)
        return Answer(200, cosignature.line().encode("utf-8"))

    def checkpoint_of(self, digest: str) -> Answer:
        """The monitoring API: the latest cosigned checkpoint of the origin with this hash."""
        for origin in self.logs:
            if protocol.origin_hash(origin) == digest:
                latest = state.latest(self.engine, origin)
                if latest.note is not None:
                    return Answer(200, latest.note)
        return Answer(404, b"no cosigned checkpoint for this log\n")


def _verified_log_lines(text: str, signatures: Sequence[note.Signature],
                        verifiers: Sequence[note.Verifier]) -> list[str] | None:
    """The signature lines by the log's known keys, all verified; None if one fails."""
    known = {(v.name, v.key_id): v for v in verifiers}
    lines: list[str] = []
    message = text.encode("utf-8")
    for sig in signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            continue  # other keys, e.g. other witnesses' cosignatures: ignored
        if not verifier.verify(message, sig.signature):
            return None
        lines.append(sig.line())
    return lines


def _inconsistency(old_size: int, old_root: bytes, checkpoint: Checkpoint, proof: Sequence[bytes]) -> str:
    """Why the checkpoint is not a consistent extension of the stored one ("" if it is)."""
    if checkpoint.size == 0 and checkpoint.root != EMPTY_ROOT:
        return "a checkpoint of size 0 must have the root hash of the empty tree"
    if old_size == 0 and proof:
        return "the consistency proof must be empty when the old size is 0"
    if old_size == checkpoint.size and checkpoint.root != old_root:
        return f"the checkpoint has the stored size {old_size} but another root hash"
    try:
        verify_consistency(old_size, checkpoint.size, old_root, checkpoint.root, proof)
    except VerificationError as exc:
        return exc.message
    return ""


def _response(answer: Answer) -> Response:
    # the content type exactly as given (Starlette would add a charset to text/x.tlog.size)
    return Response(answer.body, status_code=answer.status, headers={"Content-Type": answer.content_type})


def app(witness: Witness) -> Starlette:
    """The Starlette application of ``witness``."""

    async def add_checkpoint(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > protocol.MAX_BODY):
            return PlainTextResponse("the body is too large\n", status_code=400)
        body = await request.body()
        return _response(await run_in_threadpool(witness.add_checkpoint, body))

    async def checkpoint(request: Request) -> Response:
        return _response(await run_in_threadpool(witness.checkpoint_of, request.path_params["digest"]))

    return Starlette(routes=[
        Route(f"/{protocol.ADD_CHECKPOINT}", add_checkpoint, methods=["POST"]),
        Route("/{digest:str}/checkpoint", checkpoint, methods=["GET"]),
    ])


# --- the witness home -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    """A witness home folder: config, key, database."""

    path: Path

    @property
    def config_path(self) -> Path:
        return self.path / CONFIG

    def config(self) -> dict:
        try:
            with open(self.config_path, "rb") as f:
                return tomllib.load(f)
        except FileNotFoundError:
            raise ConfigError("no witness here (run 'openledger witness init' first)", path=self.config_path) from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"invalid TOML: {exc}", path=self.config_path) from None

    def database_url(self, override: str | None = None) -> str:
        url = override or (self.config().get("database") or {}).get("url")
        return url or f"sqlite:///{(self.path / DB).resolve()}"

    def cosigner(self) -> Cosigner:
        return Cosigner(note.read_signer_key(self.path / KEY))

    def logs(self) -> dict[str, list[note.Verifier]]:
        """origin -> the log's verifier keys, from the ``[[log]]`` tables."""
        out: dict[str, list[note.Verifier]] = {}
        entries = self.config().get("log") or []
        if not isinstance(entries, list):
            raise ConfigError("'log' must be an array of tables ([[log]])", path=self.config_path)
        for n, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise ConfigError(f"[[log]] number {n} needs key = \"<verifier key>\"", path=self.config_path)
            try:
                verifier = note.parse_verifier_key(entry["key"])
            except LedgerFormatError as exc:
                raise ConfigError(f"[[log]] number {n}: {exc.message}", path=self.config_path) from None
            origin = entry.get("origin", verifier.name)
            if not isinstance(origin, str) or not origin:
                raise ConfigError(f"[[log]] number {n}: origin must be a non-empty string", path=self.config_path)
            out.setdefault(origin, []).append(verifier)
        return out

    def add_log(self, key: str, origin: str | None = None) -> note.Verifier:
        """Append a ``[[log]]`` table for a log's verifier key."""
        verifier = note.parse_verifier_key(key)
        if any(v.encode() == verifier.encode() for vs in self.logs().values() for v in vs):
            raise ConfigError(f"the log key {verifier.encode()} is already configured", path=self.config_path)
        with open(self.config_path, "a", encoding="utf-8") as f:
            f.write(f'\n[[log]]\nkey = "{verifier.encode()}"\n' + (f'origin = "{origin}"\n' if origin else ""))
        return verifier

    def witness(self, db: str | None = None) -> Witness:
        logs = self.logs()
        return Witness(self.cosigner(), logs, state.open_engine(self.database_url(db)))


def create_home(path: Path, name: str) -> Home:
    """A new witness home: config, a new key (mode 0600) and its public cosigner key."""
    home = Home(path)
    path.mkdir(parents=True, exist_ok=True)
    if home.config_path.exists():
        raise ConfigError("a witness already exists here", path=home.config_path)
    signer = note.generate_key(name)
    note.write_signer_key(path / KEY, signer)
    (path / PUBLIC).write_text(Cosigner(signer).key.encode() + "\n", "utf-8")
    home.config_path.write_text(TEMPLATE.format(name=name), "utf-8")
    return home
