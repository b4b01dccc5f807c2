"""Progress on the terminal for long work (``rich``), silent or plain lines otherwise.

- :func:`counter`: a live count of records with their rate; with a known
  total also a bar, the percentage and the time remaining (``process``);
  nothing when standard error is not a terminal;
- :func:`stages`: one such row for each named stage of a longer piece of
  work (``ingest``, ``build``, ``verify``, ``export-log``, ``audit``,
  ``run``): the service reports ``progress(stage, n, total)``; nothing when
  standard error is not a terminal;
- :func:`step`: a named step with a bar, and afterwards one line with the
  count and the time taken (the demo's steps).

Every row shows the count so far and the rate (records, entries, ... per
second); a row whose total is known shows a bar, the percentage and the time
remaining (ETA); one whose total is unknown the time elapsed.

Services take a plain ``progress(n)`` callback, or a :data:`Staged` one
``progress(stage, n, total)`` for work in named stages (with
:func:`counted` to report an iteration), so they never depend on how
progress is shown: nothing here imports ``rich`` until a terminal shows it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

#: ``progress(stage, n, total)``: ``n`` more done in the named ``stage``, of ``total`` (None: unknown)
Staged = Callable[[str, int, int | None], None]


def counted(items: Iterable[T], progress: Staged | None, stage: str, total: int | None = None,
            every: int = 1000) -> Iterator[T]:
    """``items`` as they are, reporting ``progress(stage, n, total)`` every ``every`` items and at the end."""
    if progress is None:
        yield from items
        return
    progress(stage, 0, total)
    pending = 0
    for item in items:
        yield item
        pending += 1
        if pending == every:
            progress(stage, pending, total)
            pending = 0
    if pending:
        progress(stage, pending, total)


def within(progress: Staged | None, prefix: str) -> Staged | None:
    """``progress`` with ``prefix`` before each stage's name (a part of a larger piece of work)."""
    if progress is None:
        return None
    report = progress
    return lambda stage, n, total: report(f"{prefix}{stage}", n, total)


def _console() -> Any:
    """A rich Console on standard error when it is a terminal, else None (tests replace this)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    return Console(stderr=True)


def _rate(task: Any) -> float | None:
    """Per second: rich's recent rate, else (a single report so far) the mean rate up to the end or now."""
    speed = task.finished_speed or task.speed
    elapsed = task.finished_time if task.finished else task.elapsed
    if speed is None and elapsed and task.completed:
        speed = task.completed / elapsed
    return speed


def _columns() -> tuple:
    """Spinner, label, bar and percentage (known total), count, rate, time elapsed or remaining."""
    from rich.progress import (
        BarColumn,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Known(ProgressColumn):
        """A column shown only when the task's total is known."""

        def __init__(self, inner: ProgressColumn) -> None:
            self.inner = inner
            super().__init__()

        def render(self, task: Any) -> Any:
            return Text("") if task.total is None else self.inner.render(task)

    class Count(ProgressColumn):
        def render(self, task: Any) -> Text:
            unit = task.fields.get("unit", "records")
            of = "" if task.total is None else f"/{int(task.total):,}"
            return Text(f"{int(task.completed):,}{of} {unit}", style="progress.download")

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            unit = task.fields.get("unit", "records")
            speed = _rate(task)
            shown = "?" if speed is None else f"{speed:,.1f}" if speed < 10 else f"{speed:,.0f}"
            return Text(f"{shown} {unit}/s", style="progress.data.speed")

    class Remaining(TimeRemainingColumn):
        """``eta H:MM:SS`` with a known total (from the mean rate until rich has its own estimate), else
        ``elapsed H:MM:SS``."""

        def render(self, task: Any) -> Text:
            if task.total is None:
                return Text("elapsed ", style="progress.elapsed") + TimeElapsedColumn().render(task)
            shown = super().render(task)
            speed = _rate(task)
            if task.time_remaining is None and speed:
                left = int(max(task.total - task.completed, 0) / speed)
                shown = Text(f"{left // 3600:d}:{left // 60 % 60:02d}:{left % 60:02d}", style="progress.remaining")
            return Text("eta ", style="progress.remaining") + shown

    return (SpinnerColumn(), TextColumn("{task.description}"), Known(BarColumn()),
            Known(TextColumn("{task.percentage:>3.0f}%")), Count(), Rate(), Remaining())


@contextmanager
def _bars(console: Any) -> Iterator[Any]:
    from rich.progress import Progress

    with Progress(*_columns(), console=console, transient=True) as bar:
        yield bar


class Step:
    """One running step: ``advance(n)``, ``total(n)``, and the count so far."""

    def __init__(self, bar=None, task=None):
        self.bar, self.task, self.done = bar, task, 0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def total(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, total=n)


@contextmanager
def step(label: str, total: int | None = None, unit: str = "records") -> Iterator[Step]:
    """Show ``label`` while the block runs; afterwards one line with the count and time on stderr."""
    started = time.perf_counter()
    console = _console()
    if console is not None:
        with _bars(console) as bar:
            current = Step(bar, bar.add_task(label, total=total, unit=unit))
            yield current
    else:
        print(f"{label} ...", file=sys.stderr, flush=True)
        current = Step()
        yield current
    elapsed = time.perf_counter() - started
    count = f" {current.done:,} {unit}" if current.done else ""
    print(f"{label}: done{count} in {elapsed:.1f} s", file=sys.stderr, flush=True)


@contextmanager
def counter(label: str, total: int | None = None, unit: str = "records") -> Iterator[Callable[[int], None] | None]:
    """A live count of ``unit`` (with a bar and ETA when ``total`` is known) on a terminal; ``None`` (no
    callback) otherwise."""
    console = _console()
    if console is None:
        yield None
        return
    with _bars(console) as bar:
        task = bar.add_task(label, total=total, unit=unit)
        yield lambda n: bar.advance(task, n)


@contextmanager
def stages(label: str, units: dict[str, str] | None = None) -> Iterator[Staged | None]:
    """A :data:`Staged` callback showing one row per stage (``label: stage``) on a terminal; ``None``
    otherwise. ``units`` names what a stage counts (default: the first word of the stage's name after any
    prefix, "entries" for "verify: entries checked")."""
    console = _console()
    if console is None:
        yield None
        return
    with _bars(console) as bar:
        tasks: dict[str, Any] = {}
        open_ended: set[Any] = set()

        def progress(stage: str, n: int, total: int | None = None) -> None:
            if stage not in tasks:
                for task in open_ended:  # a stage of unknown length ends when the next begins
                    bar.stop_task(task)
                open_ended.clear()
                unit = (units or {}).get(stage) or (stage.rpartition(": ")[2].split() or ["records"])[0]
                tasks[stage] = bar.add_task(f"{label}: {stage}", total=total, unit=unit)
                if total is None:
                    open_ended.add(tasks[stage])
            elif total is not None:
                open_ended.discard(tasks[stage])
                bar.update(tasks[stage], total=total)
            if n:
                bar.advance(tasks[stage], n)

        yield progress
