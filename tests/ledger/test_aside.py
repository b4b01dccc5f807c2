"""openledger.ledger.aside.Aside: work in a forked process, its result or its error handed back; never a silent pass."""

from __future__ import annotations

import os

import pytest

from openledger.errors import OpenLedgerError
from openledger.ledger.aside import Aside, forks
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
