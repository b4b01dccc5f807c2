"""A redactor whose ``find`` fails on any text with a digit (its pattern is compiled lazily, wrongly)."""

import re

from openledger import hookimpl


class Membership:
    name = "membership-numbers"
    version = "0.1"

    def find(self, text):
        if any(c.isdigit() for c in text):
            re.compile(r"NW-(\d{8}")  # unbalanced: re.error
        return []


@hookimpl
def register_redactors(register):
    register(Membership())
