"""A ``case_opened`` hook that fails on the second case (a help desk that is down), until it is fixed."""

from openledger import hookimpl

#: (case id, event id) of every call that returned
DELIVERED: list[tuple[int, int]] = []
BROKEN = {"on": True}


@hookimpl
def case_opened(case, event):
    if BROKEN["on"] and len(DELIVERED) == 1:
        raise ConnectionError("help desk unreachable")
    DELIVERED.append((case.id, event["id"]))
