"""Work done beside this process: :class:`Aside` runs a function in a forked process and hands back its result;
:class:`Standby` forks a process now that runs a function later, when asked; :func:`gc_paused` runs a block
without the cyclic garbage collector.

Here, in the lowest layer, so that the log's verification and the site's check (above it) share them.

The child inherits everything by ``fork`` (nothing is pickled but the result).
As :mod:`openledger.cases.process`'s workers do, it starts with every
inherited object frozen; its collector is off too, and it ends by
``os._exit`` (as multiprocessing's children do), so nothing it inherited is
ever collected or finalized there (no database connection is closed by it).
Unlike those workers, no full collection runs before the fork: it would cost
seconds on the heap of a large verification, and the child never collects.
It ignores SIGINT (Ctrl-C is the parent's) and dies on SIGTERM, which the
parent sends when it stops waiting for it. An error in the child is raised
again here: an :class:`~openledger.errors.OpenLedgerError` with the same
class and message, anything else as an OpenLedgerError naming it. A child
that ends without an answer is an error too: never a silent pass.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from openledger.errors import OpenLedgerError

T = TypeVar("T")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run a block that makes millions of small objects and no reference cycles without the cyclic
    garbage collector, whose full passes over a growing heap would otherwise take most of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def forks(jobs: int, amount: int, least: int) -> bool:
    """Whether work over ``amount`` items goes to a forked process, as ``--jobs`` says: never with ``jobs`` 1,
    where the system cannot ``fork`` or in a daemonic process (an :class:`Aside`'s child, which may not have
    children); always with 2 or more; with 0 (automatic) from ``least`` items, on a system with more than one
    core to run it on."""
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods() \
            or multiprocessing.current_process().daemon:
        return False
    return jobs > 1 or (amount >= least and (os.cpu_count() or 1) > 1)


#: the signals held while a child starts, until it has its own handlers
_HELD = {signal.SIGINT, signal.SIGTERM}
#: the work of the child being started (a global, so that the parent keeps no reference to it once forked)
_starting: Callable[..., Any] | None = None


def _answer(conn: Any, work: Callable[[], Any]) -> None:
    """Send what ``work()`` returns, or its error, through ``conn`` (to be raised again in the parent, same
    class and message)."""
    try:
        conn.send(("ok", work()))
    except OpenLedgerError as exc:
        conn.send(("raise", type(exc), str(exc)))
    except BaseException as exc:  # noqa: BLE001 (told to the parent, which raises it as an error)
        conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _no_answer(process: Any) -> tuple[str, str]:
    """The answer of a child that ended without one (once it has ended)."""
    process.join()
    return "error", f"the process ended without an answer (exit code {process.exitcode})"


def _returned(answer: tuple[Any, ...], what: str) -> Any:
    """What the child's ``answer`` (see :func:`_answer`) says the work returned; its error raised here."""
    if answer[0] == "raise":
        kind = answer[1] if isinstance(answer[1], type) and issubclass(answer[1], OpenLedgerError) \
            else OpenLedgerError
        raise kind(answer[2])
    if answer[0] != "ok":
        raise OpenLedgerError(f"{what} failed: {answer[1]}")
    return answer[1]


def _fork(target: Callable[[Any], None], work: Callable[..., Any], duplex: bool,
          daemon: bool) -> tuple[Any, Any]:
    """(this end of a pipe, the process) of ``target(the child's end)`` forked now, ``work`` in :data:`_starting`
    for it, every object of this process frozen for the collector and SIGINT and SIGTERM held until the
    child has its own handlers (:func:`_in_child`)."""
    global _starting
    context = multiprocessing.get_context("fork")
    conn, child = context.Pipe(duplex=duplex)
    _starting = work
    gc.freeze()
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        process = context.Process(target=target, args=(child,), daemon=daemon)
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        _starting = None
        gc.unfreeze()
        child.close()
    return conn, process


def _in_child() -> Callable[..., Any]:
    """Set a forked child up (see :func:`_fork`) and give its work."""
    gc.disable()  # and what it inherited is frozen: nothing of the parent's is ever collected here
    # not the parent's handlers (``openledger run`` stops after its round on SIGTERM): Ctrl-C is the parent's
    # to handle, and the parent ends a child it no longer waits for with SIGTERM
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held since the fork: one sent meanwhile arrives now
    work = _starting
    assert work is not None
    return work


def _run(conn: Any) -> None:
    work = _in_child()
    try:
        _answer(conn, work)
    finally:
        conn.close()


class Aside(Generic[T]):
    """``work()`` in a forked process started now (``fork=True``), or in this one when :meth:`result` asks.

    ``what`` names the work in the message of a child that fails other than by an OpenLedgerError.
    """

    def __init__(self, work: Callable[[], T], what: str, fork: bool = True) -> None:
        self.work: Callable[[], T] | None = work
        self.what = what
        self.process: Any = None
        self.answered = False
        if not fork:
            return
        self.conn, self.process = _fork(_run, work, duplex=False, daemon=True)
        self.work = None  # the child has it: what only it needs (the log's bytes, say) is freed here

    def ready(self) -> bool:
        """Whether the child has answered, so that :meth:`result` will not wait (False when there is no child)."""
        return self.process is not None and not self.answered and bool(self.conn.poll())

    def result(self) -> T:
        """What ``work()`` returned (waiting for the child), or the error it raised."""
        if self.process is None:
            assert self.work is not None
            return self.work()
        try:
            answer = self.conn.recv()
            self.answered = True
        except EOFError:
            self.answered = True
            answer = _no_answer(self.process)
        value: T = _returned(answer, self.what)
        return value

    def close(self) -> None:
        """Wait for the child to end, or end it when its answer was not waited for (this process failed)."""
        if self.process is not None:
            if not self.answered:
                self.process.terminate()
            self.process.join()
            self.conn.close()
            self.process = None


def _stand_by(conn: Any) -> None:
    work = _in_child()
    try:
        asked = conn.recv()
        if asked[0] == "prepare":  # the work's first part now, its error kept for when the work is asked for
            gc.enable()  # new work: its own objects are collected as in any process (the inherited stay frozen)
            prepared = _prepared(work, asked[1])
            asked = conn.recv()
        else:
            prepared = None
    except EOFError:  # never asked: the parent ended or closed it
        return
    if asked[0] != "run":  # ("stop",): not needed after all
        return
    gc.enable()

    def told(stage: str, done: int, total: int | None) -> None:
        conn.send(("progress", stage, done, total))

    try:
        _answer(conn, lambda: work(asked[1], told) if prepared is None else work(asked[1], told, prepared()))
    finally:
        conn.close()


def _prepared(work: Any, argument: Any) -> Callable[[], Any]:
    """``work.prepare(argument)`` done now: a function giving what it returned, or raising what it raised."""
    try:
        made = work.prepare(argument)
    except BaseException as exc:  # noqa: BLE001 (said when the work is asked for, as the work's own error)
        failure = exc

        def failed() -> Any:
            raise failure
        return failed
    return lambda: made


class Standby(Generic[T]):
    """A process forked now, while this one is small, that runs ``work(argument, progress)`` once when
    :meth:`run` asks, later: what it does then (and what it forks) starts from this process as it is now,
    not from all that this process holds by then. ``progress(stage, done, total)`` calls in the child are
    told to :meth:`run`'s ``progress`` here. Errors come back as :class:`Aside`'s do.

    The ``openledger build`` of a large site forks one before it seals and derives: its verification of the
    staged site, and the processes that verification forks, then hold only what they make themselves.
    Where the system cannot ``fork``, :meth:`run` runs the work in this process.

    A ``work`` with a ``prepare(argument)`` method may be told to :meth:`prepare` first, without waiting: the
    child does that part at once, while this process goes on, and :meth:`run` then calls
    ``work(argument, progress, prepared)`` with what it returned (its error is :meth:`run`'s).
    """

    def __init__(self, work: Callable[[Any, Any], T], what: str) -> None:
        self.what = what
        self.work: Callable[..., T] | None = None
        self.process: Any = None
        self._preparing: tuple[Any] | None = None  # where the work runs here: what to prepare it with
        self._running = False  # told to work and not answered yet: closing stops it at once
        if "fork" not in multiprocessing.get_all_start_methods():
            self.work = work
            return
        # not a daemon: the work forks processes of its own (an :class:`Aside`), which a daemon may not
        self.conn, self.process = _fork(_stand_by, work, duplex=True, daemon=False)

    def prepare(self, argument: Any) -> None:
        """Have the standing-by process start ``work.prepare(argument)`` now (see the class docstring)."""
        if self.work is not None:
            self._preparing = (argument,)
            return
        if self.process is not None:
            self.conn.send(("prepare", argument))
            self._running = True

    def start(self, argument: Any) -> Callable[[Callable[[str, int, int | None], None] | None], T]:
        """Start ``work(argument, ...)`` in the standing-by process and return at once: the function returned
        waits for it, tells its ``progress`` what the work told meanwhile, and returns what :meth:`run` would
        (or raises its error). So this process can do other work meanwhile (where the system cannot fork,
        the work is done here, now)."""
        told: list[tuple[Any, ...]] = []
        if self.process is None:
            try:
                value = self.run(argument, lambda *step: told.append(step))
                answer: tuple[Any, ...] = ("ok", value)
            except OpenLedgerError as exc:
                answer = ("raise", type(exc), str(exc))
            return functools.partial(self._told, told, [answer])
        self.conn.send(("run", argument))
        self._running = True
        answers: list[tuple[Any, ...]] = []
        process = self.process

        def drain() -> None:  # read as they come, so the work never waits on a full pipe
            try:
                while (answer := self.conn.recv())[0] == "progress":
                    told.append(answer[1:])
            except (EOFError, OSError):
                answer = _no_answer(process)
            answers.append(answer)

        reader = threading.Thread(target=drain, name=f"{self.what}: answers", daemon=True)
        reader.start()

        def wait(progress: Callable[[str, int, int | None], None] | None = None) -> T:
            reader.join()
            self._running = False
            self.close()
            return self._told(told, answers, progress)
        return wait

    def _told(self, told: list[tuple[Any, ...]], answers: list[tuple[Any, ...]],
              progress: Callable[[str, int, int | None], None] | None = None) -> T:
        for step in told if progress is not None else ():
            progress(*step)  # type: ignore[misc]
        value: T = _returned(answers[0], self.what)
        return value

    def run(self, argument: Any, progress: Callable[[str, int, int | None], None] | None = None) -> T:
        """``work(argument, progress)`` in the standing-by process: what it returns, or its error."""
        if self.work is not None:
            work, self.work = self.work, None
            if self._preparing is not None:
                return work(argument, progress, work.prepare(*self._preparing))  # type: ignore[attr-defined]
            return work(argument, progress)
        if self.process is None:
            raise OpenLedgerError(f"{self.what}: already used")
        try:
            self.conn.send(("run", argument))
            self._running = True
            while True:
                answer = self.conn.recv()
                if answer[0] != "progress":
                    self._running = False
                    break
                if progress is not None:
                    progress(*answer[1:])
        except (EOFError, OSError):
            answer = _no_answer(self.process)
        finally:
            self.close()
        value: T = _returned(answer, self.what)
        return value

    def close(self) -> None:
        """End the process (unused, it just ends; working, it is stopped)."""
        if self.process is not None:
            process, self.process = self.process, None
            try:
                self.conn.send(("stop",))
            except OSError:
                pass
            if self._running:  # this process stopped waiting for it (an error): nothing is to come of it
                process.terminate()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
            self.conn.close()

    def __enter__(self) -> Standby[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
