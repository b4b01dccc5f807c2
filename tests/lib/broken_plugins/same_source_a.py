"""Registers a source named ``forum`` (so does :mod:`broken_plugins.same_source_b`)."""

from broken_plugins import PostSource
from openledger import hookimpl


@hookimpl
def register_sources(register):
    register(PostSource("forum"))
