"""A source that reads the wrong key for the text of the third post: ``text=None``."""

from dataclasses import replace

from broken_plugins import PostSource
from openledger import hookimpl


class TextNone(PostSource):
    def record(self, post, location):
        record = super().record(post, location)
        if post["id"] != "p3":
            return record
        return replace(record, text=None)


@hookimpl
def register_sources(register):
    register(TextNone())
