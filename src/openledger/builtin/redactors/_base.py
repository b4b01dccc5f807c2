"""What the built-in redactors share: a small redactor object around a find function."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from openledger import __version__
from openledger.records import Span


@dataclass(frozen=True)
class Redactor:
    """A redactor as the ``register_redactors`` hook expects: ``name``, ``version``, ``find``."""

    name: str
    finder: Callable[[str], Iterable[Span]]
    version: str = __version__
    description: str = ""

    def find(self, text: str) -> list[Span]:
        """The personal-data spans in ``text``."""
        return list(self.finder(text))


def section(config, *keys: str) -> dict:
    """``config[k1][k2]...`` as a dict, empty when any level is missing."""
    node = config or {}
    for key in keys:
        node = node.get(key) if hasattr(node, "get") else None
        if node is None:
            return {}
    return dict(node) if hasattr(node, "items") else {}
