"""A source that drops the time zone of every post: naive timestamps (a plugin bug, not bad input)."""

from dataclasses import replace

from broken_plugins import PostSource
from openledger import hookimpl


class Naive(PostSource):
    def record(self, post, location):
        record = super().record(post, location)
        return replace(record, timestamp=record.timestamp.replace(tzinfo=None))


@hookimpl
def register_sources(register):
    register(Naive())
