"""Progress on the terminal for long work (``rich``), silent or plain lines otherwise.

- :func:`counter`: a live count of records for a command whose total is
  unknown (``ingest``, ``process``); nothing when standard error is not a
  terminal;
- :func:`step`: a named step with a bar, and afterwards one line with the
  count and the time taken (the demo's steps).

Services take a plain ``progress(n)`` callback, so they never depend on how
progress is shown.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


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
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        columns = (
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            current = Step(bar, bar.add_task(label, total=total))
            yield current
    else:
        print(f"{label} ...", file=sys.stderr, flush=True)
        current = Step()
        yield current
    elapsed = time.perf_counter() - started
    count = f" {current.done:,} {unit}" if current.done else ""
    print(f"{label}: done{count} in {elapsed:.1f} s", file=sys.stderr, flush=True)


@contextmanager
def counter(label: str) -> Iterator[Callable[[int], None] | None]:
    """A live record counter on a terminal; ``None`` (no callback) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} records"),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)
