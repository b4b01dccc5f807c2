"""The postal address redactor, as a plugin: registered at once, its rules (:mod:`._addresses`, street
lines, PO boxes and postcodes in many countries' forms and scripts) loaded when it first reads a text, so that a
command that redacts nothing (``verify``, ``audit``) does not pay for them."""

from __future__ import annotations

from collections.abc import Iterator

from openledger import hookimpl
from openledger.builtin.redactors._base import Redactor
from openledger.records import Span


def find_addresses(text: str) -> Iterator[Span]:
    """The postal addresses in ``text`` (see :mod:`._addresses`)."""
    from openledger.builtin.redactors import _addresses
    return _addresses.find_addresses(text)


@hookimpl
def register_redactors(register, config):
    """Register the postal address redactor."""
    register(Redactor("address", find_addresses, description="postal addresses and postcodes"))
