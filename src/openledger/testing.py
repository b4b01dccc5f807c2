"""Test helpers for openledger and its plugin authors.

Make an instance in a temporary folder, run CLI commands against it and read
its cases, without installing anything::

    from openledger.testing import make_instance

    def test_my_source(tmp_path):
        inst = make_instance(tmp_path / "home")
        inst.run("ingest", "mysource", "tests/data/export.json")
        assert inst.count("cases") == 3

``inst.run`` invokes the real CLI in-process and asserts the exit status
(``expect=0`` by default); it returns click's ``Result`` (``.output``,
``.stdout``, ``.stderr``, ``.exit_code``). The pytest fixture ``ol_instance``
(registered when this module is used as a pytest plugin with
``pytest_plugins = ["openledger.testing"]``) gives an instance on SQLite.

:class:`ReplayServer` serves recorded HTTP answers in order on a local port,
to test a poller against a service's real answers (pagination, 429 with
``Retry-After``, 5xx) without the network.

A plugin's tests load only the plugins they name, whatever else is installed
(and whether or not the plugin itself is pip-installed yet), with
:func:`plugin_manager` or the ``ol_plugins`` fixture::

    import openledger_letters
    from openledger.testing import plugin_manager

    def test_letters(ol_instance):
        with plugin_manager(only=[openledger_letters]):
            ol_instance.run("ingest", "letters", "tests/data/letters")

    def test_letters_again(ol_instance, ol_plugins):
        ol_plugins(openledger_letters)      # until the test ends
        ol_instance.run("ingest", "letters", "tests/data/letters")
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pluggy
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from openledger import plugins


def command():
    """The installed ``openledger`` command (its console-script entry point), to run in-process."""
    found = entry_points(group="console_scripts", name="openledger")
    if not found:
        raise RuntimeError("openledger is not installed (no 'openledger' console script); pip install it first")
    return next(iter(found)).load()


@dataclass
class InstanceRunner:
    """An openledger instance for tests: its home, database URL and a runner of the command line."""

    home: Path
    db_url: str
    runner: CliRunner = field(default_factory=CliRunner)
    _engine: sa.Engine | None = None

    def run(self, *args: str, expect: int | None = 0, input: str | None = None) -> Result:
        """Run ``openledger --home HOME --db URL ARGS...``; check the exit status."""
        main = command()

        argv = ["--home", str(self.home), "--db", self.db_url, *[str(a) for a in args]]
        result = self.runner.invoke(main, argv, input=input, catch_exceptions=True)
        if expect is not None and result.exit_code != expect:
            detail = result.output
            if result.exception and not isinstance(result.exception, SystemExit):
                import traceback

                detail += "".join(traceback.format_exception(result.exception))
            raise AssertionError(
                f"openledger {shlex.join(argv)} exited {result.exit_code}, expected {expect}:\n{detail}"
            )
        return result

    def json(self, *args: str):
        """Run a command that prints JSON and return the parsed value."""
        return json.loads(self.run(*args).stdout)

    @property
    def engine(self) -> sa.Engine:
        if self._engine is None:
            self._engine = sa.create_engine(self.db_url)
        return self._engine

    def count(self, table: str, where: str = "") -> int:
        """Rows in ``table`` (``cases``, ``messages``, ``events``), optionally filtered."""
        sql = f"select count(*) from {table}" + (f" where {where}" if where else "")
        with self.engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar_one()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


#: publication settings for tests of the mechanics: publish every case at the next seal
#: (k = 1, no settling delay); tests of the anonymity guarantee set their own
PUBLISH_AT_ONCE = {"k": 1, "settle": "0d"}


def make_instance(home: Path, db_url: str | None = None, name: str = "Test Company",
                  site: Mapping[str, Any] | None = None) -> InstanceRunner:
    """Create an instance with ``openledger init`` in ``home`` (SQLite inside it by default).

    ``site`` becomes the ``[site]`` table of its configuration, e.g.
    :data:`PUBLISH_AT_ONCE` or ``{"k": 10, "summaries": True}``.
    """
    url = db_url or f"sqlite:///{Path(home).resolve() / 'openledger.db'}"
    inst = InstanceRunner(home=Path(home), db_url=url)
    inst.run("init", "--name", name)
    if site:
        lines = [f"{key} = {json.dumps(value)}" for key, value in site.items()]
        with (Path(home) / "openledger.toml").open("a", encoding="utf-8") as config:
            config.write("\n[site]\n" + "\n".join(lines) + "\n")
    return inst


@pytest.fixture
def ol_instance(tmp_path) -> Iterator[InstanceRunner]:
    """An openledger instance on SQLite in a temporary folder."""
    inst = make_instance(tmp_path / "openledger-home")
    yield inst
    inst.close()


# --- a recorded HTTP service, for testing pollers ------------------------------------


@dataclass
class Recorded:
    """One recorded HTTP answer: status, body, headers (``Retry-After``, ``Link``...)."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, value, status: int = 200, **headers: str) -> Recorded:
        return cls(status, json.dumps(value).encode("utf-8"), {"Content-Type": "application/json", **headers})


class ReplayServer:
    """A local HTTP server that answers a poller's requests with recorded answers, in order.

    ``script`` is a list of ``(expected request, answer)``: the expected
    request is a path with its query (``/api/v2/x.json?cursor=abc``; the
    query compared as a set of parameters, in any order). A request that is
    not the next expected one is answered 599 and listed in ``unexpected``;
    ``requests`` keeps every request's path and headers. Use it as a context
    manager; ``url`` is its base URL::

        with ReplayServer([("/api/v1/x?limit=40", Recorded.json([...]))]) as api:
            run_my_poller(url=api.url)
            assert api.done
    """

    def __init__(self, script: list[tuple[str, Recorded]]):
        import http.server
        import threading

        self.script = list(script)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.unexpected: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                if server.script and _same_request(server.script[0][0], self.path):
                    answer = server.script.pop(0)[1]
                else:
                    server.unexpected.append(self.path)
                    answer = Recorded(599, f"unexpected request {self.path}".encode())
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format, *args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def done(self) -> bool:
        """Every scripted answer was given, and nothing else was asked."""
        return not self.script and not self.unexpected

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def _same_request(expected: str, path: str) -> bool:
    from urllib.parse import parse_qsl, urlsplit

    want, got = urlsplit(expected), urlsplit(path)
    return want.path == got.path and sorted(parse_qsl(want.query)) == sorted(parse_qsl(got.query))
@contextmanager
def plugin_manager(only: Iterable[str | object] = ()) -> Iterator[pluggy.PluginManager]:
    """Within the block, every command sees the built-ins and only the plugins in ``only``.

    ``only`` gives plugin objects (a plugin's module, or any object with
    ``openledger.hookimpl`` functions), registered as they are (named by
    their entry point when they are installed), or names of installed
    plugins (entry-point names), loaded from their entry points. Nothing else
    installed is loaded, so a plugin's tests do not depend on what else is in
    the environment, and registering a plugin that is also pip-installed
    does not clash with its installed copy. The load-time checks run as for
    the real command: a broken plugin is reported by the commands, one line
    each. Yields the pluggy manager; the previous plugins come back after.
    """
    with plugins.using(plugins.build(list(only))) as loaded:
        yield loaded.pm


@pytest.fixture
def ol_plugins() -> Iterator[Callable[..., pluggy.PluginManager]]:
    """``ol_plugins(*only)``: :func:`plugin_manager` until the end of the test; returns the manager."""
    with ExitStack() as stack:
        yield lambda *only: stack.enter_context(plugin_manager(only))
