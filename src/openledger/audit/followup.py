"""Public follow-up after a case moved private: a measured rate, per channel.

A public complaint that a company reply moved private ("DM us your account
number") leaves the audience without an ending. A company that answers in
public once the case is resolved ("sorted, thanks for bearing with us")
closes it where it was opened. For the public cases labelled
``moved_private = yes`` that are answered and resolved (a case moved private
was answered: the reply that moved it), :func:`follow_up_rates` counts
those with ``followed_up`` (a reply other than the first, on the case's own
channel, after its resolution, see :mod:`openledger.site.derive`), per channel and in all, with
a Wilson 95 % interval. It is a rate, not a comparison: no verdict, not in
the Holm family. ``--by deflection`` publishes it as ``public_follow_up``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from statsmodels.stats.proportion import proportion_confint

from openledger.audit.result import clean
from openledger.audit.table import Table

ALL = "all"


def _rate(hits: int, n: int) -> dict[str, Any]:
    if n == 0:
        return {"cases": 0, "followed_up": 0, "share": None, "ci_low": None, "ci_high": None}
    low, high = proportion_confint(hits, n, alpha=0.05, method="wilson")
    return {"cases": n, "followed_up": hits, "share": clean(hits / n), "ci_low": clean(low),
            "ci_high": clean(high)}


def follow_up_rates(table: Table) -> dict[str, dict[str, Any]]:
    """Per channel (sorted) and ``all``: of the answered, resolved public cases moved private, how many were
    followed up in public (``cases``, ``followed_up``, ``share`` and its Wilson 95 % interval ``ci_low``,
    ``ci_high``)."""
    moved = (table["visibility"] == "public") & (table["moved_private"] == "yes")
    moved &= table["resolved"] & table["responded"]
    followed = moved & table["followed_up"]
    out = {}
    for channel in sorted(set(np.asarray(table["channel"])[moved].tolist())):
        mine = table["channel"] == channel
        out[str(channel)] = _rate(int((followed & mine).sum()), int((moved & mine).sum()))
    out[ALL] = _rate(int(followed.sum()), int(moved.sum()))
    return out
