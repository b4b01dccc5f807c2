"""The cyclic garbage collector paused around work that makes millions of small objects: :func:`gc_paused`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
