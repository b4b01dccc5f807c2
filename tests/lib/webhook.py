"""The real webhook receiver for tests: ``openledger intake serve`` in its own process, and signed posts.

:func:`intake_server` starts the command on a free port against a test
instance and waits until ``/health`` answers; :func:`post` sends one body
(signed with the instance's intake key unless told otherwise) and returns the
status and the decoded JSON answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from paths import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signature(key: bytes, body: bytes) -> str:
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    key: bytes
    log: Path

    def post(self, path: str, body: bytes | str, *, sign: bool | bytes = True, headers: dict | None = None,
             content_type: str = "application/json", connection: http.client.HTTPConnection | None = None):
        return post(self.port, path, body, key=self.key if sign is True else sign or None, headers=headers,
                    content_type=content_type, connection=connection)

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            answer = conn.getresponse()
            return answer.status, answer.read()
        finally:
            conn.close()

    def kill(self) -> None:
        """kill -9: no shutdown, no flushing, nothing."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def post(port: int, path: str, body: bytes | str, *, key: bytes | None, headers: dict | None = None,
         content_type: str = "application/json", connection: http.client.HTTPConnection | None = None):
    """(status, JSON answer) of one POST; ``key`` None sends no signature."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    sent = {"Content-Type": content_type, **(headers or {})}
    if key is not None:
        sent["X-Openledger-Signature"] = signature(key, data)
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body=data, headers=sent)
        answer = conn.getresponse()
        raw = answer.read()
        return answer.status, json.loads(raw) if raw else None
    finally:
        if connection is None:
            conn.close()


@contextlib.contextmanager
def intake_server(home: Path, db_url: str, *args: str, log: Path | None = None) -> Iterator[Server]:
    """``openledger --home HOME --db URL intake serve --port P`` until the block ends (or it is killed)."""
    port = free_port()
    log = log or home.parent / f"intake-{port}.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "openledger", "--home", str(home), "--db", db_url, "intake", "serve",
             "--port", str(port), "--log-level", "warning", *args],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"intake serve exited {process.returncode}:\n{log.read_text()}")
            with contextlib.suppress(OSError):
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"intake serve did not listen within 60 s:\n{log.read_text()}")
            time.sleep(0.1)
        key = (home / "intake.key").read_text().strip().encode("ascii")
        yield Server(process, port, key, log)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
