"""``openledger run``: keep the public site following the log.

Each round runs the steps in order, timing each:

1. ``poll``: every enabled poller of the config, once (see
   :mod:`openledger.intake.polling`); a poller that fails is reported and the
   round goes on with what the others stored;
2. ``process``: classify and draft for the new cases;
3. ``build``, ``verify``, ``publish``: :func:`openledger.service.publish.publish`.

A step that fails ends the round with one line naming the step; the
published site stays the last good one. Every round writes
``HOME/run/status.json`` (the time, each step's outcome and duration, when
the site was last published): what a monitor reads. Only one ``run`` works
on a home at a time (a lock on ``HOME/run/lock``).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

from openledger.cases.process import process_cases
from openledger.cases.queries import unprocessed_count
from openledger.errors import OpenLedgerError
from openledger.instance import Instance
from openledger.intake.polling import poll, select
from openledger.progress import Staged
from openledger.service.publish import publish, run_dir
from openledger.timeutil import now

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")


def parse_interval(text: str) -> float:
    """Seconds in ``15m``, ``1h30m``, ``90s``, ``2h`` or ``900`` (seconds); at least 1 second."""
    value = text.strip().lower()
    pos, total = 0, 0.0
    for match in _INTERVAL.finditer(value):
        if match.start() != pos or (not match.group(2) and match.end() != len(value)):
            break
        total += float(match.group(1)) * _UNITS[match.group(2) or "s"]
        pos = match.end()
    if not value or pos != len(value) or total < 1:
        raise ValueError(f"not an interval: {text!r} (e.g. 15m, 1h, 90s)")
    return total


@dataclass
class StepOutcome:
    name: str
    ok: bool
    seconds: float
    line: str


@dataclass
class Round:
    """One round of ``run``: its steps, and whether the site was published."""

    started_at: str
    steps: list[StepOutcome] = field(default_factory=list)
    published: bool = False
    failed_step: str | None = None

    @property
    def ok(self) -> bool:
        return self.published and all(s.ok for s in self.steps)

    def line(self) -> str:
        total = sum(s.seconds for s in self.steps)
        timings = ", ".join(f"{s.name} {s.seconds:.1f} s" for s in self.steps)
        if self.failed_step is not None:
            failed = next(s for s in self.steps if s.name == self.failed_step)
            return f"round failed at {self.failed_step} ({failed.line}); kept the last good site [{timings}]"
        warnings = [s for s in self.steps if not s.ok]
        head = "published" if not warnings else f"published with {len(warnings)} step(s) failing"
        return f"{head} in {total:.1f} s [{timings}]"


def write_status(instance: Instance, round_: Round, out: Path) -> None:
    """``HOME/run/status.json``: this round, and the last successful publication (kept across rounds)."""
    path = run_dir(instance) / "status.json"
    previous: dict = {}
    if path.is_file():
        try:
            previous = json.loads(path.read_text("utf-8"))
        except (ValueError, OSError):
            previous = {}
    status = {
        "site": str(out),
        "round": {"started_at": round_.started_at, "finished_at": now().isoformat(), "ok": round_.ok,
                  "failed_step": round_.failed_step, "steps": [asdict(s) for s in round_.steps]},
        "last_published_at": now().isoformat() if round_.published else previous.get("last_published_at"),
        "pid": os.getpid(),
    }
    temporary = path.with_name(".status.json.tmp")
    temporary.write_text(json.dumps(status, indent=2) + "\n", "utf-8")
    os.replace(temporary, path)


_STEPS = ("poll", "process", "build", "verify", "publish")


def run_round(instance: Instance, out: Path, *, echo: Callable[[str], None] = print,
              progress: Staged | None = None) -> Round:
    """One round: poll, process, build, verify, publish (see the module docstring); ``progress`` is told of
    the cases processed and the stages of the build and the verification."""
    round_ = Round(started_at=now().isoformat())
    current, started = _STEPS[0], time.perf_counter()

    def record(name: str, ok: bool, line: str) -> None:
        nonlocal current, started
        seconds = time.perf_counter() - started
        round_.steps.append(StepOutcome(name, ok, seconds, line))
        echo(f"{name}: {line} ({seconds:.1f} s)" if ok else f"{name}: FAILED: {line} ({seconds:.1f} s)")
        current = _STEPS[min(_STEPS.index(name) + 1, len(_STEPS) - 1)]
        started = time.perf_counter()

    try:
        store, config = instance.store, instance.config
        reports = [poll(store, config, item) for item in select(config, None)]
        for report in reports:
            echo(f"  {report.line()}")
        failing = [r for r in reports if not r.ok]
        summary = (f"{len(reports)} poller(s), {sum(r.messages for r in reports)} messages, "
                   f"{sum(r.cases for r in reports)} new cases") if reports else "no poller configured"
        if failing:
            summary += f"; {len(failing)} failed: " + "; ".join(f"{r.name}: {r.error}" for r in failing)
        record("poll", not failing, summary)
        processed = process_cases(store, config, jobs=0,  # a worker process per core
                                  progress=_cases_processed(store, progress))
        record("process", True, f"{processed.cases} cases: {processed.drafted} replies drafted, "
                                f"{processed.escalated} escalated")
        publish(instance, out, on_step=lambda name, _seconds, line: record(name, True, line), progress=progress)
        round_.published = True
    except Exception as exc:  # noqa: BLE001 (a refusal, a bug or a database gone: one line; the next round tries again)
        line = str(exc) if isinstance(exc, OpenLedgerError) else f"{type(exc).__name__}: {exc}"
        round_.failed_step = current
        record(round_.failed_step, False, (line.splitlines() or [round_.failed_step])[0])
    write_status(instance, round_, out)
    return round_


def _cases_processed(store, progress: Staged | None) -> Callable[[int], None] | None:
    """A ``progress(n)`` for :func:`process_cases` reporting the stage "cases processed" of those waiting."""
    if progress is None:
        return None
    with store.engine.connect() as conn:
        total = unprocessed_count(conn)
    report = progress
    return lambda n: report("cases processed", n, total)


@contextmanager
def exclusive(instance: Instance) -> Iterator[None]:
    """Hold ``HOME/run/lock``; another ``run`` on the same home is refused with one line."""
    path = run_dir(instance) / "lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise OpenLedgerError(f"another 'openledger run' works on this home (pid {holder})", path=path) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_forever(instance: Instance, out: Path, every: float, *, echo: Callable[[str], None] = print,
                progress: Callable[[], AbstractContextManager[Staged | None]] | None = None) -> int:
    """Run rounds every ``every`` seconds (from the start of one to the next) until SIGTERM or SIGINT.

    A signal lets the running round finish; the wait between rounds ends at
    once. Returns the number of rounds run. ``progress()``, if given, opens
    the progress callback of each round (see :func:`run_round`).
    """
    stop = threading.Event()

    def request_stop(signum, _frame) -> None:
        echo(f"stopping after this round ({signal.Signals(signum).name})")
        stop.set()

    handlers = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    rounds = 0
    try:
        while not stop.is_set():
            began = time.monotonic()
            with progress() if progress is not None else nullcontext() as shown:
                outcome = run_round(instance, out, echo=echo, progress=shown)
            echo(outcome.line())
            rounds += 1
            stop.wait(max(0.0, every - (time.monotonic() - began)))
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    return rounds
