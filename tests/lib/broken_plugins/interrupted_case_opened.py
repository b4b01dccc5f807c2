"""A ``case_opened`` hook during which the command is stopped (Ctrl-C, or a crash) the first time."""

from openledger import hookimpl

DELIVERED: list[int] = []
INTERRUPT = {"on": True}


@hookimpl
def case_opened(case, event):
    if INTERRUPT["on"]:
        INTERRUPT["on"] = False
        raise KeyboardInterrupt
    DELIVERED.append(case.id)
