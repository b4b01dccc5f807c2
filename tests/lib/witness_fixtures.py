"""Witnesses and logs for the tests: real servers (uvicorn in a thread, or the
``openledger witness serve`` command in its own process, to kill -9) and small
in-memory logs that can fork."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from paths import ROOT

from openledger.ledger.checkpoint import Checkpoint, sign_checkpoint
from openledger.ledger.merkle import Appender, MemoryHashStore, consistency_proof, root_from_store
from openledger.ledger.note import Signer, generate_key
from openledger.witness.server import PUBLIC, Home, app, create_home


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_witness(directory: Path, name: str, logs: list[str], db_url: str | None = None) -> Home:
    """A witness home for ``logs`` (verifier keys), on ``db_url`` (default SQLite in it)."""
    home = create_home(directory, name)
    for key in logs:
        home.add_log(key)
    if db_url:
        text = home.config_path.read_text()
        home.config_path.write_text(text.replace("[database]\n", f'[database]\nurl = "{db_url}"\n', 1))
    return home


def cosigner_key(home: Home) -> str:
    return (home.path / PUBLIC).read_text().strip()


class ThreadWitness:
    """``app(witness)`` served by uvicorn on 127.0.0.1 in a thread of the test process."""

    def __init__(self, home: Home):
        import uvicorn

        self.home = home
        self.witness = home.witness()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        config = uvicorn.Config(app(self.witness), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the witness did not start")
            time.sleep(0.02)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.witness.engine.dispose()


class WitnessProcess:
    """``openledger witness serve`` in its own process, so that it can be killed -9."""

    def __init__(self, home: Home):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "openledger", "witness", "serve", str(self.home.path), "--port", str(self.port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "0/checkpoint", timeout=1)
            except urllib.error.HTTPError:
                return  # 404: it answers
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"the witness exited: {self.proc.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("the witness did not start in 30 s")
            time.sleep(0.05)

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.proc.stderr.close()

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()
        if self.proc is not None and self.proc.stderr and not self.proc.stderr.closed:
            self.proc.stderr.close()


@dataclass
class MemoryLog:
    """A log in memory: entries, stored hashes and a signing key; :meth:`fork` copies a prefix."""

    signer: Signer
    entries: list[bytes] = field(default_factory=list)
    store: MemoryHashStore = field(default_factory=MemoryHashStore)

    @classmethod
    def create(cls, origin: str = "example.com/log") -> MemoryLog:
        return cls(generate_key(origin))

    @property
    def origin(self) -> str:
        return self.signer.name

    @property
    def size(self) -> int:
        return len(self.entries)

    def append(self, count: int, tag: str = "a") -> MemoryLog:
        appender = Appender.resume(self.size, self.store)
        for _ in range(count):
            entry = f'{{"n":{self.size},"tag":"{tag}"}}'.encode()
            self.entries.append(entry)
            self.store.write_hashes(appender.append(entry))
        return self

    def fork(self, keep: int) -> MemoryLog:
        """Another log signed by the same key sharing the first ``keep`` entries."""
        other = MemoryLog(self.signer)
        appender = Appender()
        for entry in self.entries[:keep]:
            other.entries.append(entry)
            other.store.write_hashes(appender.append(entry))
        return other

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.origin, self.size, root_from_store(self.size, self.store))

    def signed(self) -> bytes:
        return sign_checkpoint(self.checkpoint(), self.signer)

    def proof(self, old: int) -> list[bytes]:
        return consistency_proof(old, self.size, self.store)

    def signed_at(self, size: int) -> bytes:
        """The signed checkpoint of this log's first ``size`` entries."""
        return sign_checkpoint(Checkpoint(self.origin, size, root_from_store(size, self.store)), self.signer)

    def proof_between(self, old: int, new: int) -> list[bytes]:
        return consistency_proof(old, new, self.store)


def publish(log: MemoryLog, directory: Path) -> Path:
    """Write ``log`` as a published tlog-tiles folder (checkpoint, verifier.key, tiles)."""
    from openledger.ledger.export import export_log

    export_log(directory, log.entries, log.size, log.store, log.signer)
    return directory


class StaticServer:
    """A static file server for one folder on 127.0.0.1, in a thread (a site on a static host); with
    ``requests``, a list, the path of every GET is appended to it."""

    def __init__(self, root: Path, requests: list[str] | None = None):
        import functools
        import http.server

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, format, *args) -> None:
                pass

            def do_GET(self) -> None:
                if requests is not None:
                    requests.append(self.path)
                super().do_GET()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class ThreadApp:
    """Any Starlette app (e.g. ``monitor serve``'s) served by uvicorn in a thread."""

    def __init__(self, application):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
