"""openledger.ledger.aside.Aside: work in a forked process, its result or its error handed back; never a silent pass."""

from __future__ import annotations

import os
import time

import pytest

from openledger.errors import OpenLedgerError
from openledger.ledger.aside import Aside, Standby, forks
from openledger.ledger.errors import VerificationError

pytestmark = pytest.mark.skipif(not forks(0, 1, 1), reason="needs fork and two cores")  # what --jobs 0 forks on


def test_the_result_comes_back_the_same_forked_or_not():
    data = {"rows": list(range(1000))}
    for fork in (True, False):
        aside = Aside(lambda: sum(data["rows"]), "summing", fork=fork)
        assert aside.result() == 499500
        aside.close()


def _raises(error: Exception):
    def work():
        raise error
    return work


def test_an_error_of_the_work_is_raised_again_with_its_class_and_message():
    aside = Aside(_raises(VerificationError("hash 3 is not the leaf hash of entry 3", path="tile/0/000")), "checking")
    with pytest.raises(VerificationError, match=r"^tile/0/000: hash 3 is not the leaf hash of entry 3$"):
        aside.result()
    aside.close()
    aside = Aside(_raises(ValueError("bad")), "checking")
    with pytest.raises(OpenLedgerError, match=r"^checking failed: ValueError: bad$"):
        aside.result()
    aside.close()


def test_a_child_does_its_own_work_in_itself():
    """An Aside's child is a daemonic process, which may not have children: there, ``forks`` says no even to
    ``--jobs 2``, and an Aside it starts does its work in the child itself."""
    def nested():
        inner = Aside(lambda: os.getpid(), "inner", fork=forks(2, 10, 1))
        try:
            return forks(2, 10, 1), inner.result() == os.getpid()
        finally:
            inner.close()
    aside = Aside(nested, "outer")
    assert aside.result() == (False, True)
    aside.close()
    assert forks(2, 10, 1)


def test_a_child_that_ends_without_an_answer_is_an_error():
    aside = Aside(lambda: os._exit(3), "checking")
    with pytest.raises(OpenLedgerError, match=r"checking failed: the process ended without an answer \(exit code 3\)"):
        aside.result()
    aside.close()


def test_closing_without_waiting_ends_the_child_at_once():
    import time

    start = time.perf_counter()
    aside = Aside(lambda: time.sleep(60), "sleeping")
    aside.close()
    assert time.perf_counter() - start < 10 and aside.process is None


def test_a_child_does_not_keep_the_parents_signal_handlers():
    import signal
    import time

    seen = []
    old = signal.signal(signal.SIGTERM, lambda *a: seen.append("handled"))
    try:
        start = time.perf_counter()
        aside = Aside(lambda: time.sleep(60), "sleeping")
        aside.close()  # ends it with SIGTERM: the parent's handler would let it sleep on
        assert time.perf_counter() - start < 10 and seen == []
    finally:
        signal.signal(signal.SIGTERM, old)


def _resident_mib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


def _measured(argument, progress):
    """Work of a standby: tell progress, fork an Aside of its own (as the site's check does), say how much
    is resident here."""
    for done in range(3):
        progress("steps", done + 1, 3)
    nested = Aside(lambda: argument * 2, "doubling")
    try:
        doubled = nested.result()
    finally:
        nested.close()
    return doubled, _resident_mib()


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads the resident size from /proc")
def test_a_standby_works_later_from_what_this_process_held_when_it_was_forked():
    """Forked while this process is small, a standby runs its work later without what this process made
    since (a build's 2 GB would otherwise be counted again in its verification and in what that forks);
    its progress is told here, and it may fork processes of its own."""
    told = []
    with Standby(_measured, "measuring") as standby:
        made_since = bytearray(300 * 2**20)  # 300 MiB, touched: resident here, not in the standby
        made_since[::4096] = b"x" * len(made_since[::4096])
        here = _resident_mib()
        doubled, there = standby.run(21, lambda *step: told.append(step))
    assert doubled == 42 and told == [("steps", 1, 3), ("steps", 2, 3), ("steps", 3, 3)]
    assert here - there > 250, (here, there)
    assert standby.process is None
    del made_since


def test_a_standby_says_its_error_and_ends_when_not_used():
    with Standby(lambda argument, progress: _raises(VerificationError("differs", path="index.html"))(), "checking") \
            as standby:
        with pytest.raises(VerificationError, match=r"^index.html: differs$"):
            standby.run(None)
    with pytest.raises(OpenLedgerError, match="checking: already used"):
        standby.run(None)
    unused = Standby(lambda argument, progress: None, "waiting")
    process = unused.process
    unused.close()
    assert not process.is_alive() and process.exitcode == 0
    crashing = Standby(lambda argument, progress: os._exit(4), "crashing")
    with pytest.raises(OpenLedgerError, match=r"crashing failed: the process ended without an answer \(exit code 4\)"):
        crashing.run(None)


def test_a_standby_works_here_where_the_system_cannot_fork(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    told = []
    with Standby(lambda argument, progress: (progress("steps", 1, 1), os.getpid() + argument)[1], "here") as standby:
        assert standby.process is None
        assert standby.run(0, lambda *step: told.append(step)) == os.getpid()
    assert told == [("steps", 1, 1)]
    with pytest.raises(OpenLedgerError, match="here: already used"):
        standby.run(0)


class _Prepared:
    """A standby's work in two parts: ``prepare`` (told early, done while the parent goes on), then the work."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def prepare(self, argument):
        if self.fail:
            raise VerificationError("cannot prepare", path="db")
        if argument == "slow":
            time.sleep(60)
        return os.getpid(), argument, time.monotonic()

    def __call__(self, argument, progress, prepared):
        return prepared, argument, os.getpid(), time.monotonic()


def test_a_standby_prepares_while_this_process_goes_on_and_says_a_failure_when_asked():
    with Standby(_Prepared(), "preparing") as standby:
        standby.prepare("early")
        time.sleep(0.3)  # this process's own work meanwhile
        asked = time.monotonic()
        (pid, argument, prepared_at), later, there, worked_at = standby.run("later")
    assert (argument, later) == ("early", "later") and pid == there != os.getpid()
    assert prepared_at < asked <= worked_at  # prepared before it was asked for the work
    with Standby(_Prepared(fail=True), "preparing") as failing:
        failing.prepare(None)
        with pytest.raises(VerificationError, match=r"^db: cannot prepare$"):
            failing.run(None)
    slow = Standby(_Prepared(), "preparing")
    slow.prepare("slow")  # the build failed meanwhile: closing stops it at once, not after the usual grace
    began = time.monotonic()
    slow.close()
    assert time.monotonic() - began < 3


def test_a_standby_that_cannot_fork_prepares_when_asked_for_the_work(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with Standby(_Prepared(), "here") as standby:
        standby.prepare("early")
        (pid, argument, prepared_at), later, there, worked_at = standby.run("later")
    assert pid == there == os.getpid() and (argument, later) == ("early", "later")


def _slow(argument, progress):
    for done in range(argument):
        progress("steps", done + 1, argument)
    if argument == 0:
        time.sleep(60)
    if argument < 0:
        raise VerificationError("differs", path="index.html")
    return os.getpid()


def test_a_started_standby_works_while_this_process_goes_on_and_tells_its_progress_when_waited_for():
    told: list[tuple] = []
    with Standby(_slow, "working") as standby:
        wait = standby.start(5000)  # more progress than a pipe holds: read as it comes, never a stall
        mine = sum(range(100_000))  # this process's own work meanwhile
        assert wait(lambda *step: told.append(step)) != os.getpid() and mine
    assert told[-1] == ("steps", 5000, 5000) and len(told) == 5000
    with Standby(_slow, "checking") as failing:
        wait = failing.start(-1)
        with pytest.raises(VerificationError, match=r"^index.html: differs$"):
            wait(None)
    stuck = Standby(_slow, "stuck")
    stuck.start(0)  # never waited for: closing stops it at once, not after the usual grace
    began = time.monotonic()
    stuck.close()
    assert time.monotonic() - began < 3


def test_a_standby_that_cannot_fork_works_when_started(monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    told: list[tuple] = []
    with Standby(_slow, "here") as standby:
        wait = standby.start(2)
        assert wait(lambda *step: told.append(step)) == os.getpid()
    assert told == [("steps", 1, 2), ("steps", 2, 2)]
    with Standby(_slow, "here") as failing:
        wait = failing.start(-1)
        with pytest.raises(VerificationError, match="differs"):
            wait(None)
