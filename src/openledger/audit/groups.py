"""Grouping of cases for the audit and the choice of reference.

``--by visibility``: groups ``public`` and ``private``; default reference
``private``.
``--by channel``: one group per channel; by default each channel is compared
with all private channels pooled except itself.
``--by audience``: public cases with a known audience, in three buckets
(:data:`AUDIENCE_BUCKETS`); default reference ``under-1k``.
A named ``reference`` compares every other group with that one group.

Cases are coded into *atoms*, (group, visibility) pairs, so every group and
every reference is a set of atoms and the audit can aggregate each metric
once per atom x stratum instead of once per comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openledger import periods
from openledger.audit.table import Table
from openledger.errors import OpenLedgerError

DIMENSIONS = ("visibility", "channel", "audience")
#: (label, lowest follower count included, highest excluded)
AUDIENCE_BUCKETS = (
    ("under-1k", 0.0, 1_000.0),
    ("1k-100k", 1_000.0, 100_001.0),
    ("over-100k", 100_001.0, float("inf")),
)
POOLED_PRIVATE = "private"


@dataclass(frozen=True)
class Comparison:
    """One group against its reference, each a boolean selection of atoms."""

    group: str
    reference: str
    group_atoms: np.ndarray
    reference_atoms: np.ndarray


@dataclass(frozen=True)
class Grouping:
    """Per-case atom codes, the groups' atoms and the comparisons to make."""

    dimension: str
    reference: str  # what the report calls the reference
    labels: tuple[str, ...]  # group names (sorted; audience in bucket order)
    atoms: np.ndarray  # per case: 2 * group index + (1 if private), -1 if in no group
    comparisons: tuple[Comparison, ...]

    @property
    def n_atoms(self) -> int:
        return 2 * len(self.labels)

    def group_atoms(self, label: str) -> np.ndarray:
        sel = np.zeros(self.n_atoms, dtype=bool)
        i = self.labels.index(label)
        sel[2 * i : 2 * i + 2] = True
        return sel

    def case_mask(self, atoms: np.ndarray, codes: np.ndarray | None = None) -> np.ndarray:
        """Per-case mask of a selection of atoms (over ``codes``, default all cases)."""
        codes = self.atoms if codes is None else codes
        mask: NDArray[np.bool_] = np.r_[False, atoms][codes + 1]
        return mask


def _factorize(values: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    import pandas as pd  # here, not at import: the CLI starts without it

    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), tuple(str(u) for u in uniques)


def group_cases(table: Table, dimension: str, reference: str | None = None) -> Grouping:
    """Label the cases of ``table`` by ``dimension`` and plan the comparisons."""
    if dimension not in DIMENSIONS:
        raise OpenLedgerError(f"unknown audit dimension '{dimension}'; use one of {DIMENSIONS}")
    private = table["visibility"] == "private"
    if dimension == "audience":
        aud = table["audience"]
        codes = np.full(len(aud), -1, dtype=np.int64)
        for i, (_, low, high) in enumerate(AUDIENCE_BUCKETS):
            codes[~private & (aud >= low) & (aud < high)] = i
        labels = tuple(b[0] for b in AUDIENCE_BUCKETS)
        default: str | None = "under-1k"
    else:
        codes, labels = _factorize(table[dimension])
        default = "private" if dimension == "visibility" else None
        if dimension == "channel" and periods.POOLED_CHANNEL in labels:
            # the release's pool of small public channels is no channel: those cases are compared by
            # visibility only (a mixture of channels, and of the cases hardest to publish, would be
            # compared as if it were one)
            pooled = labels.index(periods.POOLED_CHANNEL)
            codes = np.where((codes == pooled) & ~private, -1, codes)
            if not (codes == pooled).any():
                codes = np.where(codes > pooled, codes - 1, codes)
                labels = labels[:pooled] + labels[pooled + 1:]
    if reference is not None and reference not in labels:
        known = ", ".join(labels) or "none"
        raise OpenLedgerError(
            f"reference group '{reference}' not found among {dimension} groups: {known}"
        )
    atoms = np.where(codes >= 0, 2 * codes + private, -1)
    plan = Grouping(dimension, reference or default or POOLED_PRIVATE, labels, atoms, ())
    ref = reference or default
    comparisons = []
    if ref is not None:
        ref_atoms = (
            plan.group_atoms(ref) if ref in labels else np.zeros(plan.n_atoms, dtype=bool)
        )
        for label in labels:
            if label != ref:
                comparisons.append(Comparison(label, ref, plan.group_atoms(label), ref_atoms))
    else:
        # channel, default: private channels pooled except the group compared
        private_atoms = np.arange(plan.n_atoms) % 2 == 1
        present = np.bincount(atoms[atoms >= 0], minlength=plan.n_atoms) > 0
        for label in labels:
            own = plan.group_atoms(label)
            name = f"private except {label}" if (own & private_atoms & present).any() else (
                POOLED_PRIVATE
            )
            comparisons.append(Comparison(label, name, own, private_atoms & ~own))
    return Grouping(plan.dimension, plan.reference, labels, atoms, tuple(comparisons))
