"""A source without ``read()`` (it named the method ``read_file``)."""

from broken_plugins import PostSource
from openledger import hookimpl


class NoRead:
    name = "forum"
    version = "0.1"
    description = "forum posts"
    channel = "forum"
    visibility = "public"
    read_file = PostSource.read


@hookimpl
def register_sources(register):
    register(NoRead())
