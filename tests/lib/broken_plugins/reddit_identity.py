"""A source that gives a Reddit user as ``u/name``, none of the documented identity forms (``@name``)."""

from dataclasses import replace

from broken_plugins import PostSource
from openledger import hookimpl


class RedditUsers(PostSource):
    def record(self, post, location):
        record = super().record(post, location)
        return replace(record, identities=(f"u/{post['author']}",))


@hookimpl
def register_sources(register):
    register(RedditUsers())
