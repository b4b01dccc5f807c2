"""The channel-blind view of a case that remedy proposers receive.

:func:`blind_view` turns a :class:`~openledger.records.CaseView` into a
:class:`~openledger.records.BlindCaseView`: the channel, visibility and
audience are dropped (the view type has no such attributes) and handles in
the texts (``@name``) are masked, so a remedy cannot depend on where or how
loudly the customer complained. Labels are copied as they are: they must not
carry channel data themselves, and ``channel`` keys in label details are
removed to make sure.
"""

from __future__ import annotations

from types import MappingProxyType

from openledger import patterns
from openledger.records import BlindCaseView, BlindMessageView, CaseView, Label

_HANDLE = patterns.compile(r"(?<![\w@.])@\w{1,30}")
_CHANNEL_KEYS = frozenset({"channel", "visibility", "audience", "handle", "author"})
HANDLE_MASK = "@[handle]"


def mask_handles(text: str) -> str:
    """Replace every ``@handle`` in ``text`` with ``@[handle]`` (e-mail addresses are kept)."""
    return _HANDLE.sub(HANDLE_MASK, text or "")


def _clean_label(label):
    if isinstance(label, Label):
        detail = {k: v for k, v in label.detail.items() if k not in _CHANNEL_KEYS}
        return Label(label.value, label.confidence, MappingProxyType(detail))
    if isinstance(label, dict):
        return MappingProxyType({k: v for k, v in label.items() if k not in _CHANNEL_KEYS})
    return label


def blind_view(case: CaseView) -> BlindCaseView:
    """The channel-blind view of ``case``."""
    labels = MappingProxyType({name: _clean_label(label) for name, label in case.labels.items()})
    messages = tuple(BlindMessageView(m.direction, m.timestamp, mask_handles(m.text))
                     for m in case.messages)
    return BlindCaseView(case.id, case.opened_at, case.severity, labels, messages)
