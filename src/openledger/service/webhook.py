"""The webhook receiver: ``openledger intake serve`` (Starlette on uvicorn).

``POST /intake/SOURCE`` takes one payload for any registered source that
reads payloads (``read_payload``: ``jsonl``, ``zendesk``, ``webform``,
``facebook``, ``email``, and plugins'). In order:

1. a body over ``[intake] max_body`` bytes: **413**, read no further;
2. no valid signature (see :mod:`.signatures`): **401**;
3. a payload the source cannot read, or a record the ingest engine would
   refuse: **400** with one line of JSON, ``{"error": "..."}``, nothing stored;
4. otherwise the records are queued to the :class:`~openledger.intake.receiver.Receiver`
   and the answer waits for the commit: **201** with the public id of the case
   of each record (``{"case": ..., "cases": [...], "stored": n, "duplicates": m}``),
   or **200** with the same cases when every record was already stored (a
   retry: nothing new). A database that refuses: **503**, to be retried.

``GET /health`` answers how the receiver is doing (JSON), for monitoring;
``GET /intake/SOURCE?hub.mode=subscribe&...`` answers Meta's subscription
check (its ``hub.verify_token`` must be the intake key's line).

A record is answered 201 only once it is durable: it survives a crash of the
machine, not only of the process. PostgreSQL commits durably by default; on
SQLite the receiver flushes the write-ahead log once for all the groups
committed since its last flush, then answers them (see :func:`durability`
and :mod:`openledger.intake.receiver`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from openledger import plugins
from openledger.config import INTAKE_KEY_NAME, create_intake_key, load_intake_key
from openledger.errors import ConfigError, OpenLedgerError
from openledger.instance import Instance
from openledger.intake.payloads import error_json, first_problem, media_type, read_payload
from openledger.intake.receiver import Receiver
from openledger.records import Payload
from openledger.service.signatures import Keys

DEFAULT_MAX_BODY = 1 << 20  # 1 MiB: a webhook carries one message
SETTINGS = ("max_body", "meta_app_secret_file", "zendesk_secret_file")


@dataclass(frozen=True)
class Settings:
    """The ``[intake]`` table."""

    max_body: int
    table: Mapping[str, Any]

    @classmethod
    def from_config(cls, config) -> Settings:
        table = config.get("intake")
        if not isinstance(table, Mapping):
            raise ConfigError("[intake] must be a table", path=config.path)
        unknown = sorted(set(table) - set(SETTINGS))
        if unknown:
            raise ConfigError(f"unknown key(s) in [intake]: {', '.join(unknown)} (known: {', '.join(SETTINGS)})",
                              path=config.path)
        size = table.get("max_body", DEFAULT_MAX_BODY)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ConfigError("[intake] max_body must be a whole number of bytes, at least 1", path=config.path)
        return cls(size, table)


def intake_key(instance: Instance) -> tuple[bytes, bool]:
    """The instance's intake key, created (mode 0600) if this instance predates it; (key, created)."""
    path = instance.home / INTAKE_KEY_NAME
    created = False
    if not path.exists():
        create_intake_key(instance.home)
        created = True
    return load_intake_key(instance.home), created


def durability(store) -> Callable[[], None] | None:
    """What makes the receiver's commits durable before they are answered (None: the commit itself).

    PostgreSQL: the commit (``synchronous_commit`` on, its default). SQLite
    in WAL mode with ``synchronous=NORMAL`` (openledger's connections): a
    commit has written its pages to the write-ahead log without flushing
    it, so an fsync of the log makes every transaction committed before it
    durable, like ``synchronous=FULL`` does for each commit. SQLite copies
    the log into the database only after flushing it, and flushes the
    database before it reuses the log, so what a flush covered stays on disk.
    """
    if store.dialect != "sqlite":
        return None
    database = make_url(store.url).database
    if not database or database == ":memory:":
        return None
    wal = f"{database}-wal"

    def sync() -> None:
        try:
            fd = os.open(wal, os.O_RDONLY)
        except FileNotFoundError:  # no log: the last connection checkpointed it into the database
            fd = os.open(database, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    return sync


def _json(status: int, value: Mapping[str, Any]) -> Response:
    return Response(json.dumps(value, ensure_ascii=False), status_code=status, media_type="application/json")


def _refuse(status: int, message: str) -> Response:
    return Response(error_json(message.splitlines()[0] if message else "refused"), status_code=status,
                    media_type="application/json")


class TooLarge(Exception):
    pass


class Disconnected(Exception):
    pass


async def _body(headers: Mapping[str, str], receive: Receive, limit: int) -> bytes:
    """The request's body, read from the ASGI ``receive``; TooLarge past ``limit`` bytes."""
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class _Answers:
    """The event loop's side of the writer's answers: one wake-up for a group, not one per post.

    ``asyncio.wrap_future`` wakes the loop (a write to its self-pipe, then
    a turn of the loop) for every future the writer thread completes; the
    writer completes a whole group's futures one after the other, so the
    first one schedules a wake-up and the rest join it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: list[tuple[Future, asyncio.Future]] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def wait(self, future: Future) -> asyncio.Future:
        """An awaitable of ``future`` (completed by another thread), in the running loop."""
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        future.add_done_callback(lambda done: self._done(loop, done, waiter))
        return waiter

    def _done(self, loop: asyncio.AbstractEventLoop, future: Future, waiter: asyncio.Future) -> None:
        with self._lock:  # in the writer's thread (or in the loop, when the future was already done)
            self._ready.append((future, waiter))
            if self._loop is not None:
                return
            self._loop = loop
        loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        with self._lock:
            ready, self._ready, self._loop = self._ready, [], None
        for future, waiter in ready:
            if waiter.done():  # the request was cancelled (its sender left)
                continue
            error = future.exception()
            if error is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(future.result())


def _source_of(scope: Scope) -> str | None:
    """The SOURCE of a ``POST /intake/SOURCE``, or None for any other request."""
    if scope["type"] != "http" or scope["method"] != "POST":
        return None
    path = scope["path"]
    if not path.startswith("/intake/"):
        return None
    name = path[len("/intake/"):]
    return name if name and "/" not in name else None


def create_app(config, receiver: Receiver, keys: Keys, settings: Settings) -> ASGIApp:
    """The ASGI application; ``receiver`` is started and stopped with it.

    ``POST /intake/SOURCE``, every delivery, is answered straight from the
    ASGI messages; the rest (health, Meta's check, 404s and 405s, the
    lifespan) goes through Starlette's routing. Starlette's middleware and
    request objects cost as much CPU as uvicorn itself, and the writer and
    the server share one interpreter: what the server spends, the writer waits for.
    """
    sources = plugins.payload_sources(config.plugin_view())
    options = {name: dict(config.get("sources").get(name, {})) for name in sources}
    started = time.time()
    answers = _Answers()

    async def deliver(name: str, scope: Scope, receive: Receive) -> Response:
        source = sources.get(name)
        if source is None:
            return _refuse(404, f"no source {name!r} that reads webhook payloads "
                                f"(available: {', '.join(sorted(sources))})")
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}  # names are lower case
        try:
            body = await _body(headers, receive, settings.max_body)
        except TooLarge:
            return _refuse(413, f"body larger than [intake] max_body ({settings.max_body:,} bytes)")
        if not keys.verify(name, headers, body):
            missing = not keys.signed_by_anyone(headers)
            return _refuse(401, "missing signature: sign the body with X-Openledger-Signature: sha256=<hex "
                                "HMAC-SHA256 keyed with intake.key>" if missing else "wrong signature")
        try:
            records = read_payload(source, Payload(body, media_type(headers.get("content-type")), ""),
                                   options[name])
        except OpenLedgerError as exc:
            return _refuse(400, str(exc))
        problem = first_problem(records)
        if problem is not None:
            location, reason = problem
            return _refuse(400, f"{location}: {reason}" if location else reason)
        if not records:
            return _json(200, {"case": None, "cases": [], "records": 0, "stored": 0, "duplicates": 0})
        try:
            stored = await answers.wait(receiver.submit(source, records))
        except OpenLedgerError as exc:
            return _refuse(400, str(exc))
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            return _refuse(503, f"database: {reason}")
        except OSError as exc:  # the flush of the log failed: stored, but not known to be on disk
            return _refuse(503, f"storage: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 (a bug: one line to the sender, who may retry)
            return _refuse(500, f"internal error: {type(exc).__name__}: {exc}")
        first = next((c for c in stored.cases if c is not None), None)
        return _json(201 if stored.stored else 200, {
            "case": first, "cases": stored.cases, "records": len(records),
            "stored": stored.stored, "duplicates": stored.duplicates,
        })

    async def subscribe(request: Request) -> Response:
        """Meta's check of a new webhook subscription: echo ``hub.challenge`` to the right token."""
        query = request.query_params
        token = (query.get("hub.verify_token") or "").encode("utf-8")
        if query.get("hub.mode") != "subscribe" or not hmac.compare_digest(token, keys.intake):
            return _refuse(403, "not a subscription check with the right hub.verify_token")
        return PlainTextResponse(query.get("hub.challenge") or "")

    async def health(request: Request) -> Response:
        state = receiver.health
        return _json(200, {
            "status": "ok" if receiver.running else "stopped", "uptime_seconds": round(time.time() - started),
            "sources": sorted(sources), "queued": receiver.waiting, "deliveries": state.deliveries,
            "records": state.records, "commits": state.commits, "syncs": state.syncs, "failures": state.failures,
            "last_commit_at": state.last_commit_at, "last_error": state.last_error,
        })

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        receiver.start()
        try:
            yield
        finally:
            await asyncio.to_thread(receiver.stop)  # what was accepted is stored before the server ends

    routes = Starlette(routes=[
        Route("/intake/{source}", subscribe, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
    ], lifespan=lifespan)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        name = _source_of(scope)
        if name is None:
            await routes(scope, receive, send)
            return
        try:
            response = await deliver(name, scope, receive)
        except Disconnected:
            return  # the sender left before its body was read: nothing was stored, nobody to answer
        except Exception as exc:  # noqa: BLE001 (a bug: one line to the sender, who may retry)
            response = _refuse(500, f"internal error: {type(exc).__name__}: {exc}")
        await response(scope, receive, send)

    return app


def serve(instance: Instance, host: str, port: int, *, log_level: str = "info",
          announce=print) -> None:
    """Run the receiver until interrupted (Ctrl-C or SIGTERM end it cleanly)."""
    import uvicorn

    config = instance.config
    settings = Settings.from_config(config)
    key, created = intake_key(instance)
    if created:
        announce(f"created the intake key {instance.home / INTAKE_KEY_NAME} (mode 0600): "
                 "give it to the systems that post here")
    keys = Keys.load(key, settings.table)
    store = instance.store
    server: Any = None

    def senders() -> int | None:
        """The connections open now (uvicorn's count): each may post a delivery."""
        return None if server is None else len(server.server_state.connections)

    receiver = Receiver(store, config, sync=durability(store), senders=senders)
    app = create_app(config, receiver, keys, settings)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise OpenLedgerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    names = ", ".join(sorted(plugins.payload_sources(config.plugin_view())))
    announce(f"receiving on http://{host}:{listener.getsockname()[1]}/intake/SOURCE (sources: {names}); "
             "Ctrl-C stops")
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, access_log=True, server_header=False,
                                          date_header=False, lifespan="on"))
    server.run(sockets=[listener])
