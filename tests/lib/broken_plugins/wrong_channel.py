"""A source that declares channel ``reddit`` and yields ``twitter`` messages."""

from dataclasses import replace

from broken_plugins import PostSource
from openledger import hookimpl


class Reddit(PostSource):
    def record(self, post, location):
        record = super().record(post, location)
        return replace(record, channel="twitter")


@hookimpl
def register_sources(register):
    register(Reddit("reddit", "reddit"))
