"""The built-in redactors for the redaction tests: each module registered
through its own ``register_redactors`` hook implementation, in a fixed order."""

from __future__ import annotations

from functools import lru_cache

from openledger.builtin.redactors import (
    addresses,
    birthdates,
    contact,
    financial,
    names,
    references,
)
from openledger.privacy.redaction import redact

MODULES = (contact, financial, references, addresses, birthdates, names)


def builtin_redactors(config=None) -> list:
    """The redactors the built-in modules register with ``config`` (default: none)."""
    found: list = []
    for module in MODULES:
        module.register_redactors(register=found.append, config=config or {})
    return found


@lru_cache(maxsize=1)
def _shared() -> tuple:
    return tuple(builtin_redactors())


def red(text: str) -> str:
    """``text`` redacted by every built-in redactor, the company's own handle ``@AcmeHelp`` kept."""
    return redact(text, _shared(), keep=["@AcmeHelp"]).text
