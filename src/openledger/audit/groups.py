"""Grouping of cases for the audit and the choice of reference.

``--by visibility``: groups ``public`` and ``private``; default reference
``private``.
``--by channel``: one group per channel; by default each channel is compared
with all private channels pooled except itself.
``--by audience``: public cases with a known audience, in three buckets
(:data:`AUDIENCE_BUCKETS`); default reference ``under-1k``.
``--by leverage``: private cases labelled with a threat (``leverage``
``publicity``, ``press``, ``regulator`` or ``legal``): all of them pooled as
``threat``, then each kind of threat, against the private cases labelled
``none``; default reference ``none``.
``--by deflection``: public cases a company reply moved private
(``moved_private`` ``yes``, group ``moved-private``) against public cases kept
public (``no``, ``kept-public``, the default reference) and against all
private cases (``private``).
``--by tone``: cases whose customer was ``hostile`` or ``negative``
(``hostile-negative``) against those ``neutral`` or ``positive``
(``neutral-positive``, the default reference), compared within channel: the
strata are channel x category x severity (:data:`WITHIN_CHANNEL`).
Cases without the dimension's label are in no group.
A named ``reference`` compares every other group with that one group (a
group that holds the reference's cases, ``threat`` against ``legal``, is not
compared with it).

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
from openledger.records import LABEL_VALUES

DIMENSIONS = ("visibility", "channel", "audience", "leverage", "deflection", "tone")
#: the dimensions that compare cases by what their ``classified`` events say (the influence audits), and the
#: outcomes table's column each reads
INFLUENCE_DIMENSIONS = {"leverage": "leverage", "deflection": "moved_private", "tone": "tone"}
#: the dimensions compared within channel as well as category and severity
WITHIN_CHANNEL = ("tone",)
THREAT = "threat"
TONE_GROUPS = (("hostile-negative", ("hostile", "negative")), ("neutral-positive", ("neutral", "positive")))
DEFLECTION_GROUPS = ("moved-private", "kept-public", "private")
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
    #: groups made of other groups' atoms (``threat``: every kind of threat), by name
    pooled: tuple[tuple[str, np.ndarray], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every group reported: the pooled ones first, then the labels."""
        return tuple(name for name, _ in self.pooled) + self.labels

    @property
    def n_atoms(self) -> int:
        return 2 * len(self.labels)

    def group_atoms(self, label: str) -> np.ndarray:
        for name, atoms in self.pooled:
            if name == label:
                return atoms
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
    if dimension in INFLUENCE_DIMENSIONS:
        return _influence(table, dimension, reference)
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


def _influence(table: Table, dimension: str, reference: str | None) -> Grouping:
    """The groups of ``--by leverage``, ``deflection`` or ``tone`` (see the module docstring).

    Each group is one pair of atoms, as for the other dimensions (here only
    one of the pair holds cases); ``threat`` pools the kinds of threat.
    """
    private = table["visibility"] == "private"
    values = table[INFLUENCE_DIMENSIONS[dimension]]
    members: list[tuple[str, np.ndarray]]  # (group, its cases)
    kinds = [v for v in LABEL_VALUES["leverage"] if v != "none"]
    if dimension == "leverage":
        members = [(kind, private & (values == kind)) for kind in kinds] + [("none", private & (values == "none"))]
        default = "none"
    elif dimension == "deflection":
        moved, kept, _ = DEFLECTION_GROUPS
        members = [(moved, ~private & (values == "yes")), (kept, ~private & (values == "no")),
                   ("private", private)]
        default = kept
    else:
        members = [(name, np.isin(values, tones)) for name, tones in TONE_GROUPS]
        default = TONE_GROUPS[1][0]
    present = [(name, cases) for name, cases in members if cases.any() or name == default]
    labels = tuple(name for name, _ in present)
    codes = np.full(len(values), -1, dtype=np.int64)
    for i, (_, cases) in enumerate(present):
        codes[cases] = i
    atoms = np.where(codes >= 0, 2 * codes + private, -1)
    plan = Grouping(dimension, reference or default, labels, atoms, ())
    pooled: tuple[tuple[str, np.ndarray], ...] = ()
    if dimension == "leverage" and sum(1 for name in labels if name in kinds) > 1:  # a pool of one kind is that kind
        pooled = ((THREAT, np.logical_or.reduce([plan.group_atoms(k) for k in labels if k in kinds])),)
    plan = Grouping(dimension, reference or default, labels, atoms, (), pooled)
    names = list(plan.names)
    if reference is not None and reference not in names:
        raise OpenLedgerError(f"reference group '{reference}' not found among {dimension} groups: "
                              f"{', '.join(names) or 'none'}")
    comparisons = []
    if reference is None and dimension == "deflection":
        moved, kept, private_name = DEFLECTION_GROUPS
        if moved in labels:
            for other in (kept, private_name):
                if other in labels:
                    comparisons.append(Comparison(moved, other, plan.group_atoms(moved), plan.group_atoms(other)))
    else:
        ref = reference or default
        ref_atoms = plan.group_atoms(ref) if ref in names else np.zeros(plan.n_atoms, dtype=bool)
        for name in names:
            own = plan.group_atoms(name)
            if name != ref and not (own & ref_atoms).any():
                comparisons.append(Comparison(name, ref, own, ref_atoms))
    return Grouping(dimension, plan.reference, labels, atoms, tuple(comparisons), pooled)
