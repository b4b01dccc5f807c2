"""The person-name redactor, as a plugin: registered at once, its rules (:mod:`._names`, a first-name
dictionary, context and structure rules and the patterns of many scripts) loaded when it first reads a text,
so that a command that redacts nothing (``verify``, ``audit``) does not pay for them."""

from __future__ import annotations

from openledger import hookimpl
from openledger.builtin.redactors._base import Redactor
from openledger.records import Span


def find_names(text: str) -> list[Span]:
    """The person names in ``text`` (see :mod:`._names`)."""
    from openledger.builtin.redactors import _names
    return _names.find_names(text)


@hookimpl
def register_redactors(register, config):
    """Register the person-name redactor."""
    register(Redactor("name", find_names, description="person names (dictionary and context)"))
