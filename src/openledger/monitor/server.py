"""``openledger monitor serve``: the checkpoints this monitor has proven, for its peers.

* ``GET /<sha256(origin), lowercase hex>/checkpoint``: the largest checkpoint
  of that log this monitor proved consistent, as the log signed it (the same
  path as a witness's monitoring API in c2sp.org/tlog-witness, so a monitor
  gossips with witnesses and monitors alike); 404 if it has none;
* ``GET /checkpoints``: JSON ``{origin: {"size", "note"}}`` for every log.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from openledger.monitor import db
from openledger.witness.protocol import origin_hash


def app(engine: Engine) -> Starlette:
    """The Starlette application over a monitor database."""

    def latest(digest: str) -> bytes | None:
        with engine.connect() as conn:
            return db.latest_proven(conn, origin_hash, digest)

    def everything() -> dict:
        with engine.connect() as conn:
            return db.all_latest(conn)

    async def checkpoint(request: Request) -> Response:
        note = await run_in_threadpool(latest, request.path_params["digest"])
        if note is None:
            return Response(b"no checkpoint of this log\n", status_code=404,
                            headers={"Content-Type": "text/plain; charset=utf-8"})
        return Response(note, headers={"Content-Type": "text/plain; charset=utf-8"})

    async def checkpoints(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(everything))

    return Starlette(routes=[
        Route("/checkpoints", checkpoints, methods=["GET"]),
        Route("/{digest:str}/checkpoint", checkpoint, methods=["GET"]),
    ])
